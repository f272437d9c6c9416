// Resubmitting a job with other data and parameters, against the fake ARM and Azurite: the PUT that reaches the
// service carries every input's uri and mode (changed ones pointing at the new data), the changed parameters and
// nothing the service set on the old job; a bad change is refused before anything is uploaded or sent.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resubmitJob, type ResubmitOptions } from '../../../../src/core/azure/submit/resubmit';
import { parseResubmitChanges, ResubmitInputError, specOverridesOf } from '../../../../src/core/azure/submit/resubmit-changes';
import { submitSpec } from '../../../../src/core/azure/submit/submit';
import { project } from '../submit/fixture';
import { Azurite } from '../../../fakes/azurite';
import { useFakeArm } from '../fake-arm';
import { account, containerName, jobName, putParallelJob } from './fixture';

const bed = useFakeArm();
const azurite = new Azurite(account);
before(async () => {
  await azurite.start();
  await azurite.container(containerName);
  putParallelJob(bed.fake);
});
after(() => azurite.stop());

function images(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'prs-resubmit-'));
  mkdirSync(path.join(dir, 'images'));
  for (const n of ['0.png', '1.png']) writeFileSync(path.join(dir, 'images', n), `image ${n}`);
  return dir;
}
const options = (cwd: string, extra: Partial<ResubmitOptions> = {}): ResubmitOptions => ({
  ml: bed.ml,
  ws: bed.ws,
  credential: bed.credential,
  blob: { blobEndpoint: azurite.blobEndpoint },
  cwd,
  ...extra,
});
type Body = { properties: Record<string, any> };
const lastPut = () => bed.fake.requests.filter((q) => q.route === 'jobs.put').pop()!;

