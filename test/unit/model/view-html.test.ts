import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { ModelInfo, PreviewResult } from '../../../src/core/scaffold/onnx';
import { MODEL_COMMAND } from '../../../src/vscode/model/ids';
import { renderModelView } from '../../../src/vscode/model/view-html';

const INFO: ModelInfo = {
  file: '/w/model/<evil>.onnx',
  sizeBytes: 10110,
  irVersion: 8,
  opsets: { '': 13, 'ai.onnx.ml': 3 },
  producer: 'x" onload="alert(1)',
  producerVersion: '',
  graphName: 'g',
  docString: '<img src=x onerror=alert(1)>',
  inputs: [{ name: '<script>alert(1)</script>', elementType: 'float32', shape: ['batch', 64] }],
  outputs: [{ name: 'probabilities', elementType: 'float32', shape: ['batch', 10] }],
};

const PREVIEW: PreviewResult = {
  rows: [
    {
      input: 'digit_0024_label4.png',
      answer: '4 0.9988',
      label: '4',
      score: 0.9988,
      top: [
        { label: '4', score: 0.9988 },
        { label: '9', score: 0.001 },
      ],
    },
    { input: 'digit_0037_label9.png', answer: '5 0.9926', label: '5', score: 0.9926, top: [{ label: '5', score: 0.9926 }] },
  ],
  timings: { loadRuntimeMs: 31, sessionCreateMs: 8.25, preprocessMs: 3, runMs: 0.5 },
  batchSize: 2,
};

function render(preview = false): string {
  return renderModelView({
    nonce: 'abc123',
    info: INFO,
    preview: preview ? { result: PREVIEW, folder: 'data/images', labelsFromNames: true } : undefined,
    generateHref: `command:${MODEL_COMMAND.newEntryScriptFromModel}?x`,
    previewHref: `command:${MODEL_COMMAND.previewModel}?x`,
  });
}

test('the model view runs no script: a CSP without script-src, no <script> element, every value escaped', () => {
  const html = render(true);
  assert.match(html, /content="default-src 'none'; style-src 'nonce-abc123'"/);
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /<img/i);
  assert.doesNotMatch(html, /onload="/);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(html, /<style nonce="abc123">/);
});

test('the inspection shows names, types, shapes with their symbolic dimensions, opsets and size', () => {
  const html = render();
  assert.match(html, /<code>\[batch, 64\]<\/code> <span class="note">batch: any size<\/span>/);
  assert.match(html, /<td><code>probabilities<\/code><\/td><td>float32<\/td>/);
  assert.match(html, /10 KB · IR version 8 · opset ai.onnx 13, ai.onnx.ml 3/);
  const links = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
  assert.deepEqual(links, [`command:${MODEL_COMMAND.newEntryScriptFromModel}?x`, `command:${MODEL_COMMAND.previewModel}?x`]);
});

test('the preview table: top class, score, the runners-up, agreement with the label in the file name, timings', () => {
  const html = render(true);
  assert.match(html, /<h2>Preview on 2 inputs of data\/images<\/h2>/);
  assert.match(html, /<tr><td><code>digit_0024_label4.png<\/code><\/td><td class="agree">4<\/td><td>0.9988<\/td><td>9 0.001<\/td><\/tr>/);
  assert.match(html, /<td class="disagree">5<\/td>/);
  assert.match(html, /session created in 8.3 ms, 2 inputs prepared in 3.0 ms, scored in 0.5 ms \(onnxruntime loaded in 31 ms\)/);
});

test('package.json contributes every model command, with explorer entries for .onnx files', () => {
  const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../../../package.json'), 'utf8'));
  const ids = new Set(pkg.contributes.commands.map((c: { command: string }) => c.command));
  for (const id of Object.values(MODEL_COMMAND)) {
    assert.ok(ids.has(id), `${id} is not contributed`);
    assert.ok(
      pkg.contributes.menus['explorer/context'].some(
        (m: { command: string; when: string }) => m.command === id && m.when.includes('resourceExtname == .onnx'),
      ),
      `${id} is not in the explorer menu of .onnx files`,
    );
  }
});
