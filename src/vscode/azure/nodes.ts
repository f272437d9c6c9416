/**
 * The Azure ML tree: subscriptions → workspaces → Compute, Datastores, Data, Models, Environments, Jobs.
 * Every level loads lazily through the Azure layer, a page per call; the tree framework turns empty lists,
 * failures and sign-in challenges into rows. No `vscode` here: the view (./view.ts) adapts it.
 */
import type { AssetContainer, AssetKind, Job, Subscription, Tenant, Workspace, WorkspaceRef } from '../../core/azure/resources/types';
import { needsSignIn } from '../tree/framework/failure';
import { MessageNode, type EmptyText, type ItemView, type NodePage, type TreeNode } from '../tree/framework/node';
import type { Clients } from './access';
import type { ResourceRef } from './actions/references';
import { filterShows, type TenantListing } from './subscription-filter';
import { assetVersionRow, computeRow, datastoreRow, jobRow, stepRow } from './rows';

export { AZURE_COMMAND } from './ids';
import { AZURE_COMMAND } from './ids';

export interface TreeContext {
  clients: Clients;
  /** The workspace config.json names: its subscription and workspace start expanded. */
  preselect?: WorkspaceRef;
  /** `parallelRun.azure.subscriptions` as read when the roots load (empty or unset: every subscription). */
  subscriptionFilter?: readonly string[];
}

const leaf = (id: string, row: Omit<ItemView, 'collapsible'>): TreeNode => ({ id, view: () => ({ ...row, collapsible: 'none' }) });

/** A row of one workspace resource (compute, datastore, asset version): what the actions on it act on. */
export class ResourceNode implements TreeNode {
  constructor(
    readonly id: string,
    private readonly row: Omit<ItemView, 'collapsible'>,
    readonly folder: FolderNode,
    readonly resource: ResourceRef,
    /** The domain object the row shows (Compute, Datastore, AssetVersion). */
    readonly item: unknown,
  ) {}
  view(): ItemView {
    return { ...this.row, collapsible: 'none' };
  }
}

/** Maps a page of domain objects to nodes. */
async function mapPage<T>(page: Promise<{ items: T[]; continuation?: string }>, node: (item: T) => TreeNode): Promise<NodePage> {
  const p = await page;
  return { items: p.items.map(node), continuation: p.continuation };
}

export function signInRow(tenant?: Tenant, reason?: string): MessageNode {
  const title = tenant ? 'Sign in to this tenant' : 'Sign in to Azure';
  return new MessageNode(tenant ? `azure/tenant/${tenant.tenantId}/#signin` : 'azure/#signin', {
    label: tenant ? `${tenant.displayName ?? tenant.tenantId}: ${title}…` : `${title}…`,
    description: tenant ? reason : 'to browse your Azure ML workspaces',
    tooltip: tenant
      ? `${reason ?? 'This tenant needs another sign-in (multi-factor authentication or a Conditional Access policy).'}\nIts subscriptions show once you sign in to it.`
      : 'Sign in with your Microsoft account (VS Code’s built-in sign-in; no Azure CLI needed).',
    icon: 'sign-in',
    iconColor: tenant ? 'list.warningForeground' : undefined,
    contextValue: 'azureSignIn',
    command: { command: AZURE_COMMAND.signIn, title, arguments: tenant ? [tenant.tenantId] : [] },
  });
}

/** Every signed-in tenant's subscriptions (each tenant asked with its own token, as ARM lists only the token's tenant's). */
export async function listSubscriptions(ctx: TreeContext, signal: AbortSignal): Promise<(TenantListing & { row?: TreeNode })[]> {
  const access = ctx.clients.access;
  const api = await access.api();
  const tenants = await api.allItems((c) => api.tenantPages(access.credential(), access.endpoint)(c, signal));
  return Promise.all(
    tenants.map(async (tenant): Promise<TenantListing & { row?: TreeNode }> => {
      try {
        const subscriptions = await api.allItems((c) =>
          api.subscriptionPages(access.credential(tenant.tenantId), access.endpoint)(c, signal),
        );
        return { tenant, subscriptions };
      } catch (err) {
        const message = (err as Error)?.message ?? String(err);
        if (signal.aborted) return { tenant, subscriptions: [], problem: message };
        if (needsSignIn(err))
          return { tenant, subscriptions: [], problem: 'sign in to this tenant to see its subscriptions', row: signInRow(tenant, message) };
        return { tenant, subscriptions: [], problem: message, row: tenantErrorRow(tenant, err) };
      }
    }),
  );
}

