// Datastores of a workspace: list, register an Azure Blob container, set the workspace default.
import {
  getContinuationToken,
  type AzureMachineLearningWorkspaces,
  type Datastore as SdkDatastore,
  type AzureBlobDatastore,
} from '@azure/arm-machinelearning';
import type { ServiceClient } from '@azure/core-client';
import { AzureError, azureCall } from '../http/errors';
import { sdkPageLoader, type PageLoader } from '../http/paging';
import { sendJson } from '../http/rest';
import { dataPlaneBase, dataPlaneWorkspaceUrl } from './discovery';
import type { Datastore, WorkspaceRef } from './types';

function toDatastore(d: SdkDatastore): Datastore {
  const p = d.properties as AzureBlobDatastore;
  return {
    name: d.name ?? '',
    id: d.id ?? '',
    type: p.datastoreType,
    isDefault: p.isDefault === true,
    accountName: p.accountName,
    containerName: p.containerName,
    endpoint: p.endpoint,
    credentialsType: p.credentials?.credentialsType,
  };
}

export function datastorePages(ml: AzureMachineLearningWorkspaces, ws: WorkspaceRef): PageLoader<Datastore> {
  const load = sdkPageLoader((o) => ml.datastores.list(ws.resourceGroup, ws.workspace, o), toDatastore, getContinuationToken);
  return (c, signal) => azureCall(`list the datastores of workspace ${ws.workspace}`, () => load(c, signal));
}

export function getDatastore(ml: AzureMachineLearningWorkspaces, ws: WorkspaceRef, name: string): Promise<Datastore> {
  return azureCall(`read datastore ${name}`, async () => toDatastore(await ml.datastores.get(ws.resourceGroup, ws.workspace, name)));
}

/** How the workspace reaches the container: a storage account key, a SAS token, or the caller's/workspace identity. */
export type BlobCredential = { kind: 'accountKey'; key: string } | { kind: 'sas'; sasToken: string } | { kind: 'identity' };

export interface BlobDatastoreSettings {
  name: string;
  accountName: string;
  containerName: string;
  credential: BlobCredential;
  /** Storage endpoint suffix; `core.windows.net` in the public cloud. */
  endpoint?: string;
  protocol?: 'https' | 'http';
  description?: string;
}

/** Datastore names: letters, digits and underscores only (the service refuses hyphens and spaces). */
export function datastoreNameProblem(name: string): string | undefined {
  if (!name) return 'Enter a datastore name.';
  if (name.length > 255) return `"${name.slice(0, 20)}…" is too long: at most 255 characters.`;
  if (!/^[A-Za-z0-9_]+$/.test(name)) return `"${name}" may contain only letters, digits and underscores (no hyphens or spaces).`;
  return undefined;
}

/** Registers (or updates) an Azure Blob datastore. The secret goes to the service only, never into the result or an error. */
export async function registerBlobDatastore(
  ml: AzureMachineLearningWorkspaces,
  ws: WorkspaceRef,
  s: BlobDatastoreSettings,
): Promise<Datastore> {
  const problem = datastoreNameProblem(s.name);
  if (problem) throw new AzureError({ code: 'InvalidSettings', message: `Cannot register datastore: ${problem}` });
  const credentials =
    s.credential.kind === 'accountKey'
      ? { credentialsType: 'AccountKey' as const, secrets: { secretsType: 'AccountKey' as const, key: s.credential.key } }
      : s.credential.kind === 'sas'
        ? { credentialsType: 'Sas' as const, secrets: { secretsType: 'Sas' as const, sasToken: s.credential.sasToken.replace(/^\?/, '') } }
        : { credentialsType: 'None' as const };
  const body: AzureBlobDatastore = {
    datastoreType: 'AzureBlob',
    accountName: s.accountName,
    containerName: s.containerName,
    endpoint: s.endpoint ?? 'core.windows.net',
    protocol: s.protocol ?? 'https',
    description: s.description,
    credentials,
  };
  return azureCall(`register datastore ${s.name} (container ${s.containerName} of account ${s.accountName})`, async () =>
    toDatastore(await ml.datastores.createOrUpdate(ws.resourceGroup, ws.workspace, s.name, { properties: body })),
  );
}

/**
 * Makes `name` the workspace's default datastore. ARM's `isDefault` is read-only, so this goes to the
 * datastore data plane (`PUT {api}/datastore/v1.0/…/workspaces/{ws}/default/{name}`), as azureml-core does.
 */
export async function setDefaultDatastore(
  arm: ServiceClient,
  ws: WorkspaceRef,
  discoveryUrl: string | undefined,
  name: string,
): Promise<void> {
  const what = `make ${name} the default datastore of workspace ${ws.workspace}`;
  const api = await azureCall(what, () => dataPlaneBase(arm, ws, discoveryUrl));
  await sendJson(arm, what, 'PUT', `${dataPlaneWorkspaceUrl(api, 'datastore/v1.0', ws)}/default/${encodeURIComponent(name)}`);
}

/** Storage account names: 3–24 lowercase letters and digits (Azure Storage's rule). */
export function storageAccountNameProblem(name: string): string | undefined {
  if (!/^[a-z0-9]{3,24}$/.test(name))
    return `"${name}" is not a storage account name: 3 to 24 lowercase letters and digits, e.g. "mydatasa".`;
  return undefined;
}

/** Blob container names: 3–63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit. */
export function blobContainerNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return `"${name}" has ${name.length} characters: a container name has 3 to 63.`;
  if (!/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(name))
    return `"${name}" is not a container name: lowercase letters, digits and hyphens, starting and ending with a letter or digit.`;
  if (name.includes('--')) return `"${name}" has two hyphens in a row: container names may not.`;
  return undefined;
}
