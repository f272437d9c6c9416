/**
 * A silent sign-in request that never answers (an auth provider offline, or not registered yet) ends with an
 * error the tree shows with Retry, instead of leaving the Azure ML view spinning. Runs on a fake vscode.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Module = require('node:module');

let answer: () => Promise<unknown> = () => new Promise(() => {});
const fakeVscode = { authentication: { getSession: () => answer() } };
const mod = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const load = mod._load;
mod._load = function (request: string, ...rest: unknown[]) {
  return request === 'vscode' ? fakeVscode : load.call(this, request, ...rest);
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { silentSession } = require('../../../src/vscode/azure/auth') as typeof import('../../../src/vscode/azure/auth');

const cloud = { providerId: 'microsoft', name: 'Azure', endpoint: { resourceManager: 'https://management.azure.com' } };

test('a provider that never answers: the request ends with SignInNotAnswering and what to do', async () => {
  answer = () => new Promise(() => {});
  await assert.rejects(silentSession(cloud, ['https://management.azure.com/.default'], 5), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'SignInNotAnswering');
    assert.match(e.message, /VS Code's Azure sign-in did not answer .* Retry, run "Sign in to Azure" again, or reload the window/);
    return true;
  });
});

test('a provider that answers gives its session (or none when signed out)', async () => {
  const session = { accessToken: 'x', id: '1', scopes: [], account: { id: 'a', label: 'a' } };
  answer = async () => session;
  assert.equal(await silentSession(cloud, [], 60_000), session);
  answer = async () => undefined;
  assert.equal(await silentSession(cloud, [], 60_000), undefined);
});
