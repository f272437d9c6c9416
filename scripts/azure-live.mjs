#!/usr/bin/env node
// Opt-in live check: runs the Azure layer's flows (dist/azure.js, the same code the extension loads) against a
// real subscription, or any ARM endpoint. Never run by CI; it is skipped when no workspace is configured.
//
//   AZURE_LIVE_SUBSCRIPTION, AZURE_LIVE_RESOURCE_GROUP, AZURE_LIVE_WORKSPACE   the workspace (or a config.json
//                                      / .azureml/config.json in the current folder or its parents)
//   AZURE_LIVE_TENANT                  optional tenant for the token
//   AZURE_LIVE_ARM_ENDPOINT            optional, default https://management.azure.com (the fake: its endpoint,
//                                      with NODE_EXTRA_CA_CERTS pointing at its certificate)
//   --write                            also create a 0–1 node low-priority cluster, resize it and delete it
//   --submit                           also the tutorial end to end: submit samples/digits/pipeline.yml to
//                                      AZURE_LIVE_COMPUTE (default cpu-cluster), follow it to its end, download
//                                      its rows, resubmit it with one image and mini_batch_size 1, follow that,
//                                      and read its one row (needs `npm run sample` once for the sample's data)
//   AZURE_LIVE_BLOB_ENDPOINT           optional blob base URL instead of the datastore's account (Azurite)
//
// Sign-in: AzureCliCredential (`az login` first). Usage: npm run build && node scripts/azure-live.mjs [--write]
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, 'dist', 'azure.js');
if (!existsSync(bundle)) {
  console.error('dist/azure.js is missing: run `npm run build` first.');
  process.exit(2);
}
const require = createRequire(import.meta.url);
const az = require(bundle);
const { AzureCliCredential } = require('@azure/identity');

const env = process.env;
let ws;
if (env.AZURE_LIVE_SUBSCRIPTION && env.AZURE_LIVE_RESOURCE_GROUP && env.AZURE_LIVE_WORKSPACE) {
  ws = { subscriptionId: env.AZURE_LIVE_SUBSCRIPTION, resourceGroup: env.AZURE_LIVE_RESOURCE_GROUP, workspace: env.AZURE_LIVE_WORKSPACE };
} else {
  const config = az.discoverWorkspaceConfig(process.cwd());
  if (!config) {
    console.log(
      'azure-live: skipped (set AZURE_LIVE_SUBSCRIPTION, AZURE_LIVE_RESOURCE_GROUP, AZURE_LIVE_WORKSPACE or put a config.json here)',
    );
    process.exit(0);
  }
  ws = config;
  console.log(`workspace from ${config.file}`);
}
const endpoint = { resourceManager: env.AZURE_LIVE_ARM_ENDPOINT || 'https://management.azure.com' };
const credential = new AzureCliCredential(env.AZURE_LIVE_TENANT ? { tenantId: env.AZURE_LIVE_TENANT } : {});
const ml = az.mlClient(credential, ws.subscriptionId, endpoint);
const arm = az.armClient(credential, endpoint);
let failures = 0;

async function step(name, fn) {
  try {
    const said = await fn();
    console.log(`ok   ${name}${said ? `: ${said}` : ''}`);
  } catch (e) {
    failures += 1;
    console.log(`FAIL ${name}: ${az.toAzureError(e, name).message}`);
  }
}

const first = async (loader) => (await loader()).items;
await step('tenants', async () => (await az.listTenants(credential, endpoint)).map((t) => t.displayName ?? t.tenantId).join(', '));
await step('subscriptions', async () => (await az.listSubscriptions(credential, endpoint)).map((s) => s.displayName).join(', '));
let workspace;
await step(`workspace ${ws.workspace}`, async () => {
  workspace = await az.getWorkspace(ml, ws);
  return `${workspace.location}, discovery ${workspace.discoveryUrl ? 'yes' : 'no'}`;
});
await step('computes', async () =>
  (await first(az.computePages(ml, ws)))
    .map((c) => `${c.name} (${c.kind}${c.kind === 'cluster' ? ` ${c.currentNodes}/${c.minNodes}-${c.maxNodes} ${c.vmSize}` : ''})`)
    .join(', '),
);
await step('datastores', async () =>
  (await first(az.datastorePages(ml, ws))).map((d) => `${d.name}${d.isDefault ? ' (default)' : ''}`).join(', '),
);
for (const kind of ['data', 'models', 'environments']) {
  await step(kind, async () => {
    const containers = await first(az.assetContainerPages(ml, ws, kind));
    const versions = containers[0] ? await first(az.assetVersionPages(ml, ws, kind, containers[0].name)) : [];
    return `${containers.length} on the first page${containers[0] ? `; ${containers[0].name}: ${versions.map((v) => v.version).join(', ')}` : ''}`;
  });
}
let jobs = [];
await step('jobs (first page, newest first)', async () => {
  jobs = await first(az.jobPages(ml, ws));
  return `${jobs.length}${jobs[0] ? `, newest ${jobs[0].name} ${jobs[0].status}` : ''}`;
});
const pipeline = jobs.find((j) => j.jobType === 'Pipeline');
if (pipeline && workspace) {
  await step(`steps of ${pipeline.name}`, async () => {
    const steps = await first(new az.RunHistory(arm, ws, workspace.discoveryUrl).childPages(pipeline.name));
    return steps.map((s) => `${s.displayName} ${s.status}`).join(', ') || 'none';
  });
}
if (workspace?.location)
  await step('VM sizes', async () => `${(await az.listVmSizes(ml, workspace.location)).length} in ${workspace.location}`);

