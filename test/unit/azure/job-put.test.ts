// The job PUT goes through the client's own pipeline and reaches the server with every input's uri and mode
// (the shape of the recorded azure-ai-ml request for a pipeline with a parallel node).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { putJob } from '../../../src/core/azure/resources/jobs';
import { useFakeArm } from './fake-arm';

const bed = useFakeArm();

function parallelPipelineBody(wid: string) {
  return {
    properties: {
      properties: {},
      tags: {},
      displayName: 'digits_parallel',
      experimentName: 'parallel-run-local',
      isArchived: false,
      jobType: 'Pipeline',
      inputs: {
        images: {
          jobInputType: 'uri_folder',
          mode: 'Direct',
          uri: 'azureml://datastores/workspaceblobstore/paths/LocalUpload/0f1e2d/images/',
        },
        model: {
          jobInputType: 'uri_file',
          mode: 'Download',
          uri: 'azureml://datastores/workspaceblobstore/paths/LocalUpload/9a8b7c/model.onnx',
        },
        table: {
          jobInputType: 'mltable',
          mode: 'EvalMount',
          uri: 'azureml://datastores/workspaceblobstore/paths/LocalUpload/5d6e7f/iris-mltable',
        },
      },
      jobs: {
        score: {
          type: 'parallel',
          name: 'score',
          task: {
            type: 'run_function',
            code: `azureml:${wid}/codes/digits-code/versions/1`,
            entry_script: 'score.py',
            program_arguments: '--model ${{inputs.model}}',
            append_row_to: '${{outputs.scores}}',
            environment: `azureml:${wid}/environments/sklearn-env/versions/1`,
          },
          input_data: '${{inputs.images}}',
          mini_batch_size: 5,
          max_concurrency_per_instance: 2,
          error_threshold: -1,
          mini_batch_error_threshold: 5,
          retry_settings: { max_retries: 2, timeout: 60 },
          logging_level: 'INFO',
          resources: { instance_count: 2 },
          inputs: {
            images: { job_input_type: 'literal', value: '${{parent.inputs.images}}' },
            model: { job_input_type: 'literal', value: '${{parent.inputs.model}}' },
          },
        },
      },
      outputs: {},
      settings: { default_compute: `${wid}/computes/cpu-cluster` },
    },
  };
}

test('putJob carries every input uri and mode and the snake_case parallel node to the server, unchanged', async () => {
  const body = parallelPipelineBody(bed.fake.testWorkspaceId);
  bed.fake.resetCounts();
  const job = await putJob(bed.ml, bed.ws, 'digits-parallel-1', body);
  assert.deepEqual([job.name, job.jobType, job.status], ['digits-parallel-1', 'Pipeline', 'NotStarted']);
  const put = bed.fake.requests.find((r) => r.route === 'jobs.put')!;
  assert.equal(put.query.get('api-version'), '2022-10-01');
  assert.match(put.authorization ?? '', /^Bearer \S+\.\S+\./, 'through the client pipeline: the bearer policy signed it');
  const sent = put.body as typeof body;
  for (const [name, input] of Object.entries(body.properties.inputs)) {
    assert.deepEqual(sent.properties.inputs[name as keyof typeof body.properties.inputs], input, `input ${name} arrives whole`);
  }
  assert.deepEqual(sent, body);
});

test('putJob retries a 503 like every other call (the pipeline keeps its retry policy)', async () => {
  bed.fake.resetCounts();
  bed.fake.inject('jobs.put', { status: 503, retryAfter: 0 });
  await putJob(bed.ml, bed.ws, 'digits-parallel-2', parallelPipelineBody(bed.fake.testWorkspaceId));
  assert.equal(bed.fake.calls('jobs.put'), 2);
});

test('why putJob exists: jobs.createOrUpdate of @azure/arm-machinelearning 2.1.1 drops the inputs uri and mode', async () => {
  // Azure/azure-sdk-for-js#29328. If this starts failing after an SDK upgrade, the workaround may go.
  const body = parallelPipelineBody(bed.fake.testWorkspaceId);
  bed.fake.resetCounts();
  await bed.ml.jobs.createOrUpdate(bed.ws.resourceGroup, bed.ws.workspace, 'sdk-path', body as any);
  const sent = bed.fake.requests.find((r) => r.route === 'jobs.put')!.body as {
    properties: { inputs: Record<string, Record<string, unknown>> };
  };
  assert.equal(sent.properties.inputs.images.uri, undefined);
  assert.equal(sent.properties.inputs.images.mode, undefined);
});
