/** Run folders: where a pipeline run goes, never on top of another run, and kept out of git. */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

import { runsFolderFor, runStamp } from '../runs/run-dir';

export { runStamp };

export const RUNS_ROOT = '.parallel-run';

/** `<spec folder>/.parallel-run/runs`: where local runs of a spec go by default. */
export function runsFolder(specFile: string): string {
  return runsFolderFor(specFile);
}

/** A file-system-safe run name from the pipeline's name. */
export function runName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '') || 'pipeline';
}

/**
 * Creates `<base>`, or `<base>-2`, `<base>-3`… when a run already took that name (two runs in one second),
 * and returns the folder created. Two runs never share a folder.
 */
export function createFreshFolder(base: string): string {
  mkdirSync(path.dirname(base), { recursive: true });
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`;
    try {
      mkdirSync(candidate);
      return candidate;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

/**
 * Why `dir` cannot take a new run (it already holds files), with the fix; undefined when it is new or empty.
 * A second run into the same folder would mix two runs' logs and outputs.
 */
export function occupiedRunFolder(dir: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return `--out ${dir} is not a folder. Give a folder for the run, e.g. --out ${dir}-run.`;
  }
  if (entries.length === 0) return undefined;
  const what = entries.includes('summary.json') || entries.includes('logs') ? 'already holds a run' : 'is not empty';
  return `--out ${dir} ${what}; a second run there would mix the two runs' logs and outputs. Give a new folder, e.g. --out ${freeSibling(dir)}, or delete ${dir} first.`;
}

function freeSibling(dir: string): string {
  for (let n = 2; ; n++) if (!existsSync(`${dir}-${n}`)) return `${dir}-${n}`;
}

/** Writes `.parallel-run/.gitignore` (`*`) above `runDir` when it has none, so runs stay out of commits. */
export function ignoreRunsRoot(runDir: string): void {
  const parts = path.resolve(runDir).split(path.sep);
  const at = parts.lastIndexOf(RUNS_ROOT);
  if (at < 0) return;
  const root = parts.slice(0, at + 1).join(path.sep) || path.sep;
  const file = path.join(root, '.gitignore');
  if (existsSync(file)) return;
  mkdirSync(root, { recursive: true });
  writeFileSync(file, '# Local Azure ML parallel runs: logs and outputs, not sources.\n*\n');
}
