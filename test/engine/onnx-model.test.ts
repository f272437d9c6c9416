/**
 * Generated ONNX entry scripts run in the local engine, and their labels equal the model preview's.
 *
 * The onnxruntime Python package cannot be installed on the test machine (no PyPI, no Debian package), so
 * the scripts import test/fixtures/onnx/onnxruntime.py instead, copied beside them: InferenceSession's API
 * over a numpy evaluation of the graph that checks input names, dtypes, ranks and fixed dimensions as
 * onnxruntime does. The preview runs the real onnxruntime (onnxruntime-node) on the same files.
 */
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { runLocal } from '../../src/core/local';
import { checkSpecText, loadSpec } from '../../src/core/spec';
import { modelScaffold } from '../../src/core/scaffold/onnx/generate';
import { inspectModelFile } from '../../src/core/scaffold/onnx/inspect';
import { planProblems, suggestImage, suggestOutputMode, type ModelPlan } from '../../src/core/scaffold/onnx/plan';
import { loadOnnxRuntime, previewModel } from '../../src/core/scaffold/onnx/preview';
import { pythonEnv } from '../unit/scaffold/python';
import { FIXTURES, runPython, testModels } from '../unit/model/models';

const ROOT = path.resolve(__dirname, '../../..');
const DIGITS = path.join(ROOT, 'samples/digits');

interface Project {
  dir: string;
  files: string[];
  plan: ModelPlan;
  modelFile: string;
}

/** A folder as "New Entry Script from Model…" leaves it: score.py, score.yml, conda.yml, model/, data/. */
function project(modelFile: string, dataFiles: string[], plan: ModelPlan, miniBatchSize = '7'): Project {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'prs-onnx-engine-'));
  mkdirSync(path.join(dir, 'model'));
  mkdirSync(path.join(dir, 'data'));
  copyFileSync(modelFile, path.join(dir, 'model', path.basename(modelFile)));
  for (const f of dataFiles) copyFileSync(f, path.join(dir, 'data', path.basename(f)));
  const scaffold = modelScaffold({ plan, name: 'score', inputPath: './data', modelFolder: './model', miniBatchSize });
  writeFileSync(path.join(dir, 'score.py'), scaffold.entryScript);
  writeFileSync(path.join(dir, 'score.yml'), scaffold.spec);
  writeFileSync(path.join(dir, 'conda.yml'), scaffold.conda);
  copyFileSync(path.join(FIXTURES, 'onnxruntime.py'), path.join(dir, 'onnxruntime.py'));
  const files = dataFiles.map((f) => path.join(dir, 'data', path.basename(f))).sort();
  return { dir, files, plan, modelFile: path.join(dir, 'model', path.basename(modelFile)) };
}

async function runProject(p: Project): Promise<Map<string, string>> {
  const spec = path.join(p.dir, 'score.yml');
  assert.deepEqual(
    checkSpecText(readFileSync(spec, 'utf8'), spec).diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  const job = (await loadSpec(spec, { cpuCount: 2 })).parallelNodes[0];
  const summary = await runLocal(job, { runDir: path.join(p.dir, 'run'), env: pythonEnv() });
  assert.equal(summary.status, 'Completed', JSON.stringify(summary.failures.slice(0, 2)));
  const lines = readFileSync(summary.outputFile!, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  const rows = new Map(lines.map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)] as const));
  assert.equal(rows.size, p.files.length, 'one row per input, keyed by file name');
  return rows;
}

function imagePlan(modelFile: string, over: Partial<ModelPlan> = {}): ModelPlan {
  const info = inspectModelFile(modelFile);
  const plan: ModelPlan = {
    kind: 'images',
    modelFileName: path.basename(modelFile),
    input: info.inputs[0],
    output: info.outputs[0],
    outputMode: suggestOutputMode(info.outputs[0]),
    image: suggestImage(info.inputs[0]),
    ...over,
  };
  assert.deepEqual(planProblems(info, plan), []);
  return plan;
}

