/**
 * Authoring aids: "New Entry Script…", squiggles, quick fixes and hovers in parallel specs. Registration only creates
 * cheap objects and listeners; specs are read when a YAML document with `type: parallel` needs it.
 */
import * as vscode from 'vscode';
import { SpecDiagnostics } from './diagnostics';
import { registerCommandTable } from '../commands/register';
import { SpecHoverProvider } from './hover';
import { AUTHORING_COMMANDS } from './ids';
import { createEntryScript, SpecQuickFixes } from './quick-fixes';
import { newEntryScript } from './scaffold-command';

const YAML_DOCUMENTS: vscode.DocumentSelector = [
  { language: 'yaml', scheme: 'file' },
  { language: 'yaml', scheme: 'untitled' },
];

export function registerAuthoring(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  const diagnostics = new SpecDiagnostics(log);
  context.subscriptions.push(
    vscode.languages.registerCodeActionsProvider(YAML_DOCUMENTS, new SpecQuickFixes(), SpecQuickFixes.metadata),
    registerCommandTable(log, AUTHORING_COMMANDS, {
      createEntryScript: (file?: unknown, tabular?: unknown, spec?: unknown) =>
        createEntryScript(file, tabular, spec, (doc) => diagnostics.check(doc)),
      // From the explorer's context menu the first argument is the folder (or file) clicked.
      newEntryScript: (target?: unknown) => newEntryScript(log, target instanceof vscode.Uri ? target : undefined),
    }),
    vscode.languages.registerHoverProvider(YAML_DOCUMENTS, new SpecHoverProvider()),
    diagnostics,
  );
}
