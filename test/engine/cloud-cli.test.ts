// `parallel-run submit … --follow` and `parallel-run cancel` as a user runs them, against the fake cloud that runs
// the job with the local engine: the log tail, progress, the headline error with file:line, exit codes, Ctrl+C.
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { installFakeAz, type FakeAz } from '../fakes/az-cli';
import { testResourceGroup, testSubscription, testTenant, testWorkspace } from '../fakes/arm/world';
import { digitsCopy, useFakeCloud } from './cloud-bed';

const bed = useFakeCloud();
let az: FakeAz;
let caFile: string;
before(() => {
  az = installFakeAz(testTenant.tenantId);
});
after(() => az.remove());

const cli = path.join(__dirname, '..', '..', 'src', 'cli.js');

interface Cli {
  child: ReturnType<typeof spawn>;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number>;
  /** Resolves when stdout matches. */
  saw: (re: RegExp) => Promise<void>;
}

function start(args: string[], cwd: string): Cli {
  if (!caFile) {
    caFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'prs-ca-')), 'ca.pem');
    writeFileSync(caFile, bed.fake.ca);
  }
  const child = spawn(process.execPath, [cli, ...args], {
    cwd,
    env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const watchers: { re: RegExp; resolve: () => void }[] = [];
  child.stdout!.on('data', (d) => {
    stdout += d;
    for (const w of watchers.splice(0)) {
      if (w.re.test(stdout)) w.resolve();
      else watchers.push(w);
    }
  });
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : -1))));
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    saw: (re) => (re.test(stdout) ? Promise.resolve() : new Promise((resolve) => watchers.push({ re, resolve }))),
  };
}

function project(): string {
  const dir = digitsCopy();
  writeFileSync(
    path.join(dir, 'config.json'),
    JSON.stringify({ subscription_id: testSubscription.subscriptionId, resource_group: testResourceGroup, workspace_name: testWorkspace }),
  );
  return dir;
}

const endpoints = () => ['--arm-endpoint', bed.fake.endpoint, '--blob-endpoint', bed.azurite.blobEndpoint];

test('submit --follow prints statuses, the std_log tail, progress, the final status and the outputs; exit 0', async () => {
  const dir = project();
  const c = start(['submit', 'pipeline.yml', '--name', 'cli_follow_ok', '--follow', '--poll-interval', '0.2', ...endpoints()], dir);
  const code = await c.exited;
  const out = c.stdout();
  assert.equal(code, 0, c.stderr() + out);
  assert.match(out, /^Submitted job cli_follow_ok \(NotStarted\)\n/);
  assert.match(out, /\d\d:\d\d:\d\d cli_follow_ok: Running\n/);
  assert.match(out, /cli_follow_ok\/digit_identification: Running\n/);
  assert.match(out, /\nStreaming digit_identification\/user_logs\/std_log\.txt\n=+\n\n/);
  assert.match(out, /Partitioned .* into 20 mini-batch/);
  assert.match(out, /cli_follow_ok\/digit_identification: Processed 20 of 20 mini-batches \(20 succeeded, 0 failed, 0 retried\)/);
  assert.match(
    out,
    /\nExecution Summary\n=+\nJob cli_follow_ok: Completed\nOutputs:\n {2}digit_results: azureml:\/\/datastores\/workspaceblobstore\/paths\/azureml\/cli_follow_ok\/digit_results\/\nStudio: \S+cli_follow_ok/,
  );
  const lines = out.split('\n').filter((l) => /^\d{4}-\d\d-\d\dT.*Partitioned/.test(l));
  assert.equal(lines.length, 1, 'each log line once');
});

