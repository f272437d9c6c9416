/**
 * Partitioning: turning a parallel job's `input_data` into the mini-batches the engine schedules, with the
 * cloud's rules (see shared/reference/parallel-run-semantics.md, "Partitioning"):
 * - files: `mini_batch_size` files per mini-batch, in a stable order (see listFiles.ts);
 * - tabular: byte ranges of about `mini_batch_size` bytes, whole records, never crossing a file;
 * - partition_keys (wins over mini_batch_size): one mini-batch per folder-key combination (files) or per
 *   column-value combination (tabular, through `python -m prs_worker.partition`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { InputData, ParallelJob } from '../../spec/types';
import { throwIfAborted } from './abort';
import { splitDelimitedFile } from './delimited';
import { partitionByFormat, partitionFiles } from './files';
import { splitJsonLinesFile } from './jsonLines';
import { listFiles, statSizes } from './listFiles';
import { partitionTableByKeys } from './pythonPartition';
import type { FileSplit } from './scan';
import { rowSteps, rowWindow } from './window';
import { compilePartitionFormat, partitionValues } from './partitionFormat';
import type { TableEncoding, TableStep } from '../../spec/types';
import type { MiniBatch, SampleOptions } from './types';

export { AbortError } from './abort';
export { CsvScanner, findRecordBoundaries, splitDelimitedFile } from './delimited';
export type { DelimitedSplitOptions } from './delimited';
export { partitionByFormat, partitionFiles } from './files';
export { compilePartitionFormat, partitionValues } from './partitionFormat';
export { rowWindow } from './window';
export { splitJsonLinesFile } from './jsonLines';
export { listFiles, listRelativeFiles, sortByteOrder, statSizes } from './listFiles';
export { partitionTableByKeys } from './pythonPartition';
export type { ByteRange, FileSplit, SplitOptions } from './scan';
export type { MiniBatch, MiniBatchData, PartitionSummary, SampleOptions } from './types';

export interface PlanOptions {
  sample?: SampleOptions;
  /** Interpreter that runs `prs_worker.partition` (tabular partition_keys only). */
  python: string;
  /** Folder to put on PYTHONPATH so that `prs_worker` imports. */
  pythonPath: string;
  /** Scratch folder for the partitioner's request/result JSON and pickles. */
  workDir: string;
  signal?: AbortSignal;
}

type FilesInput = Extract<InputData, { kind: 'files' }>;
type TabularInput = Extract<InputData, { kind: 'tabular' }>;

/** Files split at the same time when no sample limit asks to stop early. */
const SPLIT_CONCURRENCY = 4;

/** The mini-batches of `job`, numbered 0.. in scheduling order. */
export async function planMiniBatches(job: ParallelJob, options: PlanOptions): Promise<MiniBatch[]> {
  const { signal } = options;
  throwIfAborted(signal);
  const sample = options.sample ?? {};
  checkCount('miniBatches', sample.miniBatches);
  checkCount('items', sample.items);
  const input = job.inputData;
  const keys = job.partitionKeys?.length ? job.partitionKeys : undefined;
  let batches: MiniBatch[];
  if (input.kind === 'files') batches = await planFiles(input, job.miniBatchSize, keys, sample, signal);
  else if (keys) batches = await planTableByKeys(input, keys, sample, options);
  else if (rowWindow(input.tabular.steps).start > 0 || input.tabular.format === 'parquet')
    batches = await planSkippedTable(input, job.miniBatchSize, sample, options);
  else batches = await planTable(input, job.miniBatchSize, sample, signal);
  throwIfAborted(signal);
  batches.forEach((b, i) => (b.index = i));
  return batches;
}

function checkCount(name: string, n: number | undefined): void {
  if (n !== undefined && !(Number.isInteger(n) && n >= 0)) throw new Error(`sample.${name} must be a whole number ≥ 0, got ${n}.`);
}

