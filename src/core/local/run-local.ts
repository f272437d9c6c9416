/** runLocal: one parallel node, run on this machine with the cloud's semantics, into a run folder. */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { bindOutputs } from '../spec';
import type { ParallelJob } from '../spec/types';
import { planMiniBatches } from './partition';
import type { MiniBatch, SampleOptions } from './partition/types';
import { Scheduler } from './scheduler';
import { RunLogs } from './logs/run-logs';
import { finalVerdict } from './thresholds';
import { appendRowToCsvOptions } from './settings';
import { detectGpusAsync, resolvePython, workerPackageDir } from './environment';
import type { RunEvent, RunSummary } from './types';

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
}

export function defaultRunDir(job: ParallelJob, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return path.join(path.dirname(job.specFile), '.parallel-run', 'runs', `${job.nodeName}-${stamp}`);
}

/**
 * Runs the node's entry script over its input and resolves with the run's summary once every mini-batch
 * ended, a threshold stopped the run, or it was canceled. Bad input (no data, unreadable settings) rejects.
 */
export async function runLocal(job: ParallelJob, options: RunLocalOptions = {}): Promise<RunSummary> {
  const startedAt = new Date();
  const runDir = path.resolve(options.runDir ?? defaultRunDir(job, startedAt));
  const python = resolvePython(options.python, options.env);
  const packageDir = workerPackageDir();
  const emit = options.onEvent ?? (() => undefined);
  // Asked now, answered while the input is partitioned.
  const gpus = options.gpus ? Promise.resolve(options.gpus) : detectGpusAsync(options.env);
  const prsDir = path.join(runDir, '.prs');
  mkdirSync(path.join(prsDir, 'rows'), { recursive: true });

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
  writeFileSync(
    configFile,
    JSON.stringify(
      {
        protocol: 1,
        entry_script: job.task.entryScriptPath,
        code_dir: job.task.codeDir,
        argv: bindOutputs(job.task.programArguments, outputDirs),
        logging_level: job.loggingLevel,
        log_dir: logs.dir,
        output_dir: outputDir,
        append_row: job.task.appendRowTo
          ? { to_csv: appendRowToCsvOptions(job.task.codeDir), dataframe_header: job.driver.appendRowDataframeHeader }
          : null,
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
    throw err;
  }
  logs.master(`Partitioned ${describeInput(job)} into ${miniBatches.length} mini-batch(es).`);
  for (let n = 0; n < (options.debug ? 1 : job.instanceCount); n++) {
    for (let p = 0; p < (options.debug ? 1 : job.maxConcurrencyPerInstance); p++) {
      mkdirSync(path.join(runDir, 'wd', `node${n}`, `process${String(p).padStart(3, '0')}`), { recursive: true });
    }
  }

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

  let outputFile: string | undefined;
  if (appendRowDir) {
    outputFile = path.join(appendRowDir, job.driver.appendRowFileName);
    await result.output.write(outputFile);
  }
  rmSync(path.join(prsDir, 'rows'), { recursive: true, force: true });

  const verdict =
    result.outcome === 'finished'
      ? finalVerdict(job, result.counts)
      : { status: result.outcome === 'canceled' ? ('Canceled' as const) : ('Failed' as const), reason: result.reason };
  const endedAt = new Date();
  const summary: RunSummary = {
    status: verdict.status,
    reason: verdict.reason,
    specFile: job.specFile,
    nodeName: job.nodeName,
    runDir,
    outputFile,
    outputKind: result.outputKind,
    logsDir: logs.dir,
    python: result.python ?? python,
    startedAt: startedAt.toISOString(),
    endedAt: endedAt.toISOString(),
    durationMs: endedAt.getTime() - startedAt.getTime(),
    workers: options.debug ? 1 : job.instanceCount * job.maxConcurrencyPerInstance,
    counts: result.counts,
    failures: result.failures,
    warnings: result.warnings,
    miniBatches: result.records,
  };
  logs.master(`${summary.status}${summary.reason ? `: ${summary.reason}` : ''}`);
  await logs.finish(summary);
  emit({ type: 'end', summary });
  return summary;
}

function describeInput(job: ParallelJob): string {
  const d = job.inputData;
  return d.kind === 'files' ? `${d.path} (${d.type}, ${job.miniBatchSize} file(s) per mini-batch)` : `${d.path} (mltable, ~${job.miniBatchSizeText} per mini-batch)`;
}
