/** Whole pipelines end to end: command and parallel steps with real Python, bound through run folders. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { loadSpec } from '../../src/core/spec';
import { runPipeline, PipelineInputError, type PipelineEvent, type PipelineRunSummary } from '../../src/core/pipeline';
import type { RunSummary } from '../../src/core/local/types';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'pipelines');
const CLI = path.join(ROOT, 'out', 'src', 'cli.js');

/** A fresh copy of a fixture pipeline (runs write next to the spec). */
function copyFixture(name: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `pipeline-${name}-`));
  cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

async function run(specFile: string, options: Parameters<typeof runPipeline>[1] & { overrides?: string[] } = {}) {
  const events: PipelineEvent[] = [];
  const spec = await loadSpec(specFile, { overrides: options.overrides ?? [], onlyNode: options.only, cpuCount: 2 });
  const summary = await runPipeline(spec, {
    ...options,
    onEvent: (e) => {
      events.push(e);
      options.onEvent?.(e);
    },
  });
  return { summary, events };
}

function node(summary: PipelineRunSummary, name: string) {
  const found = summary.nodes.find((n) => n.name === name);
  assert.ok(found, `no node ${name} in ${JSON.stringify(summary.nodes.map((n) => n.name))}`);
  return found;
}

function cli(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('command -> parallel -> command: the parallel step reads the MLTable the first step wrote', async () => {
  const dir = copyFixture('oj-sales');
  const { summary, events } = await run(path.join(dir, 'pipeline.yml'));
  assert.equal(summary.status, 'Completed', JSON.stringify(summary, null, 1));
  assert.deepEqual(
    summary.nodes.map((n) => [n.name, n.type, n.status]),
    [
      ['partition_job', 'command', 'Completed'],
      ['parallel_train', 'parallel', 'Completed'],
      ['summarize', 'command', 'Completed'],
    ],
  );
  // One mini-batch per (Store, Brand) partition of the table the command wrote, one model file each.
  const train = node(summary, 'parallel_train');
  const parallel = JSON.parse(readFileSync(train.summaryFile!, 'utf8')) as RunSummary;
  assert.equal(parallel.counts.miniBatches.total, 6);
  assert.equal(parallel.runDir, path.join(summary.runDir, 'parallel_train'));
  const report = readFileSync(node(summary, 'summarize').outputs.report, 'utf8').trim().split('\n');
  assert.equal(report.length, 6);
  assert.equal(path.basename(node(summary, 'summarize').outputs.report), 'report.txt');
  // The optional --max_rows was not given: its $[[…]] part is gone from the command that ran.
  assert.doesNotMatch(node(summary, 'partition_job').command!, /max_rows/);
  // The command's output went to its log and to the events, and `python` was the engine's interpreter.
  const log = readFileSync(node(summary, 'partition_job').logFile!, 'utf8');
  assert.match(log, /wrote 6 partitions of 36 rows/);
  assert.ok(events.some((e) => e.type === 'nodeLog' && e.node === 'summarize' && /summarized 6 models/.test(e.text)));
  assert.ok(events.some((e) => e.type === 'nodeEvent' && e.node === 'parallel_train' && e.event.type === 'miniBatchDone'));
  // Cloud-only fields are one note per node, not errors; the registry environment is named.
  assert.ok(summary.notes.some((n) => n.startsWith('`summarize`: cloud-only fields') && /from the registry azureml/.test(n)));
  assert.ok(
    summary.notes.some((n) => /report\.txt in the cloud; this run wrote .*summarize[\\/]outputs[\\/]report[\\/]report\.txt/.test(n)),
  );
  const written = JSON.parse(readFileSync(path.join(summary.runDir, 'summary.json'), 'utf8')) as PipelineRunSummary;
  assert.equal(written.kind, 'pipeline');
  assert.equal(written.nodes.length, 3);
  assert.match(readFileSync(path.join(dir, '.parallel-run', '.gitignore'), 'utf8'), /^\*$/m);
});

test('an optional command input given with --set is passed, inside its $[[…]] part', async () => {
  const dir = copyFixture('oj-sales');
  const { summary } = await run(path.join(dir, 'pipeline.yml'), { overrides: ['jobs.partition_job.inputs.max_rows=3'] });
  assert.equal(summary.status, 'Completed');
  assert.match(node(summary, 'partition_job').command!, /--max_rows 3 /);
  // The first 3 rows are one store with 3 brands: 3 partitions, 3 models.
  assert.equal(readFileSync(node(summary, 'summarize').outputs.report, 'utf8').trim().split('\n').length, 3);
});

test('a folder written by a command is split into mini-batches; a uri_file append_row output is the named file', async () => {
  const dir = copyFixture('mnist');
  const { summary } = await run(path.join(dir, 'pipeline.yml'));
  assert.equal(summary.status, 'Completed', summary.reason);
  const predict = node(summary, 'predict_digits_mnist');
  assert.equal(path.basename(predict.outputs.job_output_file), 'aggregated_returns.csv');
  const lines = readFileSync(predict.outputs.job_output_file, 'utf8').trim().split('\n');
  assert.equal(lines.length, 12);
  assert.ok(lines.includes('7.png,7'));
  // The last step `cat`s that file: its log holds the 12 predictions.
  const viewed = readFileSync(node(summary, 'view_prediction_result').logFile!, 'utf8').trim().split('\n');
  assert.deepEqual(viewed.sort(), lines.sort());
  assert.ok(
    summary.notes.some((n) => /job_output_file` goes to azureml:\/\/.*aggregated_returns\.csv in the cloud; this run wrote/.test(n)),
  );
});

test('a uri_folder append_row output reaches the next step as the folder, with the append file inside', async () => {
  const dir = copyFixture('mnist');
  const spec = path.join(dir, 'pipeline.yml');
  const text = readFileSync(spec, 'utf8')
    .replace(/type: uri_file\n(\s+)path: azureml:\/\/\S+aggregated_returns\.csv/, 'type: uri_folder')
    .replace('cat ${{inputs.inference_result}}', 'cat ${{inputs.inference_result}}/parallel_run_step.txt');
  assert.notEqual(text, readFileSync(spec, 'utf8'));
  writeFileSync(spec, text);
  const { summary } = await run(spec);
  assert.equal(summary.status, 'Completed', summary.reason);
  const predict = node(summary, 'predict_digits_mnist');
  assert.equal(predict.outputs.job_output_file, path.join(predict.runDir, 'outputs', 'job_output_file'));
  const lines = readFileSync(path.join(predict.outputs.job_output_file, 'parallel_run_step.txt'), 'utf8').trim().split('\n');
  assert.equal(lines.length, 12);
  const viewed = readFileSync(node(summary, 'view_prediction_result').logFile!, 'utf8').trim().split('\n');
  assert.deepEqual(viewed.sort(), lines.sort());
});

test('--node reuses the outputs of the steps it reads from the latest run of the same spec', async () => {
  const dir = copyFixture('mnist');
  const spec = path.join(dir, 'pipeline.yml');
  const first = await run(spec);
  assert.equal(first.summary.status, 'Completed');
  const { summary } = await run(spec, { only: 'view_prediction_result' });
  assert.equal(summary.status, 'Completed');
  assert.deepEqual(
    summary.nodes.map((n) => [n.name, n.status]),
    [
      ['predict_digits_mnist', 'Reused'],
      ['view_prediction_result', 'Completed'],
    ],
  );
  assert.notEqual(summary.runDir, first.summary.runDir);
  assert.equal(
    node(summary, 'predict_digits_mnist').outputs.job_output_file,
    node(first.summary, 'predict_digits_mnist').outputs.job_output_file,
  );
  assert.equal(readFileSync(node(summary, 'view_prediction_result').logFile!, 'utf8').trim().split('\n').length, 12);
});

test('--node without an earlier run of its upstream step says which step to run first or what to --set', async () => {
  const dir = copyFixture('mnist');
  const spec = path.join(dir, 'pipeline.yml');
  await assert.rejects(run(spec, { only: 'predict_digits_mnist' }), (err: Error) => {
    assert.ok(err instanceof PipelineInputError);
    assert.match(err.message, /parallel-run run .*pipeline\.yml --node prepare_data/);
    assert.match(err.message, /--set jobs\.predict_digits_mnist\.inputs\.job_data_path\.path=<folder>/);
    return true;
  });
  // The --set it suggests works when pasted: the node runs alone over local data.
  const images = path.join(dir, 'images');
  mkdirSync(images);
  cpSync(path.join(FIXTURES, 'mnist', 'mnist_models', 'model.json'), path.join(dir, 'model.json'));
  spawnSync('python3', [path.join(dir, 'script', 'prepare_data.py'), '--output_folder', images, '--count', '4'], { encoding: 'utf8' });
  const { summary } = await run(spec, {
    only: 'predict_digits_mnist',
    overrides: ['jobs.predict_digits_mnist.inputs.job_data_path.path=' + images],
  });
  assert.equal(summary.status, 'Completed', summary.reason);
  assert.equal(readFileSync(node(summary, 'predict_digits_mnist').outputs.job_output_file, 'utf8').trim().split('\n').length, 4);
});

test('`python` in a command is the interpreter the run was given, not the first one on PATH', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pipeline-python-'));
  const fake = path.join(dir, 'my-python');
  writeFileSync(fake, '#!/bin/sh\necho "my-python was run with: $*"\n', { mode: 0o755 });
  writeFileSync(
    path.join(dir, 'pipeline.yml'),
    ['type: pipeline', 'jobs:', '  hello:', '    command: python hello.py && python3 -V', ''].join('\n'),
  );
  const { summary } = await run(path.join(dir, 'pipeline.yml'), { python: fake });
  assert.equal(summary.status, 'Completed', summary.reason);
  assert.deepEqual(readFileSync(node(summary, 'hello').logFile!, 'utf8').trim().split('\n'), [
    'my-python was run with: hello.py',
    'my-python was run with: -V',
  ]);
});

/** prep (fails) -> score (parallel); other (independent command) -> report. */
function failingPipeline(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pipeline-fail-'));
  mkdirSync(path.join(dir, 'src'));
  writeFileSync(path.join(dir, 'src', 'score.py'), 'def run(mini_batch):\n    return mini_batch\n');
  writeFileSync(
    path.join(dir, 'pipeline.yml'),
    [
      'type: pipeline',
      'jobs:',
      '  prep:',
      '    type: command',
      '    code: ./src',
      '    command: echo preparing && python -c "import sys; sys.exit(\'no data for ${{inputs.day}}\')" && echo unreachable > ${{outputs.data}}/x',
      '    inputs:',
      '      day: monday',
      '    outputs:',
      '      data:',
      '  score:',
      '    type: parallel',
      '    inputs:',
      '      data: ${{parent.jobs.prep.outputs.data}}',
      '    outputs:',
      '      scores:',
      '    input_data: ${{inputs.data}}',
      '    task:',
      '      code: ./src',
      '      entry_script: score.py',
      '      append_row_to: ${{outputs.scores}}',
      '  other:',
      '    type: command',
      '    command: echo independent > ${{outputs.out}}/done.txt',
      '    outputs:',
      '      out:',
      '  report:',
      '    type: command',
      '    command: cat ${{inputs.done}}/done.txt',
      '    inputs:',
      '      done: ${{parent.jobs.other.outputs.out}}',
    ].join('\n') + '\n',
  );
  return dir;
}

test('a failed step stops the steps that read from it; the others still run, and the run fails', async () => {
  const dir = failingPipeline();
  const { summary } = await run(path.join(dir, 'pipeline.yml'));
  assert.equal(summary.status, 'Failed');
  assert.deepEqual(
    summary.nodes.map((n) => [n.name, n.status]),
    [
      ['prep', 'Failed'],
      ['score', 'Skipped'],
      ['other', 'Completed'],
      ['report', 'Completed'],
    ],
  );
  assert.match(node(summary, 'prep').reason!, /exited with code 1: no data for monday/);
  assert.equal(node(summary, 'prep').exitCode, 1);
  assert.match(node(summary, 'score').reason!, /step `prep` failed/);
  assert.match(summary.reason!, /Step `prep` failed.*not run: score/);
  assert.match(readFileSync(node(summary, 'report').logFile!, 'utf8'), /independent/);
});

test('a step whose `;`-joined command hid a Python failure completes, with a note that says so', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pipeline-semicolon-'));
  writeFileSync(
    path.join(dir, 'pipeline.yml'),
    ['type: pipeline', 'jobs:', '  prep:', '    command: python -c "import not_installed_pkg"; echo next part ran', ''].join('\n'),
  );
  const { summary } = await run(path.join(dir, 'pipeline.yml'));
  assert.equal(node(summary, 'prep').status, 'Completed');
  assert.ok(summary.notes.some((n) => /`prep` completed .* a Python traceback is in its log.*Join the parts with `&&`/.test(n)));
});

test('settings.continue_on_step_failure: false stops every step after a failure', async () => {
  const dir = failingPipeline();
  const file = path.join(dir, 'pipeline.yml');
  writeFileSync(
    file,
    readFileSync(file, 'utf8').replace('type: pipeline\n', 'type: pipeline\nsettings:\n  continue_on_step_failure: false\n'),
  );
  const { summary } = await run(file);
  assert.deepEqual(
    summary.nodes.map((n) => n.status),
    ['Failed', 'Skipped', 'Skipped', 'Skipped'],
  );
});

test('pipeline inputs reach a command and pipeline outputs name the step output that feeds them', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pipeline-ports-'));
  writeFileSync(
    path.join(dir, 'pipeline.yml'),
    [
      'type: pipeline',
      'inputs:',
      '  greeting: hello',
      'outputs:',
      '  final:',
      '    type: uri_folder',
      'jobs:',
      '  write:',
      '    command: echo ${{inputs.text}} > ${{outputs.out}}/greeting.txt',
      '    inputs:',
      '      text: ${{parent.inputs.greeting}}',
      '    outputs:',
      '      out: ${{parent.outputs.final}}',
      '',
    ].join('\n'),
  );
  const { summary } = await run(path.join(dir, 'pipeline.yml'), { overrides: ['inputs.greeting=bonjour'] });
  assert.equal(summary.status, 'Completed', summary.reason);
  assert.equal(summary.outputs.final, node(summary, 'write').outputs.out);
  assert.equal(readFileSync(path.join(summary.outputs.final, 'greeting.txt'), 'utf8'), 'bonjour\n');
});

test('canceling ends the running command (and its children) and runs nothing after it', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pipeline-cancel-'));
  writeFileSync(
    path.join(dir, 'pipeline.yml'),
    [
      'type: pipeline',
      'jobs:',
      '  slow:',
      '    command: sleep 60 & wait; echo after > ${{outputs.out}}/x',
      '    outputs:',
      '      out:',
      '  next:',
      '    command: ls ${{inputs.x}}',
      '    inputs:',
      '      x: ${{parent.jobs.slow.outputs.out}}',
      '',
    ].join('\n'),
  );
  const controller = new AbortController();
  const started = Date.now();
  const { summary } = await run(path.join(dir, 'pipeline.yml'), {
    signal: controller.signal,
    onEvent: (e) => {
      if (e.type === 'nodeStart') controller.abort();
    },
  });
  assert.equal(summary.status, 'Canceled');
  assert.deepEqual(
    summary.nodes.map((n) => [n.name, n.status]),
    [
      ['slow', 'Canceled'],
      ['next', 'Canceled'],
    ],
  );
  assert.ok(Date.now() - started < 30_000, 'the 60 s sleep was ended');
});

test('the CLI exits 1 when a step failed, 2 for a step to run first or an occupied --out, 0 when all completed', () => {
  const failing = failingPipeline();
  const failed = cli(['run', 'pipeline.yml'], failing);
  assert.equal(failed.status, 1, failed.stderr);
  assert.match(failed.stdout, /\[prep\] preparing/);
  assert.match(failed.stdout, /prep +command +Failed/);
  assert.match(failed.stdout, /score +parallel +Skipped/);

  const mnist = copyFixture('mnist');
  const blocked = cli(['run', 'pipeline.yml', '--node', 'view_prediction_result'], mnist);
  assert.equal(blocked.status, 2);
  assert.match(blocked.stderr, /--node predict_digits_mnist/);

  const out = path.join(mnist, 'my-run');
  const ok = cli(['run', 'pipeline.yml', '--out', out], mnist);
  assert.equal(ok.status, 0, ok.stderr + ok.stdout);
  assert.ok(existsSync(path.join(out, 'predict_digits_mnist', 'logs', 'job_result.txt')));
  const again = cli(['run', 'pipeline.yml', '--out', out], mnist);
  assert.equal(again.status, 2);
  assert.match(again.stderr, /already holds a run.*--out .*my-run-2/);
});
