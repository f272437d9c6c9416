/**
 * A finished pipeline run in its panel: the pipeline summary.json, each parallel step's own summary and the
 * tail of each command step's std_log.txt, folded into the panel's pipeline state (Open Run, a reload).
 */
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import type { NodeRunSummary } from '../../core/pipeline/types';
import { readLocalRun } from '../../core/workspace/local-runs';
import { PipelineState } from '../panel/pipeline-state';
import { RunPanel } from '../panel/run-panel';
import { pipelinePlace, type PipelineHost } from './launch-pipeline';

/** What a command step's panel shows of its output: the end, where the error is. */
const LOG_TAIL_BYTES = 64 * 1024;

/** Opens (or reveals) the pipeline panel of `runDir`'s spec showing that run; false when it is not a pipeline run. */
export async function showPastPipeline(host: PipelineHost, runDir: string, panel?: vscode.WebviewPanel): Promise<boolean> {
  const run = await readLocalRun(runDir);
  if (!run || run.kind !== 'pipeline') {
    panel?.dispose();
    return false;
  }
  const s = run.summary;
  const logs: Record<string, string> = {};
  await Promise.all(
    run.steps.map(async ({ step }) => {
      const text = await commandLogTail(step);
      if (text) logs[step.name] = text;
    }),
  );
  const place = pipelinePlace(host, s.specFile);
  const state = PipelineState.fromSummary(s, run.steps, logs, place);
  const target = { specFile: s.specFile, nodeName: s.pipelineName, runDir: s.runDir, pipeline: true, place };
  const uri = host.ctx.extension.extensionUri;
  const shown = panel ? RunPanel.revive(panel, uri, target) : RunPanel.createOrShow(uri, target);
  host.wire(shown);
  shown.setPipeline(state);
  return true;
}

async function commandLogTail(step: NodeRunSummary): Promise<string | undefined> {
  if (step.type !== 'command' || !step.logFile || step.status === 'Reused') return undefined;
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(step.logFile, 'r');
    const size = (await handle.stat()).size;
    const length = Math.min(size, LOG_TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const text = buffer.toString('utf8');
    // A tail cut mid-line starts at the next full line.
    return size > length ? text.slice(text.indexOf('\n') + 1) : text;
  } catch {
    return undefined;
  } finally {
    await handle?.close();
  }
}
