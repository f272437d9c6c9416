/**
 * Tabular input with partition_keys: grouping rows by column values needs a real table reader, so it runs
 * `python -m prs_worker.partition` (see python/PROTOCOL.md), which pickles one DataFrame per key combination.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { InputData } from '../../spec/types';
import { AbortError, throwIfAborted } from './abort';
import type { MiniBatch } from './types';
import { rowSteps, rowWindow, type RowWindow } from './window';

type TabularInput = Extract<InputData, { kind: 'tabular' }>;

export interface PythonPartitionOptions {
  python: string;
  /** Folder put first on PYTHONPATH so that `prs_worker` imports. */
  pythonPath: string;
  /** Scratch folder: request/result JSON and the `partitions/` pickles go here. */
  workDir: string;
  /** Only these data files (default: all of the input's). */
  files?: string[];
  signal?: AbortSignal;
  /** Rows of the whole table to keep (default: the MLTable's skip/take). */
  window?: RowWindow;
  /** Without keys: about this many bytes of the source per pickle (whole rows, never across files). */
  miniBatchSize?: number;
}

interface PartitionResult {
  partitions: { file: string; rows: number; key: Record<string, unknown> }[];
}

/** Most stderr kept for an error message. */
const STDERR_LIMIT = 64 * 1024;

/** Runs the Python partitioner and returns one `pickle` mini-batch per key combination, in its order. */
export async function partitionTableByKeys(
  input: TabularInput,
  keys: readonly string[],
  options: PythonPartitionOptions,
): Promise<MiniBatch[]> {
  throwIfAborted(options.signal);
  const workDir = path.resolve(options.workDir);
  const outDir = path.join(workDir, 'partitions');
  await fs.promises.rm(outDir, { recursive: true, force: true });
  await fs.promises.mkdir(outDir, { recursive: true });
  const requestFile = path.join(workDir, 'partition-request.json');
  const resultFile = path.join(workDir, 'partition-result.json');
  await fs.promises.rm(resultFile, { force: true });

  let root = input.path;
  try {
    if (!(await fs.promises.stat(root)).isDirectory()) root = path.dirname(root);
  } catch {
    root = path.dirname(root);
  }
  const window = options.window ?? rowWindow(input.tabular.steps);
  const steps = rowSteps(input.tabular.steps);
  if (input.partitionFormat !== undefined && !steps.some((s) => s.op === 'extract_columns_from_partition_format'))
    steps.unshift({ op: 'extract_columns_from_partition_format', partitionFormat: input.partitionFormat });
  const request: Record<string, unknown> = {
    files: options.files ?? input.files,
    format: input.tabular.format,
    delimiter: input.tabular.delimiter,
    header: input.tabular.header,
    encoding: input.tabular.encoding,
    read: input.tabular.read ?? {},
    steps,
    window: { start: window.start, end: Number.isFinite(window.end) ? window.end : null },
    keys,
    root,
    out_dir: outDir,
  };
  if (options.miniBatchSize !== undefined) request.mini_batch_size = options.miniBatchSize;
  await fs.promises.writeFile(requestFile, JSON.stringify(request, null, 2));

  const args = ['-m', 'prs_worker.partition', '--request', requestFile, '--result', resultFile];
  const env = { ...process.env, PYTHONPATH: [options.pythonPath, process.env.PYTHONPATH].filter(Boolean).join(path.delimiter) };
  const { code, stderr } = await runProcess(options.python, args, env, options.signal);
  if (code !== 0) {
    const what =
      keys.length > 0
        ? `by partition_keys [${keys.join(', ')}]`
        : input.tabular.format === 'parquet'
          ? 'into parquet row groups'
          : 'after its skip/take';
    throw new Error(
      `Partitioning ${input.path} ${what} failed (${options.python} -m prs_worker.partition exited with ${code}):\n${stderr.trim()}`,
    );
  }
  let result: PartitionResult;
  try {
    result = JSON.parse(await fs.promises.readFile(resultFile, 'utf8')) as PartitionResult;
  } catch (err) {
    throw new Error(`prs_worker.partition wrote no readable result to ${resultFile}: ${(err as Error).message}`, { cause: err });
  }
  const out: MiniBatch[] = [];
  for (const p of result.partitions ?? []) {
    let bytes = 0;
    try {
      bytes = (await fs.promises.stat(p.file)).size;
    } catch {
      // size is informative only
    }
    const kv: Record<string, string> = {};
    for (const k of keys) kv[k] = String(p.key?.[k] ?? '');
    out.push({ index: out.length, data: { kind: 'pickle', file: p.file, rows: p.rows }, items: p.rows, bytes, partitionKeyValue: kv });
  }
  return out;
}

function runProcess(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  signal: AbortSignal | undefined,
): Promise<{ code: number | string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'], windowsHide: true });
    let stderr = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => {
      stderr += d;
      if (stderr.length > STDERR_LIMIT * 2) stderr = stderr.slice(-STDERR_LIMIT);
    });
    let aborted = false;
    const onAbort = (): void => {
      aborted = true;
      child.kill();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (err) => {
      signal?.removeEventListener('abort', onAbort);
      reject(new Error(`Cannot start ${command} for partitioning: ${err.message}`, { cause: err }));
    });
    child.on('close', (code, sig) => {
      signal?.removeEventListener('abort', onAbort);
      if (aborted) reject(new AbortError(undefined, { cause: signal?.reason }));
      else resolve({ code: code ?? `signal ${sig}`, stderr: stderr.length > STDERR_LIMIT ? stderr.slice(-STDERR_LIMIT) : stderr });
    });
  });
}
