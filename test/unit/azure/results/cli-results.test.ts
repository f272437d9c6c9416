// `parallel-run results`, `compare` and `resubmit` as a user runs them: the Azure CLI's sign-in (a fake `az`),
// the workspace from config.json, the fake ARM and Azurite holding a finished job's outputs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { installFakeAz, type FakeAz } from '../../../fakes/az-cli';
import { Azurite } from '../../../fakes/azurite';
import { testResourceGroup, testSubscription, testTenant, testWorkspace } from '../../../fakes/arm/world';
import { useFakeArm } from '../fake-arm';
import { project as submitProject } from '../submit/fixture';
import { account, cloudRows, containerName, jobName, putCode, putOutputs, putParallelJob } from './fixture';

const bed = useFakeArm();
const azurite = new Azurite(account);
let az: FakeAz;
let caFile: string;
let project: string;
before(async () => {
  await azurite.start();
  const container = await azurite.container(containerName);
  putParallelJob(bed.fake);
  await putCode(bed.fake, container, azurite.blobEndpoint);
  await putOutputs(container);
  az = installFakeAz(testTenant.tenantId);
  project = mkdtempSync(path.join(os.tmpdir(), 'prs-cli-results-'));
  caFile = path.join(project, 'ca.pem');
  writeFileSync(caFile, bed.fake.ca);
  writeFileSync(
    path.join(project, 'config.json'),
    JSON.stringify({ subscription_id: testSubscription.subscriptionId, resource_group: testResourceGroup, workspace_name: testWorkspace }),
  );
});
after(async () => {
  az.remove();
  await azurite.stop();
});

const cli = path.join(__dirname, '..', '..', '..', '..', 'src', 'cli.js');
function run(args: string[], cwd = project): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [cli, ...args, '--arm-endpoint', bed.fake.endpoint, '--blob-endpoint', azurite.blobEndpoint], {
      cwd,
      env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d) => (stdout += d));
    c.stderr.on('data', (d) => (stderr += d));
    c.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** A finished local run of the same step, as runLocal leaves it: summary.json and the append_row file. */
function localRun(runsFolder: string, name: string, rows: string[], inputs = ['0.png', '1.png', '2.png', '3.png']): string {
  const runDir = path.join(runsFolder, name);
  mkdirSync(path.join(runDir, 'outputs', 'results'), { recursive: true });
  const outputFile = path.join(runDir, 'outputs', 'results', 'mnist_outputs.txt');
  writeFileSync(outputFile, rows.join('\n') + '\n');
  const counts = {
    miniBatches: { total: 1, succeeded: 1, failed: 0, running: 0, retried: 0 },
    items: { total: rows.length, succeeded: rows.length, failed: 0 },
  };
  const files = inputs.map((f) => `/home/me/digits/data/images/${f}`);
  writeFileSync(
    path.join(runDir, 'summary.json'),
    JSON.stringify({
      status: 'Completed',
      specFile: '/home/me/digits/pipeline.yml',
      nodeName: 'batch_inference_node',
      runDir,
      outputFile,
      appendRowTo: 'results',
      outputKind: 'dataframe',
      outputColumns: ['image', 'digit'],
      outputFormat: { toCsv: { sep: ',' }, dataframeHeader: false, inputKind: 'files' },
      logsDir: path.join(runDir, 'logs'),
      python: 'python3',
      startedAt: `2026-12-01T10:00:0${name.slice(-1)}Z`,
      endedAt: '2026-12-01T10:01:00Z',
      durationMs: 60000,
      workers: 1,
      counts,
      failures: [],
      warnings: [],
      miniBatches: [
        { index: 0, data: { kind: 'files', files }, partitionKeyValue: {}, status: 'succeeded', attempts: 1, succeeded: rows.length },
      ],
    }),
  );
  return runDir;
}

test("results downloads the job's outputs next to the local runs and says where the rows are", async () => {
  const r = await run(['results', jobName]);
  assert.equal(r.code, 0, r.stderr);
  const dest = path.join(project, '.parallel-run', 'cloud', jobName);
  assert.match(
    r.stdout,
    /^results: 2 files \(\d+ B\) from azureml:\/\/datastores\/workspaceblobstore\/paths\/azureml\/job-00000-step\/results\//m,
  );
  assert.match(
    r.stdout,
    new RegExp(
      `Rows \\(append_row\\): ${path.join(dest, 'outputs', 'results', 'mnist_outputs.txt').replace(/[.\\/]/g, '\\$&')} \\(4 rows\\)`,
    ),
  );
  assert.equal(readFileSync(path.join(dest, 'outputs', 'results', 'mnist_outputs.txt'), 'utf8'), cloudRows.join('\n') + '\n');
  assert.ok(!/eyJ/.test(r.stdout + r.stderr), 'no token in the output');
});