test('digits: the generated script run locally gives the labels the preview shows, for all 100 images', async () => {
  const model = path.join(DIGITS, 'model/digits.onnx');
  const images = readdirSync(path.join(DIGITS, 'data/images'))
    .sort()
    .map((f) => path.join(DIGITS, 'data/images', f));
  const p = project(model, images, imagePlan(model));
  const local = await runProject(p);
  const preview = await previewModel(p.modelFile, p.plan, p.files);
  let correct = 0;
  for (const row of preview.rows) {
    const [label, score] = local.get(row.input)!.split(' ');
    assert.equal(label, row.label, `${row.input}: the script says ${label}, the preview ${row.label}`);
    assert.ok(Math.abs(Number(score) - row.score!) <= 1.5e-4, `${row.input}: score ${score} vs ${row.score}`);
    if (row.input.endsWith(`label${row.label}.png`)) correct++;
  }
  // make_data.py reports 97% on these images: the ONNX model is the same network.
  assert.ok(correct >= 95, `${correct} of 100 right`);
});

test('a model with a fixed batch of 1, NCHW RGB with mean/std and class names: per-item calls, same labels', async () => {
  const model = path.join(testModels(), 'fixed_nchw.onnx');
  const imagesDir = mkdtempSync(path.join(os.tmpdir(), 'prs-onnx-imgs-'));
  runPython([path.join(FIXTURES, 'make_images.py'), imagesDir, '12']);
  const images = readdirSync(imagesDir).map((f) => path.join(imagesDir, f));
  const plan = imagePlan(model, { classNames: ['cat', 'dog', 'fox'] });
  plan.image = { ...plan.image!, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };
  assert.equal(plan.image.layout, 'nchw');
  const p = project(model, images, plan, '5');
  assert.match(readFileSync(path.join(p.dir, 'score.py'), 'utf8'), /fixed at 1: one call per item/);
  const local = await runProject(p);
  const preview = await previewModel(p.modelFile, p.plan, p.files);
  assert.equal(preview.batchSize, 12);
  for (const row of preview.rows) {
    const [label, score] = local.get(row.input)!.split(' ');
    assert.equal(label, row.label, row.input);
    assert.ok(['cat', 'dog', 'fox'].includes(label));
    assert.ok(Math.abs(Number(score) - row.score!) <= 1.5e-4, `${row.input}: ${score} vs ${row.score}`);
  }
});

test('.npy arrays into a float64 NHWC model, raw outputs: the script and the preview give the same values', async () => {
  const model = path.join(testModels(), 'nhwc_f64.onnx');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'prs-onnx-npy-'));
  runPython([
    '-c',
    `import numpy as np, sys\nrng = np.random.default_rng(3)\nfor i in range(9): np.save(sys.argv[1] + f"/a{i}.npy", rng.standard_normal((6, 6, 1)).astype(np.float32))`,
    dir,
  ]);
  const info = inspectModelFile(model);
  const plan: ModelPlan = {
    kind: 'arrays',
    modelFileName: 'nhwc_f64.onnx',
    input: info.inputs[0],
    output: info.outputs[0],
    outputMode: 'raw',
  };
  const p = project(
    model,
    readdirSync(dir).map((f) => path.join(dir, f)),
    plan,
    '4',
  );
  const local = await runProject(p);
  const preview = await previewModel(p.modelFile, p.plan, p.files);
  for (const row of preview.rows) {
    const ours = row.answer.split(' ').map(Number);
    const theirs = local.get(row.input)!.split(' ').map(Number);
    assert.equal(theirs.length, 2);
    ours.forEach((v, i) =>
      assert.ok(Math.abs(v - theirs[i]) <= 1e-5 * Math.max(1, Math.abs(v)), `${row.input}: ${row.answer} vs ${local.get(row.input)}`),
    );
  }
});

