/** Local runs on disk: each run folder holds a summary.json written by runLocal when the run ended. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { RunCounts, RunSummary } from '../local/types';
import { readPipelineSummary } from '../pipeline/earlier-runs';
import type { NodeRunSummary, PipelineRunSummary } from '../pipeline/types';

export const SUMMARY_FILE = 'summary.json';

/** A finished local run: one parallel node (today's layout), or a pipeline with a run per step. */
export type LocalRun =
  | { kind: 'node'; runDir: string; summary: RunSummary }
  | {
      kind: 'pipeline';
      runDir: string;
      summary: PipelineRunSummary;
      /** Each step in run order; a parallel step that ran has its own summary (for its counts, logs, replay). */
      steps: { step: NodeRunSummary; summary?: RunSummary }[];
    };

/** The run in `runDir` whichever its kind, or undefined when it has no readable summary.json. */
export async function readLocalRun(runDir: string): Promise<LocalRun | undefined> {
  const pipeline = await readPipelineSummary(runDir);
  if (pipeline) {
    const steps = await Promise.all(
      pipeline.nodes.map(async (step) => {
        // A reused step's folder belongs to an earlier run: that run lists it.
        const summary =
          step.type === 'parallel' && step.status !== 'Reused' && step.status !== 'Skipped' ? await readRunSummary(step.runDir) : undefined;
        return summary ? { step, summary } : { step };
      }),
    );
    return { kind: 'pipeline', runDir: pipeline.runDir, summary: pipeline, steps };
  }
  const summary = await readRunSummary(runDir);
  return summary ? { kind: 'node', runDir: summary.runDir, summary } : undefined;
}

/** Every finished run directly under `runsFolder` (e.g. `<spec folder>/.parallel-run/runs`), newest first. */
export async function listLocalRuns(runsFolder: string): Promise<LocalRun[]> {
  let names: string[];
  try {
    names = await fs.readdir(runsFolder);
  } catch {
    return [];
  }
  const runs = (await Promise.all(names.map((name) => readLocalRun(path.join(runsFolder, name))))).filter((r) => r !== undefined);
  return runs.sort((a, b) => b.summary.startedAt.localeCompare(a.summary.startedAt));
}

/** The summary of the run in `runDir`, or undefined when it has none (still running, or not a run). */
export async function readRunSummary(runDir: string): Promise<RunSummary | undefined> {
  try {
    const summary = JSON.parse(await fs.readFile(path.join(runDir, SUMMARY_FILE), 'utf8')) as RunSummary;
    if (typeof summary !== 'object' || summary === null || typeof summary.status !== 'string' || !summary.counts) return undefined;
    return { ...summary, runDir: summary.runDir || runDir };
  } catch {
    return undefined;
  }
}

/** "18/20 ok": items when their number is known, else mini-batches. */
export function countsText(counts: RunCounts): string {
  const { items, miniBatches } = counts;
  const itemTotal = items.total ?? (items.failed > 0 || items.succeeded > 0 ? items.succeeded + items.failed : undefined);
  return itemTotal !== undefined ? `${items.succeeded}/${itemTotal} ok` : `${miniBatches.succeeded}/${miniBatches.total} ok`;
}

/** One line a user reads in a tooltip: "20 mini-batches: 18 ok, 2 failed, 1 retried · 96/100 items ok". */
export function countsDetail(counts: RunCounts): string {
  const mb = counts.miniBatches;
  const parts = [`${mb.succeeded} ok`];
  if (mb.failed) parts.push(`${mb.failed} failed`);
  if (mb.running) parts.push(`${mb.running} running`);
  if (mb.retried) parts.push(`${mb.retried} retried`);
  const items = counts.items;
  const itemTotal = items.total ?? items.succeeded + items.failed;
  return `${mb.total} mini-batch${mb.total === 1 ? '' : 'es'}: ${parts.join(', ')} · ${items.succeeded}/${itemTotal} items ok`;
}

/** "850 ms", "3.2 s", "2 min 05 s", "1 h 03 min". */
export function durationText(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const totalSeconds = Math.round(s);
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 60) return `${minutes} min ${String(totalSeconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}
