/** Locating a failure in the user's code, and the one sentence that explains short returns. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { locate, locationLines, userFrame } from '../../../src/core/local/failure-location';
import { explainShortReturns } from '../../../src/core/local/thresholds';
import { cannotSucceedOnRetry } from '../../../src/core/local/scheduler';
import type { MiniBatchFailure, WorkerError } from '../../../src/core/local/types';

const frames = [
  { file: '/w/src/score.py', line: 30, function: 'run' },
  { file: '/w/src/helpers/features.py', line: 12, function: 'lag' },
  { file: '/w/src/.venv/lib/python3.11/site-packages/pandas/core/frame.py', line: 4000, function: 'shift' },
  { file: '/usr/lib/python3/dist-packages/numpy/core/fromnumeric.py', line: 57, function: '_wrapfunc' },
];

test('the user frame is the deepest one inside the code folder, skipping packages installed there', () => {
  assert.deepEqual(userFrame(frames, '/w/src'), frames[1]);
  assert.deepEqual(userFrame(frames, '/w/src/'), frames[1]);
  assert.equal(userFrame(frames, '/w/other'), undefined);
  assert.equal(
    userFrame([{ file: '/w/srcfoo/x.py', line: 1, function: 'f' }], '/w/src'),
    undefined,
    'a sibling folder with the same prefix is not inside',
  );
  assert.equal(userFrame([{ file: '<string>', line: 1, function: 'f' }], '/w/src'), undefined);
});

test('report lines name the user frame first, then the library frame that raised', () => {
  const error = locate({ type: 'ValueError', message: 'bad', frames }, '/w/src');
  assert.deepEqual(locationLines(error), [
    'at /w/src/helpers/features.py:12 in lag',
    'raised in /usr/lib/python3/dist-packages/numpy/core/fromnumeric.py:57 in _wrapfunc',
  ]);
  const own = locate({ type: 'KeyError', message: 'k', frames: frames.slice(0, 2) }, '/w/src');
  assert.deepEqual(locationLines(own), ['at /w/src/helpers/features.py:12 in lag'], 'no second line when the user code raised');
  assert.deepEqual(locationLines({ type: 'WorkerCrashed', message: 'died' }), []);
});

function short(index: number, returned: number, items: number): MiniBatchFailure {
  return {
    index,
    attempt: 1,
    worker: 'node0/process000',
    reason: 'short_return',
    failedItems: items - returned,
    items: [`Store=${index} (${items} rows)`],
    error: {
      type: 'ShortReturn',
      message: `run() returned ${returned} result(s) for ${items} item(s): ${items - returned} count as failed.`,
    },
    final: true,
  };
}

test('short returns read as one sentence that says why the run still completed', () => {
  const failures = Array.from({ length: 99 }, (_, i) => short(i, 0, 121));
  assert.equal(
    explainShortReturns({ errorThreshold: -1 }, failures)!.explanation,
    'run() returned an empty list in 99 mini-batches; the driver counts the 11979 item(s) without a result as failed; error_threshold -1 lets the run complete.',
  );
  const partial = explainShortReturns({ errorThreshold: 100 }, [short(0, 5, 10)])!;
  assert.equal(partial.miniBatches, 1);
  assert.equal(partial.items, 5);
  assert.match(
    partial.explanation,
    /^run\(\) returned fewer results than items in 1 mini-batch; .* error_threshold 100 allows up to 100 failed item\(s\); return one result per item/,
  );
  const stopped = explainShortReturns(
    { errorThreshold: 3 },
    [short(0, 0, 10)],
    'Exceeded error threshold. 10 items failed and error_threshold is 3.',
  )!;
  assert.match(stopped.explanation, /more than error_threshold 3, which stopped the run/);
  assert.equal(explainShortReturns({ errorThreshold: -1 }, []), undefined);
  assert.match(
    explainShortReturns({ errorThreshold: -1 }, [short(0, 0, 10)], 'Canceled by the user.')!.explanation,
    /; error_threshold -1 tolerates them\.$/,
  );
  const appendRow = explainShortReturns(
    { errorThreshold: -1 },
    [short(0, 0, 10)],
    'There is no succeeded mini batch item returned from run().',
  )!;
  assert.doesNotMatch(appendRow.explanation, /lets the run complete/, 'never says the run completed when it failed');
  assert.match(
    appendRow.explanation,
    /with append_row_to set, a run without any result fails .*; remove append_row_to if the script writes its own output/,
  );
});

test('start-up errors that a new worker would hit again are not retried, by the cause the worker sent', () => {
  const err = (type: string, cause?: WorkerError['cause'], message = 'x'): WorkerError => ({ type, message, ...(cause ? { cause } : {}) });
  assert.ok(cannotSucceedOnRetry(err('SyntaxError', 'syntax_error'), 'import'));
  assert.ok(cannotSucceedOnRetry(err('IndentationError', 'syntax_error'), 'import'));
  assert.ok(cannotSucceedOnRetry(err('ModuleNotFoundError', 'missing_module'), 'import'));
  assert.ok(cannotSucceedOnRetry(err('ImportError', 'import_error'), 'init'));
  assert.ok(cannotSucceedOnRetry(err('AttributeError', 'no_run_function'), 'import'));
  assert.ok(cannotSucceedOnRetry(err('FileNotFoundError', 'entry_script_missing'), 'import'));
  assert.ok(!cannotSucceedOnRetry(err('RuntimeError'), 'import'));
  assert.ok(!cannotSucceedOnRetry(err('FileNotFoundError', undefined, 'The entry script does not exist'), 'init'));
  assert.ok(!cannotSucceedOnRetry(err('AttributeError', 'no_run_function'), 'init'));
  // The message is the user's text: a ValueError that mentions "No module named" is not a missing module.
  assert.ok(!cannotSucceedOnRetry(err('ValueError', undefined, "No module named 'x'"), 'init'));
});
