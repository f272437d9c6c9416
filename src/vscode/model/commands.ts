/**
 * The model commands' handlers, in the lazy half of the extension: Inspect Model, New Entry Script from
 * Model…, Preview Model on Sample…. onnxruntime-node loads only when a preview runs.
 */
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { modelScaffold, previewModel, type ModelInfo, type ModelPlan, type PreviewResult } from '../../core/scaffold/onnx';
import { entryScriptNameProblem } from '../../core/scaffold/templates';
import type { Ctx } from '../ctx';
import { ModelPanel } from './model-panel';
import { askInput, closePrompts } from './prompt-chain';
import { askPlan, inspect, pickModel } from './prompts';

const PLANS_KEY = 'parallelRun.modelPlans';
interface Remembered {
  plan: ModelPlan;
  dataFolder?: string;
}

function remembered(ctx: Ctx, model: string): Remembered | undefined {
  return ctx.extension.workspaceState.get<Record<string, Remembered>>(PLANS_KEY, {})[model];
}

async function remember(ctx: Ctx, model: string, value: Remembered): Promise<void> {
  const all = ctx.extension.workspaceState.get<Record<string, Remembered>>(PLANS_KEY, {});
  await ctx.extension.workspaceState.update(PLANS_KEY, { ...all, [model]: value });
}

function toUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string') return vscode.Uri.parse(arg);
  return undefined;
}

export async function inspectModelCommand(ctx: Ctx, arg?: unknown): Promise<ModelInfo | undefined> {
  const uri = await pickModel(toUri(arg));
  if (!uri) return undefined;
  const info = inspect(uri);
  ctx.log.info(`Inspected ${uri.fsPath}: ${info.inputs.length} input(s), ${info.outputs.length} output(s)`);
  ModelPanel.show(info);
  return info;
}

/** The folder the scaffold goes to: the parent of a `model`/`models` folder holding the model, else the model's folder. */
function projectFolder(modelFile: string): { folder: string; modelFolder: string } {
  const dir = path.dirname(modelFile);
  if (/^models?$/i.test(path.basename(dir))) return { folder: path.dirname(dir), modelFolder: `./${path.basename(dir)}` };
  return { folder: dir, modelFolder: '.' };
}

function relative(from: string, to: string): string {
  const rel = path.relative(from, to).split(path.sep).join('/');
  return rel === '' ? '.' : rel.startsWith('.') ? rel : `./${rel}`;
}

/** Resolves with the files written, or undefined when the user cancelled. */
async function newEntryScriptFromModelCommandAsked(
  ctx: Ctx,
  arg?: unknown,
): Promise<{ script: string; spec: string; conda: string } | undefined> {
  const uri = await pickModel(toUri(arg));
  if (!uri) return;
  const info = inspect(uri);
  const plan = await askPlan(info, path.basename(uri.fsPath));
  if (!plan) return;
  const { folder, modelFolder } = projectFolder(uri.fsPath);
  const stem = path.basename(uri.fsPath, path.extname(uri.fsPath)).replace(/[^A-Za-z0-9_]/g, '_');
  const name = await askInput({
    title: 'Name of the entry script (a Python module name)',
    value: `score_${stem}`.toLowerCase(),
    validateInput: (v) => entryScriptNameProblem(v.trim()),
  });
  if (!name) return;
  closePrompts();
  const data = await vscode.window.showOpenDialog({
    canSelectFiles: plan.kind === 'tabular',
    canSelectFolders: true,
    canSelectMany: false,
    defaultUri: vscode.Uri.file(defaultDataFolder(folder) ?? folder),
    title: plan.kind === 'tabular' ? 'The MLTable folder to score' : 'The folder of files to score',
    openLabel: 'Score this data',
  });
  if (!data?.[0]) return;
  const files = {
    script: path.join(folder, `${name.trim()}.py`),
    spec: path.join(folder, `${name.trim()}.yml`),
    conda: path.join(folder, `${name.trim()}.conda.yml`),
  };
  const existing = Object.values(files).filter((f) => existsSync(f));
  if (existing.length) {
    const replace = 'Replace';
    const answer = await vscode.window.showWarningMessage(
      `${existing.map((f) => path.basename(f)).join(', ')} already exist${existing.length === 1 ? 's' : ''} in ${folder}.`,
      { modal: true },
      replace,
    );
    if (answer !== replace) return;
  }
  const scaffold = modelScaffold({
    plan,
    name: name.trim(),
    inputPath: relative(folder, data[0].fsPath),
    modelFolder,
    condaFileName: path.basename(files.conda),
  });
  const enc = new TextEncoder();
  await vscode.workspace.fs.writeFile(vscode.Uri.file(files.script), enc.encode(scaffold.entryScript));
  await vscode.workspace.fs.writeFile(vscode.Uri.file(files.spec), enc.encode(scaffold.spec));
  await vscode.workspace.fs.writeFile(vscode.Uri.file(files.conda), enc.encode(scaffold.conda));
  await remember(ctx, uri.fsPath, { plan, dataFolder: data[0].fsPath });
  ctx.log.info(`New entry script from ${uri.fsPath}: wrote ${files.script}, ${files.spec}, ${files.conda}`);
  await vscode.window.showTextDocument(vscode.Uri.file(files.script));
  const preview = 'Preview Model on Sample';
  const openSpec = 'Open the Spec';
  const answer = await vscode.window.showInformationMessage(
    `Wrote ${path.basename(files.script)}, its spec and its conda file. Preview what the model predicts before running it?`,
    preview,
    openSpec,
  );
  if (answer === preview) await previewModelCommand(ctx, uri);
  if (answer === openSpec) await vscode.window.showTextDocument(vscode.Uri.file(files.spec), { viewColumn: vscode.ViewColumn.Beside });
  return files;
}

