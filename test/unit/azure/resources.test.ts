// The real @azure/arm-machinelearning client and core pipeline against the HTTPS fake ARM: every list with
// paging, every create with its long-running operation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allItems, pages } from '../../../src/core/azure/http/paging';
import { listSubscriptions, listTenants } from '../../../src/core/azure/resources/subscriptions';
import { workspacePages } from '../../../src/core/azure/resources/workspaces';
import { computePages, createAmlCluster, deleteCompute, getCompute, resizeAmlCluster } from '../../../src/core/azure/resources/computes';
import { datastorePages, getDatastore, registerBlobDatastore, setDefaultDatastore } from '../../../src/core/azure/resources/datastores';
import { assetContainerPages, assetVersionPages, createDataVersion, registerModelVersion } from '../../../src/core/azure/resources/assets';
import { jobPages } from '../../../src/core/azure/resources/jobs';
import { RunHistory } from '../../../src/core/azure/resources/run-history';
import { datastorePathUri } from '../../../src/core/azure/resources/ids';
import { AzureError } from '../../../src/core/azure/http/errors';
import { useFakeArm } from './fake-arm';

const bed = useFakeArm();

test('lists tenants and subscriptions through ARM (api-version 2022-12-01), the test bed saying what it is', async () => {
  const [tenants, subs] = [await listTenants(bed.credential, bed.endpoint), await listSubscriptions(bed.credential, bed.endpoint)];
  assert.deepEqual(
    tenants.map((t) => t.displayName),
    ['Local test tenant', 'Local MFA tenant'],
  );
  assert.deepEqual(
    subs.map((s) => [s.displayName, s.state]),
    [['Local test subscription', 'Enabled']],
  );
  const seen = bed.fake.requests.filter((r) => r.route === 'subscriptions.list' || r.route === 'tenants.list');
  assert.deepEqual(
    seen.map((r) => r.query.get('api-version')),
    ['2022-12-01', '2022-12-01'],
  );
  assert.deepEqual(bed.credential.scopesAsked.at(-1), ['https://management.azure.com/.default']);
});

test('lists workspaces of the subscription with their discovery URL', async () => {
  const page = await workspacePages(bed.ml)();
  assert.deepEqual(
    page.items.map((w) => [w.workspace, w.resourceGroup, w.discoveryUrl]),
    [['local-ws', 'local-rg', bed.discoveryUrl]],
  );
});

test('computes page with nextLink, one call per page, clusters with state, nodes, VM size and idle time', async () => {
  bed.fake.pageSize = 1;
  bed.fake.resetCounts();
  try {
    const load = computePages(bed.ml, bed.ws);
    const first = await load();
    assert.equal(first.items.length, 1);
    assert.ok(first.continuation, 'a continuation for "Load more"');
    assert.equal(bed.fake.calls('computes.list'), 1, 'the first page costs one call and does not read ahead');
    const second = await load(first.continuation);
    assert.equal(second.continuation, undefined);
    assert.equal(bed.fake.calls('computes.list'), 2);
    const [cluster, instance] = [...first.items, ...second.items];
    assert.deepEqual(cluster, {
      kind: 'cluster',
      name: 'cpu-cluster',
      id: `${bed.fake.testWorkspaceId}/computes/cpu-cluster`,
      provisioningState: 'Succeeded',
      allocationState: 'Steady',
      vmSize: 'STANDARD_DS3_V2',
      vmPriority: 'Dedicated',
      currentNodes: 0,
      targetNodes: 0,
      minNodes: 0,
      maxNodes: 4,
      idleSecondsBeforeScaleDown: 120,
      errors: [],
    });
    assert.equal(instance.kind, 'instance');
    assert.equal(instance.kind === 'instance' && instance.state, 'Running');
  } finally {
    bed.fake.pageSize = 50;
  }
});

