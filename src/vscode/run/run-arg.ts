/** The run folder a command was given: a path, a Uri, or a row of the Local Runs view. */
import * as vscode from 'vscode';

export function runDirOf(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg) return arg;
  if (arg instanceof vscode.Uri) return arg.fsPath;
  if (typeof arg === 'object' && arg !== null && typeof (arg as { runDir?: unknown }).runDir === 'string')
    return (arg as { runDir: string }).runDir;
  return undefined;
}
