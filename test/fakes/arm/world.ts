// What the fake ARM holds: tenants, subscriptions, workspaces and their resources, in the REST shapes of
// api-version 2022-10-01 (the shapes of the spec's x-ms-examples, written out here as templates).
import { randomUUID } from 'node:crypto';

export const testTenant = {
  tenantId: '72f988bf-0000-4000-8000-00000000fake',
  displayName: 'Local test tenant',
  defaultDomain: 'local.test',
};
export const testSubscription = {
  subscriptionId: '00000000-1111-2222-3333-444444444444',
  displayName: 'Local test subscription',
  state: 'Enabled',
  tenantId: testTenant.tenantId,
};
/** A second tenant of the same account whose policy demands MFA: ARM answers its tokens with a claims challenge. */
export const mfaTenant = {
  tenantId: '0000aaaa-0000-4000-8000-0000000000af',
  displayName: 'Local MFA tenant',
  defaultDomain: 'mfa.local.test',
};
export const mfaSubscription = {
  subscriptionId: '00000000-1111-2222-3333-5555555555af',
  displayName: 'Local test subscription (MFA tenant)',
  state: 'Enabled',
  tenantId: mfaTenant.tenantId,
};
export const testResourceGroup = 'local-rg';
export const testWorkspace = 'local-ws';
export const testLocation = 'eastus';

export type Json = Record<string, unknown>;

const provider = 'Microsoft.MachineLearningServices';

export function wsId(sub: string, rg: string, ws: string): string {
  return `/subscriptions/${sub}/resourceGroups/${rg}/providers/${provider}/workspaces/${ws}`;
}

function systemData(createdAt: Date): Json {
  const at = createdAt.toISOString();
  return {
    createdAt: at,
    createdBy: 'tester@local.test',
    createdByType: 'User',
    lastModifiedAt: at,
    lastModifiedBy: 'tester@local.test',
    lastModifiedByType: 'User',
  };
}

export function workspaceBody(sub: string, rg: string, name: string, base: string): Json {
  const id = wsId(sub, rg, name);
  return {
    id,
    name,
    type: `${provider}/workspaces`,
    location: testLocation,
    properties: {
      friendlyName: name,
      description: 'A workspace of the local fake ARM (test bed, not Azure).',
      storageAccount: `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Storage/storageAccounts/localtestsa`,
      keyVault: `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.KeyVault/vaults/localtestkv`,
      discoveryUrl: `${base}/discovery`,
      provisioningState: 'Succeeded',
    },
  };
}

export function amlComputeBody(
  wid: string,
  name: string,
  p: {
    vmSize?: string;
    vmPriority?: string;
    min?: number;
    max?: number;
    idle?: string;
    state?: string;
    current?: number;
    description?: string;
  },
): Json {
  return {
    id: `${wid}/computes/${name}`,
    type: `${provider}/workspaces/computes`,
    name,
    location: testLocation,
    properties: {
      description: p.description,
      createdOn: new Date().toISOString(),
      modifiedOn: new Date().toISOString(),
      computeType: 'AmlCompute',
      provisioningState: p.state ?? 'Succeeded',
      isAttachedCompute: false,
      properties: {
        vmSize: p.vmSize ?? 'STANDARD_DS3_V2',
        vmPriority: p.vmPriority ?? 'Dedicated',
        osType: 'Linux',
        isolatedNetwork: false,
        scaleSettings: { maxNodeCount: p.max ?? 4, minNodeCount: p.min ?? 0, nodeIdleTimeBeforeScaleDown: p.idle ?? 'PT120S' },
        remoteLoginPortPublicAccess: 'Enabled',
        allocationState: p.state && p.state !== 'Succeeded' ? 'Resizing' : 'Steady',
        allocationStateTransitionTime: new Date().toISOString(),
        errors: null,
        currentNodeCount: p.current ?? 0,
        targetNodeCount: p.min ?? 0,
        nodeStateCounts: {
          preparingNodeCount: 0,
          runningNodeCount: 0,
          idleNodeCount: p.current ?? 0,
          unusableNodeCount: 0,
          leavingNodeCount: 0,
          preemptedNodeCount: 0,
        },
        enableNodePublicIp: true,
      },
    },
  };
}

export function computeInstanceBody(wid: string, name: string): Json {
  return {
    id: `${wid}/computes/${name}`,
    type: `${provider}/workspaces/computes`,
    name,
    location: testLocation,
    properties: {
      computeType: 'ComputeInstance',
      provisioningState: 'Succeeded',
      properties: { vmSize: 'STANDARD_DS11_V2', state: 'Running', errors: null },
    },
  };
}

