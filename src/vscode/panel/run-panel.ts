/**
 * The run panel's host side: one webview per run folder, fed the run's events (coalesced), its summary and
 * pages of its results; it opens traceback locations itself and hands every other action to its owner.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunEvent, RunSummary } from '../../core/local/types';
import { ResultsReader, readRunOutputFormat, type RunOutputFormat } from '../../core/local/results';
import { makeNonce, renderPanelHtml } from './html';
import { parsePageMessage, UPDATES_PER_SECOND, type ActionKind, type HostMessage, type PanelAction, type ResultsStatus } from './protocol';
import { RunState } from './run-state';

/** What a user asked for in the panel. `index` is the mini-batch for `debugMiniBatch`. */
export interface RunPanelActionRequest {
  action: ActionKind;
  index?: number;
  file?: string;
  line?: number;
}

const FLUSH_MS = 1000 / UPDATES_PER_SECOND;

export class RunPanel implements vscode.Disposable {
  static readonly viewType = 'parallelRun.runPanel';
  private static readonly open = new Map<string, RunPanel>();

  /** The panel of `runDir`, revealed if it is open, else a new one beside the active editor. */
  static createOrShow(extensionUri: vscode.Uri, title: string, runDir: string): RunPanel {
    const key = path.resolve(runDir);
    const existing = RunPanel.open.get(key);
    if (existing) {
      existing.panel.reveal(undefined, true);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      RunPanel.viewType,
      title,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      {
        enableScripts: true,
        enableFindWidget: true,
        retainContextWhenHidden: false,
        localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
      },
    );
    const created = new RunPanel(panel, extensionUri, title, key);
    RunPanel.open.set(key, created);
    return created;
  }

  private readonly state: RunState;
  private readonly actions = new vscode.EventEmitter<RunPanelActionRequest>();
  private readonly disposed = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private pageReady = false;
  private flushTimer?: ReturnType<typeof setTimeout>;
  private results?: { reader: ResultsReader; format: RunOutputFormat; layout?: 'table' | 'lines' };
  private resultsMessage: HostMessage = { type: 'resultsStatus', status: { kind: 'waiting' } };
  private resultsRequest = 0;
  private isDisposed = false;

  /** Fires once when the user closes the panel (or it is disposed). */
  readonly onDidDispose: vscode.Event<void> = this.disposed.event;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    title: string,
    readonly runDir: string,
  ) {
    this.state = new RunState(title, runDir);
    const webview = panel.webview;
    webview.html = renderPanelHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.css')).toString(),
      title,
    });
    this.subscriptions.push(
      webview.onDidReceiveMessage((raw: unknown) => this.onMessage(raw)),
      // Hidden, the page is gone (no retained context): it says `ready` again when shown.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.pageReady = false;
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  /** Shows one engine event; updates reach the page coalesced, at most 10 a second. */
  post(event: RunEvent): void {
    if (this.isDisposed) return;
    this.state.apply(event);
    if (event.type === 'start') this.resetResults();
    if (event.type === 'end') this.showSummary(event.summary);
    else if (event.type === 'start') this.flush();
    else this.scheduleFlush();
  }

  /** Shows a finished run: the live one's end, or a past run read from its summary.json. */
  setSummary(summary: RunSummary): void {
    if (this.isDisposed) return;
    this.state.applySummary(summary);
    this.showSummary(summary);
  }

  /** Called for every action but `openFile`, which the panel handles by opening the editor at the line. */
  onDidRequestAction(listener: (request: RunPanelActionRequest) => unknown): vscode.Disposable {
    return this.actions.event(listener);
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    RunPanel.open.delete(this.runDir);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.panel.dispose();
    this.disposed.fire();
    for (const d of [...this.subscriptions, this.actions, this.disposed]) d.dispose();
  }

  private showSummary(summary: RunSummary): void {
    this.flush();
    void this.loadResults(summary);
  }

  private scheduleFlush(): void {
    this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
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
        this.state.markReset();
        this.flush();
        this.send(this.resultsMessage);
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
    if (action.kind !== 'openFile') {
      this.actions.fire(action.kind === 'debugMiniBatch' ? { action: action.kind, index: action.index } : { action: action.kind });
      return;
    }
    // The page shows user output, so it may only open what a reported traceback names.
    if (!this.state.isReportedLocation(action.file, action.line)) return;
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

  private resetResults(): void {
    this.results = undefined;
    this.resultsRequest += 1;
    this.setResults({ type: 'resultsStatus', status: { kind: 'waiting' } });
  }

  private async loadResults(summary: RunSummary): Promise<void> {
    this.resultsRequest += 1;
    if (!summary.outputFile) {
      this.results = undefined;
      const message = 'This run writes no append_row output (output_action: summary_only): its results are whatever run() wrote itself.';
      this.setResults({ type: 'resultsStatus', status: { kind: 'none', message } });
      return;
    }
    const format = await readRunOutputFormat(summary.runDir);
    // The worker reported what run() returned; older runs without it fall back to reading the file's head.
    const layout = summary.outputKind === 'list' ? 'lines' : summary.outputKind === 'dataframe' ? 'table' : undefined;
    const reader = new ResultsReader(summary.outputFile, format.dialect, { layout, preferTable: format.inputKind === 'tabular' });
    this.results = { reader, format };
    await this.showResultsPage(0);
  }

  /** The user says the guess was wrong: read the same file as columns, or as whole lines. */
  private relayoutResults(layout: 'table' | 'lines'): void {
    if (!this.results) return;
    const { reader, format } = this.results;
    this.results = { reader: new ResultsReader(reader.file, format.dialect, { layout }), format, layout };
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

function resultsError(file: string, err: unknown): ResultsStatus {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return { kind: 'none', message: `The output file ${file} does not exist: the run ended before writing it.` };
  return { kind: 'error', message: `Could not read ${file}: ${e.message}` };
}
