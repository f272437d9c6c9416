/**
 * Run folders' names: `<runs folder>/<node>-<yyyymmdd-hhmmss>[-n]`, the runs folder relative to the spec's
 * folder (default `.parallel-run/runs`). The CLI, the extension and the pipeline runner name runs this way,
 * and the run history (history.ts) reads the names back.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** Where runs of a spec go unless the user chose another folder (the `parallelRun.runsFolder` default). */
export const DEFAULT_RUNS_FOLDER = '.parallel-run/runs';

/** `20261201-110512`: the run folder's time stamp, UTC, sortable. */
export function runStamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/** The runs folder of `specFile`: `runsFolder` (absolute, or relative to the spec's folder). */
export function runsFolderFor(specFile: string, runsFolder: string = DEFAULT_RUNS_FOLDER): string {
  return path.resolve(path.dirname(specFile), runsFolder);
}

/** `<runs folder>/<node>-<stamp>`, without checking whether it is taken. */
export function runDirFor(specFile: string, nodeName: string, now: Date = new Date(), runsFolder?: string): string {
  return path.join(runsFolderFor(specFile, runsFolder), `${nodeName}-${runStamp(now)}`);
}

/** A folder name no run has taken yet: `<node>-<stamp>`, else `<node>-<stamp>-2`, `-3`… (two runs in one second). */
export function newRunDir(specFile: string, nodeName: string, options: { runsFolder?: string; now?: Date } = {}): string {
  const base = runDirFor(specFile, nodeName, options.now ?? new Date(), options.runsFolder);
  let dir = base;
  for (let n = 2; existsSync(dir); n++) dir = `${base}-${n}`;
  return dir;
}
