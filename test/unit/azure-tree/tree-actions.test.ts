// Actions run on rows of the Azure ML tree (the commands' path, without VS Code): the row's workspace becomes
// the target, the folder that changed refreshes, copy/open give the strings job YAML, az ml and studio use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as api from '../../../src/core/azure';
import { Clients, type AzureAccess } from '../../../src/vscode/azure/access';
import { runTreeAction, type ActionEnv } from '../../../src/vscode/azure/actions/run';
import { AZURE_COMMAND } from '../../../src/vscode/azure/ids';
import { AZURE_ACTIONS } from '../../../src/vscode/azure/actions/action-ids';
import { azureRoots, type TreeContext } from '../../../src/vscode/azure/nodes';
import { TreeModel } from '../../../src/vscode/tree/framework/tree-model';
import type { TreeNode } from '../../../src/vscode/tree/framework/node';
import { FakeCredential } from '../../fakes/arm/token';
import { useFakeArm } from '../azure/fake-arm';
import { ENTER, ESC, ScriptedUi, type Answer } from '../azure/actions/scripted-ui';

const bed = useFakeArm();

function setup(script: Answer[] = []) {
  const access: AzureAccess = {
    api: async () => api,
    endpoint: bed.endpoint,
    signedIn: async () => true,
    credential: (t) => new FakeCredential(t ?? bed.credential.tenantId),
  };
  const ctx: TreeContext = { clients: new Clients(access) };
  const model = new TreeModel({ roots: (signal) => azureRoots(ctx, signal) });
  const ui = new ScriptedUi(script);
  const refreshed: (string | undefined)[] = [];
  const errors: string[] = [];
  const env: ActionEnv = {
    clients: ctx.clients,
    ui,
    blob: {},
    refresh: (n) => {
      refreshed.push(n?.id);
      model.refresh(n);
    },
    inspectModel: () => undefined,
    showError: (m) => errors.push(m),
    log: () => undefined,
  };
  return { model, ui, env, refreshed, errors };
}

const find = (nodes: TreeNode[], label: string | RegExp) => {
  const n = nodes.find((x) => (typeof label === 'string' ? x.view().label === label : label.test(x.view().label)));
  assert.ok(n, `a row ${label} among ${JSON.stringify(nodes.map((x) => x.view().label))}`);
  return n;
};

async function folder(model: TreeModel, label: string): Promise<TreeNode> {
  const sub = find(await model.children(), 'Local test subscription');
  const ws = find(await model.children(sub), /^local-ws/);
  return find(await model.children(ws), label);
}

test('Create compute cluster on the Compute folder: the new row shows once accepted and refreshes when done', async () => {
  const s = setup(['tree-cpu', 'Standard_DS11_v2', ENTER, '2', ENTER, 'Dedicated']);
  bed.fake.pollsPerOperation = 2;
  const computes = await folder(s.model, 'Compute');
  const r = (await runTreeAction('createCluster', computes, s.env)) as { done: boolean };
  assert.ok(r.done, JSON.stringify(s.errors));
  assert.deepEqual(s.refreshed, [computes.id, computes.id], 'when Creating, and when done');
  const row = find(await s.model.children(computes), 'tree-cpu').view();
  assert.equal(row.contextValue, 'azureCompute.cluster.Succeeded');
  assert.match(row.description ?? '', /Standard_DS11_v2/);
});

test('an action run on the wrong row, or failing, says what to do in one message; Escape says nothing', async () => {
  const esc = setup([ESC]);
  assert.equal(await runTreeAction('createCluster', await folder(esc.model, 'Compute'), esc.env), undefined);
  assert.deepEqual([esc.errors, esc.refreshed], [[], []]);

  const s = setup();
  const data = await folder(s.model, 'Data');
  assert.equal(await runTreeAction('createCluster', data, s.env), undefined);
  assert.deepEqual(s.errors, ["Run this from the Azure ML view: right-click a workspace's Compute folder."]);
  assert.equal(await runTreeAction('copyId', undefined, s.env), undefined);
  assert.match(s.errors[1], /Run this on a row of the Azure ML view/);

  const quiet = setup();
  const computes = await folder(quiet.model, 'Compute');
  // A script with nothing in it fails at the first prompt: that failure is shown, not swallowed.
  await runTreeAction('createCluster', computes, quiet.env);
  assert.match(quiet.errors[0], /The script has no answer/);
});

