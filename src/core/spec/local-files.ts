/** Paths in a spec: cloud references versus files on this machine, and what lies on the disk. */
import * as fs from 'fs';
import * as path from 'path';
import { listRelativeFilesSync } from '../local/partition/listFiles';
import { baseDirOf, type YamlNode } from './yaml-source';

// Datastore URIs, data assets, and the storage schemes az ml accepts for inputs.
const REMOTE = /^(azureml:|https?:\/\/|wasbs?:\/\/|abfss?:\/\/|adl:\/\/|s3:\/\/|gs:\/\/)/i;

export function isRemoteReference(text: string): boolean {
  return REMOTE.test(text.trim());
}

export type PathKind = 'file' | 'folder' | 'missing';

export function pathKind(absolutePath: string): PathKind {
  const stat = fs.statSync(absolutePath, { throwIfNoEntry: false });
  if (!stat) return 'missing';
  return stat.isDirectory() ? 'folder' : 'file';
}

/** An absolute local path for a path written in `node` (relative to its YAML's folder; `file:` allowed). */
export function localPathOf(text: string, node: YamlNode, cwd: string): string {
  const bare = text.trim().replace(/^file:(\/\/)?/i, '');
  return path.resolve(baseDirOf(node, cwd), bare);
}

/** How the spec reader lists a folder: every file under it, in the engine's order. */
export interface FolderLister {
  /** Paths relative to `folder`, with `/` separators. */
  relative(folder: string): string[];
  /** The same files as absolute paths. */
  absolute(folder: string): string[];
}

let scopedLister: FolderLister | undefined;

/**
 * Runs `read` (synchronous) with `lister` answering every listing made during it: how checkSpecTextAsync
 * feeds the reader listings it made beforehand, asynchronously, with the engine's lister.
 */
export function withFolderLister<T>(lister: FolderLister, read: () => T): T {
  const outer = scopedLister;
  scopedLister = lister;
  try {
    return read();
  } finally {
    scopedLister = outer;
  }
}

/**
 * Every file under `folder`, as paths relative to it with `/` separators, in the engine's order and with its
 * symlink rules (core/local/partition/listFiles.ts): what a run will see.
 */
export function listFilesRelative(folder: string): string[] {
  return scopedLister ? scopedLister.relative(folder) : listRelativeFilesSync(folder);
}

/** {@link listFilesRelative} as absolute paths. */
export function listFilesAbsolute(folder: string): string[] {
  return scopedLister ? scopedLister.absolute(folder) : absolutePaths(folder, listRelativeFilesSync(folder));
}

/** `relative` (from a listing of `folder`) as absolute paths: a concatenation, not path.join (10x dearer). */
export function absolutePaths(
  folder: string,
  relative: readonly string[],
  from = 0,
  to = relative.length,
  out = new Array<string>(relative.length),
): string[] {
  const root = path.resolve(folder);
  const prefix = root.endsWith(path.sep) ? root : root + path.sep;
  const win = path.sep !== '/';
  for (let i = from; i < to; i++) out[i] = prefix + (win ? relative[i].replace(/\//g, path.sep) : relative[i]);
  return out;
}

/** Code-point order, so the file order never depends on the machine's locale. */
export function compareRelativePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
