/**
 * Quick fixes for spec diagnostics (the lightbulb, Ctrl+.): the edits come from quick-fix-edits.ts; creating
 * a missing entry script runs a command that writes the template (loaded on first use) and opens it.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { lazy } from '../load';
import { AUTHORING_COMMAND } from './ids';
import { quickFixesFor } from './quick-fix-edits';

export class SpecQuickFixes implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== 'Parallel Run' || typeof diagnostic.code !== 'string') continue;
      const fixes = quickFixesFor(
        { rule: diagnostic.code, message: diagnostic.message, rangeText: document.getText(diagnostic.range) },
        document.getText(),
      );
      for (const fix of fixes) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        if (fix.kind === 'replace') {
          action.edit = new vscode.WorkspaceEdit();
          action.edit.replace(document.uri, diagnostic.range, fix.newText);
          action.isPreferred = fix.preferred;
        } else if (fix.kind === 'insert') {
          action.edit = new vscode.WorkspaceEdit();
          action.edit.insert(document.uri, new vscode.Position(fix.line, 0), fix.text);
        } else {
          action.command = {
            command: AUTHORING_COMMAND.createEntryScript,
            title: fix.title,
            arguments: [fix.file, fix.tabular, document.uri],
          };
        }
        actions.push(action);
      }
    }
    return actions;
  }
}

/** Writes `file` from the entry-script template (never over an existing file), opens it, re-checks the spec. */
export async function createEntryScript(
  file: unknown,
  tabular: unknown,
  spec: unknown,
  recheck: (doc: vscode.TextDocument) => Promise<void>,
): Promise<void> {
  if (typeof file !== 'string' || !path.isAbsolute(file) || !file.endsWith('.py')) return;
  const { renderEntryScript, entryScriptNameProblem } = await lazy();
  const name = path.basename(file, '.py');
  const problem = entryScriptNameProblem(name);
  if (problem) {
    void vscode.window.showErrorMessage(`Cannot create ${path.basename(file)}: ${problem}`);
    return;
  }
  await fs.mkdir(path.dirname(file), { recursive: true });
  try {
    await fs.writeFile(file, renderEntryScript({ kind: tabular === true ? 'tabular' : 'files', name }), { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false, viewColumn: vscode.ViewColumn.Beside });
  const specDoc = spec instanceof vscode.Uri ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === spec.toString()) : undefined;
  if (specDoc) await recheck(specDoc);
}
