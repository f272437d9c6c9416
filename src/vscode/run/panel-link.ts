/**
 * Connects a run to its panel (src/vscode/panel, loaded on first use): events and the summary go in,
 * the user's actions (rerun, cancel, debug this mini-batch, open output or logs) come out as our commands.
 * There is one panel per spec and node: a new run of it turns the same panel to the new run.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunSummary } from '../../core/local/types';
import type { Ctx } from '../ctx';
import { readRunSummary } from '../../core/workspace/local-runs';
import { COMMAND } from '../commands/ids';
import { lazy } from '../load';
import type { LiveRun, RunView } from './live-runs';

export interface RunPanelView extends RunView {
  dispose(): void;
}

type Panel = Awaited<ReturnType<typeof showRunPanel>>;

/** Which live run each panel follows now: a panel turned to another run stops getting the old one's events. */
const following = new WeakMap<object, { live: LiveRun; view: RunPanelView }>();

/** Opens (or reveals) the panel of a live run's spec, turned to that run and caught up with its events so far. */
export async function showLivePanel(ctx: Ctx, live: LiveRun): Promise<RunPanelView> {
  const panel = await showRunPanel(ctx, { specFile: live.specFile, nodeName: live.nodeName, runDir: live.runDir, codeDir: live.codeDir });
  const current = following.get(panel);
  if (current?.live === live) return current.view;
  const view: RunPanelView = {
    post: (event) => panel.post(event),
    dispose: () => panel.dispose(),
  };
  ctx.runs.follow(live, view);
  following.set(panel, { live, view });
  const stop = () => {
    ctx.runs.unfollow(live, view);
    if (following.get(panel)?.view === view) following.delete(panel);
  };
  const switched = panel.onDidSwitchRun(stop);
  panel.onDidDispose(() => {
    stop();
    switched.dispose();
  });
  return view;
}

/** Opens (or reveals) the panel of a finished run's spec, showing that run. */
export async function showPastRun(ctx: Ctx, summary: RunSummary): Promise<Panel> {
  const panel = await showRunPanel(ctx, { specFile: summary.specFile, nodeName: summary.nodeName, runDir: summary.runDir });
  const current = following.get(panel);
  if (current) ctx.runs.unfollow(current.live, current.view);
  following.delete(panel);
  panel.setSummary(summary);
  return panel;
}

/** Opens (or reveals) the panel of a spec's node turned to `runDir`, and routes its actions. */
export async function showRunPanel(ctx: Ctx, target: { specFile: string; nodeName: string; runDir: string; codeDir?: string }) {
  const { RunPanel } = await lazy();
  const panel = RunPanel.createOrShow(ctx.extension.extensionUri, { ...target, place: placeOf(target.specFile, target.codeDir) });
  wire(ctx, panel);
  return panel;
}

/** The workspace folder of a spec and the code folder of its entry script, for the panel's paths. */
export function placeOf(specFile: string, codeDir?: string): { root?: string; codeDir?: string } {
  const root = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(specFile))?.uri.fsPath;
  return { ...(root ? { root } : {}), ...(codeDir ? { codeDir } : {}) };
}

/** What the pipeline half (in dist/lazy.js) gets from this bundle: the context and the panel wiring. */
export function pipelineHost(ctx: Ctx) {
  return { ctx, wire: (panel: Panel) => wire(ctx, panel), placeOf: (specFile: string) => placeOf(specFile) };
}

const wired = new WeakSet<object>();

/** Routes a panel's actions (once per panel) to the extension's commands. */
export function wire(ctx: Ctx, panel: Panel): void {
  if (wired.has(panel)) return;
  wired.add(panel);
  const sub = panel.onDidRequestAction((request) => {
    // An Azure ML job's actions are its own (src/vscode/azure/submit/cloud-jobs.ts).
    if (request.cloud) return;
    void runPanelAction(ctx, request).catch((err) => ctx.log.error(`Panel action ${request.action} failed: ${(err as Error).message}`));
  });
  panel.onDidDispose(() => {
    sub.dispose();
    wired.delete(panel);
  });
}

async function runPanelAction(
  ctx: Ctx,
  request: { action: string; runDir: string; index?: number; file?: string; line?: number; path?: string },
): Promise<void> {
  const runDir = request.runDir;
  switch (request.action) {
    case 'openStepLogs':
    case 'openStepOutput':
      if (request.path) await openStepPath(request.path);
      return;
    case 'rerun':
      await vscode.commands.executeCommand(COMMAND.rerun, runDir);
      return;
    case 'cancel':
      await vscode.commands.executeCommand(COMMAND.cancelRun, runDir);
      return;
    case 'showRun':
      await vscode.commands.executeCommand(COMMAND.openRun, runDir);
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
      else
        void vscode.window.showInformationMessage('This run has no append_row output file (summary_only, or it ended before writing one).');
      return;
    }
  }
}

/** A step's log file opens in an editor; a folder (logs, outputs) is revealed in the Explorer, or its first file opened. */
async function openStepPath(target: string): Promise<void> {
  const uri = vscode.Uri.file(target);
  let stat: vscode.FileStat;
  try {
    stat = await vscode.workspace.fs.stat(uri);
  } catch {
    void vscode.window.showInformationMessage(`${target} does not exist: the step did not write it.`);
    return;
  }
  if (stat.type & vscode.FileType.File) {
    await vscode.window.showTextDocument(uri, { preview: true });
    return;
  }
  const local = vscode.env.remoteName === undefined && vscode.env.uiKind === vscode.UIKind.Desktop;
  if (local) {
    await vscode.commands.executeCommand('revealFileInOS', uri);
    return;
  }
  // Remote or in a browser: the runs folder is hidden from the Explorer, so pick a file of the folder to open.
  const files = await listFolder(uri);
  if (files.length === 0) {
    void vscode.window.showInformationMessage(`${target} is empty.`);
    return;
  }
  const picked =
    files.length === 1
      ? { uri: files[0] }
      : await vscode.window.showQuickPick(
          files.map((f) => ({ label: path.relative(target, f.fsPath), uri: f })),
          { title: path.basename(target) },
        );
  if (picked) await vscode.window.showTextDocument(picked.uri, { preview: true });
}

async function listFolder(dir: vscode.Uri, max = 400): Promise<vscode.Uri[]> {
  const out: vscode.Uri[] = [];
  const walk = async (d: vscode.Uri): Promise<void> => {
    for (const [name, type] of (await vscode.workspace.fs.readDirectory(d)).sort((a, b) => a[0].localeCompare(b[0]))) {
      if (out.length >= max) return;
      const child = vscode.Uri.joinPath(d, name);
      if (type & vscode.FileType.Directory) await walk(child);
      else out.push(child);
    }
  };
  await walk(dir);
  return out;
}
