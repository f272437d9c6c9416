/**
 * What every feature gets: the extension's context, the log channel and the runs in progress.
 * Deliberately small: features take what they need from here and keep their own state.
 */
import * as vscode from 'vscode';
import { LiveRuns } from './run/live-runs';

export interface Ctx {
  readonly extension: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly runs: LiveRuns;
}

export function createCtx(extension: vscode.ExtensionContext): Ctx {
  const log = vscode.window.createOutputChannel('Parallel Run', { log: true });
  const runs = new LiveRuns();
  extension.subscriptions.push(log, runs);
  return { extension, log, runs };
}
