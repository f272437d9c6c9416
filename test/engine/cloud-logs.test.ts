// A cloud job's log files on demand, against the fake cloud that runs the digits sample with the local engine:
// the list per step, node and process; a process's stdout with what the entry script printed; a growing log read
// by offset; an expired link replaced; a refused one reported without the link; `parallel-run logs`.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { submitSpec } from '../../src/core/azure/submit/submit';
import { putJob } from '../../src/core/azure/resources/jobs';
import { JobLogs, type JobLogFile, type JobLogList } from '../../src/core/azure/logs';
import { updateLocalCopy } from '../../src/core/azure/logs/local-copy';
import { installFakeAz, type FakeAz } from '../fakes/az-cli';
import { testResourceGroup, testSubscription, testTenant, testWorkspace } from '../fakes/arm/world';
import { digitsCopy, useFakeCloud } from './cloud-bed';

const bed = useFakeCloud();
const JOB = 'logs_digits_1';
const STEP = 'digit_identification';
let dir: string;
let az: FakeAz | undefined;
let ran: Promise<void> | undefined;
/** The digits sample, submitted once and run to its end by the fake (root hooks may run together: not a hook). */
const digitsJob = () =>
  (ran ??= (async () => {
    az = installFakeAz(testTenant.tenantId);
    dir = digitsCopy();
    await submitSpec(path.join(dir, 'pipeline.yml'), {
      ml: bed.ml,
      ws: bed.ws,
      credential: bed.credential,
      blob: { blobEndpoint: bed.azurite.blobEndpoint },
      jobName: JOB,
      // One node, one process: every mini-batch goes to node0/process000, whose stdout then holds the entry
      // script's lines whatever the scheduling.
      overrides: ['resources.instance_count=1', 'max_concurrency_per_instance=1', 'inputs.batch_size=25'],
    });
    assert.equal(await bed.fake.jobDone(JOB), 'Completed');
  })());
after(() => az?.remove());

const logsOf = (name: string) =>
  new JobLogs({
    ml: bed.ml,
    ws: bed.ws,
    name,
    discoveryUrl: bed.discoveryUrl,
    blobRetry: { maxTries: 2, retryDelayInMs: 1, maxRetryDelayInMs: 5 },
  });
const fileOf = (list: JobLogList, p: string): JobLogFile => {
  const f = list.steps.flatMap((s) => s.files).find((x) => x.path === p);
  assert.ok(f, `${p} in ${list.steps.flatMap((s) => s.files.map((x) => x.path)).join(', ')}`);
  return f;
};

test("the list: the step's files node by node and process by process, then its result and driver log, then system logs; the pipeline's own last", async () => {
  await digitsJob();
  const list = await logsOf(JOB).list({ sizes: true });
  assert.equal(list.status, 'Completed');
  assert.deepEqual(
    list.steps.map((s) => [s.name, s.status, s.pipeline === true]),
    [
      [STEP, 'Completed', false],
      [JOB, 'Completed', true],
    ],
  );
  const files = list.steps[0].files;
  assert.equal(files[0].path, 'logs/user/stdout/node0/process000.stdout.txt', 'node0 process000 stdout first');
  assert.deepEqual(
    [files[0].kind, files[0].node, files[0].process, files[0].label, files[0].step, files[0].runId],
    ['stdout', 'node0', 'process000', 'process000 stdout', STEP, bed.runner.stepRunId(JOB, STEP)],
  );
  assert.ok(files[0].size! > 0, 'with its size');
  assert.ok(files.some((f) => f.path === 'logs/user/entry_script_log/node0/process000.log.txt'));
  assert.ok(!files.some((f) => f.node === 'node1'), 'one node');
  const sections = files.map((f) => f.section);
  assert.deepEqual(
    sections,
    [...sections].sort((a, b) => ['node', 'job', 'system'].indexOf(a) - ['node', 'job', 'system'].indexOf(b)),
    'nodes, then the result, then system logs',
  );
  const job = files.filter((f) => f.section === 'job').map((f) => f.path);
  assert.equal(job[0], 'logs/job_result.txt');
  assert.ok(job.indexOf('logs/job_error.txt') < job.indexOf('user_logs/std_log.txt'), job.join(', '));
  assert.ok(files.some((f) => f.path === 'logs/sys/master_role.txt' && f.section === 'system'));
  assert.deepEqual(
    list.steps[1].files.map((f) => f.path),
    ['logs/azureml/executionlogs.txt'],
  );
  assert.doesNotMatch(JSON.stringify(list.steps.map((s) => s.files.map(({ contentUri: _, ...f }) => f))), /sig=/);
});

