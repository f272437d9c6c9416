// Each injected fault gives its clear message, retries where it should, and never echoes a token.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computePages } from '../../../src/core/azure/resources/computes';
import { datastorePages } from '../../../src/core/azure/resources/datastores';
import { listSubscriptions } from '../../../src/core/azure/resources/subscriptions';
import { jobPages } from '../../../src/core/azure/resources/jobs';
import { mlClient } from '../../../src/core/azure/client';
import { AzureError } from '../../../src/core/azure/http/errors';
import { testSubscription } from '../../fakes/arm/world';
import { useFakeArm } from './fake-arm';

const bed = useFakeArm();

async function failure(p: Promise<unknown>): Promise<AzureError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof AzureError, `an AzureError, not ${String(e)}`);
    return e;
  }
  assert.fail('expected a failure');
}

function fresh(): void {
  bed.fake.clearFaults();
  bed.fake.resetCounts();
}

test('401: says to sign in again, keeps code, status and request id, and drops the token the server echoed', async () => {
  fresh();
  bed.fake.inject('computes.list', { status: 401, echoToken: true, times: Infinity });
  const e = await failure(computePages(bed.ml, bed.ws)());
  assert.equal(e.status, 401);
  assert.equal(e.code, 'InvalidAuthenticationToken');
  assert.match(e.requestId ?? '', /^[0-9a-f-]{36}$/);
  assert.match(
    e.message,
    /^Could not list the computes of workspace local-ws: Azure did not accept the sign-in \(401 InvalidAuthenticationToken\)/,
  );
  assert.match(e.message, /Sign in again/);
  assert.match(e.message, /request id [0-9a-f-]{36}/);
  for (const token of bed.credential.issued) {
    assert.ok(!e.message.includes(token), 'the token is not in the message');
    assert.ok(!e.stack?.includes(token), 'nor in the stack');
  }
  assert.match(e.message, /<redacted-jwt>/, 'the echoed token was replaced');
  assert.equal(bed.fake.calls('computes.list'), 1, '401 is not retried');
});

test('403: names the missing permission and who can grant it', async () => {
  fresh();
  bed.fake.inject('datastores.list', { status: 403 });
  const e = await failure(datastorePages(bed.ml, bed.ws)());
  assert.deepEqual([e.status, e.code], [403, 'AuthorizationFailed']);
  assert.match(
    e.message,
    /your account has no permission for this \(403 AuthorizationFailed\)\. Azure said: The client 'tester@local.test' does not have authorization/,
  );
  assert.match(e.message, /Ask an owner of the workspace or subscription for a role/);
});

test('404: says it may be deleted or elsewhere, refresh', async () => {
  fresh();
  const other = { ...bed.ws, workspace: 'gone-ws' };
  const e = await failure(computePages(bed.ml, other)());
  assert.deepEqual([e.status, e.code], [404, 'ResourceNotFound']);
  assert.match(
    e.message,
    /Could not list the computes of workspace gone-ws: it was not found \(404 ResourceNotFound\)\. Azure said: Workspace gone-ws in resource group local-rg was not found\./,
  );
  assert.match(e.message, /refresh and check the names/);
});

test('409: says another operation runs or the name is taken', async () => {
  fresh();
  bed.fake.inject('jobs.list', { status: 409, message: 'Operation in progress.' });
  const e = await failure(jobPages(bed.ml, bed.ws)());
  assert.equal(e.status, 409);
  assert.match(
    e.message,
    /conflicts with the current state \(409 Conflict\)\. Azure said: Operation in progress\. Another operation may still be running/,
  );
});

test('429 with Retry-After: waits as told and succeeds on the retry', async () => {
  fresh();
  bed.fake.inject('computes.list', { status: 429, retryAfter: 0, times: 2 });
  const page = await computePages(bed.ml, bed.ws)();
  assert.ok(page.items.length > 0);
  assert.equal(bed.fake.calls('computes.list'), 3, 'two throttled tries, then the answer');
});

test('429 asking for longer than the product waits: fails at once, saying when to retry', async () => {
  fresh();
  bed.fake.inject('computes.list', { status: 429, retryAfter: 3600, times: Infinity });
  const e = await failure(computePages(bed.ml, bed.ws)());
  assert.deepEqual([e.status, e.code, e.retryAfterSeconds], [429, 'TooManyRequests', 3600]);
  assert.match(
    e.message,
    /^Could not list the computes of workspace local-ws: Azure is throttling requests and asks to wait 3600 s before the next call/,
  );
  assert.equal(bed.fake.calls('computes.list'), 1, 'no hour-long silent wait');
});

