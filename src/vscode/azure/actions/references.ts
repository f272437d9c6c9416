/**
 * What "Copy ID", "Copy azureml: reference", "Copy URI" and "Open in Azure ML studio" give for a row of the tree.
 * Plain functions of plain data: the same strings a job YAML, `az ml` and studio use.
 */
import { studioResourceUrl } from '../../../core/azure/resources/studio';
import type { AssetKind, Datastore, WorkspaceRef } from '../../../core/azure/resources/types';

export type ResourceRef =
  | { kind: 'compute'; ws: WorkspaceRef; name: string; id: string }
  | { kind: 'datastore'; ws: WorkspaceRef; name: string; id: string; datastore: Datastore }
  | { kind: 'asset'; ws: WorkspaceRef; assetKind: AssetKind; name: string; id: string; latestVersion?: string }
  | { kind: 'version'; ws: WorkspaceRef; assetKind: AssetKind; name: string; version: string; id: string; path?: string }
  | { kind: 'job'; ws: WorkspaceRef; name: string; id: string; studioUrl?: string };

/**
 * The `azureml:` form a job YAML names the resource by: `azureml:<name>:<version>` for a version,
 * `azureml:<name>@latest` for an asset, `azureml:<compute>` for a compute, `azureml://datastores/<ds>` for a datastore,
 * `azureml://jobs/<job>` for a job (the prefix of its outputs' paths).
 */
export function azuremlReference(r: ResourceRef): string | undefined {
  switch (r.kind) {
    case 'compute':
      return `azureml:${r.name}`;
    case 'datastore':
      return `azureml://datastores/${r.name}`;
    case 'asset':
      return `azureml:${r.name}@latest`;
    case 'version':
      return `azureml:${r.name}:${r.version}`;
    case 'job':
      return `azureml://jobs/${r.name}`;
  }
}

/** Where the resource's bytes are: a data or model version's path, a datastore's container URL (never with a secret). */
export function resourceUri(r: ResourceRef): string | undefined {
  if (r.kind === 'version') return r.path;
  // The real form (containerUrl in core/azure/blob builds the same), written here so this file loads no storage SDK.
  const d = r.kind === 'datastore' ? r.datastore : undefined;
  if (d?.accountName && d.containerName)
    return `https://${d.accountName}.blob.${d.endpoint ?? 'core.windows.net'}/${encodeURIComponent(d.containerName)}`;
  return undefined;
}

export function resourceStudioUrl(r: ResourceRef, tenantId?: string): string {
  const assetKind = (k: AssetKind) =>
    (k === 'data' ? 'data' : k === 'models' ? 'model' : 'environment') as 'data' | 'model' | 'environment';
  switch (r.kind) {
    case 'compute':
      return studioResourceUrl({ kind: 'compute', name: r.name }, r.ws, tenantId);
    case 'datastore':
      return studioResourceUrl({ kind: 'datastore', name: r.name }, r.ws, tenantId);
    case 'asset':
      return studioResourceUrl(
        { kind: assetKind(r.assetKind), name: r.name, version: r.assetKind === 'models' ? undefined : r.latestVersion },
        r.ws,
        tenantId,
      );
    case 'version':
      return studioResourceUrl({ kind: assetKind(r.assetKind), name: r.name, version: r.version }, r.ws, tenantId);
    case 'job':
      return r.studioUrl ?? studioResourceUrl({ kind: 'job', name: r.name }, r.ws, tenantId);
  }
}
