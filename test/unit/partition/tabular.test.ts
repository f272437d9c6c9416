import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { planMiniBatches, splitJsonLinesFile } from '../../../src/core/local/partition';
import type { MiniBatch } from '../../../src/core/local/partition';
import { makeJob, planOptions, rng, tableInput, tempDir, writeTree } from './helpers';

type Range = Extract<MiniBatch['data'], { kind: 'range' }>;
const rangeOf = (b: MiniBatch): Range => {
  assert.equal(b.data.kind, 'range');
  return b.data as Range;
};

/** The text a worker would read for a range: header bytes + range bytes. */
function textOf(b: MiniBatch): string {
  const r = rangeOf(b);
  const data = fs.readFileSync(r.file);
  const head = r.header ? fs.readFileSync(r.header.file).subarray(0, r.header.end).toString() : '';
  return head + data.subarray(r.start, r.end).toString();
}

function table(files: Record<string, string>): { root: string; files: string[] } {
  const root = tempDir();
  writeTree(root, files);
  return { root, files: Object.keys(files).map((f) => path.join(root, f)) };
}

test('tabular: small files are one mini-batch each, big ones split; never across files; header skipped', async () => {
  const big = 'id,v\n' + Array.from({ length: 10 }, (_, i) => `${i},${'x'.repeat(5)}\n`).join(''); // records of 8-9 bytes
  const { root, files } = table({ 'a.csv': 'id,v\n1,a\n', 'b.csv': big, 'c.csv': '', 'd.csv': 'id,v\n' });
  const batches = await planMiniBatches(makeJob(tableInput(root, files), { miniBatchSize: 20 }), planOptions(tempDir()));
  assert.deepEqual(
    batches.map((b) => b.index),
    batches.map((_, i) => i),
  );
  assert.deepEqual(
    batches.map((b) => path.basename(rangeOf(b).file)),
    ['a.csv', 'b.csv', 'b.csv', 'b.csv', 'b.csv'],
  );
  for (const b of batches) {
    const r = rangeOf(b);
    assert.equal(b.bytes, r.end - r.start);
    assert.equal(b.items, undefined);
    assert.deepEqual(r.header, { file: files[0], end: 5 }, 'all_files_same_headers: the names come from the first file');
    assert.equal(r.format, 'delimited');
    assert.equal(r.delimiter, ',');
    assert.ok(textOf(b).startsWith('id,v\n'));
  }
  const bRanges = batches.filter((b) => rangeOf(b).file === files[1]).map(rangeOf);
  assert.equal(bRanges[0].start, 5);
  assert.equal(bRanges[bRanges.length - 1].end, Buffer.byteLength(big));
  assert.deepEqual(
    batches.flatMap((b) => textOf(b).split('\n').slice(1, -1)),
    ['1,a', ...Array.from({ length: 10 }, (_, i) => `${i},xxxxx`)],
  );
});

test('tabular: from_first_file points every range at the first file header; no_header has none', async () => {
  const { root, files } = table({ '1.csv': 'id,v\n1,a\n2,b\n', '2.csv': '3,c\n4,d\n', '3.csv': '5,e\n' });
  const ff = await planMiniBatches(
    makeJob(tableInput(root, files, { header: 'from_first_file' }), { miniBatchSize: 4 }),
    planOptions(tempDir()),
  );
  assert.deepEqual(
    ff.map((b) => [path.basename(rangeOf(b).file), rangeOf(b).start, rangeOf(b).end, rangeOf(b).header]),
    [
      ['1.csv', 5, 9, { file: files[0], end: 5 }],
      ['1.csv', 9, 13, { file: files[0], end: 5 }],
      ['2.csv', 0, 4, { file: files[0], end: 5 }],
      ['2.csv', 4, 8, { file: files[0], end: 5 }],
      ['3.csv', 0, 4, { file: files[0], end: 5 }],
    ],
  );
  const sampled = await planMiniBatches(makeJob(tableInput(root, files, { header: 'from_first_file' }), { miniBatchSize: 100 }), {
    ...planOptions(tempDir()),
    sample: { files: [files[2]] },
  });
  assert.deepEqual(
    sampled.map((b) => [rangeOf(b).file, rangeOf(b).start, rangeOf(b).header]),
    [[files[2], 0, { file: files[0], end: 5 }]],
  );

  const nh = await planMiniBatches(
    makeJob(tableInput(root, files, { header: 'no_header' }), { miniBatchSize: 100 }),
    planOptions(tempDir()),
  );
  assert.deepEqual(
    nh.map((b) => [rangeOf(b).start, rangeOf(b).header]),
    [
      [0, null],
      [0, null],
      [0, null],
    ],
  );

  const diff = await planMiniBatches(
    makeJob(tableInput(root, files.slice(0, 1), { header: 'all_files_different_headers', delimiter: ';' }), { miniBatchSize: 100 }),
    planOptions(tempDir()),
  );
  assert.deepEqual(
    diff.map((b) => [rangeOf(b).start, rangeOf(b).header, rangeOf(b).delimiter]),
    [[5, { file: files[0], end: 5 }, ';']],
  );
});

