/**
 * Registers the model commands. Only this file is in the activation bundle: the handlers (and with them
 * the ONNX code and, at preview time, onnxruntime-node) load from the lazy half on first use.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { lazy } from '../load';
import { MODEL_COMMAND } from './ids';

export function registerModelCommands(ctx: Ctx): void {
  const handlers = {
    [MODEL_COMMAND.inspectModel]: 'inspectModelCommand',
    [MODEL_COMMAND.newEntryScriptFromModel]: 'newEntryScriptFromModelCommand',
    [MODEL_COMMAND.previewModel]: 'previewModelCommand',
  } as const;
  for (const [id, name] of Object.entries(handlers)) {
    ctx.extension.subscriptions.push(
      vscode.commands.registerCommand(id, async (arg?: unknown) => {
        try {
          // The handlers' results (inspection, files written, preview rows) are what executeCommand returns.
          return await (await lazy()).model[name](ctx, arg);
        } catch (err) {
          ctx.log.error(`${id} failed: ${(err as Error)?.stack ?? String(err)}`);
          void vscode.window.showErrorMessage(`Parallel Run: ${(err as Error)?.message ?? String(err)}`);
          return undefined;
        }
      }),
    );
  }
}
