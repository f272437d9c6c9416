/** Paths in a spec: cloud references versus files on this machine, and what lies on the disk. */
import * as fs from 'fs';
import * as path from 'path';
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

/** Every file under `folder`, as paths relative to it with `/` separators, sorted for a stable order. */
export function listFilesRelative(folder: string): string[] {
  const found: string[] = [];
  // Linked folders are followed (mounted data often is one), each real folder once to survive loops.
  const seen = new Set<string>();
  const walk = (dir: string, prefix: string): void => {
    const real = fs.realpathSync(dir);
    if (seen.has(real)) return;
    seen.add(real);
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      const full = path.join(dir, entry.name);
      const kind = entry.isSymbolicLink()
        ? pathKind(full)
        : entry.isDirectory()
          ? 'folder'
          : entry.isFile()
            ? 'file'
            : 'missing';
      if (kind === 'folder') walk(full, relative);
      else if (kind === 'file') found.push(relative);
    }
  };
  walk(folder, '');
  return found.sort(compareRelativePaths);
}

/** Code-point order, so the file order never depends on the machine's locale. */
export function compareRelativePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
