import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { HostMessage, PanelState } from '../../../src/shared/protocol';
import { applyDelta } from '../../../src/shared/panel-state';
import { counts, failure, feedLocal, start, startEvent, summary } from './events';
import { installFakeVscode, opened, panels, Uri } from './fake-vscode';

installFakeVscode();
// Loaded after the fake is in place: run-panel imports `vscode`.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { RunPanel } = require('../../../src/vscode/panel/run-panel') as typeof import('../../../src/vscode/panel/run-panel');

const extensionUri = Uri.file('/ext') as never;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The first message of `type` the host posts, however long its file reads take on a loaded machine (no fixed
 * sleep: the test waits for the message itself, up to a generous limit that only a hang reaches).
 */
async function nextMessage<T extends HostMessage['type']>(
  fake: { take(withHistory?: boolean): unknown[] },
  type: T,
  withHistory = false,
  accept: (m: Extract<HostMessage, { type: T }>) => boolean = () => true,
): Promise<Extract<HostMessage, { type: T }> | undefined> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const found = (fake.take(withHistory) as HostMessage[])
      .filter((m): m is Extract<HostMessage, { type: T }> => m.type === type && accept(m as Extract<HostMessage, { type: T }>))
      .pop();
    if (found || Date.now() > deadline) return found as Extract<HostMessage, { type: T }> | undefined;
    await sleep(10);
  }
}
let runs = 0;

/** Each call opens a panel of its own spec unless `specFile` is given. */
function open(runDir = `/runs/r${++runs}`, specFile = `/specs/s${runs}.yml`) {
  const panel = RunPanel.createOrShow(extensionUri, { specFile, nodeName: 'score', runDir });
  return { panel, fake: panels[panels.length - 1], runDir, specFile };
}

function replay(messages: unknown[], page?: PanelState): PanelState | undefined {
  for (const m of messages as HostMessage[]) {
    if (m.type === 'snapshot') page = structuredClone(m.state);
    else if (m.type === 'update' && page) applyDelta(page, m.delta);
  }
  return page;
}

function types(messages: unknown[]): string[] {
  return (messages as HostMessage[]).map((m) => m.type);
}

test('one panel per spec and node: asking again reveals it, another spec gets its own', () => {
  const { panel, fake, runDir, specFile } = open();
  assert.equal(RunPanel.createOrShow(extensionUri, { specFile, nodeName: 'score', runDir }), panel);
  assert.equal(fake.revealed, 1);
  const other = RunPanel.createOrShow(extensionUri, { specFile: '/specs/other.yml', nodeName: 'score', runDir: `${runDir}-other` });
  assert.notEqual(other, panel);
  other.dispose();
  panel.dispose();
});

test('a new run of the same spec turns the same panel to it: fresh state, the old run is let go', () => {
  const { panel, fake, runDir, specFile } = open();
  fake.fromPage({ type: 'ready' });
  feedLocal(panel, start);
  feedLocal(panel, { type: 'miniBatchFailed', failure: failure(0), willRetry: false });
  fake.take();
  const switched: string[] = [];
  panel.onDidSwitchRun((old) => switched.push(old));
  const next = `${runDir}-again`;
  assert.equal(RunPanel.createOrShow(extensionUri, { specFile, nodeName: 'score', runDir: next }), panel);
  assert.deepEqual(switched, [path.resolve(runDir)]);
  assert.equal(panel.runDir, path.resolve(next));
  assert.equal(RunPanel.showing(next), panel);
  const page = replay(fake.take());
  assert.equal(page?.run.runDir, path.resolve(next));
  assert.deepEqual(page?.failures, []);
  panel.dispose();
});

test('the tab title reads node · status · when', () => {
  const { panel, fake } = open();
  feedLocal(panel, start);
  assert.equal(fake.title, 'score · Running · just now');
  panel.setSummary(summary({ status: 'Failed', startedAt: new Date(Date.now() - 5 * 60_000).toISOString() }));
  assert.equal(fake.title, 'score · Failed · 5 min ago');
  panel.dispose();
});

test('the webview runs scripts, loads only from dist/ and media/, and is not retained when hidden', () => {
  const { panel, fake } = open();
  assert.deepEqual(
    (fake.options.localResourceRoots as Uri[]).map((u) => u.fsPath),
    ['/ext/dist', '/ext/media'],
  );
  assert.equal(fake.options.enableScripts, true);
  assert.equal(fake.options.retainContextWhenHidden, false);
  assert.match(
    fake.webview.html,
    /<script nonce="[^"]+" src="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/ext\/dist\/webview\.js">/,
  );
  panel.dispose();
});

test('nothing is posted until the page says ready; then it gets the whole state', () => {
  const { panel, fake } = open();
  feedLocal(panel, start);
  feedLocal(panel, { type: 'log', worker: 'node0/process000', stream: 'stdout', text: 'hi\n' });
  assert.deepEqual(fake.take(), []);
  fake.fromPage({ type: 'ready' });
  const messages = fake.take();
  assert.deepEqual(types(messages), ['snapshot', 'resultsStatus']);
  assert.deepEqual(replay(messages)?.logs['node0/process000'].lines, [{ stream: 'stdout', text: 'hi' }]);
  panel.dispose();
});

