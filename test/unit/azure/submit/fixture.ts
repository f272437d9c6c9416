// A small project to submit: a pipeline with a parallel node, inline environment, code with .amlignore, local data.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function project(compute = 'azureml:cpu-cluster'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'prs-submit-'));
  const files: Record<string, string> = {
    'src/score.py': 'def init():\n    pass\n\ndef run(batch):\n    return batch\n',
    'src/.amlignore': 'scratch/\n',
    'src/scratch/notes.txt': 'not uploaded',
    'data/images/a.png': 'A',
    'data/images/b.png': 'B',
    'model/m.onnx': 'M',
    'env/conda.yml': 'dependencies:\n  - python=3.10\n',
    'pipeline.yml': `type: pipeline
display_name: digits-test
experiment_name: digits
tags: {sample: digits}
settings:
  default_compute: ${compute}
inputs:
  images: {type: uri_folder, path: ./data/images, mode: ro_mount}
  model: {type: uri_folder, path: ./model, mode: download}
  registered: {type: uri_folder, path: "azureml:digits:1", mode: ro_mount}
  batch_size: 5
outputs:
  results: {type: uri_folder, mode: rw_mount}
jobs:
  score:
    type: parallel
    inputs:
      images: \${{parent.inputs.images}}
      model: \${{parent.inputs.model}}
    outputs:
      results: \${{parent.outputs.results}}
    input_data: \${{inputs.images}}
    mini_batch_size: \${{parent.inputs.batch_size}}
    resources: {instance_count: 2}
    max_concurrency_per_instance: 2
    task:
      type: run_function
      code: ./src
      entry_script: score.py
      environment:
        image: mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest
        conda_file: ./env/conda.yml
      program_arguments: --model \${{inputs.model}}
      append_row_to: \${{outputs.results}}
`,
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}
