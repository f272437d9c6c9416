/**
 * Registers the model commands. Only this file is in the activation bundle: the handlers (and with them
 * the ONNX code and, at preview time, onnxruntime-node) load from the lazy half on first use.
 */
import { registerCommandTable } from '../commands/register';
import type { Ctx } from '../ctx';
import { lazy } from '../load';
import { MODEL_COMMANDS } from './ids';

export function registerModelCommands(ctx: Ctx): void {
  // The handlers' results (inspection, files written, preview rows) are what executeCommand returns.
  ctx.extension.subscriptions.push(
    registerCommandTable(ctx.log, MODEL_COMMANDS, {
      inspectModel: async (arg?: unknown) => (await lazy()).model.inspectModelCommand(ctx, arg),
      newEntryScriptFromModel: async (arg?: unknown) => (await lazy()).model.newEntryScriptFromModelCommand(ctx, arg),
      previewModel: async (arg?: unknown) => (await lazy()).model.previewModelCommand(ctx, arg),
    }),
  );
}
