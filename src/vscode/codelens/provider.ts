/**
 * "Run locally", "Debug locally" and "Submit…" above an entry script's `def run(...)` and above each parallel node of
 * a spec YAML. The file's text decides (see core/workspace): nothing is read from disk, nothing is parsed.
 */
import * as vscode from 'vscode';
import { entryScriptRunLine } from '../../core/workspace/entry-script-shape';
import { parallelNodeLines } from '../../core/workspace/parallel-yaml-shape';
import { COMMAND } from '../commands/ids';
import { SUBMIT_COMMAND } from '../azure/submit/ids';
import { config } from '../config';
import { lazy } from '../load';

const JOBS_LINE = /^jobs[ \t]*:/m;

export const CODELENS_SELECTOR: vscode.DocumentSelector = [
  { language: 'python', scheme: 'file' },
  { language: 'yaml', scheme: 'file' },
];

export class RunCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    const fire = () => this.changed.fire();
    this.subscriptions = [
      this.changed,
      vscode.workspace.onDidGrantWorkspaceTrust(fire),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('parallelRun.codeLens.enabled')) fire();
      }),
    ];
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] | Promise<vscode.CodeLens[]> {
    if (!config.codeLensEnabled()) return [];
    const lenses = this.nodeLenses(document);
    // A pipeline's shape needs the YAML parser (in the lazy half): only files with a `jobs:` line pay for it.
    if (document.languageId !== 'yaml' || !JOBS_LINE.test(document.getText())) return lenses;
    return this.pipelineLenses(document).then(
      (more) => [...more, ...lenses],
      () => lenses,
    );
  }

  /** "Run Pipeline Locally" on `jobs:` and "Run Step Locally" on each step, for a pipeline a local run takes whole. */
  private async pipelineLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const { pipelineShape } = await lazy();
    const shape = pipelineShape(document.getText());
    if (!shape) return [];
    const suffix = vscode.workspace.isTrusted ? '' : ' (trust required)';
    const at = (line: number) => new vscode.Range(line, 0, line, 0);
    const lenses = [
      new vscode.CodeLens(at(shape.jobsLine), {
        title: `$(run-all) Run Pipeline Locally${suffix}`,
        command: COMMAND.runPipelineLocally,
        arguments: [document.uri],
        tooltip: `Run every step (${shape.steps.map((s) => s.name).join(' → ')}) on this machine, each after the steps it reads from`,
      }),
      new vscode.CodeLens(at(shape.jobsLine), {
        title: `$(cloud-upload) Submit…${suffix}`,
        command: SUBMIT_COMMAND.submit,
        arguments: [document.uri],
        tooltip: 'Submit this pipeline to Azure ML (code and local data are uploaded; the estimate from the last local run is shown first)',
      }),
    ];
    for (const step of shape.steps) {
      if (step.type !== undefined && step.type !== 'command' && step.type !== 'parallel') continue;
      lenses.push(
        new vscode.CodeLens(at(step.line), {
          title: `$(play) Run Step Locally${suffix}`,
          command: COMMAND.runStepLocally,
          arguments: [document.uri, { node: step.name }],
          tooltip: `Run ${step.name} alone, reading the outputs of the latest local run of the steps before it`,
        }),
      );
    }
    return lenses;
  }

  private nodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const text = document.getText();
    const places: { line: number; node?: string }[] = [];
    if (document.languageId === 'python') {
      const line = entryScriptRunLine(text);
      if (line !== undefined) places.push({ line });
    } else {
      for (const found of parallelNodeLines(text)) places.push({ line: found.line, node: found.nodeName });
    }
    const suffix = vscode.workspace.isTrusted ? '' : ' (trust required)';
    return places.flatMap(({ line, node }) => {
      const range = new vscode.Range(line, 0, line, 0);
      const args = [document.uri, node ? { node } : {}];
      return [
        new vscode.CodeLens(range, {
          title: `$(play) Run locally${suffix}`,
          command: COMMAND.runLocally,
          arguments: args,
          tooltip: 'Run this parallel job on this machine, on a sample of its input',
        }),
        new vscode.CodeLens(range, {
          title: `$(debug-alt) Debug locally${suffix}`,
          command: COMMAND.debugLocally,
          arguments: args,
          tooltip: 'Run one worker under the Python debugger: breakpoints in init() and run() hit',
        }),
        new vscode.CodeLens(range, {
          title: `$(cloud-upload) Submit…${suffix}`,
          command: SUBMIT_COMMAND.submit,
          arguments: args,
          tooltip: 'Submit this parallel job to an Azure ML compute cluster (the estimate from the last local run is shown first)',
        }),
      ];
    });
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }
}
