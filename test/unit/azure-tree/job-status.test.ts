// Live status in the Jobs tree: the rows of jobs in progress that this window does not follow are read again
// (one GET per job per tick) against the HTTPS fake ARM, with the real Azure layer and SDK. The clock and the
// waits are the test's: nothing here sleeps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as api from '../../../src/core/azure';
import { Clients, type AzureAccess } from '../../../src/vscode/azure/access';
import { JobStatusPoller, type JobStatusPollerOptions } from '../../../src/vscode/azure/job-status-poller';
import { azureRoots, JobNode, type TreeContext } from '../../../src/vscode/azure/nodes';
import type { TreeNode } from '../../../src/vscode/tree/framework/node';
import { TreeModel } from '../../../src/vscode/tree/framework/tree-model';
import { FakeCredential } from '../../fakes/arm/token';
import { fastRetry, useFakeArm } from '../azure/fake-arm';

const bed = useFakeArm();
const JOBS = ['job-00000', 'job-00001', 'job-00002'];

/** The seeded jobs with these statuses (the others Completed), no faults, no calls counted yet. */
function world(statuses: Record<string, string>): void {
  bed.fake.clearFaults();
  for (const name of JOBS) bed.fake.setJobStatus(name, statuses[name] ?? 'Completed');
  bed.fake.resetCounts();
}

/** A tree with its Jobs folder loaded, and a poller over it on a clock the test moves. */
async function jobsTree(o: Partial<Pick<JobStatusPollerOptions, 'isFollowed' | 'sleep'>> & { fastest?: number } = {}) {
  const credential = new FakeCredential(bed.credential.tenantId);
  const access: AzureAccess = {
    api: async () => api,
    // No retries inside a call: what a 429 or a 5xx does to the poller itself shows.
    endpoint: { ...bed.endpoint, retry: { ...fastRetry, maxRetries: 0 } },
    signedIn: async () => true,
    credential: () => credential,
  };
  const ctx: TreeContext = { clients: new Clients(access) };
  const model = new TreeModel({ roots: (signal) => azureRoots(ctx, signal) });
  const find = (rows: TreeNode[], label: string | RegExp) => {
    const n = rows.find((r) => (typeof label === 'string' ? r.view().label === label : label.test(r.view().label)));
    assert.ok(n, `a row ${label}`);
    return n;
  };
  const sub = find(await model.children(), 'Local test subscription');
  const ws = find(await model.children(sub), /^local-ws/);
  const folder = find(await model.children(ws), 'Jobs');
  await model.children(folder);
  bed.fake.resetCounts();

  const clock = { t: 1000, visible: true, fastest: o.fastest ?? 10 };
  const logged: string[] = [];
  const poller = new JobStatusPoller({
    model,
    clients: () => ctx.clients,
    fastestSeconds: () => clock.fastest,
    isFollowed: o.isFollowed ?? (() => false),
    visible: () => clock.visible,
    log: (m) => logged.push(m),
    now: () => clock.t,
    sleep: o.sleep,
  });
  const row = (name: string) => {
    const n = model.loadedNodes().find((x): x is JobNode => x instanceof JobNode && x.job.name === name);
    assert.ok(n, `a row for ${name}`);
    return n;
  };
  const status = (name: string) => /^\S+/.exec(row(name).view().description ?? '')?.[0];
  /** The jobs read so far, by name, in order. */
  const read = () => bed.fake.requests.filter((r) => r.route === 'jobs.get').map((r) => r.path.split('/').pop());
  return { model, folder, poller, clock, logged, row, status, read, credential };
}

test("a Running job's row turns Completed after a tick, and is not read again", async () => {
  world({ 'job-00001': 'Running' });
  const { model, poller, clock, row, status, read } = await jobsTree();
  const changed: (TreeNode | undefined)[] = [];
  model.onDidChange((n) => changed.push(n));
  assert.equal(status('job-00001'), 'Running');

  assert.equal(await poller.tick(), 10, 'just listed: first read after the fastest interval');
  assert.deepEqual(bed.fake.callsByRoute(), {});

  bed.fake.setJobStatus('job-00001', 'Completed');
  clock.t += 10;
  await poller.tick();
  assert.deepEqual(read(), ['job-00001']);
  assert.equal(status('job-00001'), 'Completed');
  assert.equal(row('job-00001').view().icon, 'pass');
  assert.deepEqual(changed, [row('job-00001')], 'only that row changed');

  clock.t += 600;
  assert.equal(await poller.tick(), 10, 'nothing live: looks at the rows again after the fastest interval');
  assert.deepEqual(bed.fake.callsByRoute(), { 'jobs.get': 1 }, 'a terminal job is not read again');
});

