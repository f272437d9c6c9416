import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseRow, splitRecord } from '../../../src/core/local/results';
import { FRAME_ROWS, TO_CSV } from './fixtures';

/** The records of a to_csv text, split where a newline is outside quotes. */
function records(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"') quoted = !quoted;
    else if (text[i] === '\n' && !quoted) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  return out;
}

for (const [sep, text] of Object.entries(TO_CSV)) {
  test(`reads back every field pandas wrote with sep=${JSON.stringify(sep)}`, () => {
    assert.deepEqual(
      records(text).map((r) => parseRow(r, sep)),
      FRAME_ROWS,
    );
  });
}

test('a quoted separator stays inside its field', () => {
  assert.deepEqual(parseRow('"a b c" 1', ' '), ['a b c', '1']);
  assert.deepEqual(parseRow('"x,y",2', ','), ['x,y', '2']);
});

test('doubled quotes inside a quoted field are one quote', () => {
  assert.deepEqual(parseRow('"he said ""no""" 3', ' '), ['he said "no"', '3']);
});

test('a quoted newline is part of the field', () => {
  assert.deepEqual(parseRow('"line one\nline two" 4', ' '), ['line one\nline two', '4']);
});

test('keeps unicode as it is', () => {
  assert.deepEqual(parseRow('"ünï 😀" 日本語', ' '), ['ünï 😀', '日本語']);
});

test('empty fields: leading, trailing, and an empty record', () => {
  assert.deepEqual(parseRow(' 5 ', ' '), ['', '5', '']);
  assert.deepEqual(parseRow('', ' '), ['']);
  assert.deepEqual(parseRow('""', ' '), ['']);
});

test('with quoting off a quote is just a character', () => {
  assert.deepEqual(parseRow('"a b" c', ' ', null), ['"a', 'b"', 'c']);
});

test('honours another quote character', () => {
  assert.deepEqual(parseRow("'a b' 'it''s'", ' ', "'"), ['a b', "it's"]);
});

test('an unclosed quote or a stray quote marks the record as not from to_csv, and loses nothing', () => {
  assert.deepEqual(splitRecord('"abc 1', ' '), { fields: ['abc 1'], wellFormed: false });
  assert.deepEqual(splitRecord('"ab"c 1', ' '), { fields: ['abc', '1'], wellFormed: false });
  assert.deepEqual(splitRecord('it"s 1', ' '), { fields: ['it"s', '1'], wellFormed: false });
  assert.equal(splitRecord('"a b" 1', ' ').wellFormed, true);
});