test('reading a process stdout gives what the entry script printed; from an offset, only the bytes after it', async () => {
  await digitsJob();
  const logs = logsOf(JOB);
  const list = await logs.list();
  const f = fileOf(list, 'logs/user/stdout/node0/process000.stdout.txt');
  const all = (await logs.read(f)).bytes.toString();
  assert.match(all, /^run method start: .*digit_identification\.py, run\(\[/m);
  const tail = await logs.read(f, 10);
  assert.equal(tail.bytes.toString(), all.slice(10));
  assert.equal(tail.reset, false);
  const result = (await logs.read(fileOf(list, 'logs/job_result.txt'))).bytes.toString();
  assert.match(result, /Completed|succeeded/i);
});

test('a log that grows while the job runs: each update of the local copy appends only what is new', async () => {
  bed.runner.holdQueued = true;
  try {
    await putJob(bed.ml, bed.ws, 'logs_grow_1', { properties: { jobType: 'Pipeline', jobs: {} } });
    await bed.runner.appendLog('logs_grow_1', 'user_logs/std_log.txt', 'first\nsec');
  } finally {
    bed.runner.holdQueued = false;
  }
  const logs = logsOf('logs_grow_1');
  const list = await logs.list();
  assert.notEqual(list.status, 'Completed');
  const f = fileOf(list, 'user_logs/std_log.txt');
  const dest = path.join(mkdtempSync(path.join(os.tmpdir(), 'prs-logs-')), 'std_log.txt');
  assert.deepEqual(await updateLocalCopy(logs, f, dest), { file: dest, size: 9, added: 9, whole: true });
  await bed.runner.appendLog('logs_grow_1', 'user_logs/std_log.txt', 'ond\nthird\n');
  bed.azurite.resetCounts();
  assert.deepEqual(await updateLocalCopy(logs, f, dest), { file: dest, size: 19, added: 10, whole: false });
  assert.equal(readFileSync(dest, 'utf8'), 'first\nsecond\nthird\n');
  const reads = bed.azurite.requests.filter((r) => r.method === 'GET');
  assert.equal(reads.length, 1, 'one ranged read');
  assert.deepEqual(await updateLocalCopy(logs, f, dest), { file: dest, size: 19, added: 0, whole: false }, 'nothing new');
  bed.runner.cancel('logs_grow_1');
  await bed.fake.jobDone('logs_grow_1');
});

test('a link the storage refuses once (expired) is asked for again and the read succeeds', async () => {
  await digitsJob();
  const logs = logsOf(JOB);
  const f = fileOf(await logs.list(), 'logs/user/stdout/node0/process000.stdout.txt');
  const listed = bed.fake.calls('artifact.contentinfo');
  bed.azurite.failStatus = 403;
  bed.azurite.failPath = /process000\.stdout\.txt$/;
  bed.azurite.failNext = 1;
  try {
    assert.match((await logs.read(f)).bytes.toString(), /^run method start: /m);
  } finally {
    bed.azurite.failNext = 0;
  }
  assert.ok(bed.fake.calls('artifact.contentinfo') > listed, 'a fresh link from run history');
  // A link whose signature storage itself refuses (Azurite checks it): renewed the same way.
  const forged = f.contentUri.replace(/([?&]sig=)[^&]+/, '$1AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%3D');
  assert.notEqual(forged, f.contentUri);
  const stale = { ...f, contentUri: forged };
  const renewals = bed.fake.calls('artifact.contentinfo');
  assert.match((await logs.read(stale)).bytes.toString(), /^run method start: /m);
  assert.ok(bed.fake.calls('artifact.contentinfo') > renewals, 'storage refused the forged link');
  assert.notEqual(stale.contentUri, forged, 'the file now holds the fresh link');
});

test('a link refused twice: a message naming the file, the step and what to do, without the link or its signature', async () => {
  await digitsJob();
  const logs = logsOf(JOB);
  const f = fileOf(await logs.list(), 'logs/user/stdout/node0/process000.stdout.txt');
  const sig = new URL(f.contentUri).searchParams.get('sig')!;
  bed.azurite.failStatus = 403;
  bed.azurite.failPath = /process000\.stdout\.txt$/;
  bed.azurite.failNext = 2;
  let message = '';
  try {
    await logs.read(f);
  } catch (e) {
    message = (e as Error).message;
    assert.equal((e as { status?: number }).status, 403);
  } finally {
    bed.azurite.failNext = 0;
  }
  assert.match(
    message,
    /^Could not read logs\/user\/stdout\/node0\/process000\.stdout\.txt of step digit_identification: the storage account refused/,
  );
  assert.match(message, /403/);
  assert.match(message, /AzureML Data Scientist/);
  assert.ok(!message.includes(sig) && !/sig=|127\.0\.0\.1|dcid\./.test(message), message);

  // A connection dropped on every try: a network failure, said without the link either.
  bed.azurite.dropPath = /process000\.stdout\.txt$/;
  bed.azurite.dropNext = 10;
  try {
    await assert.rejects(logs.read(f), (e: Error) => {
      assert.match(e.message, /^Could not read logs\/user\/stdout\/node0\/process000\.stdout\.txt of step digit_identification: .*dropped/);
      assert.ok(!e.message.includes(sig) && !/sig=|dcid\./.test(e.message), e.message);
      return true;
    });
  } finally {
    bed.azurite.dropNext = 0;
  }
});

// ---- the CLI ------------------------------------------------------------------------------------------------

let caFile: string;
function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  if (!caFile) {
    caFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'prs-ca-')), 'ca.pem');
    writeFileSync(caFile, bed.fake.ca);
    writeFileSync(
      path.join(dir, 'config.json'),
      JSON.stringify({
        subscription_id: testSubscription.subscriptionId,
        resource_group: testResourceGroup,
        workspace_name: testWorkspace,
      }),
    );
  }
  const child = spawn(
    process.execPath,
    [path.join(__dirname, '..', '..', 'src', 'cli.js'), 'logs', ...args, '--arm-endpoint', bed.fake.endpoint],
    { cwd: dir, env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr })));
}

