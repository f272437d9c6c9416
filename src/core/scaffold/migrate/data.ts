/**
 * v1 data → v2 inputs: FileDataset → uri_folder/uri_file (MLTable with extract_columns_from_partition_format
 * when it has a partition_format), TabularDataset → MLTable with read_delimited, registered datasets →
 * `azureml:<name>@latest`, datastore paths → `azureml://datastores/<store>/paths/<path>`.
 */
import * as path from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { stringify } from 'yaml';
import type { MappingRow, SideFile } from './plan';
import { literalOf, type Value } from './values';

export interface DataInput {
  /** The `{type, path, mode}` map of the pipeline input. */
  spec: Record<string, unknown>;
  /** A file to write beside the spec (an MLTable), if any. */
  file?: SideFile;
  /** An MLTable the user has to put beside cloud data: the report shows it. */
  table?: CloudTable;
  rows: MappingRow[];
}

export interface CloudTable {
  input: string;
  folder: string;
  text: string;
}

export interface DataContext {
  /** Folder of the v1 file: relative paths in it are relative to this. */
  baseDir: string;
  outDir: string;
  /** The input name, used for the MLTable's folder. */
  inputName: string;
  step?: string;
  /** A size-string mini_batch_size: a registered dataset is then a table. */
  tabularHint: boolean;
}

const REMOTE = /^(azureml:|https?:\/\/|wasbs?:\/\/|abfss?:\/\/|adl:\/\/)/i;

/** Where a dataset path points in v2 terms: an azureml:// or URL string, or a local path relative to the output folder. */
function location(v: Value, ctx: DataContext): { text: string; local?: string } | undefined {
  if (v.t === 'dsPath') return { text: `azureml://datastores/${v.store}/paths/${v.path.replace(/^\/+/, '')}` };
  const lit = literalOf(v);
  if (lit && typeof lit.v === 'string') {
    if (REMOTE.test(lit.v)) return { text: lit.v };
    const abs = path.resolve(ctx.baseDir, lit.v);
    return { text: relativeTo(ctx.outDir, abs), local: abs };
  }
  return undefined;
}

export function relativeTo(from: string, to: string): string {
  const rel = path.relative(from, to).split(path.sep).join('/');
  return rel === '' ? '.' : rel.startsWith('.') ? rel : `./${rel}`;
}