test('a burst of events reaches the page as a few coalesced updates', async () => {
  const { panel, fake } = open();
  fake.fromPage({ type: 'ready' });
  feedLocal(panel, start);
  let page = replay(fake.take());
  for (let i = 0; i < 5000; i++) {
    feedLocal(panel, { type: 'miniBatchDone', index: i, attempt: 1, worker: 'node0/process000', items: 10, succeeded: 10, seconds: 0 });
    feedLocal(panel, { type: 'log', worker: 'node0/process000', stream: 'stdout', text: `done ${i}\n` });
    feedLocal(panel, { type: 'progress', counts: counts(i + 1, 5000), elapsedMs: i });
  }
  await sleep(150);
  const messages = fake.take();
  assert.deepEqual(types(messages), ['update']);
  page = replay(messages, page);
  assert.equal(page?.run.counts?.miniBatches.succeeded, 5000);
  assert.equal(page?.logs['node0/process000'].lines.at(-1)?.text, 'done 4999');
  assert.equal(page?.logs['node0/process000'].lines.length, 200);
  panel.dispose();
});

test('hidden, the page misses nothing: shown again it gets the state as it is then', async () => {
  const { panel, fake } = open();
  fake.fromPage({ type: 'ready' });
  feedLocal(panel, start);
  fake.take();
  fake.hide();
  feedLocal(panel, { type: 'miniBatchFailed', failure: failure(3), willRetry: false });
  await sleep(150);
  assert.deepEqual(fake.take(), []);
  fake.show();
  fake.fromPage({ type: 'ready' });
  const page = replay(fake.take());
  assert.deepEqual(
    page?.failures.map((f) => f.index),
    [3],
  );
  panel.dispose();
});

test('opens a traceback location in the editor itself, at the line, beside the panel', async () => {
  const { panel, fake } = open();
  const forwarded: unknown[] = [];
  panel.onDidRequestAction((a) => forwarded.push(a));
  feedLocal(panel, start);
  feedLocal(panel, { type: 'miniBatchFailed', failure: failure(3), willRetry: false });
  fake.fromPage({ type: 'action', action: { kind: 'openFile', file: '/code/score.py', line: 12 } });
  await sleep(0);
  assert.deepEqual(opened.splice(0), [{ file: '/code/score.py', line: 11, viewColumn: 1 }]);
  assert.deepEqual(forwarded, []);
  panel.dispose();
});

test('refuses to open a file no traceback named', async () => {
  const { panel, fake } = open();
  feedLocal(panel, start);
  fake.fromPage({ type: 'action', action: { kind: 'openFile', file: '/etc/passwd', line: 1 } });
  await sleep(0);
  assert.deepEqual(opened.splice(0), []);
  panel.dispose();
});

test('forwards the other actions, with the mini-batch to debug and the run shown', () => {
  const { panel, fake, runDir } = open();
  const r = path.resolve(runDir);
  const forwarded: unknown[] = [];
  const subscription = panel.onDidRequestAction((a) => forwarded.push(a));
  fake.fromPage({ type: 'action', action: { kind: 'debugMiniBatch', index: 3 } });
  fake.fromPage({ type: 'action', action: { kind: 'rerun' } });
  fake.fromPage({ type: 'action', action: { kind: 'openOutput' } });
  fake.fromPage({ type: 'action', action: { kind: 'openLogs' } });
  fake.fromPage({ type: 'action', action: { kind: 'cancel' } });
  fake.fromPage({ type: 'action', action: { kind: 'rm -rf' } });
  subscription.dispose();
  fake.fromPage({ type: 'action', action: { kind: 'rerun' } });
  assert.deepEqual(forwarded, [
    { action: 'debugMiniBatch', index: 3, runDir: r },
    { action: 'rerun', runDir: r },
    { action: 'openOutput', runDir: r },
    { action: 'openLogs', runDir: r },
    { action: 'cancel', runDir: r },
  ]);
  panel.dispose();
});

test('at the end, the results table gets its first page, and later pages on request', async () => {
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'prs-panel-'));
  mkdirSync(path.join(runDir, '.prs'));
  writeFileSync(
    path.join(runDir, '.prs', 'worker-config.json'),
    JSON.stringify({ append_row: { to_csv: { sep: ',' } }, input_kind: 'tabular' }),
  );
  const outputFile = path.join(runDir, 'out.csv');
  writeFileSync(outputFile, Array.from({ length: 150 }, (_, i) => `${i},"v ${i}"\n`).join(''));
  const { panel, fake } = open(runDir);
  fake.fromPage({ type: 'ready' });
  feedLocal(panel, startEvent(runDir));
  feedLocal(panel, { type: 'end', summary: summary({ runDir, outputFile }) });
  const first = await nextMessage(fake, 'resultsPage');
  assert.ok(first?.type === 'resultsPage');
  assert.deepEqual([first.page.pageCount, first.page.totalRows, first.page.rows[1]], [2, 150, ['1', 'v 1']]);
  fake.fromPage({ type: 'requestResultsPage', page: 1 });
  const second = await nextMessage(fake, 'resultsPage');
  assert.ok(second?.type === 'resultsPage');
  assert.deepEqual([second.page.page, second.page.rows.length, second.page.rows[0]], [1, 50, ['100', 'v 100']]);
  panel.dispose();
});

