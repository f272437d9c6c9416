/**
 * `python` in a command resolves to the interpreter entry scripts run with: a folder of tiny launchers
 * (`python`, `python3`) put first on the command's PATH, as the cloud's environment puts its own first.
 */
import { accessSync, closeSync, constants, mkdirSync, openSync, readSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

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

/** A `#!` script (a pyenv or asdf shim) rather than the interpreter binary itself. */
function isScript(file: string): boolean {
  const head = Buffer.alloc(2);
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    readSync(fd, head, 0, 2, 0);
    return head.toString('latin1') === '#!';
  } catch {
    return true;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/**
 * Writes launchers for `python` and `python3` into `dir` that run `interpreter`, and returns `dir`.
 * Throws with the fix when the interpreter cannot be found.
 */
export function writePythonShims(dir: string, interpreter: string, env: NodeJS.ProcessEnv): string {
  const shimDir = path.resolve(dir);
  const found = whichExecutable(interpreter, env, [shimDir]);
  if (!found)
    throw new Error(
      `The Python interpreter \`${interpreter}\` is not on PATH. Give one with --python /path/to/python or PARALLEL_RUN_PYTHON.`,
    );
  mkdirSync(shimDir, { recursive: true });
  // A shim (pyenv) looks `python3` up on PATH again: without this folder in front, so it never finds us.
  const launcher = isScript(found)
    ? `#!/bin/sh\nshim=${quote(shimDir)}\ncase "$PATH" in "$shim":*) PATH=\${PATH#"$shim":} ;; esac\nexec ${quote(found)} "$@"\n`
    : `#!/bin/sh\nexec ${quote(found)} "$@"\n`;
  for (const name of ['python', 'python3']) {
    if (process.platform === 'win32') writeFileSync(path.join(shimDir, `${name}.cmd`), `@"${found}" %*\r\n`);
    else writeFileSync(path.join(shimDir, name), launcher, { mode: 0o755 });
  }
  return shimDir;
}
