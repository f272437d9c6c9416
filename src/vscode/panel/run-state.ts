/**
 * The host's view of one run for its panel: run events folded into bounded state, and what changed since
 * the page last heard, so a run of 100k mini-batches costs the page a few small updates a second.
 */
import * as path from 'node:path';
import type { MiniBatchFailure } from '../../core/local/types';
import { runStatusOf, statusFromRest, type RunModelEvent, type RunOutcome } from '../../core/runs/model';
import { appendLog, emptyTail, tracebackLocations } from '../../shared/panel-state';
import type { RunCounts, RunStatus } from '../../core/local/types';
import type { CloudJobHeader } from '../../shared/cloud-job';
import {
  LOG_TAIL_LINES,
  MAX_FAILURE_ITEMS,
  MAX_FAILURES,
  MAX_WARNINGS,
  type FailureView,
  type HostMessage,
  type LogDelta,
  type LogStream,
  type PanelDelta,
  type PanelState,
  type RunHeader,
  type WorkerView,
} from '../../shared/protocol';

/** Tracebacks longer than this are cut for display (the full text stays in the run's logs). */
const MAX_TRACEBACK_CHARS = 20_000;

interface PendingLog {
  chunks: { stream: LogStream; text: string }[];
  /** Newlines in `chunks`: past a tail's worth, sending the tail itself is cheaper. */
  newlines: number;
}

export class RunState {
  private state: PanelState;
  private reset = true;
  private runChanged = false;
  private workersChanged = false;
  private readonly logs = new Map<string, PendingLog | 'replace'>();
  private failures: FailureView[] = [];
  private warnings: string[] = [];
  private omittedChanged = false;

  /** `place`: the workspace folder and code folder, so the page shows the user's paths and lines. */
  constructor(
    title: string,
    runDir: string,
    private readonly place: Pick<RunHeader, 'root' | 'codeDir'> = {},
  ) {
    this.state = initialState(title, runDir, place);
  }

  get current(): Readonly<PanelState> {
    return this.state;
  }

  /** Folds one event of the run (local or cloud: the run model's events) into the state. */
  apply(event: RunModelEvent): void {
    const s = this.state;
    switch (event.type) {
      case 'start': {
        const run = event.run;
        this.state = initialState(s.run.title, run.runDir ?? s.run.runDir, this.place);
        Object.assign(this.state.run, { nodeName: run.node ?? run.displayName, workers: event.workers ?? 0, startedAt: event.startedAt });
        if (run.specFile) this.state.run.specFile = run.specFile;
        if (event.counts) this.state.run.counts = event.counts;
        if (run.kind === 'cloud') {
          this.state.run.kind = 'cloud';
          if (run.url) this.state.run.url = run.url;
        }
        this.markReset();
        return;
      }
      case 'status':
        s.run.status = runStatusOf(event.status);
        // A local run says only Running and its end: the header needs no more than `status` for it.
        if (s.run.kind === 'cloud' || event.status !== runStatusOf(event.status)) {
          s.run.phase = event.status;
          s.run.timeline = event.timeline;
        }
        this.runChanged = true;
        return;
      case 'failure':
        s.run.failure = event.failure;
        this.runChanged = true;
        return;
      case 'worker': {
        const view = this.worker(event.worker);
        view.state = event.state;
        if (event.pid !== undefined) view.pid = event.pid;
        if (event.detail !== undefined) view.detail = event.detail;
        else delete view.detail;
        if (event.state !== 'ready') delete view.busyWith;
        if (event.state !== 'starting' && s.run.debugListening?.worker === event.worker) {
          delete s.run.debugListening;
          this.runChanged = true;
        }
        this.workersChanged = true;
        return;
      }
      case 'debugListening':
        s.run.debugListening = { host: event.host, port: event.port, worker: event.worker };
        this.runChanged = true;
        return;
      case 'miniBatchStarted':
        this.worker(event.worker).busyWith = event.index;
        this.workersChanged = true;
        return;
      case 'miniBatchDone':
        this.idle(event.worker, event.index);
        return;
      case 'miniBatchFailed':
        this.idle(event.failure.worker, event.failure.index);
        this.addFailure(event.failure);
        return;
      case 'progress':
        s.run.counts = event.counts;
        s.run.elapsedMs = event.elapsedMs;
        this.runChanged = true;
        return;
      case 'log':
        this.addLog(event.source, event.stream, event.text);
        return;
      case 'warning':
        if (s.warnings.length < MAX_WARNINGS) {
          s.warnings.push(event.message);
          this.warnings.push(event.message);
        } else {
          s.warningsOmitted += 1;
          this.omittedChanged = true;
        }
        return;
      case 'end':
        this.applySummary(event.outcome);
        return;
    }
  }