/**
 * The top rows: a sign-in row when signed out; otherwise the subscriptions of every tenant that the
 * subscription filter shows (`parallelRun.azure.subscriptions`; the preselected workspace's subscription shows
 * even when filtered out). A tenant that needs another sign-in (MFA, Conditional Access) says so with "Sign in
 * to this tenant" instead of hiding; a filter that hides every subscription says so with "Select Subscriptions…".
 */
export async function azureRoots(ctx: TreeContext, signal: AbortSignal): Promise<TreeNode[]> {
  if (!(await ctx.clients.access.signedIn())) return [signInRow()];
  const listings = await listSubscriptions(ctx, signal);
  const filter = ctx.subscriptionFilter ?? [];
  const pre = ctx.preselect?.subscriptionId;
  let hidden = 0;
  const rows = listings.flatMap((l): TreeNode[] => {
    if (l.row) return [l.row];
    return l.subscriptions.flatMap((s) => {
      if (filterShows(filter, s.subscriptionId)) return [new SubscriptionNode(ctx, s)];
      if (pre && s.subscriptionId.toLowerCase() === pre.toLowerCase()) return [new SubscriptionNode(ctx, s, true)];
      hidden++;
      return [];
    });
  });
  // The subscription config.json names comes first.
  rows.sort(
    (a, b) =>
      Number(b instanceof SubscriptionNode && b.sub.subscriptionId === pre) -
      Number(a instanceof SubscriptionNode && a.sub.subscriptionId === pre),
  );
  if (hidden > 0 && !rows.some((r) => r instanceof SubscriptionNode)) return [filteredOutRow(hidden), ...rows];
  if (rows.length === 0)
    return [
      new MessageNode('azure/#nosubs', {
        label: 'No subscriptions in this account',
        description: 'Sign in with another account, or ask for access to a subscription',
        icon: 'info',
        contextValue: 'treeEmpty',
        command: { command: AZURE_COMMAND.signIn, title: 'Sign in' },
      }),
    ];
  return rows;
}

function filteredOutRow(hidden: number): MessageNode {
  const which = hidden === 1 ? 'The only subscription is' : `All ${hidden} subscriptions are`;
  return new MessageNode('azure/#filtered', {
    label: 'No subscriptions selected',
    description: `${which} hidden by the filter: Select Subscriptions…`,
    tooltip: `${which} hidden by the setting "parallelRun.azure.subscriptions".\nClick to choose the subscriptions to show.`,
    icon: 'filter',
    contextValue: 'treeEmpty',
    command: { command: AZURE_COMMAND.selectSubscriptions, title: 'Select Subscriptions…' },
  });
}

function tenantErrorRow(t: Tenant, err: unknown): MessageNode {
  const e = err as { message?: string; code?: string; requestId?: string };
  return new MessageNode(`azure/tenant/${t.tenantId}/#error`, {
    label: `${t.displayName ?? t.tenantId}: ${e.message ?? String(err)}`,
    description: 'Retry',
    tooltip: [e.message, e.code && `Code: ${e.code}`, e.requestId && `Request id: ${e.requestId}`, 'Click to retry.']
      .filter(Boolean)
      .join('\n'),
    icon: 'error',
    iconColor: 'list.errorForeground',
    contextValue: 'treeError',
    command: { command: AZURE_COMMAND.refresh, title: 'Retry' },
  });
}

export class SubscriptionNode implements TreeNode {
  readonly id: string;
  readonly empty: EmptyText = {
    message: 'No Azure ML workspaces in this subscription',
    hint: 'Create one in the Azure portal or with `az ml workspace create`',
  };
  constructor(
    private readonly ctx: TreeContext,
    readonly sub: Subscription,
    /** Shown only because the selected (or config.json's) workspace is in it. */
    readonly outsideFilter = false,
  ) {
    this.id = `azure/${sub.subscriptionId}`;
  }
  view(): ItemView {
    const pre = this.ctx.preselect?.subscriptionId === this.sub.subscriptionId;
    const outside = 'not in the subscription filter';
    return {
      label: this.sub.displayName,
      description: [this.sub.state !== 'Enabled' && this.sub.state, this.outsideFilter && outside].filter(Boolean).join(' · ') || undefined,
      tooltip:
        `Subscription ${this.sub.displayName}\nId: ${this.sub.subscriptionId}\nTenant: ${this.sub.tenantId}\nState: ${this.sub.state}` +
        (this.outsideFilter ? `\nShown because the selected workspace is in it, though ${outside}.` : ''),
      icon: 'key',
      contextValue: 'azureSubscription',
      collapsible: pre ? 'expanded' : 'collapsed',
    };
  }
  async page(continuation: string | undefined, signal: AbortSignal): Promise<NodePage> {
    const ml = await this.ctx.clients.mlFor(this.sub.subscriptionId, this.sub.tenantId);
    const api = await this.ctx.clients.access.api();
    return mapPage(api.workspacePages(ml)(continuation, signal), (w) => new WorkspaceNode(this.ctx, this.sub, w));
  }
}