async function planFiles(
  input: FilesInput,
  miniBatchSize: number,
  keys: string[] | undefined,
  sample: SampleOptions,
  signal: AbortSignal | undefined,
): Promise<MiniBatch[]> {
  const root = path.resolve(input.path);
  let files: string[];
  if (sample.files) {
    files = await checkSampleFiles(input, sample.files);
  } else if (input.files) {
    files = input.files; // an MLTable's paths, in its order
  } else {
    if (input.type === 'uri_file') {
      const st = await fs.promises.stat(root).catch((err: Error) => {
        throw new Error(`Input file ${root} cannot be read: ${err.message}`, { cause: err });
      });
      if (!st.isFile()) throw new Error(`Input ${input.inputName} is a uri_file, but ${root} is not a file.`);
      files = [root];
    } else files = await listFiles(root, { signal });
  }
  if (sample.items !== undefined) files = files.slice(0, sample.items);

  if (keys) {
    if (input.partitionFormat === undefined)
      throw new Error(
        `partition_keys [${keys.join(', ')}] name partition columns, but the input ${input.inputName} (${root}) has no ` +
          'partition format: make it an MLTable with extract_columns_from_partition_format.',
      );
    let batches = partitionByFormat(files, input.partitionFormat, keys);
    if (sample.miniBatches !== undefined) batches = batches.slice(0, sample.miniBatches);
    // Sizes only for the files that run.
    const chosen = batches.flatMap((b) => (b.data as { files: string[] }).files);
    const sizes = await statSizes(chosen, { signal });
    let k = 0;
    for (const b of batches) {
      const n = (b.data as { files: string[] }).files.length;
      for (let j = 0; j < n; j++) b.bytes += sizes[k++];
    }
    return batches;
  }
  const size = Math.max(1, Math.floor(miniBatchSize) || 1);
  if (sample.miniBatches !== undefined) files = files.slice(0, sample.miniBatches * size);
  return partitionFiles(files, size, await statSizes(files, { signal }));
}

/** sample.files for a file input: each must exist inside the input; the order given is kept. */
async function checkSampleFiles(input: FilesInput, given: string[]): Promise<string[]> {
  const root = path.resolve(input.path);
  const out: string[] = [];
  const listed = input.files && new Set(input.files.map((f) => path.resolve(f)));
  for (const f of given) {
    const abs = path.resolve(f);
    if (listed && !listed.has(abs))
      throw new Error(`Sample file ${abs} is not one of the files of the input ${input.inputName} (${input.source ?? root}).`);
    const rel = path.relative(root, abs);
    const inside = listed
      ? true
      : input.type === 'uri_file'
        ? abs === root
        : rel !== '' && rel !== '..' && !rel.startsWith('..' + path.sep) && !path.isAbsolute(rel);
    if (!inside) throw new Error(`Sample file ${abs} is not inside the input ${input.inputName} (${root}).`);
    const st = await fs.promises.stat(abs).catch(() => undefined);
    if (!st?.isFile()) throw new Error(`Sample file ${abs} does not exist or is not a file.`);
    out.push(abs);
  }
  return out;
}

/** sample.files for a table: each must be one of its data files; the order given is kept. */
function tableSampleFiles(input: TabularInput, given: string[] | undefined): string[] {
  if (!given) return input.files;
  const known = new Set(input.files.map((f) => path.resolve(f)));
  return given.map((f) => {
    const abs = path.resolve(f);
    if (!known.has(abs))
      throw new Error(`Sample file ${abs} is not one of the data files of the input ${input.inputName} (${input.tabular.source}).`);
    return abs;
  });
}

/**
 * `skip` needs every row's position in the whole table, which byte ranges do not know, and parquet has no
 * byte ranges: the Python partitioner reads the table in order, keeps the window and cuts it into pickles of
 * about mini_batch_size (parquet: whole row groups).
 */
