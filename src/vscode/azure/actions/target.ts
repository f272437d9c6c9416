/**
 * The workspace an action works on, with the clients it needs. The tree builds one from the row the action was
 * run on (./from-node.ts); tests build one over the fake ARM and Azurite. Type-only imports: no SDK loads here.
 */
import type { TokenCredential } from '@azure/core-auth';
import type { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import type { ServiceClient } from '@azure/core-client';
import type { BlobEndpointOptions } from '../../../core/azure/blob/container';
import type { WorkspaceRef } from '../../../core/azure/resources/types';
import type { AzureApi } from '../access';

export interface WorkspaceTarget {
  api: AzureApi;
  ml: AzureMachineLearningWorkspaces;
  arm: ServiceClient;
  ws: WorkspaceRef;
  /** Region of the workspace: where clusters are created and VM sizes listed. */
  location?: string;
  /** The workspace's discovery URL (data planes: default datastore). */
  discoveryUrl?: string;
  tenantId?: string;
  /** The signed-in identity, for identity-based datastores. */
  identity: TokenCredential;
  /** Storage endpoint suffix of the cloud (`core.chinacloudapi.cn`…); undefined: the public cloud's. */
  storageSuffix?: string;
  /** Where blobs are (a local emulator's base URL in the test bed; the real form otherwise). */
  blob: BlobEndpointOptions;
  /** LRO poll interval; the SDK's default (2 s) unless a test asks for less. */
  pollIntervalMs?: number;
}

/** The storage endpoint suffix of the cloud whose ARM is `resourceManager` (sovereign clouds); undefined for the public one. */
export function storageSuffixOf(resourceManager: string): string | undefined {
  const host = resourceManager
    .replace(/^https?:\/\//, '')
    .split(/[/:]/)[0]
    .toLowerCase();
  if (host.endsWith('.chinacloudapi.cn')) return 'core.chinacloudapi.cn';
  if (host.endsWith('.usgovcloudapi.net')) return 'core.usgovcloudapi.net';
  return undefined;
}
