/**
 * Commands that execute workspace code refuse in an untrusted workspace and say why, offering the way out.
 * The command path (register.ts) calls this for every command whose declaration sets `trust`.
 */
import * as vscode from 'vscode';
import { RUNS_WORKSPACE_CODE } from './declare';

/** Shows the refusal without waiting on it: the command resolves at once, the user answers when they like. */
export function refuseUntrusted(what: string, why: string = RUNS_WORKSPACE_CODE): void {
  const manage = 'Manage Workspace Trust';
  void vscode.window.showWarningMessage(`${what} is disabled: ${why}`, manage).then((choice) => {
    if (choice === manage) void vscode.commands.executeCommand('workbench.trust.manage');
  });
}

/**
 * Wraps a handler so that, while the workspace is untrusted, it refuses with the reason and resolves undefined.
 * Kept for handlers registered before the command path existed; new commands set `trust` in their table instead.
 */
export function requiresTrust<A extends unknown[], R>(
  what: string,
  run: (...args: A) => Promise<R>,
): (...args: A) => Promise<R | undefined> {
  return async (...args: A) => {
    if (vscode.workspace.isTrusted) return run(...args);
    refuseUntrusted(what);
    return undefined;
  };
}