test('creates an AmlCluster and follows its Azure-AsyncOperation until Succeeded, state advancing per poll', async () => {
  const states: string[] = [];
  bed.fake.resetCounts();
  const c = await createAmlCluster(
    bed.ml,
    bed.ws,
    { name: 'gpu-cluster', vmSize: 'Standard_NC6', minNodes: 0, maxNodes: 2, idleSecondsBeforeScaleDown: 300, lowPriority: true },
    { pollIntervalMs: 1, onProgress: (s) => states.push(s) },
  );
  assert.deepEqual(states, ['Creating', 'Succeeded']);
  assert.equal(bed.fake.calls('operations.status'), bed.fake.pollsPerOperation + 1, 'polled until the operation said Succeeded');
  assert.deepEqual(c.kind === 'cluster' && [c.provisioningState, c.vmPriority, c.minNodes, c.maxNodes, c.idleSecondsBeforeScaleDown], [
    'Succeeded',
    'LowPriority',
    0,
    2,
    300,
  ]);
  const sent = bed.fake.requests.find((r) => r.route === 'computes.put')!.body as {
    location: string;
    properties: { properties: { scaleSettings: unknown } };
  };
  assert.equal(sent.location, 'eastus', "the workspace's region when none is given");
  assert.deepEqual(sent.properties.properties.scaleSettings, { minNodeCount: 0, maxNodeCount: 2, nodeIdleTimeBeforeScaleDown: 'PT300S' });
  const listed = await allItems(computePages(bed.ml, bed.ws));
  assert.ok(
    listed.some((x) => x.name === 'gpu-cluster'),
    'what is created can be listed',
  );
});

test('a provisioning failure ends with the service reason and what to do', async () => {
  bed.fake.nextProvisioningFailure = { code: 'QuotaExceeded', message: 'Not enough quota for Standard_NC24 in eastus.' };
  await assert.rejects(
    createAmlCluster(
      bed.ml,
      bed.ws,
      { name: 'big-cluster', vmSize: 'Standard_NC24', minNodes: 0, maxNodes: 8, idleSecondsBeforeScaleDown: 120, lowPriority: false },
      { pollIntervalMs: 1 },
    ),
    (e: AzureError) =>
      /QuotaExceeded/.test(e.message) && /Not enough quota/.test(e.message) && /create compute cluster big-cluster/.test(e.message),
  );
});

test('invalid cluster settings are refused before any call, each problem named', async () => {
  bed.fake.resetCounts();
  await assert.rejects(
    createAmlCluster(bed.ml, bed.ws, {
      name: '9-bad_name',
      vmSize: 'Standard_DS3_v2',
      minNodes: 3,
      maxNodes: 2,
      idleSecondsBeforeScaleDown: 120,
      lowPriority: false,
    }),
    (e: AzureError) =>
      e.code === 'InvalidSettings' &&
      /must start with a letter/.test(e.message) &&
      /Minimum nodes \(3\) is more than maximum nodes \(2\)/.test(e.message),
  );
  assert.equal(bed.fake.calls('computes.put'), 0);
});

test('resizes a cluster and deletes it, following the 202 + Location operation until it is gone', async () => {
  const resized = await resizeAmlCluster(
    bed.ml,
    bed.ws,
    'gpu-cluster',
    { minNodes: 1, maxNodes: 3, idleSecondsBeforeScaleDown: 600 },
    { pollIntervalMs: 1 },
  );
  assert.deepEqual(resized.kind === 'cluster' && [resized.minNodes, resized.maxNodes, resized.idleSecondsBeforeScaleDown], [1, 3, 600]);
  const states: string[] = [];
  bed.fake.resetCounts();
  await deleteCompute(bed.ml, bed.ws, 'gpu-cluster', { pollIntervalMs: 1, onProgress: (s) => states.push(s) });
  assert.deepEqual(states, ['Deleting', 'Deleted']);
  assert.equal(bed.fake.requests.find((r) => r.route === 'computes.delete')?.query.get('underlyingResourceAction'), 'Delete');
  assert.ok(bed.fake.calls('operations.result') >= bed.fake.pollsPerOperation + 1);
  await assert.rejects(getCompute(bed.ml, bed.ws, 'gpu-cluster'), (e: AzureError) => e.status === 404);
});

