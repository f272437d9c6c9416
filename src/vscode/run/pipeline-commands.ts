/** Run Pipeline Locally and Run Step Locally: which pipeline, which part of the input, then launch. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { commandOptionsOf, type RunCommandOptions } from './command-options';
import type { SampleOptions } from '../../core/local/partition/types';
import type { PipelineRunSummary } from '../../core/pipeline/types';
import { config } from '../config';
import type { Ctx } from '../ctx';
import { lazy } from '../load';
import { pipelineHost } from './panel-link';
import { rememberedSample, rememberSample } from './sample-pick';
import { loadPipelineSpec, targetUri } from './target';

/** The second argument of Run Pipeline Locally / Run Step Locally (CodeLens, tests). */
export type PipelineCommandOptions = RunCommandOptions;

/**
 * `parallelRun.runPipelineLocally` (uri?, options?) and `parallelRun.runStepLocally` (uri, {node}): the
 * pipeline's summary, or undefined when nothing ran (the user gave up, or was told why).
 */
export function runPipelineCommand(ctx: Ctx, oneStep: boolean) {
  return async (uri?: unknown, rawOptions?: unknown): Promise<PipelineRunSummary | undefined> => {
    const options = commandOptionsOf(rawOptions);
    const specFile = targetYaml(uri) ?? (await pickPipelineSpec());
    if (!specFile) return undefined;
    const only = oneStep ? (options.node ?? (await pickStep(specFile))) : undefined;
    if (oneStep && !only) return undefined;
    const spec = await loadPipelineSpec(specFile, ctx.log, only);
    if (!spec) return undefined;
    const sample =
      options.sample ?? (spec.parallelNodes.length > 0 ? await pickPipelineSample(specFile, ctx.extension.workspaceState) : {});
    if (!sample) return undefined;
    return (await lazy()).launchPipeline(pipelineHost(ctx), spec, { only, sample, reveal: options.reveal });
  };
}

/** A YAML file from the argument or the active editor. */
function targetYaml(arg: unknown): string | undefined {
  const uri = targetUri(arg);
  return uri && /\.ya?ml$/i.test(uri.fsPath) ? uri.fsPath : undefined;
}

/** The pipeline specs (a command step, or several steps) in the workspace folders' top two levels. */
async function pickPipelineSpec(): Promise<string | undefined> {
  const { findPipelineSpecs } = await lazy();
  const found = await vscode.workspace.findFiles('**/*.{yml,yaml}', '**/{node_modules,.git,.parallel-run,.venv,venv}/**', 500);
  const dirs = [...new Set(found.map((u) => path.dirname(u.fsPath)))];
  const specs = (await Promise.all(dirs.map((d) => findPipelineSpecs(d)))).flat().sort();
  if (specs.length === 0) {
    void vscode.window.showInformationMessage(
      'No pipeline spec (a YAML whose `jobs:` hold a command step or several steps) in this workspace.',
    );
    return undefined;
  }
  if (specs.length === 1) return specs[0];
  const picked = await vscode.window.showQuickPick(
    specs.map((file) => ({ label: path.basename(file), description: vscode.workspace.asRelativePath(path.dirname(file)), file })),
    { title: 'Which pipeline to run?', ignoreFocusOut: true },
  );
  return picked?.file;
}

async function pickStep(specFile: string): Promise<string | undefined> {
  const { pipelineShape } = await lazy();
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(specFile)));
  const steps = pipelineShape(text)?.steps ?? [];
  const picked = await vscode.window.showQuickPick(
    steps.map((s) => ({ label: s.name, description: s.type })),
    { title: `Which step of ${path.basename(specFile)} to run?`, ignoreFocusOut: true },
  );
  return picked?.label;
}

/** The part of each parallel step's input to run (the same choice as Run Locally's, for every parallel step). */
async function pickPipelineSample(specFile: string, state: vscode.Memento): Promise<SampleOptions | undefined> {
  const n = config.sampleMiniBatches(vscode.Uri.file(specFile));
  const last = rememberedSample(state, specFile);
  const items: { label: string; description?: string; make: () => Promise<SampleOptions | undefined> }[] = [
    {
      label: `$(layers) First ${n} mini-batch${n === 1 ? '' : 'es'}`,
      description: 'of each parallel step',
      make: async () => ({ miniBatches: n }),
    },
    {
      label: '$(layers) First N mini-batches…',
      description: 'of each parallel step',
      make: () => askNumber(n).then((v) => (v ? { miniBatches: v } : undefined)),
    },
    { label: '$(database) All of the input', description: 'every mini-batch, as the cloud would run', make: async () => ({}) },
  ];
  if (last && !last.files && !(last.miniBatches === n && Object.keys(last).length === 1)) {
    const what =
      last.miniBatches !== undefined
        ? `first ${last.miniBatches} mini-batch(es)`
        : last.items !== undefined
          ? `first ${last.items} items`
          : 'all of the input';
    items.unshift({ label: `$(history) Same as last time: ${what}`, make: async () => last });
  }
  const chosen = await vscode.window.showQuickPick(items, {
    title: `Run ${path.basename(specFile)} locally: which part of each parallel step's input?`,
    placeHolder: 'Command steps always run whole; a sample keeps the parallel steps short',
    ignoreFocusOut: true,
  });
  const sample = await chosen?.make();
  if (sample) await rememberSample(state, specFile, sample);
  return sample;
}

async function askNumber(value: number): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    prompt: 'How many mini-batches of each parallel step?',
    value: String(value),
    ignoreFocusOut: true,
    validateInput: (v) => (/^\s*[1-9][0-9]*\s*$/.test(v) ? undefined : 'A whole number, 1 or more'),
  });
  return text === undefined ? undefined : Number(text.trim());
}
