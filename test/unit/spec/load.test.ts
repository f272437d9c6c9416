import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as os from 'os';
import * as path from 'path';
import { SpecError, checkSpecText, loadSpec, type ParallelJob } from '../../../src/core/spec';
import { TUTORIAL_FILES, writeTree, yaml } from './fixture';

async function onlyNode(dir: string, file = 'pipeline.yml', options = {}): Promise<ParallelJob> {
  const spec = await loadSpec(path.join(dir, file), { cpuCount: 3, ...options });
  assert.equal(spec.parallelNodes.length, 1);
  return spec.parallelNodes[0];
}

test('reads the tutorial pipeline: sizes, thresholds, 2 nodes × 2 processes, append_row and the model path', async () => {
  const dir = writeTree(TUTORIAL_FILES);
  const spec = await loadSpec(path.join(dir, 'pipeline.yml'));
  assert.equal(spec.file, path.join(dir, 'pipeline.yml'));
  assert.deepEqual(spec.warnings, []);
  const job = spec.parallelNodes[0];
  assert.equal(job.nodeName, 'batch_prediction');
  assert.deepEqual([job.location.line, job.location.column], [17, 3]);
  assert.deepEqual(job.inputData, {
    kind: 'files',
    inputName: 'images',
    type: 'uri_folder',
    path: path.join(dir, 'mnist'),
  });
  assert.equal(job.miniBatchSize, 5);
  assert.equal(job.miniBatchSizeText, '5');
  assert.equal(job.errorThreshold, 10);
  assert.equal(job.miniBatchErrorThreshold, -1);
  assert.equal(job.loggingLevel, 'DEBUG');
  assert.equal(job.instanceCount, 2);
  assert.equal(job.maxConcurrencyPerInstance, 2);
  assert.deepEqual(job.retrySettings, { maxRetries: 3, timeout: 30 });
  assert.equal(job.task.codeDir, path.join(dir, 'scripts'));
  assert.equal(job.task.entryScriptPath, path.join(dir, 'scripts', 'digit_identification.py'));
  assert.equal(job.task.appendRowTo, 'job_output');
  assert.equal(job.task.environment, 'azureml:AzureML-sklearn-1.0:1');
  assert.deepEqual(job.task.programArguments, [
    '--model',
    path.join(dir, 'model'),
    '--append_row_file_name',
    'MNIST_Outputs.txt',
    '--threshold',
    '0.5',
  ]);
  assert.equal(job.driver.appendRowFileName, 'mnist_outputs.txt');
  assert.deepEqual(job.userArguments, ['--model', path.join(dir, 'model'), '--threshold', '0.5']);
  assert.deepEqual(job.inputs.model, { name: 'model', type: 'uri_folder', path: path.join(dir, 'model') });
  assert.deepEqual(job.outputs.job_output, { name: 'job_output', type: 'uri_folder' });
  assert.equal(job.compute, 'azureml:cpu-cluster');
});

const MINIMAL = yaml(
  'type: pipeline',
  'inputs:',
  '  data:',
  '    type: uri_folder',
  '    path: ./data',
  'jobs:',
  '  score:',
  '    type: parallel',
  '    inputs:',
  '      data: ${{parent.inputs.data}}',
  '    input_data: ${{inputs.data}}',
  '    task:',
  '      entry_script: score.py',
);

test('fills the documented defaults when the node leaves fields out', async () => {
  const dir = writeTree({ 'pipeline.yml': MINIMAL, 'data/a.txt': 'a', 'score.py': '' });
  const job = await onlyNode(dir);
  assert.equal(job.miniBatchSize, 10);
  assert.equal(job.miniBatchSizeText, '10');
  assert.equal(job.errorThreshold, -1);
  assert.equal(job.miniBatchErrorThreshold, -1);
  assert.equal(job.loggingLevel, 'INFO');
  assert.equal(job.instanceCount, 1);
  assert.equal(job.maxConcurrencyPerInstance, 3);
  assert.deepEqual(job.retrySettings, { maxRetries: 2, timeout: 60 });
  assert.equal(job.task.codeDir, dir);
  assert.equal(job.task.appendRowTo, undefined);
  assert.equal(job.driver.appendRowFileName, 'parallel_run_step.txt');
  assert.equal(job.driver.allowedFailedPercent, 100);
  assert.deepEqual(job.task.programArguments, []);
  assert.equal(job.partitionKeys, undefined);
});

