/**
 * The model preview: the model run in this process by onnxruntime-node on the first few inputs, prepared
 * as the generated entry script prepares them, with the same answer per item. onnxruntime-node is loaded
 * on first use only: it is a native addon of tens of megabytes.
 */
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { arrayFeatures, imageFeatures, planItemShape, type FloatArray } from './features';
import { batchedInput, inputDtype, type ModelPlan } from './plan';

export interface PreviewRow {
  /** The input's file name: the key of the script's result row. */
  input: string;
  /** What the script writes after `name: `, e.g. `7 0.9931`. */
  answer: string;
  label?: string;
  score?: number;
  /** The top classes (classes mode) with their scores, best first. */
  top?: { label: string; score: number }[];
}

export interface PreviewResult {
  rows: PreviewRow[];
  /** Milliseconds: loading onnxruntime-node (0 when already loaded), creating the session, preparing inputs, one session run. */
  timings: { loadRuntimeMs: number; sessionCreateMs: number; preprocessMs: number; runMs: number };
  batchSize: number;
}

type Ort = typeof import('onnxruntime-node');
let ortModule: Ort | undefined;

/** onnxruntime-node, required on first use; a clear error when the package or its binaries are missing. */
export function loadOnnxRuntime(): { ort: Ort; loadMs: number } {
  if (ortModule) return { ort: ortModule, loadMs: 0 };
  const start = performance.now();
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    ortModule = require('onnxruntime-node') as Ort;
  } catch (e) {
    throw new Error(
      `The model preview needs onnxruntime-node, which could not be loaded (${(e as Error).message.split('\n')[0]}). ` +
        'Install it beside the extension: ONNXRUNTIME_NODE_INSTALL=skip npm ci',
    );
  }
  return { ort: ortModule, loadMs: performance.now() - start };
}

/** Runs the model on `files` (in this order) as the plan says, in one session call when the model takes batches. */
export async function previewModel(modelFile: string, plan: ModelPlan, files: string[]): Promise<PreviewResult> {
  if (plan.kind === 'tabular')
    throw new Error('The preview runs on image and .npy files; for a table, run the generated script locally on a sample.');
  const { ort, loadMs } = loadOnnxRuntime();
  let t = performance.now();
  let session: import('onnxruntime-node').InferenceSession;
  try {
    session = await ort.InferenceSession.create(modelFile, { executionProviders: ['cpu'], graphOptimizationLevel: 'all' });
  } catch (e) {
    throw new Error(`${modelFile}: onnxruntime cannot load the model: ${(e as Error).message}`);
  }
  const sessionCreateMs = performance.now() - t;
  try {
    t = performance.now();
    const items = files.map((f) => (plan.kind === 'images' ? imageFeatures(f, plan) : arrayFeatures(f, plan)));
    const preprocessMs = performance.now() - t;
    const itemLen = items[0]?.length ?? 0;
    for (const [i, item] of items.entries()) {
      if (item.length !== itemLen)
        throw new Error(`${files[i]} gives ${item.length} values, ${files[0]} gave ${itemLen}: a batch needs items of one shape.`);
    }
    const shape = planItemShape(plan, itemLen);
    const dtype = inputDtype(plan);
    const tensorOf = (group: FloatArray[]) => {
      const data = dtype === 'float32' ? new Float32Array(group.length * itemLen) : new Float64Array(group.length * itemLen);
      group.forEach((item, i) => data.set(item, i * itemLen));
      return new ort.Tensor(dtype, data, [group.length, ...shape]);
    };
    t = performance.now();
    const outputs: unknown[][] = [];
    const groups = batchedInput(plan.input) ? [items] : items.map((item) => [item]);
    for (const group of groups) {
      if (group.length === 0) continue;
      const result = await session.run({ [plan.input.name]: tensorOf(group) }, [plan.output.name]);
      outputs.push(...splitRows(result[plan.output.name], group.length));
    }
    const runMs = performance.now() - t;
    const rows = files.map((f, i) => answerRow(path.basename(f), outputs[i], plan));
    return { rows, timings: { loadRuntimeMs: loadMs, sessionCreateMs, preprocessMs, runMs }, batchSize: items.length };
  } finally {
    await session.release();
  }
}

function splitRows(tensor: import('onnxruntime-node').Tensor, n: number): unknown[][] {
  const data = Array.from(tensor.data as ArrayLike<number | bigint | string>, (v) => (typeof v === 'bigint' ? Number(v) : v));
  const per = data.length / n;
  return Array.from({ length: n }, (_, i) => data.slice(i * per, (i + 1) * per));
}

function answerRow(input: string, values: unknown[], plan: ModelPlan): PreviewRow {
  if (plan.outputMode === 'classes') {
    const scores = values as number[];
    const name = (i: number) => plan.classNames?.[i] ?? String(i);
    const order = scores.map((s, i) => [s, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    const [score, index] = order[0];
    return {
      input,
      answer: `${name(index)} ${score.toFixed(4)}`,
      label: name(index),
      score,
      top: order.slice(0, 3).map(([s, i]) => ({ label: name(i), score: s })),
    };
  }
  if (plan.outputMode === 'label') return { input, answer: String(values[0]), label: String(values[0]) };
  return { input, answer: (values as number[]).map((v) => formatG6(v)).join(' ') };
}

/** Python's "{:.6g}". */
function formatG6(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const exp = Math.floor(Math.log10(Math.abs(Number(v.toPrecision(6)))));
  if (exp < -4 || exp >= 6) {
    const [m, e] = v.toExponential(5).split('e');
    const mant = m.includes('.') ? m.replace(/\.?0+$/, '') : m;
    const n = Number(e);
    return `${mant}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  const s = v.toPrecision(6);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}
