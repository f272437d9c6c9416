// scripts/azure-live.mjs (the opt-in check against a real subscription) runs unchanged against the fake ARM,
// through dist/azure.js and the real AzureCliCredential (a fake `az`), and is skipped when nothing is configured.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { installFakeAz } from '../../fakes/az-cli';
import { Azurite } from '../../fakes/azurite';
import { testTenant } from '../../fakes/arm/world';
import { useFakeArm } from './fake-arm';

const root = path.resolve(__dirname, '../../../..');
const script = path.join(root, 'scripts', 'azure-live.mjs');
const skip = !existsSync(path.join(root, 'dist', 'azure.js')) && 'dist/azure.js not built (node esbuild.mjs)';
const bed = useFakeArm();
const az = installFakeAz(testTenant.tenantId);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'azure-live-'));
after(() => {
  az.remove();
  rmSync(tmp, { recursive: true, force: true });
});

/** Runs the script without blocking this process's event loop: the fake ARM answering it lives here. */
function runScript(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

test('runs every read flow and create → resize → delete against the fake, workspace from config.json', { skip }, async () => {
  const ca = path.join(tmp, 'ca.pem');
  writeFileSync(ca, bed.fake.ca);
  writeFileSync(
    path.join(tmp, 'config.json'),
    JSON.stringify({ subscription_id: bed.ws.subscriptionId, resource_group: bed.ws.resourceGroup, workspace_name: bed.ws.workspace }),
  );
  const r = await runScript(['--write'], tmp, {
    ...process.env,
    AZURE_LIVE_ARM_ENDPOINT: bed.fake.endpoint,
    NODE_EXTRA_CA_CERTS: ca,
    AZURE_LIVE_TENANT: testTenant.tenantId,
    AZURE_LIVE_POLL_MS: '1',
  });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /ok {3}subscriptions: Local test subscription\n/);
  assert.match(r.stdout, /ok {3}computes: cpu-cluster \(cluster 0\/0-4 STANDARD_DS3_V2\), dev-instance \(instance\)/);
  assert.match(r.stdout, /ok {3}datastores: workspaceblobstore \(default\), workspaceartifactstore/);
  assert.match(r.stdout, /ok {3}steps of job-00002: batch_inference_node Completed/);
  assert.match(r.stdout, /ok {3}create cluster prl-live-\w+: Succeeded/);
  assert.match(r.stdout, /ok {3}delete prl-live-\w+/);
  assert.match(r.stdout, /all steps passed/);
});

test('is skipped, successfully, when no workspace is configured', { skip }, () => {
  const empty = mkdtempSync(path.join(os.tmpdir(), 'azure-live-none-')); // no config.json up its tree
  const env = { ...process.env };
  for (const k of ['AZURE_LIVE_SUBSCRIPTION', 'AZURE_LIVE_RESOURCE_GROUP', 'AZURE_LIVE_WORKSPACE']) delete env[k];
  const r = spawnSync(process.execPath, [script], { cwd: empty, encoding: 'utf8', env });
  assert.equal(r.status, 0);
  assert.match(r.stdout, /azure-live: skipped/);
  rmSync(empty, { recursive: true, force: true });
});

test(
  '--submit runs the tutorial against the fake, which runs the jobs: submit, follow, 100 rows, resubmit one image with mini_batch_size 1, 1 row',
  { skip: skip || (!existsSync(path.join(root, 'samples', 'digits', 'data', 'images')) && 'the digits sample data is not made') },
  async () => {
    const account = { name: 'localtestsa', key: 'ZmFrZS1hY2NvdW50LWtleQ==' };
    const azurite = await new Azurite(account).start();
    try {
      for (const c of ['azureml-blobstore-00000000-test', 'azureml']) await azurite.container(c);
      bed.fake.runJobs({ blobEndpoint: azurite.blobEndpoint, account });
      const ca = path.join(tmp, 'ca.pem');
      writeFileSync(ca, bed.fake.ca);
      const r = await runScript(['--submit'], tmp, {
        ...process.env,
        AZURE_LIVE_SUBSCRIPTION: bed.ws.subscriptionId,
        AZURE_LIVE_RESOURCE_GROUP: bed.ws.resourceGroup,
        AZURE_LIVE_WORKSPACE: bed.ws.workspace,
        AZURE_LIVE_ARM_ENDPOINT: bed.fake.endpoint,
        AZURE_LIVE_BLOB_ENDPOINT: azurite.blobEndpoint,
        NODE_EXTRA_CA_CERTS: ca,
        AZURE_LIVE_TENANT: testTenant.tenantId,
        AZURE_LIVE_POLL_MS: '200',
      });
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /ok {3}submit the digits sample to cpu-cluster: (\S+) https:/);
      assert.match(r.stdout, /ok {3}follow \S+: Completed/);
      const images = readdirSync(path.join(root, 'samples', 'digits', 'data', 'images')).filter((f) => f.endsWith('.png')).length;
      assert.match(r.stdout, new RegExp(`ok {3}rows of \\S+: ${images} rows`));
      assert.match(
        r.stdout,
        /ok {3}resubmit \S+ with one image, mini_batch_size 1: \S+: input digit_images: .* → .*digit_\w+\.png \(uri_file.*batch_size: 5 → 1/,
      );
      assert.match(r.stdout, /ok {3}rows of \S+: 1 row\n/);
      assert.match(r.stdout, /all steps passed/);
      assert.doesNotMatch(r.stdout + r.stderr, /sig=|eyJ[A-Za-z0-9_-]{10,}/, 'no SAS signature or token in what it prints');
    } finally {
      await azurite.stop();
    }
  },
);
