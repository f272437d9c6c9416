/** Run locally, Debug locally and Rerun: find what to run, ask what is missing, then launch. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { commandOptionsOf } from './command-options';
import type { RunSummary } from '../../core/local/types';
import { readRunSummary } from '../../core/workspace/local-runs';
import { readPipelineSummary } from '../../core/pipeline/earlier-runs';
import { COMMAND } from '../commands/ids';
import { config } from '../config';
import type { Ctx } from '../ctx';
import { ensureDebuggerExtension } from '../debug/debugger';
import { replayOf } from '../../core/runs/replay';
import { recipeOf } from './rerun-recipe';
import { runDirOf } from './run-arg';
import { launchRun } from './launch';
import { pickSample, rememberedSample } from './sample-pick';
import { chooseSpec, loadJob, targetUri } from './target';

/** The second argument of Run/Debug locally (CodeLens, tests, other extensions). */
export type { RunCommandOptions } from './command-options';

/** `parallelRun.runLocally` / `parallelRun.debugLocally` (uri?, options?) → the run's summary, or undefined. */
export function runLocallyCommand(ctx: Ctx, debug: boolean) {
  return async (uri?: unknown, rawOptions?: unknown): Promise<RunSummary | undefined> => {
    if (debug && !ensureDebuggerExtension()) return undefined;
    const options = commandOptionsOf(rawOptions);
    const choice = await chooseSpec(targetUri(uri), options.node, ctx.log);
    if (!choice) return undefined;
    const job = await loadJob(choice, ctx.log);
    if (!job) return undefined;
    const sample = options.sample ?? (await pickSample(job, ctx.extension.workspaceState));
    if (!sample) return undefined;
    return launchRun(ctx, job, { sample, debug, reveal: options.reveal });
  };
}

/**
 * `parallelRun.rerun` (run?): the same node again, without asking: with that run's sample (a replay replays
 * the same mini-batches), else the sample last chosen for its spec. No argument: the latest run.
 */
export function rerunCommand(ctx: Ctx, latest: () => string | undefined) {
  return async (arg?: unknown): Promise<RunSummary | undefined> => {
    const runDir = runDirOf(arg) ?? latest();
    if (!runDir) {
      void vscode.window.showInformationMessage('No local run to rerun yet: use Run locally first.');
      return undefined;
    }
    const live = ctx.runs.get(runDir);
    if (live?.pipeline || (!live && (await rerunPipeline(ctx, runDir)))) {
      if (live) void vscode.window.showInformationMessage(`${live.nodeName} is still running: cancel it first, or wait for it to end.`);
      return undefined;
    }
    const past = live ?? (await readRunSummary(runDir));
    if (!past) {
      void vscode.window.showErrorMessage(`${runDir} has no summary.json: it is not a finished local run.`);
      return undefined;
    }
    const job = await loadJob({ specFile: past.specFile, nodeName: past.nodeName }, ctx.log);
    if (!job) return undefined;
    const recipe = recipeOf(ctx.extension.workspaceState, runDir);
    const summary: RunSummary | undefined = live ? live.summary : (past as RunSummary);
    if (recipe && 'replay' in recipe && summary) {
      return launchRun(ctx, job, {
        miniBatches: summary.miniBatches.map(replayOf),
        what: `the ${summary.miniBatches.length} mini-batch(es) of ${path.basename(runDir)}`,
      });
    }
    const sample = (recipe && 'sample' in recipe ? recipe.sample : undefined) ??
      rememberedSample(ctx.extension.workspaceState, job.specFile) ?? {
        miniBatches: config.sampleMiniBatches(vscode.Uri.file(job.specFile)),
      };
    return launchRun(ctx, job, { sample });
  };
}

/**
 * Rerun of a pipeline run: the whole pipeline again with the sample last chosen for its spec, or the one step
 * it ran (every other step reused). False when `runDir` is not a pipeline run.
 */
async function rerunPipeline(ctx: Ctx, runDir: string): Promise<boolean> {
  const pipeline = await readPipelineSummary(runDir);
  if (!pipeline) return false;
  const ran = pipeline.nodes.filter((n) => n.status !== 'Reused');
  const node = ran.length === 1 && ran.length < pipeline.nodes.length ? ran[0].name : undefined;
  const sample = rememberedSample(ctx.extension.workspaceState, pipeline.specFile) ?? {
    miniBatches: config.sampleMiniBatches(vscode.Uri.file(pipeline.specFile)),
  };
  await vscode.commands.executeCommand(node ? COMMAND.runStepLocally : COMMAND.runPipelineLocally, vscode.Uri.file(pipeline.specFile), {
    sample,
    ...(node ? { node } : {}),
  });
  return true;
}
