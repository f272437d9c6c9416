/**
 * `python` in a command resolves to the interpreter entry scripts run with: a folder of tiny launchers
 * (`python`, `python3`) put first on the command's PATH, as the cloud's environment puts its own first.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const resolvedInterpreters = new Map<string, string>();

/**
 * The interpreter's own executable (`sys.executable`). A launcher found on PATH (a pyenv shim) may itself
 * look `python3` up on PATH, where it would find our launcher and loop; the real file cannot.
 */
export function realInterpreter(interpreter: string, env: NodeJS.ProcessEnv): string {
  const key = [interpreter, env.PATH, env.PYENV_VERSION, env.VIRTUAL_ENV, env.CONDA_PREFIX].join('\0');
  const known = resolvedInterpreters.get(key);
  if (known) return known;
  const found = whichExecutable(interpreter, env);
  if (!found)
    throw new Error(`The Python interpreter \`${interpreter}\` is not on PATH. Give one with --python /path/to/python or PARALLEL_RUN_PYTHON.`);
  let real = found;
  try {
    real = execFileSync(found, ['-c', 'import sys; print(sys.executable)'], { env, encoding: 'utf8', timeout: 30_000 }).trim() || found;
  } catch (err) {
    throw new Error(`The Python interpreter ${found} does not start (${(err as Error).message.split('\n')[0]}). Give another with --python /path/to/python.`);
  }
  resolvedInterpreters.set(key, real);
  return real;
}

/** The absolute path of `command` on PATH (or as given, when it has a folder in it); undefined if not found. */
export function whichExecutable(command: string, env: NodeJS.ProcessEnv, skip: string[] = []): string | undefined {
  if (command.includes('/') || command.includes('\\')) return path.resolve(command);
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (env.PATH ?? env.Path ?? '').split(path.delimiter)) {
    if (!dir || skip.includes(path.resolve(dir))) continue;
    for (const ext of exts) {
      const candidate = path.join(dir, command + ext);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/**
 * Writes launchers for `python` and `python3` into `dir` that run `interpreter`, and returns `dir`.
 * Throws with the fix when the interpreter cannot be found.
 */
export function writePythonShims(dir: string, interpreter: string, env: NodeJS.ProcessEnv): string {
  const resolved = realInterpreter(interpreter, env);
  mkdirSync(dir, { recursive: true });
  for (const name of ['python', 'python3']) {
    if (process.platform === 'win32') writeFileSync(path.join(dir, `${name}.cmd`), `@"${resolved}" %*\r\n`);
    else writeFileSync(path.join(dir, name), `#!/bin/sh\nexec '${resolved.replace(/'/g, `'\\''`)}' "$@"\n`, { mode: 0o755 });
  }
  return dir;
}
