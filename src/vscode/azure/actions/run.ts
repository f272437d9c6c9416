/**
 * Runs an action on the tree row it was invoked on: resolves the row's workspace into a WorkspaceTarget, asks
 * the action's steps, executes, refreshes the folder that changed, and turns failures into one message.
 * No `vscode` here: the view passes the ActionUi and what else it needs.
 */
import type { BlobEndpointOptions } from '../../../core/azure/blob/container';
import type { ComputeCluster } from '../../../core/azure/resources/types';
import type { TreeNode } from '../../tree/framework/node';
import type { Clients } from '../access';
import type { AzureActionId } from './action-ids';
import { AssetNode, FolderNode, JobNode, ResourceNode, type FolderKind } from '../nodes';
import { createClusterAction, deleteComputeAction, resizeClusterAction } from './compute';
import { createDataAction } from './data';
import { registerDatastoreAction, setDefaultDatastoreAction } from './datastore';
import { downloadModelAction, registerModelAction } from './model';
import { azuremlReference, resourceStudioUrl, resourceUri, type ResourceRef } from './references';
import { storageSuffixOf, type WorkspaceTarget } from './target';
import { isCancelled, runAction, type ActionUi } from './wizard';

export interface ActionEnv {
  clients: Clients;
  ui: ActionUi;
  /** Blob service override (a local emulator in the test bed); empty for Azure. */
  blob: BlobEndpointOptions;
  /** Reloads a folder's rows (undefined: the whole tree). */
  refresh(node?: TreeNode): void;
  /** "Inspect Model" on a downloaded .onnx file. */
  inspectModel(file: string): unknown;
  showError(message: string): void;
  log(message: string): void;
}

function folderOf(node: unknown): FolderNode | undefined {
  if (node instanceof FolderNode) return node;
  if (node instanceof ResourceNode || node instanceof AssetNode || node instanceof JobNode) return node.folder;
  return undefined;
}

function resourceOf(node: unknown): ResourceRef | undefined {
  if (node instanceof ResourceNode || node instanceof AssetNode || node instanceof JobNode) return node.resource;
  return undefined;
}

async function targetOf(env: ActionEnv, folder: FolderNode): Promise<WorkspaceTarget> {
  const w = folder.workspace;
  const tenantId = w.sub.tenantId;
  return {
    api: await env.clients.access.api(),
    ml: await env.clients.mlFor(w.ref.subscriptionId, tenantId),
    arm: await env.clients.armFor(tenantId),
    ws: w.ref,
    location: w.ws.location,
    discoveryUrl: w.ws.discoveryUrl,
    tenantId,
    identity: env.clients.access.credential(tenantId),
    storageSuffix: storageSuffixOf(env.clients.access.endpoint.resourceManager),
    blob: env.blob,
  };
}

const where: Partial<Record<AzureActionId, string>> = {
  createCluster: "a workspace's Compute folder",
  resizeCluster: 'a compute cluster',
  deleteCompute: 'a compute cluster',
  registerDatastore: "a workspace's Datastores folder",
  setDefaultDatastore: 'a datastore',
  createDataAsset: "a workspace's Data folder",
  registerModel: "a workspace's Models folder",
  downloadModel: 'a model version',
};

/** Runs action `id` on `node`; resolves with what the action made (undefined when cancelled or failed, which it says). */
export async function runTreeAction(id: AzureActionId, node: unknown, env: ActionEnv): Promise<unknown> {
  try {
    return await dispatch(id, node as TreeNode | undefined, env);
  } catch (err) {
    if (isCancelled(err)) return undefined;
    const e = err as { message?: string; code?: string; requestId?: string };
    env.log(`Azure action ${id} failed: ${e.message}${e.code ? ` (${e.code})` : ''}${e.requestId ? ` request id ${e.requestId}` : ''}`);
    env.showError(e.message ?? String(err));
    return undefined;
  }
}