test("processes per node default to this machine's CPU count, as the driver's os.cpu_count()", async () => {
  const dir = writeTree({ 'pipeline.yml': MINIMAL, 'data/a.txt': 'a', 'score.py': '' });
  const spec = await loadSpec(path.join(dir, 'pipeline.yml'));
  assert.equal(spec.parallelNodes[0].maxConcurrencyPerInstance, os.cpus().length);
});

test('a tabular input defaults to 1MB mini-batches', async () => {
  const text = MINIMAL.replace('type: uri_folder', 'type: mltable').replace('./data', './table.csv');
  const dir = writeTree({ 'pipeline.yml': text, 'table.csv': 'a,b\n1,2\n', 'score.py': '' });
  const job = await onlyNode(dir);
  assert.equal(job.miniBatchSize, 1048576);
  assert.equal(job.miniBatchSizeText, '1MB');
  assert.equal(job.inputData.kind, 'tabular');
});

test('a tabular mini_batch_size is a size string in bytes', async () => {
  const text = MINIMAL.replace('type: uri_folder', 'type: mltable').replace('./data', './table.csv') + '    mini_batch_size: 10kb\n';
  const dir = writeTree({ 'pipeline.yml': text, 'table.csv': 'a,b\n1,2\n', 'score.py': '' });
  const job = await onlyNode(dir);
  assert.equal(job.miniBatchSize, 10240);
  assert.equal(job.miniBatchSizeText, '10kb');
});

test('mini_batch_size and other scalars can be bound to literal pipeline inputs', async () => {
  const text = yaml(
    'type: pipeline',
    'inputs:',
    '  data:',
    '    type: uri_folder',
    '    path: ./data',
    '  batch_size_param: 4',
    '  retries:',
    '    type: integer',
    '    default: 5',
    '  level: WARNING',
    'jobs:',
    '  score:',
    '    type: parallel',
    '    inputs:',
    '      data: ${{parent.inputs.data}}',
    '    input_data: ${{inputs.data}}',
    '    mini_batch_size: ${{parent.inputs.batch_size_param}}',
    '    logging_level: ${{ parent.inputs.level }}',
    '    retry_settings:',
    '      max_retries: ${{parent.inputs.retries}}',
    '    task:',
    '      entry_script: score.py',
  );
  const dir = writeTree({ 'pipeline.yml': text, 'data/a.txt': 'a', 'score.py': '' });
  const job = await onlyNode(dir);
  assert.equal(job.miniBatchSize, 4);
  assert.equal(job.miniBatchSizeText, '4');
  assert.equal(job.loggingLevel, 'WARNING');
  assert.equal(job.retrySettings.maxRetries, 5);
});

test('literal pipeline inputs reach program_arguments through node inputs, booleans as Python prints them', async () => {
  const text = yaml(
    'type: pipeline',
    'inputs:',
    '  data:',
    '    type: uri_file',
    '    path: ./list.txt',
    '  threshold: 0.5',
    '  verbose: true',
    '  label: "cats and dogs"',
    'outputs:',
    '  scores:',
    'jobs:',
    '  score:',
    '    type: parallel',
    '    inputs:',
    '      data: ${{parent.inputs.data}}',
    '      threshold: ${{parent.inputs.threshold}}',
    '      verbose: ${{parent.inputs.verbose}}',
    '      label: ${{parent.inputs.label}}',
    '    outputs:',
    '      scores: ${{parent.outputs.scores}}',
    '    input_data: ${{inputs.data}}',
    '    task:',
    '      entry_script: score.py',
    '      program_arguments: >-',
    '        --threshold ${{inputs.threshold}} --verbose ${{inputs.verbose}}',
    '        --label ${{inputs.label}} --out ${{outputs.scores}}/part',
  );
  const dir = writeTree({ 'pipeline.yml': text, 'list.txt': 'a', 'score.py': '' });
  const job = await onlyNode(dir);
  assert.deepEqual(job.inputData, {
    kind: 'files',
    inputName: 'data',
    type: 'uri_file',
    path: path.join(dir, 'list.txt'),
  });
  assert.deepEqual(job.task.programArguments, [
    '--threshold',
    '0.5',
    '--verbose',
    'True',
    '--label',
    'cats and dogs',
    '--out',
    '${{outputs.scores}}/part',
  ]);
  assert.deepEqual(job.inputs.threshold, { name: 'threshold', type: 'literal', value: 0.5 });
});

