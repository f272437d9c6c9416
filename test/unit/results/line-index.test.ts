import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createWriteStream, openSync, writeSync, closeSync, appendFileSync } from 'node:fs';
import { once } from 'node:events';
import { indexLines, readPage, isIndexCurrent } from '../../../src/core/local/results';
import { TO_CSV, tempFile } from './fixtures';

const lines = (n: number, from = 0): string => Array.from({ length: n }, (_, i) => `row ${from + i}\n`).join('');

test('an empty file has no rows and an empty first page', async () => {
  const file = tempFile('');
  const index = await indexLines(file);
  assert.equal(index.totalRows, 0);
  assert.deepEqual(await readPage(file, index, 0, 100), []);
});

test('a last line without a newline is a row', async () => {
  const file = tempFile('a\nb');
  const index = await indexLines(file);
  assert.equal(index.totalRows, 2);
  assert.deepEqual(await readPage(file, index, 0, 100), ['a', 'b']);
});

test('empty lines between rows are rows (str("") of a list element)', async () => {
  const file = tempFile('a\n\nb\n');
  const index = await indexLines(file);
  assert.equal(index.totalRows, 3);
  assert.deepEqual(await readPage(file, index, 0, 100), ['a', '', 'b']);
});

test('pages split exactly at page boundaries', async () => {
  for (const n of [99, 100, 101, 200, 250]) {
    const file = tempFile(lines(n));
    const index = await indexLines(file);
    assert.equal(index.totalRows, n);
    const pages = Math.ceil(n / 100);
    const seen: string[] = [];
    for (let p = 0; p < pages; p++) {
      const page = await readPage(file, index, p, 100);
      assert.equal(page.length, p < pages - 1 ? 100 : n - 100 * (pages - 1), `rows ${n}, page ${p}`);
      seen.push(...page);
    }
    assert.deepEqual(seen, lines(n).split('\n').slice(0, -1));
    assert.deepEqual(await readPage(file, index, pages, 100), [], 'a page past the end is empty');
  }
});

test('a page size that is not a multiple of the checkpoint distance still reads the right rows', async () => {
  const file = tempFile(lines(1000));
  const index = await indexLines(file);
  assert.deepEqual(await readPage(file, index, 3, 70), lines(70, 210).split('\n').slice(0, -1));
});

test('with quoting on, a quoted newline does not end a row', async () => {
  const file = tempFile(TO_CSV[' ']);
  const plain = await indexLines(file);
  const quoted = await indexLines(file, { quoteChar: '"' });
  assert.equal(plain.totalRows, 7, 'as plain lines the newline splits a row');
  assert.equal(quoted.totalRows, 6);
  assert.deepEqual((await readPage(file, quoted, 0, 100))[2], '"multi\nline" 3 1.25');
});

test('quoted newlines across checkpoints keep pages aligned', async () => {
  const rows = Array.from({ length: 350 }, (_, i) => `"item ${i}\nsecond line" ${i}\n`).join('');
  const file = tempFile(rows);
  const index = await indexLines(file, { quoteChar: '"' });
  assert.equal(index.totalRows, 350);
  assert.deepEqual(
    await readPage(file, index, 3, 100),
    Array.from({ length: 50 }, (_, i) => `"item ${300 + i}\nsecond line" ${300 + i}`),
  );
});

test('starts after a header when asked', async () => {
  const file = tempFile('name value\na 1\nb 2\n');
  const index = await indexLines(file, { start: 'name value\n'.length });
  assert.equal(index.totalRows, 2);
  assert.deepEqual(await readPage(file, index, 0, 100), ['a 1', 'b 2']);
});

test('drops the carriage return of Windows line ends', async () => {
  const file = tempFile('a 1\r\nb 2\r\n');
  assert.deepEqual(await readPage(file, await indexLines(file), 0, 100), ['a 1', 'b 2']);
});

test('multi-byte characters split across read chunks come out whole', async () => {
  // readPage reads 64 KiB at a time: put 4-byte characters across that boundary.
  const filler = 'x'.repeat(65_535);
  const file = tempFile(`${filler}😀😀\nünï 日本\n`);
  const index = await indexLines(file);
  const page = await readPage(file, index, 0, 100, { maxRecordBytes: 1 << 20 });
  assert.deepEqual(page, [`${filler}😀😀`, 'ünï 日本']);
});

test('cuts a huge record to the limit, without a broken character', async () => {
  const file = tempFile(`${'é'.repeat(100)}\nnext\n`);
  const page = await readPage(file, await indexLines(file), 0, 100, { maxRecordBytes: 11 });
  assert.deepEqual(page, [`${'é'.repeat(5)}…`, 'next']);
});

test('knows when the file changed since it was indexed', async () => {
  const file = tempFile('a\n');
  const index = await indexLines(file);
  assert.equal(await isIndexCurrent(index), true);
  appendFileSync(file, 'b\n');
  assert.equal(await isIndexCurrent(index), false);
});

test('pages a 100k-line file from its checkpoints, without reading it whole', async () => {
  const file = tempFile('');
  const out = createWriteStream(file);
  for (let i = 0; i < 100_000; i++) if (!out.write(`${i} result-${i}.png ${i % 10}\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');

  const index = await indexLines(file);
  assert.equal(index.totalRows, 100_000);
  assert.equal(index.checkpoints.length, 1000, 'one offset per 100 rows, not one per row');

  // Overwrite the first 90% of the file with same-length garbage: the last pages are read from their
  // checkpoint, so they must not notice.
  const fd = openSync(file, 'r+');
  const garbage = Buffer.alloc(index.checkpoints[900], '#');
  writeSync(fd, garbage, 0, garbage.length, 0);
  closeSync(fd);

  const last = await readPage(file, index, 999, 100);
  assert.equal(last.length, 100);
  assert.equal(last[0], '99900 result-99900.png 0');
  assert.equal(last[99], '99999 result-99999.png 9');
  assert.equal((await readPage(file, index, 950, 100))[5], '95005 result-95005.png 5');
});
