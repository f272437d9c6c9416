/**
 * Everything "New Entry Script from Model…" writes: the entry script, its pipeline YAML and the conda file
 * the cloud builds the environment from. Pure: text in, text out; the caller writes the files.
 */
import { renderSpec } from '../templates';
import { onnxEntryScript } from './entry-script';
import type { ModelPlan } from './plan';

export interface ModelScaffoldOptions {
  plan: ModelPlan;
  /** The script's module name: `<name>.py`, `<name>.yml`. */
  name: string;
  /** The data to score, relative to the YAML's folder. */
  inputPath: string;
  /** The folder holding the model, relative to the YAML's folder. */
  modelFolder: string;
  miniBatchSize?: string;
  appendRowFileName?: string;
  /** The conda file's name beside the spec. Default conda.yml. */
  condaFileName?: string;
}

export interface ModelScaffold {
  entryScript: string;
  spec: string;
  conda: string;
}

/** The docker image of the generated environment: Azure ML's CPU base image. */
export const BASE_IMAGE = 'mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest';
export const CONDA_FILE_NAME = 'conda.yml';

/** Script, spec and conda file for a model plan; the spec expects all three in one folder. */
export function modelScaffold(options: ModelScaffoldOptions): ModelScaffold {
  const { plan, name } = options;
  const condaName = options.condaFileName ?? CONDA_FILE_NAME;
  const tabular = plan.kind === 'tabular';
  const spec = renderSpec({
    nodeName: name,
    entryScript: `${name}.py`,
    inputKind: tabular ? 'tabular' : 'files',
    inputPath: options.inputPath,
    miniBatchSize: options.miniBatchSize ?? (tabular ? '1mb' : '10'),
    processes: 2,
    nodes: 1,
    appendRowFileName: options.appendRowFileName ?? `${name}_results.txt`,
    modelPath: options.modelFolder,
    environment: '__environment__',
  });
  const environmentLine = /^( *)environment: .*__environment__.*$/m;
  if (!environmentLine.test(spec)) throw new Error('internal: the spec template has no environment line');
  const inline = (indent: string) =>
    `${indent}# Built in the cloud from ${condaName} beside this file (onnxruntime, numpy${plan.kind === 'images' ? ', Pillow' : ''}${tabular ? ', pandas, mltable' : ''} and the driver's packages).\n` +
    `${indent}environment:\n${indent}  image: ${BASE_IMAGE}\n${indent}  conda_file: ./${condaName}`;
  return {
    entryScript: onnxEntryScript(plan, name),
    spec: spec.replace(environmentLine, (_m, indent: string) => inline(indent)),
    conda: condaFile(plan),
  };
}

/**
 * The conda file: Python and the packages the script imports, pinned, plus what the parallel driver itself
 * needs on the cluster (azureml-core, azureml-dataset-runtime[fuse] for mounted inputs; mltable for tables),
 * as the azureml-examples parallel jobs list them.
 */
export function condaFile(plan: ModelPlan): string {
  const pip = ['onnxruntime==1.20.1', 'numpy==1.26.4'];
  if (plan.kind === 'images') pip.push('pillow==10.4.0');
  if (plan.kind === 'tabular') pip.push('pandas==2.2.3', 'mltable==1.6.1');
  pip.push('azureml-core==1.57.0', 'azureml-dataset-runtime[fuse]==1.57.0');
  return `# The environment of the parallel job: the entry script's packages and the driver's, pinned so that
# every run builds the same image. onnxruntime 1.20 reads models up to IR version 10 (opset 21).
name: onnx-batch-inference
channels:
  - conda-forge
dependencies:
  - python=3.10
  - pip
  - pip:
${pip.map((p) => `      - ${p}`).join('\n')}
`;
}
