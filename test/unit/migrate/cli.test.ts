/** `parallel-run migrate` on the command line: what it writes, and exit 2 with the reason for bad input. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const CLI = path.join(ROOT, 'out', 'src', 'cli.js');
const TUTORIAL = path.join(ROOT, 'test', 'fixtures', 'migrate', 'tutorial-2020.ipynb');

function cli(args: string[], cwd: string) {
  return spawnSync(process.execPath, [CLI, 'migrate', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, PYENV_VERSION: process.env.PYENV_VERSION ?? 'system' },
  });
}

test('migrate writes the spec, the report and the conda file into --out and says what is left by hand', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'migrate-cli-'));
  const r = cli([TUTORIAL, '--out', 'v2'], dir);
  assert.equal(r.status, 0, r.stderr);
  for (const f of ['pipeline.yml', 'pipeline.migration.md', 'predict_digits_mnist_conda.yml', 'src/digit_identification.py'])
    assert.ok(existsSync(path.join(dir, 'v2', f)), f);
  assert.match(r.stdout, /0 setting\(s\) and 1 entry-script change\(s\) to do by hand: see v2\/pipeline\.migration\.md/);
  const again = cli([TUTORIAL, '--out', 'v2'], dir);
  assert.equal(again.status, 2);
  assert.match(again.stderr, /already exist\(s\): choose another --out folder, or add --force to replace/);
  assert.equal(cli([TUTORIAL, '--out', 'v2', '--force'], dir).status, 0);
});

test('migrate refuses a file that is not Python or a notebook, and one without v1 steps, with exit 2', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'migrate-cli-'));
  writeFileSync(path.join(dir, 'spec.yml'), 'a: 1\n');
  writeFileSync(path.join(dir, 'plain.py'), 'print("hi")\n');
  const yml = cli(['spec.yml'], dir);
  assert.equal(yml.status, 2);
  assert.match(yml.stderr, /migrate reads a \.py file or a \.ipynb notebook/);
  const plain = cli(['plain.py'], dir);
  assert.equal(plain.status, 2);
  assert.match(plain.stderr, /no ParallelRunStep\(\.\.\.\) or PythonScriptStep\(\.\.\.\) call found/);
  assert.equal(cli(['missing.py'], dir).status, 2);
});
