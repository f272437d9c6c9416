// A datastore's container client: the real form of the URL, an injectable endpoint, and the credential kind
// its registration asks for (secrets from listSecrets, through the fake ARM).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnonymousCredential, StorageSharedKeyCredential } from '@azure/storage-blob';
import { containerUrl, datastoreContainer } from '../../../src/core/azure/blob/container';
import { getDatastore, registerBlobDatastore } from '../../../src/core/azure/resources/datastores';
import { useFakeArm } from './fake-arm';

const bed = useFakeArm();

test('the container URL is https://{account}.blob.{suffix}/{container}, or path style under an injected endpoint', () => {
  const ds = { name: 'workspaceblobstore', accountName: 'acct', containerName: 'azureml-blobstore-1', endpoint: 'core.chinacloudapi.cn' };
  assert.equal(containerUrl(ds), 'https://acct.blob.core.chinacloudapi.cn/azureml-blobstore-1');
  assert.equal(
    containerUrl(ds, { blobEndpoint: 'http://127.0.0.1:10000/devstoreaccount1/' }),
    'http://127.0.0.1:10000/devstoreaccount1/azureml-blobstore-1',
  );
  assert.throws(() => containerUrl({ name: 'files' }), /Datastore files names no storage account and container/);
});

test('an account-key datastore gets a shared-key client from listSecrets; an identity one the signed-in credential', async () => {
  bed.fake.resetCounts();
  const keyed = await datastoreContainer(bed.ml, bed.ws, await getDatastore(bed.ml, bed.ws, 'workspaceblobstore'), bed.credential);
  assert.ok(keyed.credential instanceof StorageSharedKeyCredential);
  assert.equal(keyed.url, 'https://localtestsa.blob.core.windows.net/azureml-blobstore-00000000-test');
  assert.equal(bed.fake.calls('datastores.listSecrets'), 1);
  const ds = await registerBlobDatastore(bed.ml, bed.ws, {
    name: 'by_identity',
    accountName: 'acct',
    containerName: 'c',
    credential: { kind: 'identity' },
  });
  bed.fake.resetCounts();
  const byIdentity = await datastoreContainer(bed.ml, bed.ws, ds, bed.credential);
  assert.ok(!(byIdentity.credential instanceof StorageSharedKeyCredential) && !(byIdentity.credential instanceof AnonymousCredential));
  assert.equal(bed.fake.calls('datastores.listSecrets'), 0, 'no secrets asked for an identity-based datastore');
});