test('resubmit <job> --input one image --set mini_batch_size=1 --follow prints what submit --follow prints; 1 mini-batch; exit 0', async () => {
  const dir = project();
  const first = start(['submit', 'pipeline.yml', '--name', 'cli_resubmit_src', ...endpoints()], dir);
  assert.equal(await first.exited, 0, first.stderr() + first.stdout());
  const c = start(
    [
      'resubmit',
      'cli_resubmit_src',
      '--input',
      `digit_images=./data/images/${
        readdirSync(path.join(dir, 'data', 'images'))
          .filter((f) => f.endsWith('.png'))
          .sort()[0]
      }`,
      '--set',
      'mini_batch_size=1',
      '--name',
      'cli_resubmit_one',
      '--follow',
      ...endpoints(),
    ],
    dir,
  );
  const code = await c.exited;
  const out = c.stdout();
  assert.equal(code, 0, c.stderr() + out);
  assert.match(out, /input batch_size: 5 → 1/);
  assert.match(out, /Submitted job cli_resubmit_one \(NotStarted\) from job cli_resubmit_src\n/);
  assert.match(out, /\nStreaming digit_identification\/user_logs\/std_log\.txt\n/);
  assert.match(out, /cli_resubmit_one\/digit_identification: Processed 1 of 1 mini-batches \(1 succeeded, 0 failed, 0 retried\)/);
  assert.match(out, /\nJob cli_resubmit_one: Completed\n/);
});

test('a job that fails in init: the headline error with the local file:line and the log it came from; exit 1', async () => {
  const dir = project();
  const entry = path.join(dir, 'src', 'digit_identification.py');
  const script = readFileSync(entry, 'utf8').replace('def init():\n', 'def init():\n    import digits_helper  # noqa\n');
  writeFileSync(entry, script);
  writeFileSync(path.join(dir, 'src', 'digits_helper.py'), 'SCALE = 1\n');
  writeFileSync(path.join(dir, 'src', '.amlignore'), 'digits_helper.py\n');
  const c = start(['submit', 'pipeline.yml', '--name', 'cli_follow_fail', '--follow', '--poll-interval', '0.2', ...endpoints()], dir);
  assert.equal(await c.exited, 1, c.stderr());
  const line = script.split('\n').findIndex((l) => l.includes('import digits_helper')) + 1;
  assert.match(
    c.stdout(),
    new RegExp(
      `Job cli_follow_fail: Failed\\nError in step digit_identification: ModuleNotFoundError: No module named 'digits_helper'\\n  at src/digit_identification\\.py:${line} in init\\n  from digit_identification/logs/user/error/node\\d/process\\d{3}\\.txt\\n`,
    ),
  );
});

test('Ctrl+C stops following and says how to cancel; parallel-run cancel then stops the job', async () => {
  const dir = project();
  const entry = path.join(dir, 'src', 'digit_identification.py');
  writeFileSync(
    entry,
    readFileSync(entry, 'utf8').replace('def run(mini_batch):\n', 'def run(mini_batch):\n    import time\n    time.sleep(600)\n'),
  );
  const c = start(['submit', 'pipeline.yml', '--name', 'cli_follow_int', '--follow', '--poll-interval', '0.2', ...endpoints()], dir);
  await bed.runner.jobStarted('cli_follow_int');
  await c.saw(/cli_follow_int\/digit_identification: Running\n/);
  c.child.kill('SIGINT');
  assert.equal(await c.exited, 130, c.stderr());
  assert.match(
    c.stdout(),
    new RegExp(
      `Stopped following cli_follow_int; the job goes on in the workspace\\. Cancel it with: parallel-run cancel cli_follow_int --arm-endpoint ${bed.fake.endpoint.replace(/[.]/g, '\\.')}\\n$`,
    ),
  );
  assert.ok(bed.runner.isActive('cli_follow_int'), 'following stopped, the job did not');
  const cancel = start(['cancel', 'cli_follow_int', '--arm-endpoint', bed.fake.endpoint], dir);
  assert.equal(await cancel.exited, 0, cancel.stderr());
  assert.match(cancel.stdout(), /Cancel requested for job cli_follow_int: it is now (CancelRequested|Canceled)\./);
  assert.equal(await bed.fake.jobDone('cli_follow_int'), 'Canceled');
  const missing = start(['cancel', 'no_such_job', '--arm-endpoint', bed.fake.endpoint], dir);
  assert.equal(await missing.exited, 1);
  assert.match(missing.stderr(), /no_such_job/);
});
