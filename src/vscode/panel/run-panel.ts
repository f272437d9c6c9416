/**
 * The run panel's host side: one webview per spec and node, showing its latest (or a chosen) run, fed the
 * run's events (coalesced), its summary and pages of its results; it opens traceback locations itself and hands every other action to its owner.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunSummary } from '../../core/local/types';
import { localSummaryOf, type RunModelEvent, type RunOutcome } from '../../core/runs/model';
import type { PipelineEvent } from '../../core/pipeline/types';
import { PipelineState } from './pipeline-state';
import { ResultsReader, readRunOutputFormat, type AppendRowDialect, type RunOutputFormat } from '../../core/local/results';
import { makeNonce, renderPanelHtml } from './html';
import {
  parsePageMessage,
  UPDATES_PER_SECOND,
  type ActionKind,
  type HostMessage,
  type PanelAction,
  type ResultsStatus,
  type RunHeader,
} from '../../shared/protocol';
import { RunState } from './run-state';
import type { CloudJobHeader } from '../../core/azure/submit/job-view';
import { relativeTime } from '../../core/runs/relative-time';
import { nodeRunHistory, type RunRef } from '../../core/runs/history';

/** What a user asked for in the panel. `index` is the mini-batch for `debugMiniBatch`. */
export interface RunPanelActionRequest {
  action: ActionKind;
  index?: number;
  file?: string;
  line?: number;
  /** The run the panel showed when the user asked (in a pipeline panel: the selected step's run for run actions). */
  runDir: string;
  /** Pipeline panels: the pipeline run folder, and for step actions the file or folder to open. */
  pipelineRunDir?: string;
  path?: string;
  /** The panel showed an Azure ML job: its owner (the cloud jobs) acts, the local run wiring does not. */
  cloud?: boolean;
}

/** What a panel shows: a run of a spec's node. One panel per spec and node; a new run of it reuses the panel. */
export interface PanelTarget {
  specFile: string;
  nodeName: string;
  runDir: string;
  /** The workspace folder and the entry script's code folder: the page shows paths and lines relative to them. */
  place?: Pick<RunHeader, 'root' | 'codeDir'> & { realRoot?: string };
  /** A whole pipeline run (`nodeName` is then the pipeline's name): one panel per pipeline spec. */
  pipeline?: boolean;
}

const FLUSH_MS = 1000 / UPDATES_PER_SECOND;
/** The tab title says "5 min ago": it is brought up to date this often. */
const TITLE_REFRESH_MS = 30_000;

export class RunPanel implements vscode.Disposable {
  static readonly viewType = 'parallelRun.runPanel';
  private static readonly open = new Map<string, RunPanel>();

  /**
   * The panel of the target's spec and node, showing the target's run: revealed if it is open (a new run
   * replaces the one it showed), else a new one beside the source editor, never in a third editor group.
   */
  static createOrShow(extensionUri: vscode.Uri, target: PanelTarget): RunPanel {
    const existing = RunPanel.open.get(specKey(target));
    if (existing) {
      existing.showRun(target);
      existing.panel.reveal(undefined, true);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      RunPanel.viewType,
      target.nodeName,
      { viewColumn: RunPanel.column(), preserveFocus: true },
      webviewOptions(extensionUri),
    );
    return RunPanel.adopt(panel, extensionUri, target);
  }

