/** The `az ml` v2 pipeline YAML around one parallel node, in the style of samples/digits/pipeline.yml. */
import { DRIVER_DEFAULTS as D } from '../../spec/driver-defaults';
import { binding, yamlString } from './names';

export interface PipelineSpecParams {
  nodeName: string;
  /** task.entry_script, relative to task.code. */
  entryScript: string;
  /** task.code, relative to the YAML's folder. */
  code: string;
  inputKind: 'files' | 'tabular';
  inputType: 'uri_folder' | 'uri_file' | 'mltable';
  /** The data split into mini-batches, relative to the YAML's folder (or absolute). */
  inputPath: string;
  /** When set, a `model` input passed to the entry script as `--model`. */
  modelPath?: string;
  modelType: 'uri_folder' | 'uri_file';
  /** Files: a count. Tabular: a size string such as `1mb`. */
  miniBatchSize: string;
  processes: number;
  nodes: number;
  appendRowFileName: string;
  compute: string;
  environment: string;
}

export function pipelineSpec(p: PipelineSpecParams): string {
  const files = p.inputKind === 'files';
  const inputName = files ? 'data' : 'table';
  const mode = p.inputType === 'mltable' ? 'direct' : 'ro_mount';
  const what = files ? `the files of ${p.inputPath}` : `the rows of ${p.inputPath}`;
  const per = files ? `${p.miniBatchSize} files` : `about ${p.miniBatchSize} of rows`;
  const processes = p.processes === 1 ? '1 process' : `${p.processes} processes`;
  const nodes = p.nodes === 1 ? '1 node' : `${p.nodes} nodes`;
  const model = p.modelPath !== undefined;
  const args = [...(model ? [`--model ${binding('inputs.model')}`] : []), `--append_row_file_name ${p.appendRowFileName}`];

  return `$schema: https://azuremlschemas.azureedge.net/latest/pipelineJob.schema.json
type: pipeline

# A pipeline with one parallel node: ${p.entryScript} over ${what}, ${per} per mini-batch,
# on ${nodes} x ${processes}. Run it here first ("Run locally"), then submit it: az ml job create -f <this file>
display_name: ${p.nodeName}
experiment_name: ${p.nodeName}

settings:
  # The compute cluster that runs the job in Azure ML: one of your workspace's clusters.
  default_compute: ${yamlString(p.compute)}

inputs:
  # Local paths are uploaded when the job is submitted.
  ${inputName}:
    type: ${p.inputType}
    path: ${yamlString(p.inputPath)}
    mode: ${mode}
${
  model
    ? `  model:
    type: ${p.modelType}
    path: ${yamlString(p.modelPath!)}
    mode: download
`
    : ''
}
outputs:
  results:
    type: uri_folder
    mode: rw_mount

jobs:
  ${p.nodeName}:
    type: parallel
    inputs:
      ${inputName}: ${binding(`parent.inputs.${inputName}`)}
${model ? `      model: ${binding('parent.inputs.model')}\n` : ''}    outputs:
      results: ${binding('parent.outputs.results')}

    # The input split into mini-batches. ${
      files
        ? 'Files: mini_batch_size counts files.'
        : 'A table: mini_batch_size is an approximate size in bytes ("1mb" = 1,048,576),\n    # and a mini-batch never spans two files.'
    }
    input_data: ${binding(`inputs.${inputName}`)}
    mini_batch_size: "${p.miniBatchSize}"
    # Failed items (error_threshold) or mini-batches (mini_batch_error_threshold) allowed before the job
    # stops; -1 never stops it.
    error_threshold: ${D.errorThreshold}
    mini_batch_error_threshold: ${D.miniBatchErrorThreshold}
    logging_level: ${D.loggingLevel}
    resources:
      instance_count: ${p.nodes} # nodes (v1 node_count)
    max_concurrency_per_instance: ${p.processes} # worker processes per node (v1 process_count_per_node)
    retry_settings:
      max_retries: ${D.maxRetries} # retries after the first try (v1 run_max_try counts tries: ${D.maxRetries + 1})
      timeout: ${D.timeout} # seconds one run() call may take (v1 run_invocation_timeout)

    task:
      type: run_function
      # Uploaded as the job's snapshot: a .amlignore file in it keeps data and outputs out.
      code: ${yamlString(p.code)}
      entry_script: ${yamlString(p.entryScript)}
${
  files ? '' : '      # Reading an mltable input in the cloud needs the mltable and azureml-dataset-runtime packages.\n'
}      environment: ${yamlString(p.environment)}
      # The driver takes its own options (--append_row_file_name, ...); the rest reach the entry script.
      program_arguments: >-
        ${args.join('\n        ')}
      # append_row: every result run() returns becomes a line of results/${p.appendRowFileName}.
      append_row_to: ${binding('outputs.results')}
`;
}