test("the tutorial's pipeline_run_2: one image, batch size 1, one process", async () => {
  const dir = images();
  bed.fake.resetCounts();
  const r = await resubmitJob(
    jobName,
    options(dir, { inputs: ['digit_images=images/0.png'], set: ['mini_batch_size=1', 'processes=1'], jobName: 'digits_run_2' }),
  );
  assert.equal(r.job.name, 'digits_run_2');
  const put = lastPut();
  assert.match(put.path, /\/jobs\/digits_run_2$/);
  const p = (put.body as Body).properties;
  assert.match(p.inputs.digit_images.uri, /^azureml:\/\/datastores\/workspaceblobstore\/paths\/LocalUpload\/[0-9a-f]{32}\/0\.png$/);
  assert.deepEqual(
    { ...p.inputs.digit_images, uri: 'x' },
    { jobInputType: 'uri_file', uri: 'x', mode: 'ReadOnlyMount' },
    'one file: a uri_file input, mode kept',
  );
  assert.deepEqual(
    p.inputs.digit_model,
    { jobInputType: 'uri_folder', uri: 'azureml:digits-model-data:1', mode: 'Download' },
    'inputs not changed keep uri and mode',
  );
  assert.deepEqual(
    p.inputs.batch_size,
    { jobInputType: 'literal', value: '1' },
    'mini_batch_size is bound to the batch_size input: the input changes',
  );
  const node = p.jobs.batch_inference_node;
  assert.equal(node.mini_batch_size, '${{parent.inputs.batch_size}}');
  assert.equal(node.max_concurrency_per_instance, 1);
  assert.equal(node.resources.instance_count, 2, 'unchanged');
  assert.equal(node.task.program_arguments, '--model ${{inputs.model}} --append_row_file_name MNIST_Outputs.txt');
  assert.equal(p.tags.resubmitted_from, jobName);
  assert.equal(p.status, undefined, 'no service fields');
  assert.equal(p.services, undefined);
  assert.equal(p.jobType, 'Pipeline');
  const c = await azurite.container(containerName, false);
  const blob = p.inputs.digit_images.uri.replace(/^.*\/paths\//, '');
  assert.equal((await c.getBlobClient(blob).downloadToBuffer()).toString(), 'image 0.png');
  assert.deepEqual(r.changes, [
    `input digit_images: azureml://datastores/workspaceblobstore/paths/LocalUpload/1111/images → ${p.inputs.digit_images.uri} (uri_file, ReadOnlyMount)`,
    'input batch_size: 5 → 1',
    'max_concurrency_per_instance: 2 → 1',
  ]);
});

test('a data asset, a datastore path and every parameter by name', async () => {
  bed.fake.resetCounts();
  await resubmitJob(
    jobName,
    options(images(), {
      inputs: ['digit_images=azureml://datastores/workspaceblobstore/paths/more/images/', 'model=azureml:digits:1'],
      set: [
        'nodes=3',
        'mini_batch_size=4',
        'error_threshold=-1',
        'mini_batch_error_threshold=0',
        'max_retries=0',
        'timeout=120',
        'logging_level=debug',
        'inputs.batch_size=7',
      ],
    }),
  );
  const p = (lastPut().body as Body).properties;
  assert.deepEqual(p.inputs.digit_images, {
    jobInputType: 'uri_folder',
    uri: 'azureml://datastores/workspaceblobstore/paths/more/images/',
    mode: 'ReadOnlyMount',
  });
  assert.deepEqual(
    p.inputs.digit_model,
    { jobInputType: 'uri_folder', uri: 'azureml:digits:1', mode: 'Download' },
    'the node input model is bound to digit_model: that changes',
  );
  const node = p.jobs.batch_inference_node;
  assert.equal(node.resources.instance_count, 3);
  assert.equal(node.error_threshold, -1);
  assert.equal(node.mini_batch_error_threshold, 0);
  assert.deepEqual(node.retry_settings, { max_retries: 0, timeout: 120 });
  assert.equal(node.logging_level, 'DEBUG');
  assert.equal(
    p.inputs.batch_size.value,
    '4',
    'the later change of the same input wins: inputs.batch_size=7 first, then mini_batch_size=4',
  );
  assert.equal(bed.fake.calls('data.versions.get'), 1, 'the asset was checked');
});

test('bad changes are all reported at once, and nothing is uploaded or sent', async () => {
  bed.fake.resetCounts();
  azurite.resetCounts();
  await assert.rejects(
    resubmitJob(
      jobName,
      options(images(), {
        inputs: ['digit_images=./no/such/folder', 'nope=./images', 'model=azureml:digits:9', 'batch_size=./images'],
        set: ['nodes=0', 'mini_batch_size=10mb', 'colour=blue', 'processes=two'],
      }),
    ),
    (err: unknown) => {
      assert.ok(err instanceof ResubmitInputError);
      const m = err.message;
      assert.match(m, /--set nodes=0: instance_count \(nodes\) must be a whole number of at least 1, e\.g\. --set nodes=2\./);
      assert.match(
        m,
        /--set mini_batch_size=10mb: mini_batch_size of a file input \(files per mini-batch\) must be a whole number of at least 1/,
      );
      assert.match(m, /--set colour=blue: colour is not a parameter a resubmission changes\. Use one of: mini_batch_size, instance_count/);
      assert.match(m, /--set processes=two: max_concurrency_per_instance/);
      return true;
    },
  );
  await assert.rejects(
    resubmitJob(
      jobName,
      options(images(), { inputs: ['digit_images=./no/such/folder', 'nope=./images', 'model=azureml:digits:9', 'batch_size=./images'] }),
    ),
    (err: unknown) => {
      const m = (err as Error).message;
      assert.match(m, /--input digit_images=\.\/no\/such\/folder: .*no\/such\/folder does not exist\. Give a local folder or file/);
      assert.match(
        m,
        /--input nope=\.\/images: job job-00000 has no input nope; its inputs: digit_images, digit_model, batch_size, images, model\./,
      );
      assert.match(m, /--input model=azureml:digits:9: workspace local-ws has no data asset digits version 9/);
      assert.match(m, /--input batch_size=\.\/images: batch_size is a value, not data: write --set inputs\.batch_size=\.\/images\./);
      return true;
    },
  );
  assert.equal(bed.fake.calls('jobs.put'), 0);
  assert.equal(azurite.requests.length, 0);
});

test('a throttled read and a failing PUT are retried', async () => {
  bed.fake.resetCounts();
  bed.fake.inject('jobs.get', { status: 429, retryAfter: 0 });
  bed.fake.inject('jobs.put', { status: 503, retryAfter: 0 });
  const r = await resubmitJob(jobName, options(images(), { set: ['nodes=1'] }));
  assert.equal(bed.fake.calls('jobs.put'), 2);
  assert.equal(bed.fake.calls('jobs.get'), 2);
  assert.deepEqual(r.changes, ['instance_count: 2 → 1']);
  bed.fake.clearFaults();
});

test('from the spec file: the same changes become overrides of an ordinary submit', async () => {
  const dir = project();
  const image = path.join(dir, 'data', 'images', 'a.png');
  const changes = parseResubmitChanges([`images=${image}`], ['nodes=3', 'processes=1', 'mini_batch_size=1'], {});
  const overrides = specOverridesOf(changes, new Set(['images']));
  assert.deepEqual(overrides, [
    'inputs.images.type=uri_file',
    `inputs.images.path=${image}`,
    'resources.instance_count=3',
    'max_concurrency_per_instance=1',
    'mini_batch_size=1',
  ]);
  bed.fake.resetCounts();
  await submitSpec(path.join(dir, 'pipeline.yml'), {
    ml: bed.ml,
    ws: bed.ws,
    credential: bed.credential,
    blob: { blobEndpoint: azurite.blobEndpoint },
    overrides,
    jobName: 'from_spec_2',
  });
  const p = (lastPut().body as Body).properties;
  assert.match(p.inputs.images.uri, /\/LocalUpload\/[0-9a-f]{32}\/a\.png$/);
  assert.equal(p.inputs.images.jobInputType, 'uri_file');
  assert.equal(p.inputs.images.mode, 'ReadOnlyMount');
  assert.equal(p.jobs.score.resources.instance_count, 3);
  assert.equal(p.jobs.score.max_concurrency_per_instance, 1);
  assert.equal(p.jobs.score.mini_batch_size, 1);
});
