// Azure ML studio pages of workspace resources, in the URL forms studio itself links to (`wsid` names the workspace).
import type { WorkspaceRef } from './types';

export type StudioResource =
  | { kind: 'compute'; name: string }
  | { kind: 'datastore'; name: string; path?: string }
  | { kind: 'data'; name: string; version?: string }
  | { kind: 'model'; name: string; version?: string }
  | { kind: 'environment'; name: string; version?: string }
  | { kind: 'job'; name: string };

const wsid = (ws: WorkspaceRef) => `/subscriptions/${ws.subscriptionId}/resourcegroups/${ws.resourceGroup}/workspaces/${ws.workspace}`;

/** The studio page of a resource (a version's page when a version is given, else the asset's list of versions). */
export function studioResourceUrl(r: StudioResource, ws: WorkspaceRef, tenantId?: string): string {
  const e = encodeURIComponent;
  const query = `?wsid=${wsid(ws)}${tenantId ? `&tid=${e(tenantId)}` : ''}`;
  switch (r.kind) {
    case 'compute':
      return `https://ml.azure.com/compute/${e(r.name)}/details${query}`;
    case 'datastore':
      return `https://ml.azure.com/data/datastore/${e(r.name)}/edit${query}${r.path ? `&activeFilePath=${e(r.path)}#browseTab` : ''}`;
    case 'data':
      return r.version
        ? `https://ml.azure.com/data/${e(r.name)}/${e(r.version)}/details${query}`
        : `https://ml.azure.com/data/${e(r.name)}/versions${query}`;
    case 'model':
      return r.version
        ? `https://ml.azure.com/model/${e(r.name)}:${e(r.version)}/details${query}`
        : `https://ml.azure.com/model/list${query}`;
    case 'environment':
      return r.version
        ? `https://ml.azure.com/environments/${e(r.name)}/version/${e(r.version)}${query}`
        : `https://ml.azure.com/environments${query}`;
    case 'job':
      return `https://ml.azure.com/runs/${e(r.name)}${query}`;
  }
}
