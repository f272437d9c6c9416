/** Earlier local runs of a spec: where `--node X` finds the outputs of the steps X reads. */
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { NodeRunSummary, PipelineRunSummary } from './types';

/** The pipeline summary.json in `runDir`, or undefined when there is none (a single-node run, or running). */
export async function readPipelineSummary(runDir: string): Promise<PipelineRunSummary | undefined> {
  try {
    const summary = JSON.parse(await fs.readFile(path.join(runDir, 'summary.json'), 'utf8')) as PipelineRunSummary;
    if (summary?.kind !== 'pipeline' || !Array.isArray(summary.nodes)) return undefined;
    return { ...summary, runDir: summary.runDir || runDir };
  } catch {
    return undefined;
  }
}

/** Pipeline runs of `specFile` under `runsFolder`, newest first. */
export async function pipelineRunsOf(specFile: string, runsFolder: string): Promise<PipelineRunSummary[]> {
  let names: string[];
  try {
    names = await fs.readdir(runsFolder);
  } catch {
    return [];
  }
  const summaries = await Promise.all(names.map((n) => readPipelineSummary(path.join(runsFolder, n))));
  return summaries
    .filter((s): s is PipelineRunSummary => s !== undefined && path.resolve(s.specFile) === path.resolve(specFile))
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.runDir.localeCompare(a.runDir));
}

/** The newest run of `node` that ended well and whose outputs are still on disk. */
export async function latestNodeRun(specFile: string, runsFolder: string, node: string): Promise<NodeRunSummary | undefined> {
  for (const run of await pipelineRunsOf(specFile, runsFolder)) {
    const found = run.nodes.find((n) => n.name === node && (n.status === 'Completed' || n.status === 'Reused'));
    if (found && Object.values(found.outputs).every((p) => existsSync(p))) return found;
  }
  return undefined;
}
