import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { EventRun } from '../../../src/core/runs/event-run';
import type { RunModelEvent } from '../../../src/core/runs/model';
import { installFakeVscode } from '../panel/fake-vscode';

installFakeVscode();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { LiveRuns } = require('../../../src/vscode/run/live-runs') as typeof import('../../../src/vscode/run/live-runs');

const job = { kind: 'cloud' as const, id: 'brave_kettle_4x7', displayName: 'batch-score', specFile: '/w/pipeline.yml', node: 'score' };
const counts = (succeeded: number) => ({
  miniBatches: { total: 10, succeeded, failed: 0, running: 1, retried: 0 },
  items: { succeeded: 0, failed: 0 },
});

test('a cloud job in the runs in progress: status and progress reach the surfaces, a late panel catches up', () => {
  const runs = new LiveRuns();
  const run = new EventRun(job, () => {});
  const changes: string[] = [];
  runs.onDidChange((live) => changes.push(`${live?.run.status}:${live?.counts?.miniBatches.succeeded ?? '-'}`));
  const live = runs.start(run);
  assert.equal(live.kind, 'cloud');
  assert.equal(live.runDir, 'brave_kettle_4x7', 'without a download folder, the job name is its key');
  assert.equal(runs.get('brave_kettle_4x7'), live);
  run.emit({ type: 'start', run: job, startedAt: '2026-01-01T10:00:00.000Z' });
  run.setStatus('Queued');
  run.setStatus('Running');
  run.emit({ type: 'log', source: 'user_logs/std_log.txt', stream: 'stdout', text: 'hi\n' });
  run.emit({ type: 'progress', counts: counts(4), elapsedMs: 1 });
  assert.deepEqual(
    changes,
    ['NotStarted:-', 'NotStarted:-', 'Queued:-', 'Running:-', 'Running:4'],
    'a log line alone changes nothing the tree or the status bar show',
  );
  const seen: RunModelEvent['type'][] = [];
  runs.follow(live, { post: (e) => seen.push(e.type) });
  assert.deepEqual(seen, ['start', 'status', 'status', 'progress', 'log']);
  run.emit({ type: 'end', outcome: { status: 'Completed', counts: counts(10) } });
  assert.equal(live.outcome?.status, 'Completed');
  assert.equal(live.summary, undefined, 'a cloud job has no local summary.json');
  assert.deepEqual(seen.slice(-2), ['status', 'end']);
  runs.end(live);
  assert.equal(runs.get('brave_kettle_4x7'), undefined);
});

test('canceling a cloud job asks Azure once; closing the window leaves it running', async () => {
  const runs = new LiveRuns();
  let restCancels = 0;
  const live = runs.start(new EventRun(job, () => void (restCancels += 1)));
  runs.cancel(live);
  runs.cancel(live);
  await live.run.cancel();
  assert.equal(restCancels, 1);
  assert.equal(live.canceledByUser, true);
  let other = 0;
  runs.start(new EventRun({ ...job, id: 'other_job' }, () => void (other += 1)));
  runs.dispose();
  await new Promise((r) => setImmediate(r));
  assert.equal(other, 0, 'a cloud job outlives the window');
});

test('a panel that stops following gets no more events', () => {
  const runs = new LiveRuns();
  const run = new EventRun(job, () => {});
  const live = runs.start(run);
  const seen: string[] = [];
  const view = { post: (e: RunModelEvent) => seen.push(e.type) };
  runs.follow(live, view);
  run.setStatus('Queued');
  runs.unfollow(live, view);
  run.setStatus('Running');
  assert.deepEqual(seen, ['status']);
  assert.equal(live.views.size, 0);
});
