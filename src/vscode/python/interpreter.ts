/**
 * The interpreter that runs entry scripts: the `parallelRun.pythonPath` setting, else the Python
 * extension's active environment for the file, else the engine's default ($PARALLEL_RUN_PYTHON, python3).
 */
import * as vscode from 'vscode';
import { config } from '../config';

export const PYTHON_EXTENSION_ID = 'ms-python.python';

export interface Interpreter {
  /** Undefined: let the engine pick ($PARALLEL_RUN_PYTHON, else python3). */
  path?: string;
  /** Where it came from, for messages: "the parallelRun.pythonPath setting", … */
  source: string;
}

export async function resolveInterpreter(resource: vscode.Uri | undefined, log: vscode.LogOutputChannel): Promise<Interpreter> {
  const setting = config.pythonPath(resource);
  if (setting) return { path: setting, source: 'the parallelRun.pythonPath setting' };
  const fromExtension = await activeEnvironment(resource, log);
  if (fromExtension) return { path: fromExtension, source: 'the Python extension’s selected interpreter' };
  const env = process.env.PARALLEL_RUN_PYTHON;
  return env ? { path: env, source: '$PARALLEL_RUN_PYTHON' } : { path: undefined, source: 'the default python3 on PATH' };
}

/** The Python extension's interpreter for `resource`, loading its API only when the extension is installed. */
async function activeEnvironment(resource: vscode.Uri | undefined, log: vscode.LogOutputChannel): Promise<string | undefined> {
  if (!vscode.extensions.getExtension(PYTHON_EXTENSION_ID)) return undefined;
  try {
    const { PythonExtension } = await import('@vscode/python-extension');
    const api = await PythonExtension.api();
    const active = api.environments.getActiveEnvironmentPath(resource);
    const resolved = await api.environments.resolveEnvironment(active);
    return resolved?.executable.uri?.fsPath ?? (active.path || undefined);
  } catch (err) {
    log.warn(`Could not ask the Python extension for its interpreter: ${(err as Error).message}`);
    return undefined;
  }
}

export function pythonExtensionInstalled(): boolean {
  return vscode.extensions.getExtension(PYTHON_EXTENSION_ID) !== undefined;
}
