// `parallel-run estimate`: what the job would cost in the cloud, from the last local run of each parallel node.
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { loadSpec } from '../core/spec';
import { SpecError } from '../core/spec/types';
import { inputSize, lastLocalRun as lastRun } from '../core/azure/submit/estimate-inputs';
import { estimateJob, EstimateError, formatDuration } from '../core/azure/submit/estimate';

export const ESTIMATE_USAGE = `Usage:
  parallel-run estimate <spec.yml> [options]   expected wall time, node-hours and cost in the cloud, from the
                                               last local run's measured time per item (per mini-batch, tabular)

Options:
  --node NAME          only this parallel node
  --nodes N            nodes (default: the spec's resources.instance_count)
  --processes N        processes per node (default: the spec's max_concurrency_per_instance)
  --price P            price of one node-hour, for a cost figure
  --startup S          seconds a node needs before its first mini-batch (default 0: not included)
  --set KEY=VALUE      override a spec value, e.g. --set mini_batch_size=10 (repeatable)`;

function num(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) throw new EstimateError(`${name} takes a number, not "${text}".`);
  return n;
}

export async function estimateMain(
  argv: string[],
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  let v;
  let positionals;
  try {
    ({ values: v, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        node: { type: 'string' },
        nodes: { type: 'string' },
        processes: { type: 'string' },
        price: { type: 'string' },
        startup: { type: 'string' },
        set: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    err.write(`${(e as Error).message}\n\n${ESTIMATE_USAGE}\n`);
    return 2;
  }
  if (v.help) {
    out.write(ESTIMATE_USAGE + '\n');
    return 0;
  }
  if (positionals.length !== 1) {
    err.write(`Give one spec file.\n\n${ESTIMATE_USAGE}\n`);
    return 2;
  }
  try {
    const spec = await loadSpec(path.resolve(positionals[0]), { overrides: v.set ?? [], onlyNode: v.node });
    const nodes = spec.parallelNodes.filter((n) => !v.node || n.nodeName === v.node);
    if (nodes.length === 0) throw new EstimateError(`The spec has no parallel node${v.node ? ` named ${v.node}` : ''}.`);
    for (const job of nodes) {
      const run = await lastRun(job);
      if (!run)
        throw new EstimateError(
          `Node ${job.nodeName} has no local run to measure: run it first, e.g. \`parallel-run run ${positionals[0]} --node ${job.nodeName} --sample 3\`.`,
        );
      const e = estimateJob({
        measured: run,
        kind: job.inputData.kind,
        inputSize: await inputSize(job),
        miniBatchSize: job.miniBatchSize,
        nodes: num(v.nodes, '--nodes') ?? job.instanceCount,
        processesPerNode: num(v.processes, '--processes') ?? job.maxConcurrencyPerInstance,
        pricePerNodeHour: num(v.price, '--price'),
        startupSeconds: num(v.startup, '--startup'),
      });
      out.write(
        `${job.nodeName}: ${e.miniBatches} mini-batches, about ${formatDuration(e.wallSeconds)} wall time, ${e.nodeHours < 0.01 ? e.nodeHours.toPrecision(2) : e.nodeHours.toFixed(3)} node-hours` +
          `${e.cost !== undefined ? `, cost ${e.cost.toFixed(2)}` : ''}\n  measured in ${run.runDir}\n${e.assumptions.map((a) => `  - ${a}`).join('\n')}\n`,
      );
    }
    return 0;
  } catch (e) {
    if (e instanceof SpecError || e instanceof EstimateError) {
      err.write(`${(e as Error).message}\n`);
      return 2;
    }
    throw e;
  }
}
