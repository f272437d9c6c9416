import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { partitionByFormat, partitionFiles, planMiniBatches } from '../../../src/core/local/partition';
import type { InputData } from '../../../src/core/spec';
import type { MiniBatch } from '../../../src/core/local/partition';
import { filesInput, makeJob, planOptions, tempDir, writeTree } from './helpers';

function filesOf(b: MiniBatch): string[] {
  assert.equal(b.data.kind, 'files');
  return (b.data as { files: string[] }).files;
}

/** root with f00..f09 (sizes 1..10) spread over nested folders. */
function tenFiles(): { root: string; order: string[] } {
  const root = tempDir();
  const rels = ['a/f00', 'a/f01', 'a/sub/f02', 'b/f03', 'b/f04', 'c/d/e/f05', 'c/f06', 'f07', 'f08', 'g/f09'];
  writeTree(root, Object.fromEntries(rels.map((r, i) => [r, 'x'.repeat(i + 1)])));
  return { root, order: rels.map((r) => path.join(root, r)) };
}

test('files: mini-batches of mini_batch_size files in listing order, items and bytes', async () => {
  const { root, order } = tenFiles();
  const batches = await planMiniBatches(makeJob(filesInput(root), { miniBatchSize: 3 }), planOptions(tempDir()));
  assert.equal(batches.length, 4);
  assert.deepEqual(
    batches.map((b) => b.index),
    [0, 1, 2, 3],
  );
  assert.deepEqual(
    batches.map((b) => b.items),
    [3, 3, 3, 1],
  );
  assert.deepEqual(batches.flatMap(filesOf), order);
  assert.deepEqual(
    batches.map((b) => b.bytes),
    [1 + 2 + 3, 4 + 5 + 6, 7 + 8 + 9, 10],
  );
  assert.deepEqual(batches[0].partitionKeyValue, {});
});

test('files: mini_batch_size larger than the input is one mini-batch; an empty folder none', async () => {
  const { root } = tenFiles();
  const one = await planMiniBatches(makeJob(filesInput(root), { miniBatchSize: 100 }), planOptions(tempDir()));
  assert.equal(one.length, 1);
  assert.equal(one[0].items, 10);
  const empty = tempDir();
  assert.deepEqual(await planMiniBatches(makeJob(filesInput(empty)), planOptions(tempDir())), []);
});

test('files: uri_file is the one file', async () => {
  const root = tempDir();
  writeTree(root, { 'only.png': 'png!', 'other.png': 'no' });
  const file = path.join(root, 'only.png');
  const batches = await planMiniBatches(makeJob(filesInput(file, 'uri_file')), planOptions(tempDir()));
  assert.equal(batches.length, 1);
  assert.deepEqual(filesOf(batches[0]), [file]);
  assert.equal(batches[0].bytes, 4);
  await assert.rejects(planMiniBatches(makeJob(filesInput(root, 'uri_file')), planOptions(tempDir())), /not a file/);
});

test('files: sample miniBatches / items / files', async () => {
  const { root, order } = tenFiles();
  const job = makeJob(filesInput(root), { miniBatchSize: 3 });
  const mb = await planMiniBatches(job, { ...planOptions(tempDir()), sample: { miniBatches: 2 } });
  assert.deepEqual(mb.flatMap(filesOf), order.slice(0, 6));
  const items = await planMiniBatches(job, { ...planOptions(tempDir()), sample: { items: 4 } });
  assert.deepEqual(
    items.map((b) => b.items),
    [3, 1],
  );
  assert.deepEqual(items.flatMap(filesOf), order.slice(0, 4));
  const given = [order[7], order[2], order[5]];
  const files = await planMiniBatches(job, { ...planOptions(tempDir()), sample: { files: given } });
  assert.deepEqual(files.flatMap(filesOf), given, 'the order given is kept');
  assert.deepEqual(
    files.map((b) => b.index),
    [0],
  );
  const both = await planMiniBatches(makeJob(filesInput(root), { miniBatchSize: 1 }), {
    ...planOptions(tempDir()),
    sample: { items: 5, miniBatches: 2 },
  });
  assert.equal(both.length, 2);
  const outside = tempDir();
  writeTree(outside, { 'x.txt': 'x' });
  await assert.rejects(
    planMiniBatches(job, { ...planOptions(tempDir()), sample: { files: [path.join(outside, 'x.txt')] } }),
    /not inside the input/,
  );
  await assert.rejects(planMiniBatches(job, { ...planOptions(tempDir()), sample: { files: [path.join(root, 'nope')] } }), /does not exist/);
});

/** A table of files (an MLTable without a read step) listing every file under `root`, sorted. */
function fileTable(root: string, files: string[], partitionFormat?: string): InputData {
  return {
    kind: 'files',
    inputName: 'input_data',
    type: 'mltable',
    path: root,
    files,
    source: 'MLTable: pattern: ./**',
    ...(partitionFormat ? { partitionFormat } : {}),
  };
}

