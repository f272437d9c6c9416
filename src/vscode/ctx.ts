/**
 * What every feature gets: the extension's context, the log channel and the runs in progress.
 * Deliberately small: features take what they need from here and keep their own state.
 */
import * as vscode from 'vscode';
import { FailureDiagnostics } from './run/failure-diagnostics';
import { LiveRuns } from './run/live-runs';

export interface Ctx {
  readonly extension: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly runs: LiveRuns;
  /** Failed runs' errors on the user's lines, in Problems. */
  readonly failures: FailureDiagnostics;
}

export function createCtx(extension: vscode.ExtensionContext): Ctx {
  const log = vscode.window.createOutputChannel('Parallel Run', { log: true });
  const runs = new LiveRuns();
  const failures = new FailureDiagnostics();
  extension.subscriptions.push(log, runs, failures);
  return { extension, log, runs, failures };
}
