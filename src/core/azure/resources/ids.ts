// ARM ids and azureml:// paths, parsed and built in one place.
import type { WorkspaceRef } from './types';

/** The workspace an ARM id belongs to, e.g. from `/subscriptions/s/resourceGroups/rg/providers/…/workspaces/ws/computes/c`. */
export function workspaceOfId(id: string): WorkspaceRef | undefined {
  const m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.MachineLearningServices\/workspaces\/([^/]+)/i.exec(
    id,
  );
  return m ? { subscriptionId: m[1], resourceGroup: m[2], workspace: m[3] } : undefined;
}

export function workspaceId(ws: WorkspaceRef): string {
  return `/subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${ws.workspace}`;
}

/** `azureml://datastores/<ds>/paths/<path>`: how data assets and job inputs name a datastore path. */
export function datastorePathUri(datastore: string, path: string): string {
  return `azureml://datastores/${datastore}/paths/${path.replace(/^\/+/, '')}`;
}

/** ISO 8601 duration (`PT5M`, `PT120S`, `PT1H30M`) → seconds; undefined when not a duration. */
export function durationSeconds(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(iso);
  if (!m) return undefined;
  return Number(m[1] ?? 0) * 86400 + Number(m[2] ?? 0) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
}

/** Seconds → the `PT<n>S` form ARM accepts for `nodeIdleTimeBeforeScaleDown`. */
export function secondsDuration(seconds: number): string {
  return `PT${Math.round(seconds)}S`;
}

/**
 * The datastore and path an `azureml://` URI names: the short form `azureml://datastores/<ds>/paths/<p>` and the
 * long form the service stores (`azureml://subscriptions/…/workspaces/<ws>/datastores/<ds>/paths/<p>`).
 * Undefined for anything else (https/wasbs URLs, `azureml:<name>:<version>` references).
 */
export function parseDatastoreUri(uri: string): { datastore: string; path: string } | undefined {
  const m =
    /^azureml:\/\/(?:subscriptions\/[^/]+\/resource[gG]roups\/[^/]+\/(?:providers\/Microsoft\.MachineLearningServices\/)?workspaces\/[^/]+\/)?datastores\/([^/]+)\/paths\/(.*)$/.exec(
      uri,
    );
  return m ? { datastore: decodeURIComponent(m[1]), path: m[2] } : undefined;
}