test('a summary_only run says why it has no results table', async () => {
  const { panel, fake } = open();
  fake.fromPage({ type: 'ready' });
  panel.setSummary(summary({ outputFile: undefined }));
  const status = await nextMessage(fake, 'resultsStatus');
  assert.ok(status?.type === 'resultsStatus' && status.status.kind === 'none');
  assert.match(status.status.message, /summary_only/);
  panel.dispose();
});

test('a failed append_row run with no row says the run wrote none, not that it is summary_only', async () => {
  const { panel, fake } = open();
  fake.fromPage({ type: 'ready' });
  panel.setSummary(summary({ outputFile: undefined, appendRowTo: 'results', status: 'Failed' }));
  const status = await nextMessage(fake, 'resultsStatus');
  assert.ok(status?.type === 'resultsStatus' && status.status.kind === 'none');
  assert.doesNotMatch(status.status.message, /summary_only/);
  assert.match(status.status.message, /no append_row file to its output results\.$/);
  panel.dispose();
});

test('closing the panel forgets it: the next call opens a new one', () => {
  const { panel, fake, runDir } = open();
  let closed = 0;
  panel.onDidDispose(() => closed++);
  fake.dispose();
  assert.equal(closed, 1);
  const again = RunPanel.createOrShow(extensionUri, { specFile: '/specs/closed.yml', nodeName: 'score', runDir });
  assert.notEqual(again, panel);
  again.dispose();
});

test("the run picker lists the node's runs beside this one; the page may only turn to a listed one", async () => {
  const runs = mkdtempSync(path.join(os.tmpdir(), 'prs-panel-history-'));
  for (const [name, status] of [
    ['score-20261201-101500', 'Completed'],
    ['score-20261201-103000', 'Failed'],
  ]) {
    mkdirSync(path.join(runs, name, 'logs'), { recursive: true });
    writeFileSync(path.join(runs, name, 'logs', 'job_result.txt'), `${status}\n`);
  }
  const { panel, fake } = open(path.join(runs, 'score-20261201-103000'));
  fake.fromPage({ type: 'ready' });
  const history = await nextMessage(fake, 'history', true, (m) => m.runs.length === 2);
  assert.ok(history?.type === 'history');
  assert.deepEqual(
    history.runs.map((r) => [path.basename(r.runDir), r.status]),
    [
      ['score-20261201-103000', 'Failed'],
      ['score-20261201-101500', 'Completed'],
    ],
  );
  const asked: unknown[] = [];
  panel.onDidRequestAction((a) => asked.push(a));
  fake.fromPage({ type: 'action', action: { kind: 'showRun', runDir: path.join(runs, 'score-20261201-101500') } });
  fake.fromPage({ type: 'action', action: { kind: 'showRun', runDir: '/etc' } });
  assert.deepEqual(asked, [{ action: 'showRun', runDir: path.join(runs, 'score-20261201-101500') }]);
  panel.dispose();
});

test('a cloud job in the panel: its status in the header, its log source, its failure, and no local results to read', () => {
  const { panel, fake, runDir } = open();
  fake.fromPage({ type: 'ready' });
  const job = {
    kind: 'cloud' as const,
    id: 'brave_kettle_4x7',
    displayName: 'score',
    node: 'score',
    runDir,
    url: 'https://ml.azure.com/runs/brave_kettle_4x7',
  };
  panel.post({ type: 'start', run: job, startedAt: '2026-01-01T10:00:00.000Z' });
  panel.post({ type: 'status', status: 'Queued', timeline: [{ status: 'Queued', at: '2026-01-01T10:00:00.000Z' }] });
  panel.post({ type: 'log', source: 'user_logs/std_log.txt', stream: 'stdout', text: 'loading model\n' });
  panel.post({
    type: 'failure',
    failure: { error: 'ValueError: bad pixel', file: 'src/score.py', line: 12, logFile: 'logs/user/error/10.0.0.4/process000.txt' },
  });
  panel.post({ type: 'end', outcome: { status: 'Failed', reason: 'Exceeded error threshold.', counts: counts(3, 10, 7) } });
  // Nothing to read from disk: the page hears at once that the rows are in Azure.
  const messages = fake.take() as HostMessage[];
  const results = messages.filter((m) => m.type === 'resultsStatus').pop();
  assert.match(
    results?.type === 'resultsStatus' && results.status.kind === 'none' ? results.status.message : '',
    /cloud job show here once they are downloaded/,
  );
  const page = replay(messages);
  assert.equal(page?.run.kind, 'cloud');
  assert.equal(page?.run.status, 'Failed');
  assert.equal(page?.run.failure?.error, 'ValueError: bad pixel');
  assert.equal(page?.run.url, job.url);
  assert.ok(page?.logs['user_logs/std_log.txt'], 'the log source is the cloud file it came from');
  panel.dispose();
});