test('table of files: partition_keys are matched by name in the partition format, in order of first appearance', async () => {
  const root = tempDir();
  const rels = ['S1/x/1.csv', 'S1/x/2.csv', 'S1/y/1.csv', 'S2/x/0.csv', 'S2/x/1.csv'];
  const sizes = [3, 4, 2, 6, 1];
  writeTree(root, Object.fromEntries(rels.map((r, i) => [r, 'x'.repeat(sizes[i])])));
  const files = rels.map((r) => path.join(root, r));
  // The keys are listed in another order than the folders: names decide, not positions.
  const job = makeJob(fileTable(root, files, '{Store}/{Brand}/{file_name}.csv'), { partitionKeys: ['Brand', 'Store'], miniBatchSize: 1 });
  const batches = await planMiniBatches(job, planOptions(tempDir()));
  assert.deepEqual(
    batches.map((b) => [b.index, b.partitionKeyValue, filesOf(b).map((f) => path.relative(root, f)), b.items, b.bytes]),
    [
      [0, { Brand: 'x', Store: 'S1' }, ['S1/x/1.csv', 'S1/x/2.csv'], 2, 3 + 4],
      [1, { Brand: 'y', Store: 'S1' }, ['S1/y/1.csv'], 1, 2],
      [2, { Brand: 'x', Store: 'S2' }, ['S2/x/0.csv', 'S2/x/1.csv'], 2, 6 + 1],
    ],
  );
  const byStore = await planMiniBatches(
    makeJob(fileTable(root, files, '{Store}/{Brand}/{file_name}.csv'), { partitionKeys: ['Store'] }),
    planOptions(tempDir()),
  );
  assert.deepEqual(
    byStore.map((b) => [b.partitionKeyValue, b.items]),
    [
      [{ Store: 'S1' }, 3],
      [{ Store: 'S2' }, 2],
    ],
  );
  const sampled = await planMiniBatches(job, { ...planOptions(tempDir()), sample: { miniBatches: 1 } });
  assert.equal(sampled.length, 1);
  assert.equal(sampled[0].items, 2);
});

test('table of files: the partition format describes the end of each path, so deeper folders shift to the right', () => {
  const batches = partitionByFormat(
    ['/data/out/1000/dominicks/part.csv', '/data/out/x/1001/tropicana/part.csv'],
    '{Store}/{Brand}/{file_name}.{extension}',
    ['Store', 'Brand'],
  );
  assert.deepEqual(
    batches.map((b) => b.partitionKeyValue),
    [
      { Store: '1000', Brand: 'dominicks' },
      { Store: '1001', Brand: 'tropicana' },
    ],
  );
  const dated = partitionByFormat(['/d/2021/03/05/a.csv'], '{day:yyyy/MM/dd}/{name}.csv', ['day']);
  assert.deepEqual(dated[0].partitionKeyValue, { day: '2021-03-05 00:00:00' }, "as a table's datetime key reads");
});

test('table of files: a file that does not fit the partition format is an error naming file and format', async () => {
  const root = tempDir();
  writeTree(root, { 'S1/x/1.csv': '1', 'S1/stray.txt': '2' });
  const files = [path.join(root, 'S1/stray.txt'), path.join(root, 'S1/x/1.csv')];
  const job = makeJob(fileTable(root, files, '{Store}/{Brand}/{file_name}.csv'), { partitionKeys: ['Store', 'Brand'] });
  await assert.rejects(planMiniBatches(job, planOptions(tempDir())), (err: Error) => {
    assert.match(err.message, /S1\/stray\.txt/);
    assert.match(err.message, /\{Store\}\/\{Brand\}\/\{file_name\}\.csv/);
    return true;
  });
});

test('files: partition_keys on a plain folder are an error: folder positions never name keys', async () => {
  const root = tempDir();
  writeTree(root, { 'S1/x/1.csv': '1' });
  await assert.rejects(
    planMiniBatches(makeJob(filesInput(root), { partitionKeys: ['Store'] }), planOptions(tempDir())),
    /no partition format.*extract_columns_from_partition_format/s,
  );
});

test('table of files: mini_batch_size counts the listed files, in the MLTable order', async () => {
  const { root, order } = tenFiles();
  const listed = [order[9], order[0], order[4]];
  const batches = await planMiniBatches(makeJob(fileTable(root, listed), { miniBatchSize: 2 }), planOptions(tempDir()));
  assert.deepEqual(
    batches.map((b) => [filesOf(b), b.bytes]),
    [
      [[order[9], order[0]], 10 + 1],
      [[order[4]], 5],
    ],
  );
  await assert.rejects(
    planMiniBatches(makeJob(fileTable(root, listed)), { ...planOptions(tempDir()), sample: { files: [order[1]] } }),
    /not one of the files/,
  );
});

test('partitionFiles / partitionByFormat as pure functions', () => {
  const files = ['/r/a/1', '/r/a/2', '/r/b/3'];
  assert.deepEqual(
    partitionFiles(files, 2).map((b) => [b.index, filesOf(b), b.bytes]),
    [
      [0, ['/r/a/1', '/r/a/2'], 0],
      [1, ['/r/b/3'], 0],
    ],
  );
  assert.deepEqual(partitionFiles(files, 0).length, 3, 'mini_batch_size below 1 means 1');
  const byKey = partitionByFormat(files, '{k}/{n}', ['k'], [1, 2, 3]);
  assert.deepEqual(
    byKey.map((b) => [b.partitionKeyValue.k, b.items, b.bytes]),
    [
      ['a', 2, 3],
      ['b', 1, 3],
    ],
  );
  assert.throws(() => partitionByFormat(files, '{k}/{n}', ['Store']), /Store.*not in the partition format "\{k\}\/\{n\}"/);
});

test('files: abort', async () => {
  const { root } = tenFiles();
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(planMiniBatches(makeJob(filesInput(root)), { ...planOptions(tempDir()), signal: ac.signal }), {
    name: 'AbortError',
  });
});
