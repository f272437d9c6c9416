// What loading dist/extension.js costs (bench P5): the vscode API copied once, no module loaded before it is needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const dist = path.resolve(__dirname, '../../../../dist');
const bundles = ['extension.js', 'lazy.js', 'azure-tree.js'].map((f) => path.join(dist, f));
const skip = !bundles.every(existsSync) && 'dist/ not built (node esbuild.mjs; scripts/test.mjs does it)';

test('each extension bundle requires vscode once and copies its API once, not once per importing module', { skip }, () => {
  for (const file of bundles) {
    const text = readFileSync(file, 'utf8');
    const requires = text.match(/require\("vscode"\)/g) ?? [];
    assert.ok(
      requires.length <= 1,
      `${path.basename(file)} requires vscode ${requires.length} times (esbuild.mjs's vscode-once plugin is not applied)`,
    );
    assert.ok(!/__toESM\(require\("vscode"\)\)/.test(text), `${path.basename(file)} copies the vscode API per module`);
  }
});

test('activation does not load the socket module: only a debug session needs it', { skip }, () => {
  const text = readFileSync(bundles[0], 'utf8');
  const topLevel = text.split('\n').filter((l) => /^var \w+ = (__toESM\()?require\("(node:)?(net|child_process|http|https)"\)/.test(l));
  assert.deepEqual(topLevel, []);
});
