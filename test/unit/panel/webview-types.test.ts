import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

// The page compiles against the DOM under its own tsconfig (the root one, for Node, excludes it), and
// esbuild does not type-check: this is where a type error in the page, or a protocol change the page
// missed, fails the test command.
const root = path.resolve(__dirname, '../../../..');

test('the webview page type-checks against the DOM and the shared protocol', () => {
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-b', path.join(root, 'src', 'webview')], { encoding: 'utf8' });
  assert.equal(r.status, 0, `tsc -b src/webview:\n${r.stdout}${r.stderr}`);
});
