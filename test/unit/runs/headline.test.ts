import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  displayPath,
  endWithPeriod,
  failureHeadline,
  groupFailures,
  headlineSentence,
  userFrame,
  type FailureLike,
} from '../../../src/shared/headline';

const CODE = '/work/digits/src';
const SCRIPT = `${CODE}/digit_identification.py`;

function boom(index: number, attempt: number, final: boolean, extra: Partial<FailureLike> = {}): FailureLike {
  return {
    index,
    attempt,
    final,
    reason: 'exception',
    items: [
      `/data/img${index}_0.png`,
      `/data/img${index}_1.png`,
      `/data/img${index}_2.png`,
      `/data/img${index}_3.png`,
      `/data/img${index}_4.png`,
    ],
    error: {
      type: 'ValueError',
      message: 'boom',
      traceback: `Traceback (most recent call last):\n  File "${SCRIPT}", line 87, in run\n    raise ValueError("boom")\nValueError: boom\n`,
      frames: [{ file: SCRIPT, line: 87, function: 'run' }],
    },
    ...extra,
  };
}

test('the headline is the user error, its file:line relative to the workspace, and what it hit', () => {
  const failures = [boom(0, 1, false), boom(1, 1, false), boom(0, 2, true), boom(1, 2, true)];
  const h = failureHeadline(
    { reason: 'There is no succeeded mini batch item returned from run().', failures },
    { codeDir: CODE, root: '/work/digits' },
  )!;
  assert.equal(h.error, 'ValueError: boom');
  assert.equal(h.where, 'src/digit_identification.py:87');
  assert.equal(h.scope, 'in 2 mini-batches (10 items)');
  assert.equal(h.reason, 'There is no succeeded mini batch item returned from run().');
  assert.equal(
    headlineSentence(h),
    'ValueError: boom at src/digit_identification.py:87, in 2 mini-batches (10 items). There is no succeeded mini batch item returned from run().',
  );
});

test('the deepest user frame skips library frames below it', () => {
  const lib = '/usr/lib/python3/dist-packages/numpy/core/fromnumeric.py';
  const f = boom(0, 1, true, {
    error: {
      type: 'TypeError',
      message: 'bad operand',
      frames: [
        { file: SCRIPT, line: 88, function: 'run' },
        { file: `${CODE}/model.py`, line: 12, function: 'predict' },
        { file: lib, line: 3000, function: 'sum' },
      ],
    },
  });
  assert.deepEqual(userFrame(f, CODE), { file: `${CODE}/model.py`, line: 12, function: 'predict' });
  assert.deepEqual(userFrame(f), { file: `${CODE}/model.py`, line: 12, function: 'predict' });
});

test('without structured frames the traceback text gives the user frame', () => {
  const f = boom(0, 1, true);
  delete f.error.frames;
  assert.deepEqual(userFrame(f, CODE), { file: SCRIPT, line: 87, function: 'run' });
});

test('a frame the engine recorded wins over derived ones', () => {
  const f = boom(0, 1, true, { userFrame: { file: `${CODE}/other.py`, line: 5, function: 'helper' } });
  assert.equal(userFrame(f, CODE)?.file, `${CODE}/other.py`);
});

test('distinct errors become distinct groups, the one that ended most mini-batches first', () => {
  const timeout: FailureLike = {
    index: 2,
    final: true,
    reason: 'timeout',
    items: ['a'],
    error: { type: 'Timeout', message: 'mini-batch 2 ran past 60 s' },
  };
  const groups = groupFailures([timeout, boom(0, 1, true), boom(1, 1, true)], { codeDir: CODE });
  assert.deepEqual(
    groups.map((g) => [g.type, g.miniBatches]),
    [
      ['ValueError', [0, 1]],
      ['Timeout', [2]],
    ],
  );
  const h = failureHeadline({ failures: [timeout, boom(0, 1, true), boom(1, 1, true)] }, { codeDir: CODE })!;
  assert.equal(h.distinctErrors, 2);
  assert.match(headlineSentence(h), /; 1 other error\.$/);
});

test('a mini-batch counts once, in the group of its latest attempt; short returns count their failed items', () => {
  const short: FailureLike = {
    index: 0,
    final: true,
    reason: 'short_return',
    items: ['a', 'b', 'c'],
    failedItems: 1,
    error: { type: 'ShortReturn', message: 'run() returned 2 results for 3 items' },
  };
  const groups = groupFailures([boom(0, 1, false), short]);
  const byType = Object.fromEntries(groups.map((g) => [g.type, g]));
  assert.deepEqual(byType.ValueError.miniBatches, []);
  assert.equal(byType.ValueError.attempts, 1);
  assert.deepEqual(byType.ShortReturn.miniBatches, [0]);
  assert.equal(byType.ShortReturn.items, 1);
  assert.equal(groups[0].type, 'ShortReturn');
});

test('trimmed failure views count all their items', () => {
  const f = boom(3, 1, true, { items: ['x'], itemCount: 40 });
  assert.equal(groupFailures([f])[0].items, 40);
});

test('no failures, no headline; the reason is not repeated when it is the error itself', () => {
  assert.equal(failureHeadline({ failures: [] }), undefined);
  assert.equal(failureHeadline({ reason: 'ValueError: boom', failures: [boom(0, 1, true)] })!.reason, undefined);
});

test('paths outside the root stay absolute; messages end with one period', () => {
  assert.equal(displayPath('/elsewhere/x.py', '/work/digits'), '/elsewhere/x.py');
  assert.equal(displayPath('/work/digits/src/x.py', '/work/digits/'), 'src/x.py');
  assert.equal(endWithPeriod('Canceled by the user.'), 'Canceled by the user.');
  assert.equal(endWithPeriod('threshold exceeded..'), 'threshold exceeded.');
  assert.equal(endWithPeriod('really?'), 'really?');
});