test('a script that feeds the wrong shape fails in the stand-in as onnxruntime fails: the stand-in checks feeds', async () => {
  const model = path.join(DIGITS, 'model/digits.onnx');
  const images = readdirSync(path.join(DIGITS, 'data/images'))
    .sort()
    .slice(0, 4)
    .map((f) => path.join(DIGITS, 'data/images', f));
  const p = project(model, images, imagePlan(model), '2');
  const script = path.join(p.dir, 'score.py');
  writeFileSync(script, readFileSync(script, 'utf8').replace('return pixels.reshape(-1)', 'return pixels'));
  const job = (await loadSpec(path.join(p.dir, 'score.yml'), { cpuCount: 1 })).parallelNodes[0];
  const summary = await runLocal(job, { runDir: path.join(p.dir, 'run'), env: pythonEnv() });
  assert.notEqual(summary.status, 'Completed');
  const logs = readdirSync(summary.logsDir, { recursive: true }).map(String);
  const text = logs
    .filter((f) => f.endsWith('.txt') || f.endsWith('.log'))
    .map((f) => {
      try {
        return readFileSync(path.join(summary.logsDir, f), 'utf8');
      } catch {
        return '';
      }
    })
    .join('\n');
  assert.match(text, /Invalid rank for input: pixels Got: 3 Expected: 2/);
});

test('tabular rows: the generated script scores an MLTable in one call per mini-batch, as onnxruntime-node does', async () => {
  const model = path.join(testModels(), 'dynamic_batch.onnx');
  const info = inspectModelFile(model);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'prs-onnx-table-'));
  mkdirSync(path.join(dir, 'model'));
  mkdirSync(path.join(dir, 'table'));
  copyFileSync(model, path.join(dir, 'model', 'dynamic_batch.onnx'));
  copyFileSync(path.join(FIXTURES, 'onnxruntime.py'), path.join(dir, 'onnxruntime.py'));
  // Columns out of the model's order on purpose: FEATURE_COLUMNS puts them back.
  const features = ['f0', 'f1', 'f2', 'f3', 'f4', 'f5'];
  const header = ['id', 'f3', 'f1', 'f0', 'f5', 'f2', 'f4'];
  const rows = Array.from({ length: 40 }, (_, i) => features.map((_f, j) => Math.round(Math.sin(i * 7 + j * 3) * 1000) / 250));
  const csv =
    [header.join(','), ...rows.map((r, i) => [`row${i}`, ...header.slice(1).map((h) => r[features.indexOf(h)])].join(','))].join('\n') +
    '\n';
  writeFileSync(path.join(dir, 'table', 'part.csv'), csv);
  writeFileSync(
    path.join(dir, 'table', 'MLTable'),
    'paths:\n  - pattern: ./*.csv\ntransformations:\n  - read_delimited:\n      header: all_files_same_headers\n',
  );
  const plan: ModelPlan = {
    kind: 'tabular',
    modelFileName: 'dynamic_batch.onnx',
    input: info.inputs[0],
    output: info.outputs[0],
    outputMode: 'classes',
    keyColumn: 'id',
    columns: features,
  };
  const scaffold = modelScaffold({ plan, name: 'score', inputPath: './table', modelFolder: './model', miniBatchSize: '300' });
  writeFileSync(path.join(dir, 'score.py'), scaffold.entryScript);
  writeFileSync(path.join(dir, 'score.yml'), scaffold.spec);
  writeFileSync(path.join(dir, 'conda.yml'), scaffold.conda);
  const spec = path.join(dir, 'score.yml');
  const job = (await loadSpec(spec, { cpuCount: 2 })).parallelNodes[0];
  const summary = await runLocal(job, { runDir: path.join(dir, 'run'), env: pythonEnv() });
  assert.equal(summary.status, 'Completed', JSON.stringify(summary.failures.slice(0, 2)));
  assert.ok(summary.miniBatches.length > 1, 'several mini-batches');
  const lines = readFileSync(summary.outputFile!, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  const local = new Map(lines.map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)] as const));
  assert.equal(local.size, 40);
  const { ort } = loadOnnxRuntime();
  const session = await ort.InferenceSession.create(model);
  const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, 6]) });
  const probs = out.probs.data as Float32Array;
  rows.forEach((_r, i) => {
    const scores = Array.from(probs.subarray(i * 4, i * 4 + 4));
    const best = scores.indexOf(Math.max(...scores));
    const [label, score] = local.get(`row${i}`)!.split(' ');
    assert.equal(label, String(best), `row${i}`);
    assert.ok(Math.abs(Number(score) - scores[best]) <= 1.5e-4, `row${i}: ${score} vs ${scores[best]}`);
  });
  await session.release();
});
