// Downloading a cloud job's results against the fake ARM and Azurite, with the outputs placed where the service
// writes them: the folder mirrors a local run's, the append_row file is found and read by the job's own settings,
// a second download fetches nothing, and the faults (429/5xx, a dropped transfer, an expired SAS) are survived
// or explained.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ContainerClient } from '@azure/storage-blob';
import { downloadJobResults, type DownloadResultsOptions } from '../../../../src/core/azure/results/results';
import { readCloudRun } from '../../../../src/core/azure/results/record';
import { DOWNLOAD_MANIFEST } from '../../../../src/core/azure/results/download';
import { dialectFromToCsv } from '../../../../src/core/local/results/dialect';
import { ResultsReader } from '../../../../src/core/local/results/results-reader';
import { blobDatastoreBody } from '../../../fakes/arm/world';
import { Azurite } from '../../../fakes/azurite';
import { useFakeArm } from '../fake-arm';
import { account, cloudRows, containerName, jobName, put, putCode, putOutputs, putParallelJob, sasToken, stepRunId } from './fixture';

const bed = useFakeArm();
const azurite = new Azurite(account);
let container: ContainerClient;
before(async () => {
  await azurite.start();
  container = await azurite.container(containerName);
  putParallelJob(bed.fake);
  await putCode(bed.fake, container, azurite.blobEndpoint);
  await putOutputs(container);
});
after(() => azurite.stop());

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'prs-results-'));
function options(dest: string, extra: Partial<DownloadResultsOptions> = {}): DownloadResultsOptions {
  return {
    ml: bed.ml,
    arm: bed.arm,
    ws: bed.ws,
    credential: bed.credential,
    blob: { blobEndpoint: azurite.blobEndpoint, retry: { maxTries: 2, retryDelayInMs: 1, maxRetryDelayInMs: 5 } },
    dest,
    ...extra,
  };
}
const blobGets = () => azurite.requests.filter((r) => r.method === 'GET' && !/comp=list/.test(r.query));

test("downloads the parallel step's outputs from the step's default path and reads the rows with the job's separator", async () => {
  const dest = tmp();
  const seen: number[] = [];
  bed.fake.resetCounts();
  azurite.resetCounts();
  const r = await downloadJobResults(jobName, options(dest, { onProgress: (_o, p) => seen.push(p.bytes) }));
  console.log(`first download: ARM ${JSON.stringify(bed.fake.callsByRoute())}, blob ${azurite.requests.length} requests`);
  assert.equal(r.stepRunId, stepRunId);
  assert.equal(r.outputs.results.uri, `azureml://datastores/workspaceblobstore/paths/azureml/${stepRunId}/results/`);
  assert.equal(
    r.outputFile,
    path.join(dest, 'outputs', 'results', 'mnist_outputs.txt'),
    '--append_row_file_name, lower-cased as the driver does',
  );
  assert.equal(readFileSync(path.join(dest, 'outputs', 'results', 'extra', 'notes.txt'), 'utf8'), 'written by the entry script\n');
  assert.deepEqual(r.toCsv, { sep: ',', header: false, index: false });
  assert.equal(r.settingsSource, 'job code');
  assert.ok(seen.length > 0 && seen[seen.length - 1] === r.outputs.results.bytes, 'progress ends at the bytes of the output');
  const page = await new ResultsReader(r.outputFile!, dialectFromToCsv(r.toCsv, r.dataframeHeader), { layout: 'table' }).page(0);
  assert.deepEqual(
    page.rows,
    cloudRows.map((l) => l.split(',')),
  );
  const stored = await readCloudRun(dest);
  assert.equal(stored?.outputFile, r.outputFile);
  assert.equal(stored?.job, jobName);
  assert.equal(stored?.node, 'batch_inference_node');

  // Again: nothing is fetched, everything is found complete.
  azurite.resetCounts();
  const again = await downloadJobResults(jobName, options(dest));
  assert.equal(again.outputs.results.files, 2);
  assert.deepEqual(
    blobGets().filter((g) => g.path.includes('/azureml/')),
    [],
    'no output blob downloaded twice',
  );
  console.log(`second download: blob ${azurite.requests.length} requests (${azurite.requests.map((q) => q.method).join(', ')})`);
});

test('an output with its own path is read from there, without run history', async () => {
  putParallelJob(bed.fake, 'job-00001', {
    digit_results: {
      jobOutputType: 'uri_folder',
      mode: 'ReadWriteMount',
      uri: 'azureml://datastores/workspaceblobstore/paths/custom/digits/',
    },
  });
  await putOutputs(container, 'custom/digits/');
  bed.fake.resetCounts();
  const dest = tmp();
  const r = await downloadJobResults('job-00001', options(dest));
  assert.equal(r.outputs.results.uri, 'azureml://datastores/workspaceblobstore/paths/custom/digits/');
  assert.ok(existsSync(r.outputFile!));
  assert.equal(bed.fake.calls('history.children'), 0);
});

test('an output that is not in the datastore is reported missing; a job without a parallel step is refused', async () => {
  putParallelJob(bed.fake, 'job-00002');
  const r = await downloadJobResults('job-00002', options(tmp()));
  assert.deepEqual(r.missing, ['results']);
  assert.equal(r.outputFile, undefined);
  bed.fake.put({
    ...(bed.fake.get(`${bed.fake.testWorkspaceId}/jobs/job-00002`) as object),
    properties: { jobType: 'Command', status: 'Completed' },
  } as never);
  await assert.rejects(downloadJobResults('job-00002', options(tmp())), /Job job-00002 \(Command\) has no parallel step/);
});