test('a node input written as {type, path, mode} is read relative to the YAML file', async () => {
  const text = yaml(
    'type: pipeline',
    'jobs:',
    '  score:',
    '    type: parallel',
    '    inputs:',
    '      images:',
    '        type: uri_folder',
    '        path: ../shared/images',
    '        mode: download',
    '    input_data: ${{inputs.images}}',
    '    task:',
    '      entry_script: score.py',
  );
  const dir = writeTree({ 'spec/pipeline.yml': text, 'spec/score.py': '', 'shared/images/a.png': 'x' });
  const job = await onlyNode(dir, 'spec/pipeline.yml');
  assert.deepEqual(job.inputs.images, {
    name: 'images',
    type: 'uri_folder',
    path: path.join(dir, 'shared', 'images'),
    mode: 'download',
  });
});

test('a dotted entry_script names a module: batch_score.main is code/batch_score/main.py', async () => {
  const text = MINIMAL.replace('      entry_script: score.py', '      code: ./src\n      entry_script: batch_score.main');
  const dir = writeTree({ 'pipeline.yml': text, 'data/a.txt': 'a', 'src/batch_score/main.py': '' });
  const job = await onlyNode(dir);
  assert.equal(job.task.entryScript, 'batch_score.main');
  assert.equal(job.task.entryScriptPath, path.join(dir, 'src', 'batch_score', 'main.py'));
});

const COMPONENT = yaml(
  '$schema: https://azuremlschemas.azureedge.net/latest/parallelComponent.schema.json',
  'type: parallel',
  'name: batch_score',
  'version: 1',
  'inputs:',
  '  job_data_path:',
  '    type: mltable',
  '    description: The data to score.',
  '  score_model:',
  '    type: uri_folder',
  'outputs:',
  '  job_out_path:',
  '    type: uri_file',
  'input_data: ${{inputs.job_data_path}}',
  'mini_batch_size: "100"',
  'logging_level: DEBUG',
  'retry_settings:',
  '  timeout: 90',
  '  max_retries: 1',
  'task:',
  '  type: run_function',
  '  code: ./src',
  '  entry_script: tabular_run_with_model.py',
  '  program_arguments: --model ${{inputs.score_model}}',
  '  append_row_to: ${{outputs.job_out_path}}',
);

function pipelineUsing(componentRef: string): string {
  return yaml(
    'type: pipeline',
    'inputs:',
    '  job_data_path:',
    '    type: mltable',
    '    path: ./iris.csv',
    '  score_model:',
    '    type: uri_folder',
    '    path: ./model',
    'jobs:',
    '  batch_inference_node:',
    '    type: parallel',
    `    component: ${componentRef}`,
    '    inputs:',
    '      job_data_path: ${{parent.inputs.job_data_path}}',
    '      score_model: ${{parent.inputs.score_model}}',
    '    mini_batch_size: 5kb',
    '    retry_settings:',
    '      max_retries: 4',
    '    max_concurrency_per_instance: 2',
  );
}

