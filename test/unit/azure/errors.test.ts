// toAzureError on its own: any thrown thing becomes {code, status, requestId, message} without secrets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHttpHeaders, createPipelineRequest, RestError, type PipelineResponse } from '@azure/core-rest-pipeline';
import { AzureError, toAzureError } from '../../../src/core/azure/http/errors';

function response(status: number, body: unknown, headers: Record<string, string> = {}): PipelineResponse {
  const request = createPipelineRequest({ url: 'https://management.azure.com/subscriptions/s/x?api-version=2022-10-01' });
  return { status, request, headers: createHttpHeaders(headers), bodyAsText: typeof body === 'string' ? body : JSON.stringify(body) };
}

test('reads the ARM error body, the request id and the status from a RestError', () => {
  const r = response(409, { error: { code: 'Conflict', message: 'Compute  c1   is busy.' } }, { 'x-ms-request-id': 'rid-1' });
  const e = toAzureError(new RestError('x', { statusCode: 409, response: r, request: r.request }), 'resize compute c1');
  assert.deepEqual([e.code, e.status, e.requestId], ['Conflict', 409, 'rid-1']);
  assert.equal(
    e.message,
    'Could not resize compute c1: it conflicts with the current state (409 Conflict). Azure said: Compute c1 is busy. Another operation may still be running on it, or the name is taken: wait for that operation or choose another name. (request id rid-1)',
  );
});

test('a body that is not JSON still gives a status-based message', () => {
  const r = response(502, '<html>Bad gateway</html>');
  const e = toAzureError(new RestError('Bad gateway', { statusCode: 502, response: r }), 'list jobs');
  assert.deepEqual([e.code, e.status], ['Http502', 502]);
  assert.match(e.message, /^Could not list jobs: Azure had a server error \(502 Http502\) and retries ran out\./);
});

test('secrets in the service message or a network error never reach the AzureError', () => {
  const r = response(400, {
    error: { code: 'BadRequest', message: 'Invalid SAS https://a.blob.core.windows.net/c?sv=1&sig=SECRETSIG and AccountKey=SECRETKEY==' },
  });
  const e1 = toAzureError(new RestError('x', { statusCode: 400, response: r }), 'register datastore d');
  const net = Object.assign(new Error('connect to https://a.blob.core.windows.net/c?sig=SECRETSIG failed'), {
    code: 'EWHATEVER',
    name: 'RestError',
  });
  const e2 = toAzureError(net, 'upload');
  for (const e of [e1, e2]) assert.ok(!/SECRETSIG|SECRETKEY/.test(e.message) && !/SECRETSIG|SECRETKEY/.test(String(e.stack)), e.message);
});

test('abort is a cancellation; a plain local error keeps its own words; an AzureError passes through', () => {
  const abort = Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' });
  assert.ok(toAzureError(abort, 'list computes').cancelled);
  const plain = toAzureError(new Error('The discovery document has no "api" entry.'), 'read run r1');
  assert.deepEqual([plain.code, plain.message], ['ClientError', 'Could not read run r1: The discovery document has no "api" entry.']);
  const own = new AzureError({ code: 'InvalidSettings', message: 'Cannot create compute "x": …' });
  assert.equal(toAzureError(own, 'anything'), own);
});
