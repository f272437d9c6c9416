/**
 * Every end state, driven with real workers, read the way every surface reads it: the panel's state (fed the
 * run's events), and the one set of derived counts the panel, status bar and runs view show.
 */
import { test } from 'node:test';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as assert from 'node:assert/strict';
import type { RunEvent, RunSummary } from '../../src/core/local/types';
import { countsLong, countsShort, deriveCounts } from '../../src/shared/counts';
import { failureHeadline, headlineSentence } from '../../src/shared/headline';
import { RunState } from '../../src/vscode/panel/run-state';
import { modelEventsOf } from '../../src/core/runs/local-run';
import { fileJob, fixture, PROLOGUE, run } from './helpers';

const script = (failing: string, sleep = 0.02, message = '"cannot score " + name') => `${PROLOGUE}
import time
def run(mini_batch):
    time.sleep(${sleep})
    out = []
    for p in mini_batch:
        name = os.path.basename(p)
        if ${failing}:
            raise ValueError(${message})
        out.append(name + ": ok")
    return out
`;

interface Seen {
  summary: RunSummary;
  panel: RunState;
  maxRunning: number;
}

async function drive(code: string, count: number, over: Parameters<typeof fileJob>[1], cancelAfter?: number): Promise<Seen> {
  const fx = fixture(code, count);
  const panel = new RunState('node', fx.dir);
  const controller = new AbortController();
  let done = 0;
  let maxRunning = 0;
  let workers = 0;
  const { summary } = await run(fileJob(fx, over), {
    signal: controller.signal,
    onEvent: (e: RunEvent) => {
      for (const m of modelEventsOf(e)) panel.apply(m);
      if (e.type === 'start') workers = e.workers;
      if (e.type === 'progress') maxRunning = Math.max(maxRunning, deriveCounts('Running', e.counts, workers).running);
      if (cancelAfter !== undefined && e.type === 'miniBatchDone' && ++done === cancelAfter) controller.abort();
    },
  });
  return { summary, panel, maxRunning };
}

/** What every surface shows, from the panel's state and the summary alike: they must be the same numbers. */
function surfaces(seen: Seen) {
  const s = seen.summary;
  const header = seen.panel.current.run;
  assert.equal(header.status, s.status, 'the panel shows the run status of summary.json');
  assert.deepEqual(header.counts, s.counts, 'the panel counts are summary.json counts');
  const c = deriveCounts(s.status, s.counts, s.workers);
  assert.equal(c.running, 0, 'nothing is running once the run ended');
  assert.equal(c.finished + c.notStarted, c.total, 'every mini-batch is finished or never started');
  assert.ok(seen.maxRunning <= s.workers, `running (${seen.maxRunning}) never exceeds the ${s.workers} worker processes`);
  return { c, short: countsShort(c), long: countsLong(c) };
}

test('completed: every surface says all ok', async () => {
  const seen = await drive(script('False'), 12, { miniBatchSize: 2 });
  const { short, long } = surfaces(seen);
  assert.equal(seen.summary.status, 'Completed');
  assert.equal(short, '12/12 ok');
  assert.equal(long, '6 mini-batches: 6 ok · 12/12 items ok');
  // Internal folders do not outlive the run: the workers' empty working folders and the rows temp files go.
  assert.ok(!existsSync(path.join(seen.summary.runDir, 'wd')), 'wd/ is gone');
  assert.ok(!existsSync(path.join(seen.summary.runDir, '.prs')), '.prs/ is gone');
  assert.deepEqual(
    seen.summary.outputFormat,
    { toCsv: { sep: ' ', header: false, index: false }, dataframeHeader: false, inputKind: 'files' },
    'summary.json says how the output was written',
  );
});

test('failed by threshold: the mini-batches never started are counted, the headline is the user error', async () => {
  const seen = await drive(script('name in ("f001.txt", "f002.txt")'), 30, {
    miniBatchSize: 1,
    maxConcurrencyPerInstance: 1,
    retrySettings: { maxRetries: 0, timeout: 60 },
    errorThreshold: 1,
  });
  const { c, short, long } = surfaces(seen);
  assert.equal(seen.summary.status, 'Failed');
  assert.ok(c.notStarted > 0, 'the threshold stopped the run before every mini-batch started');
  assert.match(short, new RegExp(`, ${c.notStarted} not started$`));
  assert.match(long, new RegExp(`${c.notStarted} never started`));
  const h = failureHeadline(seen.summary)!;
  assert.match(h.error, /^ValueError: cannot score f00[12]\.txt$/);
  assert.equal(h.distinctErrors, 2);
  assert.match(
    headlineSentence(h),
    /score\.py:\d+, in 1 mini-batch \(1 item\); 1 other error\. Exceeded error threshold\. .*error_threshold is 1\.$/,
  );
});

test('failed by no success: nothing ok anywhere, the driver reason second', async () => {
  const seen = await drive(script('True', 0.02, '"boom"'), 4, { miniBatchSize: 2, retrySettings: { maxRetries: 0, timeout: 60 } });
  const { short } = surfaces(seen);
  assert.equal(seen.summary.status, 'Failed');
  assert.equal(short, '0/4 ok');
  const h = failureHeadline(seen.summary)!;
  assert.equal(h.scope, 'in 2 mini-batches (4 items)');
  assert.match(h.reason ?? '', /no succeeded mini batch/i);
});

test('canceled: canceled counts, never "N/N ok"', async () => {
  const seen = await drive(script('False', 0.2), 30, { miniBatchSize: 1 }, 3);
  const { c, short, long } = surfaces(seen);
  assert.equal(seen.summary.status, 'Canceled');
  assert.equal(short, `canceled at ${c.finished}/30 mini-batches`);
  assert.doesNotMatch(short, /(\d+)\/\1 ok/);
  assert.match(long, /canceled before they started/);
});
