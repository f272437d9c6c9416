import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { createFreshFolder, ignoreRunsRoot, occupiedRunFolder } from '../../../src/core/pipeline/run-folder';

const tmp = (): string => mkdtempSync(path.join(os.tmpdir(), 'run-folder-'));

test('two runs started in the same second get two folders', () => {
  const base = path.join(tmp(), '.parallel-run', 'runs', 'p-20261201-101010');
  const first = createFreshFolder(base);
  const second = createFreshFolder(base);
  assert.equal(first, base);
  assert.equal(second, `${base}-2`);
});

test('--out that already holds a run is refused with a folder that is free', () => {
  const dir = tmp();
  assert.equal(occupiedRunFolder(path.join(dir, 'new')), undefined);
  mkdirSync(path.join(dir, 'empty'));
  assert.equal(occupiedRunFolder(path.join(dir, 'empty')), undefined);
  mkdirSync(path.join(dir, 'run', 'logs'), { recursive: true });
  writeFileSync(path.join(dir, 'run', 'summary.json'), '{}');
  const message = occupiedRunFolder(path.join(dir, 'run'));
  assert.match(message ?? '', /already holds a run/);
  assert.match(message ?? '', new RegExp(`--out ${path.join(dir, 'run')}-2`));
});

test('the .parallel-run folder gets a .gitignore that ignores everything in it', () => {
  const dir = tmp();
  ignoreRunsRoot(path.join(dir, '.parallel-run', 'runs', 'x'));
  const file = path.join(dir, '.parallel-run', '.gitignore');
  assert.match(readFileSync(file, 'utf8'), /^\*$/m);
  ignoreRunsRoot(path.join(dir, 'elsewhere', 'x'));
  assert.equal(existsSync(path.join(dir, 'elsewhere', '.gitignore')), false);
});
