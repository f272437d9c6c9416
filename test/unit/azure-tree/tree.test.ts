// The Azure ML tree walked through the tree framework, with the real Azure layer and SDK against the HTTPS
// fake ARM: every level, paging with "Load more", MFA tenants, an error row and Retry, one call per folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as api from '../../../src/core/azure';
import { Clients, type AzureAccess } from '../../../src/vscode/azure/access';
import { azureRoots, type TreeContext } from '../../../src/vscode/azure/nodes';
import { TreeModel } from '../../../src/vscode/tree/framework/tree-model';
import type { TreeNode } from '../../../src/vscode/tree/framework/node';
import { FakeCredential } from '../../fakes/arm/token';
import { useFakeArm } from '../azure/fake-arm';

const bed = useFakeArm();

function tree(opts: { signedIn?: boolean; mfa?: boolean; preselect?: TreeContext['preselect'] } = {}) {
  const access: AzureAccess = {
    api: async () => api,
    endpoint: bed.endpoint,
    signedIn: async () => opts.signedIn ?? true,
    credential: (tenantId) => new FakeCredential(tenantId ?? bed.credential.tenantId, opts.mfa ?? false),
  };
  const ctx: TreeContext = { clients: new Clients(access), preselect: opts.preselect };
  const model = new TreeModel({ roots: (signal) => azureRoots(ctx, signal), signIn: { command: 'parallelRun.azure.signIn' } });
  return { model, ctx };
}

const labels = (nodes: TreeNode[]) => nodes.map((n) => n.view().label);
const find = (nodes: TreeNode[], label: string | RegExp) => {
  const n = nodes.find((x) => (typeof label === 'string' ? x.view().label === label : label.test(x.view().label)));
  assert.ok(n, `a row ${label} among ${JSON.stringify(labels(nodes))}`);
  return n;
};

test('signed out: the tree is one "Sign in to Azure" row, and asks ARM nothing', async () => {
  bed.fake.resetCounts();
  const rows = await tree({ signedIn: false }).model.children();
  assert.deepEqual(labels(rows), ['Sign in to Azure…']);
  assert.equal(rows[0].view().command?.command, 'parallelRun.azure.signIn');
  assert.deepEqual(bed.fake.callsByRoute(), {});
});

test('a tenant that needs MFA shows "Sign in to this tenant" instead of hiding its subscriptions', async () => {
  const rows = await tree().model.children();
  assert.deepEqual(labels(rows), ['Local test subscription', 'Local MFA tenant: Sign in to this tenant…']);
  const mfa = rows[1].view();
  assert.equal(mfa.contextValue, 'azureSignIn');
  assert.match(mfa.description ?? '', /multi-factor/);
  assert.equal(mfa.command?.arguments?.length, 1, 'the sign-in is for that tenant');
  // Signed in with MFA, the tenant's subscription shows.
  const withMfa = await tree({ mfa: true }).model.children();
  assert.equal(withMfa.filter((r) => r.view().contextValue === 'azureSubscription').length, 2);
});

