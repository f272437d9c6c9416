/**
 * What a Run/Debug command runs: a parallel node of a spec, from a YAML or entry-script URI, the active
 * editor, or (with nothing to go on) a spec the user picks among the workspace's.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ParallelJob, PipelineSpec } from '../../core/spec/types';
import type { PipelineRunSummary } from '../../core/pipeline/types';
import { endWithPeriod } from '../../shared/headline';
import { lazy } from '../load';
import { mentionsParallelNode } from '../../core/workspace/parallel-yaml-shape';
import { specForEntryScript, type SpecChoice } from './spec-for-script';

/** The URI a command was given: a Uri, a path string, or the active editor's file. */
export function targetUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg) return vscode.Uri.file(arg);
  const doc = vscode.window.activeTextEditor?.document;
  return doc && (doc.languageId === 'python' || doc.languageId === 'yaml') ? doc.uri : undefined;
}

/** The spec (and maybe node) for `uri`; asks when there is a choice to make. Undefined when the user gave up. */
export async function chooseSpec(
  uri: vscode.Uri | undefined,
  node: string | undefined,
  log: vscode.LogOutputChannel,
): Promise<SpecChoice | undefined> {
  if (!uri) return pickWorkspaceSpec();
  if (/\.py$/i.test(uri.fsPath)) return specForEntryScript(uri, log);
  return { specFile: uri.fsPath, nodeName: node };
}

/** Reads the spec and picks the node; shows the spec's errors (with a way to the line) when it has some. */
export async function loadJob(choice: SpecChoice, log: vscode.LogOutputChannel): Promise<ParallelJob | undefined> {
  const { loadSpec } = (await lazy()).spec;
  let nodes: ParallelJob[];
  try {
    await saveIfDirty(choice.specFile);
    nodes = (await loadSpec(choice.specFile, { cwd: path.dirname(choice.specFile) })).parallelNodes;
  } catch (err) {
    await showSpecProblems(choice.specFile, err, log);
    return undefined;
  }
  if (choice.nodeName) {
    const job = nodes.find((n) => n.nodeName === choice.nodeName);
    if (!job)
      void vscode.window.showErrorMessage(
        `${path.basename(choice.specFile)} has no parallel node named ${choice.nodeName} (it has: ${nodes.map((n) => n.nodeName).join(', ')}).`,
      );
    return job;
  }
  if (nodes.length === 1) return nodes[0];
  const picked = await vscode.window.showQuickPick(
    nodes.map((n) => ({ label: n.nodeName, description: path.basename(n.task.entryScriptPath), job: n })),
    { title: `${path.basename(choice.specFile)} has ${nodes.length} parallel nodes: which one?`, ignoreFocusOut: true },
  );
  return picked?.job;
}

/**
 * A parallel step of a pipeline run, read with the inputs that run gave it (the outputs of the steps before it),
 * as runPipeline read it: for "Debug this mini-batch" on a step of a pipeline run.
 */
export async function loadJobInPipeline(
  specFile: string,
  nodeName: string,
  pipeline: PipelineRunSummary,
  log: vscode.LogOutputChannel,
): Promise<ParallelJob | undefined> {
  const { loadSpec } = (await lazy()).spec;
  try {
    await saveIfDirty(specFile);
    const cwd = path.dirname(specFile);
    const planned = (await loadSpec(specFile, { cwd, onlyNode: nodeName })).parallelNodes.find((n) => n.nodeName === nodeName);
    if (!planned) return undefined;
    const sets = Object.entries(planned.inputs).flatMap(([name, input]) => {
      const at = input.from ? pipeline.nodes.find((n) => n.name === input.from!.node)?.outputs[input.from.output] : undefined;
      return at ? [`jobs.${nodeName}.inputs.${name}=${JSON.stringify({ type: input.type, path: at })}`] : [];
    });
    if (sets.length === 0) return planned;
    return (await loadSpec(specFile, { cwd, onlyNode: nodeName, overrides: sets })).parallelNodes.find((n) => n.nodeName === nodeName);
  } catch (err) {
    await showSpecProblems(specFile, err, log);
    return undefined;
  }
}

/** Reads a whole pipeline spec (for Run Pipeline Locally / Run Step Locally); undefined when it has errors (shown). */
export async function loadPipelineSpec(
  specFile: string,
  log: vscode.LogOutputChannel,
  onlyNode?: string,
): Promise<PipelineSpec | undefined> {
  const { loadSpec } = (await lazy()).spec;
  try {
    await saveIfDirty(specFile);
    return await loadSpec(specFile, { cwd: path.dirname(specFile), ...(onlyNode ? { onlyNode } : {}) });
  } catch (err) {
    await showSpecProblems(specFile, err, log);
    return undefined;
  }
}

/** The spec could not be read: its problems are diagnostics on its lines, so show the first one and Problems (F8 walks them). */
export async function showSpecProblems(specFile: string, err: unknown, log: vscode.LogOutputChannel): Promise<void> {
  const { SpecError } = (await lazy()).spec;
  log.error(`Cannot read ${specFile}:\n${(err as Error).message}`);
  if (!(err instanceof SpecError) || err.diagnostics.length === 0) {
    void vscode.window.showErrorMessage(`${path.basename(specFile)}: ${endWithPeriod((err as Error).message)}`);
    return;
  }
  // The spec's problems are diagnostics on its lines: show the first one and the Problems view (F8 walks them).
  const first = err.diagnostics[0];
  const line = Math.max(0, first.location.line - 1);
  const column = Math.max(0, first.location.column - 1);
  await vscode.window.showTextDocument(vscode.Uri.file(specFile), {
    selection: new vscode.Range(line, column, line, column),
    preview: false,
  });
  await vscode.commands.executeCommand('workbench.actions.view.problems');
  vscode.window.setStatusBarMessage(
    `$(error) ${path.basename(specFile)} has ${err.diagnostics.length} problem${err.diagnostics.length === 1 ? '' : 's'} to fix before it runs.`,
    8000,
  );
}

/** Run what the editor shows, not what was last saved. */
export async function saveIfDirty(file: string): Promise<void> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
  if (doc?.isDirty) await doc.save();
}

async function pickWorkspaceSpec(): Promise<SpecChoice | undefined> {
  const found = await vscode.workspace.findFiles('**/*.{yml,yaml}', '**/{node_modules,.git,.parallel-run,.venv,venv}/**', 500);
  const specs: vscode.Uri[] = [];
  for (const uri of found) {
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    if (mentionsParallelNode(text)) specs.push(uri);
  }
  if (specs.length === 0) {
    void vscode.window.showInformationMessage(
      'No parallel job spec (a YAML with a `type: parallel` node) in this workspace. Open an entry script and use “Run locally” to write one, or open the digits sample.',
    );
    return undefined;
  }
  specs.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
  const picked =
    specs.length === 1
      ? { uri: specs[0] }
      : await vscode.window.showQuickPick(
          specs.map((uri) => ({
            label: path.basename(uri.fsPath),
            description: vscode.workspace.asRelativePath(path.dirname(uri.fsPath)),
            uri,
          })),
          { title: 'Which spec to run?', ignoreFocusOut: true },
        );
  return picked && { specFile: picked.uri.fsPath };
}