test('429 past the retries: the message says to wait and retry', async () => {
  fresh();
  bed.fake.inject('computes.list', { status: 429, retryAfter: 0, times: Infinity });
  const e = await failure(computePages(bed.ml, bed.ws)());
  assert.equal(e.status, 429);
  assert.match(e.message, /Azure is throttling requests \(429\) and retries ran out\..* Wait 0 s and retry\./);
  assert.equal(bed.fake.calls('computes.list'), 4, 'the first try and 3 retries');
});

test('503 and 500 are retried with backoff; a passing blip costs nothing', async () => {
  fresh();
  bed.fake.inject('datastores.list', { status: 503, times: 1 });
  bed.fake.inject('datastores.list', { status: 500, times: 1 });
  const page = await datastorePages(bed.ml, bed.ws)();
  assert.ok(page.items.length > 0);
  assert.equal(bed.fake.calls('datastores.list'), 3);
});

test('a lasting 5xx ends with a server-side message and the request id for support', async () => {
  fresh();
  bed.fake.inject('datastores.list', { status: 500, times: Infinity });
  const e = await failure(datastorePages(bed.ml, bed.ws)());
  assert.deepEqual([e.status, e.code], [500, 'InternalServerError']);
  assert.match(
    e.message,
    /Azure had a server error \(500 InternalServerError\) and retries ran out\..*This is on Azure's side: retry in a few minutes; if it persists, give Azure support the request id\. \(request id [0-9a-f-]{36}\)/,
  );
});

test('a dropped connection is retried; a connection that keeps dropping says to check the network', async () => {
  fresh();
  bed.fake.inject('subscriptions.list', { drop: true, times: 1 });
  const subs = await listSubscriptions(bed.credential, bed.endpoint);
  assert.equal(subs[0].displayName, 'Local test subscription');
  assert.equal(bed.fake.calls('subscriptions.list'), 2);

  fresh();
  bed.fake.inject('computes.list', { drop: true, times: Infinity });
  const e = await failure(computePages(bed.ml, bed.ws)());
  assert.equal(e.status, undefined);
  assert.match(
    e.message,
    /^Could not list the computes of workspace local-ws: the connection was dropped while talking to 127\.0\.0\.1:\d+\. Check the network connection, proxy \(HTTPS_PROXY\) and firewall, then retry\./,
  );
  assert.equal(bed.fake.calls('computes.list'), 4);
});

test('a slow answer still arrives; cancelling a slow load ends it as Cancelled, not as an error', async () => {
  fresh();
  bed.fake.inject('computes.list', { delayMs: 300 });
  const page = await computePages(bed.ml, bed.ws)();
  assert.ok(page.items.length > 0);

  fresh();
  bed.fake.inject('jobs.get', { delayMs: 5000 });
  const abort = new AbortController();
  const pending = bed.ml.jobs.get(bed.ws.resourceGroup, bed.ws.workspace, 'job-00000', { abortSignal: abort.signal });
  abort.abort();
  const { toAzureError } = await import('../../../src/core/azure/http/errors');
  const e = await pending.then(
    () => undefined,
    (err) => toAzureError(err, 'read job job-00000'),
  );
  assert.ok(e?.cancelled, `cancelled, got ${e?.message}`);
  assert.equal(e?.message, 'Cancelled: read job job-00000.');
});

test('an untrusted certificate is a clear TLS message, not a hang', async () => {
  fresh();
  const untrusting = mlClient(bed.credential, testSubscription.subscriptionId, { ...bed.endpoint, ca: undefined });
  const e = await failure(computePages(untrusting, bed.ws)());
  assert.match(e.message, /the server certificate is not trusted while talking to 127\.0\.0\.1/);
});

test('a page load cancelled while the answer is slow ends as Cancelled, for SDK lists and plain ARM lists', async () => {
  const { subscriptionPages } = await import('../../../src/core/azure/resources/subscriptions');
  fresh();
  bed.fake.inject('jobs.list', { delayMs: 5000 });
  bed.fake.inject('subscriptions.list', { delayMs: 5000 });
  const abort = new AbortController();
  const loads = [
    jobPages(bed.ml, bed.ws)(undefined, abort.signal),
    subscriptionPages(bed.credential, bed.endpoint)(undefined, abort.signal),
  ];
  abort.abort();
  const [jobs, subs] = await Promise.all(loads.map(failure));
  assert.deepEqual([jobs.cancelled, jobs.message], [true, 'Cancelled: list the jobs of workspace local-ws.']);
  assert.deepEqual([subs.cancelled, subs.message], [true, 'Cancelled: list your subscriptions.']);
});
