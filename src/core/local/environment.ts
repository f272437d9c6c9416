/** Where the worker runs: the interpreter, the worker package, the GPUs. */
import { execFile, execFileSync } from 'node:child_process';
import { accessSync, constants as fsConstants, existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The interpreter for entry scripts: the caller's choice, else $PARALLEL_RUN_PYTHON, else `python3`. */
export function resolvePython(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  return explicit || env.PARALLEL_RUN_PYTHON || 'python3';
}

/**
 * The folder holding the `prs_worker` package. Found by walking up from this file, so it works from the
 * TypeScript output (out/src/core/local), the bundle (dist/) and an installed extension alike.
 */
export function workerPackageDir(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'python');
    if (existsSync(path.join(candidate, 'prs_worker', '__main__.py'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`Cannot find the Python worker package (python/prs_worker) above ${from}.`);
  }
}

/**
 * GPUs to spread over workers, one each: the CUDA_VISIBLE_DEVICES the engine was given, else what
 * `nvidia-smi -L` lists, else none.
 */
export function detectGpus(env: NodeJS.ProcessEnv = process.env): string[] {
  const visible = env.CUDA_VISIBLE_DEVICES;
  if (visible !== undefined) {
    return visible
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '' && s !== '-1');
  }
  try {
    const out = execFileSync('nvidia-smi', ['-L'], { encoding: 'utf8', timeout: 3000, stdio: ['ignore', 'pipe', 'ignore'] });
    return out
      .split('\n')
      .map((line) => /^GPU (\d+):/.exec(line)?.[1])
      .filter((id): id is string => id !== undefined);
  } catch {
    return [];
  }
}

/** nvidia-smi's answer per PATH. */
const smiGpus = new Map<string, Promise<string[]>>();

/**
 * {@link detectGpus} without blocking: `nvidia-smi -L` (tens to hundreds of milliseconds where it exists) runs
 * while the run partitions its input, once per process (the GPUs of a machine do not change under it).
 */
export function detectGpusAsync(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  if (env.CUDA_VISIBLE_DEVICES !== undefined) return Promise.resolve(detectGpus(env));
  const key = env.PATH ?? env.Path ?? '';
  let gpus = smiGpus.get(key);
  if (!gpus) {
    gpus = new Promise<string[]>((resolve) => {
      // Starting a process costs the event loop ~4 ms even when the program is missing: look first.
      if (!onPath('nvidia-smi', env)) return resolve([]);
      execFile('nvidia-smi', ['-L'], { encoding: 'utf8', timeout: 3000, env }, (err, out) => {
        if (err) return resolve([]);
        resolve(
          out
            .split('\n')
            .map((line) => /^GPU (\d+):/.exec(line)?.[1])
            .filter((id): id is string => id !== undefined),
        );
      });
    });
    smiGpus.set(key, gpus);
  }
  return gpus;
}

/** Whether `command` is an executable file in a folder of PATH (what a spawn of it would find). */
function onPath(command: string, env: NodeJS.ProcessEnv): boolean {
  const names =
    process.platform === 'win32' ? (env.PATHEXT || '.EXE;.CMD;.BAT').split(';').map((ext) => command + ext.toLowerCase()) : [command];
  for (const dir of (env.PATH ?? env.Path ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      try {
        accessSync(path.join(dir, name), fsConstants.X_OK);
        return true;
      } catch {
        // not here
      }
    }
  }
  return false;
}

/**
 * Where workers keep the compiled bytecode of the worker package (python/prs_worker/__main__.py reads it as
 * PARALLEL_RUN_PYCACHE): the user's cache folder, so a start does not compile the package from source when
 * .pyc files cannot be written beside it (PYTHONDONTWRITEBYTECODE, a read-only extension folder).
 * `PARALLEL_RUN_PYCACHE=` (empty) turns it off.
 */
export function workerPycacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PARALLEL_RUN_PYCACHE !== undefined) return env.PARALLEL_RUN_PYCACHE;
  const base =
    process.platform === 'win32'
      ? env.LOCALAPPDATA || path.join(os.homedir(), 'AppData', 'Local')
      : env.XDG_CACHE_HOME || path.join(os.homedir(), process.platform === 'darwin' ? 'Library/Caches' : '.cache');
  return path.join(base, 'parallel-run', 'pycache');
}
