import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { finalVerdict, thresholdBreach } from '../../../src/core/local/thresholds';
import type { RunCounts } from '../../../src/core/local/types';

function counts(failedItems: number, failedBatches: number, total = 10, succeededItems = 5): RunCounts {
  return {
    miniBatches: { total, succeeded: total - failedBatches, failed: failedBatches, running: 0, retried: 0 },
    items: { succeeded: succeededItems, failed: failedItems },
  };
}
const driver = {
  appendRowFileName: 'x',
  allowedFailedPercent: 100,
  taskOverheadTimeout: 30,
  progressUpdateTimeout: -1,
  firstTaskCreationTimeout: 600,
  appendRowDataframeHeader: false,
  other: {},
};

test('error_threshold -1 ignores every failure', () => {
  assert.equal(thresholdBreach({ errorThreshold: -1, miniBatchErrorThreshold: -1 }, counts(1000, 9)), undefined);
});

test('error_threshold allows exactly that many failed items', () => {
  assert.equal(thresholdBreach({ errorThreshold: 10, miniBatchErrorThreshold: -1 }, counts(10, 1)), undefined);
  assert.match(
    thresholdBreach({ errorThreshold: 10, miniBatchErrorThreshold: -1 }, counts(11, 1))!,
    /^Exceeded error threshold\. 11 items failed/,
  );
});

test('mini_batch_error_threshold counts failed mini-batches', () => {
  assert.equal(thresholdBreach({ errorThreshold: -1, miniBatchErrorThreshold: 0 }, counts(0, 0)), undefined);
  assert.match(thresholdBreach({ errorThreshold: -1, miniBatchErrorThreshold: 0 }, counts(3, 1))!, /1 mini-batches failed/);
});

test('allowed_failed_percent is checked over all mini-batches at the end', () => {
  assert.equal(
    finalVerdict({ driver: { ...driver, allowedFailedPercent: 30 }, task: { appendRowTo: 'o' } }, counts(3, 3)).status,
    'Completed',
  );
  const v = finalVerdict({ driver: { ...driver, allowedFailedPercent: 20 }, task: { appendRowTo: 'o' } }, counts(3, 3));
  assert.equal(v.status, 'Failed');
  assert.match(v.reason!, /30\.0% of mini-batches failed/);
});

test('append_row with no succeeded item fails; summary_only does not', () => {
  assert.equal(
    finalVerdict({ driver, task: { appendRowTo: 'o' } }, counts(0, 0, 2, 0)).reason,
    'There is no succeeded mini batch item returned from run().',
  );
  assert.equal(finalVerdict({ driver, task: { appendRowTo: undefined } }, counts(0, 0, 2, 0)).status, 'Completed');
});
