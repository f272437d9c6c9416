#!/usr/bin/env node
// Starts the fake ARM in the foreground for trying the Azure layer by hand (a test bed, not Azure).
// Usage: node test/fakes/start.mjs [--port N] [--page-size N] [--jobs N] [--run-jobs]
// --run-jobs also starts Azurite (the datastores' storage account) and runs each submitted job with the local engine.
// Writes the certificate to a temp file and prints the endpoint and the environment to use; Ctrl+C stops it.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const compiled = path.join(root, 'out', 'test', 'fakes', 'arm', 'server.js');
if (!existsSync(compiled)) {
  console.error(
    `${path.relative(process.cwd(), compiled)} is missing: build first with \`npx tsc -b .\` (or \`npm run compile\`), then run this again.`,
  );
  process.exit(2);
}
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const n = Number(process.argv[i + 1]);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} needs a whole number, e.g. --${name} ${fallback || 10}`);
    process.exit(2);
  }
  return n;
};

const { FakeArm } = await import(pathToFileURL(compiled).href);
const world = await import(pathToFileURL(path.join(root, 'out', 'test', 'fakes', 'arm', 'world.js')).href);
const fake = new FakeArm();
fake.pageSize = arg('page-size', 50);
await fake.start({ port: arg('port', 0) });
const jobs = arg('jobs', 0);
if (jobs) fake.seedJobs(jobs);
let azurite;
if (process.argv.includes('--run-jobs')) {
  const { Azurite } = await import(pathToFileURL(path.join(root, 'out', 'test', 'fakes', 'azurite.js')).href);
  const account = { name: 'localtestsa', key: 'ZmFrZS1hY2NvdW50LWtleQ==' };
  azurite = await new Azurite(account).start();
  await azurite.container('azureml-blobstore-00000000-test');
  await azurite.container('azureml');
  fake.runJobs({ blobEndpoint: azurite.blobEndpoint, account });
}
const caFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'fake-arm-')), 'ca.pem');
writeFileSync(caFile, fake.ca);

console.log(`Fake ARM (local test bed, not Azure) listening on ${fake.endpoint}`);
console.log(`  subscription "${world.testSubscription.displayName}" ${world.testSubscription.subscriptionId}`);
console.log(`  workspace ${world.testResourceGroup}/${world.testWorkspace}, tenant ${world.testTenant.tenantId}`);
console.log(`  trust its certificate: NODE_EXTRA_CA_CERTS=${caFile}`);
console.log(`  any unexpired JWT with aud https://management.azure.com is accepted (see test/fakes/arm/token.ts)`);
if (azurite) {
  console.log(`  runs submitted jobs with the local engine; storage (Azurite): --blob-endpoint ${azurite.blobEndpoint}`);
  console.log(
    `  try: NODE_EXTRA_CA_CERTS=${caFile} parallel-run submit samples/digits/pipeline.yml --subscription ${world.testSubscription.subscriptionId} --resource-group ${world.testResourceGroup} --workspace ${world.testWorkspace} --arm-endpoint ${fake.endpoint} --blob-endpoint ${azurite.blobEndpoint} --follow`,
  );
  console.log("  (sign-in: the Azure CLI's token; test/fakes/az-cli.ts makes a fake `az` for that)");
}
console.log('Ctrl+C stops it.');

const stop = async () => {
  await fake.stop();
  await azurite?.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
