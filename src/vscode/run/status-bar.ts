/** The status bar while runs are in progress: the latest run's progress; its result for a moment after. */
import * as vscode from 'vscode';
import { countsText } from '../../core/workspace/local-runs';
import { COMMAND } from '../commands/ids';
import type { LiveRun, LiveRuns } from './live-runs';

const SHOW_RESULT_MS = 10_000;

/** The item is made when the first run starts: a window that never runs anything pays nothing. */
export function runStatusBar(runs: LiveRuns): vscode.Disposable {
  let made: vscode.StatusBarItem | undefined;
  let hideTimer: ReturnType<typeof setTimeout> | undefined;

  const show = (run: LiveRun | undefined) => {
    const item = (made ??= vscode.window.createStatusBarItem('parallelRun.status', vscode.StatusBarAlignment.Left, 0));
    item.name = 'Parallel Run';
    const active = runs.all();
    if (hideTimer) clearTimeout(hideTimer);
    hideTimer = undefined;
    const latest = active[active.length - 1];
    if (latest) {
      const mb = latest.counts?.miniBatches;
      const progress = mb ? ` ${mb.succeeded + mb.failed}/${mb.total}` : '';
      const more = active.length > 1 ? ` (+${active.length - 1} more)` : '';
      item.text = `$(${latest.debug ? 'debug-alt' : 'sync~spin'}) ${latest.nodeName}${progress}${more}`;
      item.tooltip = `Parallel Run: ${latest.debug ? 'debugging' : 'running'} ${latest.nodeName}${mb?.failed ? ` (${mb.failed} failed)` : ''}. Click to open its panel.`;
      item.command = { command: COMMAND.openRun, title: 'Open Run', arguments: [latest.runDir] };
      item.backgroundColor = undefined;
      item.show();
      return;
    }
    const ended = run?.summary;
    if (!ended) {
      item.hide();
      return;
    }
    const icon = ended.status === 'Completed' ? 'pass' : ended.status === 'Failed' ? 'error' : 'circle-slash';
    item.text = `$(${icon}) ${ended.nodeName} ${countsText(ended.counts)}`;
    item.tooltip = `Parallel Run: ${ended.nodeName} ${ended.status.toLowerCase()}${ended.reason ? `: ${ended.reason}` : ''}. Click to open its panel.`;
    item.command = { command: COMMAND.openRun, title: 'Open Run', arguments: [ended.runDir] };
    item.backgroundColor = ended.status === 'Failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    item.show();
    hideTimer = setTimeout(() => item.hide(), SHOW_RESULT_MS);
  };

  const sub = runs.onDidChange(show);
  return new vscode.Disposable(() => {
    if (hideTimer) clearTimeout(hideTimer);
    sub.dispose();
    made?.dispose();
  });
}
