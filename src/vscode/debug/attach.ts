/**
 * Attaches VS Code's Python debugger to a worker started under debugpy. Stopping the debugger detaches
 * (an attach session does not end its debuggee), so the run goes on; the progress notification cancels it.
 */
import * as vscode from 'vscode';
import { waitForListener } from './free-port';

export interface DebugTarget {
  host: string;
  port: number;
  worker: string;
}

/** The local run a debugger attaches to; `abort` stops it when the attach fails. */
export interface DebuggedRun {
  specFile: string;
  nodeName: string;
  runDir: string;
  abort: AbortController;
}

/**
 * Starts a `debugpy` attach session once the worker listens. Called for every `debugListening` event:
 * a worker restarted after a failed init() listens again and gets a new session. `gate` aborts the wait
 * when that worker exits before listening (e.g. its interpreter has no debugpy).
 */
export async function attachDebugger(
  run: DebuggedRun,
  target: DebugTarget,
  log: vscode.LogOutputChannel,
  gate: AbortSignal,
): Promise<void> {
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(run.specFile));
  const signal = AbortSignal.any([run.abort.signal, gate]);
  if (!(await waitForListener(target.port, 30_000, signal))) {
    if (!signal.aborted) log.error(`The worker did not start listening for the debugger on ${target.host}:${target.port} within 30 s.`);
    return;
  }
  const configuration: vscode.DebugConfiguration = {
    type: 'debugpy',
    request: 'attach',
    name: `Parallel Run: ${run.nodeName}`,
    connect: { host: target.host, port: target.port },
    justMyCode: true,
  };
  log.info(`Attaching the debugger to ${target.worker} on ${target.host}:${target.port}`);
  const started = await vscode.debug.startDebugging(folder, configuration);
  if (!started) {
    log.error(`VS Code could not start the debugpy attach session for ${run.runDir}; canceling the run.`);
    run.abort.abort();
  }
}