  /**
   * A cloud job's header and the run status it maps to: the page shows the job's own status, timeline and
   * studio link over the same progress, log and results sections as a local run.
   */
  setCloud(
    cloud: CloudJobHeader,
    run: { status: RunStatus; elapsedMs: number; startedAt?: string; reason?: string; counts?: RunCounts },
  ): void {
    const r = this.state.run;
    r.cloud = cloud;
    r.status = run.status;
    // The badge and the title say the service's word (Queued, Preparing, Finalizing…), as the job's strip does.
    r.phase = statusFromRest(cloud.status) ?? r.phase;
    r.elapsedMs = run.elapsedMs;
    if (run.startedAt) r.startedAt = run.startedAt;
    if (run.reason) r.reason = run.reason;
    else delete r.reason;
    if (run.counts) r.counts = run.counts;
    this.runChanged = true;
  }

  /**
   * Takes how a run ended as the final word: a local run's summary (live, or read from summary.json for a
   * past run), or a cloud job's outcome (what it lacks, the header keeps from the run's events).
   */
  applySummary(summary: RunOutcome & { runDir?: string; nodeName?: string; specFile?: string }): void {
    const s = this.state;
    const before = s.run;
    s.run = {
      title: before.title,
      runDir: summary.runDir ?? before.runDir,
      nodeName: summary.nodeName ?? before.nodeName,
      specFile: summary.specFile ?? before.specFile,
      status: summary.status,
      reason: summary.reason,
      counts: summary.counts ?? before.counts,
      elapsedMs: summary.durationMs ?? before.elapsedMs,
      workers: summary.workers ?? before.workers,
      outputFile: summary.outputFile,
      logsDir: summary.logsDir ?? before.logsDir,
      startedAt: summary.startedAt ?? before.startedAt,
      failure: summary.headline ?? before.failure,
      ...this.place,
    };
    if (before.kind) Object.assign(s.run, { kind: before.kind, phase: summary.status, timeline: before.timeline, url: before.url });
    for (const key of Object.keys(s.run) as (keyof RunHeader)[]) if (s.run[key] === undefined) delete s.run[key];
    if (summary.failures) {
      s.failures = summary.failures.slice(0, MAX_FAILURES).map(failureView);
      s.failuresOmitted = Math.max(0, summary.failures.length - MAX_FAILURES);
    }
    if (summary.warnings) {
      s.warnings = summary.warnings.slice(0, MAX_WARNINGS);
      s.warningsOmitted = Math.max(0, summary.warnings.length - MAX_WARNINGS);
    }
    for (const w of s.workers) delete w.busyWith;
    this.markReset();
  }

