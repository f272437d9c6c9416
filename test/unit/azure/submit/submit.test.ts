// Submitting a spec end to end against the fake ARM and Azurite: the PUT that reaches the service carries every
// input's uri and mode, the code and data are in the datastore's container, unchanged submissions send no bytes
// and register nothing, and a wrong compute is a ranged diagnostic with nothing sent.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { SpecError } from '../../../../src/core/spec/types';
import { submitSpec, type SubmitOptions } from '../../../../src/core/azure/submit/submit';
import { Azurite } from '../../../fakes/azurite';
import { useFakeArm } from '../fake-arm';
import { project } from './fixture';

const bed = useFakeArm();
// The fake ARM's workspaceblobstore: account localtestsa, this container, this key (from its listSecrets).
const azurite = new Azurite({ name: 'localtestsa', key: 'ZmFrZS1hY2NvdW50LWtleQ==' });
const containerName = 'azureml-blobstore-00000000-test';
before(async () => {
  await azurite.start();
  await azurite.container(containerName);
});
after(() => azurite.stop());

function options(extra: Partial<SubmitOptions> = {}): SubmitOptions {
  return { ml: bed.ml, ws: bed.ws, credential: bed.credential, blob: { blobEndpoint: azurite.blobEndpoint }, ...extra };
}

async function blobNames(prefix: string): Promise<string[]> {
  const c = await azurite.container(containerName, false);
  const out: string[] = [];
  for await (const b of c.listBlobsFlat({ prefix })) out.push(b.name);
  return out.sort();
}

test('submit uploads code and data, registers code and environment, and PUTs a job whose inputs keep uri and mode', async () => {
  const dir = project();
  bed.fake.resetCounts();
  azurite.resetCounts();
  const r = await submitSpec(path.join(dir, 'pipeline.yml'), options({ jobName: 'digits_run_1', overrides: ['inputs.batch_size=2'] }));
  assert.equal(r.job.name, 'digits_run_1');
  assert.match(r.studioUrl, /digits_run_1/);
  const put = bed.fake.requests.find((q) => q.route === 'jobs.put')!;
  const p = (put.body as { properties: Record<string, any> }).properties;
  const images = r.uploads.find((u) => u.path.endsWith(path.join('data', 'images')))!;
  assert.match(images.uri, /^azureml:\/\/datastores\/workspaceblobstore\/paths\/LocalUpload\/[0-9a-f]{32}\/images$/);
  assert.deepEqual(p.inputs.images, { jobInputType: 'uri_folder', uri: images.uri, mode: 'ReadOnlyMount' });
  assert.equal(p.inputs.model.mode, 'Download');
  assert.match(p.inputs.model.uri, /LocalUpload\/[0-9a-f]{32}\/model$/);
  assert.deepEqual(p.inputs.registered, { jobInputType: 'uri_folder', uri: 'azureml:digits:1', mode: 'ReadOnlyMount' });
  assert.deepEqual(p.inputs.batch_size, { jobInputType: 'literal', value: '2' }, '--set reaches the job');
  assert.match(p.settings.default_compute, /\/computes\/cpu-cluster$/);
  assert.match(p.jobs.score.task.code, /^azureml:\/subscriptions\/.*\/codes\/[0-9a-f]{32}\/versions\/1$/);
  assert.match(p.jobs.score.task.environment, /\/environments\/CliV2AnonymousEnvironment\/versions\/[0-9a-f]{32}$/);
  const imageBlobs = await blobNames(images.uri.replace(/^.*\/paths\//, '') + '/');
  assert.equal(imageBlobs.length, 2);
  const code = r.uploads.find((u) => u.path.endsWith('src'))!;
  const codeBlobs = await blobNames(code.uri.replace(/^.*\/paths\//, '') + '/');
  assert.deepEqual(
    codeBlobs.map((b) => b.split('/').slice(3).join('/')),
    ['.amlignore', 'score.py'],
  );
  assert.equal(bed.fake.calls('codes.versions.put'), 1);
  assert.equal(bed.fake.calls('environments.versions.put'), 1);
  assert.deepEqual(r.registered, { code: 1, environments: 1 });
  console.log(`first submit: ARM ${JSON.stringify(bed.fake.callsByRoute())}, blob ${azurite.requests.length} requests`);

  // Unchanged: no bytes, nothing registered; the job PUT is the only write.
  bed.fake.resetCounts();
  azurite.resetCounts();
  const again = await submitSpec(path.join(dir, 'pipeline.yml'), options({ jobName: 'digits_run_2' }));
  assert.ok(again.uploads.every((u) => u.skipped && u.bytes === 0));
  assert.deepEqual(again.registered, { code: 0, environments: 0 });
  assert.deepEqual(
    azurite.requests.map((q) => q.method),
    ['HEAD', 'HEAD', 'HEAD'],
    'one marker read per package',
  );
  const writes = bed.fake.requests.filter((q) => q.method === 'PUT' || (q.method === 'POST' && q.route !== 'datastores.listSecrets'));
  assert.deepEqual(
    writes.map((q) => q.route),
    ['jobs.put'],
  );
  console.log(`unchanged submit: ARM ${JSON.stringify(bed.fake.callsByRoute())}, blob ${azurite.requests.length} requests`);
});

test('a compute that is missing, or not a cluster, is a diagnostic on the default_compute line and nothing is uploaded or sent', async () => {
  for (const [compute, message] of [
    ['azureml:no-such-cluster', /Workspace local-ws has no compute named no-such-cluster/],
    ['azureml:dev-instance', /Compute dev-instance is a compute instance; parallel jobs run on an AmlCompute cluster/],
  ] as const) {
    const dir = project(compute);
    bed.fake.resetCounts();
    azurite.resetCounts();
    await assert.rejects(submitSpec(path.join(dir, 'pipeline.yml'), options()), (err: unknown) => {
      assert.ok(err instanceof SpecError);
      const d = err.diagnostics[0];
      assert.match(d.message, message);
      assert.equal(d.location.line, 6);
      assert.equal(d.location.file, path.join(dir, 'pipeline.yml'));
      return true;
    });
    assert.equal(bed.fake.calls('jobs.put'), 0);
    assert.equal(azurite.requests.length, 0);
  }
});

test("a data asset that the workspace does not have is a diagnostic on the input's line", async () => {
  const dir = project();
  bed.fake.resetCounts();
  await assert.rejects(
    submitSpec(path.join(dir, 'pipeline.yml'), options({ overrides: ['inputs.registered.path=azureml:digits:7'] })),
    (err: unknown) => {
      assert.ok(err instanceof SpecError);
      assert.match(err.diagnostics[0].message, /Input registered: workspace local-ws has no data asset digits version 7/);
      assert.equal(err.diagnostics[0].location.line, 10);
      return true;
    },
  );
  assert.equal(bed.fake.calls('jobs.put'), 0);
});

test('an illegal job name is refused before anything is sent', async () => {
  const dir = project();
  bed.fake.resetCounts();
  await assert.rejects(
    submitSpec(path.join(dir, 'pipeline.yml'), options({ jobName: 'bad name!' })),
    /"bad name!" is not a valid job name/,
  );
  assert.equal(bed.fake.calls('jobs.put'), 0);
});
