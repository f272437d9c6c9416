/**
 * runPipeline: every node of a pipeline on this machine, each after the steps whose outputs it reads.
 * Command nodes run as shell commands; parallel nodes through runLocal, read again once their inputs exist.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { PipelineNode, PipelineSpec, ResolvedInput } from '../spec/types';
import { resolvePython } from '../local/environment';
import type { SampleOptions } from '../local/partition/types';
import type { RunSummary } from '../local/types';
import { latestNodeRun } from './earlier-runs';
import { dependantsOf, runOrder } from './graph';
import { cloudNotes, outputNotes } from './notes';
import { writePythonShims } from './python-shim';
import { runCommandNode, runParallelNode } from './run-step';
import { createFreshFolder, ignoreRunsRoot, runName, runStamp, runsFolder } from './run-folder';
import type { NodeRunSummary, PipelineEvent, PipelineRunSummary } from './types';

export interface RunPipelineOptions {
  /** The run folder; default `<spec folder>/.parallel-run/runs/<pipeline name>-<time>` (a fresh one). */
  runDir?: string;
  /** Run this node alone (`--node X`), reusing the outputs of the steps it reads from earlier runs. */
  only?: string;
  /** Interpreter for entry scripts and for `python` in commands (see resolvePython). */
  python?: string;
  /** Parallel nodes: only the first N mini-batches or items. */
  sample?: SampleOptions;
  /** The `--set` overrides the spec was read with; applied again when a parallel node is read with its inputs. */
  overrides?: string[];
  /** Folder `--set` paths are relative to. */
  cwd?: string;
  cpuCount?: number;
  signal?: AbortSignal;
  onEvent?: (event: PipelineEvent) => void;
  env?: NodeJS.ProcessEnv;
  gpus?: string[];
}

/** Bad input found before any step ran (a step to run first, an unknown node): the message says the fix. */
export class PipelineInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PipelineInputError';
  }
}

/** Runs the pipeline (or one node of it) and resolves with its summary once every node ended or was skipped. */
export async function runPipeline(spec: PipelineSpec, options: RunPipelineOptions = {}): Promise<PipelineRunSummary> {
  const startedAt = new Date();
  const emit = options.onEvent ?? (() => undefined);
  const graph: PipelineNode[] = spec.nodes ?? spec.parallelNodes.map((n) => ({ name: n.nodeName, type: 'parallel' as const, needs: [] }));
  const selected = selectNodes(spec, graph, options.only);
  const reused = options.only ? await reuseUpstream(spec, graph, options.only) : new Map<string, NodeRunSummary>();
  const pipelineName = spec.pipelineName ?? path.basename(spec.file).replace(/\.[^.]*$/, '');

  const runDir = options.runDir
    ? path.resolve(options.runDir)
    : createFreshFolder(
        path.join(
          runsFolder(spec.file),
          `${runName(options.only ? `${pipelineName}-${options.only}` : pipelineName)}-${runStamp(startedAt)}`,
        ),
      );
  mkdirSync(runDir, { recursive: true });
  ignoreRunsRoot(runDir);

  const env = options.env ?? process.env;
  const python = resolvePython(options.python, env);
  const notes = cloudNotes(spec, selected);
  emit({ type: 'pipelineStart', runDir, specFile: spec.file, pipelineName, nodes: graph.filter((n) => selected.includes(n.name)) });
  for (const message of notes) emit({ type: 'note', message });
  for (const node of reused.values()) emit({ type: 'nodeEnd', node });

  const results = new Map<string, NodeRunSummary>(reused);
  const ran: NodeRunSummary[] = [...reused.values()];
  let shimDir: string | undefined;
  let stopAll: string | undefined;
  for (const name of selected) {
    const node = graph.find((n) => n.name === name)!;
    const nodeDir = path.join(runDir, name);
    const blocker = node.needs.map((need) => results.get(need)).find((r) => r && r.status !== 'Completed' && r.status !== 'Reused');
    let summary: NodeRunSummary;
    let parallelSummary: RunSummary | undefined;
    if (options.signal?.aborted) summary = skipped(node, nodeDir, 'Canceled before it started.', 'Canceled');
    else if (stopAll) summary = skipped(node, nodeDir, stopAll);
    else if (blocker)
      summary = skipped(
        node,
        nodeDir,
        `Not run: step \`${blocker.name}\` ${blocker.status === 'Skipped' ? 'did not run' : blocker.status.toLowerCase()}.`,
      );
    else if (node.type === 'command') {
      const job = spec.commandNodes!.find((c) => c.nodeName === name)!;
      shimDir ??= writePythonShims(path.join(runDir, '.bin'), python, env);
      summary = await runCommandNode(job, nodeDir, results, { ...options, python, env, shimDir }, emit);
    } else {
      const job = spec.parallelNodes.find((p) => p.nodeName === name)!;
      ({ summary, parallelSummary } = await runParallelNode(spec, job, nodeDir, results, { ...options, python, env }, emit));
    }
    results.set(name, summary);
    ran.push(summary);
    emit({ type: 'nodeEnd', node: summary, ...(parallelSummary ? { parallelSummary } : {}) });
    if (summary.warning) {
      notes.push(summary.warning);
      emit({ type: 'note', message: summary.warning });
    }
    if (summary.status === 'Failed' && spec.continueOnStepFailure === false && !stopAll) {
      stopAll = `Not run: step \`${name}\` failed and settings.continue_on_step_failure is false.`;
    }
  }
  for (const message of outputNotes(spec, results)) {
    notes.push(message);
    emit({ type: 'note', message });
  }

  const endedAt = new Date();
  const failed = ran.find((n) => n.status === 'Failed');
  const canceled = options.signal?.aborted || ran.some((n) => n.status === 'Canceled');
  const status: PipelineRunSummary['status'] = canceled
    ? 'Canceled'
    : failed
      ? 'Failed'
      : ran.every((n) => n.status === 'Completed' || n.status === 'Reused')
        ? 'Completed'
        : 'Failed';
  const summary: PipelineRunSummary = {
    kind: 'pipeline',
    status,
    specFile: spec.file,
    pipelineName,
    runDir,
    startedAt: startedAt.toISOString(),
    endedAt: endedAt.toISOString(),
    durationMs: endedAt.getTime() - startedAt.getTime(),
    nodes: ran,
    outputs: pipelineOutputs(spec, results),
    notes,
  };
  if (status !== 'Completed') {
    const dependants = failed ? dependantsOf(graph, failed.name).filter((d) => selected.includes(d)) : [];
    summary.reason = canceled
      ? 'Canceled by the user.'
      : failed
        ? `Step \`${failed.name}\` failed${failed.reason ? `: ${failed.reason}` : ''}${dependants.length ? ` (not run: ${dependants.join(', ')})` : ''}`
        : 'A step did not run.';
  }
  writeFileSync(path.join(runDir, 'summary.json'), JSON.stringify(summary, null, 2));
  emit({ type: 'pipelineEnd', summary });
  return summary;
}

