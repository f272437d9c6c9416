/**
 * A whole pipeline (or one step of it) from the editor: core's runPipeline (loaded on first use) with
 * progress in a cancellable notification, the status bar ("pipeline · step 2/3 · 4/10") and the pipeline's
 * run panel; the outcome told once: which step failed and its first real error.
 */
import { realpathSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SampleOptions } from '../../core/local/partition/types';
import type { PipelineEvent, PipelineRunSummary } from '../../core/pipeline/types';
import type { PipelineSpec } from '../../core/spec/types';
import type { PipelineHeadline } from '../panel/protocol';
import { endWithPeriod } from '../../shared/headline';
import { PipelineInputError, runPipeline } from '../../core/pipeline';
import { COMMAND } from '../commands/ids';
import type { Ctx } from '../ctx';
import { PipelineState } from '../panel/pipeline-state';
import { RunPanel } from '../panel/run-panel';
import { resolveInterpreter } from '../python/interpreter';
import type { LiveRun } from './live-runs';
import { EventRun } from '../../core/runs/event-run';
import { localIdentity } from '../../core/runs/local-run';

export interface PipelineLaunchOptions {
  /** Run this step alone, reusing the outputs of the steps it reads from the latest run (`--node X`). */
  only?: string;
  sample?: SampleOptions;
  /** Open the run panel (default true). */
  reveal?: boolean;
}

type Panel = RunPanel;

/**
 * What this file (in the lazy half, dist/lazy.js) needs from the main bundle: the context, and the one
 * place that routes a panel's actions to commands (its state lives there, so it is passed, not imported).
 */
export interface PipelineHost {
  ctx: Ctx;
  wire(panel: RunPanel): void;
  placeOf(specFile: string): { root?: string; codeDir?: string };
}

/** The spec's workspace folder, and its real path when a link leads to it (Python reports real paths). */
export function pipelinePlace(host: PipelineHost, specFile: string): { root?: string; realRoot?: string } {
  const { root } = host.placeOf(specFile);
  if (!root) return {};
  try {
    const realRoot = realpathSync(root);
    return realRoot === root ? { root } : { root, realRoot };
  } catch {
    return { root };
  }
}