test('tabular: sample miniBatches stops early, items ends after record N across files', async () => {
  const rows = (from: number, n: number): string => Array.from({ length: n }, (_, i) => `${from + i},"q\n"\n`).join('');
  const { root, files } = table({ 'a.csv': 'id,t\n' + rows(0, 5), 'b.csv': 'id,t\n' + rows(5, 5) });
  const job = makeJob(tableInput(root, files), { miniBatchSize: 12 }); // two 7..8-byte records per range
  const all = await planMiniBatches(job, planOptions(tempDir()));
  const two = await planMiniBatches(job, { ...planOptions(tempDir()), sample: { miniBatches: 2 } });
  assert.deepEqual(two, all.slice(0, 2));
  const four = await planMiniBatches(job, { ...planOptions(tempDir()), sample: { miniBatches: 4 } });
  assert.deepEqual(four, all.slice(0, 4), 'continues into the next file');

  const items = await planMiniBatches(job, { ...planOptions(tempDir()), sample: { items: 7 } });
  const records = items.flatMap(
    (b) =>
      textOf(b)
        .split('\n')
        .slice(1)
        .join('\n')
        .match(/^\d+,"q\n"$/gm) ?? [],
  );
  assert.equal(records.length, 7);
  assert.deepEqual(
    items.map((b) => b.index),
    items.map((_, i) => i),
  );
  const last = rangeOf(items[items.length - 1]);
  assert.equal(last.file, files[1]);
  assert.ok(textOf(items[items.length - 1]).endsWith('6,"q\n"\n'));
  assert.equal(last.end, Buffer.byteLength('id,t\n' + rows(5, 2)));
});

test('tabular: json_lines — no header, lines never cut, long lines, items sample', async () => {
  const long = JSON.stringify({ s: 'y'.repeat(200_000) });
  const lines = [
    JSON.stringify({ a: 1 }),
    long,
    JSON.stringify({ a: '\\n inside, escaped' }),
    JSON.stringify({ a: 3 }),
    long,
    JSON.stringify({ a: 5 }),
  ];
  const { root, files } = table({ 'x.jsonl': lines.join('\n') }); // no trailing newline
  const job = makeJob(tableInput(root, files, { format: 'json_lines' }), { miniBatchSize: 1 }); // one line each
  const batches = await planMiniBatches(job, planOptions(tempDir()));
  assert.deepEqual(
    batches.map((b) => textOf(b).replace(/\n$/, '')),
    lines,
  );
  assert.ok(batches.every((b) => rangeOf(b).header === null && rangeOf(b).format === 'json_lines'));
  const items = await planMiniBatches(job, { ...planOptions(tempDir()), sample: { items: 2 } });
  assert.deepEqual(
    items.map((b) => textOf(b).replace(/\n$/, '')),
    lines.slice(0, 2),
  );
});

