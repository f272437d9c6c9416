// The options every command that talks to a workspace shares (results, compare, resubmit): which workspace,
// which endpoints, and the Azure layer loaded from its own bundle.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { WorkspaceRef } from '../core/azure/resources/types';

export type AzureLayer = typeof import('../core/azure');

/** The Azure layer: its own bundle (dist/azure.js) when running bundled, so other commands never load it. */
export function loadAzure(): AzureLayer {
  const bundled = path.join(__dirname, 'azure.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the Azure layer loads on first use only
  if (path.basename(__dirname) === 'dist' && fs.existsSync(bundled)) return require(bundled) as AzureLayer;
  const source = '../core/azure'; // a variable: the bundler leaves it out of dist/cli-main.js
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the Azure layer loads on first use only
  return require(source) as AzureLayer;
}

export const workspaceOptions = {
  'workspace-config': { type: 'string' },
  subscription: { type: 'string' },
  'resource-group': { type: 'string' },
  workspace: { type: 'string' },
  'arm-endpoint': { type: 'string' },
  'blob-endpoint': { type: 'string' },
} as const;

export const WORKSPACE_USAGE = `  --workspace-config FILE    config.json of the workspace (default: config.json or .azureml/config.json
                             in the current folder or its parents)
  --subscription ID --resource-group NAME --workspace NAME   the workspace, instead of a config file
  --arm-endpoint URL         Azure Resource Manager (sovereign clouds; a local fake)
  --blob-endpoint URL        blob service base URL, path style (a local emulator)`;

export interface WorkspaceValues {
  'workspace-config'?: string;
  subscription?: string;
  'resource-group'?: string;
  workspace?: string;
  'arm-endpoint'?: string;
  'blob-endpoint'?: string;
}

/** The workspace the options name, else the config.json found from `searchFrom` up; a string is the problem to print. */
export function workspaceOf(v: WorkspaceValues, az: AzureLayer, searchFrom: string): WorkspaceRef | string {
  try {
    if (v.subscription || v['resource-group'] || v.workspace) {
      if (!v.subscription || !v['resource-group'] || !v.workspace)
        return 'Give --subscription, --resource-group and --workspace together (or a --workspace-config file).';
      return { subscriptionId: v.subscription, resourceGroup: v['resource-group'], workspace: v.workspace };
    }
    const ws = v['workspace-config'] ? az.readWorkspaceConfig(path.resolve(v['workspace-config'])) : az.discoverWorkspaceConfig(searchFrom);
    if (!ws) {
      return `No workspace config found in ${searchFrom} or its parents. Download config.json from the workspace's page in Azure ML studio into that folder, or pass --workspace-config FILE, or --subscription, --resource-group and --workspace.`;
    }
    return { subscriptionId: ws.subscriptionId, resourceGroup: ws.resourceGroup, workspace: ws.workspace };
  } catch (e) {
    return (e as Error).message;
  }
}

/** The clients for a workspace: ARM (ML SDK and plain), the CLI's credential chain, the blob endpoint override. */
export function clientsOf(v: WorkspaceValues, az: AzureLayer, ws: WorkspaceRef) {
  const credential = az.cliCredential();
  const endpoint = { resourceManager: v['arm-endpoint'] ?? az.publicCloud.resourceManager };
  return {
    credential,
    ml: az.mlClient(credential, ws.subscriptionId, endpoint),
    arm: az.armClient(credential, endpoint),
    blob: v['blob-endpoint'] ? { blobEndpoint: v['blob-endpoint'] } : undefined,
  };
}

/** "1.2 MB". */
export function bytesText(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

/** Cancels on Ctrl+C while `work` runs. */
export async function withSigint<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const stop = new AbortController();
  const onSigint = () => stop.abort();
  process.once('SIGINT', onSigint);
  try {
    return await work(stop.signal);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}
