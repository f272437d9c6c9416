/**
 * Squiggles in parallel specs: core/spec's checkSpecTextAsync on open, on edits (debounced) and on save.
 * YAML files without a `type: parallel` line cost one regular-expression test; the spec reader itself is
 * in the lazy half of the extension and loads with the first parallel spec. Folders the spec names (MLTable
 * `folder:`/`pattern:` paths, a table folder) are listed asynchronously (checkSpecTextAsync), in slices of
 * the event loop: a 100,000-file input never stalls the extension host. A newer edit, closing the document
 * or disposing cancels the check in flight.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import type { Diagnostic } from '../../core/spec';
import { lazy } from '../load';
import { diagnosticMessage, isParallelSpecText, zeroBasedRange } from './spec-text';

const DEBOUNCE_MS = 300;
const SCHEMES = new Set(['file', 'untitled']);

export class SpecDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('parallel-run');
  private readonly pending = new Map<string, NodeJS.Timeout>();
  /** The check in flight per document, canceled when the text changes again. */
  private readonly running = new Map<string, AbortController>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((doc) => this.schedule(doc, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) this.schedule(e.document, DEBOUNCE_MS);
      }),
      vscode.workspace.onDidSaveTextDocument((doc) => void this.check(doc)),
      vscode.workspace.onDidCloseTextDocument((doc) => this.forget(doc.uri)),
    ];
    // Documents already open when the extension starts: checked off the activation path.
    for (const doc of vscode.workspace.textDocuments) this.schedule(doc, DEBOUNCE_MS);
  }

  private schedule(doc: vscode.TextDocument, delayMs: number): void {
    if (!isCandidate(doc)) return;
    const key = doc.uri.toString();
    clearTimeout(this.pending.get(key));
    this.cancel(key);
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        if (!doc.isClosed) void this.check(doc);
      }, delayMs),
    );
  }

  /** Checks one document now and publishes its findings (or clears them when it is no spec). */
  async check(doc: vscode.TextDocument): Promise<void> {
    if (!isCandidate(doc)) return;
    const key = doc.uri.toString();
    clearTimeout(this.pending.get(key));
    this.pending.delete(key);
    const text = doc.getText();
    if (!isParallelSpecText(text)) {
      this.collection.delete(doc.uri);
      return;
    }
    const version = doc.version;
    this.cancel(key);
    const controller = new AbortController();
    this.running.set(key, controller);
    const { signal } = controller;
    try {
      const { checkSpecTextAsync } = (await lazy()).spec;
      // The document moved on (or closed) while the reader loaded: a newer check publishes instead.
      if (signal.aborted || doc.isClosed || doc.version !== version) return;
      const started = Date.now();
      const { diagnostics } = await checkSpecTextAsync(text, doc.fileName, { signal });
      if (signal.aborted || doc.isClosed || doc.version !== version) return;
      this.collection.set(
        doc.uri,
        diagnostics.map((d) => toEditorDiagnostic(d, doc)),
      );
      this.log.trace(`checked ${doc.fileName}: ${diagnostics.length} finding(s) in ${Date.now() - started} ms`);
      for (const d of diagnostics) if (d.rule === 'internal') this.log.error(`${doc.fileName}: ${d.message}`);
    } catch (e) {
      if ((e as Error)?.name === 'AbortError' || signal.aborted) return;
      this.log.error(`Could not check ${doc.fileName}: ${(e as Error).stack ?? String(e)}`);
    } finally {
      if (this.running.get(key) === controller) this.running.delete(key);
    }
  }

  private cancel(key: string): void {
    this.running.get(key)?.abort();
    this.running.delete(key);
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.pending.get(key));
    this.pending.delete(key);
    this.cancel(key);
    this.collection.delete(uri);
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    for (const c of this.running.values()) c.abort();
    this.running.clear();
    for (const s of this.subscriptions) s.dispose();
    this.collection.dispose();
  }
}

function isCandidate(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'yaml' && SCHEMES.has(doc.uri.scheme);
}

function toEditorDiagnostic(d: Diagnostic, doc: vscode.TextDocument): vscode.Diagnostic {
  const severity = d.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning;
  const inThisFile = path.resolve(d.location.file) === path.resolve(doc.fileName);
  const r = zeroBasedRange(d.location);
  const range = new vscode.Range(r.startLine, r.startCharacter, r.endLine, r.endCharacter);
  // A finding in another file (an MLTable file, a component YAML) is shown at the top of this one and
  // links to where it is.
  const here = inThisFile ? range : doc.lineAt(0).range;
  const where = inThisFile ? '' : `${d.location.file}:${d.location.line}:${d.location.column}: `;
  const diagnostic = new vscode.Diagnostic(here, where + diagnosticMessage(d), severity);
  diagnostic.source = 'Parallel Run';
  diagnostic.code = d.rule;
  if (!inThisFile)
    diagnostic.relatedInformation = [
      new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.file(d.location.file), range), d.message),
    ];
  return diagnostic;
}
