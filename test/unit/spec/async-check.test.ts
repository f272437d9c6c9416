/**
 * checkSpecTextAsync: the editor's check lists folders only through the (asynchronous, cancellable) engine
 * lister, and finds what the synchronous reader finds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { checkSpecText, checkSpecTextAsync, loadSpec } from '../../../src/core/spec';
import { writeTree, yaml, tablePipeline } from './fixture';

const MLTABLE_FOLDER = yaml(
  'type: mltable',
  'paths:',
  '  - folder: ./rows',
  'transformations:',
  '  - read_delimited:',
  '      delimiter: ","',
);

function rulesOf(check: { diagnostics: { rule: string; location: { line: number; column: number } }[] }): string[] {
  return check.diagnostics.map((d) => `${d.rule}@${d.location.line}:${d.location.column}`);
}

test('checkSpecTextAsync finds what checkSpecText finds: mixed formats, no readable files, a clean table', async () => {
  const cases: Record<string, Record<string, string>> = {
    mixed: { 'table/a.csv': 'x', 'table/b.jsonl': 'x' },
    none: { 'table/a.txt': 'x' },
    clean: { 'table/a.csv': 'x', 'table/sub/b.csv': 'y' },
    mltableFolder: { 'table/MLTable': MLTABLE_FOLDER, 'table/rows/1.csv': 'a', 'table/rows/2.csv': 'b' },
    mltableEmptyFolder: { 'table/MLTable': MLTABLE_FOLDER, 'table/rows/': '' },
  };
  for (const [name, files] of Object.entries(cases)) {
    const dir = writeTree({ 'pipeline.yml': tablePipeline('./table'), 'score.py': '', ...files });
    const file = path.join(dir, 'pipeline.yml');
    const sync = checkSpecText(tablePipeline('./table'), file);
    const async = await checkSpecTextAsync(tablePipeline('./table'), file);
    assert.deepEqual(rulesOf(async), rulesOf(sync), name);
    assert.deepEqual(async.spec?.parallelNodes[0].inputData, sync.spec?.parallelNodes[0].inputData, name);
  }
});

test('checkSpecTextAsync lists folders only through its asynchronous lister, never synchronously', async () => {
  // On disk the folder holds one .csv; the injected lister says it holds a .csv and a .jsonl. The finding
  // follows the lister, so the reader itself listed nothing.
  const dir = writeTree({ 'pipeline.yml': tablePipeline('./table'), 'score.py': '', 'table/a.csv': 'x' });
  const asked: string[] = [];
  const check = await checkSpecTextAsync(tablePipeline('./table'), path.join(dir, 'pipeline.yml'), {
    listFolder: async (folder) => {
      asked.push(folder);
      return ['a.csv', 'b.jsonl'];
    },
  });
  assert.deepEqual(asked, [path.join(dir, 'table')]);
  assert.deepEqual(rulesOf(check), ['mltable-mixed-formats@5:11']);
});

test('checkSpecTextAsync: a spec without folders to list is read once, without the lister', async () => {
  const dir = writeTree({ 'pipeline.yml': tablePipeline('./t.csv'), 'score.py': '', 't.csv': 'a\n1\n' });
  const check = await checkSpecTextAsync(tablePipeline('./t.csv'), path.join(dir, 'pipeline.yml'), {
    listFolder: async () => assert.fail('no folder to list'),
  });
  assert.deepEqual(rulesOf(check), []);
});

test('checkSpecTextAsync: aborting while a folder is being listed rejects with AbortError and publishes nothing', async () => {
  const dir = writeTree({ 'pipeline.yml': tablePipeline('./table'), 'score.py': '', 'table/a.csv': 'x' });
  const controller = new AbortController();
  let listerSignal: AbortSignal | undefined;
  let release!: () => void;
  const listing = new Promise<void>((resolve) => (release = resolve));
  const check = checkSpecTextAsync(tablePipeline('./table'), path.join(dir, 'pipeline.yml'), {
    signal: controller.signal,
    listFolder: async (_folder, { signal }) => {
      listerSignal = signal;
      controller.abort(); // the text changed while the folder was listed
      await listing;
      return ['a.csv'];
    },
  });
  release();
  await assert.rejects(check, { name: 'AbortError' });
  assert.equal(listerSignal, controller.signal, 'the lister gets the signal, so it stops reading too');
});

test('checkSpecTextAsync: an aborted signal rejects before anything is read', async () => {
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(
    checkSpecTextAsync(tablePipeline('./table'), '/nowhere/pipeline.yml', {
      signal: controller.signal,
      listFolder: async () => assert.fail('nothing is listed after the abort'),
    }),
    { name: 'AbortError' },
  );
});

test('checkSpecTextAsync: the engine lister stops on abort in the middle of a large folder', async () => {
  const files: Record<string, string> = { 'pipeline.yml': tablePipeline('./table'), 'score.py': '' };
  for (let i = 0; i < 3000; i++) files[`table/f${i}.csv`] = '';
  const dir = writeTree(files);
  const controller = new AbortController();
  const check = checkSpecTextAsync(tablePipeline('./table'), path.join(dir, 'pipeline.yml'), { signal: controller.signal });
  controller.abort();
  await assert.rejects(check, { name: 'AbortError' });
});

test('a folder that cannot be read is reported as the synchronous reader reports it', async () => {
  const dir = writeTree({ 'pipeline.yml': tablePipeline('./table'), 'score.py': '', 'table/a.csv': 'x' });
  const check = await checkSpecTextAsync(tablePipeline('./table'), path.join(dir, 'pipeline.yml'), {
    listFolder: async () => {
      throw new Error('EACCES: permission denied');
    },
  });
  assert.equal(check.spec, undefined);
  assert.deepEqual(
    check.diagnostics.map((d) => d.rule),
    ['internal'],
  );
  assert.match(check.diagnostics[0].message, /EACCES/);
});

test('loadSpec lists with the engine lister: two links to one folder are listed twice, as a run sees them', async () => {
  const dir = writeTree({ 'pipeline.yml': tablePipeline('./table'), 'score.py': '', 'real/b.csv': 'x' });
  fs.mkdirSync(path.join(dir, 'table'));
  fs.symlinkSync(path.join(dir, 'real'), path.join(dir, 'table', 'one'));
  fs.symlinkSync(path.join(dir, 'real'), path.join(dir, 'table', 'two'));
  const spec = await loadSpec(path.join(dir, 'pipeline.yml'));
  const data = spec.parallelNodes[0].inputData;
  assert.deepEqual(data.kind === 'tabular' && data.files, [
    path.join(dir, 'table', 'one', 'b.csv'),
    path.join(dir, 'table', 'two', 'b.csv'),
  ]);
  const sync = checkSpecText(tablePipeline('./table'), path.join(dir, 'pipeline.yml')).spec!.parallelNodes[0].inputData;
  assert.deepEqual(sync, data, 'the synchronous reader follows the same rules');
});
