/** The extension's settings (package.json `contributes.configuration`), read fresh on every use. */
import * as vscode from 'vscode';

const section = (resource?: vscode.Uri) => vscode.workspace.getConfiguration('parallelRun', resource);

export const config = {
  /** `parallelRun.pythonPath`; '' when unset. Ignored in untrusted workspaces (restrictedConfigurations). */
  pythonPath: (resource?: vscode.Uri): string => section(resource).get<string>('pythonPath', '').trim(),
  /** `parallelRun.sample.miniBatches`: the default sample, "first N mini-batches". */
  sampleMiniBatches: (resource?: vscode.Uri): number => Math.max(1, Math.floor(section(resource).get<number>('sample.miniBatches', 2))),
  /** `parallelRun.runsFolder`: relative to the spec's folder, or absolute. */
  runsFolder: (resource?: vscode.Uri): string =>
    section(resource).get<string>('runsFolder', '.parallel-run/runs').trim() || '.parallel-run/runs',
  codeLensEnabled: (): boolean => section().get<boolean>('codeLens.enabled', true),
};
