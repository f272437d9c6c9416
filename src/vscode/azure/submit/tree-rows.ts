/**
 * The Jobs tree as followed jobs change it: a job's row takes its new status alone (no reload of the tree or
 * its folder), and a new job makes its workspace's Jobs folder list again. Plain logic over the tree model.
 */
import type { Job, WorkspaceRef } from '../../../core/azure/resources/types';
import type { TreeNode } from '../../tree/framework/node';
import type { TreeModel } from '../../tree/framework/tree-model';
import { FolderNode, JobNode, WorkspaceNode } from '../nodes';

const sameWorkspace = (a: WorkspaceRef, b: WorkspaceRef) =>
  a.subscriptionId === b.subscriptionId && a.resourceGroup.toLowerCase() === b.resourceGroup.toLowerCase() && a.workspace === b.workspace;

/** Updates the rows of `job` (every loaded one: a job shows once per Jobs folder); returns how many changed. */
export function updateJobRows(model: TreeModel, ws: WorkspaceRef, job: Pick<Job, 'name' | 'status'> & Partial<Job>): number {
  let n = 0;
  for (const node of model.loadedNodes()) {
    if (!(node instanceof JobNode) || node.job.name !== job.name || !sameWorkspace(node.folder.workspace.ref, ws)) continue;
    if (node.job.status === job.status) continue;
    node.job = { ...node.job, status: job.status, ...(job.studioUrl ? { studioUrl: job.studioUrl } : {}) };
    model.rowChanged(node);
    n++;
  }
  return n;
}

/** The workspace's Jobs folder, if the tree has loaded it. */
export function jobsFolderOf(model: TreeModel, ws: WorkspaceRef): TreeNode | undefined {
  return model.loadedNodes().find((n) => n instanceof FolderNode && n.kind === 'jobs' && sameWorkspace(n.workspace.ref, ws));
}

/** The tenant of the workspace's subscription, as the tree listed it (its credential reads the workspace). */
export function tenantOfWorkspace(model: TreeModel, ws: WorkspaceRef): string | undefined {
  const node = model.loadedNodes().find((n): n is WorkspaceNode => n instanceof WorkspaceNode && sameWorkspace(n.ref, ws));
  return node?.sub.tenantId;
}

/** The compute row a tree command was run on: `azure/<sub>/<rg>/<ws>/computes/<name>` (compute rows are leaves). */
export function computeOfRow(node: unknown): { ws: WorkspaceRef; compute: string } | undefined {
  const id = (node as { id?: unknown })?.id;
  if (typeof id !== 'string') return undefined;
  const m = /^azure\/([^/]+)\/([^/]+)\/([^/]+)\/computes\/([^/#]+)$/.exec(id);
  return m ? { ws: { subscriptionId: m[1], resourceGroup: m[2], workspace: m[3] }, compute: m[4] } : undefined;
}

/** The job row a tree command was run on. */
export function jobOfRow(node: unknown): { ws: WorkspaceRef; job: Job; tenantId?: string } | undefined {
  return node instanceof JobNode
    ? { ws: node.folder.workspace.ref, job: node.job, tenantId: node.folder.workspace.sub.tenantId }
    : undefined;
}
