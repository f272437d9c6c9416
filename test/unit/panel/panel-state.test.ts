import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { appendLog, emptyTail, tracebackLocations } from '../../../src/shared/panel-state';

test('a line written in pieces is one line', () => {
  const tail = emptyTail();
  appendLog(tail, 'stdout', 'loading ');
  appendLog(tail, 'stdout', 'model');
  appendLog(tail, 'stdout', '\nready\n');
  assert.deepEqual(tail.lines, [
    { stream: 'stdout', text: 'loading model' },
    { stream: 'stdout', text: 'ready' },
  ]);
});

test('stderr does not continue an open stdout line', () => {
  const tail = emptyTail();
  appendLog(tail, 'stdout', 'partial');
  appendLog(tail, 'stderr', 'oops\n');
  assert.deepEqual(tail.lines, [
    { stream: 'stdout', text: 'partial', open: true },
    { stream: 'stderr', text: 'oops' },
  ]);
});

test('a carriage return rewrites the line, as a progress bar shows', () => {
  const tail = emptyTail();
  appendLog(tail, 'stderr', '\r 10%');
  appendLog(tail, 'stderr', '\r 50%');
  appendLog(tail, 'stderr', '\r100%\n');
  assert.deepEqual(tail.lines, [{ stream: 'stderr', text: '100%' }]);
});

test('windows line ends are one line end', () => {
  const tail = emptyTail();
  appendLog(tail, 'stdout', 'a\r\nb\r\n');
  assert.deepEqual(
    tail.lines.map((l) => l.text),
    ['a', 'b'],
  );
});

test('keeps the last 200 lines and counts the rest', () => {
  const tail = emptyTail();
  for (let i = 0; i < 1000; i++) appendLog(tail, 'stdout', `line ${i}\n`);
  assert.equal(tail.lines.length, 200);
  assert.equal(tail.lines[0].text, 'line 800');
  assert.equal(tail.dropped, 800);
});

test('cuts an endless line', () => {
  const tail = emptyTail();
  for (let i = 0; i < 100; i++) appendLog(tail, 'stdout', 'x'.repeat(100));
  assert.equal(tail.lines.length, 1);
  assert.ok(tail.lines[0].text.length <= 4001);
});

test('finds each frame of a Python traceback, with where it sits in the text', () => {
  const tb =
    'Traceback (most recent call last):\n  File "/code/score.py", line 12, in run\n    1/0\n  File "/usr/lib/x.py", line 3, in f\nZeroDivisionError: division by zero';
  const found = tracebackLocations(tb);
  assert.deepEqual(
    found.map((l) => [l.file, l.line, tb.slice(l.start, l.end)]),
    [
      ['/code/score.py', 12, 'File "/code/score.py", line 12'],
      ['/usr/lib/x.py', 3, 'File "/usr/lib/x.py", line 3'],
    ],
  );
});
