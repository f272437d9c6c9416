// Datastore, data asset and model actions answered by a script, against the fake ARM and Azurite (the
// workspace's blob container): uploads, re-uploads that send nothing, interrupted uploads that register nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { registerDatastoreAction, setDefaultDatastoreAction } from '../../../../src/vscode/azure/actions/datastore';
import { createDataAction } from '../../../../src/vscode/azure/actions/data';
import { downloadModelAction, INSPECT_MODEL, registerModelAction } from '../../../../src/vscode/azure/actions/model';
import { ActionCancelled, runAction } from '../../../../src/vscode/azure/actions/wizard';
import { blobstore, useActionBed } from './bed';
import { ENTER, ESC, ScriptedUi, type Answer } from './scripted-ui';

const bed = useActionBed({ blobs: true });

function folder(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'prs-actions-'));
  const dir = path.join(root, 'images');
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const versionsPut = () => bed.fake.requests.filter((r) => r.route === 'data.versions.put' || r.route === 'models.versions.put');
const uploadedBlobs = () => bed.azurite!.requests.filter((r) => r.method === 'PUT' && !r.query.includes('comp=metadata')).length;

test('Register blob datastore: rules checked as typed, the secret asked as a password and sent only to the service', async () => {
  const key = 'c2VjcmV0LWFjY291bnQta2V5LWZvci10ZXN0cw==';
  const ui = new ScriptedUi([
    'has-hyphen',
    'workspaceblobstore',
    'raw_images',
    'My-Account',
    'mydatasa',
    'Images',
    'images',
    'Account key',
    'not a key!',
    key,
  ]);
  const d = await runAction(registerDatastoreAction(bed.target), {}, ui);
  assert.deepEqual([d.name, d.accountName, d.containerName, d.credentialsType], ['raw_images', 'mydatasa', 'images', 'AccountKey']);
  assert.match(ui.asked[0].rejected[0].problem, /only letters, digits and underscores/);
  assert.equal(ui.asked[1].offered, 'workspaceblobstore', 'an existing name is asked again');
  assert.match(ui.asked[1].validate!('workspaceblobstore')!, /already exists/);
  assert.match(ui.asked[2].rejected[0].problem, /3 to 24 lowercase letters and digits/);
  assert.match(ui.asked[3].rejected[0].problem, /not a container name/);
  const secret = ui.asked.at(-1)!;
  assert.equal(secret.password, true);
  assert.match(secret.rejected[0].problem, /base64/);
  assert.ok(
    !JSON.stringify(ui.asked.map((a) => a.rejected)).includes(key) &&
      !ui.infos.join().includes(key) &&
      !JSON.stringify(ui.shown).includes(key),
  );
  const sent = bed.fake.requests.find((r) => r.route === 'datastores.put')!.body as {
    properties: { credentials: { secrets: { key: string } } };
  };
  assert.equal(sent.properties.credentials.secrets.key, key);
});

test('Register datastore: identity-based asks no secret; Escape at each step registers nothing', async () => {
  const ui = new ScriptedUi(['by_identity', 'mydatasa', 'shared', 'Identity-based']);
  bed.fake.resetCounts();
  const d = await runAction(registerDatastoreAction({ ...bed.target, storageSuffix: 'core.chinacloudapi.cn' }), {}, ui);
  assert.equal(d.credentialsType, 'None');
  const sent = bed.fake.requests.find((r) => r.route === 'datastores.put')!.body as { properties: { endpoint: string } };
  assert.equal(sent.properties.endpoint, 'core.chinacloudapi.cn', "the cloud's storage suffix");
  assert.equal(ui.asked.length, 4);
  const full: Answer[] = ['esc_ds', 'mydatasa', 'c1x', 'SAS token'];
  for (let at = 0; at <= full.length; at++) {
    bed.fake.resetCounts();
    await assert.rejects(runAction(registerDatastoreAction(bed.target), {}, new ScriptedUi([...full.slice(0, at), ESC])), ActionCancelled);
    assert.equal(bed.fake.calls('datastores.put'), 0, `Escape at step ${at + 1}`);
  }
  // A SAS token must carry its signature.
  const sas = new ScriptedUi(['sas_ds', 'mydatasa', 'c1x', 'SAS token', 'sv=2022-11-02&ss=b', '?sv=2022-11-02&ss=b&sig=abc']);
  assert.equal((await runAction(registerDatastoreAction(bed.target), {}, sas)).credentialsType, 'Sas');
  assert.match(sas.asked.at(-1)!.rejected[0].problem, /"sig=" signature/);
});

