import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CsvScanner, findRecordBoundaries, splitDelimitedFile } from '../../../src/core/local/partition';
import type { FileSplit } from '../../../src/core/local/partition';
import { referenceBoundaries, rng, tempDir } from './helpers';

/** Checks a split against the reference parser: header, tiling, record alignment and the size rule. */
function checkSplit(data: Buffer, split: FileSplit, miniBatchSize: number, hasHeader: boolean, delimiter = ','): void {
  const ref = referenceBoundaries(data, delimiter);
  const refSet = new Set(ref);
  let dataStart = 0;
  if (hasHeader) {
    // The header is the first non-blank record.
    let rec = 0;
    let headerEnd = data.length;
    for (const b of ref) {
      const text = data.subarray(rec, b).toString('latin1');
      if (text !== '\n' && text !== '\r\n') {
        headerEnd = b;
        break;
      }
      rec = b;
    }
    assert.equal(split.headerEnd, headerEnd, 'header end');
    dataStart = headerEnd;
  } else assert.equal(split.headerEnd, null);
  assert.equal(split.size, data.length);
  if (dataStart >= data.length) {
    assert.deepEqual(split.ranges, []);
    return;
  }
  // Ranges tile [dataStart, size).
  let pos = dataStart;
  for (const r of split.ranges) {
    assert.equal(r.start, pos, 'contiguous');
    assert.ok(r.end > r.start, 'non-empty');
    pos = r.end;
  }
  assert.equal(pos, data.length, 'ranges cover the data bytes exactly');
  for (const [i, r] of split.ranges.entries()) {
    const last = i === split.ranges.length - 1;
    if (!last) assert.ok(refSet.has(r.end), `range end ${r.end} is a record boundary`);
    // The rule: a range ends at the first record boundary at or after start + miniBatchSize.
    const expected = data.length - r.start <= miniBatchSize ? data.length : (ref.find((b) => b >= r.start + miniBatchSize) ?? data.length);
    assert.equal(r.end, Math.min(expected, data.length), `range ${i} end`);
  }
}

/** A random CSV with quoted commas, quoted newlines, `""` escapes, stray quotes, CRLF, blank lines. */
function randomCsv(next: () => number, rows: number): Buffer {
  const pick = <T>(xs: T[]): T => xs[Math.floor(next() * xs.length)];
  const crlf = next() < 0.3;
  const eol = crlf ? '\r\n' : '\n';
  const field = (): string => {
    const r = next();
    if (r < 0.3) return String(Math.floor(next() * 1e6));
    if (r < 0.4) return '';
    if (r < 0.5) return `"a,b${pick(['', '""', '""""'])}c"`;
    if (r < 0.65) return `"line1${pick(['\n', '\r\n', '\n\n'])}line2${pick(['', '""', '"",\n"'])}"`;
    if (r < 0.75) return `"${'""'.repeat(1 + Math.floor(next() * 3))}"`;
    if (r < 0.8) return `5${pick(['"', '""'])} pipe`; // a stray quote inside an unquoted field is a plain character
    if (r < 0.85) return '"\n"';
    return pick(['x', 'hello world', 'tab\there', 'ümlaut']);
  };
  let s = 'col1,col2,col3' + eol;
  for (let i = 0; i < rows; i++) {
    if (next() < 0.05) s += eol; // blank line
    const n = 1 + Math.floor(next() * 4);
    s += Array.from({ length: n }, field).join(',') + eol;
  }
  if (next() < 0.4) s = s.slice(0, s.length - eol.length); // no trailing newline
  return Buffer.from(s, 'utf8');
}

test('findRecordBoundaries matches the reference parser on random CSVs (in memory, every boundary)', () => {
  const next = rng(7);
  for (let k = 0; k < 200; k++) {
    const data = randomCsv(next, 1 + Math.floor(next() * 60));
    assert.deepEqual(findRecordBoundaries(data), referenceBoundaries(data), `case ${k}`);
  }
});

