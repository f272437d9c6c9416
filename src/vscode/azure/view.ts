/**
 * The "Azure ML" view, its commands and the workspace status-bar item. Registered at activation as a thin
 * shell: the tree's logic (dist/azure-tree.js) loads when the view first asks for rows or an Azure command
 * runs, and the Azure layer (dist/azure.js) when the first row needs ARM.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import type { WorkspaceRef } from '../../core/azure/resources/types';
import { registerCommandTable, type CommandHandler } from '../commands/register';
import type { TreeNode } from '../tree/framework/node';
import { registerTreeCommands } from '../tree/framework/provider';
import type { TreeModel } from '../tree/framework/tree-model';
import type { AzureAccess } from './access';
import type { Cloud } from './cloud';
import { MODEL_COMMAND } from '../model/ids';
import { AZURE_ACTIONS, type AzureActionId } from './actions/action-ids';
import { AZURE_COMMAND, AZURE_COMMANDS } from './ids';
import { followResubmitted, isFollowedHere, registerSubmit } from './submit/register';
import type { TreeContext } from './nodes';

export const AZURE_VIEW_ID = 'parallelRun.azure';
const SELECTED_KEY = 'parallelRun.azure.workspace';

type TreeHalf = typeof import('./tree-half');
let half: TreeHalf | undefined;
/** esbuild.mjs leaves this require as `require('./azure-tree.js')` in dist/extension.js. */
function treeHalf(): TreeHalf {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- esbuild.mjs makes this a require of dist/azure-tree.js, loaded on first use
  return (half ??= require('./tree-half') as TreeHalf);
}