test('datastores: default marked, type and container; register with an account key that never comes back', async () => {
  const listed = await allItems(datastorePages(bed.ml, bed.ws));
  assert.deepEqual(
    listed.map((d) => [d.name, d.type, d.isDefault, d.containerName]),
    [
      ['workspaceblobstore', 'AzureBlob', true, 'azureml-blobstore-00000000-test'],
      ['workspaceartifactstore', 'AzureBlob', false, 'azureml'],
    ],
  );
  const key = 'c2VjcmV0LWFjY291bnQta2V5LWZvci10ZXN0cw==';
  const ds = await registerBlobDatastore(bed.ml, bed.ws, {
    name: 'raw_images',
    accountName: 'mydata',
    containerName: 'images',
    credential: { kind: 'accountKey', key },
  });
  assert.deepEqual(
    [ds.name, ds.credentialsType, ds.accountName, ds.containerName, ds.isDefault],
    ['raw_images', 'AccountKey', 'mydata', 'images', false],
  );
  assert.ok(!JSON.stringify(ds).includes(key));
  const sent = bed.fake.requests.find((r) => r.route === 'datastores.put')!.body as {
    properties: { credentials: { secrets: { key: string } } };
  };
  assert.equal(sent.properties.credentials.secrets.key, key, 'the key reaches the service');
  const sas = await registerBlobDatastore(bed.ml, bed.ws, {
    name: 'shared_sas',
    accountName: 'mydata',
    containerName: 'shared',
    credential: { kind: 'sas', sasToken: '?sv=1&sig=abc' },
  });
  const identity = await registerBlobDatastore(bed.ml, bed.ws, {
    name: 'by_identity',
    accountName: 'mydata',
    containerName: 'id',
    credential: { kind: 'identity' },
  });
  assert.deepEqual([sas.credentialsType, identity.credentialsType], ['Sas', 'None']);
});

test('sets the default datastore through the datastore data plane found by discovery', async () => {
  await setDefaultDatastore(bed.arm, bed.ws, bed.discoveryUrl, 'raw_images');
  const [now, old] = [await getDatastore(bed.ml, bed.ws, 'raw_images'), await getDatastore(bed.ml, bed.ws, 'workspaceblobstore')];
  assert.deepEqual([now.isDefault, old.isDefault], [true, false]);
});

test('data, models and environments: containers, then versions of one, newest first', async () => {
  for (const [kind, name, expected] of [
    ['data', 'digits', ['1', 'uri_folder', 'azureml://datastores/workspaceblobstore/paths/digits/']],
    ['models', 'digits-model', ['1', 'custom_model', 'azureml://datastores/workspaceblobstore/paths/models/digits/']],
    ['environments', 'sklearn-env', ['1', undefined, 'mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04']],
  ] as const) {
    const containers = await assetContainerPages(bed.ml, bed.ws, kind)();
    assert.ok(
      containers.items.some((c) => c.name === name),
      `${kind} lists ${name}`,
    );
    const versions = await assetVersionPages(bed.ml, bed.ws, kind, name)();
    assert.deepEqual(
      versions.items.map((v) => [v.version, v.type, v.path]),
      [expected],
    );
  }
  assert.equal(
    bed.fake.requests
      .filter((r) => r.route === 'data.versions.list')
      .at(-1)
      ?.query.get('$orderBy'),
    'createdtime desc',
  );
});

test('creates a data asset version from a datastore path and registers a model version', async () => {
  const path = datastorePathUri('workspaceblobstore', 'LocalUpload/abc123/images');
  const d = await createDataVersion(bed.ml, bed.ws, { name: 'images', version: '1', type: 'uri_folder', path });
  assert.deepEqual([d.name, d.version, d.type, d.path], ['images', '1', 'uri_folder', path], 'the path as given, like azure-ai-ml');
  const m = await registerModelVersion(bed.ml, bed.ws, {
    name: 'digits-model',
    version: '2',
    path: datastorePathUri('workspaceblobstore', 'models/v2/model.onnx'),
  });
  assert.deepEqual([m.version, m.type], ['2', 'custom_model']);
  const versions = await allItems(assetVersionPages(bed.ml, bed.ws, 'models', 'digits-model'));
  assert.deepEqual(
    versions.map((v) => v.version),
    ['2', '1'],
  );
  await assert.rejects(
    createDataVersion(bed.ml, bed.ws, { name: 'images', version: '1', type: 'uri_folder', path }),
    (e: AzureError) => e.status === 409 && /immutable/.test(e.message),
  );
});