function selectNodes(spec: PipelineSpec, graph: PipelineNode[], only: string | undefined): string[] {
  if (only === undefined) {
    const notLocal = spec.warnings.filter((w) => w.rule === 'node-not-local');
    if (notLocal.length > 0)
      throw new PipelineInputError(
        `${notLocal.map((w) => `${w.location.file}:${w.location.line}:${w.location.column}: ${w.message}`).join('\n')}\n` +
          `Run the other steps one at a time with --node NAME (steps: ${graph.map((n) => n.name).join(', ')}).`,
      );
    return runOrder(graph);
  }
  const notLocal = spec.warnings.find((w) => w.rule === 'node-not-local' && w.message.startsWith(`Step \`${only}\` `));
  if (notLocal)
    throw new PipelineInputError(`${notLocal.location.file}:${notLocal.location.line}:${notLocal.location.column}: ${notLocal.message}`);
  if (!graph.some((n) => n.name === only))
    throw new PipelineInputError(`${spec.file}: no step named "${only}" (steps: ${graph.map((n) => n.name).join(', ')}).`);
  return [only];
}

/** `--node X`: the newest completed run of each step X reads, or an error naming what to run or set. */
async function reuseUpstream(spec: PipelineSpec, graph: PipelineNode[], only: string): Promise<Map<string, NodeRunSummary>> {
  const reused = new Map<string, NodeRunSummary>();
  const problems: string[] = [];
  const inputs = nodeInputs(spec, only);
  for (const need of graph.find((n) => n.name === only)!.needs) {
    const earlier = await latestNodeRun(spec.file, runsFolder(spec.file), need);
    if (earlier) {
      reused.set(need, { ...earlier, status: 'Reused', reason: `Outputs reused from ${path.dirname(earlier.runDir)}.` });
      continue;
    }
    for (const [name, input] of Object.entries(inputs)) {
      if (input.from?.node !== need) continue;
      problems.push(
        `Input \`${name}\` of \`${only}\` is the output \`${input.from.output}\` of step \`${need}\`, which has no completed local run of this spec.\n` +
          `  Run that step first: parallel-run run ${spec.file} --node ${need}\n` +
          `  or give the data: --set jobs.${only}.inputs.${name}.path=<${input.type === 'uri_file' ? 'file' : 'folder'}>`,
      );
    }
  }
  if (problems.length) throw new PipelineInputError(problems.join('\n'));
  return reused;
}

function nodeInputs(spec: PipelineSpec, name: string): Record<string, ResolvedInput> {
  return (spec.parallelNodes.find((n) => n.nodeName === name) ?? spec.commandNodes?.find((n) => n.nodeName === name))?.inputs ?? {};
}

function skipped(node: PipelineNode, runDir: string, reason: string, status: 'Skipped' | 'Canceled' = 'Skipped'): NodeRunSummary {
  return { name: node.name, type: node.type, status, reason, runDir, outputs: {} };
}

function pipelineOutputs(spec: PipelineSpec, results: Map<string, NodeRunSummary>): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const [name, ref] of Object.entries(spec.pipelineOutputs ?? {})) {
    const at = results.get(ref.node)?.outputs[ref.output];
    if (at) outputs[name] = at;
  }
  return outputs;
}
