import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyDelta } from '../../../src/shared/panel-state';
import type { HostMessage, PanelState } from '../../../src/shared/protocol';
import { RunState } from '../../../src/vscode/panel/run-state';
import { counts, failure, feedLocal, start, summary } from './events';

/** The page's copy: what it holds after receiving `message`. */
function receive(page: PanelState | undefined, message: HostMessage | undefined): PanelState | undefined {
  if (!message) return page;
  if (message.type === 'snapshot') return structuredClone(message.state);
  if (message.type === 'update' && page) applyDelta(page, structuredClone(message.delta));
  return page;
}

test('the first update is a snapshot, later ones carry only what changed', () => {
  const state = new RunState('score', '/runs/r1');
  feedLocal(state, start);
  assert.equal(state.takeUpdate()?.type, 'snapshot');
  feedLocal(state, { type: 'progress', counts: counts(1, 10), elapsedMs: 900 });
  const update = state.takeUpdate();
  assert.equal(update?.type, 'update');
  assert.deepEqual(Object.keys(update?.type === 'update' ? update.delta : {}), ['run']);
  assert.equal(state.takeUpdate(), undefined, 'nothing new, nothing sent');
});

test('a thousand events between two flushes make one update', () => {
  const state = new RunState('score', '/runs/r1');
  feedLocal(state, start);
  state.takeUpdate();
  for (let i = 0; i < 1000; i++) {
    feedLocal(state, { type: 'miniBatchStarted', index: i, attempt: 1, worker: 'node0/process000' });
    feedLocal(state, { type: 'miniBatchDone', index: i, attempt: 1, worker: 'node0/process000', items: 10, succeeded: 10, seconds: 0.01 });
    feedLocal(state, { type: 'progress', counts: counts(i + 1, 1000), elapsedMs: i });
  }
  const update = state.takeUpdate();
  assert.equal(update?.type, 'update');
  assert.equal(state.takeUpdate(), undefined);
  assert.ok(JSON.stringify(update).length < 2000, 'a small message');
});

test("the page's copy, built from snapshot and updates, equals the host's state", () => {
  const state = new RunState('score', '/runs/r1');
  let page: PanelState | undefined;
  const events = [
    start,
    { type: 'worker', worker: 'node0/process000', state: 'starting' },
    { type: 'worker', worker: 'node0/process001', state: 'ready', pid: 42 },
    { type: 'log', worker: 'node0/process000', stream: 'stdout', text: 'hello ' },
    { type: 'log', worker: 'node0/process000', stream: 'stdout', text: 'world\npartial' },
    { type: 'miniBatchStarted', index: 0, attempt: 1, worker: 'node0/process001' },
    { type: 'miniBatchFailed', failure: failure(0, 1, false), willRetry: true },
    { type: 'warning', message: 'run() returned 12 results for a mini-batch of 10 items' },
    { type: 'log', worker: 'node0/process001', stream: 'stderr', text: Array.from({ length: 450 }, (_, i) => `err ${i}\n`).join('') },
    { type: 'log', worker: 'node0/process000', stream: 'stdout', text: ' line\n' },
    { type: 'progress', counts: counts(3, 10, 1), elapsedMs: 2000 },
  ] as const;
  for (const [i, event] of events.entries()) {
    feedLocal(state, event);
    if (i % 2 === 1) page = receive(page, state.takeUpdate());
  }
  page = receive(page, state.takeUpdate());
  assert.deepEqual(page, state.current);
  assert.equal(page?.logs['node0/process001'].lines.length, 200);
  assert.deepEqual(
    page?.logs['node0/process000'].lines.map((l) => l.text),
    ['hello world', 'partial line'],
  );
});

test('a worker shows the mini-batch it runs until it is done', () => {
  const state = new RunState('score', '/runs/r1');
  feedLocal(state, start);
  feedLocal(state, { type: 'worker', worker: 'node0/process000', state: 'ready', pid: 7 });
  feedLocal(state, { type: 'miniBatchStarted', index: 4, attempt: 1, worker: 'node0/process000' });
  assert.equal(state.current.workers[0].busyWith, 4);
  feedLocal(state, { type: 'miniBatchDone', index: 4, attempt: 1, worker: 'node0/process000', items: 10, succeeded: 10, seconds: 1 });
  assert.equal(state.current.workers[0].busyWith, undefined);
});

