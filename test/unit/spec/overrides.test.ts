import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { checkSpecText, loadSpec, type ParallelJob } from '../../../src/core/spec';
import { TUTORIAL_FILES, writeTree, yaml } from './fixture';

async function tutorialWith(overrides: string[], extraFiles: Record<string, string> = {}): Promise<{ job: ParallelJob; dir: string }> {
  const dir = writeTree({ ...TUTORIAL_FILES, ...extraFiles });
  const spec = await loadSpec(path.join(dir, 'pipeline.yml'), { overrides, cwd: dir });
  return { job: spec.parallelNodes[0], dir };
}

test('a bare field sets every parallel node: mini_batch_size, retry_settings.timeout, task.program_arguments', async () => {
  const { job } = await tutorialWith([
    'mini_batch_size=2',
    'retry_settings.timeout=5',
    'task.program_arguments="--x 1 --append_row_file_name=Out.csv"',
  ]);
  assert.equal(job.miniBatchSize, 2);
  assert.equal(job.miniBatchSizeText, '2');
  assert.equal(job.retrySettings.timeout, 5);
  assert.equal(job.retrySettings.maxRetries, 3);
  assert.deepEqual(job.task.programArguments, ['--x', '1', '--append_row_file_name=Out.csv']);
  assert.deepEqual(job.userArguments, ['--x', '1']);
  assert.equal(job.driver.appendRowFileName, 'out.csv');
});

test('jobs.<node>.<field> sets one node', async () => {
  const { job } = await tutorialWith(['jobs.batch_prediction.error_threshold=3', 'jobs.batch_prediction.resources.instance_count=1']);
  assert.equal(job.errorThreshold, 3);
  assert.equal(job.instanceCount, 1);
});

test("inputs.<name>.path and inputs.<name> set a data input's path, relative to the current folder", async () => {
  const extra = { 'sample/one.png': 'x', 'other/m.onnx': 'x' };
  const { job, dir } = await tutorialWith(['inputs.mnist.path=./sample', 'inputs.model=other'], extra);
  assert.deepEqual(job.inputData, {
    kind: 'files',
    inputName: 'images',
    type: 'uri_folder',
    path: path.join(dir, 'sample'),
  });
  assert.deepEqual(job.task.programArguments.slice(0, 2), ['--model', path.join(dir, 'other')]);
});

test('--set paths are taken relative to the cwd option, not to the YAML file', async () => {
  const dir = writeTree({ ...TUTORIAL_FILES, 'elsewhere/sample/x.png': 'x' });
  const spec = await loadSpec(path.join(dir, 'pipeline.yml'), {
    overrides: ['inputs.mnist.path=sample'],
    cwd: path.join(dir, 'elsewhere'),
  });
  assert.equal(spec.parallelNodes[0].inputData.path, path.join(dir, 'elsewhere', 'sample'));
});

test('a cloud input becomes runnable by pointing it at a local sample', async () => {
  const text = TUTORIAL_FILES['pipeline.yml'].replace('path: ./mnist', 'path: azureml://datastores/workspaceblobstore/paths/mnist/');
  const dir = writeTree({ ...TUTORIAL_FILES, 'pipeline.yml': text, 'sample/a.png': 'x' });
  const file = path.join(dir, 'pipeline.yml');
  assert.deepEqual(
    checkSpecText(text, file).diagnostics.map((d) => d.rule),
    ['remote-input'],
  );
  const spec = await loadSpec(file, { overrides: ['inputs.mnist.path=./sample'], cwd: dir });
  assert.equal(spec.parallelNodes[0].inputData.path, path.join(dir, 'sample'));
});

test('inputs.<name>=<value> sets a literal pipeline input, which bound fields then read', async () => {
  const text = yaml(
    'type: pipeline',
    'inputs:',
    '  data:',
    '    type: uri_folder',
    '    path: ./data',
    '  batch_size: 5',
    'jobs:',
    '  score:',
    '    type: parallel',
    '    inputs:',
    '      data: ${{parent.inputs.data}}',
    '    input_data: ${{inputs.data}}',
    '    mini_batch_size: ${{parent.inputs.batch_size}}',
    '    task:',
    '      entry_script: score.py',
  );
  const dir = writeTree({ 'pipeline.yml': text, 'data/a': 'x', 'score.py': '' });
  const spec = await loadSpec(path.join(dir, 'pipeline.yml'), { overrides: ['inputs.batch_size=7'] });
  assert.equal(spec.parallelNodes[0].miniBatchSize, 7);
});

