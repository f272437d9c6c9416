/** Tells the user how a run ended, once: the panel shows the details, this says what to do next. */
import * as vscode from 'vscode';
import type { RunSummary } from '../../core/local/types';
import { countsText, durationText } from '../../core/workspace/local-runs';
import { endWithPeriod, failureHeadline, headlineSentence } from '../../shared/headline';
import { COMMAND } from '../commands/ids';
import type { Ctx } from '../ctx';
import { missingModule } from '../../core/runs/missing-module';
import { pythonExtensionInstalled, type Interpreter } from '../python/interpreter';

export interface OutcomeContext {
  panelShown: boolean;
  /** The user stopped the run: that is no news to tell. */
  canceledByUser?: boolean;
  /** The entry script's code folder, to find the user's line in a traceback. */
  codeDir?: string;
}

export function reportOutcome(
  ctx: Ctx,
  summary: RunSummary,
  interpreter: Interpreter,
  { panelShown, canceledByUser, codeDir }: OutcomeContext,
): void {
  const openRun = 'Open Run';
  const follow = (choice: string | undefined) => {
    if (choice === openRun) void vscode.commands.executeCommand(COMMAND.openRun, summary.runDir);
    else if (choice === 'Show Logs') void vscode.commands.executeCommand(COMMAND.revealLogs, summary.runDir);
  };
  const actions = panelShown ? [] : [openRun];
  switch (summary.status) {
    case 'Completed':
      if (!panelShown) {
        void vscode.window
          .showInformationMessage(
            `${summary.nodeName} completed: ${countsText(summary.counts)} in ${durationText(summary.durationMs)}.`,
            ...actions,
          )
          .then(follow);
      }
      return;
    case 'Canceled':
      if (canceledByUser) return;
      void vscode.window
        .showInformationMessage(
          summary.reason ? `${summary.nodeName} was canceled: ${endWithPeriod(summary.reason)}` : `${summary.nodeName} was canceled.`,
          ...actions,
        )
        .then(follow);
      return;
    case 'Failed': {
      const missing = missingModule(summary);
      if (missing) {
        reportMissingModule(ctx, summary, interpreter, missing.module);
        return;
      }
      void vscode.window
        .showErrorMessage(`${summary.nodeName} failed: ${runHeadline(summary, codeDir)}`, ...actions, 'Show Logs')
        .then(follow);
      return;
    }
  }
}

/** The failure headline (first real error, the user's file:line, what it hit; the driver's reason after it). */
export function runHeadline(summary: RunSummary, codeDir?: string): string {
  const root = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(summary.specFile))?.uri.fsPath;
  const headline = failureHeadline(summary, { codeDir, root });
  if (headline) return headlineSentence(headline);
  return summary.reason ? endWithPeriod(summary.reason) : 'see the run’s logs.';
}

/** One message naming the interpreter that lacks the package, and the two ways to fix it. */
function reportMissingModule(ctx: Ctx, summary: RunSummary, interpreter: Interpreter, module: string | undefined): void {
  const python = describeInterpreter(summary.python || interpreter.path || 'python3', interpreter.source);
  const what = module ? `the package that provides \`${module}\`` : 'a package the entry script imports';
  const install =
    module === 'debugpy'
      ? 'python -m pip install debugpy (Debian: apt-get install python3-debugpy)'
      : `python -m pip install ${module ?? '<package>'}`;
  const message =
    `${summary.nodeName} could not start: the interpreter ${python} lacks ${what}. ` +
    `Install it into that interpreter (${install}), or run with another one: set parallelRun.pythonPath${pythonExtensionInstalled() ? ' or use Python: Select Interpreter' : ''}.`;
  ctx.log.error(message);
  const select = 'Select Interpreter';
  const setting = 'Open Setting';
  const choices = pythonExtensionInstalled() ? [select, setting] : [setting];
  void vscode.window.showErrorMessage(message, ...choices).then((choice) => {
    if (choice === select) void vscode.commands.executeCommand('python.setInterpreter');
    else if (choice === setting) void vscode.commands.executeCommand('workbench.action.openSettings', 'parallelRun.pythonPath');
  });
}

/** "/usr/bin/python3 (Python 3.11.2; the default python3 on PATH)". */
function describeInterpreter(python: string, source: string): string {
  return python.endsWith(')') ? `${python.slice(0, -1)}; ${source})` : `${python} (${source})`;
}