test('findRecordBoundaries: quote-dense data (byte-loop path) matches the reference', () => {
  const next = rng(11);
  const rows: string[] = [];
  for (let i = 0; i < 20000; i++) rows.push(`"${i}","a""b","${next() < 0.1 ? 'x\ny' : 'z'}",${next() < 0.05 ? '7"' : '8'},""`);
  const data = Buffer.from(rows.join('\n') + '\n');
  assert.deepEqual(findRecordBoundaries(data), referenceBoundaries(data));
});

test('splitDelimitedFile: quote-dense file, chunked reads — ranges match the reference', async () => {
  const next = rng(12);
  const rows: string[] = ['"h1","h2"'];
  for (let i = 0; i < 30000; i++) rows.push(`"${i}","a""b","${next() < 0.1 ? 'x\ny' : 'z'}",${next() < 0.05 ? '7"' : '8'},""`);
  const data = Buffer.from(rows.join('\n') + '\n');
  const file = path.join(tempDir(), 'dense.csv');
  fs.writeFileSync(file, data);
  for (const [miniBatchSize, chunkSize] of [
    [1000, 4096],
    [20000, 100000],
    [333, 1 << 20],
  ]) {
    checkSplit(data, await splitDelimitedFile(file, { miniBatchSize, chunkSize, hasHeader: true }), miniBatchSize, true);
  }
});

test('splitDelimitedFile: maxRecords on random CSVs — counts non-blank records, ends right after record N', async () => {
  const dir = tempDir();
  const next = rng(5);
  for (let k = 0; k < 150; k++) {
    const data = randomCsv(next, Math.floor(next() * 40));
    const file = path.join(dir, `c${k}.csv`);
    fs.writeFileSync(file, data);
    // Reference: data records after the header (first non-blank record), blank ones not counted.
    const ends = referenceBoundaries(data);
    if (ends[ends.length - 1] !== data.length) ends.push(data.length);
    const isBlank = (a: number, b: number): boolean => ['', '\n', '\r\n', '\r'].includes(data.subarray(a, b).toString('latin1'));
    const records: number[] = []; // end offset of each data record
    let prev = 0;
    let headerSeen = false;
    for (const e of ends) {
      if (!isBlank(prev, e)) {
        if (headerSeen) records.push(e);
        headerSeen = true;
      }
      prev = e;
    }
    const maxRecords = Math.floor(next() * (records.length + 3));
    const miniBatchSize = 1 + Math.floor(next() * 100);
    const chunkSize = 1 + Math.floor(next() * 50);
    const split = await splitDelimitedFile(file, { miniBatchSize, chunkSize, hasHeader: true, maxRecords });
    assert.equal(split.records, Math.min(maxRecords, records.length), `case ${k} records`);
    if (maxRecords === 0) assert.deepEqual(split.ranges, [], `case ${k}: no records wanted`);
    if (split.ranges.length === 0) {
      assert.ok(
        maxRecords === 0 || split.headerEnd === data.length,
        `case ${k}: ranges only missing when nothing is wanted or there is no data`,
      );
      continue;
    }
    const lastEnd = split.ranges[split.ranges.length - 1].end;
    if (maxRecords < records.length) assert.equal(lastEnd, records[maxRecords - 1], `case ${k} end`);
    else assert.equal(lastEnd, data.length, `case ${k} end`);
    for (let i = 1; i < split.ranges.length; i++) assert.equal(split.ranges[i].start, split.ranges[i - 1].end);
  }
});

test('CsvScanner: switching between the indexOf path and the byte loop keeps the state (tiny spans)', () => {
  const next = rng(21);
  for (let k = 0; k < 60; k++) {
    const data = randomCsv(next, 30 + Math.floor(next() * 60));
    const ref = referenceBoundaries(data);
    const scanner = new CsvScanner(',', { denseCheck: 1 + Math.floor(next() * 3), denseSpan: 1 + Math.floor(next() * 7) });
    // Far targets keep the scanner in "skip to the target" mode, where it hands over to the byte loop.
    let p = 0;
    let target = 1 + Math.floor(next() * 40);
    for (;;) {
      const b = scanner.next(data, p, target - 1);
      assert.equal(b, ref.find((x) => x >= target) ?? -1, `case ${k}, target ${target}`);
      if (b < 0) break;
      p = b;
      target = b + 1 + Math.floor(next() * 40);
    }
  }
});

