// The local run and the cloud job of the same spec, compared as a user does: `parallel-run run` with real Python
// workers, the cloud's output placed in Azurite where the service writes it (the same rows in another order, one
// of them changed), then `parallel-run compare <job>` from the spec's folder finds the local run by itself.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { installFakeAz, type FakeAz } from '../fakes/az-cli';
import { Azurite } from '../fakes/azurite';
import { FakeArm } from '../fakes/arm/server';
import { testResourceGroup, testSubscription, testTenant, testWorkspace } from '../fakes/arm/world';
import { account, containerName, put, putParallelJob } from '../unit/azure/results/fixture';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'out', 'src', 'cli.js');
const fake = new FakeArm();
const azurite = new Azurite(account);
let az: FakeAz;
let dir: string;

const SCRIPT = `import os

def init():
    pass

def run(mini_batch):
    # one row per image: "<file name>: <digit>", as the tutorial's entry script writes them
    return ["{}: {}".format(os.path.basename(p), open(p).read().strip()) for p in mini_batch]
`;

before(async () => {
  await fake.start();
  await azurite.start();
  await azurite.container(containerName);
  az = installFakeAz(testTenant.tenantId);
  dir = mkdtempSync(path.join(os.tmpdir(), 'prs-compare-cloud-'));
  mkdirSync(path.join(dir, 'src'));
  mkdirSync(path.join(dir, 'images'));
  writeFileSync(path.join(dir, 'src', 'score.py'), SCRIPT);
  for (let i = 0; i < 6; i++) writeFileSync(path.join(dir, 'images', `${i}.png`), String(i % 10));
  writeFileSync(path.join(dir, 'ca.pem'), fake.ca);
  writeFileSync(
    path.join(dir, 'config.json'),
    JSON.stringify({ subscription_id: testSubscription.subscriptionId, resource_group: testResourceGroup, workspace_name: testWorkspace }),
  );
  writeFileSync(
    path.join(dir, 'pipeline.yml'),
    `type: pipeline
display_name: digits
settings: {default_compute: azureml:cpu-cluster}
inputs:
  digit_images: {type: uri_folder, path: ./images, mode: ro_mount}
outputs:
  digit_results: {type: uri_folder, mode: rw_mount}
jobs:
  batch_inference_node:
    type: parallel
    inputs:
      images: \${{parent.inputs.digit_images}}
    outputs:
      results: \${{parent.outputs.digit_results}}
    input_data: \${{inputs.images}}
    mini_batch_size: 2
    max_concurrency_per_instance: 1
    task:
      type: run_function
      code: ./src
      entry_script: score.py
      environment: azureml:AzureML-sklearn-1.0-ubuntu20.04-py38-cpu@latest
      program_arguments: --append_row_file_name mnist_outputs.txt
      append_row_to: \${{outputs.results}}
`,
  );
});
after(async () => {
  az.remove();
  await azurite.stop();
  await fake.stop();
});

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [CLI, ...args], {
      cwd: dir,
      env: { ...process.env, PYENV_VERSION: process.env.PYENV_VERSION ?? 'system', NODE_EXTRA_CA_CERTS: path.join(dir, 'ca.pem') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d) => (stdout += d));
    c.stderr.on('data', (d) => (stderr += d));
    c.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

test("compare finds the last local run of the step and matches the cloud's rows by image name", async () => {
  const local = spawnSync(process.execPath, [CLI, 'run', 'pipeline.yml'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, PYENV_VERSION: process.env.PYENV_VERSION ?? 'system' },
  });
  assert.equal(local.status, 0, local.stderr + local.stdout);

  // The cloud wrote the same rows in another order, with the mount's paths; image 4 came out as a 9.
  const rows = [5, 4, 3, 2, 1, 0].map((i) => `${i}.png: ${i === 4 ? 9 : i}`);
  const c = await azurite.container(containerName, false);
  await put(c, 'azureml/job-00000-step/results/mnist_outputs.txt', rows.join('\n') + '\n');
  putParallelJob(fake);
  const endpoints = ['--arm-endpoint', fake.endpoint, '--blob-endpoint', azurite.blobEndpoint];
  const r = await cli(['compare', 'job-00000', ...endpoints]);
  assert.equal(r.code, 1, r.stderr + r.stdout);
  assert.match(
    r.stdout,
    /^6 rows in cloud job job-00000, 6 in local run \S+: 5 equal, 1 differs, 0 only in cloud job job-00000, 0 only in local run/,
  );
  assert.match(
    r.stderr,
    /Note: Could not read the code of job job-00000: .*404.* Rows are read with the driver's defaults/,
    'a job whose code is gone still downloads',
  );
  assert.match(r.stdout, /4\.png:\n\s+value: "9" \(cloud job job-00000\) vs "4" \(local run /);
  assert.match(
    readFileSync(path.join(dir, '.parallel-run', 'cloud', 'job-00000', 'outputs', 'results', 'mnist_outputs.txt'), 'utf8'),
    /^5\.png: 5\n/,
  );

  // A local run on a sample of one mini-batch (two images): the cloud's other rows are outside it.
  const sampled = spawnSync(process.execPath, [CLI, 'run', 'pipeline.yml', '--sample', '1'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, PYENV_VERSION: process.env.PYENV_VERSION ?? 'system' },
  });
  assert.equal(sampled.status, 0, sampled.stderr);
  const s = await cli(['compare', path.join(dir, '.parallel-run', 'cloud', 'job-00000')]);
  assert.equal(s.code, 0, s.stdout + s.stderr);
  assert.match(s.stdout, /2 equal, 0 differ, 0 only in cloud job job-00000, 0 only in local run \S+, 4 outside the local run's sample\./);
});
