/**
 * The status bar while runs are in progress: the latest run's progress with a Cancel button beside it; its
 * result (and, when it failed, the headline error) for a moment after.
 */
import * as vscode from 'vscode';
import { COMMAND } from '../commands/ids';
import type { LiveRun, LiveRuns } from './live-runs';
import { activeRunText, endedRunText } from './status-text';

const SHOW_RESULT_MS = 10_000;

/** The items are made when the first run starts: a window that never runs anything pays nothing. */
export function runStatusBar(runs: LiveRuns): vscode.Disposable {
  let made: { item: vscode.StatusBarItem; cancel: vscode.StatusBarItem } | undefined;
  let hideTimer: ReturnType<typeof setTimeout> | undefined;

  const items = () => {
    if (!made) {
      const item = vscode.window.createStatusBarItem('parallelRun.status', vscode.StatusBarAlignment.Left, 0);
      item.name = 'Parallel Run';
      const cancel = vscode.window.createStatusBarItem('parallelRun.cancel', vscode.StatusBarAlignment.Left, -0.1);
      cancel.name = 'Parallel Run: Cancel';
      cancel.text = '$(debug-stop) Cancel';
      made = { item, cancel };
    }
    return made;
  };

  const show = (run: LiveRun | undefined) => {
    const { item, cancel } = items();
    const active = runs.all().filter((r) => !r.outcome);
    if (hideTimer) clearTimeout(hideTimer);
    hideTimer = undefined;
    const latest = active[active.length - 1];
    void vscode.commands.executeCommand('setContext', 'parallelRun.running', active.length > 0);
    if (latest) {
      const shown = activeRunText(latest, active.length - 1);
      item.text = shown.text;
      item.tooltip = shown.tooltip;
      item.command = { command: COMMAND.openRun, title: 'Open Run', arguments: [latest.runDir] };
      item.backgroundColor = undefined;
      item.show();
      cancel.tooltip = `Cancel the run of ${latest.nodeName}`;
      cancel.command = { command: COMMAND.cancelRun, title: 'Cancel Run', arguments: [latest.runDir] };
      cancel.show();
      return;
    }
    cancel.hide();
    const outcome = run?.outcome;
    if (!run || !outcome) {
      item.hide();
      return;
    }
    const root = run.specFile ? vscode.workspace.getWorkspaceFolder(vscode.Uri.file(run.specFile))?.uri.fsPath : undefined;
    const shown = endedRunText({ ...run, outcome }, root);
    item.text = shown.text;
    item.tooltip = shown.tooltip;
    item.command = { command: COMMAND.openRun, title: 'Open Run', arguments: [run.runDir] };
    item.backgroundColor = shown.error ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    item.show();
    hideTimer = setTimeout(() => item.hide(), SHOW_RESULT_MS);
  };

  const sub = runs.onDidChange(show);
  return new vscode.Disposable(() => {
    if (hideTimer) clearTimeout(hideTimer);
    sub.dispose();
    made?.item.dispose();
    made?.cancel.dispose();
  });
}
