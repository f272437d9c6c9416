/** One row of the Local runs view: a finished run (its summary.json) or one in progress. */
import * as vscode from 'vscode';
import type { RunStatus, RunSummary } from '../../core/local/types';
import { countsDetail, countsText, durationText } from '../../core/workspace/local-runs';
import { COMMAND } from '../commands/ids';
import type { LiveRun } from '../run/live-runs';

export interface RunNode {
  runDir: string;
  nodeName: string;
  specFile: string;
  startedAt: Date;
  status: RunStatus;
  summary?: RunSummary;
  live?: LiveRun;
}

export function nodeFromSummary(summary: RunSummary): RunNode {
  return { runDir: summary.runDir, nodeName: summary.nodeName, specFile: summary.specFile, startedAt: new Date(summary.startedAt), status: summary.status, summary };
}

export function nodeFromLive(live: LiveRun): RunNode {
  return { runDir: live.runDir, nodeName: live.nodeName, specFile: live.specFile, startedAt: live.startedAt, status: 'Running', live };
}

const ICONS: Record<RunStatus, vscode.ThemeIcon> = {
  Running: new vscode.ThemeIcon('sync~spin'),
  Completed: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  Failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  Canceled: new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground')),
};

export function treeItemFor(node: RunNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.nodeName, vscode.TreeItemCollapsibleState.None);
  item.id = node.runDir;
  item.iconPath = node.live?.debug ? new vscode.ThemeIcon('debug-alt') : ICONS[node.status];
  item.contextValue = `parallelRun.run.${node.status.toLowerCase()}`;
  item.command = { command: COMMAND.openRun, title: 'Open Run', arguments: [node.runDir] };
  const started = startedText(node.startedAt);
  const counts = node.summary?.counts ?? node.live?.counts;
  if (node.summary) {
    item.description = `${countsText(node.summary.counts)} · ${durationText(node.summary.durationMs)} · ${started}`;
  } else {
    const mb = counts?.miniBatches;
    item.description = `${mb ? `${mb.succeeded + mb.failed}/${mb.total} mini-batches · ` : ''}${node.live?.debug ? 'debugging' : 'running'} · ${started}`;
  }
  const tooltip = new vscode.MarkdownString(undefined, true);
  tooltip.appendMarkdown(`**${node.nodeName}** — ${node.status}`);
  if (node.summary?.reason) tooltip.appendMarkdown(`\n\n${escape(node.summary.reason)}`);
  if (counts) tooltip.appendMarkdown(`\n\n${escape(countsDetail(counts))}`);
  tooltip.appendMarkdown(`\n\nStarted ${node.startedAt.toLocaleString()}`);
  if (node.summary) tooltip.appendMarkdown(`, took ${durationText(node.summary.durationMs)}`);
  tooltip.appendMarkdown(`\n\nSpec: \`${vscode.workspace.asRelativePath(node.specFile)}\`  \nRun folder: \`${vscode.workspace.asRelativePath(node.runDir)}\``);
  item.tooltip = tooltip;
  return item;
}

/** "14:03" today, "Nov 21 14:03" before. */
function startedText(date: Date): string {
  const time = date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  return date.toDateString() === new Date().toDateString() ? time : `${date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })} ${time}`;
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]<>()#+\-.!|]/g, '\\$&');
}