for (const [form, ref] of [
  ['a path', './components/parallel_component.yml'],
  ['file:', 'file:./components/parallel_component.yml'],
]) {
  test(`a node with component: (${form}) takes the component's fields, its own fields winning`, async () => {
    const dir = writeTree({
      'pipeline.yml': pipelineUsing(ref),
      'components/parallel_component.yml': COMPONENT,
      'components/src/tabular_run_with_model.py': '',
      'iris.csv': 'a,b\n1,2\n',
      'model/m.pkl': 'x',
    });
    const job = await onlyNode(dir);
    assert.equal(job.nodeName, 'batch_inference_node');
    assert.equal(job.miniBatchSize, 5120);
    assert.equal(job.loggingLevel, 'DEBUG');
    assert.deepEqual(job.retrySettings, { maxRetries: 4, timeout: 90 });
    assert.equal(job.maxConcurrencyPerInstance, 2);
    assert.equal(job.task.codeDir, path.join(dir, 'components', 'src'));
    assert.equal(job.task.appendRowTo, 'job_out_path');
    assert.deepEqual(job.outputs.job_out_path, { name: 'job_out_path', type: 'uri_file' });
    assert.deepEqual(job.task.programArguments, ['--model', path.join(dir, 'model')]);
    assert.equal(job.inputData.kind, 'tabular');
    assert.deepEqual(job.inputData.kind === 'tabular' && job.inputData.files, [path.join(dir, 'iris.csv')]);
  });
}

test('a node without type: parallel is still parallel when its component is', async () => {
  const dir = writeTree({
    'pipeline.yml': pipelineUsing('./components/parallel_component.yml').replace('    type: parallel\n', ''),
    'components/parallel_component.yml': COMPONENT,
    'components/src/tabular_run_with_model.py': '',
    'iris.csv': 'a,b\n1,2\n',
    'model/m.pkl': 'x',
  });
  const job = await onlyNode(dir);
  assert.equal(job.nodeName, 'batch_inference_node');
});

test('node types a local run cannot run are a warning, not an error', async () => {
  const text = yaml(
    'type: pipeline',
    'jobs:',
    '  prep:',
    '    type: spark',
    '    anything_goes: ${{inputs.whatever}}',
    '  sweep_step:',
    '    type: sweep',
    '  score:',
    '    type: parallel',
    '    inputs:',
    '      data:',
    '        type: uri_folder',
    '        path: ./data',
    '    input_data: ${{inputs.data}}',
    '    task:',
    '      entry_script: score.py',
  );
  const dir = writeTree({ 'pipeline.yml': text, 'data/a.txt': 'a', 'score.py': '' });
  const spec = await loadSpec(path.join(dir, 'pipeline.yml'));
  assert.deepEqual(
    spec.parallelNodes.map((n) => n.nodeName),
    ['score'],
  );
  assert.deepEqual(
    spec.warnings.map((w) => [w.rule, w.location.line]),
    [
      ['node-not-local', 3],
      ['node-not-local', 6],
    ],
  );
});

test('a standalone parallel component is one node named after the component', async () => {
  const text = COMPONENT.replace('    description: The data to score.\n', '    path: ./table\n').replace(
    '  score_model:\n    type: uri_folder\n',
    '  score_model:\n    type: uri_folder\n    path: ./model\n',
  );
  const dir = writeTree({
    'component.yml': text,
    'table/part-1.csv': 'a\n1\n',
    'table/part-0.csv': 'a\n0\n',
    'model/m.pkl': 'x',
    'src/tabular_run_with_model.py': '',
  });
  const spec = await loadSpec(path.join(dir, 'component.yml'), { cpuCount: 1 });
  const job = spec.parallelNodes[0];
  assert.equal(job.nodeName, 'batch_score');
  assert.deepEqual([job.location.line, job.location.column], [3, 7]);
  assert.equal(job.miniBatchSize, 100);
  assert.equal(job.maxConcurrencyPerInstance, 1);
  assert.deepEqual(job.inputData.kind === 'tabular' && job.inputData.files, [
    path.join(dir, 'table', 'part-0.csv'),
    path.join(dir, 'table', 'part-1.csv'),
  ]);
  assert.deepEqual(job.task.programArguments, ['--model', path.join(dir, 'model')]);
});

