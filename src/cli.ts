#!/usr/bin/env node
/** `parallel-run`: the headless face of the engine. */
import { parseArgs } from 'node:util';
import * as path from 'node:path';
import { loadSpec } from './core/spec';
import { SpecError, type ParallelJob, type PipelineSpec } from './core/spec/types';
import { runLocal } from './core/local';
import { runPipeline, PipelineInputError, occupiedRunFolder } from './core/pipeline';
import { ProgressReporter } from './cli/progress';
import { modelEventsOf } from './core/runs/local-run';
import { printSummary } from './cli/summary';
import { PipelineReporter } from './cli/pipeline-progress';
import { migrateMain, MIGRATE_USAGE } from './cli/migrate';
import { submitMain, SUBMIT_USAGE } from './cli/submit';
import { estimateMain, ESTIMATE_USAGE } from './cli/estimate';
import { cancelMain, CANCEL_USAGE } from './cli/cancel';
import { resultsMain, compareMain, RESULTS_USAGE, COMPARE_USAGE } from './cli/results';
import { resubmitMain, RESUBMIT_USAGE } from './cli/resubmit';
import { logsMain, LOGS_USAGE } from './cli/logs';

const USAGE = `Usage:
  parallel-run run <spec.yml> [options]   run a pipeline (command and parallel steps, in dependency
                                          order) or a parallel node locally with Azure ML's semantics

Options:
  --node NAME          run this step alone; the steps it reads from are reused from the latest local run
  --sample N           only the first N mini-batches
  --sample-items N     only the first N items (files, or rows of tabular data)
  --out DIR            run folder, new or empty (default: <spec folder>/.parallel-run/runs/<name>-<time>)
  --python PATH        interpreter for the entry script (default: $PARALLEL_RUN_PYTHON, else python3)
  --set KEY=VALUE      override a spec value, e.g. --set inputs.batch_size=1 (repeatable)
  -h, --help           this help

Exit status: 0 when the run completed, 1 when it failed, 2 for bad input, 130 when canceled.

${MIGRATE_USAGE.replace(/^Usage:\n/, '')}

${SUBMIT_USAGE.replace(/^Usage:\n/, '')}

${ESTIMATE_USAGE.replace(/^Usage:\n/, '')}

${CANCEL_USAGE.replace(/^Usage:\n/, '')}

${RESULTS_USAGE.replace(/^Usage:\n/, '')}

${COMPARE_USAGE.replace(/^Usage:\n/, '')}

${RESUBMIT_USAGE.replace(/^Usage:\n/, '')}

${LOGS_USAGE.replace(/^Usage:\n/, '')}`;

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'migrate') return migrateMain(argv.slice(1));
  if (argv[0] === 'submit') return submitMain(argv.slice(1));
  if (argv[0] === 'estimate') return estimateMain(argv.slice(1));
  if (argv[0] === 'cancel') return cancelMain(argv.slice(1));
  if (argv[0] === 'results') return resultsMain(argv.slice(1));
  if (argv[0] === 'compare') return compareMain(argv.slice(1));
  if (argv[0] === 'resubmit') return resubmitMain(argv.slice(1));
  if (argv[0] === 'logs') return logsMain(argv.slice(1));
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        node: { type: 'string' },
        sample: { type: 'string' },
        'sample-items': { type: 'string' },
        out: { type: 'string' },
        python: { type: 'string' },
        set: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    process.stdout.write(USAGE + '\n');
    return values.help ? 0 : 2;
  }
  const [command, specArg, ...rest] = positionals;
  if (command !== 'run' || !specArg || rest.length > 0) {
    process.stderr.write(`Unknown command: ${positionals.join(' ')}\n\n${USAGE}\n`);
    return 2;
  }
  const sample = {
    miniBatches: positiveInt(values.sample, '--sample'),
    items: positiveInt(values['sample-items'], '--sample-items'),
  };
  if (sample.miniBatches === null || sample.items === null) return 2;

  if (values.out) {
    const occupied = occupiedRunFolder(path.resolve(values.out));
    if (occupied) {
      process.stderr.write(`${occupied}\n`);
      return 2;
    }
  }
  let spec: PipelineSpec;
  let job: ParallelJob | undefined;
  try {
    spec = await loadSpec(path.resolve(specArg), { overrides: values.set ?? [], onlyNode: values.node });
    for (const w of spec.warnings)
      process.stderr.write(`${w.location.file}:${w.location.line}:${w.location.column}: warning: ${w.message}\n`);
    const chosen = values.node ? spec.parallelNodes.filter((n) => n.nodeName === values.node) : spec.parallelNodes;
    const steps = spec.nodes ?? [];
    const isPipeline =
      (spec.commandNodes?.length ?? 0) > 0 ||
      (chosen.length === 1 && Object.values(chosen[0].inputs).some((i) => i.from)) ||
      (!values.node && chosen.length > 1);
    if (!isPipeline && chosen.length !== 1) {
      const names = (steps.length ? steps.map((n) => n.name) : spec.parallelNodes.map((n) => n.nodeName)).join(', ');
      process.stderr.write(`${specArg}: no step named "${values.node}" (it has: ${names}).\n`);
      return 2;
    }
    if (!isPipeline) job = chosen[0];
  } catch (err) {
    process.stderr.write(`${err instanceof SpecError ? err.message : (err as Error).message}\n`);
    return 2;
  }

  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts += 1;
    if (interrupts === 1) {
      process.stderr.write('\nCanceling: stopping workers, keeping finished mini-batches (Ctrl-C again to quit at once)…\n');
      controller.abort();
    } else process.exit(130);
  };
  process.on('SIGINT', onSigint);
  const sampleOptions = sample.miniBatches || sample.items ? { miniBatches: sample.miniBatches, items: sample.items } : undefined;
  if (!job) {
    const pipelineReporter = new PipelineReporter(process.stdout, Boolean(process.stdout.isTTY));
    try {
      const summary = await runPipeline(spec, {
        runDir: values.out,
        only: values.node,
        python: values.python,
        sample: sampleOptions,
        overrides: values.set ?? [],
        signal: controller.signal,
        onEvent: (e) => pipelineReporter.onEvent(e),
      });
      return summary.status === 'Completed' ? 0 : summary.status === 'Canceled' ? 130 : 1;
    } catch (err) {
      process.stderr.write(`${err instanceof PipelineInputError ? err.message : ((err as Error).stack ?? err)}\n`);
      return 2;
    } finally {
      process.off('SIGINT', onSigint);
    }
  }
  const reporter = new ProgressReporter(process.stdout, Boolean(process.stdout.isTTY));
  try {
    const summary = await runLocal(job, {
      runDir: values.out,
      python: values.python,
      sample: sampleOptions,
      signal: controller.signal,
      onEvent: (e) => {
        for (const m of modelEventsOf(e)) reporter.onEvent(m);
      },
    });
    reporter.finish();
    printSummary(process.stdout, summary);
    return summary.status === 'Completed' ? 0 : summary.status === 'Canceled' ? 130 : 1;
  } catch (err) {
    reporter.finish();
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** Parses a positive integer option; null (after printing why) when it is not one. */
function positiveInt(text: string | undefined, name: string): number | undefined | null {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`${name} takes a positive whole number, not "${text}".\n`);
    return null;
  }
  return n;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`${(err as Error).stack ?? err}\n`);
      process.exit(2);
    },
  );
}
