import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeAmlignore } from '../../../src/core/scaffold/amlignore';
import { specText, writeSpec } from '../../../src/core/scaffold/spec-writer';

test('a spec written beside its script (code: .) gets an .amlignore that leaves out runs and data', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'prs-amlignore-'));
  const draft = {
    entryScript: path.join(dir, 'score.py'),
    specFile: path.join(dir, 'pipeline.yml'),
    input: { type: 'uri_folder' as const, path: path.join(dir, 'data', 'images') },
    miniBatchSize: '10',
    processes: 2,
  };
  assert.match(specText(draft), /code: \.\n/);
  await writeSpec(draft);
  const lines = readFileSync(path.join(dir, '.amlignore'), 'utf8').split('\n');
  assert.ok(lines.includes('.parallel-run/'));
  assert.ok(lines.includes('data/images/'));
});

test('an existing .amlignore keeps its lines and gets only what it lacks', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'prs-amlignore-'));
  writeFileSync(path.join(dir, '.amlignore'), 'secrets.txt\n.parallel-run\n');
  await writeAmlignore(dir, ['./model', '/elsewhere/data']);
  const text = readFileSync(path.join(dir, '.amlignore'), 'utf8');
  assert.equal(text, 'secrets.txt\n.parallel-run\n__pycache__/\n.venv/\nmodel/\n');
});

test('a script in its own folder (code: ./src) writes no .amlignore', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'prs-amlignore-'));
  await writeSpec({
    entryScript: path.join(dir, 'src', 'score.py'),
    specFile: path.join(dir, 'pipeline.yml'),
    input: { type: 'uri_folder', path: path.join(dir, 'data') },
    miniBatchSize: '10',
    processes: 1,
  });
  assert.throws(() => readFileSync(path.join(dir, '.amlignore')));
});
