/** Runs one step of a pipeline: a command node as a shell command, a parallel node through runLocal. */
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { loadSpec } from '../spec/load';
import { SpecError, type CommandJob, type ParallelJob, type PipelineSpec, type ResolvedInput } from '../spec/types';
import { runLocal, appendRowFileName } from '../local/run-local';
import type { SampleOptions } from '../local/partition/types';
import type { RunSummary } from '../local/types';
import { bindCommand, inputText } from './command-line';
import { runCommand } from './run-command';
import type { NodeRunSummary, PipelineEvent } from './types';

export interface StepOptions {
  python: string;
  env: NodeJS.ProcessEnv;
  sample?: SampleOptions;
  overrides?: string[];
  cwd?: string;
  cpuCount?: number;
  signal?: AbortSignal;
  gpus?: string[];
}

/** The local path an input bound to a step output reads. */
function upstreamPath(input: ResolvedInput, results: Map<string, NodeRunSummary>): string | undefined {
  return input.from ? results.get(input.from.node)?.outputs[input.from.output] : undefined;
}

export async function runCommandNode(
  job: CommandJob,
  nodeDir: string,
  results: Map<string, NodeRunSummary>,
  options: StepOptions & { shimDir: string },
  emit: (e: PipelineEvent) => void,
): Promise<NodeRunSummary> {
  const started = new Date();
  const outputs: Record<string, string> = {};
  for (const [name, output] of Object.entries(job.outputs)) {
    const dir = path.join(nodeDir, 'outputs', name);
    mkdirSync(dir, { recursive: true });
    outputs[name] = output.type === 'uri_file' ? path.join(dir, fileNameOf(output.path) ?? name) : dir;
  }
  const inputs: Record<string, string | undefined> = {};
  for (const [name, input] of Object.entries(job.inputs)) inputs[name] = input.from ? upstreamPath(input, results) : inputText(input);
  const command = bindCommand(job.command, inputs, outputs);
  const logFile = path.join(nodeDir, 'user_logs', 'std_log.txt');
  emit({ type: 'nodeStart', node: job.nodeName, nodeType: 'command', runDir: nodeDir, command });
  const env: NodeJS.ProcessEnv = {
    ...options.env,
    ...job.environmentVariables,
    PATH: `${options.shimDir}${path.delimiter}${options.env.PATH ?? ''}`,
  };
  env.PYTHONUNBUFFERED ??= '1';
  const result = await runCommand({
    command,
    cwd: job.codeDir,
    env,
    logFile,
    signal: options.signal,
    onOutput: (stream, text) => emit({ type: 'nodeLog', node: job.nodeName, stream, text }),
  });
  const ended = new Date();
  const summary: NodeRunSummary = {
    name: job.nodeName,
    type: 'command',
    status: options.signal?.aborted ? 'Canceled' : result.exitCode === 0 && !result.spawnError ? 'Completed' : 'Failed',
    startedAt: started.toISOString(),
    endedAt: ended.toISOString(),
    durationMs: ended.getTime() - started.getTime(),
    runDir: nodeDir,
    outputs,
    command,
    exitCode: result.exitCode,
    logFile,
  };
  if (summary.status === 'Completed' && result.sawTraceback) {
    summary.warning = `\`${job.nodeName}\` completed (its last command exited 0), but a Python traceback is in its log: a part of a command joined with \`;\` failed without failing the step, as in bash. Join the parts with \`&&\` to stop at the first failure (log: ${logFile}).`;
  }
  if (summary.status === 'Failed') {
    const last = [...result.tail].reverse().find((l) => l.trim() !== '');
    summary.reason =
      result.spawnError ?? `the command exited with code ${result.exitCode}${last ? `: ${last.trim()}` : ''} (log: ${logFile})`;
  }
  return summary;
}

export async function runParallelNode(
  spec: PipelineSpec,
  planned: ParallelJob,
  nodeDir: string,
  results: Map<string, NodeRunSummary>,
  options: StepOptions,
  emit: (e: PipelineEvent) => void,
): Promise<{ summary: NodeRunSummary; parallelSummary?: RunSummary }> {
  const started = new Date();
  const failed = (reason: string): { summary: NodeRunSummary } => {
    const ended = new Date();
    return {
      summary: {
        name: planned.nodeName,
        type: 'parallel',
        status: 'Failed',
        reason,
        startedAt: started.toISOString(),
        endedAt: ended.toISOString(),
        durationMs: ended.getTime() - started.getTime(),
        runDir: nodeDir,
        outputs: {},
      },
    };
  };
  emit({ type: 'nodeStart', node: planned.nodeName, nodeType: 'parallel', runDir: nodeDir });
  let job = planned;
  const bound = Object.entries(planned.inputs).filter(([, input]) => input.from);
  if (bound.length > 0) {
    // The step's output exists now: read the node again with it, so its MLTable or folder is checked like local data.
    const sets = bound.map(
      ([name, input]) =>
        `jobs.${planned.nodeName}.inputs.${name}=${JSON.stringify({ type: input.type, path: upstreamPath(input, results) })}`,
    );
    try {
      const again = await loadSpec(spec.file, {
        overrides: [...(options.overrides ?? []), ...sets],
        onlyNode: planned.nodeName,
        cwd: options.cwd,
        cpuCount: options.cpuCount,
      });
      job = again.parallelNodes.find((n) => n.nodeName === planned.nodeName) ?? planned;
    } catch (err) {
      return failed(err instanceof SpecError ? `its input from an earlier step cannot be read:\n${err.message}` : (err as Error).message);
    }
  }
  let run: RunSummary;
  try {
    run = await runLocal(job, {
      runDir: nodeDir,
      python: options.python,
      sample: options.sample,
      signal: options.signal,
      env: options.env,
      gpus: options.gpus,
      onEvent: (event) => emit({ type: 'nodeEvent', node: job.nodeName, event }),
    });
  } catch (err) {
    return failed((err as Error).message);
  }
  const outputs: Record<string, string> = {};
  for (const name of Object.keys(job.outputs)) {
    // What the next step gets, as in the cloud: a `uri_file` output is the file itself (the append file when
    // append_row_to writes it), any other output its folder (the append file inside it, under its name).
    const isFile = name === job.task.appendRowTo && job.outputs[name]?.type === 'uri_file';
    outputs[name] = isFile ? path.join(nodeDir, 'outputs', name, appendRowFileName(job)) : path.join(nodeDir, 'outputs', name);
  }
  const summary: NodeRunSummary = {
    name: job.nodeName,
    type: 'parallel',
    status: run.status,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    durationMs: run.durationMs,
    runDir: nodeDir,
    outputs,
    summaryFile: path.join(nodeDir, 'summary.json'),
  };
  if (run.reason) summary.reason = run.reason;
  return { summary, parallelSummary: run };
}

/** The last segment of an output's path when it names a file (`…/aggregated_returns.csv`). */
function fileNameOf(outputPath: string | undefined): string | undefined {
  const last = outputPath
    ?.replace(/[\\/]+$/, '')
    .split(/[\\/]/)
    .pop();
  return last && /^[^${}]+\.[A-Za-z0-9]+$/.test(last) ? last : undefined;
}
