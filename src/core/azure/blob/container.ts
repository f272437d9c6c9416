// The blob container behind a datastore, with the credential its registration says to use.
import type { TokenCredential } from '@azure/core-auth';
import type { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import { AnonymousCredential, ContainerClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { AzureError, azureCall } from '../http/errors';
import type { Datastore, WorkspaceRef } from '../resources/types';

export interface BlobEndpointOptions {
  /**
   * Base URL of the blob service, path style (`http://127.0.0.1:10000/devstoreaccount1` for Azurite). Default:
   * `https://{account}.blob.{endpoint suffix}`, the real form.
   */
  blobEndpoint?: string;
  /** Extra CA certificate to trust (a local HTTPS emulator's). */
  ca?: string | Buffer;
  /** Retries of each blob request (storage-blob's defaults otherwise: 4 tries, exponential from 4 s). */
  retry?: { maxTries?: number; retryDelayInMs?: number; maxRetryDelayInMs?: number };
}

/** The container's URL, without credentials. */
export function containerUrl(
  ds: Pick<Datastore, 'accountName' | 'containerName' | 'endpoint' | 'name'>,
  options: BlobEndpointOptions = {},
): string {
  if (!ds.accountName || !ds.containerName) {
    throw new AzureError({
      code: 'NotBlobDatastore',
      message: `Datastore ${ds.name} names no storage account and container: it is not an Azure Blob datastore.`,
    });
  }
  const base = options.blobEndpoint?.replace(/\/+$/, '') ?? `https://${ds.accountName}.blob.${ds.endpoint ?? 'core.windows.net'}`;
  return `${base}/${encodeURIComponent(ds.containerName)}`;
}

/**
 * A ContainerClient for a datastore: account key or SAS from `datastores.listSecrets` (the way azure-ai-ml
 * uploads), or the signed-in identity for identity-based datastores. Secrets stay inside the client.
 */
export async function datastoreContainer(
  ml: AzureMachineLearningWorkspaces,
  ws: WorkspaceRef,
  ds: Datastore,
  identity: TokenCredential,
  options: BlobEndpointOptions = {},
): Promise<ContainerClient> {
  const url = containerUrl(ds, options);
  const pipelineOptions = {
    ...(options.ca ? { tlsOptions: { ca: options.ca } } : {}),
    ...(options.retry ? { retryOptions: options.retry } : {}),
  } as object;
  if (ds.credentialsType === 'None' || !ds.credentialsType) return new ContainerClient(url, identity, pipelineOptions);
  const secrets = await azureCall(`read the credentials of datastore ${ds.name}`, () =>
    ml.datastores.listSecrets(ws.resourceGroup, ws.workspace, ds.name),
  );
  if (secrets.secretsType === 'AccountKey' && 'key' in secrets && secrets.key) {
    return new ContainerClient(url, new StorageSharedKeyCredential(ds.accountName!, secrets.key), pipelineOptions);
  }
  if (secrets.secretsType === 'Sas' && 'sasToken' in secrets && secrets.sasToken) {
    return new ContainerClient(`${url}?${secrets.sasToken.replace(/^\?/, '')}`, new AnonymousCredential(), pipelineOptions);
  }
  throw new AzureError({
    code: 'UnsupportedDatastoreCredentials',
    message: `Datastore ${ds.name} uses ${secrets.secretsType} credentials; uploads support account key, SAS and identity-based datastores. Register the container again with one of those.`,
  });
}