test('Set as default goes through the datastore data plane', async () => {
  const ui = new ScriptedUi([]);
  await runAction(setDefaultDatastoreAction(bed.target, 'raw_images'), {}, ui);
  assert.equal((await bed.target.api.getDatastore(bed.ml, bed.ws, 'raw_images')).isDefault, true);
  await runAction(setDefaultDatastoreAction(bed.target, 'workspaceblobstore'), {}, new ScriptedUi([]));
  assert.match(ui.infos[0], /raw_images is now the default datastore of local-ws/);
});

test('Create data asset from a datastore path: datastore picked from the list, type, name, next version proposed', async () => {
  const ui = new ScriptedUi(['From a datastore path', 'workspaceblobstore', '/digits/', 'uri_folder', ESC]);
  await assert.rejects(runAction(createDataAction(bed.target), {}, ui), ActionCancelled);
  assert.deepEqual(ui.asked[1].offered, ['workspaceblobstore', 'workspaceartifactstore', 'raw_images', 'by_identity', 'sas_ds']);
  assert.deepEqual(ui.asked[3].offered, ['uri_folder', 'mltable'], 'a path ending in "/" is a folder');
  assert.equal(ui.asked[4].offered, 'digits');

  const ok = new ScriptedUi([
    'From a datastore path',
    'workspaceblobstore',
    'azureml://datastores/x/paths/y',
    'digits/',
    'uri_folder',
    ENTER,
    ENTER,
  ]);
  const v = await runAction(createDataAction(bed.target), {}, ok);
  assert.match(ok.asked[2].rejected[0].problem, /path inside the datastore only/);
  assert.equal(ok.asked.at(-1)!.offered, '2', 'digits has version 1: 2 is proposed');
  assert.deepEqual(
    [v.name, v.version, v.type, v.path],
    ['digits', '2', 'uri_folder', 'azureml://datastores/workspaceblobstore/paths/digits/'],
  );
});

test('Create data asset: Escape at each step creates nothing and uploads nothing', async () => {
  const dir = folder({ 'x.png': 'X' });
  const full: Answer[] = ['Upload a local folder', dir, 'uri_folder', 'escaped', ENTER];
  for (let at = 0; at < full.length; at++) {
    bed.fake.resetCounts();
    bed.azurite!.resetCounts();
    await assert.rejects(runAction(createDataAction(bed.target), {}, new ScriptedUi([...full.slice(0, at), ESC])), ActionCancelled);
    assert.equal(versionsPut().length, 0, `Escape at answer ${at + 1}`);
    assert.equal(bed.azurite!.requests.length, 0, `nothing uploaded after Escape at answer ${at + 1}`);
  }
});

test('Create data asset by uploading a folder: progress, LocalUpload/<hash>/, a second upload sends nothing; a 409 version is said', async () => {
  const dir = folder({ 'a.png': 'A', 'b.png': 'B', 'sub/c.png': 'C' });
  bed.azurite!.resetCounts();
  const ui = new ScriptedUi(['Upload a local folder', dir, 'uri_folder', ENTER, ENTER]);
  const v = await runAction(createDataAction(bed.target), {}, ui);
  assert.deepEqual(ui.asked[1].offered, ['folders']);
  assert.match(v.path!, /^azureml:\/\/datastores\/workspaceblobstore\/paths\/LocalUpload\/[0-9a-f]{32}\/images\/$/);
  assert.deepEqual([v.name, v.version, v.type], ['images', '1', 'uri_folder']);
  assert.equal(uploadedBlobs(), 3);
  assert.deepEqual(
    ui.shown.map((p) => [p.title, p.cancellable]),
    [
      ['Uploading images', true],
      ['Creating data asset images:1', false],
    ],
  );
  assert.equal(ui.shown[0].reports.at(-1), '3/3 files · 0.0/0.0 MB');
  const blob = bed.azurite!.requests.find((r) => r.method === 'PUT')!.path;
  assert.match(blob, new RegExp(`^/${blobstore.container}/LocalUpload/[0-9a-f]{32}/images/`));

  bed.azurite!.resetCounts();
  const again = new ScriptedUi(['Upload a local folder', dir, 'uri_folder', ENTER, '1']);
  await assert.rejects(
    runAction(createDataAction(bed.target), {}, again),
    (e: Error & { status?: number }) => e.status === 409 && /immutable/.test(e.message),
  );
  assert.equal(uploadedBlobs(), 0, 'the same content is not uploaded again');
  assert.ok(again.shown[0].reports.includes('already uploaded: nothing sent'));
});

