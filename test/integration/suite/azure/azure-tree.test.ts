// The Azure ML view in a real VS Code against the HTTPS fake ARM (started by test/integration/run.mjs), signed
// in through the test-only provider (test/fakes/auth-provider): sign in, every level, Load more, error + Retry.
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../../src/extension';
import type { TreeNode } from '../../../../src/vscode/tree/framework/node';
import type { TreeModel } from '../../../../src/vscode/tree/framework/tree-model';
import { test } from '../harness';
import { PROVIDER, control } from './bed';
import { activeExtension, EXTENSION_ID, waitFor } from '../helpers';

async function tree(): Promise<TreeModel> {
  const ext = await activeExtension();
  const model = (ext.exports as ExtensionApi).azureTree;
  assert.ok(model, 'the extension exports the Azure tree');
  return model();
}

const labels = (rows: TreeNode[]) => rows.map((r) => r.view().label);
function find(rows: TreeNode[], label: string | RegExp): TreeNode {
  const n = rows.find((r) => (typeof label === 'string' ? r.view().label === label : label.test(r.view().label)));
  assert.ok(n, `no row ${label} in ${JSON.stringify(labels(rows))}`);
  return n;
}

test('signed out, the view is one "Sign in to Azure" row', async () => {
  // The first session request only once the fake provider is registered: VS Code's own Microsoft sign-in would
  // take the provider ids for a request that comes first, and offline it never answers.
  const ready = process.env.FAKE_AUTH_READY_FILE;
  if (ready) await waitFor(() => fs.existsSync(ready), 60_000, `the test-only sign-in provider (${ready})`);
  const model = await tree();
  const rows = await model.children();
  assert.deepStrictEqual(labels(rows), ['Sign in to Azure…']);
});

test('sign in through VS Code: the subscriptions of the fake show, the MFA tenant asks for its own sign-in', async () => {
  const model = await tree();
  // Tests cannot answer the consent dialog: file a sign-in request, then run the command VS Code registers for it.
  await vscode.authentication.getSession(PROVIDER, ['https://management.core.windows.net/.default']);
  // The workbench registers the request's command a moment later (in the Accounts menu): wait for it.
  const signInCommand = `${PROVIDER}:${EXTENSION_ID}:signIn0`;
  await waitFor(async () => (await vscode.commands.getCommands(true)).includes(signInCommand), 20_000, `the command ${signInCommand}`);
  await vscode.commands.executeCommand(signInCommand);
  const rows = await waitFor(
    async () => {
      const r = await model.children();
      return r.some((x) => x.view().label === 'Local test subscription') && r;
    },
    20_000,
    'the subscriptions after sign-in',
  );
  assert.deepStrictEqual(labels(rows), ['Local test subscription', 'Local MFA tenant: Sign in to this tenant…']);
});

test('every level expands: workspace, six folders, items, versions, pipeline steps', async () => {
  const model = await tree();
  const sub = find(await model.children(), 'Local test subscription');
  const ws = find(await model.children(sub), /^local-ws/);
  const folders = await model.children(ws);
  assert.deepStrictEqual(labels(folders), ['Compute', 'Datastores', 'Data', 'Models', 'Environments', 'Jobs']);
  for (const f of folders) {
    const items = await model.children(f);
    assert.ok(items.length > 0, `${f.view().label} is empty`);
    for (const i of items) assert.ok(!/^tree(Error|Empty)/.test(i.view().contextValue ?? ''), `${f.view().label}: ${i.view().label}`);
  }
  const data = await model.children(find(folders, 'Data'));
  const versions = await model.children(data[0]);
  assert.ok(versions.length > 0 && versions[0].view().icon === 'versions');
  const jobs = await model.children(find(folders, 'Jobs'));
  const steps = await model.children(jobs[0]);
  assert.strictEqual(steps[0]?.view().contextValue, 'azureJobStep', JSON.stringify(labels(steps)));
});

test('Jobs page with "Load more"', async () => {
  const model = await tree();
  await control('/page-size', { n: 5 });
  await control('/seed-jobs', { n: 12 });
  try {
    const sub = find(await model.children(), 'Local test subscription');
    const ws = find(await model.children(sub), /^local-ws/);
    const jobs = find(await model.children(ws), 'Jobs');
    await vscode.commands.executeCommand('parallelRun.tree.refresh', jobs);
    let rows = await model.children(jobs);
    assert.strictEqual(rows.length, 6);
    assert.strictEqual(rows[5].view().label, 'Load more…');
    await vscode.commands.executeCommand('parallelRun.tree.loadMore', jobs);
    rows = await waitFor(
      async () => {
        const r = await model.children(jobs);
        return r.length === 11 && r;
      },
      10_000,
      'the second page',
    );
    assert.strictEqual(rows[10].view().label, 'Load more…');
  } finally {
    await control('/page-size', { n: 50 });
  }
});

test('a failing folder is an error row; Retry loads it', async () => {
  const model = await tree();
  const sub = find(await model.children(), 'Local test subscription');
  const ws = find(await model.children(sub), /^local-ws/);
  const computes = find(await model.children(ws), 'Compute');
  await control('/inject', {
    route: 'computes.list',
    fault: { status: 403, code: 'AuthorizationFailed', message: 'No permission to list computes.', times: 'Infinity' },
  });
  try {
    await vscode.commands.executeCommand('parallelRun.tree.refresh', computes);
    const rows = await model.children(computes);
    assert.strictEqual(rows.length, 1);
    assert.strictEqual(rows[0].view().contextValue, 'treeError');
    assert.match(rows[0].view().tooltip ?? '', /AuthorizationFailed/);
  } finally {
    await control('/clear');
  }
  await vscode.commands.executeCommand('parallelRun.tree.retry', computes);
  const again = await model.children(computes);
  assert.ok(again.length > 0 && (again[0].view().contextValue ?? '').startsWith('azureCompute'), JSON.stringify(labels(again)));
});