test('throttling and server errors from ARM are retried', async () => {
  bed.fake.resetCounts();
  bed.fake.inject('jobs.get', { status: 429, retryAfter: 0 });
  bed.fake.inject('datastores.listSecrets', { status: 503, retryAfter: 0 });
  bed.fake.inject('history.children', { status: 500 });
  const r = await downloadJobResults(jobName, options(tmp()));
  assert.ok(r.outputFile);
  assert.equal(bed.fake.calls('jobs.get'), 2);
  assert.equal(bed.fake.calls('history.children'), 2);
  bed.fake.clearFaults();
});

test('storage answering 503 or 500 is retried', async () => {
  azurite.failPath = /mnist_outputs\.txt$/;
  azurite.failStatus = 503;
  azurite.failNext = 1;
  const first = await downloadJobResults(jobName, options(tmp()));
  assert.ok(first.outputFile);
  azurite.failStatus = 500;
  azurite.failNext = 1;
  const second = await downloadJobResults(jobName, options(tmp()));
  assert.equal(readFileSync(second.outputFile!, 'utf8'), cloudRows.join('\n') + '\n');
  assert.equal(azurite.failNext, 0, 'the fault was met');
});

test('a cancelled download stops, says so, and the next one continues without fetching the finished file again', async () => {
  const dest = tmp();
  const stop = new AbortController();
  await assert.rejects(
    downloadJobResults(
      jobName,
      options(dest, { concurrency: 1, abortSignal: stop.signal, onProgress: (_o, p) => p.files === 1 && stop.abort() }),
    ),
    (err: Error & { code?: string }) => {
      assert.equal(err.code, 'Cancelled');
      assert.match(err.message, /Cancelled: the download into .*\. Run it again to continue where it stopped\./);
      return true;
    },
  );
  azurite.resetCounts();
  const r = await downloadJobResults(jobName, options(dest));
  assert.equal(r.outputs.results.files, 2);
  assert.deepEqual(
    blobGets()
      .filter((g) => g.path.includes('/azureml/'))
      .map((g) => path.basename(g.path)),
    ['mnist_outputs.txt'],
    'extra/notes.txt was finished before the cancel',
  );
});

test('a download cut off continues where it stopped: finished files are not fetched again, a partial file from its end', async () => {
  const dest = tmp();
  azurite.dropPath = /mnist_outputs\.txt$/;
  azurite.dropNext = 100;
  await assert.rejects(downloadJobResults(jobName, options(dest, { concurrency: 1 })), (err: Error) => {
    assert.match(err.message, /1 of 2 files are in .*; run the download again to continue where it stopped/);
    return true;
  });
  azurite.dropNext = 0;
  const manifest = JSON.parse(readFileSync(path.join(dest, 'outputs', 'results', DOWNLOAD_MANIFEST), 'utf8')) as Record<
    string,
    { etag: string }
  >;
  assert.ok(manifest['extra/notes.txt'], 'the finished file is remembered');
  // As if the connection had dropped halfway through the file: the first 6 bytes are on disk.
  writeFileSync(path.join(dest, 'outputs', 'results', 'mnist_outputs.txt.part'), cloudRows.join('\n').slice(0, 6));
  azurite.resetCounts();
  const r = await downloadJobResults(jobName, options(dest));
  assert.equal(readFileSync(r.outputFile!, 'utf8'), cloudRows.join('\n') + '\n');
  const gets = blobGets().filter((g) => g.path.includes('/azureml/'));
  assert.deepEqual(
    gets.map((g) => path.basename(g.path)),
    ['mnist_outputs.txt'],
    'only the unfinished file is fetched',
  );
  assert.ok(!existsSync(path.join(dest, 'outputs', 'results', 'mnist_outputs.txt.part')));
});

test('an expired SAS token is read again from the workspace and the download continues; if still refused, it says what to do', async () => {
  const wid = bed.fake.testWorkspaceId;
  bed.fake.put(blobDatastoreBody(wid, 'sasstore', { account: account.name, container: containerName, credentialsType: 'Sas' }));
  await put(container, 'sas/out/mnist_outputs.txt', cloudRows.join('\n') + '\n');
  putParallelJob(bed.fake, 'job-00001', {
    digit_results: { jobOutputType: 'uri_folder', uri: 'azureml://datastores/sasstore/paths/sas/out/' },
  });
  const expired = sasToken(new Date(Date.now() - 60_000));
  bed.fake.datastoreSecrets.set('sasstore', [
    { secretsType: 'Sas', sasToken: expired },
    { secretsType: 'Sas', sasToken: sasToken(new Date(Date.now() + 3600_000)) },
  ]);
  bed.fake.resetCounts();
  const r = await downloadJobResults('job-00001', options(tmp()));
  assert.equal(readFileSync(r.outputFile!, 'utf8'), cloudRows.join('\n') + '\n');
  assert.equal(bed.fake.calls('datastores.listSecrets'), 3, 'sasstore twice (expired, then fresh), workspaceblobstore once for the code');

  bed.fake.datastoreSecrets.set('sasstore', { secretsType: 'Sas', sasToken: expired });
  await assert.rejects(downloadJobResults('job-00001', options(tmp())), (err: Error) => {
    assert.match(
      err.message,
      /storage refused the credential of datastore sasstore \(403 AuthenticationFailed\), also after reading it again/,
    );
    assert.match(err.message, /Update the datastore's credentials/);
    assert.ok(!/sig=/.test(err.message), 'no SAS signature in the message');
    return true;
  });
});