async function planSkippedTable(
  input: TabularInput,
  miniBatchSize: number,
  sample: SampleOptions,
  options: PlanOptions,
): Promise<MiniBatch[]> {
  const window = rowWindow(input.tabular.steps);
  if (sample.items !== undefined) window.end = Math.min(window.end, window.start + sample.items);
  let batches = await partitionTableByKeys(input, [], {
    python: options.python,
    pythonPath: options.pythonPath,
    workDir: options.workDir,
    files: sample.files ? tableSampleFiles(input, sample.files) : undefined,
    signal: options.signal,
    window,
    miniBatchSize,
  });
  if (sample.miniBatches !== undefined) batches = batches.slice(0, sample.miniBatches);
  return batches;
}

async function planTableByKeys(input: TabularInput, keys: string[], sample: SampleOptions, options: PlanOptions): Promise<MiniBatch[]> {
  let batches = await partitionTableByKeys(input, keys, {
    python: options.python,
    pythonPath: options.pythonPath,
    workDir: options.workDir,
    files: sample.files ? tableSampleFiles(input, sample.files) : undefined,
    signal: options.signal,
  });
  if (sample.items !== undefined) {
    // A pickled group cannot be cut: keep whole groups until they hold at least N rows.
    let rows = 0;
    let n = 0;
    while (n < batches.length && rows < sample.items) rows += batches[n++].items ?? 0;
    batches = batches.slice(0, n);
  }
  if (sample.miniBatches !== undefined) batches = batches.slice(0, sample.miniBatches);
  return batches;
}

async function planTable(
  input: TabularInput,
  miniBatchSize: number,
  sample: SampleOptions,
  signal: AbortSignal | undefined,
): Promise<MiniBatch[]> {
  const { delimiter, header, encoding, read } = input.tabular;
  if (input.tabular.format === 'parquet') throw new Error('parquet tables are planned by prs_worker.partition, not in byte ranges.');
  const format = input.tabular.format;
  const files = tableSampleFiles(input, sample.files);
  // `take` with nothing skipped before it: the first N records, as a sample of N items would be.
  const takeEnd = rowWindow(input.tabular.steps).end;
  if (Number.isFinite(takeEnd)) sample = { ...sample, items: Math.min(sample.items ?? Infinity, takeEnd) };
  const steps = rowSteps(input.tabular.steps);
  checkPartitionFormats(files, steps);
  const extra: { encoding?: typeof encoding; read?: typeof read; steps?: typeof steps } = {};
  if (encoding !== 'utf8') extra.encoding = encoding;
  if (read && Object.keys(read).length > 0) extra.read = read;
  if (steps.length > 0) extra.steps = steps;
  const first = input.files[0] === undefined ? undefined : path.resolve(input.files[0]);
  const everyFileHasHeader = format === 'delimited' && (header === 'all_files_same_headers' || header === 'all_files_different_headers');
  const hasHeader = (file: string): boolean =>
    everyFileHasHeader || (format === 'delimited' && header === 'from_first_file' && path.resolve(file) === first);

  // from_first_file, all_files_same_headers: every file's ranges name the first file's header (the library
  // reads the column names from the first file; the other files' first rows are skipped, not read as names).
  let sharedHeader: { file: string; end: number } | null = null;
  if (format === 'delimited' && (header === 'from_first_file' || header === 'all_files_same_headers') && first !== undefined) {
    const split = await splitDelimitedFile(first, { delimiter, hasHeader: true, miniBatchSize, maxRanges: 0, signal });
    // An empty first file has no header to lend: each file then names its own columns.
    if (split.headerEnd) sharedHeader = { file: first, end: split.headerEnd };
  }

  const split = (file: string, maxRanges?: number, maxRecords?: number): Promise<FileSplit> => {
    const opts = { miniBatchSize, maxRanges, maxRecords, signal };
    return format === 'json_lines'
      ? splitJsonLinesFile(file, opts)
      : splitDelimitedFile(file, { ...opts, delimiter, hasHeader: hasHeader(file) });
  };
  const toBatches = (file: string, s: FileSplit): MiniBatch[] => {
    const headerRef = format !== 'delimited' || header === 'no_header' ? null : (sharedHeader ?? { file, end: s.headerEnd ?? 0 });
    return s.ranges.map((r) => ({
      index: 0,
      data: { kind: 'range', file, start: r.start, end: r.end, format, delimiter, header: headerRef, ...extra },
      bytes: r.end - r.start,
      partitionKeyValue: {},
    }));
  };

  const out: MiniBatch[] = [];
  if (sample.miniBatches === undefined && sample.items === undefined) {
    // No early stop: split a few files at once, keep the input's order.
    const results = new Array<FileSplit>(files.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < files.length) {
        throwIfAborted(signal);
        const i = next++;
        results[i] = await split(files[i]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(SPLIT_CONCURRENCY, files.length) }, worker));
    files.forEach((f, i) => out.push(...toBatches(f, results[i])));
    return header === 'all_files_different_headers' && format === 'delimited' ? withColumnUnion(out, delimiter, encoding) : out;
  }

  let rangesLeft = sample.miniBatches ?? Infinity;
  let recordsLeft = sample.items;
  for (const file of files) {
    if (rangesLeft <= 0 || recordsLeft === 0) break;
    throwIfAborted(signal);
    const s = await split(file, Number.isFinite(rangesLeft) ? rangesLeft : undefined, recordsLeft);
    const batches = toBatches(file, s);
    out.push(...batches);
    rangesLeft -= batches.length;
    if (recordsLeft !== undefined) recordsLeft -= s.records ?? 0;
  }
  return header === 'all_files_different_headers' && format === 'delimited' ? withColumnUnion(out, delimiter, encoding) : out;
}

