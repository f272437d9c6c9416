/**
 * Writes the spec YAML for an entry script that has none: an `az ml` v2 pipeline with one parallel node,
 * in the shape of samples/digits/pipeline.yml (the scaffold's pipeline template), so the same file runs
 * locally and submits to Azure ML. Here: where the file goes and the paths relative to it.
 */
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeAmlignore } from './amlignore';
import { nodeNameFor } from './templates/names';
import { pipelineSpec } from './templates/pipeline-spec';

/** Placeholders for submission, as in the digits sample; a local run reads neither. */
const DEFAULT_COMPUTE = 'azureml:cpu-cluster';
const DEFAULT_ENVIRONMENT = 'azureml:AzureML-sklearn-1.0-ubuntu20.04-py38-cpu@latest';

export interface SpecDraft {
  /** Absolute path of the entry script. */
  entryScript: string;
  /** Absolute path the YAML is written to (see specFileFor). */
  specFile: string;
  /** The data split into mini-batches: a folder or file of files, or a table (MLTable folder, CSV/TSV/JSON lines file). */
  input: { type: 'uri_folder' | 'uri_file' | 'mltable'; path: string };
  /** Files per mini-batch (`10`) for file inputs; approximate bytes (`1mb`) for tables. */
  miniBatchSize: string;
  /** Processes per node (max_concurrency_per_instance). */
  processes: number;
}

/** Where the spec for `entryScript` goes: `pipeline.yml` beside it, else `<stem>-pipeline.yml`, never an existing file. */
export function specFileFor(entryScript: string, exists: (file: string) => boolean = existsSync): string {
  const dir = path.dirname(entryScript);
  const stem = path.basename(entryScript).replace(/\.py$/, '');
  const candidates = ['pipeline.yml', `${stem}-pipeline.yml`];
  for (let n = 2; n < 100; n++) candidates.push(`${stem}-pipeline-${n}.yml`);
  return path.join(dir, candidates.find((name) => !exists(path.join(dir, name))) ?? `${stem}-pipeline-${Date.now()}.yml`);
}

/** The YAML text for a draft; every path in it is relative to the spec's folder. */
export function specText(draft: SpecDraft): string {
  const specDir = path.dirname(draft.specFile);
  const node = nodeNameFor(path.basename(draft.entryScript).replace(/\.py$/, ''));
  const tabular = draft.input.type === 'mltable';
  return pipelineSpec({
    nodeName: node,
    entryScript: path.basename(draft.entryScript),
    code: relativePath(specDir, path.dirname(draft.entryScript)),
    inputKind: tabular ? 'tabular' : 'files',
    inputType: draft.input.type,
    inputPath: relativePath(specDir, draft.input.path),
    modelType: 'uri_folder',
    miniBatchSize: draft.miniBatchSize.trim(),
    processes: Math.max(1, Math.floor(draft.processes)),
    nodes: 1,
    appendRowFileName: `${node}_outputs.txt`,
    compute: DEFAULT_COMPUTE,
    environment: DEFAULT_ENVIRONMENT,
  });
}

/** Writes the draft's YAML; refuses to replace an existing file. Resolves with the file's path. */
export async function writeSpec(draft: SpecDraft): Promise<string> {
  await fs.writeFile(draft.specFile, specText(draft), { encoding: 'utf8', flag: 'wx' });
  // The script beside the spec means `code: .`: keep runs and data out of the snapshot az ml uploads.
  const specDir = path.dirname(draft.specFile);
  if (path.resolve(path.dirname(draft.entryScript)) === path.resolve(specDir)) await writeAmlignore(specDir, [draft.input.path]);
  return draft.specFile;
}

/** `./data`, `../shared/table`, `.`: relative to the spec folder, with forward slashes like az ml writes. */
function relativePath(from: string, to: string): string {
  const rel = path.relative(from, to).split(path.sep).join('/');
  if (rel === '') return '.';
  if (path.isAbsolute(rel)) return rel;
  return rel.startsWith('..') ? rel : `./${rel}`;
}
