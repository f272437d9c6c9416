/** Spec fixtures written to a fresh temp folder per test, so every path in them is real. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const written: string[] = [];
process.on('exit', () => {
  for (const dir of written) fs.rmSync(dir, { recursive: true, force: true });
});

/** Writes `files` (relative path → content; a trailing `/` makes an empty folder) and returns the folder. */
export function writeTree(files: Record<string, string>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'spec-test-')));
  written.push(root);
  for (const [relative, content] of Object.entries(files)) {
    const target = path.join(root, relative);
    if (relative.endsWith('/')) {
      fs.mkdirSync(target, { recursive: true });
      continue;
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
  }
  return root;
}

/** Joins lines, so tests can count the line numbers their assertions name. */
export function yaml(...lines: string[]): string {
  return lines.join('\n') + '\n';
}

/** The digit-identification tutorial as an az ml v2 pipeline (lines are numbered in the comments). */
export const TUTORIAL_PIPELINE = yaml(
  '$schema: https://azuremlschemas.azureedge.net/latest/pipelineJob.schema.json', // 1
  'type: pipeline', // 2
  'display_name: mnist-batch', // 3
  'settings:', // 4
  '  default_compute: azureml:cpu-cluster', // 5
  'inputs:', // 6
  '  mnist:', // 7
  '    type: uri_folder', // 8
  '    path: ./mnist', // 9
  '  model:', // 10
  '    type: uri_folder', // 11
  '    path: ./model', // 12
  'outputs:', // 13
  '  scores:', // 14
  '    type: uri_folder', // 15
  'jobs:', // 16
  '  batch_prediction:', // 17
  '    type: parallel', // 18
  '    inputs:', // 19
  '      images: ${{parent.inputs.mnist}}', // 20
  '      model: ${{parent.inputs.model}}', // 21
  '    outputs:', // 22
  '      job_output: ${{parent.outputs.scores}}', // 23
  '    input_data: ${{inputs.images}}', // 24
  '    mini_batch_size: "5"', // 25
  '    error_threshold: 10', // 26
  '    logging_level: DEBUG', // 27
  '    resources:', // 28
  '      instance_count: 2', // 29
  '    max_concurrency_per_instance: 2', // 30
  '    retry_settings:', // 31
  '      max_retries: 3', // 32
  '      timeout: 30', // 33
  '    task:', // 34
  '      type: run_function', // 35
  '      code: ./scripts', // 36
  '      entry_script: digit_identification.py', // 37
  '      program_arguments: --model ${{inputs.model}} --append_row_file_name MNIST_Outputs.txt --threshold 0.5', // 38
  '      append_row_to: ${{outputs.job_output}}', // 39
  '      environment: azureml:AzureML-sklearn-1.0:1', // 40
);

export const TUTORIAL_FILES: Record<string, string> = {
  'pipeline.yml': TUTORIAL_PIPELINE,
  'mnist/0.png': 'x',
  'mnist/1.png': 'x',
  'model/model.onnx': 'x',
  'scripts/digit_identification.py': 'def run(mini_batch):\n    return mini_batch\n',
};

/** A pipeline whose parallel node `score` reads the mltable input at `tablePath` (score.py beside the spec). */
export function tablePipeline(tablePath: string): string {
  return yaml(
    'type: pipeline',
    'inputs:',
    '  table:',
    '    type: mltable',
    `    path: ${tablePath}`,
    'jobs:',
    '  score:',
    '    type: parallel',
    '    inputs:',
    '      table: ${{parent.inputs.table}}',
    '    input_data: ${{inputs.table}}',
    '    task:',
    '      entry_script: score.py',
  );
}
