/**
 * The runs in progress in this window: what the tree and the status bar show until summary.json exists,
 * and what a panel opened mid-run (or reopened after being closed) is caught up with.
 */
import * as vscode from 'vscode';
import type { RunCounts, RunEvent, RunSummary } from '../../core/local/types';

/** Where a run's events are shown: the run panel (src/vscode/panel). */
export interface RunView {
  post(event: RunEvent): void;
  setSummary(summary: RunSummary): void;
}

export interface LiveRun {
  readonly runDir: string;
  readonly nodeName: string;
  readonly specFile: string;
  readonly startedAt: Date;
  readonly debug: boolean;
  readonly abort: AbortController;
  /** The entry script's code folder: its frames are the user's lines. */
  readonly codeDir?: string;
  /** The user canceled it (panel, status bar, notification): its end is no news to tell. */
  canceledByUser?: boolean;
  counts?: RunCounts;
  /** Set once the run ended. */
  summary?: RunSummary;
  /** A whole pipeline run (`nodeName` is the pipeline's name); `step` says where it is: "step 2/3 · score". */
  readonly pipeline?: boolean;
  step?: string;
  /** Panels showing this run; each gets every event. */
  readonly views: Set<RunView>;
}

/** Log lines kept for a panel that opens mid-run; the panel itself keeps only a tail per worker. */
const LOG_EVENTS_KEPT = 1000;

export class LiveRuns implements vscode.Disposable {
  private readonly runs = new Map<string, { live: LiveRun; events: RunEvent[]; logs: RunEvent[] }>();
  private readonly changed = new vscode.EventEmitter<LiveRun | undefined>();
  /** Fires when a run starts, makes progress or ends. */
  readonly onDidChange = this.changed.event;

  /** The user asked to stop `live`: its workers end, finished mini-batches stay. */
  cancel(live: LiveRun): void {
    live.canceledByUser = true;
    live.abort.abort();
  }

  start(run: Omit<LiveRun, 'startedAt' | 'views'>): LiveRun {
    const live: LiveRun = { ...run, startedAt: new Date(), views: new Set() };
    this.runs.set(run.runDir, { live, events: [], logs: [] });
    this.changed.fire(live);
    return live;
  }

  /** One engine event: to every view of the run, into its history, and into the counts. */
  update(live: LiveRun, event: RunEvent): void {
    for (const view of live.views) view.post(event);
    const entry = this.runs.get(live.runDir);
    if (entry) {
      const list = event.type === 'log' ? entry.logs : entry.events;
      list.push(event);
      if (entry.logs.length > LOG_EVENTS_KEPT) entry.logs.splice(0, entry.logs.length - LOG_EVENTS_KEPT);
    }
    if (event.type === 'start' || event.type === 'progress') live.counts = event.counts;
    else if (event.type === 'end') live.summary = event.summary;
    else return;
    this.changed.fire(live);
  }

  /** Something about `live` changed that the tree and the status bar show (a pipeline moved to its next step). */
  touch(live: LiveRun): void {
    this.changed.fire(live);
  }

  /** Adds a view to a run in progress, after showing it what happened so far. */
  follow(live: LiveRun, view: RunView): void {
    if (live.views.has(view)) return;
    const entry = this.runs.get(live.runDir);
    for (const event of [...(entry?.events ?? []), ...(entry?.logs ?? [])]) view.post(event);
    live.views.add(view);
  }

  end(live: LiveRun, summary?: RunSummary): void {
    // Views already got the summary with the `end` event; this is for a run that ended without one.
    if (summary && !live.summary) {
      live.summary = summary;
      for (const view of live.views) view.setSummary(summary);
    }
    this.runs.delete(live.runDir);
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
    for (const { live } of this.runs.values()) live.abort.abort();
    this.changed.dispose();
  }
}
