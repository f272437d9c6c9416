import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { checkSpecText } from '../../../src/core/spec';
import { modelScaffold } from '../../../src/core/scaffold/onnx/generate';
import { inspectModelFile } from '../../../src/core/scaffold/onnx/inspect';
import { planProblems, suggestImage, suggestOutputMode, type ModelPlan } from '../../../src/core/scaffold/onnx/plan';
import { pythonSyntaxError } from '../scaffold/python';
import { testModels } from './models';

const digits = () => inspectModelFile(path.resolve(__dirname, '../../../../samples/digits/model/digits.onnx'));

function digitsPlan(over: Partial<ModelPlan> = {}): ModelPlan {
  const info = digits();
  return {
    kind: 'images',
    modelFileName: 'digits.onnx',
    input: info.inputs[0],
    output: info.outputs[0],
    outputMode: 'classes',
    image: suggestImage(info.inputs[0]),
    ...over,
  };
}

test('what the model says is suggested: 8x8 grayscale from [batch, 64], per-class scores from [batch, 10]', () => {
  const info = digits();
  assert.deepEqual(suggestImage(info.inputs[0]), { scale: 255, layout: 'flat', channels: 1, width: 8, height: 8 });
  assert.equal(suggestOutputMode(info.outputs[0]), 'classes');
  const nchw = inspectModelFile(path.join(testModels(), 'fixed_nchw.onnx'));
  assert.deepEqual(suggestImage(nchw.inputs[0]), { scale: 255, layout: 'nchw', channels: 3, width: 4, height: 5 });
  const nhwc = inspectModelFile(path.join(testModels(), 'nhwc_f64.onnx'));
  assert.deepEqual(suggestImage(nhwc.inputs[0]), { scale: 255, layout: 'nhwc', channels: 1, width: 6, height: 6 });
  const multi = inspectModelFile(path.join(testModels(), 'multi_input.onnx'));
  assert.equal(suggestOutputMode(multi.outputs[1]), 'label');
});

test('the script uses the real tensor names, one session call per mini-batch, one keyed row per input', () => {
  const { entryScript } = modelScaffold({ plan: digitsPlan(), name: 'score_digits', inputPath: './data/images', modelFolder: './model' });
  for (const part of [
    'INPUT_NAME = "pixels"',
    'OUTPUT_NAME = "probabilities"',
    'IMAGE_SIZE = (8, 8)',
    'IMAGE_MODE = "L"',
    'g_session.run([OUTPUT_NAME], {INPUT_NAME: batch})',
    'os.path.basename(path)',
    'parse_known_args()',
    'MODEL_FILE_NAME = "digits.onnx"',
  ]) {
    assert.ok(entryScript.includes(part), `the script lacks ${part}`);
  }
  assert.doesNotMatch(entryScript, /one call per item/);
});

for (const kind of ['images', 'tabular', 'arrays'] as const) {
  for (const outputMode of ['classes', 'label', 'raw'] as const) {
    test(`the ${kind} script with ${outputMode} output is valid Python, its spec reads without errors`, () => {
      const plan = digitsPlan({
        kind,
        outputMode,
        keyColumn: 'id',
        columns: kind === 'tabular' ? ['a', 'b'] : undefined,
        classNames: ['zero', "o'ne"],
      });
      const s = modelScaffold({ plan, name: 'score', inputPath: kind === 'tabular' ? './table' : './data', modelFolder: './model' });
      assert.equal(pythonSyntaxError(s.entryScript), undefined);
      const dir = mkdtempSync(path.join(os.tmpdir(), 'prs-onnx-gen-'));
      for (const f of ['data', 'model', 'table']) mkdirSync(path.join(dir, f));
      writeFileSync(path.join(dir, 'table', 'MLTable'), 'paths:\n  - pattern: ./*.csv\ntransformations:\n  - read_delimited: {}\n');
      writeFileSync(path.join(dir, 'table', 'a.csv'), 'id,a,b\n1,2,3\n');
      writeFileSync(path.join(dir, 'score.py'), s.entryScript);
      const check = checkSpecText(s.spec, path.join(dir, 'score.yml'));
      assert.deepEqual(
        check.diagnostics.filter((d) => d.severity === 'error'),
        [],
      );
      const yaml = parse(s.spec);
      const node = yaml.jobs.score;
      assert.deepEqual(node.task.environment, {
        image: 'mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest',
        conda_file: './conda.yml',
      });
      assert.match(node.task.program_arguments, /--model \$\{\{inputs\.model\}\}/);
      assert.equal(yaml.inputs.model.path, './model');
    });
  }
}

test('the conda file pins every package the script imports, and the driver packages', () => {
  const conda = parse(modelScaffold({ plan: digitsPlan(), name: 's', inputPath: './d', modelFolder: './m' }).conda);
  const pip: string[] = conda.dependencies.find((d: unknown) => typeof d === 'object').pip;
  for (const p of ['onnxruntime', 'numpy', 'pillow', 'azureml-core', 'azureml-dataset-runtime[fuse]']) {
    assert.ok(
      pip.some((x) => x.startsWith(`${p}==`)),
      `${p} is not pinned in ${pip.join(', ')}`,
    );
  }
  assert.ok(conda.dependencies.includes('python=3.10'));
  const tabular = parse(modelScaffold({ plan: digitsPlan({ kind: 'tabular' }), name: 's', inputPath: './d', modelFolder: './m' }).conda);
  const tabPip: string[] = tabular.dependencies.find((d: unknown) => typeof d === 'object').pip;
  assert.ok(
    tabPip.some((x) => x.startsWith('pandas==')) &&
      tabPip.some((x) => x.startsWith('mltable==')) &&
      !tabPip.some((x) => x.startsWith('pillow')),
  );
});

test('plans that cannot work are refused with the reason and the fix', () => {
  const info = digits();
  assert.deepEqual(planProblems(info, digitsPlan()), []);
  const wrongSize = planProblems(info, digitsPlan({ image: { width: 28, height: 28, channels: 1, layout: 'flat', scale: 255 } }));
  assert.match(wrongSize.join('\n'), /takes items of shape \[64\], but 28x28 grayscale images in the flat layout make \[784\]/);
  const meanCount = planProblems(
    info,
    digitsPlan({ image: { width: 8, height: 8, channels: 1, layout: 'flat', scale: 255, mean: [0.1, 0.2, 0.3], std: [1] } }),
  );
  assert.match(meanCount.join('\n'), /mean has 3 values; the image has 1 channel/);
  const multi = inspectModelFile(path.join(testModels(), 'multi_input.onnx'));
  const p = planProblems(multi, {
    kind: 'arrays',
    modelFileName: 'm.onnx',
    input: multi.inputs[0],
    output: multi.outputs[1],
    outputMode: 'label',
  });
  assert.match(p.join('\n'), /The model has 2 inputs \(a, b\); a generated script feeds one/);
});
