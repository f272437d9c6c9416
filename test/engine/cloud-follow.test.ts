// Following a job the fake cloud runs with the local engine: statuses, only-new log lines, progress, the first real
// error with the user's file:line, cancel, retries on the polled routes, and settings that reach (or not) the run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { submitSpec } from '../../src/core/azure/submit/submit';
import { putJob, cancelJob } from '../../src/core/azure/resources/jobs';
import { followCloudJob, type CloudJobEvent, type CloudJobFollower, type FollowCloudJobOptions } from '../../src/core/azure/follow';
import { BLOBSTORE, digitsCopy, useFakeCloud } from './cloud-bed';

const bed = useFakeCloud();

function submit(dir: string, jobName: string, overrides: string[] = []) {
  return submitSpec(path.join(dir, 'pipeline.yml'), {
    ml: bed.ml,
    ws: bed.ws,
    credential: bed.credential,
    blob: { blobEndpoint: bed.azurite.blobEndpoint },
    jobName,
    overrides,
  });
}

/** Follows to the end; each wait lasts until the fake changed something (a status, a log upload): no clock. */
async function follow(
  name: string,
  extra: Partial<FollowCloudJobOptions> = {},
  onEvent?: (e: CloudJobEvent, follower: CloudJobFollower) => void,
): Promise<CloudJobEvent[]> {
  let seen = bed.runner.version;
  const events: CloudJobEvent[] = [];
  const follower = followCloudJob({
    ml: bed.ml,
    ws: bed.ws,
    name,
    discoveryUrl: bed.discoveryUrl,
    blobRetry: { maxTries: 2, retryDelayInMs: 1, maxRetryDelayInMs: 5 },
    sleep: async () => {
      await bed.runner.changedSince(seen);
      seen = bed.runner.version;
    },
    ...extra,
  });
  for await (const e of follower) {
    events.push(e);
    onEvent?.(e, follower);
  }
  return events;
}

const of = <T extends CloudJobEvent['type']>(events: CloudJobEvent[], type: T) =>
  events.filter((e): e is Extract<CloudJobEvent, { type: T }> => e.type === type);

test('the digits sample, submitted and followed: statuses in order, new log lines once, progress to 20 of 20, outputs', async () => {
  const dir = digitsCopy();
  await submit(dir, 'digits_follow_1');
  const events = await follow('digits_follow_1', { localCodeDirs: [path.join(dir, 'src')] });
  assert.equal(events[0].type, 'start');
  const jobStatuses = of(events, 'status')
    .filter((e) => !e.step)
    .map((e) => e.status);
  assert.equal(jobStatuses[jobStatuses.length - 1], 'Completed');
  const order = ['NotStarted', 'Queued', 'Preparing', 'Running', 'Finalizing', 'Completed'];
  assert.deepEqual(
    jobStatuses,
    order.filter((s) => jobStatuses.includes(s)),
    "statuses in the service's order, each once",
  );
  const stepStatuses = of(events, 'status')
    .filter((e) => e.step === 'digit_identification')
    .map((e) => e.status);
  assert.equal(stepStatuses[stepStatuses.length - 1], 'Completed');
  const stdLog = of(events, 'log')
    .filter((e) => e.file === 'user_logs/std_log.txt')
    .flatMap((e) => e.lines);
  assert.ok(
    stdLog.some((l) => /Partitioned .* into 20 mini-batch/.test(l)),
    stdLog.join('\n'),
  );
  assert.equal(stdLog[stdLog.length - 1], 'The activity completed successfully. Finalizing run...');
  assert.equal(new Set(stdLog).size, stdLog.length, 'no line twice');
  const exec = of(events, 'log')
    .filter((e) => e.file === 'logs/azureml/executionlogs.txt')
    .flatMap((e) => e.lines);
  assert.equal(new Set(exec).size, exec.length);
  assert.ok(exec.some((l) => /Step digit_identification .* is running/.test(l)));
  const progress = of(events, 'progress');
  assert.ok(progress.length >= 1);
  assert.deepEqual(progress[progress.length - 1].progress.miniBatches, { total: 20, succeeded: 20, failed: 0, retried: 0 });
  const end = events[events.length - 1];
  assert.equal(end.type, 'end');
  if (end.type !== 'end') return;
  assert.equal(end.status, 'Completed');
  assert.equal(end.error, undefined);
  assert.deepEqual(end.outputs, { digit_results: 'azureml://datastores/workspaceblobstore/paths/azureml/digits_follow_1/digit_results/' });
  const c = await bed.azurite.container(BLOBSTORE, false);
  const text = (await c.getBlobClient('azureml/digits_follow_1/digit_results/mnist_outputs.txt').downloadToBuffer()).toString();
  assert.equal(text.trim().split('\n').length, 100, 'one row per image in the datastore output');
});