/** Returns the view's model, made on first use: the extension exports it for the integration tests. */
export function registerAzureView(ctx: Ctx): () => TreeModel {
  const changed = new vscode.EventEmitter<TreeNode | undefined>();
  let made:
    | {
        model: TreeModel;
        tree: TreeContext;
        access: AzureAccess;
        preselection(): Promise<WorkspaceRef | undefined>;
        resetAll(): void;
        showWorkspace(ws: WorkspaceRef | undefined): void;
        poller: InstanceType<TreeHalf['JobStatusPoller']>;
      }
    | undefined;

  const make = () => {
    if (made) return made;
    const h = treeHalf();
    let cloud: Cloud | undefined;
    const cloudNow = () => (cloud ??= h.cloudFromSettings((section, key) => vscode.workspace.getConfiguration(section).get(key)));
    const access: AzureAccess = {
      api: h.azureApi,
      get endpoint() {
        return cloudNow().endpoint;
      },
      signedIn: () => h.isSignedIn(cloudNow()),
      credential: (tenantId) => h.credentialFor(cloudNow(), tenantId),
    };
    const tree: TreeContext = { clients: new h.Clients(access) };
    let preselectRead = false;

    /** The selected workspace, else the one config.json (or .azureml/config.json) in the open folder names. */
    const preselection = async (): Promise<WorkspaceRef | undefined> => {
      const chosen = ctx.extension.workspaceState.get<WorkspaceRef>(SELECTED_KEY);
      if (chosen) return chosen;
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
      if (!folder) return undefined;
      try {
        return (await h.azureApi()).discoverWorkspaceConfig(folder);
      } catch (err) {
        ctx.log.warn(`Workspace config ignored: ${(err as Error).message}`);
        return undefined;
      }
    };

    const model = new h.TreeModel({
      roots: async (signal) => {
        if (!preselectRead) {
          tree.preselect = await preselection();
          preselectRead = true;
          showWorkspace(tree.preselect);
        }
        tree.subscriptionFilter = subscriptionFilterSetting(h);
        return h.azureRoots(tree, signal);
      },
      signIn: { command: AZURE_COMMAND.signIn },
      log: (m) => ctx.log.warn(m),
    });
    model.onDidChange((n) => changed.fire(n));

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
      status.tooltip = ws
        ? `Azure ML workspace ${ws.workspace}\nResource group ${ws.resourceGroup}\nSubscription ${ws.subscriptionId}\nClick to select another`
        : 'Select an Azure ML workspace';
      status.show();
    };

    // Live status of the jobs in progress this window does not follow (./job-status-poller.ts).
    const poller = new h.JobStatusPoller({
      model,
      clients: () => tree.clients,
      fastestSeconds: () => vscode.workspace.getConfiguration('parallelRun').get<number>(JOB_STATUS_POLL, 10),
      isFollowed: isFollowedHere,
      visible: () => treeView.visible,
      log: (m) => ctx.log.warn(m),
    });
    poller.start();

    const resetAll = () => {
      cloud = undefined;
      tree.clients = new h.Clients(access);
      preselectRead = false;
      poller.reset();
      model.refresh();
    };
    ctx.extension.subscriptions.push(model, poller);
    return (made = { model, tree, access, preselection, resetAll, showWorkspace, poller });
  };

  /** "Select Workspace…": the pick becomes this folder's workspace (the tree, the status bar, Submit). */
  async function selectWorkspace(): Promise<WorkspaceRef | undefined> {
    const m = make();
    const picked = await pickWorkspace(m.model, treeHalf());
    if (!picked) return undefined;
    await ctx.extension.workspaceState.update(SELECTED_KEY, picked);
    m.tree.preselect = picked;
    m.showWorkspace(picked);
    m.model.refresh();
    return picked;
  }

  const provider: vscode.TreeDataProvider<TreeNode> = {
    onDidChangeTreeData: changed.event,
    getTreeItem: (node) => treeHalf().toTreeItem(node),
    getChildren: (node) => make().model.children(node),
  };
  const treeView = vscode.window.createTreeView(AZURE_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  // A tree row, or a job's run panel passing `{ ws, name, tenantId }`.
  const jobResults = async (fn: 'downloadResultsCommand' | 'compareWithLocalCommand' | 'resubmitCommand', node?: TreeNode) => {
    const m = make();
    const h = treeHalf();
    // A row the view shows (a job row is rarely expanded, so `knows`, which means "expanded", would drop it), or a
    // job's run panel passing `{ ws, name, tenantId }`.
    if (!node || (!shows(m.model, node) && !h.jobTargetOf(node))) return;
    await h[fn]({ tree: m.tree, log: ctx.log, followResubmitted: (source, job) => followResubmitted(ctx, source, job) }, node);
  };
  /** "Show Job Logs…": on a job or step row, on the job an argument object names, or (palette) a job name asked for. */
  const showJobLogs = async (arg: unknown) => {
    const m = make();
    const h = treeHalf();
    const host = { tree: m.tree, log: ctx.log, storage: ctx.extension.globalStorageUri.fsPath };
    if (arg !== undefined && arg !== null) {
      // A row of this view (any row it shows, expanded or not); a row of another model is ignored.
      const isRow = typeof (arg as { view?: unknown }).view === 'function';
      if (isRow && !shows(m.model, arg as TreeNode)) return;
      const target = h.jobLogsTargetOf(arg);
      // A step's row knows its workspace by id only: the tenant is its workspace row's.
      if (isRow && target && !target.tenantId)
        return h.showJobLogsCommand(host, { ...target, tenantId: h.tenantOfWorkspace(m.model, target.ws) });
      return h.showJobLogsCommand(host, arg);
    }
    const ws = (await m.preselection()) ?? (await selectWorkspace());
    if (!ws) return;
    const name = (
      await vscode.window.showInputBox({
        title: 'Show Job Logs',
        prompt: `The name of a job of workspace ${ws.workspace} (its run id, as the Jobs folder and studio show it)`,
        validateInput: (v) => (/^[A-Za-z0-9_-]+$/.test(v.trim()) ? undefined : 'A job name: letters, digits, - and _'),
      })
    )?.trim();
    if (!name) return;
    await h.showJobLogsCommand(host, { ws, name, tenantId: h.tenantOfWorkspace(m.model, ws) });
  };
  ctx.extension.subscriptions.push(
    changed,
    treeView,
    // The live status polls only what is on screen.
    treeView.onDidChangeVisibility(() => made?.poller.wake()),
    treeView.onDidCollapseElement((e) => made?.poller.collapsed(e.element.id)),
    treeView.onDidExpandElement((e) => made?.poller.expanded(e.element.id)),
    vscode.authentication.onDidChangeSessions((e) => {
      if (!made) return;
      if (e.provider.id === 'microsoft' || e.provider.id === 'microsoft-sovereign-cloud') made.resetAll();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (made && e.affectsConfiguration('microsoft-sovereign-cloud')) made.resetAll();
      else if (made && e.affectsConfiguration(`parallelRun.${SUBSCRIPTION_FILTER}`)) made.model.refresh();
      else if (made && e.affectsConfiguration(`parallelRun.${JOB_STATUS_POLL}`)) made.poller.wake();
    }),
    // The framework's rows pass the node they belong to; a node this model never loaded is ignored.
    registerTreeCommands(ctx.log, () => [make().model]),
    registerCommandTable(ctx.log, AZURE_COMMANDS, {
      // A tree row or a failure's "Sign in to this tenant" passes the tenant; the palette passes nothing.
      signIn: async (tenantId?: unknown) => {
        const m = make();
        const h = treeHalf();
        const cloud = h.cloudFromSettings((section, key) => vscode.workspace.getConfiguration(section).get(key));
        if (await h.signIn(cloud, typeof tenantId === 'string' ? tenantId : undefined)) m.resetAll();
      },
      refresh: () => make().resetAll(),
      selectWorkspace: () => selectWorkspace(),
      selectSubscriptions: () => selectSubscriptions(make(), treeHalf()),
      // A job row's results: download, compare with the local run, resubmit with other data and parameters.
      downloadResults: (node?: TreeNode) => jobResults('downloadResultsCommand', node),
      compareWithLocal: (node?: TreeNode) => jobResults('compareWithLocalCommand', node),
      resubmitWith: (node?: TreeNode) => jobResults('resubmitCommand', node),
      // A job or step row, the run panel's `{ ws, name, tenantId }` (src/vscode/azure/logs/show-job-logs.ts), or the palette.
      showJobLogs: (arg?: unknown) => showJobLogs(arg),
      // Actions on the tree's rows (create, resize, delete, register, download, copy, open in studio): each asks
      // its prompt steps, executes, and refreshes the folder it changed (src/vscode/azure/actions/).
      ...(Object.fromEntries(
        AZURE_ACTIONS.map((id) => [
          id,
          (node?: TreeNode) => {
            const m = make();
            const h = treeHalf();
            return h.runTreeAction(id, node, {
              clients: m.tree.clients,
              ui: h.vscodeActionUi(),
              blob: blobEndpointSetting(),
              // A folder never expanded has nothing loaded: it reads fresh when opened.
              refresh: (n) => (n ? m.model.knows(n) && m.model.refresh(n) : m.model.refresh()),
              inspectModel: (file) => vscode.commands.executeCommand(MODEL_COMMAND.inspectModel, vscode.Uri.file(file)),
              showError: (message) => void vscode.window.showErrorMessage(`Parallel Run: ${message}`),
              log: (message) => ctx.log.error(message),
            });
          },
        ]),
      ) as Record<AzureActionId, CommandHandler>),
    }),
  );
  registerSubmit(ctx, {
    host: () => {
      const m = make();
      const h = treeHalf();
      return {
        ctx,
        access: m.access,
        // The selected workspace (or config.json's), else the user picks one and it becomes the selected one.
        workspace: async () => (await m.preselection()) ?? (await selectWorkspace()),
        jobChanged: (ws, job) => h.updateJobRows(m.model, ws, job),
        jobSubmitted: (ws) => {
          const folder = h.jobsFolderOf(m.model, ws);
          if (folder) m.model.refresh(folder);
        },
      };
    },
    computeOfRow: (row) => {
      const at = treeHalf().computeOfRow(row);
      return at && { ...at, tenantId: made ? treeHalf().tenantOfWorkspace(made.model, at.ws) : undefined };
    },
    jobOfRow: (row) => treeHalf().jobOfRow(row),
  });
  return () => make().model;
}

