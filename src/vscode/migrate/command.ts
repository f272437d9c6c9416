/**
 * "Migrate ParallelRunStep to v2…" on a .py file or a notebook: writes the v2 spec, conda files and the
 * migration report into `<name>-v2/` beside it (core/scaffold/migrate), then opens the spec and the report.
 *
 * It needs a trusted workspace: the code is only parsed (Python's `ast`, nothing in it runs), but the
 * interpreter that parses it may come from this workspace's settings (parallelRun.pythonPath).
 */
import * as path from 'node:path';
import { existsSync, readdirSync } from 'node:fs';
import * as vscode from 'vscode';
import { registerCommandTable } from '../commands/register';
import type { Ctx } from '../ctx';
import { lazy } from '../load';
import { resolveInterpreter } from '../python/interpreter';
import { MIGRATE_COMMANDS } from './ids';

/** Registers the command; its handler loads the converter only when it runs. */
export function registerMigrate(ctx: Ctx): void {
  ctx.extension.subscriptions.push(
    registerCommandTable(ctx.log, MIGRATE_COMMANDS, { migrateV1: (uri?: vscode.Uri) => migrateCommand(ctx, uri) }),
  );
}

async function migrateCommand(ctx: Ctx, uri?: vscode.Uri): Promise<void> {
  const file = await chooseFile(uri);
  if (!file) return;
  // The converter reads the file from disk: save what the editor holds first.
  const open =
    vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file.fsPath) ??
    vscode.workspace.notebookDocuments.find((n) => n.uri.fsPath === file.fsPath);
  if (open?.isDirty) await open.save();
  const outDir = path.join(path.dirname(file.fsPath), `${path.basename(file.fsPath).replace(/\.(py|ipynb)$/i, '')}-v2`);
  let overwrite = false;
  if (existsSync(outDir) && readdirSync(outDir).length > 0) {
    const replace = 'Replace';
    const choice = await vscode.window.showWarningMessage(
      `${path.basename(outDir)} already exists. Replace the files the migration writes there?`,
      { modal: true },
      replace,
    );
    if (choice !== replace) return;
    overwrite = true;
  }
  const interpreter = await resolveInterpreter(file, ctx.log);
  const { migrateFile } = await lazy();
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Migrating ${path.basename(file.fsPath)} to a v2 spec…` },
    () => migrateFile(file.fsPath, { outDir, python: interpreter.path, overwrite }),
  );
  ctx.log.info(
    `Migrated ${file.fsPath} → ${result.written.join(', ')} (parsed with ${interpreter.path ?? 'python3'}, ${interpreter.source})`,
  );
  await vscode.window.showTextDocument(vscode.Uri.file(result.specFile), { preview: false });
  await vscode.commands.executeCommand('markdown.showPreviewToSide', vscode.Uri.file(result.reportFile));
  const manual = result.plan.rows.filter((r) => r.manual).length + result.plan.scriptChanges.length;
  void vscode.window.showInformationMessage(
    manual
      ? `Migrated to ${path.basename(outDir)}/: ${manual} item(s) to do by hand, listed in the report.`
      : `Migrated to ${path.basename(outDir)}/: nothing left to do by hand.`,
  );
}

/** The file the command was invoked on, else the active editor's, else one the user picks. */
async function chooseFile(uri?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const candidates = [uri, vscode.window.activeNotebookEditor?.notebook.uri, vscode.window.activeTextEditor?.document.uri];
  const found = candidates.find((u) => u?.scheme === 'file' && /\.(py|ipynb)$/i.test(u.fsPath));
  if (found) return found;
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    filters: { 'Python or notebook': ['py', 'ipynb'] },
    openLabel: 'Migrate to v2',
    title: 'SDK v1 code with ParallelRunStep to migrate',
  });
  return picked?.[0];
}