test('CsvScanner: state carries across arbitrary chunk cuts', () => {
  const next = rng(3);
  for (let k = 0; k < 100; k++) {
    const data = randomCsv(next, 40);
    const expected = referenceBoundaries(data);
    const scanner = new CsvScanner(',');
    const got: number[] = [];
    let pos = 0;
    while (pos < data.length) {
      const len = 1 + Math.floor(next() * 17);
      const view = Buffer.from(data.subarray(pos, pos + len)); // a fresh copy, like a reused read buffer
      let p = 0;
      while (p < view.length) {
        const b = scanner.next(view, p, p);
        if (b < 0) break;
        got.push(pos + b);
        p = b;
      }
      pos += view.length;
    }
    assert.deepEqual(got, expected, `case ${k}`);
  }
});

test('splitDelimitedFile: random CSVs, random sizes and chunk sizes — ranges tile the data and end on true record boundaries', async () => {
  const dir = tempDir();
  const next = rng(42);
  for (let k = 0; k < 300; k++) {
    const data = randomCsv(next, Math.floor(next() * 80));
    const file = path.join(dir, `r${k}.csv`);
    fs.writeFileSync(file, data);
    const miniBatchSize = 1 + Math.floor(next() * 150);
    const chunkSize = next() < 0.5 ? 1 + Math.floor(next() * 64) : 1 << 20;
    const hasHeader = next() < 0.7;
    const split = await splitDelimitedFile(file, { miniBatchSize, chunkSize, hasHeader });
    checkSplit(data, split, miniBatchSize, hasHeader);
  }
});

test('splitDelimitedFile: a quoted newline and "" escapes right at the split point', async () => {
  const dir = tempDir();
  const header = 'id,text\n';
  // Record 1 is 20 bytes; with miniBatchSize 10 the naive split point (first \n at/after offset 10 of the
  // data) is inside the quoted field of record 1.
  const r1 = '1,"ab""\n""cd\n,"",x"\n';
  const r2 = '2,"""\n"""\n';
  const r3 = '3,plain\n';
  const data = Buffer.from(header + r1 + r2 + r3);
  const file = path.join(dir, 'q.csv');
  fs.writeFileSync(file, data);
  for (const chunkSize of [1, 2, 3, 5, 8, 1 << 20]) {
    const split = await splitDelimitedFile(file, { miniBatchSize: 10, chunkSize, hasHeader: true });
    const h = header.length;
    assert.equal(split.headerEnd, h);
    assert.deepEqual(
      split.ranges,
      [
        { start: h, end: h + r1.length },
        { start: h + r1.length, end: h + r1.length + r2.length },
        { start: h + r1.length + r2.length, end: data.length },
      ],
      `chunkSize ${chunkSize}`,
    );
  }
});

