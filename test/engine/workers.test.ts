/** How many workers a run starts: never more than it has mini-batches. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileJob, fixture, PROLOGUE, run } from './helpers';
import { workerSlots } from '../../src/core/local/scheduler';

const SCRIPT = `${PROLOGUE}
def run(mini_batch):
    return [os.path.basename(p) for p in mini_batch]
`;

function startedWorkers(events: { type: string; state?: string; worker?: string }[]): string[] {
  return [...new Set(events.filter((e) => e.type === 'worker' && e.state === 'starting').map((e) => e.worker!))].sort();
}

test('--sample 1 starts one worker, whatever instance_count x max_concurrency_per_instance says', async () => {
  const fx = fixture(SCRIPT, 12);
  const { summary, events } = await run(fileJob(fx, { instanceCount: 2, maxConcurrencyPerInstance: 4, miniBatchSize: 2 }), {
    sample: { miniBatches: 1 },
  });
  assert.equal(summary.status, 'Completed');
  assert.equal(summary.counts.miniBatches.total, 1);
  assert.equal(summary.workers, 1);
  assert.deepEqual(startedWorkers(events), ['node0/process000']);
  // Empty working folders are removed when the run ends (docs/semantics.md, "Internal folders").
  assert.equal(existsSync(path.join(summary.runDir, 'wd')), false);
});

test('3 mini-batches on 2 nodes x 2 processes start 3 workers, spread over both nodes', async () => {
  const fx = fixture(SCRIPT, 6);
  const { summary, events } = await run(fileJob(fx, { instanceCount: 2, maxConcurrencyPerInstance: 2, miniBatchSize: 2 }));
  assert.equal(summary.status, 'Completed');
  assert.equal(summary.workers, 3);
  assert.deepEqual(startedWorkers(events), ['node0/process000', 'node0/process001', 'node1/process000']);
});

test('workerSlots keeps the cloud names and stops at the number of mini-batches', () => {
  const job = { instanceCount: 2, maxConcurrencyPerInstance: 3 };
  assert.equal(workerSlots(job, 100).length, 6);
  assert.deepEqual(workerSlots(job, 0), []);
  assert.deepEqual(
    workerSlots(job, 4).map((s) => `${s.node}/${s.process}`),
    ['node0/process000', 'node0/process001', 'node1/process000', 'node1/process001'],
  );
  assert.deepEqual(
    workerSlots(job, 5, true).map((s) => `${s.node}/${s.process}`),
    ['node0/process000'],
    'debug runs one worker',
  );
});