/** The pipeline input for a v1 dataset, with the MLTable to write where one is needed. */
export function dataInput(ds: Value, mode: string | undefined, ctx: DataContext): DataInput | undefined {
  const step = ctx.step;
  if (ds.t === 'registered') {
    const type = ctx.tabularHint ? 'mltable' : 'uri_folder';
    const ref = ds.version ? `azureml:${ds.name}:${ds.version}` : `azureml:${ds.name}@latest`;
    return {
      spec: { type, path: ref, ...(mode ? { mode } : {}) },
      rows: [
        {
          step,
          v1: ds.src,
          v2: `inputs.${ctx.inputName}: {type: ${type}, path: ${ref}}`,
          note: `A registered v1 dataset is read by name. Its kind is not in the code: \`${type}\` was chosen ${ctx.tabularHint ? 'because mini_batch_size is a size (a TabularDataset)' : 'as for a FileDataset'}; use \`mltable\` for a TabularDataset, \`uri_folder\` for a FileDataset.`,
          at: ds.at,
        },
      ],
    };
  }
  if (ds.t !== 'fileDs' && ds.t !== 'tabDs') return undefined;
  const places = ds.paths.map((p) => location(p, ctx));
  if (places.length === 0 || places.some((p) => p === undefined)) {
    return {
      spec: { type: ds.t === 'tabDs' ? 'mltable' : 'uri_folder', ...(mode ? { mode } : {}) },
      rows: [
        { step, v1: ds.src, note: 'The dataset path is computed at run time: set `path:` of this input by hand.', at: ds.at, manual: true },
      ],
    };
  }
  const located = places as { text: string; local?: string }[];
  const allLocal = located.every((p) => p.local);
  const needsTable =
    ds.t === 'tabDs' || ds.partitionFormat !== undefined || located.length > 1 || located.some((p) => p.text.includes('*'));
  if (!needsTable) {
    const only = located[0];
    const isFile = only.local
      ? existsSync(only.local) && !only.text.endsWith('/') && path.extname(only.local) !== '' && !isDir(only.local)
      : /\.[A-Za-z0-9]+$/.test(only.text);
    const type = isFile ? 'uri_file' : 'uri_folder';
    return {
      spec: { type, path: only.text, ...(mode ? { mode } : {}) },
      rows: [{ step, v1: ds.src, v2: `inputs.${ctx.inputName}: {type: ${type}, path: ${only.text}}`, at: ds.at }],
    };
  }
  // A table: an MLTable file, beside the spec when the data is here, else described for the user to register.
  const folder = `${ctx.inputName}`;
  const mltable = mltableText(ds, located, path.join(ctx.outDir, folder));
  const what =
    ds.t === 'tabDs' ? (ds.separator === 'parquet' ? 'read_parquet' : 'read_delimited') : 'extract_columns_from_partition_format';
  if (allLocal) {
    return {
      spec: { type: 'mltable', path: `./${folder}`, ...(mode ? { mode: mode === 'download' ? 'download' : 'ro_mount' } : {}) },
      file: { path: `${folder}/MLTable`, text: mltable },
      rows: [
        {
          step,
          v1: ds.src,
          v2: `inputs.${ctx.inputName}: {type: mltable, path: ./${folder}} (MLTable with ${what}, written beside the spec)`,
          at: ds.at,
        },
      ],
    };
  }
  // In the cloud: the MLTable file has to live beside the data (or be registered), so the input points at
  // the data's folder and the report gives the file to put there.
  const first = located[0].text;
  const cloudFolder = first.includes('*')
    ? first.slice(0, first.indexOf('*')).replace(/[^/]*$/, '')
    : first.replace(/[^/]*\.[A-Za-z0-9]+$/, '');
  const cloudTable = mltableText(ds, located, '');
  return {
    spec: { type: 'mltable', path: cloudFolder, ...(mode ? { mode: 'ro_mount' } : {}) },
    table: { input: ctx.inputName, folder: cloudFolder, text: cloudTable },
    rows: [
      {
        step,
        v1: ds.src,
        v2: `inputs.${ctx.inputName}: {type: mltable, path: ${cloudFolder}}`,
        note: `The data is in the cloud: put the MLTable file given in the report (${what}) into ${cloudFolder}, or register it as a data asset and use azureml:<name>@latest. A local run needs local data: --set inputs.${ctx.inputName}.path=<a folder with an MLTable over local files>.`,
        at: ds.at,
        manual: true,
      },
    ],
  };
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function mltableText(ds: Extract<Value, { t: 'fileDs' | 'tabDs' }>, located: { text: string; local?: string }[], tableDir: string): string {
  const paths = located.map((p) => {
    const text = p.local && tableDir ? relativeTo(tableDir, p.local) : p.text;
    if (text.includes('*')) return { pattern: text };
    if (p.local ? isDir(p.local) : text.endsWith('/')) return { folder: text };
    return p.local || /\.[A-Za-z0-9]+$/.test(text) ? { file: text } : { folder: text };
  });
  const transformations: unknown[] = [];
  if (ds.t === 'tabDs') {
    if (ds.separator === 'parquet') transformations.push('read_parquet');
    else {
      const header = literalOf(ds.header)?.v;
      const headerMode = header === false || header === 'NO_HEADER' ? 'no_header' : 'all_files_same_headers';
      transformations.push({ read_delimited: { delimiter: ds.separator ?? ',', header: headerMode, encoding: 'utf8' } });
    }
  }
  if (ds.partitionFormat) {
    transformations.push({ extract_columns_from_partition_format: { partition_format: ds.partitionFormat.replace(/^\/+/, '') } });
  }
  const doc: Record<string, unknown> = { paths };
  if (transformations.length) doc.transformations = transformations;
  return stringify(doc, { lineWidth: 0 });
}
