import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { countsText, durationText, readRunSummary } from '../../../src/core/workspace';
import type { RunCounts } from '../../../src/core/local';
import { writeTree } from '../spec/fixture';

const counts = (items: RunCounts['items'], mb: Partial<RunCounts['miniBatches']> = {}): RunCounts => ({
  miniBatches: { total: 4, succeeded: 3, failed: 1, running: 0, retried: 0, ...mb },
  items,
});

test('counts read "18/20 ok" in items when known, else in mini-batches', () => {
  assert.equal(countsText(counts({ total: 20, succeeded: 18, failed: 2 })), '18/20 ok');
  assert.equal(countsText(counts({ succeeded: 0, failed: 0 })), '3/4 ok');
  assert.equal(countsText(counts({ succeeded: 90, failed: 10 })), '90/100 ok');
});

test('durations read like a person would say them', () => {
  assert.equal(durationText(850), '850 ms');
  assert.equal(durationText(3240), '3.2 s');
  assert.equal(durationText(125_000), '2 min 05 s');
  assert.equal(durationText(3_780_000), '1 h 03 min');
});

test('a run folder without a readable summary.json is not a finished run', async () => {
  const dir = writeTree({
    'done/summary.json': JSON.stringify({ status: 'Completed', counts: counts({ succeeded: 1, failed: 0 }), runDir: '' }),
    'broken/summary.json': '{',
  });
  assert.equal((await readRunSummary(path.join(dir, 'done')))?.runDir, path.join(dir, 'done'));
  assert.equal(await readRunSummary(path.join(dir, 'broken')), undefined);
  assert.equal(await readRunSummary(path.join(dir, 'missing')), undefined);
});
