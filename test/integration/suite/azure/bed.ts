// What the Azure scenario's tests share: the fake's workspace, its control port (test/fakes/testbed.mjs, started by
// test/integration/run.mjs azure) and signing in through the test-only provider, as VS Code's dialog would.
import * as assert from 'assert';
import * as fs from 'fs';
import * as http from 'http';
import * as vscode from 'vscode';
import type { TreeNode } from '../../../../src/vscode/tree/framework/node';
import type { TreeModel } from '../../../../src/vscode/tree/framework/tree-model';
import { EXTENSION_ID, waitFor } from '../helpers';

/** The provider the fake's custom cloud signs in with. */
export const PROVIDER = 'microsoft-sovereign-cloud';

/** The fake's workspace (test/fakes/arm/world.ts). */
export const testWs = { subscriptionId: '00000000-1111-2222-3333-444444444444', resourceGroup: 'local-rg', workspace: 'local-ws' };

/** Calls the test bed's control port (faults, seeded jobs, page size, requests seen). */
export function control(route: string, body: unknown = {}): Promise<string> {
  const base = process.env.PARALLEL_RUN_FAKE_CONTROL;
  assert.ok(base, 'PARALLEL_RUN_FAKE_CONTROL is not set: run this through test/integration/run.mjs azure');
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${route}`, { method: 'POST' }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => (res.statusCode === 200 ? resolve(text) : reject(new Error(`${route}: ${res.statusCode} ${text}`))));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/**
 * Signs in once the test-only provider is registered (it writes FAKE_AUTH_READY_FILE): the request VS Code turns
 * into a consent prompt, which its accounts menu command answers as the user's Allow would.
 */
export async function signedIn(): Promise<void> {
  const ready = process.env.FAKE_AUTH_READY_FILE;
  if (ready) await waitFor(() => fs.existsSync(ready), 60_000, `the test-only sign-in provider (${ready})`);
  const scopes = ['https://management.core.windows.net/.default'];
  if (await vscode.authentication.getSession(PROVIDER, scopes, { silent: true })) return;
  await vscode.authentication.getSession(PROVIDER, scopes);
  const signInCommand = `${PROVIDER}:${EXTENSION_ID}:signIn0`;
  await waitFor(async () => (await vscode.commands.getCommands(true)).includes(signInCommand), 20_000, `the command ${signInCommand}`);
  await vscode.commands.executeCommand(signInCommand);
  await waitFor(async () => vscode.authentication.getSession(PROVIDER, scopes, { silent: true }), 20_000, 'the sign-in');
}

/** The child row of `parent` (undefined: a root) whose label is `label` (or matches it); fails naming what is there. */
export async function childRow(model: TreeModel, parent: TreeNode | undefined, label: string | RegExp): Promise<TreeNode> {
  const rows = await model.children(parent);
  const n = rows.find((r) => (typeof label === 'string' ? r.view().label === label : label.test(r.view().label)));
  assert.ok(n, `no row ${label} in ${JSON.stringify(rows.map((r) => r.view().label))}`);
  return n;
}

/** The fake workspace's Jobs folder row. */
export async function jobsFolderRow(model: TreeModel): Promise<TreeNode> {
  return childRow(model, await childRow(model, await childRow(model, undefined, 'Local test subscription'), /^local-ws/), 'Jobs');
}