test('Copy ID / azureml: reference / URI and Open in studio on compute, datastore, asset, version and job rows', async () => {
  const s = setup();
  const ui = s.env.ui as ScriptedUi;
  const computes = await s.model.children(await folder(s.model, 'Compute'));
  const cluster = find(computes, 'cpu-cluster');
  await runTreeAction('copyReference', cluster, s.env);
  await runTreeAction('copyId', cluster, s.env);
  await runTreeAction('openInStudio', cluster, s.env);
  const datastores = await s.model.children(await folder(s.model, 'Datastores'));
  const blob = find(datastores, 'workspaceblobstore');
  await runTreeAction('copyReference', blob, s.env);
  await runTreeAction('copyUri', blob, s.env);
  const data = find(await s.model.children(await folder(s.model, 'Data')), 'digits');
  await runTreeAction('copyReference', data, s.env);
  const v1 = find(await s.model.children(data), '1');
  await runTreeAction('copyReference', v1, s.env);
  await runTreeAction('copyUri', v1, s.env);
  await runTreeAction('openInStudio', v1, s.env);
  const model = find(await s.model.children(await folder(s.model, 'Models')), 'digits-model');
  await runTreeAction('openInStudio', find(await s.model.children(model), '1'), s.env);
  await runTreeAction('copyUri', cluster, s.env);

  const wsPath =
    '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/local-rg/providers/Microsoft.MachineLearningServices/workspaces/local-ws';
  assert.deepEqual(ui.copied, [
    'azureml:cpu-cluster',
    `${wsPath}/computes/cpu-cluster`,
    'azureml://datastores/workspaceblobstore',
    'https://localtestsa.blob.core.windows.net/azureml-blobstore-00000000-test',
    'azureml:digits@latest',
    'azureml:digits:1',
    'azureml://datastores/workspaceblobstore/paths/digits/',
  ]);
  const wsid = 'wsid=/subscriptions/00000000-1111-2222-3333-444444444444/resourcegroups/local-rg/workspaces/local-ws';
  assert.equal(ui.opened[0].split('&tid=')[0], `https://ml.azure.com/compute/cpu-cluster/details?${wsid}`);
  assert.equal(ui.opened[1].split('&tid=')[0], `https://ml.azure.com/data/digits/1/details?${wsid}`);
  assert.equal(ui.opened[2].split('&tid=')[0], `https://ml.azure.com/model/digits-model:1/details?${wsid}`);
  assert.match(ui.opened[0], /&tid=[^&]+$/, 'the tenant, so studio opens the right directory');
  assert.deepEqual(s.errors, ['cpu-cluster has no URI to copy.']);
});

test('package.json contributes every action, hides it from the palette, and shows it on the rows it acts on', () => {
  const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../../../package.json'), 'utf8'));
  const contributed = new Set(pkg.contributes.commands.map((c: { command: string }) => c.command));
  const palette = new Map(pkg.contributes.menus.commandPalette.map((m: { command: string; when: string }) => [m.command, m.when]));
  const item = pkg.contributes.menus['view/item/context'] as { command: string; when: string }[];
  for (const id of AZURE_ACTIONS) {
    const command = AZURE_COMMAND[id];
    assert.ok(contributed.has(command), `${command} contributed`);
    assert.equal(palette.get(command), 'false', `${command} hidden from the palette (it acts on a row)`);
    assert.ok(
      item.some((m) => m.command === command && m.when.includes('view == parallelRun.azure')),
      `${command} on a row's menu`,
    );
  }
  // The rows' contextValues the menus match.
  const when = (id: keyof typeof AZURE_COMMAND) => item.filter((m) => m.command === AZURE_COMMAND[id]).map((m) => m.when);
  const matches = (id: keyof typeof AZURE_COMMAND, contextValue: string) =>
    when(id).some((w) => {
      const eq = /viewItem == (\S+)/.exec(w);
      const re = /viewItem =~ \/(.+)\/$/.exec(w);
      return eq ? eq[1] === contextValue : re ? new RegExp(re[1]).test(contextValue) : false;
    });
  assert.ok(matches('createCluster', 'azureFolder.computes') && !matches('createCluster', 'azureFolder.data'));
  assert.ok(matches('resizeCluster', 'azureCompute.cluster.Succeeded') && !matches('resizeCluster', 'azureCompute.cluster.Creating'));
  assert.ok(matches('deleteCompute', 'azureCompute.cluster.Failed') && !matches('deleteCompute', 'azureCompute.instance'));
  assert.ok(matches('setDefaultDatastore', 'azureDatastore') && !matches('setDefaultDatastore', 'azureDatastore.default'));
  assert.ok(matches('downloadModel', 'azureAssetVersion.models') && !matches('downloadModel', 'azureAssetVersion.data'));
  assert.ok(matches('copyUri', 'azureAssetVersion.data') && !matches('copyUri', 'azureCompute.cluster.Succeeded'));
  for (const cv of [
    'azureCompute.cluster.Succeeded',
    'azureDatastore.default',
    'azureAsset.models',
    'azureAssetVersion.environments',
    'azureJob.pipeline',
  ]) {
    assert.ok(matches('copyId', cv) && matches('openInStudio', cv), cv);
  }
});