export type FolderKind = 'computes' | 'datastores' | AssetKind | 'jobs';

const folders: { kind: FolderKind; label: string; icon: string; empty: EmptyText }[] = [
  {
    kind: 'computes',
    label: 'Compute',
    icon: 'server-environment',
    empty: {
      message: 'No compute in this workspace',
      hint: 'Create an AmlCompute cluster to run parallel jobs',
      action: { command: AZURE_COMMAND.createCluster, title: 'Create compute cluster…' },
    },
  },
  {
    kind: 'datastores',
    label: 'Datastores',
    icon: 'database',
    empty: {
      message: 'No datastores in this workspace',
      hint: 'Register an Azure Blob datastore',
      action: { command: AZURE_COMMAND.registerDatastore, title: 'Register blob datastore…' },
    },
  },
  {
    kind: 'data',
    label: 'Data',
    icon: 'file-binary',
    empty: {
      message: 'No data assets',
      hint: 'Create one from a datastore path or a local folder',
      action: { command: AZURE_COMMAND.createDataAsset, title: 'Create data asset…' },
    },
  },
  {
    kind: 'models',
    label: 'Models',
    icon: 'symbol-misc',
    empty: {
      message: 'No models',
      hint: 'Register a model from a local file or folder',
      action: { command: AZURE_COMMAND.registerModel, title: 'Register model…' },
    },
  },
  {
    kind: 'environments',
    label: 'Environments',
    icon: 'package',
    empty: { message: 'No environments', hint: 'Environments come from jobs and `az ml environment create`' },
  },
  {
    kind: 'jobs',
    label: 'Jobs',
    icon: 'beaker',
    empty: { message: 'No jobs in this workspace', hint: 'Submit a parallel job to see it here' },
  },
];

export class WorkspaceNode implements TreeNode {
  readonly id: string;
  readonly ref: WorkspaceRef;
  constructor(
    private readonly ctx: TreeContext,
    readonly sub: Subscription,
    readonly ws: Workspace,
  ) {
    this.id = `azure/${ws.subscriptionId}/${ws.resourceGroup}/${ws.workspace}`;
    this.ref = { subscriptionId: ws.subscriptionId, resourceGroup: ws.resourceGroup, workspace: ws.workspace };
  }
  get preselected(): boolean {
    const p = this.ctx.preselect;
    return (
      !!p &&
      p.subscriptionId === this.ws.subscriptionId &&
      p.resourceGroup.toLowerCase() === this.ws.resourceGroup.toLowerCase() &&
      p.workspace === this.ws.workspace
    );
  }
  view(): ItemView {
    return {
      label:
        this.ws.friendlyName && this.ws.friendlyName !== this.ws.workspace
          ? `${this.ws.workspace} (${this.ws.friendlyName})`
          : this.ws.workspace,
      description: [this.preselected && 'config.json', this.ws.resourceGroup, this.ws.location].filter(Boolean).join(' · '),
      tooltip: `Workspace ${this.ws.workspace}\nResource group: ${this.ws.resourceGroup}\nLocation: ${this.ws.location ?? 'unknown'}\nId: ${this.ws.id}`,
      icon: 'azure',
      contextValue: 'azureWorkspace',
      collapsible: this.preselected ? 'expanded' : 'collapsed',
    };
  }
  /** The six folders: no ARM call until one is expanded (one call each, then). */
  async children(): Promise<TreeNode[]> {
    return folders.map((f) => new FolderNode(this.ctx, this, f));
  }
}

