/**
 * "Submit to Azure ML…" as prompt steps and one execute step: the workspace, the compute cluster (the spec's
 * preselected), the estimate with "Submit" / "Change nodes or mini-batch size…", then the submission. No
 * `vscode` here: the prompter is an interface (quick picks in VS Code, a script in the tests).
 */
import type { Compute, WorkspaceRef } from '../../../core/azure/resources/types';
import type { JobEstimate } from '../../../core/azure/submit/estimate-inputs';
import { formatDuration } from '../../../core/azure/submit/estimate';
import type { ParallelJob } from '../../../core/spec/types';

/** A cluster to offer: its name and one line about it. */
export interface ComputeChoice {
  name: string;
  description: string;
  /** The spec names it (or the tree's compute node was the start). */
  preselected: boolean;
}

/** What the estimate step shows. */
export interface EstimateScreen {
  title: string;
  /** "about 3 min 20 s · 0.111 node-hours · cost 0.33", or why there is no estimate. */
  summary: string;
  /** One sentence each; empty without an estimate. */
  assumptions: string[];
  estimate?: JobEstimate;
}

export interface SubmitPrompter {
  /** Undefined: the user gave up. */
  pickCompute(choices: ComputeChoice[], ws: WorkspaceRef): Promise<string | undefined>;
  confirm(screen: EstimateScreen): Promise<'submit' | 'change' | undefined>;
  /** New nodes and mini-batch size (text as written in YAML: `10`, `100mb`); undefined keeps the screen as it was. */
  askChanges(current: { nodes: number; miniBatchSize: string }): Promise<{ nodes: number; miniBatchSize: string } | undefined>;
}

export interface SubmitFlowDeps {
  /** The workspace: the tree's current one or config.json's, else the user picks; undefined when they give up. */
  workspace(): Promise<WorkspaceRef | undefined>;
  /** The workspace's computes (all kinds: only AmlCompute clusters are offered). */
  computes(ws: WorkspaceRef): Promise<Compute[]>;
  /** The node, read with `overrides` (so a changed mini-batch size is checked as the spec reader checks it). */
  loadJob(overrides: string[]): Promise<ParallelJob>;
  /** The estimate from the node's last local run; throws (EstimateError) when there is none to measure. */
  estimate(job: ParallelJob, nodes: number): Promise<JobEstimate>;
  pricePerNodeHour?: number;
}

export interface SubmitPlan {
  ws: WorkspaceRef;
  compute: string;
  nodeName: string;
  /** `--set` overrides for the changed nodes and mini-batch size (empty when unchanged). */
  overrides: string[];
  nodes: number;
  estimate?: JobEstimate;
}

export class SubmitFlowError extends Error {}

const bareCompute = (c: string | undefined) => c?.replace(/^azureml:/, '');

/** The clusters to offer, the preselected one first (the tree's compute, else the spec's). */
export function computeChoices(computes: Compute[], preselect: string | undefined): ComputeChoice[] {
  const clusters = computes.filter((c) => c.kind === 'cluster');
  const out = clusters.map((c) => {
    const nodes = c.kind === 'cluster' ? `${c.minNodes ?? 0}–${c.maxNodes ?? '?'} nodes` : '';
    const size = c.kind === 'cluster' ? c.vmSize : undefined;
    return {
      name: c.name,
      description: [size, nodes, c.kind === 'cluster' && c.provisioningState !== 'Succeeded' ? c.provisioningState : undefined]
        .filter(Boolean)
        .join(' · '),
      preselected: c.name === preselect,
    };
  });
  out.sort((a, b) => Number(b.preselected) - Number(a.preselected));
  return out;
}