test('splitJsonLinesFile: random files — ranges tile the file and end on line ends', async () => {
  const dir = tempDir();
  const next = rng(17);
  for (let k = 0; k < 100; k++) {
    const n = Math.floor(next() * 30);
    const text =
      Array.from({ length: n }, () => JSON.stringify({ v: 'z'.repeat(Math.floor(next() * 300)) })).join('\n') + (next() < 0.5 ? '\n' : '');
    const file = path.join(dir, `j${k}.jsonl`);
    fs.writeFileSync(file, text);
    const size = Buffer.byteLength(text);
    const miniBatchSize = 1 + Math.floor(next() * 700);
    const { ranges } = await splitJsonLinesFile(file, { miniBatchSize });
    let pos = 0;
    for (const [i, r] of ranges.entries()) {
      assert.equal(r.start, pos);
      assert.ok(r.end > r.start);
      if (i < ranges.length - 1) assert.equal(text[r.end - 1], '\n');
      if (i < ranges.length - 1) assert.ok(r.end - r.start >= miniBatchSize);
      // The line end that closes the range is the first one at or after start + miniBatchSize.
      const firstEnd = text.indexOf('\n', r.start + miniBatchSize - 1);
      assert.equal(r.end, size - r.start <= miniBatchSize || firstEnd < 0 ? size : firstEnd + 1);
      pos = r.end;
    }
    assert.equal(pos, size === 0 ? 0 : size);
    const counted = await splitJsonLinesFile(file, { miniBatchSize, maxRecords: 1e9, chunkSize: 64 });
    assert.deepEqual(counted.ranges, ranges, 'counting splits the same way');
    assert.equal(counted.records, text.split('\n').filter((l) => l !== '').length);
  }
});

test('tabular: abort', async () => {
  const { root, files } = table({ 'a.csv': 'a\n1\n' });
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(planMiniBatches(makeJob(tableInput(root, files)), { ...planOptions(tempDir()), signal: ac.signal }), {
    name: 'AbortError',
  });
});

// ---- partition_keys on a table: python -m prs_worker.partition ----

const repoPython = path.resolve(__dirname, '../../../../python');
const python = process.env.PARALLEL_RUN_PYTHON || 'python3';
const pyEnv = { ...process.env, PYENV_VERSION: process.env.PYENV_VERSION || 'system' };
const partitionAvailable =
  spawnSync(python, ['-c', 'import prs_worker.partition, pandas'], { env: { ...pyEnv, PYTHONPATH: repoPython }, encoding: 'utf8' })
    .status === 0;

test(
  'tabular partition_keys: real prs_worker.partition groups rows into pickles',
  { skip: partitionAvailable ? false : `${python} cannot import prs_worker.partition and pandas with PYTHONPATH=${repoPython}` },
  async () => {
    process.env.PYENV_VERSION = pyEnv.PYENV_VERSION;
    const { root, files } = table({
      'A/1.csv': 'Store,Brand,qty\nA,x,1\nA,y,2\nA,x,3\n',
      'B/1.csv': 'Store,Brand,qty\nB,x,4\n',
    });
    const workDir = tempDir();
    const job = makeJob(tableInput(root, files), { partitionKeys: ['Store', 'Brand'] });
    const batches = await planMiniBatches(job, { python, pythonPath: repoPython, workDir });
    assert.deepEqual(
      batches.map((b) => [b.index, b.partitionKeyValue, b.items, b.data.kind]),
      [
        [0, { Store: 'A', Brand: 'x' }, 2, 'pickle'],
        [1, { Store: 'A', Brand: 'y' }, 1, 'pickle'],
        [2, { Store: 'B', Brand: 'x' }, 1, 'pickle'],
      ],
    );
    for (const b of batches) {
      const d = b.data as { kind: 'pickle'; file: string; rows: number };
      assert.ok(fs.existsSync(d.file));
      assert.equal(d.rows, b.items);
      assert.ok(b.bytes > 0);
    }
    assert.ok(fs.existsSync(path.join(workDir, 'partition-request.json')));
    const sampled = await planMiniBatches(job, { python, pythonPath: repoPython, workDir, sample: { miniBatches: 1 } });
    assert.equal(sampled.length, 1);
    // A key column that does not exist: exit 2, its stderr in the error.
    const bad = makeJob(tableInput(root, files), { partitionKeys: ['Nope'] });
    await assert.rejects(planMiniBatches(bad, { python, pythonPath: repoPython, workDir }), /Nope/);
  },
);

