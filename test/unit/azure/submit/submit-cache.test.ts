// The submit cache: an unchanged spec resubmitted costs the job PUT and nothing else; a changed code folder costs
// its upload and registration only; a PUT refused for a missing asset forgets what the cache vouched for and
// retries once, asking the service about everything; the cache file holds no secret.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SubmitCache, workspaceKey } from '../../../../src/core/azure/submit/cache';
import { submitSpec, type SubmitOptions } from '../../../../src/core/azure/submit/submit';
import { Azurite } from '../../../fakes/azurite';
import { useFakeArm } from '../fake-arm';
import { project } from './fixture';

const bed = useFakeArm();
const accountKey = 'ZmFrZS1hY2NvdW50LWtleQ==';
const azurite = new Azurite({ name: 'localtestsa', key: accountKey });
before(async () => {
  await azurite.start();
  await azurite.container('azureml-blobstore-00000000-test');
});
after(() => azurite.stop());

function options(cache: SubmitCache, extra: Partial<SubmitOptions> = {}): SubmitOptions {
  return { ml: bed.ml, ws: bed.ws, credential: bed.credential, blob: { blobEndpoint: azurite.blobEndpoint }, cache, ...extra };
}

const cacheFile = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'prs-cache-')), 'submit-cache.json');
const routes = () => bed.fake.requests.map((q) => q.route);

test('an unchanged spec resubmitted with the cache makes no call but the job PUT', async () => {
  const dir = project();
  const file = cacheFile();
  await submitSpec(path.join(dir, 'pipeline.yml'), options(new SubmitCache(file), { jobName: 'cached_1' }));
  bed.fake.resetCounts();
  azurite.resetCounts();
  // A new cache object on the same file: what a VS Code reload or a second CLI run sees.
  const r = await submitSpec(path.join(dir, 'pipeline.yml'), options(new SubmitCache(file), { jobName: 'cached_2' }));
  assert.deepEqual(routes(), ['jobs.put']);
  assert.equal(azurite.requests.length, 0, 'no blob request at all');
  assert.equal(r.job.name, 'cached_2');
  assert.ok(r.uploads.every((u) => u.skipped && u.bytes === 0));
  const put = bed.fake.requests[0].body as { properties: Record<string, any> };
  assert.match(put.properties.jobs.score.task.code, /\/codes\/[0-9a-f]{32}\/versions\/1$/, 'the cached code version reaches the job');
  assert.match(put.properties.inputs.images.uri, /^azureml:\/\/datastores\/workspaceblobstore\/paths\/LocalUpload\/[0-9a-f]{32}\/images$/);
  const text = readFileSync(file, 'utf8');
  assert.ok(!text.includes(accountKey), 'the datastore key never reaches the cache file');
  assert.ok(!/sig=|Bearer|eyJ/.test(text), 'no SAS signature or token in the cache file');
});

test('a changed code file costs its upload and code version only: computes and the environment stay cached', async () => {
  const dir = project();
  const file = cacheFile();
  await submitSpec(path.join(dir, 'pipeline.yml'), options(new SubmitCache(file), { jobName: 'cached_3' }));
  writeFileSync(path.join(dir, 'src', 'score.py'), 'def init():\n    pass\n\ndef run(batch):\n    return [str(x) for x in batch]\n');
  bed.fake.resetCounts();
  const r = await submitSpec(path.join(dir, 'pipeline.yml'), options(new SubmitCache(file), { jobName: 'cached_4' }));
  assert.deepEqual(
    [...new Set(routes())].sort(),
    ['codes.versions.get', 'codes.versions.put', 'datastores.list', 'datastores.listSecrets', 'jobs.put'].sort(),
  );
  assert.equal(bed.fake.calls('computes.get'), 0);
  assert.equal(bed.fake.calls('environments.versions.get'), 0);
  assert.deepEqual(r.registered, { code: 1, environments: 0 });
  assert.equal(r.uploads.filter((u) => !u.skipped).length, 1, 'only the code folder is sent');
});

