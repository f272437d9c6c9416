// The PipelineJob body: compared with the request azure-ai-ml sent and the service accepted
// (/work/shared/azure-spec/recorded/pipelinejob-parallel-put.json, reproduced field by field below).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { pipelineJobBody, type SubmitResolution } from '../../../../src/core/azure/submit/job-body';

const ws = { subscriptionId: 'sub', resourceGroup: 'rg', workspace: 'ws' };
const wid = '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws';

// The recorded job, written as a user would write its YAML.
const recordedYaml = `
type: pipeline
display_name: parallel_in_pipeline
experiment_name: parallel_in_pipeline
settings:
  default_compute: azureml:cpu-cluster
inputs:
  job_data_path: {type: mltable, path: ./neural-iris-mltable, mode: direct}
  score_model: {type: uri_folder, path: ./model/, mode: download}
jobs:
  batch_inference_node:
    type: parallel
    inputs:
      job_data_path: \${{parent.inputs.job_data_path}}
      score_model: \${{parent.inputs.score_model}}
    outputs:
      job_out_path: {type: uri_file, mode: rw_mount}
    input_data: \${{inputs.job_data_path}}
    mini_batch_size: "5"
    mini_batch_error_threshold: 5
    max_concurrency_per_instance: 2
    task:
      type: run_function
      code: ./src
      entry_script: tabular_run_with_model.py
      environment:
        image: mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04
        conda_file: ./env.yml
      program_arguments: >-
        --model \${{inputs.score_model}}
      append_row_to: \${{outputs.job_out_path}}
`;

const resolution: SubmitResolution = {
  ws,
  uploadedPaths: {
    '/specs/neural-iris-mltable': 'azureml://datastores/workspaceblobstore/paths/LocalUpload/h1/neural-iris-mltable',
    '/specs/model': 'azureml://datastores/workspaceblobstore/paths/LocalUpload/h2/model/',
  },
  codeIds: { batch_inference_node: `azureml:${wid}/codes/c0de/versions/1` },
  environmentIds: { batch_inference_node: `azureml:${wid}/environments/CliV2AnonymousEnvironment/versions/e1` },
};

test('pipeline fields are camelCase as recorded: type, names, inputs with uri and mode, settings.default_compute', () => {
  const p = pipelineJobBody(parse(recordedYaml), '/specs/pipeline.yml', resolution).properties;
  assert.equal(p.jobType, 'Pipeline');
  assert.equal(p.displayName, 'parallel_in_pipeline');
  assert.equal(p.experimentName, 'parallel_in_pipeline');
  assert.equal(p.isArchived, false);
  assert.deepEqual(p.properties, {});
  assert.deepEqual(p.tags, {});
  assert.deepEqual(p.inputs, {
    job_data_path: {
      mode: 'Direct',
      uri: 'azureml://datastores/workspaceblobstore/paths/LocalUpload/h1/neural-iris-mltable',
      jobInputType: 'mltable',
    },
    score_model: {
      mode: 'Download',
      uri: 'azureml://datastores/workspaceblobstore/paths/LocalUpload/h2/model/',
      jobInputType: 'uri_folder',
    },
  });
  assert.deepEqual(p.settings, { default_compute: `${wid}/computes/cpu-cluster` });
});

test('the parallel node is snake_case as recorded: task, input_data, sizes, bindings as literals', () => {
  const node = (
    pipelineJobBody(parse(recordedYaml), '/specs/pipeline.yml', resolution).properties.jobs as Record<string, Record<string, unknown>>
  ).batch_inference_node;
  assert.equal(node.type, 'parallel');
  assert.equal(node.name, 'batch_inference_node');
  assert.equal(node.mini_batch_size, 5, 'an int, as the service takes it');
  assert.equal(node.mini_batch_error_threshold, 5);
  assert.equal(node.max_concurrency_per_instance, 2);
  assert.equal(node.input_data, '${{inputs.job_data_path}}');
  assert.deepEqual(node.task, {
    type: 'run_function',
    code: `azureml:${wid}/codes/c0de/versions/1`,
    entry_script: 'tabular_run_with_model.py',
    program_arguments: '--model ${{inputs.score_model}}',
    append_row_to: '${{outputs.job_out_path}}',
    environment: `azureml:${wid}/environments/CliV2AnonymousEnvironment/versions/e1`,
  });
  assert.deepEqual(node.inputs, {
    job_data_path: { job_input_type: 'literal', value: '${{parent.inputs.job_data_path}}' },
    score_model: { job_input_type: 'literal', value: '${{parent.inputs.score_model}}' },
  });
  assert.deepEqual(node.outputs, { job_out_path: { job_output_type: 'uri_file', mode: 'ReadWriteMount' } });
});

