// Estimates from a local run's measured times: wall time in waves of nodes × processes, node-hours, cost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateJob, EstimateError, formatDuration } from '../../../../src/core/azure/submit/estimate';
import type { MiniBatchRecord } from '../../../../src/core/local/types';

function mb(seconds: number, items: number, status: MiniBatchRecord['status'] = 'succeeded'): MiniBatchRecord {
  return {
    index: 0,
    data: { kind: 'files', files: [] } as unknown as MiniBatchRecord['data'],
    partitionKeyValue: {},
    status,
    attempts: 1,
    items,
    succeeded: items,
    seconds,
  };
}

test('files: time per file from the measured mini-batches; mini-batches run in waves of nodes × processes', () => {
  // 2 mini-batches of 5 files in 10 s in all: 1 s per file.
  const e = estimateJob({
    measured: { miniBatches: [mb(4, 5), mb(6, 5), mb(100, 5, 'failed')] },
    kind: 'files',
    inputSize: 100,
    miniBatchSize: 5,
    nodes: 2,
    processesPerNode: 2,
    pricePerNodeHour: 0.5,
  });
  assert.equal(e.secondsPerItem, 1);
  assert.equal(e.secondsPerMiniBatch, 5);
  assert.equal(e.miniBatches, 20);
  assert.equal(e.wallSeconds, 25, '20 mini-batches / 4 workers = 5 waves of 5 s');
  assert.equal(e.nodeHours, (2 * 25) / 3600);
  assert.equal(e.cost, e.nodeHours * 0.5);
  assert.match(e.assumptions.join('\n'), /Each file takes 1 s, the mean of 10 files over 2 mini-batches/);
  assert.match(e.assumptions.join('\n'), /20 mini-batches on 2 node\(s\) × 2 process\(es\) = 4 at once: 5 wave\(s\)/);
  assert.match(e.assumptions.join('\n'), /scale-up, image build and job preparation are not included/);
});

test('tutorial resubmit: one image, batch size 1, one node and process', () => {
  const e = estimateJob({
    measured: { miniBatches: [mb(2, 5)] },
    kind: 'files',
    inputSize: 1,
    miniBatchSize: 1,
    nodes: 1,
    processesPerNode: 1,
  });
  assert.equal(e.miniBatches, 1);
  assert.equal(e.wallSeconds, 0.4);
  assert.equal(e.cost, undefined);
});

test('tabular: per mini-batch, scaled linearly to a new mini-batch size; startup seconds added', () => {
  const e = estimateJob({
    measured: { miniBatches: [mb(3, 100), mb(5, 100)] },
    kind: 'tabular',
    inputSize: 10_000_000,
    miniBatchSize: 2_000_000,
    measuredMiniBatchSize: 1_000_000,
    nodes: 1,
    processesPerNode: 2,
    startupSeconds: 120,
  });
  assert.equal(e.secondsPerMiniBatch, 8);
  assert.equal(e.miniBatches, 5);
  assert.equal(e.wallSeconds, 120 + 3 * 8);
  assert.match(e.assumptions.join('\n'), /scaled linearly from 1000000 to 2000000 bytes/);
  assert.match(e.assumptions.join('\n'), /Each node needs 120 s/);
});

test('no measured mini-batch, or a size that is not positive, is an error saying what to do', () => {
  assert.throws(
    () =>
      estimateJob({
        measured: { miniBatches: [mb(1, 1, 'failed')] },
        kind: 'files',
        inputSize: 1,
        miniBatchSize: 1,
        nodes: 1,
        processesPerNode: 1,
      }),
    (e: Error) => e instanceof EstimateError && /run the node locally first/.test(e.message),
  );
  assert.throws(
    () =>
      estimateJob({ measured: { miniBatches: [mb(1, 1)] }, kind: 'files', inputSize: 1, miniBatchSize: 1, nodes: 0, processesPerNode: 1 }),
    /The nodes must be a positive number, not 0/,
  );
});

test('durations read as a person would say them', () => {
  assert.equal(formatDuration(12.4), '12 s');
  assert.equal(formatDuration(0.44), '0.4 s');
  assert.equal(formatDuration(200), '3 min 20 s');
  assert.equal(formatDuration(3720), '1 h 02 min');
});