test('tabular partition_keys: request/result protocol and errors (stand-in interpreter)', async () => {
  const { root, files } = table({ 'S/1.csv': 'k,v\na,1\n' });
  const bin = tempDir();
  const fake = path.join(bin, 'fake-python');
  // A stand-in for `python -m prs_worker.partition`: checks its arguments and PYTHONPATH, writes a result.
  fs.writeFileSync(
    fake,
    `#!${process.execPath}
const fs = require('fs');
const a = process.argv.slice(2);
if (a[0] !== '-m' || a[1] !== 'prs_worker.partition' || a[2] !== '--request' || a[4] !== '--result') { console.error('bad args ' + a); process.exit(3); }
if (!process.env.PYTHONPATH.startsWith('/the/package')) { console.error('bad PYTHONPATH'); process.exit(4); }
const req = JSON.parse(fs.readFileSync(a[3], 'utf8'));
if (req.keys[0] === 'boom') { console.error('The partition key column boom does not exist.'); process.exit(2); }
fs.mkdirSync(req.out_dir, { recursive: true });
fs.writeFileSync(req.out_dir + '/0.pkl', 'p');
fs.writeFileSync(req.out_dir + '/1.pkl', 'pp');
fs.writeFileSync(a[5], JSON.stringify({ request: req, partitions: [
  { file: req.out_dir + '/0.pkl', rows: 3, key: { k: 'a' } },
  { file: req.out_dir + '/1.pkl', rows: 5, key: { k: 1 } } ] }));
`,
    { mode: 0o755 },
  );
  const workDir = tempDir();
  const job = makeJob(tableInput(root, files, {}, '{Store}/{fn}.csv'), { partitionKeys: ['k'] });
  const batches = await planMiniBatches(job, { python: fake, pythonPath: '/the/package', workDir });
  assert.deepEqual(
    batches.map((b) => [b.index, b.data, b.items, b.bytes, b.partitionKeyValue]),
    [
      [0, { kind: 'pickle', file: path.join(workDir, 'partitions/0.pkl'), rows: 3 }, 3, 1, { k: 'a' }],
      [1, { kind: 'pickle', file: path.join(workDir, 'partitions/1.pkl'), rows: 5 }, 5, 2, { k: '1' }],
    ],
  );
  const req = JSON.parse(fs.readFileSync(path.join(workDir, 'partition-request.json'), 'utf8'));
  assert.deepEqual(req, {
    files,
    format: 'delimited',
    delimiter: ',',
    header: 'all_files_same_headers',
    encoding: 'utf8',
    read: {},
    steps: [{ op: 'extract_columns_from_partition_format', partitionFormat: '{Store}/{fn}.csv' }],
    window: { start: 0, end: null },
    keys: ['k'],
    root,
    out_dir: path.join(workDir, 'partitions'),
  });
  const items = await planMiniBatches(job, { python: fake, pythonPath: '/the/package', workDir, sample: { items: 2 } });
  assert.equal(items.length, 1, 'whole groups until N rows are covered');
  const boom = makeJob(tableInput(root, files), { partitionKeys: ['boom'] });
  await assert.rejects(planMiniBatches(boom, { python: fake, pythonPath: '/the/package', workDir }), (err: Error) => {
    assert.match(err.message, /exited with 2/);
    assert.match(err.message, /boom does not exist/);
    return true;
  });
  await assert.rejects(planMiniBatches(job, { python: path.join(bin, 'missing-python'), pythonPath: '/x', workDir }), /Cannot start/);
});

// ---- MLTable steps: what the ranges carry, and skip/take over the whole table ----

const TEN = (from: number): string => 'id,v\n' + Array.from({ length: 10 }, (_, i) => `${from + i},x`).join('\n') + '\n';

test('tabular MLTable: ranges carry encoding, read options and the row steps; skip/take stay with the planner', async () => {
  const { root, files } = table({ 'a.csv': TEN(0) });
  const steps = [
    { op: 'drop_columns' as const, columns: ['v'] },
    { op: 'take' as const, count: 100 },
  ];
  const job = makeJob(tableInput(root, files, { encoding: 'latin1', read: { includePathColumn: true, supportMultiLine: false }, steps }));
  const [b] = await planMiniBatches(job, planOptions(tempDir()));
  const r = rangeOf(b);
  assert.equal(r.encoding, 'latin1');
  assert.deepEqual(r.read, { includePathColumn: true, supportMultiLine: false });
  assert.deepEqual(r.steps, [{ op: 'drop_columns', columns: ['v'] }]);
  const plain = rangeOf((await planMiniBatches(makeJob(tableInput(root, files)), planOptions(tempDir())))[0]);
  assert.deepEqual([plain.encoding, plain.read, plain.steps], [undefined, undefined, undefined], 'nothing extra for a plain table');
});

