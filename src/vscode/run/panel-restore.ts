/**
 * Brings run panels back after a window reload: VS Code hands over each panel with the state its page
 * saved; the panel shows that run again from its summary.json (a run cut off by the reload has none: its
 * panel closes rather than show a run that will never end).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readRunSummary } from '../../core/workspace/local-runs';
import type { Ctx } from '../ctx';
import { lazy } from '../load';
import { pipelineHost, placeOf, wire } from './panel-link';
import { restoreCloudPanel } from '../azure/submit/register';

export const RUN_PANEL_VIEW_TYPE = 'parallelRun.runPanel';

export function registerRunPanelSerializer(ctx: Ctx): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(RUN_PANEL_VIEW_TYPE, {
    deserializeWebviewPanel: (panel, state) => restoreRunPanel(ctx, panel, state),
  });
}

/** The run folder the page saved: a pipeline's `state.pipeline.runDir`, else `state.state.run.runDir` (see src/webview/vscode-api.ts). */
export function savedRunDir(state: unknown): string | undefined {
  const saved = state as { state?: { run?: { runDir?: unknown } }; pipeline?: { runDir?: unknown } } | undefined;
  const runDir = saved?.pipeline?.runDir ?? saved?.state?.run?.runDir;
  return typeof runDir === 'string' && path.isAbsolute(runDir) ? runDir : undefined;
}

async function restoreRunPanel(ctx: Ctx, panel: vscode.WebviewPanel, state: unknown): Promise<void> {
  const runDir = savedRunDir(state);
  // An Azure ML job's panel: it follows the job again (src/vscode/azure/submit).
  if (runDir && (state as { state?: { run?: { cloud?: unknown } } }).state?.run?.cloud && (await restoreCloudPanel(ctx, panel, runDir)))
    return;
  if (runDir && (state as { pipeline?: unknown }).pipeline) {
    // A pipeline panel: restored from the pipeline's summary.json (closed when the run was cut off by the reload).
    if (!(await (await lazy()).showPastPipeline(pipelineHost(ctx), runDir, panel)))
      ctx.log.info(`A pipeline panel was not restored: ${runDir} has no pipeline summary.json (the run did not finish).`);
    return;
  }
  const summary = runDir ? await readRunSummary(runDir) : undefined;
  if (!summary) {
    ctx.log.info(
      `A run panel was not restored: ${runDir ? `${runDir} has no summary.json (the run did not finish)` : 'it saved no run folder'}.`,
    );
    panel.dispose();
    return;
  }
  const { RunPanel } = await lazy();
  const restored = RunPanel.revive(panel, ctx.extension.extensionUri, {
    specFile: summary.specFile,
    nodeName: summary.nodeName,
    runDir: summary.runDir,
    place: placeOf(summary.specFile),
  });
  wire(ctx, restored);
  restored.setSummary(summary);
  // Its failures are problems on the user's lines again (they live in memory, so a reload lost them).
  if (summary.status === 'Failed') ctx.failures.report(summary);
}