test('a job PUT refused with 404 for a missing asset clears what the cache vouched for and retries once', async () => {
  const dir = project();
  const file = cacheFile();
  await submitSpec(path.join(dir, 'pipeline.yml'), options(new SubmitCache(file), { jobName: 'cached_5' }));
  bed.fake.resetCounts();
  bed.fake.inject('jobs.put', { status: 404, code: 'ResourceNotFound', message: 'Code version not found.' });
  const steps: string[] = [];
  const r = await submitSpec(
    path.join(dir, 'pipeline.yml'),
    options(new SubmitCache(file), { jobName: 'cached_6', onStep: (m) => steps.push(m) }),
  );
  assert.equal(r.job.name, 'cached_6');
  assert.equal(bed.fake.calls('jobs.put'), 2, 'the refused PUT and the retry');
  assert.equal(bed.fake.calls('computes.get'), 1, 'the retry asks the service again');
  assert.equal(bed.fake.calls('codes.versions.get'), 1);
  assert.ok(steps.some((s) => /no longer has an asset the submit cache remembered/.test(s)));
  // Refused twice: the second failure is the user's, no third try.
  bed.fake.resetCounts();
  bed.fake.inject('jobs.put', { status: 404, code: 'ResourceNotFound', message: 'Environment version not found.', times: 2 });
  await assert.rejects(
    submitSpec(path.join(dir, 'pipeline.yml'), options(new SubmitCache(file), { jobName: 'cached_7' })),
    /Environment version not found/,
  );
  assert.equal(bed.fake.calls('jobs.put'), 2);
  bed.fake.clearFaults();
});

test('a PUT refused for another reason (400) is not retried and the cache stays', async () => {
  const dir = project();
  const file = cacheFile();
  await submitSpec(path.join(dir, 'pipeline.yml'), options(new SubmitCache(file), { jobName: 'cached_8' }));
  const before = readFileSync(file, 'utf8');
  bed.fake.resetCounts();
  bed.fake.inject('jobs.put', { status: 400, code: 'UserError', message: 'mini_batch_size is not valid.' });
  await assert.rejects(
    submitSpec(path.join(dir, 'pipeline.yml'), options(new SubmitCache(file), { jobName: 'cached_9' })),
    /mini_batch_size is not valid/,
  );
  assert.deepEqual(routes(), ['jobs.put']);
  assert.equal(readFileSync(file, 'utf8'), before);
  bed.fake.clearFaults();
});

test('entries are per workspace and ARM host, and an unreadable cache file is an empty cache', async () => {
  const file = cacheFile();
  writeFileSync(file, '{not json');
  const c = new SubmitCache(file);
  const a = workspaceKey('https://management.azure.com/', bed.ws);
  const b = workspaceKey('https://127.0.0.1:4443', bed.ws);
  assert.equal(await c.get('code', a, 'h'), undefined);
  await c.set('code', a, 'h', 'azureml:/subscriptions/x/codes/h/versions/1');
  assert.equal(await c.get('code', b, 'h'), undefined);
  await c.save();
  assert.equal(await new SubmitCache(file).get('code', a, 'h'), 'azureml:/subscriptions/x/codes/h/versions/1');
  assert.equal(
    SubmitCache.defaultFile({ XDG_CACHE_HOME: '/tmp/xdg' }, '/home/u'),
    path.join('/tmp/xdg', 'parallel-run', 'submit-cache.json'),
  );
});

test("a compute picked in the Submit flow replaces the spec's in the job PUT", async () => {
  const dir = project('azureml:some-other-cluster');
  bed.fake.resetCounts();
  await submitSpec(
    path.join(dir, 'pipeline.yml'),
    options(new SubmitCache(cacheFile()), { jobName: 'picked_compute', compute: 'cpu-cluster' }),
  );
  const put = bed.fake.requests.find((q) => q.route === 'jobs.put')!.body as { properties: Record<string, any> };
  assert.match(put.properties.settings.default_compute, /\/computes\/cpu-cluster$/);
  assert.equal(bed.fake.calls('computes.get'), 1, 'the picked cluster is the one checked');
});
