import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { formatShape, inspectModel, inspectModelFile, ModelFileError } from '../../../src/core/scaffold/onnx/inspect';
import { loadOnnxRuntime } from '../../../src/core/scaffold/onnx/preview';
import { testModels } from './models';

const SAMPLE = path.resolve(__dirname, '../../../../samples/digits/model/digits.onnx');

test('a dynamic batch: the symbolic dimension keeps its name', () => {
  const info = inspectModelFile(path.join(testModels(), 'dynamic_batch.onnx'));
  assert.deepEqual(info.inputs, [{ name: 'x', elementType: 'float32', shape: ['N', 6] }]);
  assert.deepEqual(info.outputs, [{ name: 'probs', elementType: 'float32', shape: ['N', 4] }]);
  assert.deepEqual(info.opsets, { '': 13 });
  assert.equal(info.irVersion, 8);
  assert.equal(info.producer, 'parallel-run tests');
  assert.equal(formatShape(info.inputs[0].shape), '[N, 6]');
});

test('several inputs and outputs, in the model order, with an int64 output', () => {
  const info = inspectModelFile(path.join(testModels(), 'multi_input.onnx'));
  assert.deepEqual(
    info.inputs.map((i) => `${i.name} ${i.elementType} ${formatShape(i.shape)}`),
    ['a float32 [batch, 3]', 'b float32 [batch, 3]'],
  );
  assert.deepEqual(
    info.outputs.map((i) => `${i.name} ${i.elementType} ${formatShape(i.shape)}`),
    ['sum float32 [batch, 3]', 'label int64 [batch]'],
  );
});

test('fixed shapes, float64 and another opset', () => {
  assert.deepEqual(inspectModelFile(path.join(testModels(), 'fixed_nchw.onnx')).inputs[0].shape, [1, 3, 5, 4]);
  const f64 = inspectModelFile(path.join(testModels(), 'nhwc_f64.onnx'));
  assert.deepEqual(f64.inputs, [{ name: 'image', elementType: 'float64', shape: ['n', 6, 6, 1] }]);
  assert.deepEqual(f64.opsets, { '': 11 });
});

test('IR 3: a weight also listed as a graph input is not an input; a dimension without value or name is "?"', () => {
  const info = inspectModelFile(path.join(testModels(), 'old_ir.onnx'));
  assert.equal(info.irVersion, 3);
  assert.deepEqual(info.inputs, [{ name: 'x', elementType: 'float32', shape: ['?', 5] }]);
});

test('inspection agrees with what onnxruntime-node reads from the same files', async () => {
  const { ort } = loadOnnxRuntime();
  for (const file of ['dynamic_batch.onnx', 'multi_input.onnx', 'fixed_nchw.onnx', 'nhwc_f64.onnx', 'old_ir.onnx']
    .map((f) => path.join(testModels(), f))
    .concat(SAMPLE)) {
    const info = inspectModelFile(file);
    const session = await ort.InferenceSession.create(file);
    type Meta = { name: string; isTensor: boolean; type?: string; shape?: (number | string)[] };
    const fromOrt = (m: readonly unknown[]) =>
      (m as Meta[]).map((v) => ({ name: v.name, elementType: v.type, shape: v.shape?.map((d) => (d === '' ? '?' : d)) }));
    assert.deepEqual(info.inputs, fromOrt(session.inputMetadata), file);
    assert.deepEqual(info.outputs, fromOrt(session.outputMetadata), file);
    await session.release();
  }
});

test('the digits sample model: pixels [batch, 64] -> probabilities [batch, 10]', () => {
  const info = inspectModelFile(SAMPLE);
  assert.deepEqual(info.inputs, [{ name: 'pixels', elementType: 'float32', shape: ['batch', 64] }]);
  assert.deepEqual(info.outputs, [{ name: 'probabilities', elementType: 'float32', shape: ['batch', 10] }]);
  assert.equal(info.sizeBytes, readFileSync(SAMPLE).length);
});

test('bad files: truncated, empty, a Git LFS pointer, not protobuf, protobuf that is not a model', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'prs-onnx-bad-'));
  const whole = readFileSync(path.join(testModels(), 'fixed_nchw.onnx'));
  const cases: [string, Uint8Array, RegExp][] = [
    [
      'truncated.onnx',
      whole.subarray(0, whole.length - 50),
      /truncated.onnx is truncated \(a \d+-byte field runs past the end, after 914 bytes\)\. Export it again/,
    ],
    ['empty.onnx', new Uint8Array(0), /empty.onnx is empty, not an ONNX model/],
    [
      'lfs.onnx',
      Buffer.from('version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 12\n'),
      /lfs.onnx is a Git LFS pointer.*git lfs pull/,
    ],
    ['text.onnx', Buffer.from('{"not": "a model"}'), /text.onnx (is not an ONNX model|is truncated)/],
    ['other.onnx', Buffer.from([0x08, 0x01]), /other.onnx is not an ONNX model \(no graph\)/],
  ];
  for (const [name, bytes, message] of cases) {
    const file = path.join(dir, name);
    writeFileSync(file, bytes);
    assert.throws(
      () => inspectModelFile(file),
      (e: Error) => e instanceof ModelFileError && message.test(e.message),
      name,
    );
  }
  assert.throws(() => inspectModelFile(path.join(dir, 'missing.onnx')), /missing.onnx: cannot read the model/);
  // Cut anywhere inside the graph: an error, never a wrong answer.
  for (let cut = 1; cut < whole.length; cut += 37) {
    assert.throws(() => inspectModel(whole.subarray(0, cut), 'cut.onnx'), ModelFileError, `cut at ${cut}`);
  }
});