test('partition_keys are read and mini_batch_size beside them draws a warning', async () => {
  const text =
    MINIMAL.replace('type: uri_folder', 'type: mltable') + '    partition_keys:\n      - Store\n      - Brand\n    mini_batch_size: "3"\n';
  const mltable =
    'paths:\n  - pattern: ./**/*.txt\ntransformations:\n  - extract_columns_from_partition_format: "{Store}/{Brand}/{f}.txt"\n';
  const dir = writeTree({ 'pipeline.yml': text, 'data/MLTable': mltable, 'data/S1/x/a.txt': 'a', 'score.py': '' });
  const spec = await loadSpec(path.join(dir, 'pipeline.yml'));
  assert.deepEqual(spec.parallelNodes[0].partitionKeys, ['Store', 'Brand']);
  assert.equal(spec.warnings.length, 1);
  assert.equal(spec.warnings[0].rule, 'partition-keys-mini-batch-size');
  assert.deepEqual([spec.warnings[0].location.line, spec.warnings[0].location.column], [17, 22]);
});

test('driver thresholds given as v1-style arguments win over the node fields, as argparse keeps the last', async () => {
  const text =
    MINIMAL.replace('      entry_script: score.py', '      entry_script: score.py\n      program_arguments: --error_threshold 7') +
    '    error_threshold: 2\n';
  const dir = writeTree({ 'pipeline.yml': text, 'data/a.txt': 'a', 'score.py': '' });
  const spec = await loadSpec(path.join(dir, 'pipeline.yml'));
  const job = spec.parallelNodes[0];
  assert.equal(job.errorThreshold, 7);
  assert.equal(job.driver.errorThreshold, 7);
  assert.deepEqual(
    spec.warnings.map((w) => [w.rule, w.location.line]),
    [['driver-argument-override', 14]],
  );
});

test('environment variables of the node and of the task are both passed, as strings', async () => {
  const text =
    MINIMAL.replace('      entry_script: score.py', '      entry_script: score.py\n      environment_variables:\n        B: 2') +
    '    environment_variables:\n      A: yes\n      B: 1\n';
  const dir = writeTree({ 'pipeline.yml': text, 'data/a.txt': 'a', 'score.py': '' });
  const job = await onlyNode(dir);
  assert.deepEqual(job.environmentVariables, { A: 'yes', B: '2' });
});