test('one GET per live job per tick; terminal jobs are never read', async () => {
  world({ 'job-00000': 'Running', 'job-00001': 'Queued' });
  const { poller, clock, read } = await jobsTree();
  await poller.tick();
  for (let i = 1; i <= 3; i++) {
    clock.t += 10;
    await poller.tick();
    assert.deepEqual(bed.fake.callsByRoute(), { 'jobs.get': 2 * i }, `tick ${i}`);
  }
  assert.deepEqual([...new Set(read())].sort(), ['job-00000', 'job-00001'], 'job-00002 (Completed) is never read');
});

test('a second tick while one is reading shares it: never two polls at once', async () => {
  world({ 'job-00000': 'Running', 'job-00001': 'Preparing' });
  const { poller, clock } = await jobsTree();
  await poller.tick();
  clock.t += 10;
  const [a, b] = await Promise.all([poller.tick(), poller.tick()]);
  assert.equal(a, b);
  assert.deepEqual(bed.fake.callsByRoute(), { 'jobs.get': 2 });
});

test('jobs this window follows are skipped (their follow updates the row)', async () => {
  world({ 'job-00000': 'Running', 'job-00001': 'Running' });
  const { poller, clock, read } = await jobsTree({ isFollowed: (ws, name) => ws.workspace === 'local-ws' && name === 'job-00000' });
  await poller.tick();
  clock.t += 10;
  await poller.tick();
  assert.deepEqual(read(), ['job-00001']);
});

test('a hidden view reads nothing; shown again, it reads at once the rows older than the fastest interval', async () => {
  world({ 'job-00001': 'Running' });
  const { poller, clock, status } = await jobsTree();
  clock.visible = false;
  assert.equal(await poller.tick(), undefined, 'hidden: waits to be woken');
  clock.t += 600;
  assert.equal(await poller.tick(), undefined);
  assert.deepEqual(bed.fake.callsByRoute(), {});

  clock.visible = true;
  await poller.tick();
  clock.t += 10;
  await poller.tick();
  assert.deepEqual(bed.fake.callsByRoute(), { 'jobs.get': 1 });

  // Hidden for a while, the job ended meanwhile: shown again, its row is read at once.
  clock.visible = false;
  await poller.tick();
  bed.fake.setJobStatus('job-00001', 'Failed');
  clock.t += 300;
  clock.visible = true;
  await poller.tick();
  assert.deepEqual(bed.fake.callsByRoute(), { 'jobs.get': 2 });
  assert.equal(status('job-00001'), 'Failed');
});

test('jobs under a collapsed row are not read until it is expanded again', async () => {
  world({ 'job-00001': 'Running' });
  const { poller, clock, folder } = await jobsTree();
  poller.collapsed(folder.id);
  await poller.tick();
  clock.t += 60;
  await poller.tick();
  assert.deepEqual(bed.fake.callsByRoute(), {});
  // Collapsing the workspace hides its folders too.
  poller.expanded(folder.id);
  poller.collapsed(folder.id.replace(/\/jobs$/, ''));
  clock.t += 60;
  await poller.tick();
  assert.deepEqual(bed.fake.callsByRoute(), {});
  poller.expanded(folder.id.replace(/\/jobs$/, ''));
  await poller.tick();
  clock.t += 10;
  await poller.tick();
  assert.deepEqual(bed.fake.callsByRoute(), { 'jobs.get': 1 });
});

test('setting 0 turns live status off', async () => {
  world({ 'job-00001': 'Running' });
  const { poller, clock } = await jobsTree({ fastest: 0 });
  assert.equal(await poller.tick(), undefined);
  clock.t += 600;
  await poller.tick();
  assert.deepEqual(bed.fake.callsByRoute(), {});
});

test('a 429 waits for the next tick (logged once, no token), then the row updates', async () => {
  world({ 'job-00001': 'Running' });
  const { poller, clock, status, logged, credential } = await jobsTree();
  await poller.tick();
  bed.fake.setJobStatus('job-00001', 'Completed');
  bed.fake.inject('jobs.get', { status: 429, code: 'TooManyRequests', message: 'Too many requests.', echoToken: true });
  clock.t += 10;
  assert.equal(await poller.tick(), 10, 'tried again at the next poll');
  assert.equal(status('job-00001'), 'Running');
  assert.equal(logged.length, 1);
  assert.match(logged[0], /Could not read the status of job job-00001 \(tried again at the next poll\).*429/);
  assert.ok(credential.issued.length > 0);
  for (const token of credential.issued) assert.ok(!logged[0].includes(token), 'no token in the log');
  clock.t += 10;
  await poller.tick();
  assert.equal(status('job-00001'), 'Completed');
  assert.deepEqual(bed.fake.callsByRoute(), { 'jobs.get': 2 });
});

test('a 429 that asks for a longer wait than the poll interval is not read again before it', async () => {
  world({ 'job-00001': 'Running' });
  const { poller, clock } = await jobsTree();
  await poller.tick();
  bed.fake.inject('jobs.get', { status: 429, code: 'TooManyRequests', message: 'Too many requests.', retryAfter: 120 });
  clock.t += 10;
  assert.equal(await poller.tick(), 120);
  clock.t += 60;
  await poller.tick();
  assert.deepEqual(bed.fake.callsByRoute(), { 'jobs.get': 1 }, 'not before the 120 s the service asked for');
  clock.t += 60;
  await poller.tick();
  assert.deepEqual(bed.fake.callsByRoute(), { 'jobs.get': 2 });
});