test('an mltable from a folder without an MLTable file is refused before uploading; with one it is created', async () => {
  const dir = folder({ 'rows.csv': 'a,b\n1,2\n' });
  bed.azurite!.resetCounts();
  await assert.rejects(
    runAction(createDataAction(bed.target), {}, new ScriptedUi(['Upload a local folder', dir, 'mltable'])),
    (e: Error) => /has no MLTable file/.test(e.message) && /Nothing was uploaded/.test(e.message),
  );
  assert.equal(bed.azurite!.requests.length, 0);
  writeFileSync(path.join(dir, 'MLTable'), "paths:\n  - pattern: ./*.csv\ntransformations:\n  - read_delimited:\n      delimiter: ','\n");
  const v = await runAction(createDataAction(bed.target), {}, new ScriptedUi(['Upload a local folder', dir, 'mltable', 'rows', ENTER]));
  assert.deepEqual([v.type, v.name], ['mltable', 'rows']);
});

test('an interrupted upload registers nothing; the retry uploads and registers', async () => {
  const dir = folder(Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`f${i}.txt`, `file ${i}`])));
  bed.fake.resetCounts();
  // One dropped connection is retried by the blob client: the upload completes.
  bed.azurite!.dropPath = /f3\.txt$/;
  bed.azurite!.dropNext = 1;
  const retried = await runAction(
    createDataAction(bed.target),
    {},
    new ScriptedUi(['Upload a local file', path.join(dir, 'f3.txt'), 'three', ENTER]),
  );
  assert.equal(retried.name, 'three');
  assert.equal(bed.azurite!.dropNext, 0);
  // Every try of one file dropped: the upload fails naming it, no marker is written and nothing is registered.
  bed.fake.resetCounts();
  bed.azurite!.dropPath = /f7\.txt$/;
  bed.azurite!.dropNext = 2;
  const script: Answer[] = ['Upload a local folder', dir, 'uri_folder', 'twelve', ENTER];
  await assert.rejects(runAction(createDataAction(bed.target), {}, new ScriptedUi([...script])), (e: Error) =>
    /Could not upload .*f7\.txt/.test(e.message),
  );
  assert.equal(versionsPut().length, 0, 'nothing registered');
  // The retry uploads everything again (no marker) and registers.
  bed.azurite!.resetCounts();
  const v = await runAction(createDataAction(bed.target), {}, new ScriptedUi([...script]));
  assert.deepEqual([v.name, v.version, v.type], ['twelve', '1', 'uri_folder']);
  // Every file is sent again (a request of the failed try may still land after the count was reset: count files).
  const sent = new Set(
    bed.azurite!.requests.filter((r) => r.method === 'PUT' && !r.query.includes('comp=metadata')).map((r) => r.path.split('/').pop()),
  );
  assert.deepEqual([...sent].sort(), Array.from({ length: 12 }, (_, i) => `f${i}.txt`).sort());

  // Cancel during an upload: nothing registered either.
  bed.fake.resetCounts();
  const other = folder(Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`g${i}.txt`, `other ${i}`])));
  const cancel = new ScriptedUi(['Upload a local folder', other, 'uri_folder', 'cancelled', ENTER]);
  cancel.cancelAfterReports = 2;
  await assert.rejects(
    runAction(createDataAction(bed.target), {}, cancel),
    (e: Error & { code?: string }) => e.code === 'Cancelled' && /the next try starts again/.test(e.message),
  );
  assert.equal(versionsPut().length, 0);
});

