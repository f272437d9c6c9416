/**
 * What the user reads after a run: counts that agree everywhere, one sentence for short returns, items named
 * as the user knows them, and the failing line of the user's own code first.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import type { ParallelJob } from '../../src/core/spec/types';
import type { RunSummary } from '../../src/core/local/types';
import { printSummary } from '../../src/cli/summary';
import { fileJob, fixture, PROLOGUE, readLog, run } from './helpers';

function printed(summary: RunSummary): string {
  let text = '';
  const out = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  printSummary(out, summary);
  return text;
}

/** A sales table with Store and Brand columns, partitioned by both (like the oj_sales sample). */
function salesJob(script: string, over: Partial<ParallelJob> = {}): { job: ParallelJob; rows: number } {
  const fx = fixture(script, 0);
  const csv = path.join(fx.dataDir, 'sales.csv');
  const lines = ['Store,Brand,Week,Quantity'];
  for (const store of ['1000', '1001'])
    for (const brand of ['dominicks', 'tropicana']) for (let w = 0; w < 5; w++) lines.push(`${store},${brand},${w},${w * 10}`);
  writeFileSync(csv, lines.join('\n') + '\n');
  const job = fileJob(fx, {
    maxConcurrencyPerInstance: 2,
    partitionKeys: ['Store', 'Brand'],
    retrySettings: { maxRetries: 0, timeout: 60 },
    ...over,
  });
  job.inputData = {
    kind: 'tabular',
    inputName: 'data_source',
    type: 'mltable',
    path: fx.dataDir,
    files: [csv],
    tabular: { format: 'delimited', delimiter: ',', header: 'all_files_same_headers', encoding: 'utf8', source: 'test' },
  };
  job.task.appendRowTo = undefined;
  return { job, rows: lines.length - 1 };
}

const TRAIN = `${PROLOGUE}
def run(mini_batch, mini_batch_context):
    folder = os.path.join(os.environ["AZUREML_BI_OUTPUT_PATH"], *mini_batch_context.partition_key_value.values())
    os.makedirs(folder, exist_ok=True)
    mini_batch.to_csv(os.path.join(folder, "model.csv"))
    return []
`;

test('partitioned training that returns [] keeps the driver counts and reads as one sentence', async () => {
  const { job, rows } = salesJob(TRAIN);
  const { summary } = await run(job);
  assert.equal(summary.status, 'Completed');
  assert.equal(summary.counts.items.failed, rows, "the driver's counts: every item without a result is a failed item");
  assert.equal(summary.shortReturns?.miniBatches, 4);
  assert.equal(summary.shortReturns?.items, rows);
  assert.equal(
    summary.shortReturns?.explanation,
    `run() returned an empty list in 4 mini-batches; the driver counts the ${rows} item(s) without a result as failed; error_threshold -1 lets the run complete.`,
  );
  const text = printed(summary);
  assert.equal(text.split(summary.shortReturns!.explanation).length, 2, 'the sentence is printed once');
  assert.doesNotMatch(text, /ShortReturn|mini-batch \d/, 'no advice per mini-batch');
  assert.match(readLog(summary, 'job_result.txt'), /error_threshold -1 lets the run complete/);
  for (const log of ['job_error.txt', 'sys/job_report/processed_mini-batches.csv', 'sys/master_role.txt']) {
    assert.doesNotMatch(readLog(summary, log), /\.prs/, `${log} names no internal file`);
  }
  assert.match(readLog(summary, 'sys/job_report/processed_mini-batches.csv'), /Store=1000, Brand=dominicks \(5 rows\)/);
});

test('a failed partition is named by its key values, with one row count, and the user frame comes first', async () => {
  const script = `${PROLOGUE}
def convert(frame):
    return frame["Brand"].astype(float)

def run(mini_batch, mini_batch_context):
    if mini_batch_context.partition_key_value["Store"] == "1001" and mini_batch_context.partition_key_value["Brand"] == "tropicana":
        convert(mini_batch)
    return [1] * len(mini_batch)
`;
  const { job } = salesJob(script);
  const { summary } = await run(job);
  const failure = summary.failures.find((f) => f.final && f.reason === 'exception');
  assert.ok(failure, JSON.stringify(summary.failures));
  assert.deepEqual(failure.items, ['Store=1001, Brand=tropicana (5 rows)']);
  const location = failure.error.location!;
  assert.equal(path.basename(location.file), 'score.py');
  assert.equal(location.function, 'convert');
  const innermost = failure.error.frames!.at(-1)!;
  assert.notEqual(path.basename(innermost.file), 'score.py', 'the error was raised inside pandas');
  const text = printed(summary);
  assert.match(
    text,
    /mini-batch \d \(Store=1001, Brand=tropicana \(5 rows\)\)\n {4}ValueError: .*\n {4}at \S+score\.py:\d+ in convert\n {4}raised in \S+pandas\S+:\d+ in /,
  );
  assert.doesNotMatch(text, /item\(s\)|\.prs/);
  const errorLogs = readFileSync(path.join(summary.logsDir, 'user/error/node0', `${failure.worker.split('/')[1]}.txt`), 'utf8');
  assert.match(errorLogs, /Store=1001, Brand=tropicana: 5 rows/);
  assert.doesNotMatch(errorLogs, /\.prs/);
});

const SLOW = `${PROLOGUE}
import time
def run(mini_batch):
    time.sleep(0.05)
    for p in mini_batch:
        if os.path.basename(p) == "f001.txt":
            raise RuntimeError("bad")
    return [os.path.basename(p) for p in mini_batch]
`;

test('a threshold-stopped run says how many mini-batches never started, and every line agrees', async () => {
  const fx = fixture(SLOW, 30);
  const { summary } = await run(
    fileJob(fx, { miniBatchSize: 1, maxConcurrencyPerInstance: 1, errorThreshold: 0, retrySettings: { maxRetries: 0, timeout: 60 } }),
  );
  assert.equal(summary.status, 'Failed');
  const mb = summary.counts.miniBatches;
  assert.ok((mb.notStarted ?? 0) > 20, JSON.stringify(mb));
  assert.equal(mb.succeeded + mb.failed + mb.notStarted! + mb.interrupted!, mb.total);
  assert.equal(mb.notStarted! + mb.interrupted!, summary.miniBatches.filter((m) => m.status === 'pending').length);
  const line = `${mb.notStarted! + mb.interrupted!} not processed (${mb.notStarted} never started, ${mb.interrupted} interrupted)`;
  assert.ok(printed(summary).includes(line), printed(summary));
  assert.ok(readLog(summary, 'job_result.txt').includes(line));
});

test('a canceled run shows canceled counts', async () => {
  const fx = fixture(SLOW.replace('"f001.txt"', '"none"'), 30);
  const controller = new AbortController();
  const { summary } = await run(fileJob(fx, { miniBatchSize: 1, maxConcurrencyPerInstance: 1 }), {
    signal: controller.signal,
    onEvent: (e) => {
      if (e.type === 'miniBatchDone') controller.abort();
    },
  });
  assert.equal(summary.status, 'Canceled');
  const mb = summary.counts.miniBatches;
  assert.equal(mb.succeeded + mb.failed + mb.notStarted! + mb.interrupted!, mb.total);
  assert.match(
    printed(summary),
    new RegExp(`; ${mb.notStarted! + mb.interrupted!} canceled \\(${mb.notStarted} never started, ${mb.interrupted} interrupted\\)`),
  );
});
