import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { ProgressReporter } from '../../../src/cli/progress';
import type { RunCounts } from '../../../src/core/local/types';
import { EventRun } from '../../../src/core/runs/event-run';
import { LocalRun, localIdentity, modelEventsOf } from '../../../src/core/runs/local-run';
import { statusFromRest, type RunIdentity, type RunModelEvent } from '../../../src/core/runs/model';
import { applyDelta } from '../../../src/shared/panel-state';
import type { HostMessage, PanelState } from '../../../src/shared/protocol';
import { RunState } from '../../../src/vscode/panel/run-state';
import { activeRunText, endedRunText } from '../../../src/vscode/run/status-text';
import { failure as miniBatchFailure, summary } from '../panel/events';

const cloudJob: RunIdentity = {
  kind: 'cloud',
  id: 'brave_kettle_4x7',
  displayName: 'batch-score',
  specFile: '/w/pipeline.yml',
  node: 'score',
  url: 'https://ml.azure.com/runs/brave_kettle_4x7',
};

function counts(succeeded: number, failed: number, total: number): RunCounts {
  return { miniBatches: { total, succeeded, failed, running: 0, retried: 0 }, items: { succeeded: 0, failed: 0 } };
}

/** A cloud job as a follower of Azure would feed it: statuses, a log file's lines, progress, its error, its end. */
function followCloudJob(run: EventRun): void {
  run.emit({ type: 'start', run: run.identity, startedAt: '2026-01-01T10:00:00.000Z' });
  run.setStatus('Queued', new Date('2026-01-01T10:00:00Z'));
  run.setStatus('Preparing', new Date('2026-01-01T10:01:00Z'));
  run.setStatus('Running', new Date('2026-01-01T10:03:00Z'));
  run.emit({ type: 'log', source: 'logs/user/stdout/10.0.0.4/process000.stdout.txt', stream: 'stdout', text: 'scoring 0.png\n' });
  run.emit({ type: 'progress', counts: counts(3, 1, 10), elapsedMs: 180_000 });
}

test('a cloud job fed through the run model goes Queued → Preparing → Running with its timeline', () => {
  const run = new EventRun(cloudJob, () => {});
  const seen: RunModelEvent[] = [];
  run.subscribe((e) => seen.push(e));
  followCloudJob(run);
  assert.equal(run.status, 'Running');
  assert.deepEqual(
    run.timeline.map((c) => c.status),
    ['Queued', 'Preparing', 'Running'],
  );
  const lastStatus = seen.filter((e) => e.type === 'status').at(-1);
  assert.deepEqual(lastStatus?.type === 'status' && lastStatus.timeline.map((c) => c.at), [
    '2026-01-01T10:00:00.000Z',
    '2026-01-01T10:01:00.000Z',
    '2026-01-01T10:03:00.000Z',
  ]);
  assert.deepEqual(run.counts?.miniBatches.succeeded, 3);
});

test('the panel state shows a cloud job: its status, log source, progress, headline failure and end', () => {
  const run = new EventRun(cloudJob, () => {});
  const state = new RunState('batch-score', '/tmp/not-used');
  run.subscribe((e) => state.apply(e));
  const page: { state?: PanelState } = {};
  const take = () => {
    const m: HostMessage | undefined = state.takeUpdate();
    if (m?.type === 'snapshot') page.state = structuredClone(m.state);
    else if (m?.type === 'update' && page.state) applyDelta(page.state, m.delta);
  };
  run.emit({ type: 'start', run: cloudJob, startedAt: '2026-01-01T10:00:00.000Z' });
  take();
  run.setStatus('Queued');
  take();
  assert.equal(page.state?.run.status, 'Running');
  assert.equal(page.state?.run.phase, 'Queued');
  assert.equal(page.state?.run.kind, 'cloud');
  assert.equal(page.state?.run.url, cloudJob.url);
  followCloudJob(run);
  take();
  assert.equal(page.state?.run.phase, 'Running');
  assert.deepEqual(page.state?.run.counts?.miniBatches, counts(3, 1, 10).miniBatches);
  assert.deepEqual(
    page.state?.logs['logs/user/stdout/10.0.0.4/process000.stdout.txt'].lines.map((l) => l.text),
    ['scoring 0.png'],
  );
  run.emit({
    type: 'failure',
    failure: { error: 'ValueError: bad pixel', file: 'src/score.py', line: 12, logFile: 'logs/user/error/10.0.0.4/process000.txt' },
  });
  run.emit({
    type: 'end',
    outcome: { status: 'Failed', reason: 'error_threshold reached', counts: counts(3, 7, 10), durationMs: 600_000 },
  });
  take();
  assert.equal(page.state?.run.status, 'Failed');
  assert.equal(page.state?.run.phase, 'Failed');
  assert.equal(page.state?.run.reason, 'error_threshold reached');
  assert.equal(page.state?.run.failure?.logFile, 'logs/user/error/10.0.0.4/process000.txt');
  assert.equal(page.state?.run.elapsedMs, 600_000);
  assert.deepEqual(
    page.state?.run.timeline?.map((c) => c.status),
    ['Queued', 'Preparing', 'Running', 'Failed'],
  );
  assert.deepEqual(page.state?.failures, []);
});

