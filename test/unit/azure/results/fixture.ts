// A finished cloud job as the service leaves it: the job body (a pipeline with one parallel node), the step in
// run history, its code with a parallel_run_step.settings.json, and its outputs in the datastore's container.
import {
  ContainerSASPermissions,
  generateBlobSASQueryParameters,
  StorageSharedKeyCredential,
  type ContainerClient,
} from '@azure/storage-blob';
import type { FakeArm } from '../../../fakes/arm/server';
import { jobBody, type Json } from '../../../fakes/arm/world';

export const account = { name: 'localtestsa', key: 'ZmFrZS1hY2NvdW50LWtleQ==' };
export const containerName = 'azureml-blobstore-00000000-test';
/** A seeded job whose run history has the step `job-00000-step` named batch_inference_node. */
export const jobName = 'job-00000';
export const stepRunId = 'job-00000-step';

/** What the entry script returned, as the driver wrote it with `sep=","` from the job's settings file. */
export const cloudRows = ['0.png,0', '1.png,1', '2.png,2', '3.png,3'];

/** Rewrites the seeded job as a pipeline with a parallel node writing append_row to a pipeline output. */
export function putParallelJob(
  fake: FakeArm,
  name = jobName,
  outputs: Json = { digit_results: { jobOutputType: 'uri_folder', mode: 'ReadWriteMount' } },
  extra: Json = {},
): void {
  const wid = fake.testWorkspaceId;
  fake.put(
    jobBody(
      wid,
      name,
      {
        status: 'Completed',
        properties: {
          inputs: {
            digit_images: {
              jobInputType: 'uri_folder',
              uri: 'azureml://datastores/workspaceblobstore/paths/LocalUpload/1111/images',
              mode: 'ReadOnlyMount',
            },
            digit_model: { jobInputType: 'uri_folder', uri: 'azureml:digits-model-data:1', mode: 'Download' },
            batch_size: { jobInputType: 'literal', value: '5' },
          },
          outputs,
          settings: { default_compute: `${wid}/computes/cpu-cluster` },
          jobs: {
            batch_inference_node: {
              type: 'parallel',
              name: 'batch_inference_node',
              inputs: {
                images: { job_input_type: 'literal', value: '${{parent.inputs.digit_images}}' },
                model: { job_input_type: 'literal', value: '${{parent.inputs.digit_model}}' },
              },
              outputs: { results: { type: 'literal', value: '${{parent.outputs.digit_results}}' } },
              input_data: '${{inputs.images}}',
              mini_batch_size: '${{parent.inputs.batch_size}}',
              resources: { instance_count: 2 },
              max_concurrency_per_instance: 2,
              error_threshold: 10,
              mini_batch_error_threshold: 5,
              retry_settings: { max_retries: 2, timeout: 60 },
              logging_level: 'INFO',
              task: {
                type: 'run_function',
                code: `azureml:${wid}/codes/c0de/versions/1`,
                entry_script: 'digit_identification.py',
                environment: 'azureml:AzureML-sklearn-1.0-ubuntu20.04-py38-cpu@latest',
                program_arguments: '--model ${{inputs.model}} --append_row_file_name MNIST_Outputs.txt',
                append_row_to: '${{outputs.results}}',
              },
            },
          },
          ...extra,
        },
      },
      fake.endpoint,
    ),
  );
}

/** The job's code version and its settings file (comma-separated rows). */
export async function putCode(fake: FakeArm, container: ContainerClient, blobEndpoint: string): Promise<void> {
  const wid = fake.testWorkspaceId;
  fake.put({
    id: `${wid}/codes/c0de/versions/1`,
    name: '1',
    type: 'Microsoft.MachineLearningServices/workspaces/codes/versions',
    properties: { codeUri: `${blobEndpoint}/${containerName}/LocalUpload/c0de/src`, isAnonymous: true },
  });
  await put(container, 'LocalUpload/c0de/src/digit_identification.py', 'def run(b):\n    return b\n');
  await put(
    container,
    'LocalUpload/c0de/src/parallel_run_step.settings.json',
    JSON.stringify({ append_row: { 'pandas.DataFrame.to_csv': { sep: ',' } } }),
  );
}

export async function put(container: ContainerClient, name: string, text: string): Promise<void> {
  await container.getBlockBlobClient(name).upload(text, Buffer.byteLength(text));
}

/** The step's outputs where the service puts them by default: `azureml/<step run id>/<output>/`. */
export async function putOutputs(container: ContainerClient, prefix = `azureml/${stepRunId}/results/`): Promise<void> {
  await put(container, `${prefix}mnist_outputs.txt`, cloudRows.join('\n') + '\n');
  await put(container, `${prefix}extra/notes.txt`, 'written by the entry script\n');
}

/** A container SAS token for `localtestsa`, valid until `expiresOn`. */
export function sasToken(expiresOn: Date): string {
  return generateBlobSASQueryParameters(
    { containerName, permissions: ContainerSASPermissions.parse('rl'), startsOn: new Date(Date.now() - 3600_000), expiresOn },
    new StorageSharedKeyCredential(account.name, account.key),
  ).toString();
}
