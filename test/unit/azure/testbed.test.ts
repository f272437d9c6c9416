// test/fakes/testbed.mjs, the test bed `npm run try-azure` and the VS Code suites start: the real Azure layer
// reaches the fake through the CA it writes, the rich world has content at every level, jobs page, the control
// port injects and clears faults, Azurite holds the fake's datastore containers, and stop() leaves no port open.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { mlClient } from '../../../src/core/azure/client';
import { assetContainerPages, assetVersionPages } from '../../../src/core/azure/resources/assets';
import { computePages } from '../../../src/core/azure/resources/computes';
import { jobPages } from '../../../src/core/azure/resources/jobs';
import { FakeCredential } from '../../fakes/arm/token';
import { testResourceGroup, testSubscription, testWorkspace } from '../../fakes/arm/world';
import { fastRetry } from './fake-arm';

const root = path.resolve(__dirname, '../../../..');
/** An ES module from this CommonJS test (TypeScript would turn `import()` into `require`). */
const importModule = new Function('url', 'return import(url)') as (url: string) => Promise<any>;

interface Bed {
  endpoint: string;
  caFile: string;
  control: string;
  blobEndpoint: string;
  settings: Record<string, unknown>;
  env: Record<string, string>;
  azurite: { container(name: string, create?: boolean): Promise<{ exists(): Promise<boolean> }> };
  stop(): Promise<void>;
}

let bed: Bed;
let controlCall: (url: string, route: string, body?: unknown) => Promise<unknown>;
const ws = { subscriptionId: testSubscription.subscriptionId, resourceGroup: testResourceGroup, workspace: testWorkspace };
const ml = () =>
  mlClient(new FakeCredential(), ws.subscriptionId, {
    resourceManager: bed.endpoint,
    ca: readFileSync(bed.caFile, 'utf8'),
    retry: fastRetry,
  });

before(async () => {
  const mod = await importModule(`file://${path.join(root, 'test', 'fakes', 'testbed.mjs')}`);
  controlCall = mod.controlCall;
  bed = await mod.startTestBed({ azurite: true, world: 'rich', jobs: 30, pageSize: 25 });
});
after(async () => {
  await bed?.stop();
});

test('points VS Code at the fake: the sovereign-cloud custom environment, its CA, the control port and Azurite', () => {
  assert.deepEqual(bed.settings, {
    'microsoft-sovereign-cloud.environment': 'custom',
    'microsoft-sovereign-cloud.customEnvironment': { name: 'Local test bed', resourceManagerEndpointUrl: bed.endpoint },
    'parallelRun.azure.blobEndpoint': bed.blobEndpoint,
  });
  assert.equal(bed.env.NODE_EXTRA_CA_CERTS, bed.caFile);
  assert.match(readFileSync(bed.caFile, 'utf8'), /^-----BEGIN CERTIFICATE-----/);
  assert.equal(bed.env.PARALLEL_RUN_FAKE_CONTROL, bed.control);
  assert.equal(bed.env.PARALLEL_RUN_TEST_BLOB_ENDPOINT, bed.blobEndpoint);
  assert.match(bed.blobEndpoint, /^http:\/\/127\.0\.0\.1:\d+\/localtestsa$/);
});

test('the rich world has content at every level, through the real Azure layer and the CA file', async () => {
  const client = ml();
  const computes = await computePages(client, ws)();
  assert.deepEqual(computes.items.map((c) => c.name).sort(), ['cpu-cluster', 'dev-instance', 'gpu-cluster']);
  const data = await assetContainerPages(client, ws, 'data')();
  assert.deepEqual(data.items.map((d) => d.name).sort(), ['digits', 'digits-labels', 'iris-table']);
  const versions = await assetVersionPages(client, ws, 'data', 'digits')();
  assert.deepEqual(versions.items.map((v) => v.version).sort(), ['1', '2', '3']);
  for (const kind of ['models', 'environments'] as const) {
    const containers = await assetContainerPages(client, ws, kind)();
    assert.ok(containers.items.length >= 2, `${kind}: ${containers.items.map((c) => c.name)}`);
  }
});

test('33 jobs page 25 at a time: "Load more" has a second page of 8', async () => {
  const load = jobPages(ml(), ws);
  const first = await load();
  assert.equal(first.items.length, 25);
  assert.ok(first.continuation);
  const second = await load(first.continuation);
  assert.equal(second.items.length, 8);
  assert.equal(second.continuation, undefined);
});

test('the control port injects a fault on a route and clears it', async () => {
  await controlCall(bed.control, '/inject', {
    route: 'computes.list',
    fault: { status: 403, code: 'AuthorizationFailed', times: 'Infinity' },
  });
  await assert.rejects(
    computePages(ml(), ws)(),
    (e: { status?: number; code?: string }) => e.status === 403 && e.code === 'AuthorizationFailed',
  );
  await controlCall(bed.control, '/clear');
  assert.equal((await computePages(ml(), ws)()).items.length, 3);
  await assert.rejects(controlCall(bed.control, '/nothing'), /404/);
});

test("Azurite holds the containers of the fake's datastores; stop() closes every port", async () => {
  for (const name of ['azureml-blobstore-00000000-test', 'azureml'])
    assert.equal(await (await bed.azurite.container(name, false)).exists(), true, name);
  const ports = [bed.endpoint, bed.control, bed.blobEndpoint].map((u) => Number(new URL(u).port));
  await bed.stop();
  for (const port of ports) assert.equal(await listening(port), false, `port ${port} still answers`);
});

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}