test('tabular MLTable: take with nothing skipped ends the ranges right after record N of the whole table', async () => {
  const { root, files } = table({ 'a.csv': TEN(0), 'b.csv': TEN(10) });
  const job = makeJob(
    tableInput(root, files, {
      steps: [
        { op: 'take', count: 30 },
        { op: 'take', count: 13 },
      ],
    }),
    { miniBatchSize: 20 },
  );
  const batches = await planMiniBatches(job, planOptions(tempDir()));
  const ids = batches.flatMap((b) =>
    textOf(b)
      .split('\n')
      .slice(1)
      .filter(Boolean)
      .map((l) => Number(l.split(',')[0])),
  );
  assert.deepEqual(
    ids,
    Array.from({ length: 13 }, (_, i) => i),
  );
  const none = await planMiniBatches(makeJob(tableInput(root, files, { steps: [{ op: 'take', count: 0 }] })), planOptions(tempDir()));
  assert.deepEqual(none, []);
});

test('tabular MLTable: a data file outside the partition format fails planning once, naming file and format', async () => {
  const { root, files } = table({ 'S1/sales/a.csv': TEN(0), 'S2/b.csv': TEN(10) });
  const job = makeJob(
    tableInput(root, files, { steps: [{ op: 'extract_columns_from_partition_format', partitionFormat: '{Store}/sales/{name}.csv' }] }),
  );
  await assert.rejects(
    planMiniBatches(job, planOptions(tempDir())),
    /S2\/b\.csv does not fit the partition format "\{Store\}\/sales\/\{name\}\.csv"/,
  );
});

test(
  'tabular MLTable: skip reads the table through prs_worker.partition with the window, whole rows, never across files',
  { skip: partitionAvailable ? false : `${python} cannot import prs_worker.partition and pandas` },
  async () => {
    process.env.PYENV_VERSION = pyEnv.PYENV_VERSION;
    const { root, files } = table({ 'a.csv': TEN(0), 'b.csv': TEN(10) });
    const job = makeJob(
      tableInput(root, files, {
        steps: [
          { op: 'skip', count: 7 },
          { op: 'take', count: 6 },
        ],
      }),
      { miniBatchSize: 1 << 20 },
    );
    const workDir = tempDir();
    const batches = await planMiniBatches(job, { python, pythonPath: repoPython, workDir });
    assert.deepEqual(
      batches.map((b) => [b.data.kind, b.items]),
      [
        ['pickle', 3],
        ['pickle', 3],
      ],
      'rows 7-9 of a.csv, 0-2 of b.csv',
    );
    const req = JSON.parse(fs.readFileSync(path.join(workDir, 'partition-request.json'), 'utf8'));
    assert.deepEqual([req.window, req.keys, req.mini_batch_size], [{ start: 7, end: 13 }, [], 1 << 20]);
    const sampled = await planMiniBatches(job, { python, pythonPath: repoPython, workDir, sample: { items: 2 } });
    assert.deepEqual(
      sampled.map((b) => b.items),
      [2],
      '--sample-items counts from the window start',
    );
  },
);

test('tabular: all_files_same_headers names every file by the first header; different headers get the union of names', async () => {
  const { root, files } = table({ 'a.csv': 'id,v\n1,a\n', 'b.csv': 'ID,V\n2,b\n' });
  const same = await planMiniBatches(makeJob(tableInput(root, files)), planOptions(tempDir()));
  assert.deepEqual(
    same.map((b) => textOf(b)),
    ['id,v\n1,a\n', 'id,v\n2,b\n'],
  );
  const emptyFirst = table({ '0.csv': '', 'a.csv': 'id,v\n1,a\n' });
  const own = await planMiniBatches(makeJob(tableInput(emptyFirst.root, emptyFirst.files)), planOptions(tempDir()));
  assert.deepEqual(
    own.map((b) => textOf(b)),
    ['id,v\n1,a\n'],
    'an empty first file lends no header',
  );
  const other = table({ 'a.csv': 'id,v\n1,a\n', 'b.csv': 'v,"w,x"\nb,c\n', 'c.csv': 'id\n3\n' });
  const diff = await planMiniBatches(
    makeJob(tableInput(other.root, other.files, { header: 'all_files_different_headers' })),
    planOptions(tempDir()),
  );
  assert.deepEqual(
    diff.map((b) => [path.basename(rangeOf(b).header!.file), rangeOf(b).columns]),
    [
      ['a.csv', ['id', 'v', 'w,x']],
      ['b.csv', ['id', 'v', 'w,x']],
      ['c.csv', ['id', 'v', 'w,x']],
    ],
  );
});