/** "about 3 min 20 s wall time · 0.111 node-hours · cost 0.33" and its assumptions. */
export function describeEstimate(e: JobEstimate): { summary: string; assumptions: string[] } {
  const hours = e.nodeHours < 0.01 ? e.nodeHours.toPrecision(2) : e.nodeHours.toFixed(3);
  const parts = [
    `about ${formatDuration(e.wallSeconds)} wall time`,
    `${hours} node-hours`,
    `${e.miniBatches} mini-batches on ${e.nodes} node(s) × ${e.processesPerNode}`,
  ];
  if (e.cost !== undefined) parts.push(`cost ${e.cost.toFixed(2)}`);
  return { summary: parts.join(' · '), assumptions: [...e.assumptions, `Measured in the local run ${e.measuredIn}.`] };
}

/** The override keys for a node: bare when the spec has one parallel node, else under `jobs.<node>`. */
function key(field: string, nodeName: string, single: boolean): string {
  return single ? field : `jobs.${nodeName}.${field}`;
}

/**
 * The prompt steps: compute, estimate (with changes), up to the plan to submit. `preselectCompute`: the tree's
 * compute node the user started from (then no compute is asked). Undefined when the user gives up.
 */
export async function planSubmit(
  deps: SubmitFlowDeps,
  prompter: SubmitPrompter,
  o: { preselectCompute?: string; singleNode: boolean },
): Promise<SubmitPlan | undefined> {
  const ws = await deps.workspace();
  if (!ws) return undefined;
  let job = await deps.loadJob([]);
  let compute = o.preselectCompute;
  if (!compute) {
    const choices = computeChoices(await deps.computes(ws), bareCompute(job.compute));
    if (choices.length === 0) {
      throw new SubmitFlowError(
        `Workspace ${ws.workspace} has no compute cluster to run a parallel job: create one (Azure ML view → Compute → Create Cluster…, or \`az ml compute create --type AmlCompute --name cpu-cluster\`).`,
      );
    }
    compute = await prompter.pickCompute(choices, ws);
    if (!compute) return undefined;
  }
  const overrides = new Map<string, string>();
  let nodes = job.instanceCount;
  for (;;) {
    const setList = [...overrides].map(([k, v]) => `${k}=${v}`);
    job = await deps.loadJob(setList);
    nodes = job.instanceCount;
    let estimate: JobEstimate | undefined;
    let screen: EstimateScreen;
    const title = `Submit ${job.nodeName} to ${compute} in ${ws.workspace}`;
    try {
      estimate = await deps.estimate(job, nodes);
      screen = { title, ...describeEstimate(estimate), estimate };
    } catch (err) {
      screen = { title, summary: `No estimate: ${(err as Error).message}`, assumptions: [] };
    }
    const choice = await prompter.confirm(screen);
    if (!choice) return undefined;
    if (choice === 'submit') return { ws, compute, nodeName: job.nodeName, overrides: setList, nodes, estimate };
    const changed = await prompter.askChanges({ nodes, miniBatchSize: job.miniBatchSizeText });
    if (!changed) continue;
    if (changed.nodes !== job.instanceCount)
      overrides.set(key('resources.instance_count', job.nodeName, o.singleNode), String(changed.nodes));
    if (changed.miniBatchSize.trim() !== job.miniBatchSizeText)
      overrides.set(key('mini_batch_size', job.nodeName, o.singleNode), changed.miniBatchSize.trim());
  }
}

/** A node count the user typed: a whole number from 1; else what to write. */
export function nodesProblem(text: string): string | undefined {
  return /^\s*[1-9]\d{0,3}\s*$/.test(text) ? undefined : 'Write a whole number of nodes from 1, e.g. 2.';
}

/** A mini-batch size the user typed: a count of files (`10`) or a size for tabular data (`100kb`, `10MB`). */
export function miniBatchSizeProblem(text: string): string | undefined {
  return /^\s*[1-9]\d*\s*([kmg]b?)?\s*$/i.test(text)
    ? undefined
    : 'Write a number of files (e.g. 10) or, for tabular data, a size (e.g. 100kb, 10mb).';
}