test('a 503 streak is logged once and read at every tick until the service answers', async () => {
  world({ 'job-00001': 'Running' });
  const { poller, clock, logged } = await jobsTree();
  await poller.tick();
  bed.fake.inject('jobs.get', { status: 503, code: 'ServiceUnavailable', message: 'Try again.', times: 3 });
  for (let i = 0; i < 4; i++) {
    clock.t += 10;
    await poller.tick();
  }
  assert.deepEqual(bed.fake.callsByRoute(), { 'jobs.get': 4 });
  assert.equal(logged.length, 1);
});

test('a 404 drops the job (logged once, with the fix); Refresh reads it again', async () => {
  world({ 'job-00000': 'Running', 'job-00001': 'Running' });
  const { poller, clock, logged, read } = await jobsTree();
  await poller.tick();
  bed.fake.inject('jobs.get', { status: 404, code: 'ResourceNotFound', message: 'Job job-00000 was not found.' });
  clock.t += 10;
  await poller.tick();
  assert.equal(read().length, 2);
  assert.equal(logged.length, 1);
  assert.match(
    logged[0],
    /^Stopped updating the status of job job-0000[01] of workspace local-ws in the Azure ML view: .*404.*Refresh the view/,
  );
  const gone = /job (job-0000[01])/.exec(logged[0])![1];
  for (let i = 0; i < 3; i++) {
    clock.t += 60;
    await poller.tick();
  }
  assert.ok(!read().slice(2).includes(gone), 'the dropped job is not read again');
  assert.equal(logged.length, 1);

  bed.fake.resetCounts();
  poller.reset();
  await poller.tick();
  clock.t += 10;
  await poller.tick();
  assert.deepEqual(bed.fake.callsByRoute(), { 'jobs.get': 2 }, 'after Refresh both are read');
});

test('a 403 drops the job too', async () => {
  world({ 'job-00001': 'Running' });
  const { poller, clock, logged } = await jobsTree();
  await poller.tick();
  bed.fake.inject('jobs.get', { status: 403, code: 'AuthorizationFailed', message: 'No access.', times: Infinity });
  for (let i = 0; i < 3; i++) {
    clock.t += 60;
    await poller.tick();
  }
  assert.deepEqual(bed.fake.callsByRoute(), { 'jobs.get': 1 });
  assert.equal(logged.length, 1);
  assert.match(logged[0], /403/);
});

test("the wait grows as az ml job stream's, from the fastest interval", async () => {
  world({ 'job-00001': 'Running' });
  const { poller, clock } = await jobsTree({ fastest: 2 });
  const since = clock.t;
  assert.equal(await poller.tick(), 2);
  clock.t += 2;
  assert.equal(await poller.tick(), 2, 'early on, the fastest');
  clock.t = since + 100;
  const wait = await poller.tick();
  assert.equal(wait, api.followIntervalSeconds(100, 2));
  assert.ok(wait! > 30, `after 100 s the wait has grown (${wait} s)`);
  assert.deepEqual(bed.fake.callsByRoute(), { 'jobs.get': 2 });
});

test('the loop sleeps until the next job is due, wakes early when asked, and ends on dispose', async () => {
  world({ 'job-00001': 'Running' });
  const waits: { seconds: number | undefined; done(): void }[] = [];
  let notify: (() => void) | undefined;
  const sleep = (seconds: number | undefined, signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      signal.addEventListener('abort', () => resolve(), { once: true });
      waits.push({ seconds, done: resolve });
      notify?.();
    });
  const nextWait = async () => {
    while (waits.length === 0) await new Promise<void>((r) => (notify = r));
    return waits.shift()!;
  };
  const { poller, clock, status } = await jobsTree({ sleep });
  poller.start();
  const first = await nextWait();
  assert.equal(first.seconds, 10);
  bed.fake.setJobStatus('job-00001', 'Finalizing');
  clock.t += 10;
  first.done();
  const second = await nextWait();
  assert.equal(second.seconds, 10);
  assert.equal(status('job-00001'), 'Finalizing');
  assert.deepEqual(bed.fake.callsByRoute(), { 'jobs.get': 1 });

  // Hidden: the loop waits to be woken (no timer), and the wake of a visibility change ends that wait.
  clock.visible = false;
  poller.wake();
  const idle = await nextWait();
  assert.equal(idle.seconds, undefined);
  clock.visible = true;
  poller.wake();
  const third = await nextWait();
  assert.equal(typeof third.seconds, 'number');

  poller.dispose();
  await poller.stopped();
  assert.deepEqual(bed.fake.callsByRoute(), { 'jobs.get': 1 }, 'nothing more read');
});