test('5,000 jobs page lazily, newest first: one call per page shown, never more held', async () => {
  bed.fake.seedJobs(5000 - 3);
  bed.fake.pageSize = 100;
  bed.fake.resetCounts();
  try {
    const seen: number[] = [];
    let names: string[] = [];
    for await (const page of pages(jobPages(bed.ml, bed.ws))) {
      seen.push(page.items.length);
      names = names.concat(page.items.map((j) => j.name));
      if (seen.length === 3) break; // the user clicked "Load more" twice
    }
    assert.deepEqual(seen, [100, 100, 100]);
    assert.equal(bed.fake.calls('jobs.list'), 3, 'no read-ahead beyond the pages shown');
    assert.equal(names[0], 'job-04999', 'newest first');
    assert.deepEqual([...names].sort().reverse(), names);
  } finally {
    bed.fake.pageSize = 50;
  }
});

test('a pipeline job expands to its steps from run history (discoveryUrl → runs/{id}/children)', async () => {
  const history = new RunHistory(bed.arm, bed.ws, bed.discoveryUrl);
  const steps = await history.childPages('job-00001')();
  assert.deepEqual(
    steps.items.map((s) => [s.runId, s.displayName, s.status, s.parentRunId]),
    [['job-00001-step', 'batch_inference_node', 'Completed', 'job-00001']],
  );
  const details = await history.details('job-00001-step');
  assert.equal(details.parentRunId, 'job-00001');
  await assert.rejects(history.details('no-such-run'), (e: AzureError) => e.status === 404 && /read run no-such-run/.test(e.message));
});

test('a cluster being created shows Creating on each GET until its polls are used up, then Succeeded', async () => {
  const { getCompute } = await import('../../../src/core/azure/resources/computes');
  bed.fake.pollsPerOperation = 3;
  bed.fake.resetCounts();
  // Start the creation without following it, as a tree refreshing the node would see it.
  await bed.ml.computeOperations.beginCreateOrUpdate(bed.ws.resourceGroup, bed.ws.workspace, 'watched', {
    location: 'eastus',
    properties: {
      computeType: 'AmlCompute',
      properties: { vmSize: 'Standard_DS3_v2', scaleSettings: { minNodeCount: 0, maxNodeCount: 1 } },
    },
  });
  const states: string[] = [];
  const pollsBySdk = bed.fake.calls('operations.status'); // the SDK polls once before returning the poller
  for (let i = 0; i < 4; i++) states.push((await getCompute(bed.ml, bed.ws, 'watched')).provisioningState ?? '');
  const creating = 3 - pollsBySdk;
  assert.deepEqual(states, [...Array(creating).fill('Creating'), ...Array(4 - creating).fill('Succeeded')]);
  bed.fake.pollsPerOperation = 2;
});

test("subscriptions are those of the token's tenant; a tenant demanding MFA answers with a sign-in challenge", async () => {
  const { FakeCredential } = await import('../../fakes/arm/token');
  const { mfaTenant } = await import('../../fakes/arm/world');
  const withoutMfa = new FakeCredential(mfaTenant.tenantId);
  await assert.rejects(listSubscriptions(withoutMfa, bed.endpoint), (e: AzureError) => {
    assert.deepEqual([e.status, e.code, e.signInChallenge?.tenantId], [401, 'InvalidAuthenticationTokenTenant', mfaTenant.tenantId]);
    assert.ok(e.signInChallenge?.claims, 'the claims to ask for');
    assert.match(
      e.message,
      new RegExp(
        `^Could not list your subscriptions: tenant ${mfaTenant.tenantId} asks you to sign in again \\(multi-factor authentication`,
      ),
    );
    assert.match(e.message, /Sign in to this tenant, then retry\./);
    return true;
  });
  const withMfa = new FakeCredential(mfaTenant.tenantId, true);
  assert.deepEqual(
    (await listSubscriptions(withMfa, bed.endpoint)).map((s) => s.displayName),
    ['Local test subscription (MFA tenant)'],
  );
});
