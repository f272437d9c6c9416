/**
 * Connects a run to its panel (src/vscode/panel, loaded on first use): events and the summary go in,
 * the user's actions (rerun, debug this mini-batch, open output or logs) come out as our commands.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { readRunSummary } from '../../core/workspace/local-runs';
import { COMMAND } from '../commands/ids';
import { lazy } from '../load';
import type { LiveRun, RunView } from './live-runs';

export interface RunPanelView extends RunView {
  dispose(): void;
}

/** Opens (or reveals) the panel of a live run, caught up with its events so far. */
export async function showLivePanel(ctx: Ctx, live: LiveRun): Promise<RunPanelView> {
  const panel = await showRunPanel(ctx, live.runDir, panelTitle(live.nodeName, live.runDir));
  if (!live.views.has(panel)) {
    ctx.runs.follow(live, panel);
    panel.onDidDispose(() => live.views.delete(panel));
  }
  return panel;
}

/** Opens (or reveals) the panel of `runDir` and routes its actions; `runDir` is the key of the panel. */
export async function showRunPanel(ctx: Ctx, runDir: string, title: string): Promise<RunPanelView & { onDidDispose: vscode.Event<void> }> {
  const { RunPanel } = await lazy();
  const panel = RunPanel.createOrShow(ctx.extension.extensionUri, title, runDir);
  if (!wired.has(panel)) {
    wired.add(panel);
    const sub = panel.onDidRequestAction((request) => {
      void runPanelAction(ctx, runDir, request).catch((err) => ctx.log.error(`Panel action ${request.action} failed: ${(err as Error).message}`));
    });
    panel.onDidDispose(() => {
      sub.dispose();
      wired.delete(panel);
    });
  }
  return panel;
}

const wired = new WeakSet<object>();

export function panelTitle(nodeName: string, runDir: string): string {
  return `${nodeName} · ${path.basename(runDir).slice(nodeName.length + 1) || path.basename(runDir)}`;
}

async function runPanelAction(ctx: Ctx, runDir: string, request: { action: string; index?: number; file?: string; line?: number }): Promise<void> {
  switch (request.action) {
    case 'rerun':
      await vscode.commands.executeCommand(COMMAND.rerun, runDir);
      return;
    case 'debugMiniBatch':
      await vscode.commands.executeCommand(COMMAND.debugMiniBatch, runDir, request.index);
      return;
    case 'openLogs':
      await vscode.commands.executeCommand(COMMAND.revealLogs, runDir);
      return;
    case 'openOutput': {
      const file = (ctx.runs.get(runDir)?.summary ?? (await readRunSummary(runDir)))?.outputFile;
      if (file) await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
      else void vscode.window.showInformationMessage('This run has no append_row output file (summary_only, or it ended before writing one).');
      return;
    }
    case 'openFile':
      if (request.file) {
        const line = Math.max(0, (request.line ?? 1) - 1);
        await vscode.window.showTextDocument(vscode.Uri.file(request.file), { selection: new vscode.Range(line, 0, line, 0) });
      }
      return;
  }
}
