// Workspaces of a subscription.
import { getContinuationToken, type AzureMachineLearningWorkspaces, type Workspace as SdkWorkspace } from '@azure/arm-machinelearning';
import { azureCall } from '../http/errors';
import { sdkPageLoader, type ListOptions, type PageLoader } from '../http/paging';
import { workspaceOfId } from './ids';
import type { Workspace, WorkspaceRef } from './types';

function toWorkspace(w: SdkWorkspace): Workspace {
  const ref = workspaceOfId(w.id ?? '') ?? { subscriptionId: '', resourceGroup: '', workspace: w.name ?? '' };
  return {
    ...ref,
    id: w.id ?? '',
    location: w.location,
    friendlyName: w.friendlyName,
    discoveryUrl: w.discoveryUrl, // flattened by the SDK (not w.properties.discoveryUrl)
    storageAccount: w.storageAccount,
  };
}

/** Workspaces of the client's subscription, optionally of one resource group, a page per call. */
export function workspacePages(ml: AzureMachineLearningWorkspaces, resourceGroup?: string): PageLoader<Workspace> {
  const list = resourceGroup
    ? (o: ListOptions) => ml.workspaces.listByResourceGroup(resourceGroup, o)
    : (o: ListOptions) => ml.workspaces.listBySubscription(o);
  const load = sdkPageLoader(list, toWorkspace, getContinuationToken);
  const what = `list the workspaces of subscription ${ml.subscriptionId}`;
  return (c, signal) => azureCall(what, () => load(c, signal));
}

export function getWorkspace(ml: AzureMachineLearningWorkspaces, ws: WorkspaceRef): Promise<Workspace> {
  return azureCall(`read workspace ${ws.workspace}`, async () => toWorkspace(await ml.workspaces.get(ws.resourceGroup, ws.workspace)));
}