test('every level expands: workspace, six folders (one ARM call each), compute, datastores, assets → versions, jobs → steps', async () => {
  const { model } = tree();
  const sub = find(await model.children(), 'Local test subscription');
  const ws = find(await model.children(sub), /^local-ws/);
  bed.fake.resetCounts();
  const folders = await model.children(ws);
  assert.deepEqual(labels(folders), ['Compute', 'Datastores', 'Data', 'Models', 'Environments', 'Jobs']);
  assert.deepEqual(bed.fake.callsByRoute(), {}, 'the folders themselves cost nothing');
  const byFolder = await Promise.all(folders.map((f) => model.children(f)));
  assert.deepEqual(bed.fake.callsByRoute(), {
    'computes.list': 1,
    'datastores.list': 1,
    'data.list': 1,
    'models.list': 1,
    'environments.list': 1,
    'jobs.list': 1,
  });
  const [computes, datastores, data, models, envs, jobs] = byFolder;
  for (const [i, rows] of byFolder.entries())
    assert.ok(rows.length > 0 && rows.every((r) => !/^tree/.test(r.view().contextValue ?? '')), `${folders[i].view().label} has items`);

  const cluster = computes.find((c) => c.view().contextValue?.startsWith('azureCompute.cluster'));
  assert.ok(cluster, 'a cluster');
  assert.match(cluster.view().description ?? '', /nodes/);
  assert.match(cluster.view().tooltip ?? '', /VM size: .+\n.*Idle before scale-down: /s);
  const def = datastores.find((d) => d.view().contextValue === 'azureDatastore.default');
  assert.ok(def, 'the default datastore is marked');
  assert.match(def.view().description ?? '', /^default · AzureBlob/);

  for (const folder of [data, models, envs]) {
    const versions = await model.children(folder[0]);
    assert.ok(versions.length > 0);
    assert.equal(versions[0].view().icon, 'versions');
  }
  const dataVersion = (await model.children(data[0]))[0].view();
  assert.match(dataVersion.description ?? '', /uri_(file|folder)|mltable/);

  const pipeline = jobs[0];
  assert.equal(pipeline.view().collapsible, 'collapsed', 'a pipeline job expands to its steps');
  const steps = await model.children(pipeline);
  assert.ok(steps.length > 0 && steps[0].view().contextValue === 'azureJobStep', JSON.stringify(labels(steps)));
});

test('Jobs: newest first, one page per "Load more", never more than the pages shown', async () => {
  bed.fake.seedJobs(40);
  bed.fake.pageSize = 10;
  try {
    const { model } = tree();
    const sub = find(await model.children(), 'Local test subscription');
    const ws = find(await model.children(sub), /^local-ws/);
    const jobsFolder = find(await model.children(ws), 'Jobs');
    bed.fake.resetCounts();
    let rows = await model.children(jobsFolder);
    assert.equal(rows.length, 11);
    assert.equal(rows[10].view().label, 'Load more…');
    const created = rows.slice(0, 10).map((r) => /Created (.+)/.exec(r.view().tooltip ?? '')?.[1] ?? '');
    assert.deepEqual(created, [...created].sort().reverse(), 'newest first');
    await model.loadMore(jobsFolder);
    rows = await model.children(jobsFolder);
    assert.equal(rows.length, 21);
    assert.deepEqual(bed.fake.callsByRoute(), { 'jobs.list': 2 });
  } finally {
    bed.fake.pageSize = 50;
  }
});

test('a failing folder shows the service message with Retry; Retry loads it', async () => {
  const { model } = tree();
  const sub = find(await model.children(), 'Local test subscription');
  const ws = find(await model.children(sub), /^local-ws/);
  const computes = find(await model.children(ws), 'Compute');
  bed.fake.inject('computes.list', {
    status: 403,
    code: 'AuthorizationFailed',
    message: 'The client does not have authorization to perform action list computes.',
    times: Infinity,
  });
  try {
    const rows = await model.children(computes);
    assert.equal(rows.length, 1);
    const v = rows[0].view();
    assert.equal(v.contextValue, 'treeError');
    assert.match(v.label, /authorization/i);
    assert.match(v.tooltip ?? '', /Code: AuthorizationFailed\nHTTP 403/);
    assert.doesNotMatch(`${v.label}${v.tooltip}`, /eyJ/);
  } finally {
    bed.fake.clearFaults();
  }
  model.retry(computes);
  const again = await model.children(computes);
  assert.ok(again.length > 0 && again[0].view().contextValue?.startsWith('azureCompute'));
});

test('config.json preselects: its subscription first and expanded, its workspace expanded and marked', async () => {
  const { model } = tree({ preselect: { ...bed.ws } });
  const roots = await model.children();
  assert.equal(roots[0].view().label, 'Local test subscription');
  assert.equal(roots[0].view().collapsible, 'expanded');
  const ws = (await model.children(roots[0]))[0].view();
  assert.equal(ws.collapsible, 'expanded');
  assert.match(ws.description ?? '', /^config\.json/);
});
