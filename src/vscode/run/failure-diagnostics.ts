/**
 * A failed run's errors as diagnostics on the user's lines (source "Parallel Run" in Problems), so F8 walks
 * through them: one per distinct error, on its deepest frame in the user's code. A spec's next run clears
 * what its last run reported.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunSummary } from '../../core/local/types';
import { groupFailures } from '../../shared/headline';

export class FailureDiagnostics implements vscode.Disposable {
  private collection?: vscode.DiagnosticCollection;
  /** Per spec and node: what its last run reported, by file. */
  private readonly bySpec = new Map<string, Map<string, vscode.Diagnostic[]>>();

  /** A run of `specFile`'s node starts: its earlier run's diagnostics go. */
  clear(specFile: string, nodeName: string): void {
    if (this.bySpec.delete(keyOf(specFile, nodeName))) this.publish();
  }

  /** The diagnostics of a finished run (none when it had no failure with a user frame). */
  report(summary: RunSummary, codeDir?: string): number {
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const g of groupFailures(summary.failures, { codeDir })) {
      if (!g.frame || !g.final) continue;
      const line = Math.max(0, g.frame.line - 1);
      const hit = `${g.miniBatches.length} mini-batch${g.miniBatches.length === 1 ? '' : 'es'}${g.items > 0 ? ` (${g.items} item${g.items === 1 ? '' : 's'})` : ''}`;
      const message = `${g.type}${g.message ? `: ${g.message}` : ''} — ${hit} of ${summary.nodeName} failed here.`;
      const d = new vscode.Diagnostic(lineRange(g.frame.file, line), message, vscode.DiagnosticSeverity.Error);
      d.source = 'Parallel Run';
      d.code = g.reason;
      const list = byFile.get(g.frame.file) ?? [];
      list.push(d);
      byFile.set(g.frame.file, list);
    }
    this.bySpec.set(keyOf(summary.specFile, summary.nodeName), byFile);
    this.publish();
    return [...byFile.values()].reduce((n, l) => n + l.length, 0);
  }

  private publish(): void {
    this.collection ??= vscode.languages.createDiagnosticCollection('parallelRun.failures');
    const merged = new Map<string, vscode.Diagnostic[]>();
    for (const byFile of this.bySpec.values()) for (const [file, list] of byFile) merged.set(file, [...(merged.get(file) ?? []), ...list]);
    this.collection.clear();
    for (const [file, list] of merged) this.collection.set(vscode.Uri.file(file), list);
  }

  dispose(): void {
    this.collection?.dispose();
  }
}

/** The code on `line` (its indentation left out): the squiggle, and what F8 reveals without scrolling sideways. */
function lineRange(file: string, line: number): vscode.Range {
  let text = '';
  try {
    text = readFileSync(file, 'utf8').split('\n')[line] ?? '';
  } catch {
    // the file is gone: a point at the line's start still lists it in Problems
  }
  const code = text.replace(/\s+$/, '');
  const start = code.length - code.trimStart().length;
  return new vscode.Range(line, start, line, Math.max(start, code.length));
}

function keyOf(specFile: string, nodeName: string): string {
  return `${path.resolve(specFile)}#${nodeName}`;
}
