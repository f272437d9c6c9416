/** What a failed command says and offers, for each kind of failure (pure: no vscode). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AzureError } from '../../../src/core/azure/http/errors';
import { describeFailure } from '../../../src/vscode/commands/failure';
import { isCancelled, Cancelled, orCancel } from '../../../src/vscode/commands/cancelled';

const labels = (err: unknown) => describeFailure(err, 'Create the compute', 'x.create').actions.map((a) => a.label);

test('server errors, throttling, a conflict and a dropped connection offer Retry; a 400, 403 and 404 do not', () => {
  const az = (status: number | undefined, code = 'Code') =>
    new AzureError({ code, status, message: `Could not create the compute: failed (${status ?? 'network'}).` });
  assert.deepEqual(labels(az(500)), ['Retry', 'Show Log']);
  assert.deepEqual(labels(az(503)), ['Retry', 'Show Log']);
  assert.deepEqual(labels(az(429)), ['Retry', 'Show Log']);
  assert.deepEqual(labels(az(409)), ['Retry', 'Show Log']);
  assert.deepEqual(labels(az(undefined, 'ECONNRESET')), ['Retry', 'Show Log']);
  assert.deepEqual(labels(az(400)), ['Show Log']);
  assert.deepEqual(labels(az(403)), ['Show Log']);
  assert.deepEqual(labels(az(404)), ['Show Log']);
  assert.deepEqual(labels(az(undefined, 'ClientError')), ['Show Log'], 'a mistake on this side does not pass by retrying');
});

test('a 401 offers Sign in; with a claims challenge naming a tenant, "Sign in to this tenant" for that tenant', () => {
  assert.deepEqual(labels(new AzureError({ code: 'ExpiredAuthenticationToken', status: 401, message: 'Could not x (401).' })), [
    'Sign in',
    'Show Log',
  ]);
  const f = describeFailure(
    new AzureError({ code: 'Unauthorized', status: 401, signInChallenge: { tenantId: 't1' }, message: 'Could not x (401).' }),
    'X',
    'x',
  );
  assert.deepEqual(f.actions[0], { kind: 'signIn', label: 'Sign in to this tenant', tenantId: 't1' });
});

test('the message carries code, HTTP status and request id once each, whether or not the Azure message already has them', () => {
  const bare = describeFailure(
    new AzureError({ code: 'QuotaExceeded', status: 400, requestId: 'r-1', message: 'Could not create the compute: not enough quota.' }),
    'X',
    'x',
  );
  assert.equal(bare.message, 'Parallel Run: Could not create the compute: not enough quota. (HTTP 400, QuotaExceeded, request id r-1)');
  const full = describeFailure(
    new AzureError({ code: 'QuotaExceeded', status: 400, requestId: 'r-1', message: 'Could not x (400 QuotaExceeded). (request id r-1)' }),
    'X',
    'x',
  );
  assert.equal(full.message, 'Parallel Run: Could not x (400 QuotaExceeded). (request id r-1)');
  assert.deepEqual(full.azure, { code: 'QuotaExceeded', status: 400, requestId: 'r-1' });
});

test('an AzureError made by another bundle (same shape, another class) is recognised by its name', () => {
  const foreign = Object.assign(new Error('Could not list: throttled (429).'), {
    name: 'AzureError',
    code: 'TooManyRequests',
    status: 429,
    requestId: 'q',
  });
  assert.deepEqual(describeFailure(foreign, 'List', 'x').azure, { code: 'TooManyRequests', status: 429, requestId: 'q' });
});

test('a thrown non-Error still gives a message', () => {
  assert.equal(describeFailure('boom', 'X', 'x').message, 'Parallel Run: boom');
});

test('Cancelled, AbortError and an Azure Cancelled count as cancelled; other errors do not; orCancel throws on undefined only', () => {
  assert.ok(isCancelled(new Cancelled()));
  assert.ok(isCancelled(Object.assign(new Error('aborted'), { name: 'AbortError' })));
  assert.ok(isCancelled(new AzureError({ code: 'Cancelled', message: 'Cancelled: x.' })));
  assert.ok(!isCancelled(new AzureError({ code: 'Conflict', status: 409, message: 'x' })));
  assert.ok(!isCancelled(new Error('Cancelled')), 'the message does not make an error a cancellation');
  assert.ok(!isCancelled(undefined));
  assert.equal(orCancel(''), '');
  assert.throws(() => orCancel(undefined), Cancelled);
});
