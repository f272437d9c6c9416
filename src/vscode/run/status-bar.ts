/**
 * The status bar while runs are in progress: the latest run's progress with a Cancel button beside it; its
 * result (and, when it failed, the headline error) for a moment after.
 */
import * as vscode from 'vscode';
import { countsLong, countsShort, deriveCounts } from '../../shared/counts';
import { COMMAND } from '../commands/ids';
import type { LiveRun, LiveRuns } from './live-runs';
import { runHeadline } from './outcome';

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
    const active = runs.all().filter((r) => !r.summary);
    if (hideTimer) clearTimeout(hideTimer);
    hideTimer = undefined;
    const latest = active[active.length - 1];
    void vscode.commands.executeCommand('setContext', 'parallelRun.running', active.length > 0);
    if (latest) {
      const c = latest.counts ? deriveCounts('Running', latest.counts) : undefined;
      const more = active.length > 1 ? ` (+${active.length - 1} more)` : '';
      // A pipeline: "pipeline · step 2/3 · 4/10"; the counts are the running parallel step's.
      const step = latest.step ? ` · ${latest.step}` : '';
      const counted = c ? (latest.step ? ` · ${c.finished}/${c.total}` : ` ${c.finished}/${c.total}`) : '';
      item.text = `$(${latest.debug ? 'debug-alt' : 'sync~spin'}) ${latest.nodeName}${step}${counted}${more}`;
      item.tooltip = `Parallel Run: ${latest.debug ? 'debugging' : 'running'} ${latest.nodeName}${step}${c ? ` (${countsLong(c)})` : ''}. Click to open its panel.`;
      item.command = { command: COMMAND.openRun, title: 'Open Run', arguments: [latest.runDir] };
      item.backgroundColor = undefined;
      item.show();
      cancel.tooltip = `Cancel the run of ${latest.nodeName}`;
      cancel.command = { command: COMMAND.cancelRun, title: 'Cancel Run', arguments: [latest.runDir] };
      cancel.show();
      return;
    }
    cancel.hide();
    const ended = run?.summary;
    if (!ended) {
      item.hide();
      return;
    }
    const c = deriveCounts(ended.status, ended.counts, ended.workers);
    const icon = ended.status === 'Completed' ? 'pass' : ended.status === 'Failed' ? 'error' : 'circle-slash';
    item.text = `$(${icon}) ${ended.nodeName} ${countsShort(c)}`;
    const why = ended.status === 'Failed' ? ` ${runHeadline(ended, run?.codeDir)}` : ended.reason && !run?.canceledByUser ? ` ${ended.reason}` : '';
    item.tooltip = `Parallel Run: ${ended.nodeName} ${ended.status.toLowerCase()}.${why}\n${countsLong(c)}\nClick to open its panel.`;
    item.command = { command: COMMAND.openRun, title: 'Open Run', arguments: [ended.runDir] };
    item.backgroundColor = ended.status === 'Failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
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