test('the status bar text shows a cloud job where it is, then its headline failure', () => {
  const run = new EventRun(cloudJob, () => {});
  run.emit({ type: 'start', run: cloudJob, startedAt: '2026-01-01T10:00:00.000Z' });
  run.setStatus('Queued');
  assert.equal(activeRunText({ run, debug: false }, 0).text, '$(cloud) batch-score · Queued');
  followCloudJob(run);
  assert.equal(activeRunText({ run, counts: run.counts, debug: false }, 1).text, '$(cloud) batch-score 4/10 (+1 more)');
  run.emit({ type: 'failure', failure: { error: 'ValueError: bad pixel', file: '/w/src/score.py', line: 12 } });
  run.emit({ type: 'end', outcome: { status: 'Failed', counts: counts(3, 7, 10) } });
  const ended = endedRunText({ run, outcome: run.outcome!, debug: false }, '/w');
  assert.equal(ended.text, '$(error) batch-score 3/10 ok');
  assert.match(ended.tooltip, /ValueError: bad pixel at src\/score\.py:12\./);
  assert.equal(ended.error, true);
});

test('the status bar text of a local run is unchanged by the run model', () => {
  const run = new LocalRun(localIdentity('/w/runs/score-1', 'score', '/w/pipeline.yml'));
  run.feed({
    type: 'start',
    runDir: '/w/runs/score-1',
    nodeName: 'score',
    specFile: '/w/pipeline.yml',
    workers: 2,
    counts: counts(0, 0, 10),
  });
  run.feed({ type: 'progress', counts: counts(4, 0, 10), elapsedMs: 10 });
  assert.equal(activeRunText({ run, counts: run.counts, debug: false }, 0).text, '$(sync~spin) score 4/10');
  assert.equal(activeRunText({ run, counts: run.counts, debug: true, step: 'step 2/3' }, 0).text, '$(debug-alt) score · step 2/3 · 4/10');
});

test('the CLI progress printer follows a cloud job: statuses, progress and its error', () => {
  const chunks: string[] = [];
  const out = new Writable({ write: (c, _e, cb) => (chunks.push(String(c)), cb()) });
  const reporter = new ProgressReporter(out, false);
  const run = new EventRun(cloudJob, () => {});
  run.subscribe((e) => reporter.onEvent(e));
  followCloudJob(run);
  run.emit({
    type: 'failure',
    failure: { error: 'ValueError: bad pixel', file: 'src/score.py', line: 12, logFile: 'logs/user/error/10.0.0.4/process000.txt' },
  });
  run.emit({ type: 'end', outcome: { status: 'Failed' } });
  const lines = chunks.join('').trimEnd().split('\n');
  assert.deepEqual(lines, [
    'Following batch-score (brave_kettle_4x7) from /w/pipeline.yml · https://ml.azure.com/runs/brave_kettle_4x7',
    'status: Queued',
    'status: Preparing',
    'status: Running',
    '4/10 mini-batches (1 failed), 0 items ok, 180.0 s',
    'error: ValueError: bad pixel at src/score.py:12 (logs/user/error/10.0.0.4/process000.txt)',
    'status: Failed',
  ]);
});

test('cancel reaches the run once, and nothing happens after the end', async () => {
  let canceled = 0;
  const run = new EventRun(cloudJob, () => {
    canceled += 1;
  });
  followCloudJob(run);
  await Promise.all([run.cancel(), run.cancel()]);
  assert.equal(canceled, 1);
  run.setStatus('Finalizing');
  run.emit({ type: 'end', outcome: { status: 'Canceled' } });
  run.emit({ type: 'progress', counts: counts(9, 0, 10), elapsedMs: 1 });
  run.setStatus('Running');
  assert.equal(run.status, 'Canceled');
  assert.equal(run.counts?.miniBatches.succeeded, 3);
});

test('a view that subscribes late is replayed what happened so far: the latest progress only, the end last', () => {
  const run = new EventRun(cloudJob, () => {});
  followCloudJob(run);
  run.emit({ type: 'progress', counts: counts(5, 1, 10), elapsedMs: 200_000 });
  let replayedCounts: RunCounts | undefined;
  run.subscribe((e) => void (e.type === 'progress' && (replayedCounts = e.counts)), { replay: true });
  assert.equal(replayedCounts?.miniBatches.succeeded, 5);
  const seen: string[] = [];
  run.subscribe((e) => seen.push(e.type), { replay: true });
  run.emit({ type: 'end', outcome: { status: 'Completed' } });
  assert.deepEqual(seen, ['start', 'status', 'status', 'status', 'progress', 'log', 'status', 'end']);
});

test('a local run cancels by aborting the engine and remembers the user asked', async () => {
  const run = new LocalRun(localIdentity('/w/runs/score-1', 'score', '/w/pipeline.yml'));
  await run.cancel();
  assert.equal(run.abort.signal.aborted, true);
  assert.equal(run.canceledByUser, true);
});

test("a failed local run's end carries its headline failure, with the user's line and job_error.txt", () => {
  const s = summary({ status: 'Failed', failures: [miniBatchFailure(2)], logsDir: '/w/runs/score-1/logs' });
  const events = modelEventsOf({ type: 'end', summary: s }, { codeDir: '/w/src' });
  assert.deepEqual(
    events.map((e) => e.type),
    ['failure', 'end'],
  );
  const f = events[0].type === 'failure' ? events[0].failure : undefined;
  assert.equal(f?.error, 'ZeroDivisionError: division by zero');
  assert.equal(f?.logFile, '/w/runs/score-1/logs/job_error.txt');
  assert.ok(f?.file && f.line, 'the headline names the user’s file and line');
});

test('REST statuses map onto the run model; the ones that say nothing new keep the last', () => {
  assert.equal(statusFromRest('Queued'), 'Queued');
  assert.equal(statusFromRest('Starting'), 'Preparing');
  assert.equal(statusFromRest('Provisioning'), 'Preparing');
  assert.equal(statusFromRest('CancelRequested'), 'Finalizing');
  assert.equal(statusFromRest('NotResponding'), undefined);
  assert.equal(statusFromRest('Completed'), 'Completed');
});