  /**
   * What the page needs to catch up since the last call: a snapshot after a reset (run start, summary, or
   * `markReset` for a page that just loaded), else an update, else nothing.
   */
  takeUpdate(): HostMessage | undefined {
    if (this.reset) {
      this.clearPending();
      return { type: 'snapshot', state: this.state };
    }
    const delta: PanelDelta = {};
    if (this.runChanged) delta.run = this.state.run;
    if (this.workersChanged) delta.workers = this.state.workers;
    if (this.logs.size > 0) {
      delta.logs = [...this.logs].map(([worker, pending]): LogDelta =>
        pending === 'replace'
          ? { worker, kind: 'replace', tail: this.state.logs[worker] }
          : { worker, kind: 'append', chunks: pending.chunks },
      );
    }
    if (this.failures.length > 0) delta.failures = this.failures;
    if (this.warnings.length > 0) delta.warnings = this.warnings;
    if (this.omittedChanged) {
      delta.failuresOmitted = this.state.failuresOmitted;
      delta.warningsOmitted = this.state.warningsOmitted;
    }
    this.clearPending();
    return Object.keys(delta).length > 0 ? { type: 'update', delta } : undefined;
  }

  /** The page lost its state (it was hidden, or reloaded): the next update is a snapshot. */
  markReset(): void {
    this.reset = true;
  }

  /** True when `file:line` is a location of a failure this run reported: the only files the page may open. */
  isReportedLocation(file: string, line: number): boolean {
    return this.state.failures.some(
      (f) =>
        (f.error.frames ?? []).some((fr) => fr.file === file && fr.line === line) ||
        tracebackLocations(f.error.traceback ?? '').some((l) => l.file === file && l.line === line),
    );
  }

  private worker(name: string): WorkerView {
    let view = this.state.workers.find((w) => w.name === name);
    if (!view) {
      view = { name, state: 'starting' };
      this.state.workers.push(view);
      this.state.workers.sort((a, b) => a.name.localeCompare(b.name));
    }
    return view;
  }

  private idle(worker: string, index: number): void {
    const view = this.state.workers.find((w) => w.name === worker);
    if (view?.busyWith === index) {
      delete view.busyWith;
      this.workersChanged = true;
    }
  }

  private addFailure(failure: MiniBatchFailure): void {
    const s = this.state;
    if (s.failures.length >= MAX_FAILURES) {
      s.failuresOmitted += 1;
      this.omittedChanged = true;
      return;
    }
    const view = failureView(failure);
    s.failures.push(view);
    this.failures.push(view);
  }

  private addLog(worker: string, stream: LogStream, text: string): void {
    appendLog((this.state.logs[worker] ??= emptyTail()), stream, text);
    let pending = this.logs.get(worker);
    if (pending === 'replace') return;
    pending ??= { chunks: [], newlines: 0 };
    pending.chunks.push({ stream, text });
    pending.newlines += countNewlines(text);
    this.logs.set(worker, pending.newlines > LOG_TAIL_LINES ? 'replace' : pending);
  }

  private clearPending(): void {
    this.reset = false;
    this.runChanged = false;
    this.workersChanged = false;
    this.logs.clear();
    this.failures = [];
    this.warnings = [];
    this.omittedChanged = false;
  }
}

function initialState(title: string, runDir: string, place: Pick<RunHeader, 'root' | 'codeDir'>): PanelState {
  const run: RunHeader = { title, runDir, status: 'Running', elapsedMs: 0, workers: 0, logsDir: path.join(runDir, 'logs') };
  if (place.root) run.root = place.root;
  if (place.codeDir) run.codeDir = place.codeDir;
  return {
    run,
    workers: [],
    logs: {},
    failures: [],
    failuresOmitted: 0,
    warnings: [],
    warningsOmitted: 0,
  };
}

export function failureView(f: MiniBatchFailure): FailureView {
  const error = { ...f.error };
  if (error.traceback && error.traceback.length > MAX_TRACEBACK_CHARS) {
    error.traceback = `${error.traceback.slice(0, MAX_TRACEBACK_CHARS)}\n… (cut; the whole traceback is in the run's logs/user/error/)`;
  }
  const view: FailureView = {
    index: f.index,
    attempt: f.attempt,
    worker: f.worker,
    reason: f.reason,
    items: f.items.slice(0, MAX_FAILURE_ITEMS),
    itemCount: f.items.length,
    final: f.final,
    error,
  };
  if (f.failedItems !== undefined) view.failedItems = f.failedItems;
  return view;
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n += 1;
  return n;
}
