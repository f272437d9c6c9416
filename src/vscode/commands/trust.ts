/**
 * Running an entry script executes workspace code, so Run and Debug exist in two forms: the real one in
 * a trusted workspace, and one that explains why it refuses (and offers the way out) in an untrusted one.
 */
import * as vscode from 'vscode';

const WHY =
  'Running or debugging an entry script executes code from this workspace, so Parallel Run only does it in a trusted workspace.';

/** Wraps a command so that, while the workspace is untrusted, it refuses with the reason and resolves undefined. */
export function requiresTrust<A extends unknown[], R>(what: string, run: (...args: A) => Promise<R>): (...args: A) => Promise<R | undefined> {
  return async (...args: A) => {
    if (vscode.workspace.isTrusted) return run(...args);
    refuseUntrusted(what);
    return undefined;
  };
}

/** Shows the refusal without waiting on it: the command resolves at once, the user answers when they like. */
export function refuseUntrusted(what: string): void {
  const manage = 'Manage Workspace Trust';
  void vscode.window.showWarningMessage(`${what} is disabled: ${WHY}`, manage).then((choice) => {
    if (choice === manage) void vscode.commands.executeCommand('workbench.trust.manage');
  });
}