test('literal pipeline inputs become parameters; cloud paths pass through; tags, partition_keys, retry settings, command nodes', () => {
  const doc = parse(`
type: pipeline
experiment_name: e
tags: {sample: digits, n: 2}
inputs:
  batch_size: 5
  verbose: true
  images: {type: uri_folder, path: azureml:digits:1, mode: ro_mount}
  raw: {type: uri_folder, path: azureml://datastores/workspaceblobstore/paths/raw/}
jobs:
  prep:
    type: command
    command: python prep.py --n \${{inputs.n}}
    code: ./prep
    environment: azureml:AzureML-sklearn-1.0-ubuntu20.04-py38-cpu@latest
    compute: azureml:gpu-cluster
    inputs: {n: '\${{parent.inputs.batch_size}}'}
    outputs: {out: {type: uri_folder}}
  score:
    type: parallel
    inputs: {data: '\${{parent.jobs.prep.outputs.out}}'}
    input_data: \${{inputs.data}}
    mini_batch_size: \${{parent.inputs.batch_size}}
    partition_keys: [Store, Brand]
    retry_settings: {max_retries: 2, timeout: 60}
    resources: {instance_count: 2}
    is_deterministic: false
    task: {type: run_function, code: ./src, entry_script: score.py, environment: azureml:env:3}
`);
  const r: SubmitResolution = {
    ws,
    uploadedPaths: {},
    codeIds: { prep: 'azureml:code-prep', score: 'azureml:code-score' },
    environmentIds: {},
  };
  const p = pipelineJobBody(doc, '/specs/p.yml', r).properties;
  assert.deepEqual(p.inputs, {
    batch_size: { jobInputType: 'literal', value: '5' },
    verbose: { jobInputType: 'literal', value: 'True' },
    images: { jobInputType: 'uri_folder', uri: 'azureml:digits:1', mode: 'ReadOnlyMount' },
    raw: { jobInputType: 'uri_folder', uri: 'azureml://datastores/workspaceblobstore/paths/raw/' },
  });
  assert.deepEqual(p.tags, { sample: 'digits', n: '2' });
  const jobs = p.jobs as Record<string, Record<string, unknown>>;
  assert.equal(jobs.score.mini_batch_size, '${{parent.inputs.batch_size}}', 'a binding stays a binding');
  assert.equal(jobs.score.partition_keys, '["Store","Brand"]');
  assert.deepEqual(jobs.score.retry_settings, { max_retries: 2, timeout: 60 });
  assert.deepEqual(jobs.score.resources, { instance_count: 2 });
  assert.equal(jobs.score.is_deterministic, false);
  assert.deepEqual(jobs.score.inputs, { data: { job_input_type: 'literal', value: '${{parent.jobs.prep.outputs.out}}' } });
  assert.equal((jobs.score.task as Record<string, unknown>).environment, 'azureml:env:3');
  assert.deepEqual(jobs.prep, {
    type: 'command',
    name: 'prep',
    compute: `${wid}/computes/gpu-cluster`,
    command: 'python prep.py --n ${{inputs.n}}',
    code: 'azureml:code-prep',
    environment: 'azureml:AzureML-sklearn-1.0-ubuntu20.04-py38-cpu@latest',
    inputs: { n: { job_input_type: 'literal', value: '${{parent.inputs.batch_size}}' } },
    outputs: { out: { job_output_type: 'uri_folder' } },
  });
  assert.equal(p.experimentName, 'e');
});

test('a local path that was not uploaded, or an inline environment not registered, is refused before anything is sent', () => {
  const doc = parse(recordedYaml);
  assert.throws(
    () => pipelineJobBody(doc, '/specs/pipeline.yml', { ...resolution, uploadedPaths: {} }),
    /Local path \.\/neural-iris-mltable \(\/specs\/neural-iris-mltable\) was not uploaded/,
  );
  assert.throws(
    () => pipelineJobBody(doc, '/specs/pipeline.yml', { ...resolution, environmentIds: {} }),
    /inline environment of node batch_inference_node was not registered/,
  );
});