test('splitDelimitedFile: CRLF, no trailing newline, header-only, empty, blank lines before the header', async () => {
  const dir = tempDir();
  const write = (name: string, s: string): string => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, s);
    return f;
  };
  const crlf = write('crlf.csv', 'a,b\r\n1,2\r\n3,4\r\n5,6\r\n');
  let s = await splitDelimitedFile(crlf, { miniBatchSize: 5, hasHeader: true });
  assert.equal(s.headerEnd, 5);
  assert.deepEqual(s.ranges, [
    { start: 5, end: 10 },
    { start: 10, end: 15 },
    { start: 15, end: 20 },
  ]);

  const noEol = write('noeol.csv', 'a,b\n1,2\n3,4');
  s = await splitDelimitedFile(noEol, { miniBatchSize: 4, hasHeader: true });
  assert.deepEqual(s.ranges, [
    { start: 4, end: 8 },
    { start: 8, end: 11 },
  ]);

  const headerOnly = write('header.csv', 'a,b\n');
  s = await splitDelimitedFile(headerOnly, { miniBatchSize: 4, hasHeader: true });
  assert.deepEqual([s.headerEnd, s.ranges], [4, []]);
  const headerOnlyNoEol = write('header2.csv', 'a,b');
  s = await splitDelimitedFile(headerOnlyNoEol, { miniBatchSize: 4, hasHeader: true });
  assert.deepEqual([s.headerEnd, s.ranges], [3, []]);

  const empty = write('empty.csv', '');
  assert.deepEqual((await splitDelimitedFile(empty, { miniBatchSize: 4, hasHeader: true })).ranges, []);
  assert.deepEqual((await splitDelimitedFile(empty, { miniBatchSize: 4, hasHeader: false })).ranges, []);

  const blankFirst = write('blank.csv', '\n\r\na,b\n1,2\n');
  s = await splitDelimitedFile(blankFirst, { miniBatchSize: 100, hasHeader: true });
  assert.deepEqual([s.headerEnd, s.ranges], [7, [{ start: 7, end: 11 }]]);

  const small = write('small.csv', 'a,b\n1,2\n3,4\n');
  s = await splitDelimitedFile(small, { miniBatchSize: 8, hasHeader: true });
  assert.deepEqual(s.ranges, [{ start: 4, end: 12 }], 'data of exactly miniBatchSize bytes is one range');
  s = await splitDelimitedFile(small, { miniBatchSize: 8, hasHeader: false });
  assert.deepEqual(s.ranges, [
    { start: 0, end: 8 },
    { start: 8, end: 12 },
  ]);
});

test('splitDelimitedFile: other delimiters; maxRanges and maxRecords stop early', async () => {
  const dir = tempDir();
  const f = path.join(dir, 't.tsv');
  const rows = Array.from({ length: 100 }, (_, i) => `${i}\t"q\t\n${i}"`);
  const data = Buffer.from('a\tb\n' + rows.join('\n') + '\n');
  fs.writeFileSync(f, data);
  const all = await splitDelimitedFile(f, { miniBatchSize: 50, delimiter: '\t', hasHeader: true, chunkSize: 64 });
  checkSplit(data, all, 50, true, '\t');
  const two = await splitDelimitedFile(f, { miniBatchSize: 50, delimiter: '\t', hasHeader: true, maxRanges: 2 });
  assert.deepEqual(two.ranges, all.ranges.slice(0, 2));

  const recs = await splitDelimitedFile(f, { miniBatchSize: 50, delimiter: '\t', hasHeader: true, maxRecords: 7, chunkSize: 16 });
  assert.equal(recs.records, 7);
  const ends = referenceBoundaries(data, '\t');
  assert.equal(recs.ranges[recs.ranges.length - 1].end, ends[7], 'last range ends right after record 7');
  assert.equal(recs.ranges[0].start, ends[0]);
  const many = await splitDelimitedFile(f, { miniBatchSize: 50, delimiter: '\t', hasHeader: true, maxRecords: 1000 });
  assert.equal(many.records, 100);
  assert.deepEqual(many.ranges, all.ranges, 'counting splits like not counting');
});

test('splitDelimitedFile: a 12 MB file with the default chunk size and mixed content', async () => {
  const dir = tempDir();
  const next = rng(99);
  const parts: Buffer[] = [Buffer.from('h1,h2,h3\n')];
  let total = 0;
  while (total < 12 * 1024 * 1024) {
    const b = randomCsv(next, 200).subarray(15); // drop the generator's own header
    const fixed = b.length && b[b.length - 1] !== 0x0a ? Buffer.concat([b, Buffer.from('\n')]) : b;
    parts.push(fixed);
    total += fixed.length;
  }
  const data = Buffer.concat(parts);
  // Keep only whole records of the concatenation valid: the generator's records end in \n outside quotes.
  const file = path.join(dir, 'big.csv');
  fs.writeFileSync(file, data);
  const split = await splitDelimitedFile(file, { miniBatchSize: 1024 * 1024, hasHeader: true });
  checkSplit(data, split, 1024 * 1024, true);
  assert.ok(split.ranges.length >= 12);
});