test('Register model from a folder (type checked before upload), then Download it and offer Inspect Model for its .onnx', async () => {
  const dir = folder({ 'model.onnx': 'onnx-bytes', 'labels.txt': '0\n1\n' });
  await assert.rejects(
    runAction(registerModelAction(bed.target), {}, new ScriptedUi(['A model folder', dir, 'mlflow_model'])),
    (e: Error) => /not an MLflow model/.test(e.message) && /Nothing was uploaded/.test(e.message),
  );
  const full: Answer[] = ['A model folder', dir, 'custom_model', 'digits-onnx', ENTER];
  for (let at = 0; at < full.length; at++) {
    bed.fake.resetCounts();
    await assert.rejects(runAction(registerModelAction(bed.target), {}, new ScriptedUi([...full.slice(0, at), ESC])), ActionCancelled);
    assert.equal(versionsPut().length, 0, `Escape at answer ${at + 1}`);
  }
  const ui = new ScriptedUi(full);
  const m = await runAction(registerModelAction(bed.target), {}, ui);
  assert.deepEqual([m.name, m.version, m.type], ['digits-onnx', '1', 'custom_model']);
  assert.match(m.path!, /^azureml:\/\/datastores\/workspaceblobstore\/paths\/LocalUpload\/[0-9a-f]{32}\/images$/);

  const out = mkdtempSync(path.join(os.tmpdir(), 'prs-download-'));
  const inspected: string[] = [];
  const dl = new ScriptedUi([out]);
  dl.infoChoice = INSPECT_MODEL;
  const r = await runAction(
    downloadModelAction(bed.target, m, (f) => inspected.push(f)),
    {},
    dl,
  );
  assert.equal(r.folder, path.join(out, 'digits-onnx'));
  assert.equal(readFileSync(path.join(out, 'digits-onnx', 'images', 'model.onnx'), 'utf8'), 'onnx-bytes');
  assert.equal(readFileSync(path.join(out, 'digits-onnx', 'images', 'labels.txt'), 'utf8'), '0\n1\n');
  assert.equal(r.files, 2);
  await new Promise((res) => setImmediate(res));
  assert.deepEqual(inspected, [path.join(out, 'digits-onnx', 'images', 'model.onnx')]);
  assert.match(dl.infos[0], /Downloaded digits-onnx:1 to .*digits-onnx \(2 files\)/);

  // Again into the same folder: refused, nothing overwritten; a cancelled download leaves no folder.
  await assert.rejects(runAction(downloadModelAction(bed.target, m), {}, new ScriptedUi([out])), (e: Error) =>
    /already exists: choose another folder/.test(e.message),
  );
  const other = mkdtempSync(path.join(os.tmpdir(), 'prs-download-'));
  const cancel = new ScriptedUi([other]);
  cancel.cancelAfterReports = 1;
  await assert.rejects(runAction(downloadModelAction(bed.target, m), {}, cancel), (e: Error & { code?: string }) => e.code === 'Cancelled');
  assert.deepEqual(readdirSync(other), [], 'nothing kept');
  assert.ok(!existsSync(path.join(other, 'digits-onnx')));
});

test('Download of a model whose path is not on a datastore says so', async () => {
  await assert.rejects(
    runAction(
      downloadModelAction(bed.target, { name: 'ext', version: '1', path: 'https://example.com/model.onnx' }),
      {},
      new ScriptedUi([os.tmpdir()]),
    ),
    (e: Error) => /not on a datastore of this workspace/.test(e.message),
  );
});

test('a model registered as one file downloads as that file under the model name', async () => {
  const dir = folder({ 'digits.onnx': 'single-file-model' });
  const m = await runAction(
    registerModelAction(bed.target),
    {},
    new ScriptedUi(['A model file', path.join(dir, 'digits.onnx'), 'custom_model', 'one-file', ENTER]),
  );
  assert.match(m.path!, /LocalUpload\/[0-9a-f]{32}\/digits\.onnx$/);
  const out = mkdtempSync(path.join(os.tmpdir(), 'prs-download-'));
  const r = await runAction(downloadModelAction(bed.target, m), {}, new ScriptedUi([out]));
  assert.deepEqual([r.files, r.onnx], [1, [path.join(out, 'one-file', 'digits.onnx')]]);
  assert.equal(readFileSync(path.join(out, 'one-file', 'digits.onnx'), 'utf8'), 'single-file-model');
});
