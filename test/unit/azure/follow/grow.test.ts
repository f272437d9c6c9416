// A log blob that grows between polls: the follower reports only the new lines, each once, a partial line when its
// newline arrives; a rewritten (shorter) blob is read again from its start. Against the fake ARM and Azurite.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { putJob } from '../../../../src/core/azure/resources/jobs';
import { followCloudJob, type CloudJobEvent } from '../../../../src/core/azure/follow';
import { readFrom } from '../../../../src/core/azure/follow/log-tail';
import type { JobRunner } from '../../../fakes/arm/runner';
import { Azurite } from '../../../fakes/azurite';
import { useFakeArm } from '../fake-arm';

const account = { name: 'localtestsa', key: 'ZmFrZS1hY2NvdW50LWtleQ==' };
const bed = useFakeArm();
const azurite = new Azurite(account);
let runner: JobRunner;
before(async () => {
  await azurite.start();
  runner = bed.fake.runJobs({ blobEndpoint: azurite.blobEndpoint, account });
  runner.holdQueued = true; // the job stays Queued: no engine, the test writes its log
});
after(() => azurite.stop());

test('a log blob that grows between polls: only the new lines, once each, in order; the waits follow the interval', async () => {
  let v = runner.version;
  await putJob(bed.ml, bed.ws, 'grow_1', { properties: { jobType: 'Pipeline', jobs: {} } });
  while (!runner.statusesOf('grow_1').includes('Queued')) {
    await runner.changedSince(v);
    v = runner.version;
  }
  const writes = ['first\nsec', 'ond\n', '', 'third\nfourth\n'];
  let poll = 0;
  const waits: number[] = [];
  const events: CloudJobEvent[] = [];
  const follower = followCloudJob({
    ml: bed.ml,
    ws: bed.ws,
    name: 'grow_1',
    discoveryUrl: bed.discoveryUrl,
    fastestIntervalSeconds: 0.25,
    now: () => poll * 10,
    sleep: async (s) => {
      waits.push(s);
      if (poll < writes.length) {
        if (writes[poll]) await runner.appendLog('grow_1', 'user_logs/std_log.txt', writes[poll]);
      } else runner.cancel('grow_1');
      poll++;
      if (poll > writes.length) await bed.fake.jobDone('grow_1');
    },
  });
  for await (const e of follower) events.push(e);
  const logs = events.filter((e): e is Extract<CloudJobEvent, { type: 'log' }> => e.type === 'log');
  assert.deepEqual(
    logs.map((e) => e.lines),
    [['first'], ['second'], ['third', 'fourth']],
  );
  assert.ok(logs.every((e) => e.file === 'user_logs/std_log.txt' && !e.step));
  assert.deepEqual(
    waits,
    [0, 10, 20, 30, 40].map((t) => Math.max(0.25, Math.floor(60 / (1 + 100 * Math.exp(-t / 20))))),
  );
  const end = events[events.length - 1];
  assert.equal(end.type === 'end' && end.status, 'Canceled');
  assert.deepEqual(
    events.filter((e) => e.type === 'status').map((e) => (e as { status: string }).status),
    ['Queued', 'Canceled'],
  );
});

test('readFrom: bytes after the offset only; none at the end; a blob rewritten shorter is read from its start', async () => {
  const c = await azurite.container('grow-test');
  const b = c.getBlockBlobClient('log.txt');
  await b.upload('abc\ndef\n', 8);
  const { generateBlobSASQueryParameters, BlobSASPermissions, StorageSharedKeyCredential } = await import('@azure/storage-blob');
  const sas = generateBlobSASQueryParameters(
    {
      containerName: 'grow-test',
      blobName: 'log.txt',
      permissions: BlobSASPermissions.parse('r'),
      expiresOn: new Date(Date.now() + 3600_000),
    },
    new StorageSharedKeyCredential(account.name, account.key),
  );
  const url = `${b.url}?${sas.toString()}`;
  assert.equal((await readFrom(url, 4)).bytes.toString(), 'def\n');
  assert.deepEqual(await readFrom(url, 8), { bytes: Buffer.alloc(0), reset: false });
  await b.upload('x\n', 2);
  const again = await readFrom(url, 8);
  assert.equal(again.reset, true);
  assert.equal(again.bytes.toString(), 'x\n');
});

test('a log read that fails (dropped twice, past its retries) is a warning; the next poll reads the same lines, none lost or doubled', async () => {
  let v = runner.version;
  await putJob(bed.ml, bed.ws, 'grow_2', { properties: { jobType: 'Pipeline', jobs: {} } });
  while (!runner.statusesOf('grow_2').includes('Queued')) {
    await runner.changedSince(v);
    v = runner.version;
  }
  await runner.appendLog('grow_2', 'user_logs/std_log.txt', 'alpha\n');
  let poll = 0;
  const events: CloudJobEvent[] = [];
  const follower = followCloudJob({
    ml: bed.ml,
    ws: bed.ws,
    name: 'grow_2',
    discoveryUrl: bed.discoveryUrl,
    blobRetry: { maxTries: 2, retryDelayInMs: 1, maxRetryDelayInMs: 5 },
    sleep: async () => {
      poll++;
      if (poll === 1) {
        await runner.appendLog('grow_2', 'user_logs/std_log.txt', 'beta\n');
        azurite.dropPath = /dcid\.grow_2\/user_logs\/std_log\.txt$/;
        azurite.dropNext = 2;
      } else if (poll === 3) {
        runner.cancel('grow_2');
        await bed.fake.jobDone('grow_2');
      }
    },
  });
  for await (const e of follower) events.push(e);
  azurite.dropNext = 0;
  const lines = events.flatMap((e) => (e.type === 'log' ? e.lines : []));
  assert.deepEqual(lines, ['alpha', 'beta']);
  const warnings = events.filter((e): e is Extract<CloudJobEvent, { type: 'warning' }> => e.type === 'warning');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0].message, /^Could not read user_logs\/std_log\.txt: trying again at the next poll\.$/);
  assert.ok(!/sig=/.test(JSON.stringify(events)), 'no SAS signature in any event');
});
