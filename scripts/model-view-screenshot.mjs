// Screenshot of the model view (inspection + preview table) on the digits sample, as VS Code's Dark+ theme
// colours it: docs/media/model-view.png. The page is the one the extension shows (renderModelView) with the
// real inspection and a real onnxruntime-node preview; only the theme variables VS Code injects are added.
// Usage: node scripts/model-view-screenshot.mjs   (after `npx tsc -b .`; needs chromium and playwright-core)
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { root } from './python-env.mjs';

const require = createRequire(import.meta.url);
const onnx = require(path.join(root, 'out/src/core/scaffold/onnx/index.js'));
const { renderModelView } = require(path.join(root, 'out/src/vscode/model/view-html.js'));

const model = path.join(root, 'samples/digits/model/digits.onnx');
const info = onnx.inspectModelFile(model);
const plan = {
  kind: 'images',
  modelFileName: 'digits.onnx',
  input: info.inputs[0],
  output: info.outputs[0],
  outputMode: 'classes',
  image: onnx.suggestImage(info.inputs[0]),
};
const images = path.join(root, 'samples/digits/data/images');
const files = readdirSync(images)
  .sort()
  .slice(0, 10)
  .map((f) => path.join(images, f));
const result = await onnx.previewModel(model, plan, files);
const html = renderModelView({
  nonce: 'n',
  info,
  preview: { result, folder: 'data/images', labelsFromNames: true },
  generateHref: '#',
  previewHref: '#',
});
const theme = `<style nonce="n">:root { --vscode-font-family: system-ui, sans-serif; --vscode-font-size: 13px; --vscode-editor-font-family: monospace;
  --vscode-foreground: #cccccc; --vscode-editor-background: #1e1e1e; --vscode-descriptionForeground: #9d9d9d;
  --vscode-textLink-foreground: #3794ff; --vscode-editorWidget-border: #454545; --vscode-testing-iconPassed: #73c991; --vscode-testing-iconFailed: #f14c4c; }</style>`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: 900, height: 760 } });
await page.setContent(html.replace('</head>', `${theme}</head>`));
mkdirSync(path.join(root, 'docs/media'), { recursive: true });
await page.screenshot({ path: path.join(root, 'docs/media/model-view.png'), fullPage: true });
await browser.close();
console.log('wrote docs/media/model-view.png');
