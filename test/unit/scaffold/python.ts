/** The real Python the engine uses, for checking generated code: Debian's system interpreter under pyenv. */
import { spawnSync } from 'node:child_process';

export function pythonEnv(): NodeJS.ProcessEnv {
  return { ...process.env, PYENV_VERSION: process.env.PYENV_VERSION ?? 'system' };
}

/** Undefined when `source` is valid Python; else the SyntaxError Python printed. */
export function pythonSyntaxError(source: string): string | undefined {
  const python = process.env.PARALLEL_RUN_PYTHON ?? 'python3';
  const r = spawnSync(python, ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], {
    input: source,
    encoding: 'utf8',
    env: pythonEnv(),
  });
  if (r.error) throw r.error;
  return r.status === 0 ? undefined : r.stderr.trim().split('\n').slice(-3).join('\n');
}
