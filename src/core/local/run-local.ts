/** runLocal: one parallel node, run on this machine with the cloud's semantics, into a run folder. */
import { existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { bindOutputs } from '../spec';
import type { ParallelJob } from '../spec/types';
import { planMiniBatches } from './partition';
import type { MiniBatch, SampleOptions } from './partition/types';
import { Scheduler, workerSlots } from './scheduler';
import { RunLogs } from './logs/run-logs';
import { entryScriptArgv } from './driver-argv';
import { explainShortReturns, finalVerdict } from './thresholds';
import { appendRowToCsvOptions } from './settings';
import { detectGpusAsync, resolvePython, workerPackageDir } from './environment';
import type { MiniBatchRecord, RunEvent, RunSummary } from './types';
import { ignoreRunsRoot } from '../pipeline/run-folder';
import { runDirFor } from '../runs/run-dir';

export interface RunLocalOptions {
  /** The run folder; default `<spec folder>/.parallel-run/runs/<node>-<time>`. */
  runDir?: string;
  /** Interpreter for the entry script (see resolvePython). */
  python?: string;
  sample?: SampleOptions;
  /** Run exactly these mini-batches (e.g. replay one from an earlier run's summary.json). */
  miniBatches?: MiniBatch[];
  /** Start one worker under debugpy listening here, and disable the watchdog. */
  debug?: { host: string; port: number };
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  /** GPU ids to hand out one per worker; default: detected. */
  gpus?: string[];
  /** Environment for workers; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** The folder holding the `prs_worker` package; default: the copy shipped with this engine. */
  workerPackageDir?: string;
}

export function defaultRunDir(job: ParallelJob, now: Date = new Date()): string {
  return runDirFor(job.specFile, job.nodeName, now);
}

/**
 * Runs the node's entry script over its input and resolves with the run's summary once every mini-batch
 * ended, a threshold stopped the run, or it was canceled. Bad input (no data, unreadable settings) rejects.
 */
export async function runLocal(job: ParallelJob, options: RunLocalOptions = {}): Promise<RunSummary> {
  const startedAt = new Date();
  const upstream = job.inputData.upstream;
  if (upstream) {
    throw new Error(
      `input_data \`${job.inputData.inputName}\` of ${job.nodeName} is the output \`${upstream.output}\` of step \`${upstream.node}\`, ` +
        `which has not run: run the pipeline (parallel-run run ${job.specFile}), or give local data with ` +
        `--set jobs.${job.nodeName}.inputs.${job.inputData.inputName}.path=<folder>.`,
    );
  }
  const runDir = path.resolve(options.runDir ?? defaultRunDir(job, startedAt));
  const python = resolvePython(options.python, options.env);
  const packageDir = options.workerPackageDir ?? workerPackageDir();
  const emit = options.onEvent ?? (() => undefined);
  // Asked now, answered while the input is partitioned.
  const gpus = options.gpus ? Promise.resolve(options.gpus) : detectGpusAsync(options.env);
  const prsDir = path.join(runDir, '.prs');
  mkdirSync(path.join(prsDir, 'rows'), { recursive: true });
  ignoreRunsRoot(runDir);

  const outputDirs: Record<string, string> = {};
  for (const name of Object.keys(job.outputs)) {
    outputDirs[name] = path.join(runDir, 'outputs', name);
    mkdirSync(outputDirs[name], { recursive: true });
  }
  const appendRowDir = job.task.appendRowTo ? outputDirs[job.task.appendRowTo] : undefined;
  const outputDir = appendRowDir ?? Object.values(outputDirs)[0] ?? path.join(runDir, 'outputs');
  mkdirSync(outputDir, { recursive: true });

  const logs = new RunLogs(runDir, startedAt);
  const configFile = path.join(prsDir, 'worker-config.json');
  const toCsv = job.task.appendRowTo ? appendRowToCsvOptions(job.task.codeDir) : undefined;
  writeFileSync(
    configFile,
    JSON.stringify(
      {
        protocol: 1,
        entry_script: job.task.entryScriptPath,
        code_dir: job.task.codeDir,
        argv: entryScriptArgv(job, bindOutputs(job.task.programArguments, outputDirs), appendRowDir ?? Object.values(outputDirs)[0]),
        logging_level: job.loggingLevel,
        log_dir: logs.dir,
        output_dir: outputDir,
        append_row: job.task.appendRowTo ? { to_csv: toCsv, dataframe_header: job.driver.appendRowDataframeHeader } : null,
        input_kind: job.inputData.kind,
      },
      null,
      2,
    ),
  );
  logs.master(`Run of ${job.nodeName} from ${job.specFile} into ${runDir}`);

  let miniBatches: MiniBatch[];
  try {
    miniBatches =
      options.miniBatches ??
      (await planMiniBatches(job, { sample: options.sample, python, pythonPath: packageDir, workDir: prsDir, signal: options.signal }));
  } catch (err) {
    logs.master(`Partitioning failed: ${(err as Error).message}`);
    await logs.close();
    throw err;
  }
  logs.master(`Partitioned ${describeInput(job)} into ${miniBatches.length} mini-batch(es).`);
  const slots = workerSlots(job, miniBatches.length, Boolean(options.debug));
  for (const slot of slots) mkdirSync(path.join(runDir, 'wd', slot.node, slot.process), { recursive: true });

  const env = { ...(options.env ?? process.env), ...job.environmentVariables, AZUREML_BI_OUTPUT_PATH: outputDir };
  const scheduler = new Scheduler({
    job,
    miniBatches,
    python,
    workerPackageDir: packageDir,
    configFile,
    runDir,
    env,
    gpus: await gpus,
    logs,
    emit,
    debug: options.debug,
    signal: options.signal,
  });
  const result = await scheduler.run();

  const verdict =
    result.outcome === 'finished'
      ? finalVerdict(job, result.counts)
      : { status: result.outcome === 'canceled' ? ('Canceled' as const) : ('Failed' as const), reason: result.reason };
  let outputFile: string | undefined;
  // A run that did not complete and wrote no row has no output to point at (not even an empty file).
  if (appendRowDir && (verdict.status === 'Completed' || result.output.committedMiniBatches > 0)) {
    outputFile = path.join(appendRowDir, appendRowFileName(job));
    await result.output.write(outputFile);
  }
  rmSync(path.join(prsDir, 'rows'), { recursive: true, force: true });
  // Internal folders do not outlive the run: pickled partitions (which "debug this mini-batch" replays) move
  // to <runDir>/partitions, the rest of .prs goes, and so do the workers' working folders unless run() left files.
  const records = keepPartitions(result.records, prsDir, path.join(runDir, 'partitions'));
  if (existsSync(path.join(prsDir, 'partitions'))) {
    for (const name of readdirSync(prsDir)) if (name !== 'partitions') rmSync(path.join(prsDir, name), { recursive: true, force: true });
  } else {
    rmSync(prsDir, { recursive: true, force: true });
  }
  removeEmptyFolders(path.join(runDir, 'wd'));

  const endedAt = new Date();
  const summary: RunSummary = {
    status: verdict.status,
    reason: verdict.reason,
    error: result.error,
    specFile: job.specFile,
    nodeName: job.nodeName,
    runDir,
    outputFile,
    ...(job.task.appendRowTo ? { appendRowTo: job.task.appendRowTo } : {}),
    outputKind: result.outputKind,
    ...(result.outputColumns ? { outputColumns: result.outputColumns } : {}),
    outputFormat: { ...(toCsv ? { toCsv } : {}), dataframeHeader: job.driver.appendRowDataframeHeader, inputKind: job.inputData.kind },
    logsDir: logs.dir,
    python: result.python ?? python,
    startedAt: startedAt.toISOString(),
    endedAt: endedAt.toISOString(),
    durationMs: endedAt.getTime() - startedAt.getTime(),
    workers: slots.length,
    counts: result.counts,
    failures: result.failures,
    shortReturns: explainShortReturns(job, result.failures, verdict.reason),
    warnings: result.warnings,
    miniBatches: records,
  };
  logs.master(`${summary.status}${summary.reason ? `: ${summary.reason}` : ''}`);
  await logs.finish(summary);
  emit({ type: 'end', summary });
  return summary;
}

/**
 * The append_row file's name. A `uri_file` output is one file: the append file is that file, named as the
 * output's path names it (`…/aggregated_returns.csv`), else the driver's `append_row_file_name`.
 */
export function appendRowFileName(job: ParallelJob): string {
  const output = job.task.appendRowTo ? job.outputs[job.task.appendRowTo] : undefined;
  if (output?.type !== 'uri_file' || !output.path) return job.driver.appendRowFileName;
  const last =
    output.path
      .replace(/[\\/]+$/, '')
      .split(/[\\/]/)
      .pop() ?? '';
  return /^[^${}]+\.[A-Za-z0-9]+$/.test(last) ? last : job.driver.appendRowFileName;
}

/** Moves `<prs>/partitions` to `to` when the run made pickled partitions; the records then name the new files. */
function keepPartitions(records: MiniBatchRecord[], prsDir: string, to: string): MiniBatchRecord[] {
  const from = path.join(prsDir, 'partitions');
  if (!records.some((r) => r.data.kind === 'pickle') || !existsSync(from)) return records;
  try {
    renameSync(from, to);
  } catch {
    return records; // left where it was: .prs stays rather than lose the replay data
  }
  return records.map((r) =>
    r.data.kind === 'pickle' && r.data.file.startsWith(from + path.sep)
      ? { ...r, data: { ...r.data, file: path.join(to, path.relative(from, r.data.file)) } }
      : r,
  );
}

/** Removes `dir` and the folders under it that hold no file; true when `dir` itself went. */
function removeEmptyFolders(dir: string): boolean {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  let empty = true;
  for (const e of entries) {
    if (!e.isDirectory() || !removeEmptyFolders(path.join(dir, e.name))) empty = false;
  }
  if (!empty) return false;
  try {
    rmdirSync(dir);
    return true;
  } catch {
    return false;
  }
}

function describeInput(job: ParallelJob): string {
  const d = job.inputData;
  return d.kind === 'files'
    ? `${d.path} (${d.type}, ${job.miniBatchSize} file(s) per mini-batch)`
    : `${d.path} (mltable, ~${job.miniBatchSizeText} per mini-batch)`;
}