test('a list value is read as YAML: partition_keys=[Store, Brand]', async () => {
  const mltable =
    'paths:\n  - pattern: ./**/*.png\ntransformations:\n  - extract_columns_from_partition_format: "{Store}/{Brand}/{f}.png"\n';
  const { job } = await tutorialWith(['inputs.mnist.type=mltable', 'inputs.mnist.path=./table', 'partition_keys=[Store, Brand]'], {
    'table/MLTable': mltable,
    'table/S1/x/0.png': 'x',
  });
  assert.deepEqual(job.partitionKeys, ['Store', 'Brand']);
});

test('an overridden value is checked like a written one, and its error points at --set', () => {
  const dir = writeTree(TUTORIAL_FILES);
  const { diagnostics } = checkSpecText(TUTORIAL_FILES['pipeline.yml'], path.join(dir, 'pipeline.yml'), {
    overrides: ['retry_settings.timeout=1', 'logging_level=LOUD'],
  });
  assert.deepEqual(
    diagnostics.map((d) => [d.rule, d.location.file, d.location.line, d.location.column]),
    [['logging-level', '--set', 2, 1]],
  );
});

test('unknown override targets are errors located at --set, with suggestions', () => {
  const dir = writeTree(TUTORIAL_FILES);
  const overrides = [
    'mini_batch_sise=2',
    'jobs.batch_predictoin.mini_batch_size=1',
    'inputs.mnst.path=./x',
    'retry_settings.tries=1',
    'no_equals_sign',
    'task.code.x=1',
  ];
  const { diagnostics, spec } = checkSpecText(TUTORIAL_FILES['pipeline.yml'], path.join(dir, 'pipeline.yml'), {
    overrides,
  });
  assert.equal(spec, undefined);
  assert.deepEqual(
    diagnostics.map((d) => [d.rule, d.location.file, d.location.line]),
    [
      ['override', '--set', 1],
      ['override', '--set', 2],
      ['override', '--set', 3],
      ['override', '--set', 4],
      ['override', '--set', 5],
      ['override', '--set', 6],
    ],
  );
  assert.match(diagnostics[0].message, /Did you mean `mini_batch_size`\?/);
  assert.match(diagnostics[1].message, /Did you mean `batch_prediction`\?/);
  assert.match(diagnostics[2].message, /Did you mean `mnist`\?/);
});

test('a standalone parallel component takes inputs.<name>=<path> for its declared data', async () => {
  const text = yaml(
    'type: parallel',
    'name: batch_score',
    'inputs:',
    '  data:',
    '    type: uri_folder',
    '    description: images to score',
    'input_data: ${{inputs.data}}',
    'task:',
    '  entry_script: score.py',
  );
  const dir = writeTree({ 'component.yml': text, 'score.py': '', 'sample/a.png': 'x' });
  const file = path.join(dir, 'component.yml');
  assert.deepEqual(
    checkSpecText(text, file).diagnostics.map((d) => d.rule),
    ['input-data-unbound'],
  );
  const spec = await loadSpec(file, {
    overrides: ['inputs.data=./sample', 'jobs.batch_score.mini_batch_size=1'],
    cwd: dir,
  });
  assert.equal(spec.parallelNodes[0].inputData.path, path.join(dir, 'sample'));
  assert.equal(spec.parallelNodes[0].miniBatchSize, 1);
});

test("jobs.<node>.inputs.<name>.path over a pipeline binding keeps the bound input's type", async () => {
  const text = yaml(
    'type: pipeline',
    'inputs:',
    '  table:',
    '    type: mltable',
    '    path: azureml:iris:1',
    'jobs:',
    '  score:',
    '    type: parallel',
    '    inputs:',
    '      table: ${{parent.inputs.table}}',
    '    input_data: ${{inputs.table}}',
    '    task:',
    '      entry_script: score.py',
  );
  const dir = writeTree({ 'pipeline.yml': text, 'score.py': '', 'iris.csv': 'a\n1\n' });
  const spec = await loadSpec(path.join(dir, 'pipeline.yml'), {
    overrides: ['jobs.score.inputs.table.path=iris.csv'],
    cwd: dir,
  });
  const data = spec.parallelNodes[0].inputData;
  assert.equal(data.kind, 'tabular');
  assert.deepEqual(data.kind === 'tabular' && data.files, [path.join(dir, 'iris.csv')]);
});
