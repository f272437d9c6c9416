/** The test models of test/fixtures/onnx/make_models.py, written once per test process into a temp folder. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pythonEnv } from '../scaffold/python';

export const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/onnx');
let dir: string | undefined;

/** The folder holding dynamic_batch.onnx, multi_input.onnx, fixed_nchw.onnx, nhwc_f64.onnx and old_ir.onnx. */
export function testModels(): string {
  if (dir) return dir;
  const out = mkdtempSync(path.join(os.tmpdir(), 'prs-onnx-models-'));
  runPython([path.join(FIXTURES, 'make_models.py'), out]);
  dir = out;
  return out;
}

/** Runs the system Python (as the engine does) and returns its stdout; throws with its stderr on failure. */
export function runPython(args: string[], input?: string): string {
  const python = process.env.PARALLEL_RUN_PYTHON ?? 'python3';
  const r = spawnSync(python, args, { encoding: 'utf8', env: pythonEnv(), input, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${python} ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}