/** Runs `spec`; resolves with its summary, or undefined when it could not start (the user was told why). */
export async function launchPipeline(
  host: PipelineHost,
  spec: PipelineSpec,
  options: PipelineLaunchOptions,
): Promise<PipelineRunSummary | undefined> {
  const ctx = host.ctx;
  const interpreter = await resolveInterpreter(vscode.Uri.file(spec.file), ctx.log);
  const abort = new AbortController();
  const order = (spec.nodes ?? []).map((n) => n.name);
  let live: LiveRun | undefined;
  let pipelineRun: EventRun | undefined;
  let panel: Panel | undefined;
  let runDir: string | undefined;
  // The same view of the run as the panel's, kept here too: the notification says the panel's headline.
  const state = new PipelineState(spec.pipelineName ?? path.basename(spec.file), '', spec.file, pipelinePlace(host, spec.file));
  const what = options.only ? `step ${options.only} of ${path.basename(spec.file)}` : path.basename(spec.file);

  const onEvent = (event: PipelineEvent, progress: vscode.Progress<{ message?: string }>): void => {
    if (event.type === 'pipelineStart') {
      runDir = event.runDir;
      // The pipeline as one run in progress for the tree and the status bar: its running step's counts.
      // It tells no end of its own there (reportPipelineOutcome does).
      pipelineRun = new EventRun(localIdentity(runDir, event.pipelineName, spec.file), () => abort.abort());
      pipelineRun.emit({ type: 'start', run: pipelineRun.identity, startedAt: new Date().toISOString() });
      live = ctx.runs.start(pipelineRun, { pipeline: true });
      ctx.log.info(`Running ${what} with ${interpreter.path ?? 'python3'} (${interpreter.source}) into ${runDir}`);
      if (options.reveal !== false) panel = openPanel(host, spec.file, event.pipelineName, runDir);
    }
    state.apply(event);
    if (runDir)
      remember(
        runDir,
        event,
        () => panel,
        (p) => (panel = p),
      );
    // A panel the user turned to another run no longer follows this one.
    if (panel && runDir && panel.runDir === path.resolve(runDir)) panel.postPipeline(event);
    if (!live) return;
    switch (event.type) {
      case 'note':
        ctx.log.info(`note: ${event.message}`);
        return;
      case 'nodeStart': {
        const at = order.indexOf(event.node);
        live.step = options.only ? `step ${event.node}` : `step ${at + 1}/${order.length}`;
        live.counts = undefined;
        ctx.runs.touch(live);
        progress.report({ message: `${live.step}: ${event.node}` });
        return;
      }
      case 'nodeEvent':
        // The running parallel step's counts, for the status bar; its end is not the pipeline's end.
        if (event.event.type === 'start' || event.event.type === 'progress') {
          pipelineRun?.emit({
            type: 'progress',
            counts: event.event.counts,
            elapsedMs: event.event.type === 'progress' ? event.event.elapsedMs : 0,
          });
        }
        if (event.event.type === 'progress') {
          const mb = event.event.counts.miniBatches;
          progress.report({ message: `${live.step}: ${event.node} · ${mb.succeeded + mb.failed}/${mb.total} mini-batches` });
        }
        return;
      case 'nodeLog':
        return;
      case 'nodeEnd':
        ctx.log.info(`${event.node.name}: ${event.node.status}${event.node.reason ? ` — ${event.node.reason}` : ''}`);
        return;
      default:
        return;
    }
  };

  let summary: PipelineRunSummary | undefined;
  try {
    summary = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Running ${what}`, cancellable: true },
      (progress, token) => {
        token.onCancellationRequested(() => (live ? ctx.runs.cancel(live) : abort.abort()));
        return runPipeline(spec, {
          only: options.only,
          python: interpreter.path,
          sample: options.sample,
          cwd: path.dirname(spec.file),
          signal: abort.signal,
          onEvent: (event) => onEvent(event, progress),
        });
      },
    );
  } catch (err) {
    const message = (err as Error).message;
    ctx.log.error(`${what} did not start: ${message}`);
    panel?.dispose();
    if (err instanceof PipelineInputError) {
      await offerUpstreamRun(spec.file, message);
      return undefined;
    }
    void vscode.window.showErrorMessage(`${what} did not start: ${endWithPeriod(message.split('\n')[0])}`);
    return undefined;
  } finally {
    if (live) ctx.runs.end(live);
    if (runDir) following.delete(path.resolve(runDir));
  }
  ctx.log.info(`${summary.pipelineName}: ${summary.status}${summary.reason ? ` — ${summary.reason}` : ''} (${summary.runDir})`);
  reportPipelineOutcome(summary, state.current.headline, panel, live?.canceledByUser === true);
  return summary;
}

/** Pipelines running in this window: their events so far, so a panel opened mid-run catches up. */
const following = new Map<string, { events: PipelineEvent[]; logs: number; get: () => Panel | undefined; set: (panel: Panel) => void }>();
/** Command output kept for a panel that opens mid-run (the panel itself keeps a tail per step). */
const LOG_EVENTS_KEPT = 1000;

function remember(runDir: string, event: PipelineEvent, get: () => Panel | undefined, set: (panel: Panel) => void): void {
  const key = path.resolve(runDir);
  let entry = following.get(key);
  if (!entry) following.set(key, (entry = { events: [], logs: 0, get, set }));
  if (event.type === 'nodeLog') {
    if (entry.logs >= LOG_EVENTS_KEPT) return;
    entry.logs += 1;
  }
  entry.events.push(event);
}

/** Opens the panel of a pipeline running in this window, caught up with its events; false when it is not running. */
export function showLivePipeline(host: PipelineHost, runDir: string): boolean {
  const entry = following.get(path.resolve(runDir));
  if (!entry) return false;
  const start = entry.events.find((e) => e.type === 'pipelineStart');
  if (!start || start.type !== 'pipelineStart') return false;
  const current = entry.get();
  if (current && current.runDir === path.resolve(runDir) && !current.isClosed) {
    current.reveal();
    return true;
  }
  const panel = openPanel(host, start.specFile, start.pipelineName, start.runDir);
  if (!panel) return false;
  for (const event of entry.events) panel.postPipeline(event);
  entry.set(panel);
  return true;
}

function openPanel(host: PipelineHost, specFile: string, name: string, runDir: string): Panel | undefined {
  try {
    const panel = RunPanel.createOrShow(host.ctx.extension.extensionUri, {
      specFile,
      nodeName: name,
      runDir,
      pipeline: true,
      place: pipelinePlace(host, specFile),
    });
    host.wire(panel);
    return panel;
  } catch (err) {
    host.ctx.log.error(`The run panel could not open: ${(err as Error).message}`);
    return undefined;
  }
}

/**
 * `--node X` whose upstream step has no local run yet: the message says which step to run first (or which
 * input to set), with a button that runs that step.
 */
async function offerUpstreamRun(specFile: string, message: string): Promise<void> {
  const first = /--node (\S+)/.exec(message)?.[1];
  const text = endWithPeriod(message.split('\n')[0]);
  if (!first) {
    void vscode.window.showErrorMessage(text);
    return;
  }
  const run = `Run ${first} First`;
  const choice = await vscode.window.showErrorMessage(`${text} Run step ${first} first, or give the data with --set.`, run);
  if (choice === run) await vscode.commands.executeCommand(COMMAND.runStepLocally, vscode.Uri.file(specFile), { node: first });
}

/** How the pipeline ended, once: nothing when the panel shows it completed or the user canceled it. */
function reportPipelineOutcome(
  summary: PipelineRunSummary,
  headline: PipelineHeadline | undefined,
  panel: Panel | undefined,
  canceledByUser: boolean,
): void {
  const openRun = 'Open Run';
  const follow = (choice: string | undefined) => {
    if (choice === openRun) void vscode.commands.executeCommand(COMMAND.openRun, summary.runDir);
  };
  const actions = panel ? [] : [openRun];
  const steps = `${summary.nodes.length} step${summary.nodes.length === 1 ? '' : 's'}`;
  if (summary.status === 'Completed') {
    if (!panel)
      void vscode.window
        .showInformationMessage(`${summary.pipelineName} completed: ${steps} in ${(summary.durationMs / 1000).toFixed(1)} s.`, ...actions)
        .then(follow);
    return;
  }
  if (summary.status === 'Canceled') {
    if (!canceledByUser) void vscode.window.showInformationMessage(`${summary.pipelineName} was canceled.`, ...actions).then(follow);
    return;
  }
  const failed = summary.nodes.find((n) => n.status === 'Failed');
  const why = headline
    ? `step ${headline.step} failed: ${endWithPeriod(`${headline.error}${headline.where ? ` at ${headline.where}` : ''}${headline.detail ? `, ${headline.detail}` : ''}`)}`
    : failed
      ? `step ${failed.name} failed: ${endWithPeriod(failed.reason ?? 'see its logs')}`
      : endWithPeriod(summary.reason ?? 'a step did not run');
  void vscode.window.showErrorMessage(`${summary.pipelineName} failed: ${why}`, ...actions).then(follow);
}
