/** Thresholds and cancellation stop a run early and keep everything already finished. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { assertAccounting, fileJob, fixture, keysOf, PROLOGUE, readLog, run } from './helpers';

const failing = (names: string) => `${PROLOGUE}
import time
def run(mini_batch):
    time.sleep(0.02)
    out = []
    for p in mini_batch:
        name = os.path.basename(p)
        if name in (${names}):
            raise RuntimeError("cannot score " + name)
        out.append(name + ": ok")
    return out
`;
const oneTry = { retrySettings: { maxRetries: 0, timeout: 60 }, maxConcurrencyPerInstance: 1, miniBatchSize: 1 };

test('stops with "Exceeded error threshold." once error_threshold items failed, keeping finished rows', async () => {
  const fx = fixture(failing(`"f002.txt", "f004.txt", "f006.txt"`), 20);
  const { summary, lines } = await run(fileJob(fx, { ...oneTry, errorThreshold: 1 }));
  assert.equal(summary.status, 'Failed');
  assert.match(summary.reason!, /^Exceeded error threshold\. 2 items failed and error_threshold is 1\./);
  assert.ok(summary.counts.miniBatches.succeeded < 18, 'the run stopped early');
  assert.ok(lines.length >= 3, 'rows finished before the stop are kept');
  assert.ok(summary.miniBatches.some((m) => m.status === 'pending'));
  assert.match(readLog(summary, 'job_result.txt'), /^Failed\nExceeded error threshold/);
  assertAccounting(summary, fx.files, keysOf(lines));
});

test('stops once mini_batch_error_threshold mini-batches failed', async () => {
  const fx = fixture(failing(`"f001.txt", "f003.txt"`), 12);
  const { summary, lines } = await run(fileJob(fx, { ...oneTry, miniBatchErrorThreshold: 1 }));
  assert.equal(summary.status, 'Failed');
  assert.match(summary.reason!, /2 mini-batches failed and mini_batch_error_threshold is 1/);
  assertAccounting(summary, fx.files, keysOf(lines));
});

test('a failure within the thresholds completes the run', async () => {
  const fx = fixture(failing(`"f001.txt"`), 6);
  const { summary } = await run(fileJob(fx, { ...oneTry, errorThreshold: 1, miniBatchErrorThreshold: 1 }));
  assert.equal(summary.status, 'Completed');
  assert.equal(summary.counts.items.failed, 1);
});

test('fails after all mini-batches when --allowed_failed_percent is exceeded', async () => {
  const fx = fixture(failing(`"f001.txt", "f002.txt"`), 8);
  const job = fileJob(fx, oneTry);
  job.driver.allowedFailedPercent = 20;
  const { summary, lines } = await run(job);
  assert.equal(summary.status, 'Failed');
  assert.match(summary.reason!, /25\.0% of mini-batches failed and --allowed_failed_percent is 20/);
  assert.equal(summary.counts.miniBatches.succeeded + summary.counts.miniBatches.failed, 8, 'checked after every mini-batch ran');
  assertAccounting(summary, fx.files, keysOf(lines));
});

test('cancel stops the workers, keeps finished mini-batches and marks the run Canceled', async () => {
  const script = `${PROLOGUE}
def run(mini_batch):
    time.sleep(0.2)
    return [os.path.basename(p) + ": ok" for p in mini_batch]
`;
  const fx = fixture(script, 40);
  const controller = new AbortController();
  let done = 0;
  const { summary, lines } = await run(fileJob(fx, { miniBatchSize: 1 }), {
    signal: controller.signal,
    onEvent: (e) => {
      // Two workers finish out of index order: count completions, not indexes.
      if (e.type === 'miniBatchDone' && ++done === 4) controller.abort();
    },
  });
  assert.equal(summary.status, 'Canceled');
  assert.ok(lines.length >= 4 && lines.length < 40, `kept ${lines.length} finished rows`);
  for (const line of lines) assert.match(line, /^f\d{3}\.txt: ok$/, 'no torn line');
  assertAccounting(summary, fx.files, keysOf(lines));
  assert.match(readFileSync(summary.logsDir + '/job_result.txt', 'utf8'), /^Canceled/);
});
