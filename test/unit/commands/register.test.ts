/**
 * The command path as VS Code runs it: refuses in an untrusted workspace, ends silently on Cancelled, turns
 * failures into one message with actions that work, and logs without secrets. Runs on a recording fake vscode.
 */
import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import Module = require('node:module');
import type { CommandDecl } from '../../../src/vscode/commands/declare';

type Handler = (...args: unknown[]) => Promise<unknown>;
const registered = new Map<string, Handler>();
const executed: unknown[][] = [];
const shown: { kind: 'error' | 'warning'; message: string; actions: string[] }[] = [];
/** What the user clicks on the next notification (undefined: closes it). */
let answer: string | undefined;
const logged: { level: string; text: string }[] = [];
let logShown = 0;

const fakeVscode = {
  Disposable: { from: (...items: { dispose(): void }[]) => ({ dispose: () => items.forEach((i) => i.dispose()) }) },
  workspace: { isTrusted: true },
  commands: {
    registerCommand: (id: string, handler: Handler) => {
      assert.ok(!registered.has(id), `${id} registered twice`);
      registered.set(id, handler);
      return { dispose: () => registered.delete(id) };
    },
    executeCommand: async (...args: unknown[]) => void executed.push(args),
  },
  window: {
    showErrorMessage: async (message: string, ...actions: string[]) => (shown.push({ kind: 'error', message, actions }), answer),
    showWarningMessage: async (message: string, ...actions: string[]) => (shown.push({ kind: 'warning', message, actions }), answer),
  },
};
const mod = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const load = mod._load;
mod._load = function (request: string, ...rest: unknown[]) {
  return request === 'vscode' ? fakeVscode : load.call(this, request, ...rest);
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { registerCommandTable } = require('../../../src/vscode/commands/register') as typeof import('../../../src/vscode/commands/register');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Cancelled } = require('../../../src/vscode/commands/cancelled') as typeof import('../../../src/vscode/commands/cancelled');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { AzureError } = require('../../../src/core/azure/http/errors') as typeof import('../../../src/core/azure/http/errors');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { AZURE_COMMAND } = require('../../../src/vscode/azure/ids') as typeof import('../../../src/vscode/azure/ids');

const log = {
  debug: (text: string) => logged.push({ level: 'debug', text }),
  info: (text: string) => logged.push({ level: 'info', text }),
  warn: (text: string) => logged.push({ level: 'warn', text }),
  error: (text: string) => logged.push({ level: 'error', text }),
  show: () => void logShown++,
} as unknown as import('vscode').LogOutputChannel;

const RUN: CommandDecl = { id: 'test.run', title: 'Run locally', trust: 'It runs code from this workspace.' };
const LIST: CommandDecl = { id: 'test.list', title: 'List the computes' };

/** Registers one command with `handler` and returns what VS Code would call. */
function register(decl: CommandDecl, handler: (...args: unknown[]) => unknown): Handler {
  registerCommandTable(log, { only: decl }, { only: handler });
  return registered.get(decl.id)!;
}

/** Lets the notification's `.then` (the user's click) run. */
const settle = () => new Promise((r) => setImmediate(r));

beforeEach(() => {
  registered.clear();
  executed.length = 0;
  shown.length = 0;
  logged.length = 0;
  logShown = 0;
  answer = undefined;
  fakeVscode.workspace.isTrusted = true;
});

test('a command runs its handler with the arguments VS Code passes and returns its result; start and end are logged at debug level', async () => {
  const run = register(LIST, async (a, b) => `${a}+${b}`);
  assert.equal(await run('x', 2), 'x+2');
  assert.deepEqual(
    logged.map((l) => l.level),
    ['debug', 'debug'],
  );
  assert.match(logged[0].text, /test\.list: started/);
  assert.match(logged[1].text, /test\.list: finished in \d+ ms/);
  assert.deepEqual(shown, []);
});

test('in an untrusted workspace a command that needs trust refuses, says why, offers Manage Workspace Trust and never runs', async () => {
  fakeVscode.workspace.isTrusted = false;
  let ran = false;
  const run = register(RUN, () => (ran = true));
  answer = 'Manage Workspace Trust';
  assert.equal(await run(), undefined);
  await settle();
  assert.equal(ran, false);
  assert.deepEqual(shown, [
    { kind: 'warning', message: 'Run locally is disabled: It runs code from this workspace.', actions: ['Manage Workspace Trust'] },
  ]);
  assert.deepEqual(executed, [['workbench.trust.manage']]);
});

test('a command that does not need trust runs in an untrusted workspace', async () => {
  fakeVscode.workspace.isTrusted = false;
  assert.equal(await register(LIST, () => 'listed')(), 'listed');
});

