// What an estimate needs from this machine: the last local run of a parallel node (its measured mini-batches)
// and the size of the node's whole input (files, or bytes for tabular data).
import * as path from 'node:path';
import { listRelativeFiles, statSizes } from '../../local/partition/listFiles';
import type { RunSummary } from '../../local/types';
import type { ParallelJob } from '../../spec/types';
import { listLocalRuns } from '../../workspace/local-runs';
import { estimateJob, EstimateError, type Estimate } from './estimate';

/** Size of the whole input: files for file inputs, bytes for tabular ones. */
export async function inputSize(job: ParallelJob): Promise<number> {
  const d = job.inputData;
  if (d.kind === 'tabular') return (await statSizes(d.files)).reduce((s, n) => s + n, 0);
  if (d.files) return d.files.length;
  if (d.type === 'uri_file') return 1;
  return (await listRelativeFiles(d.path)).length;
}

/** The newest local run of the node (alone, or as a step of a pipeline run), from the spec folder's `.parallel-run/runs`. */
export async function lastLocalRun(job: ParallelJob): Promise<RunSummary | undefined> {
  const runs = await listLocalRuns(path.join(path.dirname(job.specFile), '.parallel-run', 'runs'));
  for (const r of runs) {
    if (r.kind === 'node' && r.summary.nodeName === job.nodeName) return r.summary;
    if (r.kind === 'pipeline') {
      const s = r.steps.find((x) => x.summary?.nodeName === job.nodeName)?.summary;
      if (s) return s;
    }
  }
  return undefined;
}

export interface JobEstimate extends Estimate {
  /** The local run measured. */
  measuredIn: string;
  nodes: number;
  processesPerNode: number;
  miniBatchSize: number;
}

/**
 * The estimate of `job` as the cloud would run it (nodes × processes, defaults from the spec), from its last
 * local run; an EstimateError says what to do when there is no run to measure.
 */
export async function estimateNode(
  job: ParallelJob,
  o: { nodes?: number; processesPerNode?: number; pricePerNodeHour?: number; startupSeconds?: number } = {},
): Promise<JobEstimate> {
  const run = await lastLocalRun(job);
  if (!run)
    throw new EstimateError(`Node ${job.nodeName} has no local run to measure: run it locally first (a run on a sample of 3 is enough).`);
  const nodes = o.nodes ?? job.instanceCount;
  const processesPerNode = o.processesPerNode ?? job.maxConcurrencyPerInstance;
  const e = estimateJob({
    measured: run,
    kind: job.inputData.kind,
    inputSize: await inputSize(job),
    miniBatchSize: job.miniBatchSize,
    nodes,
    processesPerNode,
    pricePerNodeHour: o.pricePerNodeHour,
    startupSeconds: o.startupSeconds,
  });
  return { ...e, measuredIn: run.runDir, nodes, processesPerNode, miniBatchSize: job.miniBatchSize };
}