function defaultDataFolder(folder: string): string | undefined {
  return ['data/images', 'data', 'images'].map((d) => path.join(folder, d)).find((d) => existsSync(d));
}

async function previewModelCommandAsked(ctx: Ctx, arg?: unknown): Promise<PreviewResult | undefined> {
  if (!vscode.workspace.isTrusted) {
    // A model is data, but the preview hands it to a native runtime in the extension host: trusted folders only.
    throw new Error(
      'Preview Model on Sample runs the model inside VS Code, so it needs a trusted workspace. Trust this folder (Manage Workspace Trust) and run it again.',
    );
  }
  const uri = await pickModel(toUri(arg));
  if (!uri) return;
  const info: ModelInfo = inspect(uri);
  const known = remembered(ctx, uri.fsPath);
  let plan = known?.plan.kind === 'tabular' ? undefined : known?.plan;
  if (!plan) {
    plan = await askPlan(info, path.basename(uri.fsPath), ['images', 'arrays']);
    if (!plan) return;
  }
  const { folder } = projectFolder(uri.fsPath);
  const start = known?.dataFolder && existsSync(known.dataFolder) ? known.dataFolder : (defaultDataFolder(folder) ?? folder);
  // The count before the folder: a prompt after the dialog would open as the focus goes back to the model view.
  const count = await askInput({
    title: 'How many inputs (the first N files, sorted by name)?',
    value: '10',
    validateInput: (v) => (/^[1-9]\d{0,3}$/.test(v.trim()) ? undefined : 'A whole number from 1 to 9999'),
  });
  if (!count) return;
  closePrompts();
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    defaultUri: vscode.Uri.file(start),
    title: 'The folder of sample inputs',
    openLabel: 'Preview on these',
  });
  if (!picked?.[0]) return;
  const ext = plan.kind === 'images' ? /\.png$/i : /\.npy$/i;
  const all = readdirSync(picked[0].fsPath)
    .filter((f) => ext.test(f))
    .sort();
  if (all.length === 0)
    throw new Error(
      `${picked[0].fsPath} has no ${plan.kind === 'images' ? '.png' : '.npy'} files: the preview reads ${plan.kind === 'images' ? 'PNG images' : '.npy arrays'}.`,
    );
  const files = all.slice(0, Number(count)).map((f) => path.join(picked[0].fsPath, f));
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Running ${path.basename(uri.fsPath)} on ${files.length} input(s)…` },
    () => previewModel(uri.fsPath, plan!, files),
  );
  await remember(ctx, uri.fsPath, { plan, dataFolder: picked[0].fsPath });
  const t = result.timings;
  ctx.log.info(
    `Preview of ${uri.fsPath} on ${files.length} input(s): runtime load ${t.loadRuntimeMs.toFixed(1)} ms, session ${t.sessionCreateMs.toFixed(1)} ms, inputs ${t.preprocessMs.toFixed(1)} ms, run ${t.runMs.toFixed(1)} ms`,
  );
  ModelPanel.show(info).showPreview(
    result,
    vscode.workspace.asRelativePath(picked[0]),
    files.some((f) => /label[^._-]+/.test(path.basename(f))),
  );
  return result;
}

/** Resolves with the files written, or undefined when the user cancelled. */
export async function newEntryScriptFromModelCommand(
  ctx: Ctx,
  arg?: unknown,
): Promise<{ script: string; spec: string; conda: string } | undefined> {
  try {
    return await newEntryScriptFromModelCommandAsked(ctx, arg);
  } finally {
    closePrompts();
  }
}

export async function previewModelCommand(ctx: Ctx, arg?: unknown): Promise<PreviewResult | undefined> {
  try {
    return await previewModelCommandAsked(ctx, arg);
  } finally {
    closePrompts();
  }
}
