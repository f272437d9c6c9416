// The strings the copy/open actions give, the azureml:// paths they parse, and the name rules checked as typed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDatastoreUri } from '../../../../src/core/azure/resources/ids';
import { studioResourceUrl } from '../../../../src/core/azure/resources/studio';
import { blobContainerNameProblem, storageAccountNameProblem } from '../../../../src/core/azure/resources/datastores';
import { nextVersion } from '../../../../src/core/azure/resources/assets';
import { azuremlReference, resourceStudioUrl, resourceUri } from '../../../../src/vscode/azure/actions/references';
import { assetNameFrom } from '../../../../src/vscode/azure/actions/data';
import { wholeNumberProblem } from '../../../../src/vscode/azure/actions/wizard';
import { storageSuffixOf } from '../../../../src/vscode/azure/actions/target';

const ws = { subscriptionId: 'sub-1', resourceGroup: 'rg', workspace: 'ws' };
const wsid = 'wsid=/subscriptions/sub-1/resourcegroups/rg/workspaces/ws';

test('parseDatastoreUri reads the short and the long azureml:// forms, and nothing else', () => {
  assert.deepEqual(parseDatastoreUri('azureml://datastores/workspaceblobstore/paths/LocalUpload/abc/model.onnx'), {
    datastore: 'workspaceblobstore',
    path: 'LocalUpload/abc/model.onnx',
  });
  assert.deepEqual(
    parseDatastoreUri('azureml://subscriptions/s/resourcegroups/rg/workspaces/ws/datastores/workspaceblobstore/paths/models/digits/'),
    { datastore: 'workspaceblobstore', path: 'models/digits/' },
  );
  assert.equal(parseDatastoreUri('https://acct.blob.core.windows.net/c/model.onnx'), undefined);
  assert.equal(parseDatastoreUri('azureml:digits-model:1'), undefined);
});

test('studio URLs in the forms studio links to', () => {
  assert.equal(studioResourceUrl({ kind: 'compute', name: 'cpu-cluster' }, ws), `https://ml.azure.com/compute/cpu-cluster/details?${wsid}`);
  assert.equal(
    studioResourceUrl({ kind: 'data', name: 'digits', version: '3' }, ws, 't-1'),
    `https://ml.azure.com/data/digits/3/details?${wsid}&tid=t-1`,
  );
  assert.equal(studioResourceUrl({ kind: 'model', name: 'm', version: '2' }, ws), `https://ml.azure.com/model/m:2/details?${wsid}`);
  assert.equal(
    studioResourceUrl({ kind: 'datastore', name: 'workspaceblobstore' }, ws),
    `https://ml.azure.com/data/datastore/workspaceblobstore/edit?${wsid}`,
  );
  assert.equal(
    studioResourceUrl({ kind: 'environment', name: 'sklearn-env', version: '1' }, ws),
    `https://ml.azure.com/environments/sklearn-env/version/1?${wsid}`,
  );
  assert.equal(studioResourceUrl({ kind: 'job', name: 'job 1' }, ws), `https://ml.azure.com/runs/job%201?${wsid}`);
});

test('references, URIs and studio pages per row', () => {
  const version = {
    kind: 'version' as const,
    ws,
    assetKind: 'models' as const,
    name: 'm',
    version: '2',
    id: '/x',
    path: 'azureml://datastores/d/paths/p/',
  };
  assert.equal(azuremlReference(version), 'azureml:m:2');
  assert.equal(resourceUri(version), 'azureml://datastores/d/paths/p/');
  assert.equal(
    azuremlReference({ kind: 'asset', ws, assetKind: 'data', name: 'digits', id: '/x', latestVersion: '4' }),
    'azureml:digits@latest',
  );
  assert.equal(
    resourceStudioUrl({ kind: 'asset', ws, assetKind: 'data', name: 'digits', id: '/x', latestVersion: '4' }),
    `https://ml.azure.com/data/digits/4/details?${wsid}`,
  );
  const ds = {
    kind: 'datastore' as const,
    ws,
    name: 'raw',
    id: '/x',
    datastore: {
      name: 'raw',
      id: '/x',
      type: 'AzureBlob',
      isDefault: false,
      accountName: 'acct',
      containerName: 'c1',
      endpoint: 'core.chinacloudapi.cn',
    },
  };
  assert.equal(azuremlReference(ds), 'azureml://datastores/raw');
  assert.equal(resourceUri(ds), 'https://acct.blob.core.chinacloudapi.cn/c1');
  assert.equal(
    resourceStudioUrl({ kind: 'job', ws, name: 'j', id: '/x', studioUrl: 'https://ml.azure.com/runs/j?from-service' }),
    'https://ml.azure.com/runs/j?from-service',
  );
  assert.equal(azuremlReference({ kind: 'job', ws, name: 'j', id: '/x' }), 'azureml://jobs/j');
});

test('storage account and container names, next versions, asset names from paths, whole numbers', () => {
  assert.equal(storageAccountNameProblem('mydatasa'), undefined);
  assert.match(storageAccountNameProblem('My-Data')!, /3 to 24 lowercase letters and digits/);
  assert.equal(blobContainerNameProblem('azureml-blobstore-1'), undefined);
  assert.match(blobContainerNameProblem('ab')!, /3 to 63/);
  assert.match(blobContainerNameProblem('a--b')!, /two hyphens/);
  assert.match(blobContainerNameProblem('-ab')!, /not a container name/);
  assert.deepEqual([nextVersion(undefined), nextVersion('7'), nextVersion('v2')], ['1', '8', '1']);
  assert.deepEqual(
    [assetNameFrom('/x/train data.csv'), assetNameFrom('/x/images'), assetNameFrom('/x/_hidden')],
    ['train_data', 'images', 'hidden'],
  );
  assert.deepEqual(
    [wholeNumberProblem('3', 'n', 1), wholeNumberProblem('0', 'n', 1), wholeNumberProblem('2.5', 'n', 0)],
    [undefined, 'n must be at least 1.', 'n must be a whole number, e.g. 0.'],
  );
});

test("a datastore registered in a sovereign cloud names that cloud's storage suffix", () => {
  assert.equal(storageSuffixOf('https://management.chinacloudapi.cn'), 'core.chinacloudapi.cn');
  assert.equal(storageSuffixOf('https://management.usgovcloudapi.net/'), 'core.usgovcloudapi.net');
  assert.equal(storageSuffixOf('https://management.azure.com'), undefined);
  assert.equal(storageSuffixOf('https://127.0.0.1:4443'), undefined);
});
