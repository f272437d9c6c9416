/**
 * Every command of the extension, registered in one place. The handlers live with their feature; commands
 * that execute workspace code are wrapped so that in an untrusted workspace they refuse and say why.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { debugMiniBatchCommand } from '../debug/mini-batch';
import { rerunCommand, runLocallyCommand } from '../run/commands';
import { runPipelineCommand } from '../run/pipeline-commands';
import { openDigitsSampleCommand } from '../samples/open-digits';
import type { LocalRunsView } from '../tree/local-runs-view';
import { cancelRunCommand, deleteRunCommand, openRunCommand, revealLogsCommand } from '../tree/run-commands';
import { COMMAND } from './ids';
import { requiresTrust } from './trust';
import { registerMigrate } from '../migrate/command';

export function registerCommands(ctx: Ctx, view: LocalRunsView): void {
  const handlers: Record<(typeof COMMAND)[keyof typeof COMMAND], (...args: any[]) => unknown> = {
    [COMMAND.runLocally]: requiresTrust('Run locally', runLocallyCommand(ctx, false)),
    [COMMAND.debugLocally]: requiresTrust('Debug locally', runLocallyCommand(ctx, true)),
    [COMMAND.runPipelineLocally]: requiresTrust('Run Pipeline Locally', runPipelineCommand(ctx, false)),
    [COMMAND.runStepLocally]: requiresTrust('Run Step Locally', runPipelineCommand(ctx, true)),
    [COMMAND.debugMiniBatch]: requiresTrust('Debug this mini-batch', debugMiniBatchCommand(ctx)),
    [COMMAND.rerun]: requiresTrust('Rerun', rerunCommand(ctx, () => view.runs[0]?.runDir)),
    [COMMAND.cancelRun]: cancelRunCommand(ctx),
    [COMMAND.openRun]: openRunCommand(ctx),
    [COMMAND.deleteRun]: deleteRunCommand(ctx, () => view.refresh()),
    [COMMAND.revealLogs]: revealLogsCommand(ctx),
    [COMMAND.refreshLocalRuns]: () => view.refresh(),
    [COMMAND.showOutput]: () => ctx.log.show(),
    [COMMAND.openDigitsSample]: openDigitsSampleCommand(ctx),
  };
  for (const [id, handler] of Object.entries(handlers)) {
    ctx.extension.subscriptions.push(vscode.commands.registerCommand(id, reportErrors(ctx, id, handler)));
  }
  registerMigrate(ctx);
}

/** A command that throws would show VS Code's bare "command failed"; say what went wrong instead, and log it. */
function reportErrors(ctx: Ctx, id: string, handler: (...args: any[]) => unknown) {
  return async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (err) {
      const message = (err as Error)?.message ?? String(err);
      ctx.log.error(`${id} failed: ${(err as Error)?.stack ?? message}`);
      void vscode.window.showErrorMessage(`Parallel Run: ${message}`);
      return undefined;
    }
  };
}
