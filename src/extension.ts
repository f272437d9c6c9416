/**
 * The extension's entry point: builds the context and registers features. Nothing heavy happens here:
 * the engine, the spec reader and the run panel load the first time a command needs them.
 */
import * as vscode from 'vscode';
import { registerAuthoring } from './vscode/authoring';
import { RunCodeLensProvider, CODELENS_SELECTOR } from './vscode/codelens/provider';
import { registerCommands } from './vscode/commands';
import { createCtx } from './vscode/ctx';
import { registerRunPanelSerializer } from './vscode/run/panel-restore';
import { watchDigitsSampleContext } from './vscode/samples/open-digits';
import { registerModelCommands } from './vscode/model/register';
import { runStatusBar } from './vscode/run/status-bar';
import { LocalRunsView, VIEW_ID } from './vscode/tree/local-runs-view';
import { registerAzureView } from './vscode/azure/view';

/** What the extension exports: the Azure ML view's model (the integration tests read its rows). */
export interface ExtensionApi {
  /** Makes (on first call) and returns the Azure ML view's model. */
  azureTree?: () => import('./vscode/tree/framework/tree-model').TreeModel;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const started = performance.now();
  try {
    const ctx = createCtx(context);
    const view = new LocalRunsView(ctx);
    context.subscriptions.push(
      view,
      vscode.window.createTreeView(VIEW_ID, { treeDataProvider: view, showCollapseAll: false }),
      vscode.languages.registerCodeLensProvider(CODELENS_SELECTOR, new RunCodeLensProvider()),
      runStatusBar(ctx.runs),
      registerRunPanelSerializer(ctx),
      watchDigitsSampleContext(),
    );
    registerCommands(ctx, view);
    registerModelCommands(ctx);
    registerAuthoring(context, ctx.log);
    const azureTree = registerAzureView(ctx);
    ctx.log.info(`Parallel Run activated in ${(performance.now() - started).toFixed(1)} ms`);
    return { azureTree };
  } catch (err) {
    // VS Code does not surface a failed activation: say it, with what to do.
    void vscode.window.showErrorMessage(
      `Parallel Run failed to start: ${(err as Error)?.message ?? err}. See Help > Toggle Developer Tools for details.`,
    );
    console.error(err);
    return {};
  }
}

export function deactivate(): void {
  // Runs in progress are canceled through context.subscriptions (LiveRuns.dispose).
}
