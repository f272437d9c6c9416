/**
 * The "Azure ML" view, its commands and the workspace status-bar item. Registered at activation, but nothing
 * of the Azure layer loads until the view asks for its first rows (./load.ts).
 */
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import type { WorkspaceRef } from '../../core/azure/resources/types';
import { ModelTreeProvider, registerTreeCommands } from '../tree/framework/provider';
import { TreeModel } from '../tree/framework/tree-model';
import { Clients, type AzureAccess } from './access';
import { credentialFor, isSignedIn, signIn } from './auth';
import { cloudFromSettings, type Cloud } from './cloud';
import { azureApi } from './load';
import { AZURE_COMMAND, azureRoots, SubscriptionNode, type TreeContext } from './nodes';

export const AZURE_VIEW_ID = 'parallelRun.azure';
const SELECTED_KEY = 'parallelRun.azure.workspace';

function currentCloud(): Cloud {
  return cloudFromSettings((section, key) => vscode.workspace.getConfiguration(section).get(key));
}

/** Returns the view's model: the extension exports it for the integration tests (they read the tree's rows). */
export function registerAzureView(ctx: Ctx): TreeModel {
  let cloud: Cloud | undefined;
  const cloudNow = () => (cloud ??= currentCloud());
  const access: AzureAccess = {
    api: azureApi,
    get endpoint() {
      return cloudNow().endpoint;
    },
    signedIn: () => isSignedIn(cloudNow()),
    credential: (tenantId) => credentialFor(cloudNow(), tenantId),
  };
  let clients = new Clients(access);
  const tree: TreeContext = { clients };
  let preselectRead = false;

  /** The selected workspace, else the one config.json (or .azureml/config.json) in the open folder names. */
  const preselection = async (): Promise<WorkspaceRef | undefined> => {
    const chosen = ctx.extension.workspaceState.get<WorkspaceRef>(SELECTED_KEY);
    if (chosen) return chosen;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (!folder) return undefined;
    try {
      return (await azureApi()).discoverWorkspaceConfig(folder);
    } catch (err) {
      ctx.log.warn(`Workspace config ignored: ${(err as Error).message}`);
      return undefined;
    }
  };

  const model = new TreeModel({
    roots: async (signal) => {
      if (!preselectRead) {
        tree.preselect = await preselection();
        preselectRead = true;
        showWorkspace(tree.preselect);
      }
      return azureRoots(tree, signal);
    },
    signIn: { command: AZURE_COMMAND.signIn },
    log: (m) => ctx.log.warn(m),
  });
  const provider = new ModelTreeProvider(model);
  const view = vscode.window.createTreeView(AZURE_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });

  // The status-bar item: made once a workspace is known (a window with no Azure use pays nothing).
  let status: vscode.StatusBarItem | undefined;
  const showWorkspace = (ws: WorkspaceRef | undefined) => {
    if (!ws && !status) return;
    if (!status) {
      status = vscode.window.createStatusBarItem('parallelRun.azureWorkspace', vscode.StatusBarAlignment.Left, -1);
      status.name = 'Azure ML workspace';
      status.command = AZURE_COMMAND.selectWorkspace;
      ctx.extension.subscriptions.push(status);
    }
    status.text = ws ? `$(azure) ${ws.workspace}` : '$(azure) Select Workspace…';
    status.tooltip = ws ? `Azure ML workspace ${ws.workspace}\nResource group ${ws.resourceGroup}\nSubscription ${ws.subscriptionId}\nClick to select another` : 'Select an Azure ML workspace';
    status.show();
  };

  const resetAll = () => {
    cloud = undefined;
    clients = new Clients(access);
    tree.clients = clients;
    preselectRead = false;
    model.refresh();
  };

  ctx.extension.subscriptions.push(
    view,
    provider,
    model,
    registerTreeCommands(() => [model]),
    vscode.authentication.onDidChangeSessions((e) => {
      // A bad cloud setting shows as the view's error row (the roots load reads it again), not here.
      let providerId: string | undefined;
      try {
        providerId = cloudNow().providerId;
      } catch {
        providerId = undefined;
      }
      if (!providerId || e.provider.id === providerId) resetAll();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('microsoft-sovereign-cloud')) resetAll();
    }),
    vscode.commands.registerCommand(AZURE_COMMAND.signIn, async (tenantId?: string) => {
      try {
        if (await signIn(cloudNow(), typeof tenantId === 'string' ? tenantId : undefined)) resetAll();
      } catch (err) {
        ctx.log.error(`Sign-in failed: ${(err as Error)?.message}`);
        void vscode.window.showErrorMessage(`Parallel Run: sign-in failed: ${(err as Error)?.message}`);
      }
    }),
    vscode.commands.registerCommand(AZURE_COMMAND.refresh, () => resetAll()),
    vscode.commands.registerCommand(AZURE_COMMAND.selectWorkspace, async () => {
      const picked = await pickWorkspace(model);
      if (!picked) return;
      await ctx.extension.workspaceState.update(SELECTED_KEY, picked);
      tree.preselect = picked;
      showWorkspace(picked);
      model.refresh();
    }),
  );
  return model;
}

/** "Select Workspace…": every workspace of every subscription the tree shows, loaded with progress. */
async function pickWorkspace(model: TreeModel): Promise<WorkspaceRef | undefined> {
  type Item = vscode.QuickPickItem & { ref?: WorkspaceRef };
  const items = vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Listing Azure ML workspaces…', cancellable: false }, async () => {
    const roots = await model.children();
    const subs = roots.filter((r): r is SubscriptionNode => r instanceof SubscriptionNode);
    if (subs.length === 0) throw new Error('No subscriptions to choose from: sign in to Azure first (the Azure ML view shows why).');
    const out: Item[] = [];
    for (const sub of subs) {
      out.push({ label: sub.sub.displayName, kind: vscode.QuickPickItemKind.Separator });
      for (const w of await model.children(sub)) {
        const ws = (w as { ws?: { workspace: string; resourceGroup: string; subscriptionId: string; location?: string } }).ws;
        if (ws) out.push({ label: ws.workspace, description: ws.resourceGroup, detail: ws.location, ref: { subscriptionId: ws.subscriptionId, resourceGroup: ws.resourceGroup, workspace: ws.workspace } });
        else out.push({ label: `$(warning) ${w.view().label}`, description: w.view().description });
      }
    }
    return out;
  });
  const chosen = await vscode.window.showQuickPick(items, { placeHolder: 'Azure ML workspace for this folder', matchOnDescription: true });
  return chosen?.ref;
}