test('a user who escapes a prompt (Cancelled), an aborted request and a cancelled Azure call end the command silently', async () => {
  const abort = Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
  const azureCancel = new AzureError({ code: 'Cancelled', message: 'Cancelled: list the computes.' });
  for (const err of [new Cancelled(), abort, azureCancel]) {
    const run = register(LIST, async () => {
      throw err;
    });
    assert.equal(await run(), undefined);
    registered.clear();
  }
  await settle();
  assert.deepEqual(shown, []);
  assert.ok(
    logged.every((l) => l.level === 'debug'),
    JSON.stringify(logged),
  );
  assert.equal(logged.filter((l) => /cancelled/.test(l.text)).length, 3);
});

test('an ordinary failure shows its message with Show Log, logs the stack at error level, and Show Log opens the channel', async () => {
  const run = register(LIST, async () => {
    throw new Error('spec.yml:3: compute is not a string');
  });
  answer = 'Show Log';
  assert.equal(await run(), undefined);
  await settle();
  assert.deepEqual(shown, [{ kind: 'error', message: 'Parallel Run: spec.yml:3: compute is not a string', actions: ['Show Log'] }]);
  const errors = logged.filter((l) => l.level === 'error');
  assert.equal(errors.length, 1);
  assert.match(errors[0].text, /^List the computes failed \(test\.list\): Error: spec\.yml:3: compute is not a string\n\s+at /);
  assert.equal(logShown, 1);
});

test('a throttled Azure call shows code, status and request id, and Retry runs the command again with the same arguments', async () => {
  let calls: unknown[][] = [];
  const run = register(LIST, async (...args) => {
    calls.push(args);
    if (calls.length === 1)
      throw new AzureError({
        code: 'TooManyRequests',
        status: 429,
        requestId: 'req-42',
        message: 'Could not list the computes: Azure is throttling requests (429) and retries ran out. Wait 5 s and retry.',
      });
    return 'listed';
  });
  answer = 'Retry';
  assert.equal(await run('ws1'), undefined);
  await settle();
  await settle();
  assert.equal(shown.length, 1);
  assert.equal(
    shown[0].message,
    'Parallel Run: Could not list the computes: Azure is throttling requests (429) and retries ran out. Wait 5 s and retry. (TooManyRequests, request id req-42)',
  );
  assert.deepEqual(shown[0].actions, ['Retry', 'Show Log']);
  assert.deepEqual(calls, [['ws1'], ['ws1']], 'Retry ran the handler again with the same arguments');
  assert.match(logged.find((l) => l.level === 'error')!.text, /code TooManyRequests, HTTP 429, request id req-42/);
  calls = [];
});

test('a tenant that asks for MFA offers "Sign in to this tenant", which signs in to that tenant', async () => {
  const run = register(LIST, async () => {
    throw new AzureError({
      code: 'InvalidAuthenticationToken',
      status: 401,
      requestId: 'r1',
      signInChallenge: { tenantId: 'contoso-tenant', claims: 'e30=' },
      message:
        'Could not list the computes: tenant contoso-tenant asks you to sign in again (401 InvalidAuthenticationToken). Sign in to this tenant, then retry. (request id r1)',
    });
  });
  answer = 'Sign in to this tenant';
  await run();
  await settle();
  assert.deepEqual(shown[0].actions, ['Sign in to this tenant', 'Show Log']);
  assert.deepEqual(executed, [[AZURE_COMMAND.signIn, 'contoso-tenant']]);
});

test('tokens, keys and SAS signatures in a failure reach neither the message nor the log', async () => {
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
  const run = register(LIST, async () => {
    throw new Error(
      `upload to https://acct.blob.core.windows.net/c/f?sv=2022&sig=SECRETSIG failed; Authorization: Bearer ${jwt}; AccountKey=SECRETKEY==`,
    );
  });
  await run();
  await settle();
  const everything = JSON.stringify({ shown, logged });
  for (const secret of ['SECRETSIG', jwt, 'SECRETKEY']) assert.ok(!everything.includes(secret), `${secret} leaked: ${everything}`);
  assert.match(shown[0].message, /sig=<redacted>/);
});

test('a raw SDK RestError is normalised as an Azure failure too: status, code, request id, and what to do', async () => {
  const rest = Object.assign(new Error('Forbidden'), {
    name: 'RestError',
    statusCode: 403,
    details: { error: { code: 'AuthorizationFailed', message: 'The client does not have authorization.' } },
    response: { status: 403, headers: { get: (n: string) => (n === 'x-ms-request-id' ? 'rid-9' : undefined) } },
  });
  const run = register(LIST, async () => {
    throw rest;
  });
  await run();
  await settle();
  assert.match(
    shown[0].message,
    /^Parallel Run: Could not list the computes: your account has no permission for this \(403 AuthorizationFailed\)\./,
  );
  assert.match(shown[0].message, /request id rid-9/);
  assert.deepEqual(shown[0].actions, ['Show Log'], 'a 403 is not retried as is');
});
