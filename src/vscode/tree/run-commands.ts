/** What the Local Runs view (and the panel) do with a run: open it, delete it, show its logs. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunSummary } from '../../core/local/types';
import { readRunSummary } from '../../core/workspace/local-runs';
import { readPipelineSummary } from '../../core/pipeline/earlier-runs';
import type { Ctx } from '../ctx';
import { showLivePanel, showPastRun } from '../run/panel-link';
import { runDirOf } from '../run/run-arg';
import { lazy } from '../load';
import { pipelineHost } from '../run/panel-link';
import { COMMAND } from '../commands/ids';

/** `parallelRun.openRun` (run): the run's panel, with its summary once it has one. */
export function openRunCommand(ctx: Ctx) {
  return async (arg?: unknown): Promise<void> => {
    const runDir = runDirOf(arg);
    if (!runDir) return;
    const live = ctx.runs.get(runDir);
    if (live?.pipeline || !live) {
      // A pipeline run: its own panel (caught up while it runs, else read from its summary.json).
      const lz = await lazy();
      if (live ? lz.showLivePipeline(pipelineHost(ctx), runDir) : await lz.showPastPipeline(pipelineHost(ctx), runDir)) return;
      if (live) return;
    }
    const summary = live?.summary ?? (live ? undefined : await readRunSummary(runDir));
    if (!live && !summary) {
      void vscode.window
        .showErrorMessage(
          `${path.basename(runDir)} has no readable summary.json, so there is nothing to show. Its logs may still tell what happened.`,
          'Show Logs',
        )
        .then((c) => {
          if (c) void vscode.commands.executeCommand(COMMAND.revealLogs, runDir);
        });
      return;
    }
    if (live) {
      await showLivePanel(ctx, live);
      return;
    }
    await showPastRun(ctx, summary!);
  };
}

/** `parallelRun.cancelRun` (run?): stops a run in progress (no argument: the latest one), without a toast after. */
export function cancelRunCommand(ctx: Ctx) {
  return (arg?: unknown): boolean => {
    const runDir = runDirOf(arg);
    const all = ctx.runs.all();
    const live = runDir ? (ctx.runs.get(runDir) ?? all.find((r) => path.resolve(r.runDir) === path.resolve(runDir))) : all[all.length - 1];
    if (!live) return false;
    ctx.log.info(`Canceling ${live.nodeName} (${path.basename(live.runDir)}) at the user's request`);
    ctx.runs.cancel(live);
    return true;
  };
}

/** `parallelRun.deleteRun` (run): after a modal confirmation, removes the run folder. */
export function deleteRunCommand(ctx: Ctx, refresh: () => void) {
  return async (arg?: unknown): Promise<boolean> => {
    const runDir = runDirOf(arg);
    if (!runDir) return false;
    if (ctx.runs.get(runDir)) {
      void vscode.window.showWarningMessage(
        `${path.basename(runDir)} is still running: cancel it (Cancel in its panel or the status bar) before deleting it.`,
      );
      return false;
    }
    const del = 'Delete';
    const answer = await vscode.window.showWarningMessage(
      `Delete the run ${path.basename(runDir)}?`,
      { modal: true, detail: `This removes ${runDir} with its outputs and logs.` },
      del,
    );
    if (answer !== del) return false;
    // Only a run folder is ever removed: it must hold a summary.json or the engine's .prs folder.
    if (!(await isRunFolder(runDir))) {
      void vscode.window.showErrorMessage(`${runDir} does not look like a Parallel Run run folder; nothing was deleted.`);
      return false;
    }
    await fs.rm(runDir, { recursive: true, force: true });
    ctx.log.info(`Deleted ${runDir}`);
    refresh();
    return true;
  };
}

/** `parallelRun.revealLogs` (run): the logs folder in the OS file manager, or in the Explorer when remote. */
export function revealLogsCommand(ctx: Ctx) {
  return async (arg?: unknown): Promise<void> => {
    const runDir = runDirOf(arg);
    if (!runDir) return;
    const summary: RunSummary | undefined = ctx.runs.get(runDir)?.summary ?? (await readRunSummary(runDir));
    // A pipeline run has no logs folder of its own: each step has its logs in its folder.
    const pipeline = !summary && (await readPipelineSummary(runDir));
    const logs = vscode.Uri.file(summary?.logsDir ?? (pipeline ? runDir : path.join(runDir, 'logs')));
    const local = vscode.env.remoteName === undefined && vscode.env.uiKind === vscode.UIKind.Desktop;
    if (local) {
      await vscode.commands.executeCommand('revealFileInOS', logs);
      return;
    }
    // Remote or in a browser, the OS file manager is on another machine, and the runs folder is hidden from
    // the Explorer (files.exclude): pick a log file to open instead.
    const files = await listFiles(logs.fsPath, 400);
    if (files.length === 0) {
      void vscode.window.showInformationMessage(`${logs.fsPath} holds no log files yet.`);
      return;
    }
    const first = files.find((f) => f.endsWith('job_result.txt'));
    const picked = await vscode.window.showQuickPick(
      files.map((f) => ({ label: path.relative(logs.fsPath, f), file: f, picked: f === first })),
      {
        title: `Logs of ${path.basename(runDir)}`,
        placeHolder: 'job_result.txt says how the run ended; user/error/ holds the tracebacks',
        matchOnDescription: true,
      },
    );
    if (picked) await vscode.window.showTextDocument(vscode.Uri.file(picked.file), { preview: true });
  };
}

/** The files under `dir`, depth first, sorted, at most `max`. */
async function listFiles(dir: string, max: number): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (out.length >= max) return;
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out.push(p);
    }
  };
  await walk(dir);
  return out;
}

async function isRunFolder(dir: string): Promise<boolean> {
  for (const marker of ['summary.json', '.prs']) {
    try {
      await fs.stat(path.join(dir, marker));
      return true;
    } catch {
      // try the next marker
    }
  }
  return false;
}