test('keeps the first 500 failures and counts the rest', () => {
  const state = new RunState('score', '/runs/r1');
  feedLocal(state, start);
  for (let i = 0; i < 600; i++) feedLocal(state, { type: 'miniBatchFailed', failure: failure(i), willRetry: false });
  assert.equal(state.current.failures.length, 500);
  assert.equal(state.current.failuresOmitted, 100);
  assert.equal(state.current.failures[499].index, 499);
});

test('lists at most 20 items of a failed mini-batch, and says how many it had', () => {
  const state = new RunState('score', '/runs/r1');
  const many = { ...failure(3), items: Array.from({ length: 50 }, (_, i) => `/d/${i}.png`) };
  feedLocal(state, { type: 'miniBatchFailed', failure: many, willRetry: false });
  assert.equal(state.current.failures[0].items.length, 20);
  assert.equal(state.current.failures[0].itemCount, 50);
});

test('the summary is the final word, and arrives as a snapshot', () => {
  const state = new RunState('score', '/runs/r1');
  feedLocal(state, start);
  feedLocal(state, { type: 'miniBatchFailed', failure: failure(1), willRetry: false });
  state.takeUpdate();
  feedLocal(state, {
    type: 'end',
    summary: summary({ status: 'Failed', reason: 'error_threshold exceeded', failures: [failure(1), failure(2)] }),
  });
  const update = state.takeUpdate();
  assert.equal(update?.type, 'snapshot');
  const run = state.current.run;
  assert.deepEqual(
    [run.status, run.reason, run.elapsedMs, run.outputFile],
    ['Failed', 'error_threshold exceeded', 5000, '/runs/r1/outputs/results/out.txt'],
  );
  assert.deepEqual(
    state.current.failures.map((f) => f.index),
    [1, 2],
  );
});

test('a past run shows from its summary alone', () => {
  const state = new RunState('score (yesterday)', '/runs/r0');
  state.applySummary(summary({ runDir: '/runs/r0', status: 'Canceled', reason: 'Canceled by the user.' }));
  const snapshot = state.takeUpdate();
  assert.equal(snapshot?.type === 'snapshot' && snapshot.state.run.status, 'Canceled');
  assert.equal(state.current.run.title, 'score (yesterday)');
});

test('a new start clears the previous run', () => {
  const state = new RunState('score', '/runs/r1');
  feedLocal(state, start);
  feedLocal(state, { type: 'miniBatchFailed', failure: failure(1), willRetry: false });
  feedLocal(state, { type: 'log', worker: 'node0/process000', stream: 'stdout', text: 'old\n' });
  feedLocal(state, start);
  assert.deepEqual([state.current.failures.length, Object.keys(state.current.logs).length, state.current.run.status], [0, 0, 'Running']);
});

test('the debugger banner shows until the waiting worker is ready', () => {
  const state = new RunState('score', '/runs/r1');
  feedLocal(state, start);
  feedLocal(state, { type: 'debugListening', host: '127.0.0.1', port: 5678, worker: 'node0/process000' });
  assert.deepEqual(state.current.run.debugListening, { host: '127.0.0.1', port: 5678, worker: 'node0/process000' });
  feedLocal(state, { type: 'worker', worker: 'node0/process000', state: 'ready' });
  assert.equal(state.current.run.debugListening, undefined);
});

test('only files a reported traceback names may be opened', () => {
  const state = new RunState('score', '/runs/r1');
  feedLocal(state, { type: 'miniBatchFailed', failure: failure(1), willRetry: false });
  assert.equal(state.isReportedLocation('/code/score.py', 12), true);
  assert.equal(state.isReportedLocation('/code/score.py', 13), false);
  assert.equal(state.isReportedLocation('/home/me/.ssh/id_rsa', 1), false);
});
