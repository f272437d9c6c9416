// dist/azure.js: the Azure layer's own lazy bundle, loadable as CJS despite storage-blob's import.meta.url.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

const dist = path.resolve(__dirname, '../../../../dist');
const azure = path.join(dist, 'azure.js');
const extension = path.join(dist, 'extension.js');
const skip = !existsSync(azure) && 'dist/azure.js not built (node esbuild.mjs)';

test('dist/azure.js loads in a fresh CommonJS process, storage-blob included', { skip }, () => {
  const script = `
    const az = require(${JSON.stringify(azure)});
    const url = az.containerUrl({ name: 'd', accountName: 'acct', containerName: 'c1', endpoint: 'core.windows.net' });
    process.stdout.write(JSON.stringify({ url, fns: ['mlClient', 'armClient', 'datastoreContainer', 'computePages', 'putJob', 'toAzureError'].map((k) => typeof az[k]) }));`;
  const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
  assert.equal(out.url, 'https://acct.blob.core.windows.net/c1');
  assert.deepEqual(out.fns, Array(6).fill('function'));
});

test(
  'the activation bundle stays free of the Azure SDKs and under 1.5 MB',
  { skip: !existsSync(extension) && 'dist/extension.js not built' },
  () => {
    const text = readFileSync(extension, 'utf8');
    for (const marker of ['AzureMachineLearningWorkspaces', '@azure/identity', 'StorageSharedKeyCredential', 'msal']) {
      assert.ok(!text.includes(marker), `dist/extension.js contains ${marker}`);
    }
    assert.ok(statSync(extension).size < 1.5 * 1024 * 1024);
  },
);
