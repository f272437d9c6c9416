/**
 * Authoring aids: "New Entry Script…", squiggles and hovers in parallel specs. Registration only creates
 * cheap objects and listeners; specs are read when a YAML document with `type: parallel` needs it.
 */
import * as vscode from 'vscode';
import { SpecDiagnostics } from './diagnostics';
import { SpecHoverProvider } from './hover';
import { NEW_ENTRY_SCRIPT_COMMAND, newEntryScript } from './scaffold-command';

const YAML_DOCUMENTS: vscode.DocumentSelector = [
  { language: 'yaml', scheme: 'file' },
  { language: 'yaml', scheme: 'untitled' },
];

export function registerAuthoring(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  context.subscriptions.push(
    // From the explorer's context menu the first argument is the folder (or file) clicked.
    vscode.commands.registerCommand(NEW_ENTRY_SCRIPT_COMMAND, (target?: unknown) => newEntryScript(log, target instanceof vscode.Uri ? target : undefined)),
    vscode.languages.registerHoverProvider(YAML_DOCUMENTS, new SpecHoverProvider()),
    new SpecDiagnostics(log),
  );
}
