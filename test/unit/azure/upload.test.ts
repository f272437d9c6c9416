// Uploading a package to a datastore container (Azurite): parallel, marker last and checked first, a dropped or
// cancelled upload never marks itself complete and the next try starts cleanly.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ContainerClient } from '@azure/storage-blob';
import { packageLocalPath } from '../../../src/core/azure/upload/package';
import { isUploaded, uploadLocalPath, uploadPackage, type UploadProgress } from '../../../src/core/azure/upload/upload';
import { Azurite } from '../../fakes/azurite';

const azurite = new Azurite();
let container: ContainerClient;
before(async () => {
  await azurite.start();
  container = await azurite.container('azureml-blobstore-test');
});
after(() => azurite.stop());

function codeFolder(n: number, extra: Record<string, string> = {}): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'prs-upload-'));
  const dir = path.join(root, 'code');
  mkdirSync(path.join(dir, 'pkg'), { recursive: true });
  for (let i = 0; i < n; i++) writeFileSync(path.join(dir, 'pkg', `m${String(i).padStart(3, '0')}.py`), `x = ${i}\n`);
  writeFileSync(path.join(dir, 'score.py'), 'def run(b):\n    return b\n');
  for (const [rel, text] of Object.entries(extra)) writeFileSync(path.join(dir, rel), text);
  return dir;
}

async function blobNames(prefix: string): Promise<string[]> {
  const names: string[] = [];
  for await (const b of container.listBlobsFlat({ prefix })) names.push(b.name);
  return names.sort();
}

test('a folder goes to LocalUpload/<hash>/<folder>/… with progress; unchanged, it costs one request and 0 bytes', async () => {
  const dir = codeFolder(30, { '.amlignore': '*.log\n', 'debug.log': 'noise' });
  azurite.resetCounts();
  const seen: UploadProgress[] = [];
  const first = await uploadLocalPath(container, 'workspaceblobstore', dir, { concurrency: 8, onProgress: (p) => seen.push(p) });
  assert.equal(first.skipped, false);
  assert.equal(first.uploadedFiles, 32); // 30 modules, score.py, .amlignore
  assert.equal(first.uri, `azureml://datastores/workspaceblobstore/paths/LocalUpload/${first.pkg.hash}/code`);
  const names = await blobNames(first.blobPath + '/');
  assert.equal(names.length, 32);
  assert.ok(names.includes(`${first.blobPath}/score.py`) && names.includes(`${first.blobPath}/pkg/m029.py`));
  assert.ok(!names.some((n) => n.endsWith('debug.log')), '.amlignore is honoured');
  assert.equal(seen.at(-1)!.files, 32);
  assert.equal(seen.at(-1)!.bytes, first.pkg.bytes);
  const puts = azurite.requests.filter((r) => r.method === 'PUT');
  assert.equal(puts.length, 33, 'one PUT per file, then the marker');
  assert.match(puts.at(-1)!.query, /comp=metadata/, 'the marker is the last write');
  const text = await container.getBlockBlobClient(`${first.blobPath}/score.py`).downloadToBuffer();
  assert.equal(text.toString(), 'def run(b):\n    return b\n');

  azurite.resetCounts();
  const again = await uploadLocalPath(container, 'workspaceblobstore', dir);
  assert.equal(again.skipped, true);
  assert.equal(again.uploadedBytes, 0);
  assert.equal(again.uri, first.uri);
  assert.deepEqual(
    azurite.requests.map((r) => r.method),
    ['HEAD'],
    'only the marker is read',
  );
});

test('one file is uploaded as LocalUpload/<hash>/<file name>', async () => {
  const dir = codeFolder(0);
  const r = await uploadLocalPath(container, 'workspaceblobstore', path.join(dir, 'score.py'));
  assert.equal(r.uri, `azureml://datastores/workspaceblobstore/paths/LocalUpload/${r.pkg.hash}/score.py`);
  assert.deepEqual(await blobNames(`LocalUpload/${r.pkg.hash}/`), [`LocalUpload/${r.pkg.hash}/score.py`]);
  assert.equal(await isUploaded(container, r.pkg), true);
});

test('a dropped connection fails the upload with the file named, writes no marker, and the next try uploads everything', async () => {
  const pkg = await packageLocalPath(codeFolder(20));
  azurite.dropPath = /m010\.py$/;
  azurite.dropNext = 1;
  await assert.rejects(uploadPackage(container, pkg, { concurrency: 4 }), (err: Error) => {
    assert.match(
      err.message,
      /Could not upload .*m010\.py to LocalUpload\/[0-9a-f]{32}\/code\/pkg\/m010\.py in container azureml-blobstore-test/,
    );
    return true;
  });
  assert.equal(await isUploaded(container, pkg), false, 'no marker after a failure');
  azurite.resetCounts();
  const r = await uploadPackage(container, pkg, { concurrency: 4 });
  assert.equal(r.skipped, false);
  assert.equal(r.uploadedFiles, 21, 'the retry starts from the start');
  assert.equal((await blobNames(pkg.blobPath + '/')).length, 21);
  assert.equal(await isUploaded(container, pkg), true);
});

test('cancelling stops further requests, writes no marker, and says how far it got', async () => {
  const pkg = await packageLocalPath(codeFolder(40));
  const stop = new AbortController();
  await assert.rejects(
    uploadPackage(container, pkg, { concurrency: 2, abortSignal: stop.signal, onProgress: (p) => p.files === 5 && stop.abort() }),
    /Cancelled: upload of .*code \(\d+ of 41 files sent; the next try starts again\)/,
  );
  const sent = (await blobNames(pkg.blobPath + '/')).length;
  assert.ok(sent < 41, `stopped early (${sent} blobs)`);
  assert.equal(await isUploaded(container, pkg), false);
  const r = await uploadPackage(container, pkg);
  assert.equal(r.uploadedFiles, 41);
  assert.equal(await isUploaded(container, pkg), true);
});

test('a file over 4 MiB goes up in blocks and arrives whole', async () => {
  const dir = codeFolder(0);
  const big = Buffer.alloc(5 * 1024 * 1024 + 17);
  for (let i = 0; i < big.length; i += 4096) big[i] = i % 251;
  writeFileSync(path.join(dir, 'weights.bin'), big);
  azurite.resetCounts();
  const r = await uploadLocalPath(container, 'workspaceblobstore', dir);
  assert.equal(r.uploadedBytes, r.pkg.bytes);
  assert.ok(
    azurite.requests.some((q) => /comp=block(&|$)/.test(q.query.slice(1))),
    'Put Block requests for the large file',
  );
  const back = await container.getBlockBlobClient(`${r.blobPath}/weights.bin`).downloadToBuffer();
  assert.ok(back.equals(big));
  assert.equal(await isUploaded(container, r.pkg), true);
});
