/**
 * The Python debugger VS Code attaches with: the Python Debugger extension (`ms-python.debugpy`, which the
 * Python extension installs too). Without it there is nothing to attach, so Debug refuses before starting
 * any worker and says how to fix it.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const DEBUGPY_EXTENSION_ID = 'ms-python.debugpy';
const PYTHON_EXTENSION_ID = 'ms-python.python';

/** True when a debugger of type `debugpy` can be attached; otherwise shows the fix and returns false. */
export function ensureDebuggerExtension(): boolean {
  if (vscode.extensions.getExtension(DEBUGPY_EXTENSION_ID) || vscode.extensions.getExtension(PYTHON_EXTENSION_ID)) return true;
  const install = 'Install Python Debugger';
  void vscode.window
    .showErrorMessage(
      'Debug locally attaches VS Code’s Python debugger to the worker, and the Python Debugger extension (ms-python.debugpy) is not installed. Install it, then run Debug locally again.',
      install,
    )
    .then((choice) => {
      if (choice === install) void vscode.commands.executeCommand('workbench.extensions.installExtension', DEBUGPY_EXTENSION_ID);
    });
  return false;
}

/**
 * The debugpy package the Python Debugger extension ships (`bundled/libs`), to put on the worker's
 * PYTHONPATH: then the user's interpreter needs no `pip install debugpy` to be debugged.
 */
export function bundledDebugpyDir(): string | undefined {
  const extension = vscode.extensions.getExtension(DEBUGPY_EXTENSION_ID);
  if (!extension) return undefined;
  const libs = path.join(extension.extensionPath, 'bundled', 'libs');
  return existsSync(path.join(libs, 'debugpy', '__init__.py')) ? libs : undefined;
}
