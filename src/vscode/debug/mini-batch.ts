/**
 * "Debug this mini-batch": replays exactly one mini-batch of a past run (its items, index and partition
 * key values from summary.json) in one worker under the debugger.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MiniBatchRecord, RunSummary } from '../../core/local/types';
import { readRunSummary } from '../../core/workspace/local-runs';
import type { Ctx } from '../ctx';
import { launchRun } from '../run/launch';
import { replayOf } from '../../core/runs/replay';
import { runDirOf } from '../run/run-arg';
import { loadJob, loadJobInPipeline } from '../run/target';
import { readPipelineSummary } from '../../core/pipeline/earlier-runs';
import { ensureDebuggerExtension } from './debugger';

/** `parallelRun.debugMiniBatch` (run, index?) → the replay's summary, or undefined. */
export function debugMiniBatchCommand(ctx: Ctx) {
  return async (arg?: unknown, index?: unknown): Promise<RunSummary | undefined> => {
    const runDir = runDirOf(arg);
    // A failed mini-batch of the Local Runs view carries its index.
    if (index === undefined && typeof (arg as { index?: unknown } | undefined)?.index === 'number')
      index = (arg as { index: number }).index;
    if (!runDir) {
      void vscode.window.showInformationMessage(
        'Debug a mini-batch from a run: its panel’s failures, or a failed run in the Local Runs view.',
      );
      return undefined;
    }
    const summary = ctx.runs.get(runDir)?.summary ?? (await readRunSummary(runDir));
    if (!summary) {
      void vscode.window.showErrorMessage(
        `${path.basename(runDir)} has not ended yet (no summary.json): debug its mini-batches once it has.`,
      );
      return undefined;
    }
    const record = typeof index === 'number' ? summary.miniBatches.find((r) => r.index === index) : await pickRecord(summary);
    if (!record) {
      if (typeof index === 'number') void vscode.window.showErrorMessage(`${path.basename(runDir)} has no mini-batch ${index}.`);
      return undefined;
    }
    if (record.data.kind === 'pickle' && !existsSync(record.data.file)) {
      void vscode.window.showErrorMessage(
        `Mini-batch ${record.index} was a partition file of that run (${record.data.file}), which is gone: run the job again and debug the new run's mini-batch.`,
      );
      return undefined;
    }
    if (!ensureDebuggerExtension()) return undefined;
    // A parallel step of a pipeline run reads the outputs of the steps before it, as that run gave them.
    const pipeline = await readPipelineSummary(path.dirname(runDir));
    const job = pipeline?.nodes.some((n) => n.name === summary.nodeName && path.resolve(n.runDir) === path.resolve(runDir))
      ? await loadJobInPipeline(summary.specFile, summary.nodeName, pipeline, ctx.log)
      : await loadJob({ specFile: summary.specFile, nodeName: summary.nodeName }, ctx.log);
    if (!job) return undefined;
    return launchRun(ctx, job, {
      miniBatches: [replayOf(record)],
      debug: true,
      what: `mini-batch ${record.index} of ${path.basename(runDir)}`,
    });
  };
}

async function pickRecord(summary: RunSummary): Promise<MiniBatchRecord | undefined> {
  const order = { failed: 0, succeeded: 1, pending: 2 } as const;
  const records = [...summary.miniBatches].sort((a, b) => order[a.status] - order[b.status] || a.index - b.index);
  if (records.length === 0) return undefined;
  const picked = await vscode.window.showQuickPick(
    records.map((r) => ({
      label: `${r.status === 'failed' ? '$(error)' : r.status === 'succeeded' ? '$(pass)' : '$(circle-outline)'} mini-batch ${r.index}`,
      description: `${r.status}${r.attempts > 1 ? `, ${r.attempts} attempts` : ''}`,
      detail: describeData(r),
      record: r,
    })),
    { title: `Debug which mini-batch of ${summary.nodeName}?`, matchOnDetail: true, ignoreFocusOut: true },
  );
  return picked?.record;
}

function describeData(r: MiniBatchRecord): string {
  const d = r.data;
  if (d.kind === 'files')
    return (
      d.files
        .slice(0, 3)
        .map((f) => path.basename(f))
        .join(', ') + (d.files.length > 3 ? `, … (${d.files.length} files)` : '')
    );
  if (d.kind === 'range') return `${path.basename(d.file)} bytes ${d.start}-${d.end}`;
  return `${d.rows} rows of ${
    Object.entries(r.partitionKeyValue)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ') || 'a partition'
  }`;
}