test('parallel-run logs <job>: the files per step and node with sizes, and how to print one', async () => {
  await digitsJob();
  const r = await cli([JOB]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    new RegExp(
      `^Job ${JOB} \\(Completed\\): \\d+ log files\\n\\nStep ${STEP} \\(Completed\\)\\n  node0\\n    process000 stdout +\\d+(\\.\\d)? K?B  logs/user/stdout/node0/process000\\.stdout\\.txt\\n`,
    ),
  );
  assert.match(r.stdout, /\n {2}result, errors and driver log\n {4}job_result\.txt +\d/);
  assert.ok(r.stdout.includes('\n  system logs\n'));
  assert.match(r.stdout, new RegExp(`\\nPipeline job ${JOB} \\(Completed\\)\\n  system logs\\n    azureml/executionlogs\\.txt`));
  assert.match(
    r.stdout,
    new RegExp(`Print one with: parallel-run logs ${JOB} --file logs/user/stdout/node0/process000\\.stdout\\.txt\\n$`),
  );
  assert.doesNotMatch(r.stdout + r.stderr, /sig=/);
});

test('parallel-run logs <job> --file node0/process000.stdout.txt prints the file; a job, step or file it does not have exits 2 and says what to do', async () => {
  await digitsJob();
  const r = await cli([JOB, '--file', 'node0/process000.stdout.txt']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^run method start: .*digit_identification\.py, run\(\[/m);
  const bad = await cli([JOB, '--file', 'node7/process000.stdout.txt']);
  assert.equal(bad.code, 2);
  assert.match(
    bad.stderr,
    new RegExp(`^No log file node7/process000\\.stdout\\.txt in job ${JOB}\\. .*List the files with: parallel-run logs ${JOB}\\n$`),
  );
  const job = await cli(['no_such_job']);
  assert.equal(job.code, 2);
  assert.match(job.stderr, /^Could not read job no_such_job: it was not found \(404/);
  const step = await cli([JOB, '--step', 'nope']);
  assert.equal(step.code, 2);
  assert.match(step.stderr, new RegExp(`^Job ${JOB} has no step nope\\. Its steps: ${STEP}`));
});