test('a helper module left out of the code upload (.amlignore): the job fails in init and the ModuleNotFoundError is on top with file:line', async () => {
  const dir = digitsCopy();
  const entry = path.join(dir, 'src', 'digit_identification.py');
  const { readFileSync } = await import('node:fs');
  const script = readFileSync(entry, 'utf8').replace('def init():\n', 'def init():\n    import digits_helper  # noqa\n');
  writeFileSync(entry, script);
  writeFileSync(path.join(dir, 'src', 'digits_helper.py'), 'SCALE = 1\n');
  writeFileSync(path.join(dir, 'src', '.amlignore'), 'digits_helper.py\n');
  await submit(dir, 'digits_init_fail');
  const events = await follow('digits_init_fail', { localCodeDirs: [path.join(dir, 'src')] });
  const end = events[events.length - 1];
  assert.equal(end.type, 'end');
  if (end.type !== 'end') return;
  assert.equal(end.status, 'Failed');
  assert.ok(end.error, 'the headline error');
  assert.equal(end.error.message, "ModuleNotFoundError: No module named 'digits_helper'");
  assert.equal(end.error.step, 'digit_identification');
  assert.match(end.error.logFile, /^logs\/user\/error\/node\d\/process\d{3}\.txt$/);
  assert.equal(path.basename(end.error.frame!.file), 'digit_identification.py');
  const line = script.split('\n').findIndex((l) => l.includes('import digits_helper')) + 1;
  assert.equal(end.error.frame!.line, line);
  assert.equal(end.error.localFile, entry);
  assert.equal(of(events, 'error').length, 1, 'reported once');
});

test('mini_batch_size dropped from the job body: the fake runs the driver default and the progress shows 10 mini-batches, not 4', async () => {
  const dir = digitsCopy();
  bed.fake.resetCounts();
  await submit(dir, 'digits_mbs_25', ['inputs.batch_size=25']);
  const body = structuredClone(bed.fake.requests.find((q) => q.route === 'jobs.put')!.body) as {
    properties: { jobs: Record<string, Record<string, unknown>> };
  };
  const total = async (name: string) => {
    const events = await follow(name);
    const p = of(events, 'progress');
    return p[p.length - 1].progress.miniBatches.total;
  };
  assert.equal(await total('digits_mbs_25'), 4);
  delete body.properties.jobs.digit_identification.mini_batch_size;
  await putJob(bed.ml, bed.ws, 'digits_mbs_dropped', body);
  assert.equal(await total('digits_mbs_dropped'), 10);
});

test('cancel: the engine stops, the job and its step end Canceled, not every mini-batch ran', async () => {
  const dir = digitsCopy();
  const entry = path.join(dir, 'src', 'digit_identification.py');
  const { readFileSync } = await import('node:fs');
  writeFileSync(
    entry,
    readFileSync(entry, 'utf8').replace('def run(mini_batch):\n', 'def run(mini_batch):\n    import time\n    time.sleep(600)\n'),
  );
  await submit(dir, 'digits_cancel');
  await bed.runner.jobStarted('digits_cancel');
  const following = follow('digits_cancel');
  const job = await cancelJob(bed.ml, bed.ws, 'digits_cancel', { pollIntervalMs: 1 });
  assert.match(job.status, /CancelRequested|Canceled/);
  assert.equal(await bed.fake.jobDone('digits_cancel'), 'Canceled');
  const events = await following;
  const end = events[events.length - 1];
  assert.equal(end.type === 'end' && end.status, 'Canceled');
  assert.equal(
    of(events, 'status')
      .filter((e) => e.step)
      .pop()?.status,
    'Canceled',
  );
  const p = of(events, 'progress').pop();
  assert.ok(!p || p.progress.miniBatches.succeeded < 20, 'the engine stopped before the end');
});