/** True when `node` is a row `model` loaded (shown or showable), expanded or not. */
function shows(model: TreeModel, node: TreeNode): boolean {
  return model.loadedNodes().some((n) => n.id === node.id);
}

/** "Select Workspace…": every workspace of every subscription the tree shows, loaded with progress. */
async function pickWorkspace(model: TreeModel, h: TreeHalf): Promise<WorkspaceRef | undefined> {
  type Item = vscode.QuickPickItem & { ref?: WorkspaceRef };
  const items = vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Listing Azure ML workspaces…', cancellable: false },
    async () => {
      const roots = await model.children();
      const subs = roots.filter((r): r is InstanceType<TreeHalf['SubscriptionNode']> => r instanceof h.SubscriptionNode);
      if (subs.length === 0) throw new Error('No subscriptions to choose from: sign in to Azure first (the Azure ML view shows why).');
      const out: Item[] = [];
      for (const sub of subs) {
        out.push({ label: sub.sub.displayName, kind: vscode.QuickPickItemKind.Separator });
        for (const w of await model.children(sub)) {
          const ws = (w as { ws?: { workspace: string; resourceGroup: string; subscriptionId: string; location?: string } }).ws;
          if (ws)
            out.push({
              label: ws.workspace,
              description: ws.resourceGroup,
              detail: ws.location,
              ref: { subscriptionId: ws.subscriptionId, resourceGroup: ws.resourceGroup, workspace: ws.workspace },
            });
          else out.push({ label: `$(warning) ${w.view().label}`, description: w.view().description });
        }
      }
      return out;
    },
  );
  const chosen = await vscode.window.showQuickPick(items, { placeHolder: 'Azure ML workspace for this folder', matchOnDescription: true });
  return chosen?.ref;
}

