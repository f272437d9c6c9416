/**
 * One local run from the editor: the engine (loaded on first use) with progress in a cancellable
 * notification, the status bar and the run panel; the outcome told once, in words the user can act on.
 * Run locally, Debug locally, Rerun and Debug this mini-batch all end up here.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MiniBatch, SampleOptions } from '../../core/local/partition/types';
import type { RunEvent, RunSummary } from '../../core/local/types';
import type { ParallelJob } from '../../core/spec/types';
import type { Ctx } from '../ctx';
import { attachDebugger } from '../debug/attach';
import { bundledDebugpyDir } from '../debug/debugger';
import { freePort } from '../debug/free-port';
import { endWithPeriod } from '../../shared/headline';
import { LocalRun, localIdentity } from '../../core/runs/local-run';
import { lazy } from '../load';
import { resolveInterpreter } from '../python/interpreter';
import { reportOutcome } from './outcome';
import { showLivePanel, type RunPanelView } from './panel-link';
import { rememberRecipe } from './rerun-recipe';
import { newRunDir } from './run-dir';
import { describeSample } from './sample-pick';

export interface LaunchOptions {
  sample?: SampleOptions;
  /** Exactly these mini-batches (a replay), instead of partitioning the input. */
  miniBatches?: MiniBatch[];
  /** One worker under debugpy with VS Code's debugger attached. */
  debug?: boolean;
  /** Open the run panel (default true). */
  reveal?: boolean;
  /** How the run is described in the progress notification, e.g. "mini-batch 3 of a past run". */
  what?: string;
}

const DEBUG_HOST = '127.0.0.1';

/** Runs `job`; resolves with its summary, or undefined when the engine refused to start (the user was told why). */
export async function launchRun(ctx: Ctx, job: ParallelJob, options: LaunchOptions): Promise<RunSummary | undefined> {
  const specUri = vscode.Uri.file(job.specFile);
  const [{ local: engine }, interpreter] = await Promise.all([lazy(), resolveInterpreter(specUri, ctx.log)]);
  const runDir = newRunDir(job.specFile, job.nodeName);
  const what =
    options.what ??
    (options.miniBatches ? `${options.miniBatches.length} replayed mini-batch(es)` : describeSample(options.sample ?? {}, job));
  const debug = options.debug ? { host: DEBUG_HOST, port: await freePort(DEBUG_HOST) } : undefined;
  void rememberRecipe(ctx.extension.workspaceState, runDir, options.miniBatches ? { replay: true } : { sample: options.sample ?? {} });
  ctx.failures.clear(job.specFile, job.nodeName);
  const run = new LocalRun(localIdentity(runDir, job.nodeName, job.specFile), { codeDir: job.task.codeDir });
  const live = ctx.runs.start(run, { codeDir: job.task.codeDir, debug: !!debug });
  ctx.log.info(
    `${debug ? 'Debugging' : 'Running'} ${job.nodeName} of ${job.specFile} (${what}) with ${interpreter.path ?? 'python3'} (${interpreter.source}) into ${runDir}`,
  );

  if (options.reveal !== false) {
    try {
      await showLivePanel(ctx, live);
    } catch (err) {
      ctx.log.error(`The run panel could not open: ${(err as Error).message}`);
    }
  }

  let attachGate = new AbortController();
  const onEvent = (event: RunEvent): void => {
    run.feed(event);
    if (event.type === 'debugListening') {
      attachGate = new AbortController();
      void attachDebugger({ specFile: job.specFile, nodeName: job.nodeName, runDir, abort: run.abort }, event, ctx.log, attachGate.signal);
    } else if (event.type === 'worker' && (event.state === 'exited' || event.state === 'init_failed')) {
      attachGate.abort(); // that worker will not listen any more; a restart announces itself again
    } else if (event.type === 'miniBatchFailed' && event.failure.final) {
      ctx.log.warn(
        `mini-batch ${event.failure.index} failed (${event.failure.reason}): ${event.failure.error.type}: ${event.failure.error.message.split('\n')[0]}`,
      );
    } else if (event.type === 'warning') {
      ctx.log.warn(event.message);
    }
  };

  let summary: RunSummary | undefined;
  let panelShown = false;
  try {
    summary = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `${debug ? 'Debugging' : 'Running'} ${job.nodeName}`, cancellable: true },
      (progress, token) => {
        token.onCancellationRequested(() => ctx.runs.cancel(live));
        const report = progressReporter(progress, debug !== undefined);
        return engine.runLocal(job, {
          runDir,
          python: interpreter.path,
          sample: options.miniBatches ? undefined : options.sample,
          miniBatches: options.miniBatches,
          debug,
          signal: run.abort.signal,
          env: workerEnv(debug !== undefined),
          onEvent: (event) => {
            onEvent(event);
            report(event);
          },
        });
      },
    );
  } catch (err) {
    // The engine rejects only bad input (no data, an unreadable MLTable): nothing ran.
    const message = (err as Error).message;
    ctx.log.error(`${job.nodeName} did not start: ${message}`);
    for (const view of live.views.keys()) (view as Partial<RunPanelView>).dispose?.();
    void vscode.window.showErrorMessage(`${job.nodeName} did not start: ${endWithPeriod(message)}`);
    return undefined;
  } finally {
    attachGate.abort();
    panelShown = live.views.size > 0;
    run.finish(summary);
    ctx.runs.end(live);
  }
  ctx.log.info(
    `${job.nodeName}: ${summary.status}${summary.reason ? ` — ${summary.reason}` : ''} (${path.relative(path.dirname(job.specFile), runDir)})`,
  );
  if (summary.status === 'Failed') ctx.failures.report(summary, job.task.codeDir);
  reportOutcome(ctx, summary, interpreter, { panelShown, canceledByUser: live.canceledByUser === true, codeDir: job.task.codeDir });
  return summary;
}

/** Progress text: "3/20 mini-batches · 1 failed"; the bar advances with finished mini-batches. */
function progressReporter(progress: vscode.Progress<{ message?: string; increment?: number }>, debugging: boolean) {
  let reported = 0;
  return (event: RunEvent): void => {
    if (event.type === 'debugListening') {
      progress.report({ message: `waiting for the debugger on ${event.host}:${event.port}…` });
      return;
    }
    if (event.type !== 'progress' && event.type !== 'start') return;
    const mb = event.counts.miniBatches;
    const finished = mb.succeeded + mb.failed;
    const percent = mb.total > 0 ? (100 * finished) / mb.total : 0;
    const parts = [`${finished}/${mb.total} mini-batches`];
    if (mb.failed) parts.push(`${mb.failed} failed`);
    if (mb.retried) parts.push(`${mb.retried} retried`);
    if (debugging && finished === 0) parts.push('debugger attached');
    progress.report({ message: parts.join(' · '), increment: Math.max(0, percent - reported) });
    reported = Math.max(reported, percent);
  };
}

/** Under debug, the Python Debugger extension's own debugpy goes on PYTHONPATH, so no `pip install debugpy` is needed. */
function workerEnv(debugging: boolean): NodeJS.ProcessEnv | undefined {
  const libs = debugging ? bundledDebugpyDir() : undefined;
  if (!libs) return undefined;
  const existing = process.env.PYTHONPATH;
  return { ...process.env, PYTHONPATH: existing ? `${existing}${path.delimiter}${libs}` : libs };
}