test('429 and 5xx on every polled route are retried; the follow ends Completed with all lines', async () => {
  const dir = digitsCopy();
  await submit(dir, 'digits_faults', ['inputs.batch_size=50']);
  for (const route of ['jobs.get', 'history.details', 'history.children', 'artifact.contentinfo']) {
    bed.fake.inject(route, { status: 429, retryAfter: 0, times: 2 });
    bed.fake.inject(route, { status: 503, times: 1 });
  }
  bed.fake.resetCounts();
  const events = await follow('digits_faults');
  bed.fake.clearFaults();
  const end = events[events.length - 1];
  assert.equal(end.type === 'end' && end.status, 'Completed');
  assert.deepEqual(of(events, 'warning'), [], 'each fault was retried inside the poll');
  for (const route of ['jobs.get', 'history.details', 'history.children', 'artifact.contentinfo'])
    assert.ok(bed.fake.calls(route) >= 4, `${route} retried`);
  const stdLog = of(events, 'log')
    .filter((e) => e.file === 'user_logs/std_log.txt')
    .flatMap((e) => e.lines);
  assert.equal(new Set(stdLog).size, stdLog.length);
  assert.equal(stdLog[stdLog.length - 1], 'The activity completed successfully. Finalizing run...');
});

test('an output path given in the spec is where the rows land; a body naming an entry script the code lacks fails with that said', async () => {
  const dir = digitsCopy();
  bed.fake.resetCounts();
  const custom = 'azureml://datastores/workspaceblobstore/paths/custom/digits_out';
  await submit(dir, 'digits_out_path', ['inputs.batch_size=50', `outputs.digit_results.path=${custom}`]);
  const events = await follow('digits_out_path');
  const end = events[events.length - 1];
  assert.equal(end.type === 'end' && end.status, 'Completed');
  assert.deepEqual(end.type === 'end' && end.outputs, { digit_results: custom });
  const c = await bed.azurite.container(BLOBSTORE, false);
  const rows = (await c.getBlobClient('custom/digits_out/mnist_outputs.txt').downloadToBuffer()).toString().trim().split('\n');
  assert.equal(rows.length, 100);

  const body = structuredClone(bed.fake.requests.find((q) => q.route === 'jobs.put')!.body) as {
    properties: { jobs: Record<string, { task: Record<string, unknown> }> };
  };
  body.properties.jobs.digit_identification.task.entry_script = 'digit_identification_v2.py';
  await putJob(bed.ml, bed.ws, 'digits_bad_entry', body);
  const bad = await follow('digits_bad_entry');
  const badEnd = bad[bad.length - 1];
  assert.equal(badEnd.type === 'end' && badEnd.status, 'Failed');
  if (badEnd.type !== 'end') return;
  assert.match(badEnd.error!.message, /digit_identification_v2\.py/);
  assert.equal(badEnd.error!.logFile, 'run details');
});

