/**
 * Scaffolding for new parallel jobs: an entry script that honours the driver's contract, and the
 * pipeline YAML that runs it. Plain text out; writing files is the caller's business.
 */
import { filesEntryScript } from './templates/files-entry-script';
import { entryScriptNameProblem, nodeNameFor } from './templates/names';
import { pipelineSpec } from './templates/pipeline-spec';
import { tabularEntryScript } from './templates/tabular-entry-script';
import { DRIVER_DEFAULTS } from '../spec/driver-defaults';

export { entryScriptNameProblem, nodeNameFor } from './templates/names';

export type InputKind = 'files' | 'tabular';

export interface EntryScriptOptions {
  kind: InputKind;
  /** The script's module name (the file is `<name>.py`). */
  name: string;
  /** Read `--model` in init() and load the model once. Default false. */
  modelArg?: boolean;
  /** Tabular: the column that identifies a row. Default `row_id`. */
  keyColumn?: string;
}

export interface SpecOptions {
  nodeName: string;
  /** task.entry_script, e.g. `score.py`. */
  entryScript: string;
  inputKind: InputKind;
  /** The data to split, relative to the YAML's folder (`./data`) or absolute. */
  inputPath: string;
  /** Files: a count (`10`). Tabular: a size string (`1mb`). */
  miniBatchSize: string | number;
  /** max_concurrency_per_instance. */
  processes: number;
  /** resources.instance_count. */
  nodes: number;
  /** `--append_row_file_name`: the append_row output's file name. */
  appendRowFileName: string;
  /** Files input as a single file (`uri_file`) rather than a folder. Default false. */
  inputIsFile?: boolean;
  /** task.code relative to the YAML's folder. Default `.` (the script beside the YAML). */
  code?: string;
  /** A model folder or file passed to the script as `--model ${{inputs.model}}`. */
  modelPath?: string;
  modelIsFile?: boolean;
  /** settings.default_compute. Default `azureml:cpu-cluster`. */
  compute?: string;
  /** task.environment. Default the curated scikit-learn CPU environment the digits sample uses. */
  environment?: string;
}

export const DEFAULT_MINI_BATCH_SIZE: Record<InputKind, string> = {
  files: String(DRIVER_DEFAULTS.miniBatchFiles),
  tabular: DRIVER_DEFAULTS.miniBatchBytesText.toLowerCase(),
};
export const DEFAULT_ENVIRONMENT = 'azureml:AzureML-sklearn-1.0-ubuntu20.04-py38-cpu@latest';
const SIZE = /^\d+([kKmMgG][bB])*$/;

/** The text of `<name>.py`: init() / run(mini_batch) / shutdown() for a file or a tabular input. */
export function renderEntryScript(options: EntryScriptOptions): string {
  const problem = entryScriptNameProblem(options.name);
  if (problem) throw new Error(problem);
  const modelArg = options.modelArg ?? false;
  if (options.kind === 'files') return filesEntryScript({ name: options.name, modelArg });
  const keyColumn = options.keyColumn ?? 'row_id';
  return tabularEntryScript({ name: options.name, modelArg, keyColumn });
}

/** Why a mini_batch_size is not valid for this kind of input, or undefined. */
export function miniBatchSizeProblem(kind: InputKind, size: string): string | undefined {
  const text = size.trim();
  if (kind === 'files')
    return /^[1-9]\d*$/.test(text) ? undefined : 'For files, mini_batch_size is a number of files: a whole number from 1.';
  return SIZE.test(text) && !/^0+([kKmMgG][bB])*$/.test(text)
    ? undefined
    : 'For a table, mini_batch_size is a size in bytes such as 100kb, 1mb or 1gb.';
}

/** Why an --append_row_file_name is not a plain file name, or undefined. */
export function appendRowFileNameProblem(name: string): string | undefined {
  // The v1 SDK refuses these characters; whitespace would split program_arguments.
  return name === '' || /[<>:"?/\\{|}\s']/.test(name)
    ? `"${name}" is not a plain file name (no folders, spaces or < > : " ? / \\ { | }).`
    : undefined;
}

/** The text of `<name>.yml`: an `az ml` v2 pipeline with one `type: parallel` node. */
export function renderSpec(options: SpecOptions): string {
  const nodeName = nodeNameFor(options.nodeName);
  const miniBatchSize = String(options.miniBatchSize).trim();
  const problem = miniBatchSizeProblem(options.inputKind, miniBatchSize) ?? appendRowFileNameProblem(options.appendRowFileName);
  if (problem) throw new Error(problem);
  for (const [what, n] of [
    ['processes', options.processes],
    ['nodes', options.nodes],
  ] as const) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`${what} must be a whole number from 1, got ${n}.`);
  }
  return pipelineSpec({
    nodeName,
    entryScript: options.entryScript,
    code: options.code ?? '.',
    inputKind: options.inputKind,
    inputType: options.inputKind === 'tabular' ? 'mltable' : options.inputIsFile ? 'uri_file' : 'uri_folder',
    inputPath: options.inputPath,
    modelPath: options.modelPath,
    modelType: options.modelIsFile ? 'uri_file' : 'uri_folder',
    miniBatchSize,
    processes: options.processes,
    nodes: options.nodes,
    appendRowFileName: options.appendRowFileName,
    compute: options.compute ?? 'azureml:cpu-cluster',
    environment: options.environment ?? DEFAULT_ENVIRONMENT,
  });
}