test('compare: the same rows exit 0; a differing row and a missing one exit 1 and are named', async () => {
  const runs = path.join(project, '.parallel-run', 'runs');
  const same = localRun(runs, 'batch_inference_node-20261201-100001', [...cloudRows].reverse());
  const ok = await run(['compare', jobName]);
  assert.equal(ok.code, 0, ok.stderr + ok.stdout);
  assert.match(ok.stdout, /^4 rows in cloud job job-00000, 4 in local run batch_inference_node-20261201-100001: 4 equal, 0 differ/);

  // A newer local run, where one image got another digit and one is missing: compared by default, being the latest.
  const rows = cloudRows.slice(0, 3);
  rows[1] = '1.png,7';
  localRun(runs, 'batch_inference_node-20261201-100002', rows);
  const md = path.join(project, 'diff.md');
  const diff = await run(['compare', path.join(project, '.parallel-run', 'cloud', jobName), '--markdown', md]);
  assert.equal(diff.code, 1, diff.stderr);
  assert.match(diff.stdout, /2 equal, 1 differs, 1 only in cloud job job-00000, 0 only in local run batch_inference_node-20261201-100002/);
  assert.match(diff.stdout, /Rows matched by column image\.\n/);
  assert.match(diff.stdout, /1\.png:\n\s+digit: "1" \(cloud job job-00000\) vs "7" \(local run batch_inference_node-20261201-100002\)/);
  assert.match(diff.stdout, /Only in cloud job job-00000 \(1\):\n\s+3\.png {2}3\n/);
  assert.match(readFileSync(md, 'utf8'), /\| 1\.png \| digit \| 1 \| 7 \|/);

  // A local run on a sample of two images: the cloud's other rows are outside it, not missing.
  const sample = localRun(
    mkdtempSync(path.join(os.tmpdir(), 'prs-cli-sample-')),
    'batch_inference_node-20261201-100003',
    cloudRows.slice(0, 2),
    ['0.png', '1.png'],
  );
  const sampled = await run(['compare', path.join(project, '.parallel-run', 'cloud', jobName), sample]);
  assert.equal(sampled.code, 0, sampled.stdout);
  assert.match(
    sampled.stdout,
    /2 equal, 0 differ, 0 only in cloud job job-00000, 0 only in local run \S+, 2 outside the local run's sample\./,
  );

  // The older run, named: equal again.
  const named = await run(['compare', path.join(project, '.parallel-run', 'cloud', jobName), same]);
  assert.equal(named.code, 0, named.stderr);
});

test('compare without a local run says how to make one; resubmit with a bad parameter exits 2 with the fix', async () => {
  const empty = mkdtempSync(path.join(os.tmpdir(), 'prs-cli-empty-'));
  writeFileSync(path.join(empty, 'config.json'), readFileSync(path.join(project, 'config.json')));
  const none = await run(['compare', jobName], empty);
  assert.equal(none.code, 2);
  assert.match(
    none.stderr,
    /No finished local run of step batch_inference_node with append_row output in .*\.parallel-run\/runs\. Run the spec locally first/,
  );
  const bad = await run(['resubmit', jobName, '--set', 'nodes=0']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--set nodes=0: instance_count \(nodes\) must be a whole number of at least 1, e\.g\. --set nodes=2\./);
});

test('resubmit sends the new job with the changed data and parameters and prints what changed', async () => {
  mkdirSync(path.join(project, 'one'), { recursive: true });
  writeFileSync(path.join(project, 'one', '0.png'), 'image 0');
  bed.fake.resetCounts();
  const r = await run([
    'resubmit',
    jobName,
    '--input',
    'digit_images=one/0.png',
    '--set',
    'mini_batch_size=1',
    '--set',
    'processes=1',
    '--name',
    'digits_run_2',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    /input digit_images: .* → azureml:\/\/datastores\/workspaceblobstore\/paths\/LocalUpload\/[0-9a-f]{32}\/0\.png \(uri_file, ReadOnlyMount\)/,
  );
  assert.match(
    r.stdout,
    /input batch_size: 5 → 1\n\s+max_concurrency_per_instance: 2 → 1\nSubmitted job digits_run_2 \(NotStarted\) from job job-00000\nStudio: \S+digits_run_2/,
  );
  const put = bed.fake.requests.find((q) => q.route === 'jobs.put')!;
  const p = (put.body as { properties: Record<string, any> }).properties;
  for (const k of ['digit_images', 'digit_model']) assert.ok(p.inputs[k].uri && p.inputs[k].mode, `input ${k} keeps uri and mode`);
  assert.equal(p.jobs.batch_inference_node.max_concurrency_per_instance, 1);
});

test('resubmit <spec.yml> applies the same changes to the YAML and submits it; local paths are relative to the current folder', async () => {
  const dir = submitProject();
  writeFileSync(path.join(dir, 'config.json'), readFileSync(path.join(project, 'config.json')));
  bed.fake.resetCounts();
  const r = await run(
    ['resubmit', 'pipeline.yml', '--input', 'images=data/images/b.png', '--set', 'nodes=3', '--name', 'from_yaml_1'],
    dir,
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Submitted job from_yaml_1 \(NotStarted\)\nStudio: /);
  const p = (bed.fake.requests.find((q) => q.route === 'jobs.put')!.body as { properties: Record<string, any> }).properties;
  assert.equal(p.inputs.images.jobInputType, 'uri_file');
  assert.match(p.inputs.images.uri, /\/LocalUpload\/[0-9a-f]{32}\/b\.png$/);
  assert.equal(p.jobs.score.resources.instance_count, 3);
});