test('loadSpec throws a SpecError listing every error as file:line:col', async () => {
  const text = MINIMAL + '    mini_batch_size: lots\n    logging_level: LOUD\n';
  const dir = writeTree({ 'pipeline.yml': text, 'data/a.txt': 'a', 'score.py': '' });
  const file = path.join(dir, 'pipeline.yml');
  await assert.rejects(loadSpec(file), (e: unknown) => {
    assert.ok(e instanceof SpecError);
    assert.deepEqual(
      e.diagnostics.map((d) => d.rule),
      ['size-string', 'logging-level'],
    );
    assert.match(e.message, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:14:22: error: `));
    assert.match(e.message, /:15:20: error: logging_level `LOUD`/);
    return true;
  });
});

test('loadSpec reports a missing spec file as a SpecError', async () => {
  await assert.rejects(
    loadSpec('/nonexistent/spec.yml'),
    (e: unknown) => e instanceof SpecError && e.diagnostics[0].rule === 'file-not-found',
  );
});

test('a remote input_data is fine when the spec is read for submission (local: false)', async () => {
  const text = MINIMAL.replace('./data', 'azureml://datastores/workspaceblobstore/paths/mnist/');
  const dir = writeTree({ 'pipeline.yml': text, 'score.py': '' });
  const job = await onlyNode(dir, 'pipeline.yml', { local: false });
  assert.deepEqual(job.inputData, {
    kind: 'files',
    inputName: 'data',
    type: 'uri_folder',
    path: '',
    remote: 'azureml://datastores/workspaceblobstore/paths/mnist/',
  });
  assert.equal(job.inputs.data.remote, 'azureml://datastores/workspaceblobstore/paths/mnist/');
  const local = checkSpecText(text, path.join(dir, 'pipeline.yml'));
  assert.deepEqual(
    local.diagnostics.map((d) => d.rule),
    ['remote-input'],
  );
});

test("reads the azureml-examples iris pipeline as written (environment map, driver options, a typo'd option)", async () => {
  const text = yaml(
    '$schema: https://azuremlschemas.azureedge.net/latest/pipelineJob.schema.json',
    'type: pipeline',
    'display_name: iris-batch-prediction-using-parallel',
    'description: The hello world pipeline job with inline parallel job',
    'tags:',
    '  tag: tagvalue',
    'settings:',
    '  default_compute: azureml:cpu-cluster',
    'jobs:',
    '  batch_prediction:',
    '    type: parallel',
    '    compute: azureml:cpu-cluster',
    '    inputs:',
    '      input_data: ',
    '        type: mltable',
    '        path: ./neural-iris-mltable',
    '        mode: direct',
    '      score_model: ',
    '        type: uri_folder',
    '        path: ./iris-model',
    '        mode: download',
    '    outputs:',
    '      job_output_file:',
    '        type: uri_file',
    '        mode: rw_mount',
    '    input_data: ${{inputs.input_data}}',
    '    mini_batch_size: "10kb"',
    '    resources:',
    '        instance_count: 2',
    '    max_concurrency_per_instance: 2',
    '    logging_level: "DEBUG"',
    '    mini_batch_error_threshold: 5',
    '    retry_settings:',
    '      max_retries: 2',
    '      timeout: 60',
    '    task:',
    '      type: run_function',
    '      code: "./script"',
    '      entry_script: iris_prediction.py',
    '      environment:',
    '        name: "prs-env"',
    '        version: 1',
    '        image: mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04',
    '        conda_file: ./environment/environment_parallel.yml',
    '      program_arguments: >-',
    '        --model ${{inputs.score_model}}',
    '        --error_threshold 5',
    '        --allowed_failed_percent 30',
    '        --task_overhead_timeout 1200',
    '        --progress_update_timeout 600',
    '        --first_task_creation_timeout 600',
    '        --copy_logs_to_parent True',
    '        --resource_monitor_interva 20',
    '      append_row_to: ${{outputs.job_output_file}}',
  );
  const mltable = yaml(
    'type: mltable',
    'paths:',
    '  - pattern: ./*.csv',
    'transformations:',
    '  - read_delimited:',
    "      delimiter: ','",
    '      header: all_files_same_headers',
  );
  const dir = writeTree({
    'pipeline.yml': text,
    'neural-iris-mltable/MLTable': mltable,
    'neural-iris-mltable/Iris.csv': 'a,b\n1,2\n',
    'iris-model/model.pkl': 'x',
    'script/iris_prediction.py': '',
  });
  const spec = await loadSpec(path.join(dir, 'pipeline.yml'));
  const job = spec.parallelNodes[0];
  assert.deepEqual(spec.warnings, []);
  assert.equal(job.miniBatchSize, 10240);
  assert.equal(job.miniBatchErrorThreshold, 5);
  assert.equal(job.errorThreshold, 5);
  assert.equal(job.task.environment, 'mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04');
  assert.equal(job.driver.allowedFailedPercent, 30);
  assert.equal(job.driver.taskOverheadTimeout, 1200);
  assert.equal(job.driver.progressUpdateTimeout, 600);
  assert.deepEqual(job.driver.other, { copy_logs_to_parent: 'True' });
  assert.deepEqual(job.userArguments, ['--model', path.join(dir, 'iris-model'), '--resource_monitor_interva', '20']);
  assert.deepEqual(job.inputData.kind === 'tabular' && job.inputData.files, [path.join(dir, 'neural-iris-mltable', 'Iris.csv')]);
  assert.equal(job.compute, 'azureml:cpu-cluster');
});