  /** A panel VS Code restored after a reload (webview serializer): it shows the run it showed before. */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, target: PanelTarget): RunPanel {
    panel.webview.options = webviewOptions(extensionUri);
    const existing = RunPanel.open.get(specKey(target));
    if (existing) {
      // The same spec restored twice (two tabs before the reload): one panel per spec.
      panel.dispose();
      existing.showRun(target);
      return existing;
    }
    return RunPanel.adopt(panel, extensionUri, target);
  }

  /** The panel showing `runDir`, if one is open. */
  static showing(runDir: string): RunPanel | undefined {
    const key = path.resolve(runDir);
    return [...RunPanel.open.values()].find((p) => p.runDir === key);
  }

  private static adopt(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, target: PanelTarget): RunPanel {
    const created = new RunPanel(panel, extensionUri, target);
    RunPanel.open.set(created.key, created);
    return created;
  }

  /** Where a new panel goes: the group of another run panel, else beside the editor without making a third group. */
  private static column(): vscode.ViewColumn {
    const other = [...RunPanel.open.values()].find((p) => p.panel.viewColumn !== undefined);
    if (other?.panel.viewColumn !== undefined) return other.panel.viewColumn;
    const groups = vscode.window.tabGroups?.all ?? [];
    const active = vscode.window.tabGroups?.activeTabGroup?.viewColumn;
    if (groups.length >= 2 && active !== undefined) {
      const last = Math.max(...groups.map((g) => g.viewColumn));
      return active >= last ? active - 1 : active + 1;
    }
    return vscode.ViewColumn.Beside;
  }

  private state: RunState;
  private readonly key: string;
  private target: PanelTarget;
  private readonly actions = new vscode.EventEmitter<RunPanelActionRequest>();
  private readonly disposed = new vscode.EventEmitter<void>();
  private readonly switched = new vscode.EventEmitter<string>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private pageReady = false;
  private flushTimer?: ReturnType<typeof setTimeout>;
  private titleTimer?: ReturnType<typeof setInterval>;
  private results?: { reader: ResultsReader; format: RunOutputFormat; layout?: 'table' | 'lines'; columns?: string[] };
  private resultsMessage: HostMessage = { type: 'resultsStatus', status: { kind: 'waiting' } };
  private resultsRequest = 0;
  private isDisposed = false;
  /** The run folder shown now. */
  runDir: string;
  /** The node's runs as last sent to the page: the only ones `showRun` may turn to. */
  private history: RunRef[] = [];
  private historyRequest = 0;
  /** Set for a pipeline panel: the steps, and the selected step's run view in `state`. */
  private pipeline?: PipelineState;
  private pipelineChanged = false;

  /** Fires once when the user closes the panel (or it is disposed). */
  readonly onDidDispose: vscode.Event<void> = this.disposed.event;
  /** Fires with the run folder the panel stopped showing when it turns to another run of its spec. */
  readonly onDidSwitchRun: vscode.Event<string> = this.switched.event;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    target: PanelTarget,
  ) {
    this.key = specKey(target);
    this.target = target;
    this.runDir = path.resolve(target.runDir);
    this.state = new RunState(target.nodeName, this.runDir, target.place);
    if (target.pipeline) this.pipeline = new PipelineState(target.nodeName, this.runDir, target.specFile, target.place);
    const webview = panel.webview;
    webview.html = renderPanelHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.css')).toString(),
      title: target.nodeName,
    });
    this.subscriptions.push(
      webview.onDidReceiveMessage((raw: unknown) => this.onMessage(raw)),
      // Hidden, the page is gone (no retained context): it says `ready` again when shown.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.pageReady = false;
      }),
      panel.onDidDispose(() => this.dispose()),
    );
    this.updateTitle();
    void this.refreshHistory();
    this.titleTimer = setInterval(() => this.updateTitle(), TITLE_REFRESH_MS);
    this.titleTimer.unref?.();
  }

  /** Turns the panel to another run of its spec: a fresh state, the results of that run. */
  private showRun(target: PanelTarget): void {
    const runDir = path.resolve(target.runDir);
    this.target = target;
    if (runDir === this.runDir) return;
    const previous = this.runDir;
    this.runDir = runDir;
    this.state = new RunState(target.nodeName, runDir, target.place);
    if (target.pipeline) {
      this.pipeline = new PipelineState(target.nodeName, runDir, target.specFile, target.place);
      this.pipelineChanged = true;
    }
    this.resetResults();
    this.flush();
    this.updateTitle();
    void this.refreshHistory();
    this.switched.fire(previous);
  }

  /** Shows one event of the run (local or cloud); updates reach the page coalesced, at most 10 a second. */
  post(event: RunModelEvent): void {
    if (this.isDisposed) return;
    this.state.apply(event);
    if (event.type === 'start' || event.type === 'end') {
      this.updateTitle();
      void this.refreshHistory();
    }
    if (event.type === 'start') this.resetResults();
    if (event.type === 'end') this.showSummary(event.outcome);
    else if (event.type === 'start') this.flush();
    else this.scheduleFlush();
  }

  /** Shows a finished run: the live one's end (local or cloud), or a past run read from its summary.json. */
  setSummary(summary: RunOutcome): void {
    if (this.isDisposed) return;
    this.state.applySummary(summary);
    this.updateTitle();
    void this.refreshHistory();
    this.showSummary(summary);
  }

  /**
   * Cloud jobs: the job's header and run status (the run's log lines and counts come as `post`ed events). The
   * results section says where the results are until they are downloaded.
   */
  showCloud(cloud: CloudJobHeader, run: Parameters<RunState['setCloud']>[1], results?: string): void {
    if (this.isDisposed) return;
    const before = this.state.current.run.status;
    this.state.setCloud(cloud, run);
    if (before !== run.status) {
      this.updateTitle();
      void this.refreshHistory();
    }
    if (results) this.setResults({ type: 'resultsStatus', status: { kind: 'none', message: results } });
    this.scheduleFlush();
  }

  /**
   * Cloud jobs: the rows of the job's append_row file once downloaded, read with the to_csv keywords the job's
   * driver used (its `parallel_run_step.settings.json`, else the driver's defaults).
   */
  showResultsFile(file: string, dialect: AppendRowDialect): void {
    if (this.isDisposed) return;
    this.results = { reader: new ResultsReader(file, dialect), format: { dialect } };
    void this.showResultsPage(0);
  }

  /** Cloud jobs: what the results section says instead of rows (downloading, nothing to show, a failure). */
  showResultsMessage(message: string, error = false): void {
    if (this.isDisposed) return;
    this.results = undefined;
    this.resultsRequest += 1;
    this.setResults({ type: 'resultsStatus', status: { kind: error ? 'error' : 'none', message } });
  }

  /** Pipeline panels: one pipeline event; the selected parallel step's run view follows its own events. */
  postPipeline(event: PipelineEvent): void {
    if (this.isDisposed || !this.pipeline) return;
    const before = this.pipeline.current.selected;
    const changed = this.pipeline.apply(event);
    this.pipelineChanged = true;
    const selected = this.pipeline.current.selected;
    if (selected !== before) this.showStep();
    else if (changed && changed === selected) {
      const run = this.pipeline.runOf(changed);
      if (run && run !== this.state) this.showStep();
      else if (event.type === 'nodeEnd' || (event.type === 'nodeEvent' && event.event.type === 'end')) this.showStep();
    }
    if (event.type === 'pipelineStart' || event.type === 'pipelineEnd') this.updateTitle();
    if (event.type === 'pipelineEnd') this.flush();
    else this.scheduleFlush();
  }

  /** Pipeline panels: a finished pipeline run, folded from its summary.json (see PipelineState.fromSummary). */
  setPipeline(state: PipelineState): void {
    if (this.isDisposed || !this.pipeline) return;
    this.pipeline = state;
    this.pipelineChanged = true;
    this.showStep();
    this.updateTitle();
    this.flush();
  }

  /** Brings the panel to the front without taking focus. */
  reveal(): void {
    if (!this.isDisposed) this.panel.reveal(undefined, true);
  }

  /** The editor group the panel is in (undefined while it is not shown). */
  get viewColumn(): vscode.ViewColumn | undefined {
    return this.isDisposed ? undefined : this.panel.viewColumn;
  }

  get isClosed(): boolean {
    return this.isDisposed;
  }

  /** True for a panel that shows whole pipeline runs. */
  get isPipeline(): boolean {
    return this.pipeline !== undefined;
  }

  /** Turns the run view below the step list to the selected step: its own run state and results. */
  private showStep(): void {
    const p = this.pipeline;
    if (!p) return;
    const name = p.current.selected;
    const run = name ? p.runOf(name) : undefined;
    this.state = run ?? new RunState(name ?? this.target.nodeName, this.runDir, this.target.place);
    this.state.markReset();
    const summary = name ? p.summaryOf(name) : undefined;
    if (summary) void this.loadResults(summary);
    else this.resetResults();
  }

  /** Called for every action but `openFile`, which the panel handles by opening the editor at the line. */
  onDidRequestAction(listener: (request: RunPanelActionRequest) => unknown): vscode.Disposable {
    return this.actions.event(listener);
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    if (RunPanel.open.get(this.key) === this) RunPanel.open.delete(this.key);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.titleTimer) clearInterval(this.titleTimer);
    this.panel.dispose();
    this.disposed.fire();
    for (const d of [...this.subscriptions, this.actions, this.disposed, this.switched]) d.dispose();
  }

  /** Lists the node's runs (the run folders beside this one) for the page's run picker. */
  private async refreshHistory(): Promise<void> {
    const request = ++this.historyRequest;
    const runs = this.pipeline ? [] : await nodeRunHistory(path.dirname(this.runDir), this.target.nodeName);
    if (!runs.some((r) => r.runDir === this.runDir)) runs.unshift({ runDir: this.runDir, status: this.state.current.run.status });
    if (request !== this.historyRequest || this.isDisposed) return;
    this.history = runs;
    if (this.pageReady) this.send({ type: 'history', runs });
  }

  /** "digit_identification · Failed · 5 min ago": the node, how its run ended, when it started. */
  private updateTitle(): void {
    if (this.isDisposed) return;
    const run = this.pipeline?.current ?? this.state.current.run;
    const started = run.startedAt ? new Date(run.startedAt) : undefined;
    const title = [
      this.pipeline?.current.name ?? this.target.nodeName,
      ('phase' in run && run.phase) || run.status,
      started && !Number.isNaN(started.getTime()) ? relativeTime(started) : undefined,
    ]
      .filter(Boolean)
      .join(' · ');
    if (this.panel.title !== title) this.panel.title = title;
  }

  private showSummary(outcome: RunOutcome): void {
    this.flush();
    const local = localSummaryOf(outcome);
    if (local) void this.loadResults(local);
    else if (outcome.outputFile === undefined) {
      // A cloud job's rows are in Azure: they show here once downloaded (its outcome then names the file).
      this.setResults({
        type: 'resultsStatus',
        status: { kind: 'none', message: 'The results of a cloud job show here once they are downloaded.' },
      });
    }
  }

  private scheduleFlush(): void {
    this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pipeline && this.pipelineChanged && this.pageReady) {
      this.pipelineChanged = false;
      this.send({ type: 'pipeline', pipeline: this.pipeline.current });
    }
    const message = this.state.takeUpdate();
    // A page that is not listening gets a snapshot when it says `ready`.
    if (message && this.pageReady) this.send(message);
  }

  private send(message: HostMessage): void {
    if (!this.isDisposed) void this.panel.webview.postMessage(message);
  }

  private onMessage(raw: unknown): void {
    const message = parsePageMessage(raw);
    if (!message) return;
    switch (message.type) {
      case 'ready':
        this.pageReady = true;
        this.pipelineChanged = this.pipeline !== undefined;
        this.state.markReset();
        this.flush();
        this.send(this.resultsMessage);
        this.send({ type: 'history', runs: this.history });
        return;
      case 'requestResultsPage':
        if (message.layout && this.results && message.layout !== this.results.layout) this.relayoutResults(message.layout);
        void this.showResultsPage(message.page);
        return;
      case 'action':
        void this.onAction(message.action);
        return;
    }
  }

  private async onAction(action: PanelAction): Promise<void> {
    if (action.kind === 'selectStep' || action.kind === 'openStepLogs' || action.kind === 'openStepOutput') {
      this.onStepAction(action.kind, action.step);
      return;
    }
    if (this.pipeline && action.kind !== 'openFile') {
      // Run-wide actions act on the pipeline; the others on the selected parallel step's own run.
      const pipelineRunDir = this.pipeline.current.runDir;
      const stepDir = this.state.current.run.runDir;
      if (action.kind === 'rerun' || action.kind === 'cancel')
        this.actions.fire({ action: action.kind, runDir: pipelineRunDir, pipelineRunDir });
      else if (action.kind === 'debugMiniBatch')
        this.actions.fire({ action: action.kind, index: action.index, runDir: stepDir, pipelineRunDir });
      else if (action.kind === 'openLogs' || action.kind === 'openOutput')
        this.actions.fire({ action: action.kind, runDir: stepDir, pipelineRunDir });
      return;
    }
    if (action.kind === 'showRun') {
      // Only a run the panel listed: the page renders user output and is not trusted with paths.
      const listed = this.history.find((r) => r.runDir === action.runDir);
      if (listed && listed.runDir !== this.runDir) this.actions.fire({ action: 'showRun', runDir: listed.runDir });
      return;
    }
    if (action.kind !== 'openFile') {
      const cloud = this.state.current.run.kind === 'cloud' ? { cloud: true } : {};
      this.actions.fire(
        action.kind === 'debugMiniBatch'
          ? { action: action.kind, index: action.index, runDir: this.runDir, ...cloud }
          : { action: action.kind, runDir: this.runDir, ...cloud },
      );
      return;
    }
    // The page shows user output, so it may only open what a reported traceback names.
    if (!this.state.isReportedLocation(action.file, action.line) && !this.pipeline?.isReportedLocation(action.file, action.line)) return;
    const line = Math.max(0, action.line - 1);
    try {
      await vscode.window.showTextDocument(vscode.Uri.file(action.file), {
        viewColumn: this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One,
        selection: new vscode.Range(line, 0, line, 0),
        preview: true,
      });
    } catch (err) {
      void vscode.window.showErrorMessage(`Could not open ${action.file}:${action.line} from the traceback: ${(err as Error).message}`);
    }
  }

  /** Pipeline panels: select a step, or open its logs or output (paths from the host's own state, never the page's). */
  private onStepAction(kind: 'selectStep' | 'openStepLogs' | 'openStepOutput', step: string): void {
    const p = this.pipeline;
    if (!p) return;
    if (kind === 'selectStep') {
      if (!p.select(step)) return;
      this.pipelineChanged = true;
      this.showStep();
      this.flush();
      return;
    }
    const files = p.filesOf(step);
    const target = kind === 'openStepLogs' ? files?.logs : files?.output;
    if (!files || !target) return;
    this.actions.fire({ action: kind, runDir: files.runDir ?? p.current.runDir, pipelineRunDir: p.current.runDir, path: target });
  }

  private resetResults(): void {
    this.results = undefined;
    this.resultsRequest += 1;
    this.setResults({ type: 'resultsStatus', status: { kind: 'waiting' } });
  }

  private async loadResults(summary: RunSummary): Promise<void> {
    this.resultsRequest += 1;
    if (!summary.outputFile) {
      this.results = undefined;
      const message = summary.appendRowTo
        ? `No results: the run ended before any mini-batch returned rows, so it wrote no append_row file to its output ${summary.appendRowTo}.`
        : 'This run writes no append_row output (output_action: summary_only): its results are whatever run() wrote itself.';
      this.setResults({ type: 'resultsStatus', status: { kind: 'none', message } });
      return;
    }
    const format = await readRunOutputFormat(summary.runDir, summary);
    // The worker reported what run() returned; older runs without it fall back to reading the file's head.
    const layout = summary.outputKind === 'list' ? 'lines' : summary.outputKind === 'dataframe' ? 'table' : undefined;
    const reader = new ResultsReader(summary.outputFile, format.dialect, {
      layout,
      preferTable: format.inputKind === 'tabular',
      columns: summary.outputColumns,
    });
    this.results = { reader, format, columns: summary.outputColumns };
    await this.showResultsPage(0);
  }

  /** The user says the guess was wrong: read the same file as columns, or as whole lines. */
  private relayoutResults(layout: 'table' | 'lines'): void {
    if (!this.results) return;
    const { reader, format, columns } = this.results;
    this.results = { reader: new ResultsReader(reader.file, format.dialect, { layout, columns }), format, layout, columns };
  }

  private async showResultsPage(page: number): Promise<void> {
    const reader = this.results?.reader;
    if (!reader) return;
    const request = ++this.resultsRequest;
    const loading = setTimeout(() => {
      if (request === this.resultsRequest) this.setResults({ type: 'resultsStatus', status: { kind: 'loading', file: reader.file } });
    }, 150);
    let message: HostMessage;
    try {
      message = { type: 'resultsPage', page: await reader.page(page) };
    } catch (err) {
      message = { type: 'resultsStatus', status: resultsError(reader.file, err) };
    } finally {
      clearTimeout(loading);
    }
    // A later request (or a new run) wins over this one.
    if (request === this.resultsRequest) this.setResults(message);
  }

  private setResults(message: HostMessage): void {
    this.resultsMessage = message;
    if (this.pageReady) this.send(message);
  }
}

function specKey(target: Pick<PanelTarget, 'specFile' | 'nodeName' | 'pipeline'>): string {
  return target.pipeline ? `${path.resolve(target.specFile)}|pipeline` : `${path.resolve(target.specFile)}#${target.nodeName}`;
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableFindWidget: true,
    retainContextWhenHidden: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

function resultsError(file: string, err: unknown): ResultsStatus {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return { kind: 'none', message: `The output file ${file} does not exist: the run ended before writing it.` };
  return { kind: 'error', message: `Could not read ${file}: ${e.message}` };
}
