import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { partitionByFolderKeys, partitionFiles, planMiniBatches } from '../../../src/core/local/partition';
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
  assert.deepEqual(batches.map((b) => b.index), [0, 1, 2, 3]);
  assert.deepEqual(batches.map((b) => b.items), [3, 3, 3, 1]);
  assert.deepEqual(batches.flatMap(filesOf), order);
  assert.deepEqual(batches.map((b) => b.bytes), [1 + 2 + 3, 4 + 5 + 6, 7 + 8 + 9, 10]);
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
  assert.deepEqual(items.map((b) => b.items), [3, 1]);
  assert.deepEqual(items.flatMap(filesOf), order.slice(0, 4));
  const given = [order[7], order[2], order[5]];
  const files = await planMiniBatches(job, { ...planOptions(tempDir()), sample: { files: given } });
  assert.deepEqual(files.flatMap(filesOf), given, 'the order given is kept');
  assert.deepEqual(files.map((b) => b.index), [0]);
  const both = await planMiniBatches(makeJob(filesInput(root), { miniBatchSize: 1 }), { ...planOptions(tempDir()), sample: { items: 5, miniBatches: 2 } });
  assert.equal(both.length, 2);
  const outside = tempDir();
  writeTree(outside, { 'x.txt': 'x' });
  await assert.rejects(
    planMiniBatches(job, { ...planOptions(tempDir()), sample: { files: [path.join(outside, 'x.txt')] } }),
    /not inside the input/,
  );
  await assert.rejects(planMiniBatches(job, { ...planOptions(tempDir()), sample: { files: [path.join(root, 'nope')] } }), /does not exist/);
});

test('files: partition_keys group by the first K folder levels, in order of first appearance', async () => {
  const root = tempDir();
  writeTree(root, {
    'S2/x/1.csv': '1',
    'S1/y/1.csv': '22',
    'S1/x/1.csv': '333',
    'S1/x/2.csv': '4444',
    'S1/x/deeper/3.csv': '55555',
    'S2/x/0.csv': '666666',
  });
  const job = makeJob(filesInput(root), { partitionKeys: ['Store', 'Brand'], miniBatchSize: 1 });
  const batches = await planMiniBatches(job, planOptions(tempDir()));
  assert.deepEqual(
    batches.map((b) => [b.index, b.partitionKeyValue, filesOf(b).map((f) => path.relative(root, f)), b.items, b.bytes]),
    [
      [0, { Store: 'S1', Brand: 'x' }, ['S1/x/1.csv', 'S1/x/2.csv', 'S1/x/deeper/3.csv'], 3, 3 + 4 + 5],
      [1, { Store: 'S1', Brand: 'y' }, ['S1/y/1.csv'], 1, 2],
      [2, { Store: 'S2', Brand: 'x' }, ['S2/x/0.csv', 'S2/x/1.csv'], 2, 6 + 1],
    ],
  );
  const sampled = await planMiniBatches(job, { ...planOptions(tempDir()), sample: { miniBatches: 1 } });
  assert.equal(sampled.length, 1);
  assert.equal(sampled[0].items, 3);
});

test('files: partition_keys with a file above the key folders is an error naming file, keys and layout', async () => {
  const root = tempDir();
  writeTree(root, { 'S1/x/1.csv': '1', 'S1/stray.csv': '2' });
  const job = makeJob(filesInput(root), { partitionKeys: ['Store', 'Brand'] });
  await assert.rejects(planMiniBatches(job, planOptions(tempDir())), (err: Error) => {
    assert.match(err.message, /S1\/stray\.csv/);
    assert.match(err.message, /Store, Brand/);
    assert.match(err.message, /\{Store\}\/\{Brand\}\/<file>/);
    return true;
  });
});

test('partitionFiles / partitionByFolderKeys as pure functions', () => {
  const files = ['/r/a/1', '/r/a/2', '/r/b/3'];
  assert.deepEqual(
    partitionFiles(files, 2).map((b) => [b.index, filesOf(b), b.bytes]),
    [
      [0, ['/r/a/1', '/r/a/2'], 0],
      [1, ['/r/b/3'], 0],
    ],
  );
  assert.deepEqual(partitionFiles(files, 0).length, 3, 'mini_batch_size below 1 means 1');
  const byKey = partitionByFolderKeys('/r', files, ['k'], [1, 2, 3]);
  assert.deepEqual(byKey.map((b) => [b.partitionKeyValue.k, b.items, b.bytes]), [
    ['a', 2, 3],
    ['b', 1, 3],
  ]);
});

test('files: abort', async () => {
  const { root } = tenFiles();
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(planMiniBatches(makeJob(filesInput(root)), { ...planOptions(tempDir()), signal: ac.signal }), { name: 'AbortError' });
});