async function dispatch(id: AzureActionId, node: TreeNode | undefined, env: ActionEnv): Promise<unknown> {
  const resource = resourceOf(node);
  switch (id) {
    case 'copyId':
    case 'copyReference':
    case 'copyUri':
    case 'openInStudio': {
      if (!resource) throw new Error('Run this on a row of the Azure ML view (a compute, datastore, data asset, model or job).');
      if (id === 'openInStudio') return env.ui.openExternal(resourceStudioUrl(resource, folderOf(node)?.workspace.sub.tenantId));
      const text = id === 'copyId' ? resource.id : id === 'copyReference' ? azuremlReference(resource) : resourceUri(resource);
      if (!text) throw new Error(`${resource.name} has no ${id === 'copyUri' ? 'URI' : 'reference'} to copy.`);
      return env.ui.copy(text);
    }
  }
  const folder = folderOf(node);
  const needs = (kind: FolderKind) => {
    if (!folder || folder.kind !== kind) throw new Error(`Run this from the Azure ML view: right-click ${where[id]}.`);
    return folder;
  };
  const done = <T>(f: FolderNode, r: T): T => {
    env.refresh(f);
    return r;
  };
  switch (id) {
    case 'createCluster': {
      const f = needs('computes');
      const t = await targetOf(env, f);
      // The tree shows the new cluster as soon as Azure accepted it (Creating), and again when it is done.
      let shown = false;
      const base = env.ui;
      const ui: ActionUi = {
        input: (o) => base.input(o),
        pick: (items, o) => base.pick(items, o),
        confirm: (m, d, a) => base.confirm(m, d, a),
        open: (o) => base.open(o),
        info: (m, ...a) => base.info(m, ...a),
        copy: (text) => base.copy(text),
        openExternal: (url) => base.openExternal(url),
        progress: (title, cancellable, task) =>
          env.ui.progress(title, cancellable, (p, signal) =>
            task(
              {
                report: (m) => {
                  p.report(m);
                  if (!shown) env.refresh(f);
                  shown = true;
                },
              },
              signal,
            ),
          ),
      };
      try {
        return await runAction(createClusterAction(t), {}, ui);
      } finally {
        if (shown) env.refresh(f);
      }
    }
    case 'resizeCluster':
    case 'deleteCompute': {
      const f = needs('computes');
      const compute = (node as ResourceNode).item as ComputeCluster;
      if (!(node instanceof ResourceNode) || compute?.kind === undefined)
        throw new Error(`Run this from the Azure ML view: right-click ${where[id]}.`);
      const t = await targetOf(env, f);
      try {
        return id === 'resizeCluster'
          ? await runAction(resizeClusterAction(t, compute), {}, env.ui)
          : await runAction(deleteComputeAction(t, compute), {}, env.ui);
      } finally {
        env.refresh(f);
      }
    }
    case 'registerDatastore': {
      const f = needs('datastores');
      return done(f, await runAction(registerDatastoreAction(await targetOf(env, f)), {}, env.ui));
    }
    case 'setDefaultDatastore': {
      const f = needs('datastores');
      if (resource?.kind !== 'datastore') throw new Error(`Run this from the Azure ML view: right-click ${where[id]}.`);
      return done(f, await runAction(setDefaultDatastoreAction(await targetOf(env, f), resource.name), {}, env.ui));
    }
    case 'createDataAsset': {
      const f = needs('data');
      return done(f, await runAction(createDataAction(await targetOf(env, f)), {}, env.ui));
    }
    case 'registerModel': {
      const f = needs('models');
      return done(f, await runAction(registerModelAction(await targetOf(env, f)), {}, env.ui));
    }
    case 'downloadModel': {
      const f = needs('models');
      if (resource?.kind !== 'version') throw new Error(`Run this from the Azure ML view: right-click ${where[id]}.`);
      return runAction(
        downloadModelAction(await targetOf(env, f), resource, (file) => env.inspectModel(file)),
        {},
        env.ui,
      );
    }
  }
}