test("per-process user logs on demand: tail() adds one process's stdout; userLogs follows them all", async () => {
  const dir = digitsCopy();
  // One node, one process: node0/process000 runs every mini-batch, so the file asked for surely has lines.
  await submit(dir, 'digits_user_logs', [
    'jobs.digit_identification.resources.instance_count=1',
    'jobs.digit_identification.max_concurrency_per_instance=1',
  ]);
  const file = 'logs/user/stdout/node0/process000.stdout.txt';
  const events = await follow('digits_user_logs', {}, (e, follower) => {
    if (e.type === 'status' && e.step === 'digit_identification' && e.status === 'Running') follower.tail('digit_identification', file);
  });
  const userLogs = of(events, 'log').filter((e) => e.file.startsWith('logs/user/'));
  assert.ok(userLogs.length > 0, 'the tailed file was followed');
  assert.deepEqual([...new Set(userLogs.map((e) => e.file))], [file], 'only the file asked for');
  const lines = userLogs.flatMap((e) => e.lines);
  assert.ok(
    lines.every((l) => /^run method start: .*digit_identification\.py, run\(/.test(l)),
    lines.join('\n'),
  );
  assert.equal(new Set(lines).size, lines.length);
  assert.equal(lines.length, 20, "every mini-batch's line, once");

  await submit(dir, 'digits_all_user_logs');
  const all = await follow('digits_all_user_logs', { userLogs: true });
  const printed = of(all, 'log')
    .filter((e) => e.file.startsWith('logs/user/stdout/'))
    .flatMap((e) => e.lines);
  assert.equal(printed.length, 20, 'one "run method start" line per mini-batch, across every process');
  assert.ok(
    of(all, 'log').some((e) => e.file.startsWith('logs/user/entry_script_log/')),
    "the EntryScript logger's files too",
  );
});

test('a pipeline with a command step feeding a parallel step: both run in the fake, each step with its own std_log and status', async () => {
  const { mkdtempSync, mkdirSync } = await import('node:fs');
  const os = await import('node:os');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'prs-cloud-pipe-'));
  mkdirSync(path.join(dir, 'src'));
  writeFileSync(
    path.join(dir, 'src', 'prep.py'),
    'import os, sys\nout = sys.argv[1]\nfor i in range(6):\n    open(os.path.join(out, f"n{i}.txt"), "w").write(str(i))\nprint("prepared 6 files")\n',
  );
  writeFileSync(
    path.join(dir, 'src', 'score.py'),
    'def init():\n    pass\n\ndef run(batch):\n    return [f"{b.split(\'/\')[-1]}: ok" for b in batch]\n',
  );
  writeFileSync(
    path.join(dir, 'pipeline.yml'),
    [
      'type: pipeline',
      'display_name: two-steps',
      'settings:',
      '  default_compute: azureml:cpu-cluster',
      'outputs:',
      '  scores: {type: uri_folder}',
      'jobs:',
      '  prep:',
      '    type: command',
      '    code: ./src',
      '    command: python prep.py ${{outputs.data}}',
      '    environment: azureml:AzureML-sklearn-1.0-ubuntu20.04-py38-cpu@latest',
      '    outputs:',
      '      data: {type: uri_folder}',
      '  score:',
      '    type: parallel',
      '    inputs:',
      '      data: ${{parent.jobs.prep.outputs.data}}',
      '    outputs:',
      '      scores: ${{parent.outputs.scores}}',
      '    input_data: ${{inputs.data}}',
      '    mini_batch_size: 2',
      '    task:',
      '      type: run_function',
      '      code: ./src',
      '      entry_script: score.py',
      '      environment: azureml:AzureML-sklearn-1.0-ubuntu20.04-py38-cpu@latest',
      '      append_row_to: ${{outputs.scores}}',
    ].join('\n') + '\n',
  );
  await submitSpec(path.join(dir, 'pipeline.yml'), {
    ml: bed.ml,
    ws: bed.ws,
    credential: bed.credential,
    blob: { blobEndpoint: bed.azurite.blobEndpoint },
    jobName: 'two_steps',
  });
  const events = await follow('two_steps');
  const end = events[events.length - 1];
  assert.equal(end.type === 'end' && end.status, 'Completed', JSON.stringify(of(events, 'log')));
  for (const step of ['prep', 'score'])
    assert.equal(
      of(events, 'status')
        .filter((e) => e.step === step)
        .pop()?.status,
      'Completed',
    );
  const prepLog = of(events, 'log')
    .filter((e) => e.step === 'prep' && e.file === 'user_logs/std_log.txt')
    .flatMap((e) => e.lines);
  assert.ok(prepLog.includes('prepared 6 files'), prepLog.join('\n'));
  assert.equal(
    of(events, 'progress')
      .filter((e) => e.step === 'score')
      .pop()?.progress.miniBatches.total,
    3,
  );
  const c = await bed.azurite.container(BLOBSTORE, false);
  const names: string[] = [];
  for await (const b of c.listBlobsFlat({ prefix: 'azureml/two_steps/scores/' })) names.push(b.name);
  assert.equal(names.length, 1);
  const rows = (await c.getBlobClient(names[0]).downloadToBuffer()).toString().trim().split('\n').sort();
  assert.deepEqual(rows, ['n0.txt: ok', 'n1.txt: ok', 'n2.txt: ok', 'n3.txt: ok', 'n4.txt: ok', 'n5.txt: ok']);
  const prepOut: string[] = [];
  for await (const b of c.listBlobsFlat({ prefix: 'azureml/two_steps_prep/data/' })) prepOut.push(b.name);
  assert.equal(prepOut.length, 6, "an unbound node output under the step run's path");
});

test('a registered data asset as input (azureml:digits:1): the fake reads its datastore path, as the service mounts it', async () => {
  const { readdirSync } = await import('node:fs');
  const dir = digitsCopy();
  const c = await bed.azurite.container(BLOBSTORE, false);
  const images = path.join(dir, 'data', 'images');
  const some = readdirSync(images).sort().slice(0, 7);
  for (const f of some) await c.getBlockBlobClient(`digits/${f}`).uploadFile(path.join(images, f));
  await submit(dir, 'digits_asset', ['inputs.digit_images.path=azureml:digits:1']);
  const events = await follow('digits_asset');
  const end = events[events.length - 1];
  assert.equal(end.type === 'end' && end.status, 'Completed');
  assert.equal(of(events, 'progress').pop()?.progress.miniBatches.total, 2, '7 files, 5 per mini-batch');
  const rows = (await c.getBlobClient('azureml/digits_asset/digit_results/mnist_outputs.txt').downloadToBuffer())
    .toString()
    .trim()
    .split('\n');
  assert.deepEqual(rows.map((r) => r.split(/[:,\s]/)[0]).sort(), some);
});