/** `parallelRun.azure.jobStatusPollSeconds`: fastest wait between reads of a job in progress in the tree; 0: off. */
const JOB_STATUS_POLL = 'azure.jobStatusPollSeconds';

/** `parallelRun.azure.subscriptions`: ids of the subscriptions the view shows (empty: all). */
const SUBSCRIPTION_FILTER = 'azure.subscriptions';
const subscriptionFilterSetting = (h: TreeHalf) =>
  h.readSubscriptionFilter(vscode.workspace.getConfiguration('parallelRun').get(SUBSCRIPTION_FILTER));

/**
 * "Select Subscriptions…": every subscription of every signed-in tenant, those the filter shows checked; the
 * choice is written where the setting is set (the workspace's settings when it is set there, else the user's).
 */
async function selectSubscriptions(m: { tree: TreeContext; access: AzureAccess }, h: TreeHalf): Promise<void> {
  if (!(await m.access.signedIn())) {
    const signIn = await vscode.window.showInformationMessage(
      'Sign in to Azure to choose the subscriptions the Azure ML view shows.',
      'Sign in',
    );
    if (signIn) await vscode.commands.executeCommand(AZURE_COMMAND.signIn);
    return;
  }
  const filter = subscriptionFilterSetting(h);
  const cancel = new AbortController();
  const listings = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Listing Azure subscriptions…', cancellable: true },
    (_progress, token) => {
      token.onCancellationRequested(() => cancel.abort());
      return h.listSubscriptions(m.tree, cancel.signal);
    },
  );
  if (cancel.signal.aborted) return;
  type Item = vscode.QuickPickItem & { subscriptionId?: string };
  const items: Item[] = h
    .subscriptionPickItems(listings, filter)
    .map((i) =>
      i.kind === 'tenant'
        ? { label: i.label, kind: vscode.QuickPickItemKind.Separator }
        : { label: i.label, description: i.description, detail: i.detail, picked: i.picked, subscriptionId: i.subscriptionId },
    );
  if (!items.some((i) => i.subscriptionId)) {
    void vscode.window.showInformationMessage(
      'No subscriptions to choose from: this account has none, or its tenants need another sign-in (the Azure ML view says which).',
    );
    return;
  }
  const chosen = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    matchOnDescription: true,
    placeHolder: 'Subscriptions the Azure ML view shows (all checked: every subscription)',
  });
  if (!chosen) return;
  const next = h.filterFromPick(
    listings,
    chosen.flatMap((i) => (i.subscriptionId ? [i.subscriptionId] : [])),
    filter,
  );
  if (!next) {
    void vscode.window.showWarningMessage(
      'No subscription checked, so the filter is unchanged: check at least one (all of them to show every subscription).',
    );
    return;
  }
  const config = vscode.workspace.getConfiguration('parallelRun');
  const inspected = config.inspect(SUBSCRIPTION_FILTER);
  const target =
    inspected?.workspaceFolderValue !== undefined
      ? vscode.ConfigurationTarget.WorkspaceFolder
      : inspected?.workspaceValue !== undefined
        ? vscode.ConfigurationTarget.Workspace
        : vscode.ConfigurationTarget.Global;
  // The configuration change refreshes the tree.
  await config.update(SUBSCRIPTION_FILTER, next.length ? next : undefined, target);
}

/** `parallelRun.azure.blobEndpoint`: a path-style blob service (an emulator such as Azurite) in place of Azure's. */
function blobEndpointSetting(): { blobEndpoint?: string } {
  const blobEndpoint = (vscode.workspace.getConfiguration('parallelRun').get<string>('azure.blobEndpoint') ?? '').trim();
  return blobEndpoint ? { blobEndpoint } : {};
}
