import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { specFileFor, specText, writeSpec, type SpecDraft } from '../../../src/core/scaffold/spec-writer';
import { loadSpec } from '../../../src/core/spec';
import { findSpecsForEntryScript } from '../../../src/core/workspace/find-spec';
import { writeTree } from '../spec/fixture';

function draftIn(dir: string, overrides: Partial<SpecDraft> = {}): SpecDraft {
  const entryScript = path.join(dir, 'score.py');
  return {
    entryScript,
    specFile: specFileFor(entryScript),
    input: { type: 'uri_folder', path: path.join(dir, 'data') },
    miniBatchSize: '10',
    processes: 3,
    ...overrides,
  };
}

test('writes pipeline.yml beside the script, and loadSpec reads back a node running it over the folder', async () => {
  const dir = writeTree({ 'score.py': 'def run(mini_batch):\n    return mini_batch\n', 'data/a.txt': 'a', 'data/b.txt': 'b' });
  const file = await writeSpec(draftIn(dir));
  assert.equal(file, path.join(dir, 'pipeline.yml'));
  const spec = await loadSpec(file);
  assert.deepEqual(spec.warnings, []);
  const [job] = spec.parallelNodes;
  assert.equal(job.nodeName, 'score');
  assert.equal(job.task.entryScriptPath, path.join(dir, 'score.py'));
  assert.deepEqual(job.inputData, { kind: 'files', inputName: 'data', type: 'uri_folder', path: path.join(dir, 'data') });
  assert.equal(job.miniBatchSize, 10);
  assert.equal(job.maxConcurrencyPerInstance, 3);
  assert.equal(job.instanceCount, 1);
  assert.equal(job.task.appendRowTo, 'results');
  assert.equal(job.driver.appendRowFileName, 'score_outputs.txt');
});

test('a table input becomes an mltable node with a byte-sized mini-batch', async () => {
  const dir = writeTree({ 'score.py': 'def run(df):\n    return df\n', 'rows.csv': 'id,x\n1,2\n' });
  const file = await writeSpec(draftIn(dir, { input: { type: 'mltable', path: path.join(dir, 'rows.csv') }, miniBatchSize: '1mb' }));
  const [job] = (await loadSpec(file)).parallelNodes;
  assert.equal(job.inputData.kind, 'tabular');
  assert.equal(job.miniBatchSize, 1024 * 1024);
  assert.equal(job.miniBatchSizeText, '1mb');
});

test('names the file <stem>-pipeline.yml when pipeline.yml is taken, and never overwrites a spec', async () => {
  const dir = writeTree({ 'score.py': 'def run(mb):\n    return mb\n', 'pipeline.yml': 'type: pipeline\n', 'data/a.txt': 'a' });
  const draft = draftIn(dir);
  assert.equal(draft.specFile, path.join(dir, 'score-pipeline.yml'));
  await writeSpec(draft);
  await assert.rejects(writeSpec(draft), /EEXIST/);
  assert.equal(fs.readFileSync(path.join(dir, 'pipeline.yml'), 'utf8'), 'type: pipeline\n');
});

test('quotes paths that YAML would misread, and the spec still loads', async () => {
  const dir = writeTree({ 'my score.py': 'def run(mb):\n    return mb\n', 'input: files/a.txt': 'a' });
  const entryScript = path.join(dir, 'my score.py');
  const text = specText({
    entryScript,
    specFile: path.join(dir, 'pipeline.yml'),
    input: { type: 'uri_folder', path: path.join(dir, 'input: files') },
    miniBatchSize: '1',
    processes: 1,
  });
  assert.match(text, /path: "\.\/input: files"/);
  assert.match(text, /^ {2}my_score:$/m);
  fs.writeFileSync(path.join(dir, 'pipeline.yml'), text);
  const [job] = (await loadSpec(path.join(dir, 'pipeline.yml'))).parallelNodes;
  assert.equal(job.task.entryScriptPath, entryScript);
});

test('the written spec is the one found for its entry script', async () => {
  const dir = writeTree({ 'score.py': 'def run(mini_batch):\n    return mini_batch\n', 'data/a.txt': 'a' });
  const file = await writeSpec(draftIn(dir));
  assert.deepEqual(await findSpecsForEntryScript(path.join(dir, 'score.py'), dir), [{ specFile: file, nodeName: 'score' }]);
});
