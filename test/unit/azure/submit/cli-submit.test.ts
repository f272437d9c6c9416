// `parallel-run submit … --follow` as a user runs it: the Azure CLI's sign-in (a fake `az`), the workspace from
// config.json, the fake ARM and Azurite; prints the job and its studio link, then each status until it ends.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { installFakeAz, type FakeAz } from '../../../fakes/az-cli';
import { Azurite } from '../../../fakes/azurite';
import { testResourceGroup, testSubscription, testTenant, testWorkspace } from '../../../fakes/arm/world';
import { useFakeArm } from '../fake-arm';
import { project } from './fixture';

const bed = useFakeArm();
const azurite = new Azurite({ name: 'localtestsa', key: 'ZmFrZS1hY2NvdW50LWtleQ==' });
let az: FakeAz;
let caFile: string;
before(async () => {
  await azurite.start();
  await azurite.container('azureml-blobstore-00000000-test');
  az = installFakeAz(testTenant.tenantId);
  caFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'prs-ca-')), 'ca.pem');
  writeFileSync(caFile, bed.fake.ca);
});
after(async () => {
  az.remove();
  await azurite.stop();
});

const cli = path.join(__dirname, '..', '..', '..', '..', 'src', 'cli.js');

test('submit --follow signs in with the Azure CLI, submits, prints the studio link and follows the job to Completed', async () => {
  const dir = project();
  writeFileSync(
    path.join(dir, 'config.json'),
    JSON.stringify({ subscription_id: testSubscription.subscriptionId, resource_group: testResourceGroup, workspace_name: testWorkspace }),
  );
  bed.fake.resetCounts();
  const child = spawn(
    process.execPath,
    [
      cli,
      'submit',
      path.join(dir, 'pipeline.yml'),
      '--name',
      'cli_job_1',
      '--set',
      'inputs.batch_size=1',
      '--follow',
      '--arm-endpoint',
      bed.fake.endpoint,
      '--blob-endpoint',
      azurite.blobEndpoint,
    ],
    { env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const sawSubmitted = new Promise<void>((resolve) =>
    child.stdout.on('data', (d) => {
      stdout += d;
      if (/cli_job_1: NotStarted/.test(stdout)) resolve();
    }),
  );
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  await Promise.race([sawSubmitted, exited]);
  // The service moves the job on; the CLI's next poll sees it.
  const job = bed.fake.get(`${bed.fake.testWorkspaceId}/jobs/cli_job_1`);
  assert.ok(job, `the job reached the fake ARM; stderr: ${stderr}`);
  (job.properties as Record<string, unknown>).status = 'Completed';
  const code = await exited;
  assert.equal(code, 0, stderr);
  assert.match(stdout, /Submitted job cli_job_1 \(NotStarted\)\nStudio: \S*cli_job_1/);
  assert.match(
    stdout,
    /cli_job_1: NotStarted\n(?:.*\n)*?\d\d:\d\d:\d\d cli_job_1: Completed\n\nExecution Summary\n=+\nJob cli_job_1: Completed\n/,
  );
  assert.match(stderr, /Uploading src…/);
  assert.match(stderr, /data\/images → azureml:\/\/datastores\/workspaceblobstore\/paths\/LocalUpload\/[0-9a-f]{32}\/images/);
  const put = bed.fake.requests.find((q) => q.route === 'jobs.put')!;
  const inputs = (put.body as { properties: { inputs: Record<string, { uri?: string; mode?: string; value?: string }> } }).properties
    .inputs;
  assert.equal(inputs.batch_size.value, '1');
  for (const k of ['images', 'model', 'registered']) assert.ok(inputs[k].uri && inputs[k].mode, `input ${k} keeps uri and mode`);
  assert.ok(
    az.calls().some((a) => a[0] === 'account' && a[1] === 'get-access-token'),
    'the Azure CLI gave the token',
  );
  assert.ok(!/eyJ/.test(stdout + stderr), 'no token in the output');
});

test('submit without a workspace config says where to put one; a spec error exits 2 with file:line', async () => {
  const dir = project('azureml:no-such-cluster');
  const run = (args: string[]) =>
    new Promise<{ code: number; stderr: string }>((resolve) => {
      const c = spawn(process.execPath, [cli, 'submit', ...args], {
        env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      c.stderr.on('data', (d) => (stderr += d));
      c.on('exit', (code) => resolve({ code: code ?? -1, stderr }));
    });
  const none = await run([path.join(dir, 'pipeline.yml'), '--arm-endpoint', bed.fake.endpoint]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /No workspace config found in .* Download config\.json/);
  const bad = await run([
    path.join(dir, 'pipeline.yml'),
    '--subscription',
    testSubscription.subscriptionId,
    '--resource-group',
    testResourceGroup,
    '--workspace',
    testWorkspace,
    '--arm-endpoint',
    bed.fake.endpoint,
    '--blob-endpoint',
    azurite.blobEndpoint,
  ]);
  assert.equal(bad.code, 2, bad.stderr);
  assert.match(bad.stderr, /pipeline\.yml:6:\d+: error: Workspace local-ws has no compute named no-such-cluster/);
});
