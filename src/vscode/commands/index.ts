/** The run commands, registered through the command path (register.ts); the handlers live with their feature. */
import type { Ctx } from '../ctx';
import { debugMiniBatchCommand } from '../debug/mini-batch';
import { rerunCommand, runLocallyCommand } from '../run/commands';
import { runPipelineCommand } from '../run/pipeline-commands';
import { openDigitsSampleCommand } from '../samples/open-digits';
import type { LocalRunsView } from '../tree/local-runs-view';
import { cancelRunCommand, deleteRunCommand, openRunCommand, revealLogsCommand } from '../tree/run-commands';
import { RUN_COMMANDS } from './ids';
import { registerCommandTable } from './register';
import { registerMigrate } from '../migrate/command';

export function registerCommands(ctx: Ctx, view: LocalRunsView): void {
  ctx.extension.subscriptions.push(
    registerCommandTable(ctx.log, RUN_COMMANDS, {
      runLocally: runLocallyCommand(ctx, false),
      debugLocally: runLocallyCommand(ctx, true),
      runPipelineLocally: runPipelineCommand(ctx, false),
      runStepLocally: runPipelineCommand(ctx, true),
      debugMiniBatch: debugMiniBatchCommand(ctx),
      rerun: rerunCommand(ctx, () => view.runs[0]?.runDir),
      cancelRun: cancelRunCommand(ctx),
      openRun: openRunCommand(ctx),
      deleteRun: deleteRunCommand(ctx, () => view.refresh()),
      revealLogs: revealLogsCommand(ctx),
      refreshLocalRuns: () => view.refresh(),
      showOutput: () => ctx.log.show(),
      openDigitsSample: openDigitsSampleCommand(ctx),
    }),
  );
  registerMigrate(ctx);
}
