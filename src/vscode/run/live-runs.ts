/**
 * The runs in progress in this window, local or in the cloud (each a run model, src/core/runs/model.ts): what
 * the tree and the status bar show until the run has ended, and what a panel opened mid-run (or reopened after
 * being closed) is caught up with.
 */
import * as vscode from 'vscode';
import type { RunCounts, RunSummary } from '../../core/local/types';
import { localSummaryOf, type RunModel, type RunModelEvent, type RunOutcome } from '../../core/runs/model';

/** Where a run's events are shown: the run panel (src/vscode/panel). */
export interface RunView {
  post(event: RunModelEvent): void;
}

export interface LiveRun {
  /** The run itself: identity, events, status, outcome, cancel. */
  readonly run: RunModel;
  readonly kind: 'local' | 'cloud';
  /** The key commands pass around: a local run's folder; a cloud job's download folder, else its name. */
  readonly runDir: string;
  readonly nodeName: string;
  readonly specFile: string;
  readonly startedAt: Date;
  readonly debug: boolean;
  /** The entry script's code folder: its frames are the user's lines. */
  readonly codeDir?: string;
  /** The user canceled it (panel, status bar, notification): its end is no news to tell. */
  canceledByUser?: boolean;
  counts?: RunCounts;
  /** Set once the run ended. */
  outcome?: RunOutcome;
  /** A local run's summary.json, once it ended. */
  summary?: RunSummary;
  /** A whole pipeline run (`nodeName` is the pipeline's name); `step` says where it is: "step 2/3 · score". */
  readonly pipeline?: boolean;
  step?: string;
  /** Panels showing this run, each with how to stop it following; each gets every event. */
  readonly views: Map<RunView, () => void>;
}

export interface LiveRunOptions {
  debug?: boolean;
  codeDir?: string;
  pipeline?: boolean;
}

export class LiveRuns implements vscode.Disposable {
  private readonly runs = new Map<string, { live: LiveRun; unsubscribe: () => void }>();
  private readonly changed = new vscode.EventEmitter<LiveRun | undefined>();
  /** Fires when a run starts, changes status, makes progress or ends. */
  readonly onDidChange = this.changed.event;

  /** The user asked to stop `live`: a local run's workers end (finished mini-batches stay); a cloud job is canceled. */
  cancel(live: LiveRun): void {
    live.canceledByUser = true;
    void live.run.cancel();
  }

  /** Follows `run` until it ends (or `end`): the tree, the status bar and its panels see its events. */
  start(run: RunModel, options: LiveRunOptions = {}): LiveRun {
    const id = run.identity;
    const live: LiveRun = {
      run,
      kind: id.kind,
      runDir: id.runDir ?? id.id,
      nodeName: id.displayName,
      specFile: id.specFile ?? '',
      startedAt: run.startedAt ? new Date(run.startedAt) : new Date(),
      debug: options.debug === true,
      ...(options.codeDir ? { codeDir: options.codeDir } : {}),
      ...(options.pipeline ? { pipeline: true } : {}),
      views: new Map(),
    };
    if (run.counts) live.counts = run.counts;
    const unsubscribe = run.subscribe((event) => this.onEvent(live, event));
    this.runs.set(live.runDir, { live, unsubscribe });
    this.changed.fire(live);
    return live;
  }

  private onEvent(live: LiveRun, event: RunModelEvent): void {
    if (event.type === 'start' || event.type === 'progress') {
      if (event.counts) live.counts = event.counts;
    } else if (event.type === 'end') {
      live.outcome = event.outcome;
      const local = localSummaryOf(event.outcome);
      if (local) live.summary = local;
      if (event.outcome.counts) live.counts = event.outcome.counts;
    } else if (event.type !== 'status' && event.type !== 'failure') return;
    this.changed.fire(live);
  }

  /** Something about `live` changed that the tree and the status bar show (a pipeline moved to its next step). */
  touch(live: LiveRun): void {
    this.changed.fire(live);
  }

  /** Adds a view to a run in progress, after showing it what happened so far. */
  follow(live: LiveRun, view: RunView): void {
    if (live.views.has(view)) return;
    live.views.set(
      view,
      live.run.subscribe((event) => view.post(event), { replay: true }),
    );
  }

  /** The view stops getting the run's events (it was closed, or turned to another run). */
  unfollow(live: LiveRun, view: RunView): void {
    live.views.get(view)?.();
    live.views.delete(view);
  }

  /** The run ended (or never started): it leaves the runs in progress. */
  end(live: LiveRun): void {
    const entry = this.runs.get(live.runDir);
    if (entry?.live === live) {
      entry.unsubscribe();
      this.runs.delete(live.runDir);
    }
    this.changed.fire(live);
  }

  get(runDir: string): LiveRun | undefined {
    return this.runs.get(runDir)?.live;
  }

  all(): LiveRun[] {
    return [...this.runs.values()].map((r) => r.live);
  }

  /** Cancels every run (window closing, extension deactivated): workers must not outlive the host. */
  dispose(): void {
    for (const { live } of this.runs.values()) if (live.kind === 'local') void live.run.cancel();
    this.changed.dispose();
  }
}