export class FolderNode implements TreeNode {
  readonly id: string;
  readonly empty: EmptyText;
  constructor(
    private readonly ctx: TreeContext,
    readonly workspace: WorkspaceNode,
    private readonly f: (typeof folders)[number],
  ) {
    this.id = `${workspace.id}/${f.kind}`;
    // The empty row's action (Create compute cluster…) acts on this folder.
    this.empty = f.empty.action ? { ...f.empty, action: { ...f.empty.action, arguments: [this] } } : f.empty;
  }
  get kind(): FolderKind {
    return this.f.kind;
  }
  view(): ItemView {
    return {
      label: this.f.label,
      icon: this.f.icon,
      contextValue: `azureFolder.${this.f.kind}`,
      collapsible: 'collapsed',
      tooltip: `${this.f.label} of workspace ${this.workspace.ws.workspace}`,
    };
  }
  async page(continuation: string | undefined, signal: AbortSignal): Promise<NodePage> {
    const { ctx, workspace: w } = this;
    const api = await ctx.clients.access.api();
    const ml = await ctx.clients.mlFor(w.ref.subscriptionId, w.sub.tenantId);
    switch (this.f.kind) {
      case 'computes':
        return mapPage(
          api.computePages(ml, w.ref)(continuation, signal),
          (c) => new ResourceNode(`${this.id}/${c.name}`, computeRow(c), this, { kind: 'compute', ws: w.ref, name: c.name, id: c.id }, c),
        );
      case 'datastores':
        return mapPage(
          api.datastorePages(ml, w.ref)(continuation, signal),
          (d) =>
            new ResourceNode(
              `${this.id}/${d.name}`,
              datastoreRow(d),
              this,
              { kind: 'datastore', ws: w.ref, name: d.name, id: d.id, datastore: d },
              d,
            ),
        );
      case 'jobs':
        return mapPage(api.jobPages(ml, w.ref)(continuation, signal), (j) => new JobNode(ctx, this, j));
      default: {
        const kind = this.f.kind;
        return mapPage(api.assetContainerPages(ml, w.ref, kind)(continuation, signal), (a) => new AssetNode(ctx, this, a));
      }
    }
  }
}

export class AssetNode implements TreeNode {
  readonly id: string;
  readonly empty: EmptyText = { message: 'No versions' };
  constructor(
    private readonly ctx: TreeContext,
    readonly folder: FolderNode,
    readonly asset: AssetContainer,
  ) {
    this.id = `${folder.id}/${asset.name}`;
  }
  view(): ItemView {
    const a = this.asset;
    return {
      label: a.name,
      description: a.latestVersion ? `latest ${a.latestVersion}` : undefined,
      tooltip: [`${a.name}`, a.latestVersion && `Latest version: ${a.latestVersion}`, a.description].filter(Boolean).join('\n'),
      icon: a.kind === 'data' ? 'file-binary' : a.kind === 'models' ? 'symbol-misc' : 'package',
      contextValue: `azureAsset.${a.kind}`,
      collapsible: 'collapsed',
    };
  }
  async page(continuation: string | undefined, signal: AbortSignal): Promise<NodePage> {
    const w = this.folder.workspace;
    const api = await this.ctx.clients.access.api();
    const ml = await this.ctx.clients.mlFor(w.ref.subscriptionId, w.sub.tenantId);
    return mapPage(
      api.assetVersionPages(ml, w.ref, this.asset.kind, this.asset.name)(continuation, signal),
      (v) =>
        new ResourceNode(
          `${this.id}/${v.version}`,
          assetVersionRow(v),
          this.folder,
          { kind: 'version', ws: w.ref, assetKind: v.kind, name: v.name, version: v.version, id: v.id, path: v.path },
          v,
        ),
    );
  }
  get resource(): ResourceRef {
    const a = this.asset;
    return { kind: 'asset', ws: this.folder.workspace.ref, assetKind: a.kind, name: a.name, id: a.id, latestVersion: a.latestVersion };
  }
}

export class JobNode implements TreeNode {
  readonly id: string;
  readonly empty: EmptyText = { message: 'No steps yet', hint: 'Steps appear once the pipeline starts' };
  readonly page?: TreeNode['page'];
  constructor(
    private readonly ctx: TreeContext,
    readonly folder: FolderNode,
    /** Replaced when a followed job's status changes (the row updates alone). */
    public job: Job,
  ) {
    this.id = `${folder.id}/${job.name}`;
    // Pipeline jobs expand to their steps (run history's children); other jobs are leaves.
    if (job.jobType.toLowerCase() === 'pipeline') this.page = (c, s) => this.steps(c, s);
  }
  view(): ItemView {
    return { ...jobRow(this.job), collapsible: this.page ? 'collapsed' : 'none' };
  }
  get resource(): ResourceRef {
    return { kind: 'job', ws: this.folder.workspace.ref, name: this.job.name, id: this.job.id, studioUrl: this.job.studioUrl };
  }
  private async steps(continuation: string | undefined, signal: AbortSignal): Promise<NodePage> {
    const w = this.folder.workspace;
    const history = await this.ctx.clients.runHistory(w.ref, w.sub.tenantId, w.ws.discoveryUrl);
    return mapPage(history.childPages(this.job.name)(continuation, signal), (r) => leaf(`${this.id}/${r.runId}`, stepRow(r)));
  }
}
