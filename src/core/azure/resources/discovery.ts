// The workspace's data-plane base URL (run history, default datastore), from its discovery document.
import type { RequestSender } from '../http/rest';
import { sendJson } from '../http/rest';
import { workspaceId } from './ids';
import type { WorkspaceRef } from './types';

/** `{api}` of the workspace's discovery document (`GET properties.discoveryUrl` → `{"api": "https://<region>.api.azureml.ms", …}`). */
export async function dataPlaneBase(client: RequestSender, ws: WorkspaceRef, discoveryUrl: string | undefined): Promise<string> {
  if (!discoveryUrl) throw new Error(`Workspace ${ws.workspace} has no discoveryUrl: it cannot show run history.`);
  const doc = await sendJson<{ api?: string }>(client, `read the discovery document of workspace ${ws.workspace}`, 'GET', discoveryUrl);
  if (!doc?.api) throw new Error(`The discovery document of workspace ${ws.workspace} (${discoveryUrl}) has no "api" entry.`);
  return doc.api.replace(/\/+$/, '');
}

/** `{api}/<service>/<version>/subscriptions/…/workspaces/{ws}`: the workspace's path on a data-plane service. */
export function dataPlaneWorkspaceUrl(api: string, service: 'history/v1.0' | 'datastore/v1.0' | 'artifact/v2.0', ws: WorkspaceRef): string {
  return `${api}/${service}${workspaceId(ws)}`;
}
