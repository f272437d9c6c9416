import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { detectLayout, DEFAULT_DIALECT } from '../../../src/core/local/results';
import { TO_CSV, TO_CSV_WITH_HEADER, tempFile } from './fixtures';

test('DataFrame output is a table with one column per field', async () => {
  const layout = await detectLayout(tempFile(TO_CSV[' ']), DEFAULT_DIALECT);
  assert.deepEqual(layout, { kind: 'table', columns: ['Column1', 'Column2', 'Column3'], start: 0 });
});

test('honours the separator parallel_run_step.settings.json chose', async () => {
  const layout = await detectLayout(tempFile(TO_CSV[',']), { ...DEFAULT_DIALECT, sep: ',' });
  assert.equal(layout.kind, 'table');
  assert.equal(layout.columns.length, 3);
});

test('takes column names from a header line and starts the rows after it', async () => {
  const layout = await detectLayout(tempFile(TO_CSV_WITH_HEADER), { ...DEFAULT_DIALECT, header: true });
  assert.deepEqual(layout, { kind: 'table', columns: ['file', 'label', 'score'], start: 'file label score\n'.length });
});

test('space-separated lines without evidence of pandas are list output ("0.png: 7", the digits sample)', async () => {
  const layout = await detectLayout(tempFile('0.png: 7\n1.png: 2\n'), DEFAULT_DIALECT);
  assert.deepEqual(layout, { kind: 'lines', columns: ['row'] });
});

test('the same lines from a tabular input are a table', async () => {
  const layout = await detectLayout(tempFile('1 5.1 setosa\n2 4.9 setosa\n'), DEFAULT_DIALECT, { preferTable: true });
  assert.deepEqual(layout, { kind: 'table', columns: ['Column1', 'Column2', 'Column3'], start: 0 });
});

test('list output of one word per line is shown as lines', async () => {
  const layout = await detectLayout(tempFile('a.png\nb.png\n'), DEFAULT_DIALECT);
  assert.deepEqual(layout, { kind: 'lines', columns: ['row'] });
});

test('lines with differing numbers of fields are list output', async () => {
  const layout = await detectLayout(tempFile('a.png: 7\nb.png is a 3\n'), DEFAULT_DIALECT);
  assert.equal(layout.kind, 'lines');
});

test('an unbalanced quote (str() of a list element) makes it list output', async () => {
  const layout = await detectLayout(tempFile('he said "hi 1\nok 2\n'), DEFAULT_DIALECT);
  assert.equal(layout.kind, 'lines');
});

test('a forced table takes the widest record for its columns', async () => {
  const layout = await detectLayout(tempFile('a\nb c d\n'), DEFAULT_DIALECT, { force: 'table' });
  assert.deepEqual(layout, { kind: 'table', columns: ['Column1', 'Column2', 'Column3'], start: 0 });
});

test('an empty file is shown as lines', async () => {
  assert.equal((await detectLayout(tempFile(''), DEFAULT_DIALECT)).kind, 'lines');
});

test('without a header, the column names the worker reported name the columns', async () => {
  const layout = await detectLayout(tempFile(TO_CSV[' ']), DEFAULT_DIALECT, { columns: ['file', 'label', 'score'] });
  assert.deepEqual(layout, { kind: 'table', columns: ['file', 'label', 'score'], start: 0 });
});

test('a header line wins over reported names; names that do not fit fall back to ColumnN', async () => {
  const withHeader = await detectLayout(tempFile(TO_CSV_WITH_HEADER), { ...DEFAULT_DIALECT, header: true }, { columns: ['a', 'b', 'c'] });
  assert.deepEqual(withHeader.columns, ['file', 'label', 'score']);
  const short = await detectLayout(tempFile(TO_CSV[' ']), DEFAULT_DIALECT, { columns: ['file'], force: 'table' });
  assert.deepEqual(short.columns, ['file', 'Column2', 'Column3']);
});
