import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { onnxEntryScript } from '../../../src/core/scaffold/onnx/entry-script';
import { imageFeatures } from '../../../src/core/scaffold/onnx/features';
import type { ImagePreprocessing, ModelPlan } from '../../../src/core/scaffold/onnx/plan';
import { itemShape } from '../../../src/core/scaffold/onnx/plan';
import { FIXTURES, runPython } from './models';

let images: string[] | undefined;
function testImages(): string[] {
  if (images) return images;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'prs-onnx-images-'));
  runPython([path.join(FIXTURES, 'make_images.py'), dir, '12']);
  images = readdirSync(dir)
    .sort()
    .map((f) => path.join(dir, f));
  return images;
}

function plan(image: ImagePreprocessing, elementType = 'float32'): ModelPlan {
  return {
    kind: 'images',
    modelFileName: 'm.onnx',
    input: { name: 'image', elementType, shape: ['batch', ...itemShape(image)] },
    output: { name: 'scores', elementType: 'float32', shape: ['batch', 3] },
    outputMode: 'classes',
    image,
  };
}

const PLANS: [string, ImagePreprocessing, string][] = [
  ['grayscale 8x8 flat, 0..1 (the digits model)', { width: 8, height: 8, channels: 1, layout: 'flat', scale: 255 }, 'float32'],
  [
    'RGB 5x4 NCHW with ImageNet mean/std',
    { width: 4, height: 5, channels: 3, layout: 'nchw', scale: 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
    'float32',
  ],
  ['RGB 33x17 NHWC upscaled, 0..255', { width: 33, height: 17, channels: 3, layout: 'nhwc', scale: 1 }, 'float32'],
  [
    'grayscale 6x6 NHW float64 with mean/std',
    { width: 6, height: 6, channels: 1, layout: 'nhw', scale: 255, mean: [0.5], std: [0.25] },
    'float64',
  ],
];

for (const [name, image, dtype] of PLANS) {
  test(`the preview prepares each image exactly as the generated script's preprocess(): ${name}`, () => {
    const p = plan(image, dtype);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'prs-onnx-script-'));
    const script = path.join(dir, 'score.py');
    writeFileSync(script, onnxEntryScript(p, 'score'));
    const fromPython = JSON.parse(runPython([path.join(FIXTURES, 'preprocess_with_script.py'), script, ...testImages()])) as {
      shape: number[];
      dtype: string;
      values: number[];
    }[];
    testImages().forEach((file, i) => {
      const ours = imageFeatures(file, p);
      assert.deepEqual(fromPython[i].shape, itemShape(image), path.basename(file));
      assert.equal(fromPython[i].dtype, dtype, path.basename(file));
      assert.equal(ours.constructor, dtype === 'float32' ? Float32Array : Float64Array);
      // Bit for bit: the same Pillow resampling and the same float rounding.
      assert.deepEqual(Array.from(ours), fromPython[i].values, path.basename(file));
    });
  });
}

test('the preview refuses a file that is not a PNG and names it', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'prs-onnx-notpng-'));
  const file = path.join(dir, 'photo.jpg');
  writeFileSync(file, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]));
  assert.throws(() => imageFeatures(file, plan(PLANS[0][1])), /photo.jpg is not a PNG file: the model preview reads PNG images/);
});