/** Every file must fit each extract_columns_from_partition_format step: said once here, not by every mini-batch. */
function checkPartitionFormats(files: readonly string[], steps: readonly TableStep[]): void {
  for (const step of steps) {
    if (step.op !== 'extract_columns_from_partition_format') continue;
    const compiled = compilePartitionFormat(step.partitionFormat);
    const stray = files.find((f) => partitionValues(f, compiled) === undefined);
    if (stray !== undefined)
      throw new Error(
        `${stray} does not fit the partition format "${step.partitionFormat}" of the MLTable's extract_columns_from_partition_format ` +
          "(it describes the end of each path): move the file into that layout or change the MLTable's paths to leave it out.",
      );
  }
}

/**
 * all_files_different_headers: the library combines the files' columns by name, so every mini-batch gets
 * the union of the header names (in order of first appearance); a file's missing columns are null.
 */
async function withColumnUnion(batches: MiniBatch[], delimiter: string, encoding: TableEncoding): Promise<MiniBatch[]> {
  const union: string[] = [];
  const seen = new Set<string>();
  const done = new Set<string>();
  for (const b of batches) {
    const d = b.data;
    if (d.kind !== 'range' || !d.header || done.has(d.header.file)) continue;
    done.add(d.header.file);
    const fh = await fs.promises.open(d.header.file, 'r');
    try {
      const buf = Buffer.alloc(d.header.end);
      await fh.read(buf, 0, d.header.end, 0);
      for (const name of headerNames(buf, delimiter, encoding)) {
        if (seen.has(name)) continue;
        seen.add(name);
        union.push(name);
      }
    } finally {
      await fh.close();
    }
  }
  for (const b of batches) if (b.data.kind === 'range') b.data.columns = union;
  return batches;
}

/** The field names of a header record (CSV quoting honoured). */
export function headerNames(record: Buffer, delimiter: string, encoding: TableEncoding): string[] {
  let text = record.toString(encoding === 'utf8' || encoding === 'utf8bom' || encoding === 'ascii' ? 'utf8' : 'latin1');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  text = text.replace(/\r?\n$/, '');
  const names: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (text.startsWith(delimiter, i)) {
      names.push(field);
      field = '';
      i += delimiter.length - 1;
    } else field += ch;
  }
  names.push(field);
  return names;
}