export function blobDatastoreBody(
  wid: string,
  name: string,
  p: { account: string; container: string; isDefault?: boolean; credentialsType?: string },
): Json {
  return {
    id: `${wid}/datastores/${name}`,
    name,
    type: `${provider}/workspaces/datastores`,
    properties: {
      description: null,
      tags: {},
      isDefault: p.isDefault ?? false,
      properties: null,
      credentials: { credentialsType: p.credentialsType ?? 'AccountKey' },
      datastoreType: 'AzureBlob',
      accountName: p.account,
      containerName: p.container,
      endpoint: 'core.windows.net',
      protocol: 'https',
      serviceDataAccessAuthIdentity: 'None',
    },
    systemData: systemData(new Date()),
  };
}

export type AssetSegment = 'data' | 'models' | 'environments' | 'codes';

export function containerBody(wid: string, kind: AssetSegment, name: string, latest: string, dataType?: string): Json {
  return {
    id: `${wid}/${kind}/${name}`,
    name,
    type: `${provider}/workspaces/${kind}`,
    properties: {
      description: null,
      tags: {},
      properties: {},
      isArchived: false,
      latestVersion: latest,
      nextVersion: String(Number(latest) + 1 || 1),
      ...(dataType ? { dataType } : {}),
    },
    systemData: systemData(new Date()),
  };
}

export function versionBody(
  wid: string,
  kind: AssetSegment,
  name: string,
  version: string,
  properties: Json,
  createdAt = new Date(),
): Json {
  return {
    id: `${wid}/${kind}/${name}/versions/${version}`,
    name: version,
    type: `${provider}/workspaces/${kind}/versions`,
    properties: { description: null, tags: {}, properties: {}, isAnonymous: false, isArchived: false, ...properties },
    systemData: systemData(createdAt),
  };
}

export function jobBody(
  wid: string,
  name: string,
  p: { jobType?: string; status?: string; displayName?: string; experimentName?: string; createdAt?: Date; properties?: Json },
  base: string,
): Json {
  return {
    id: `${wid}/jobs/${name}`,
    name,
    type: `${provider}/workspaces/jobs`,
    properties: {
      description: null,
      tags: {},
      properties: {},
      displayName: p.displayName ?? name,
      status: p.status ?? 'Completed',
      experimentName: p.experimentName ?? 'local-experiment',
      services: { Studio: { jobServiceType: 'Studio', endpoint: `${base}/studio/runs/${name}` } },
      computeId: `${wid}/computes/cpu-cluster`,
      isArchived: false,
      jobType: p.jobType ?? 'Pipeline',
      inputs: {},
      outputs: {},
      settings: {},
      jobs: {},
      ...p.properties,
    },
    systemData: systemData(p.createdAt ?? new Date()),
  };
}

/** A run as run history returns it in `runs/{id}/details` and `runs/{id}/children`. */
export function runBody(runId: string, p: { parentRunId?: string; status?: string; displayName?: string; runType?: string }): Json {
  const now = new Date().toISOString();
  return {
    runId,
    parentRunId: p.parentRunId ?? null,
    rootRunId: p.parentRunId ?? runId,
    displayName: p.displayName ?? runId,
    name: p.displayName ?? runId,
    status: p.status ?? 'Completed',
    runType: p.runType ?? 'azureml.StepRun',
    createdUtc: now,
    startTimeUtc: now,
    endTimeUtc: p.status === 'Running' ? null : now,
    error: null,
    properties: {},
    tags: {},
    logFiles: {},
  };
}

/** The region's AmlCompute sizes (the shape of VirtualMachineSizes_List). */
export const vmSizes: Json[] = [
  {
    name: 'Standard_NC6',
    family: 'standardNCFamily',
    vCPUs: 6,
    gpus: 1,
    osVhdSizeMB: 1047552,
    maxResourceVolumeMB: 344064,
    memoryGB: 56,
    lowPriorityCapable: true,
    premiumIO: false,
    supportedComputeTypes: ['AmlCompute'],
  },
  {
    name: 'Standard_DS3_v2',
    family: 'standardDSv2Family',
    vCPUs: 4,
    gpus: 0,
    osVhdSizeMB: 1047552,
    maxResourceVolumeMB: 28672,
    memoryGB: 14,
    lowPriorityCapable: true,
    premiumIO: true,
    supportedComputeTypes: ['AmlCompute', 'ComputeInstance'],
  },
  {
    name: 'Standard_DS11_v2',
    family: 'standardDSv2Family',
    vCPUs: 2,
    gpus: 0,
    osVhdSizeMB: 1047552,
    maxResourceVolumeMB: 28672,
    memoryGB: 14,
    lowPriorityCapable: true,
    premiumIO: true,
    supportedComputeTypes: ['AmlCompute', 'ComputeInstance'],
  },
];

export const newId = (): string => randomUUID();