if (process.argv.includes('--write')) {
  const name = `prl-live-${Date.now().toString(36).slice(-6)}`;
  const pollIntervalMs = env.AZURE_LIVE_POLL_MS ? Number(env.AZURE_LIVE_POLL_MS) : undefined; // the SDK's 2 s by default
  const follow = { pollIntervalMs, onProgress: (s) => console.log(`     ${name}: ${s}`) };
  await step(`create cluster ${name}`, async () => {
    const c = await az.createAmlCluster(
      ml,
      ws,
      { name, vmSize: 'Standard_DS1_v2', minNodes: 0, maxNodes: 1, idleSecondsBeforeScaleDown: 120, lowPriority: true },
      follow,
    );
    return c.provisioningState;
  });
  await step(`resize ${name}`, async () => {
    const c = await az.resizeAmlCluster(ml, ws, name, { minNodes: 0, maxNodes: 2 }, follow);
    return `max ${c.maxNodes}`;
  });
  await step(`delete ${name}`, () => az.deleteCompute(ml, ws, name, follow));
}

if (process.argv.includes('--submit')) {
  const compute = env.AZURE_LIVE_COMPUTE || 'cpu-cluster';
  const blob = env.AZURE_LIVE_BLOB_ENDPOINT ? { blobEndpoint: env.AZURE_LIVE_BLOB_ENDPOINT } : undefined;
  const spec = path.join(root, 'samples', 'digits', 'pipeline.yml');
  const images = path.join(root, 'samples', 'digits', 'data', 'images');
  const dest = mkdtempSync(path.join(os.tmpdir(), 'azure-live-results-'));
  const fastestIntervalSeconds = env.AZURE_LIVE_POLL_MS ? Number(env.AZURE_LIVE_POLL_MS) / 1000 : undefined;
  /** Follows a job to its end, printing each status; returns the final one. */
  const followToEnd = async (name) => {
    let end;
    for await (const e of az.followCloudJob({ ml, ws, name, fastestIntervalSeconds })) {
      if (e.type === 'status') console.log(`     ${name}${e.step ? ` ${e.step}` : ''}: ${e.status}`);
      if (e.type === 'error') console.log(`     ${name}: first error: ${e.error.message}`);
      if (e.type === 'end') end = e.status;
    }
    if (end !== 'Completed') throw new Error(`job ${name} ended ${end}`);
    return end;
  };
  /** The job's rows, downloaded into `dest/<job>`. */
  const rows = async (name) => {
    const r = await az.downloadJobResults(name, { ml, arm, ws, credential, blob, dest: path.join(dest, name) });
    if (!r.outputFile) throw new Error(`job ${name} has no append_row file (outputs: ${Object.keys(r.outputs).join(', ') || 'none'})`);
    return readFileSync(r.outputFile, 'utf8')
      .split('\n')
      .filter((l) => l.trim()).length;
  };
  let job;
  let again;
  try {
    await step(`submit the digits sample to ${compute}`, async () => {
      if (!existsSync(images)) throw new Error('samples/digits/data is missing: run `npm run sample` once first');
      const r = await az.submitSpec(spec, { ml, ws, credential, blob, compute });
      job = r.job.name;
      return `${job} ${r.studioUrl}`;
    });
    if (job) await step(`follow ${job}`, () => followToEnd(job));
    if (job) await step(`rows of ${job}`, async () => `${await rows(job)} rows`);
    if (job)
      await step(`resubmit ${job} with one image, mini_batch_size 1`, async () => {
        const one = readdirSync(images)
          .filter((f) => f.endsWith('.png'))
          .sort()[0];
        const r = await az.resubmitJob(job, {
          ml,
          ws,
          credential,
          blob,
          inputs: [`digit_images=${path.join(images, one)}`],
          set: ['mini_batch_size=1'],
        });
        again = r.job.name;
        return `${again}: ${r.changes.join('; ')}`;
      });
    if (again) await step(`follow ${again}`, () => followToEnd(again));
    if (again)
      await step(`rows of ${again}`, async () => {
        const n = await rows(again);
        if (n !== 1) throw new Error(`${n} rows, not the one row of one image`);
        return '1 row';
      });
  } finally {
    rmSync(dest, { recursive: true, force: true });
  }
}
console.log(failures ? `${failures} step(s) failed` : 'all steps passed');
process.exit(failures ? 1 : 0);
