import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { countsLong, countsShort, deriveCounts } from '../../../src/shared/counts';
import type { RunCounts } from '../../../src/core/local/types';

function counts(total: number, succeeded: number, failed: number, running: number, items: RunCounts['items'], retried = 0): RunCounts {
  return { miniBatches: { total, succeeded, failed, running, retried }, items };
}

test('completed: every mini-batch ok', () => {
  const c = deriveCounts('Completed', counts(20, 20, 0, 0, { total: 100, succeeded: 100, failed: 0 }));
  assert.equal(countsShort(c), '100/100 ok');
  assert.equal(countsLong(c), '20 mini-batches: 20 ok · 100/100 items ok');
});

test('failed by threshold: the mini-batches never started are counted', () => {
  const c = deriveCounts('Failed', counts(20, 3, 6, 2, { succeeded: 15, failed: 30 }, 4));
  assert.equal(c.running, 0);
  assert.equal(c.notStarted, 11);
  assert.equal(countsShort(c), '15/45 ok, 11 not started');
  assert.equal(countsLong(c), '20 mini-batches: 3 ok, 6 failed, 11 never started, 4 retried · 15 items ok, 30 failed');
});

test('failed by no success: nothing ok', () => {
  const c = deriveCounts('Failed', counts(2, 0, 2, 0, { total: 10, succeeded: 0, failed: 10 }, 4));
  assert.equal(countsShort(c), '0/10 ok');
});

test('canceled: never "208/208 ok", the mini-batches it reached', () => {
  const c = deriveCounts('Canceled', counts(18, 2, 0, 3, { succeeded: 208, failed: 0 }));
  assert.equal(countsShort(c), 'canceled at 2/18 mini-batches');
  assert.match(countsLong(c), /16 canceled before they started/);
});

test('running never exceeds the worker processes', () => {
  const c = deriveCounts('Running', counts(20, 2, 0, 9, { succeeded: 10, failed: 0 }), 4);
  assert.equal(c.running, 4);
  assert.equal(countsShort(c), '2/20 mini-batches');
});
