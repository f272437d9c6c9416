import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { appendFileSync, writeFileSync } from 'node:fs';
import { ResultsReader, DEFAULT_DIALECT } from '../../../src/core/local/results';
import { FRAME_ROWS, TO_CSV, tempFile } from './fixtures';

test('a DataFrame output comes back as the cells pandas wrote', async () => {
  const page = await new ResultsReader(tempFile(TO_CSV[' ']), DEFAULT_DIALECT).page(0);
  assert.equal(page.layout, 'table');
  assert.deepEqual(page.rows, FRAME_ROWS);
  assert.deepEqual(
    { page: page.page, pageCount: page.pageCount, totalRows: page.totalRows, firstRow: page.firstRow },
    { page: 0, pageCount: 1, totalRows: 6, firstRow: 0 },
  );
});

test('a list output is one "row" column of whole lines', async () => {
  const page = await new ResultsReader(tempFile('0.png: 7\n1.png: 2 (low confidence)\n'), DEFAULT_DIALECT).page(0);
  assert.deepEqual(page.columns, ['row']);
  assert.deepEqual(page.rows, [['0.png: 7'], ['1.png: 2 (low confidence)']]);
});

test('pages hold 100 rows and a page past the end gives the last one', async () => {
  const rows = Array.from({ length: 250 }, (_, i) => `f${i}.png ${i}\n`).join('');
  const reader = new ResultsReader(tempFile(rows), DEFAULT_DIALECT, { preferTable: true });
  const second = await reader.page(1);
  assert.equal(second.rows.length, 100);
  assert.deepEqual(second.rows[0], ['f100.png', '100']);
  const clamped = await reader.page(99);
  assert.equal(clamped.page, 2);
  assert.equal(clamped.firstRow, 200);
  assert.equal(clamped.rows.length, 50);
});

test('a layout the user chose wins over the guess', async () => {
  const file = tempFile('0.png: 7\n1.png: 2\n');
  assert.deepEqual((await new ResultsReader(file, DEFAULT_DIALECT).page(0)).rows, [['0.png: 7'], ['1.png: 2']]);
  const table = await new ResultsReader(file, DEFAULT_DIALECT, { layout: 'table' }).page(0);
  assert.deepEqual(
    [table.columns, table.rows],
    [
      ['Column1', 'Column2'],
      [
        ['0.png:', '7'],
        ['1.png:', '2'],
      ],
    ],
  );
  const lines = await new ResultsReader(tempFile(TO_CSV[' ']), DEFAULT_DIALECT, { layout: 'lines' }).page(0);
  assert.equal(lines.totalRows, 7, 'as plain lines, the quoted newline splits a row');
});

test('an empty output is one empty page', async () => {
  const page = await new ResultsReader(tempFile(''), DEFAULT_DIALECT).page(0);
  assert.deepEqual({ rows: page.rows, pageCount: page.pageCount, totalRows: page.totalRows }, { rows: [], pageCount: 1, totalRows: 0 });
});

test('reads the file again when it changed (a rerun into the same folder)', async () => {
  const file = tempFile('a 1\n');
  const reader = new ResultsReader(file, DEFAULT_DIALECT);
  assert.equal((await reader.page(0)).totalRows, 1);
  appendFileSync(file, 'b 2\n');
  assert.equal((await reader.page(0)).totalRows, 2);
  writeFileSync(file, 'only\n');
  assert.deepEqual((await reader.page(0)).rows, [['only']]);
});

test('a missing file rejects with its ENOENT, and a later call tries again', async () => {
  const file = tempFile('x\n');
  const reader = new ResultsReader(`${file}.missing`, DEFAULT_DIALECT);
  await assert.rejects(reader.page(0), { code: 'ENOENT' });
  writeFileSync(`${file}.missing`, 'now-here\n');
  assert.deepEqual((await reader.page(0)).rows, [['now-here']]);
});
