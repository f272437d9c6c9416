// The interpreter the samples, tests and benchmarks use: Debian's system Python, where numpy, pandas, PIL and
// scikit-learn come from apt. With pyenv on the machine, PYENV_VERSION=system makes `python3` that one.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function pythonEnv(base = process.env) {
  const env = { ...base };
  if (!env.PYENV_VERSION) env.PYENV_VERSION = 'system';
  return env;
}

export function python() {
  return process.env.PARALLEL_RUN_PYTHON || 'python3';
}

/** Runs a command, inheriting stdio; throws when it fails. */
export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, env: pythonEnv(), ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
}

/** Generates a sample's data and model unless they are already there. */
export function ensureSampleData(name) {
  const dir = path.join(root, 'samples', name);
  // The digits model gained an ONNX twin (model/digits.onnx): data made before it is made again.
  const made = ['data', 'model', ...(name === 'digits' ? ['model/digits.onnx'] : [])];
  if (made.every((f) => existsSync(path.join(dir, f)))) return;
  run(python(), [path.join(dir, 'make_data.py')], { cwd: dir });
}

/** Bundles dist/ (CLI, extension) and, for tests and benchmarks, compiles TypeScript to out/. */
export function build({ typescript = true } = {}) {
  if (typescript) run(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', '.']);
  run(process.execPath, [path.join(root, 'esbuild.mjs')]);
}
