// Compute targets of a workspace: list, create an AmlCompute cluster and follow it, resize, delete.
import {
  getContinuationToken,
  type AzureMachineLearningWorkspaces,
  type AmlCompute,
  type ComputeInstance as SdkComputeInstance,
  type ComputeResource,
  type ErrorResponse,
} from '@azure/arm-machinelearning';
import { AzureError, azureCall } from '../http/errors';
import { sdkPageLoader, type PageLoader } from '../http/paging';
import { durationSeconds, secondsDuration } from './ids';
import type { Compute, WorkspaceRef } from './types';

function errorTexts(errors: ErrorResponse[] | undefined | null): string[] {
  return (errors ?? []).map((e) => [e.error?.code, e.error?.message].filter(Boolean).join(': ')).filter(Boolean);
}

function toCompute(r: ComputeResource): Compute {
  const p = r.properties;
  const base = { name: r.name ?? '', id: r.id ?? '', provisioningState: p?.provisioningState };
  const provisioningErrors = errorTexts(p?.provisioningErrors);
  if (p?.computeType === 'AmlCompute') {
    const a = (p as AmlCompute).properties;
    return {
      kind: 'cluster',
      ...base,
      allocationState: a?.allocationState,
      vmSize: a?.vmSize,
      vmPriority: a?.vmPriority,
      currentNodes: a?.currentNodeCount,
      targetNodes: a?.targetNodeCount,
      minNodes: a?.scaleSettings?.minNodeCount,
      maxNodes: a?.scaleSettings?.maxNodeCount,
      idleSecondsBeforeScaleDown: durationSeconds(a?.scaleSettings?.nodeIdleTimeBeforeScaleDown),
      errors: [...provisioningErrors, ...errorTexts(a?.errors)],
    };
  }
  if (p?.computeType === 'ComputeInstance') {
    const i = (p as SdkComputeInstance).properties;
    return { kind: 'instance', ...base, state: i?.state, vmSize: i?.vmSize, errors: [...provisioningErrors, ...errorTexts(i?.errors)] };
  }
  return { kind: 'other', ...base, computeType: p?.computeType ?? 'unknown', errors: provisioningErrors };
}

/** Compute targets (clusters, instances, attached) of a workspace, a page per call. */
export function computePages(ml: AzureMachineLearningWorkspaces, ws: WorkspaceRef): PageLoader<Compute> {
  const load = sdkPageLoader((o) => ml.computeOperations.list(ws.resourceGroup, ws.workspace, o), toCompute, getContinuationToken);
  return (c, signal) => azureCall(`list the computes of workspace ${ws.workspace}`, () => load(c, signal));
}

export function getCompute(ml: AzureMachineLearningWorkspaces, ws: WorkspaceRef, name: string): Promise<Compute> {
  return azureCall(`read compute ${name}`, async () => toCompute(await ml.computeOperations.get(ws.resourceGroup, ws.workspace, name)));
}

/**
 * Why a compute name is refused, or undefined when it is valid: 2–16 characters, letters, digits and
 * hyphens, starting with a letter and ending with a letter or digit (the service's rule, as the Azure ML
 * SDK checks it before sending).
 */
export function computeNameProblem(name: string): string | undefined {
  if (!name) return 'Enter a compute name.';
  if (name.length < 2 || name.length > 16) return `"${name}" has ${name.length} characters: a compute name has 2 to 16.`;
  if (!/^[A-Za-z]/.test(name)) return `"${name}" must start with a letter.`;
  if (!/[A-Za-z0-9]$/.test(name)) return `"${name}" must end with a letter or a digit.`;
  const bad = /[^A-Za-z0-9-]/.exec(name);
  if (bad) return `"${name}" contains "${bad[0]}": use only letters, digits and hyphens.`;
  return undefined;
}

export interface AmlClusterSettings {
  name: string;
  /** Region; default: the workspace's. */
  location?: string;
  vmSize: string;
  minNodes: number;
  maxNodes: number;
  /** Seconds a node stays idle before the cluster scales down (azure-ai-ml's default is 120). */
  idleSecondsBeforeScaleDown: number;
  lowPriority: boolean;
  description?: string;
}

/** What is wrong with cluster settings, one sentence each; empty when they can be sent. */
export function clusterSettingsProblems(s: AmlClusterSettings): string[] {
  const out: string[] = [];
  const n = computeNameProblem(s.name);
  if (n) out.push(n);
  if (!s.vmSize) out.push('Choose a VM size (for example Standard_DS3_v2).');
  if (!Number.isInteger(s.minNodes) || s.minNodes < 0) out.push(`Minimum nodes must be a whole number ≥ 0, not ${s.minNodes}.`);
  if (!Number.isInteger(s.maxNodes) || s.maxNodes < 1) out.push(`Maximum nodes must be a whole number ≥ 1, not ${s.maxNodes}.`);
  if (s.minNodes > s.maxNodes) out.push(`Minimum nodes (${s.minNodes}) is more than maximum nodes (${s.maxNodes}).`);
  if (!Number.isFinite(s.idleSecondsBeforeScaleDown) || s.idleSecondsBeforeScaleDown < 0) {
    out.push(`Idle seconds before scale-down must be ≥ 0, not ${s.idleSecondsBeforeScaleDown}.`);
  }
  return out;
}

export interface FollowOptions {
  /** Called with each provisioning state the service reports while the operation runs. */
  onProgress?: (state: string) => void;
  /** Poll interval; the SDK default is 2 s (tests use 1 ms). */
  pollIntervalMs?: number;
  abortSignal?: AbortSignal;
}

/**
 * Creates (or updates) an AmlCompute cluster and follows the long-running operation until the service says
 * Succeeded; a failed provisioning throws an AzureError with the service's reason.
 */
export async function createAmlCluster(
  ml: AzureMachineLearningWorkspaces,
  ws: WorkspaceRef,
  s: AmlClusterSettings,
  follow: FollowOptions = {},
): Promise<Compute> {
  const problems = clusterSettingsProblems(s);
  if (problems.length)
    throw new AzureError({ code: 'InvalidSettings', message: `Cannot create compute "${s.name}": ${problems.join(' ')}` });
  const what = `create compute cluster ${s.name} in workspace ${ws.workspace}`;
  return azureCall(what, async () => {
    const location = s.location ?? (await ml.workspaces.get(ws.resourceGroup, ws.workspace)).location;
    const poller = await ml.computeOperations.beginCreateOrUpdate(
      ws.resourceGroup,
      ws.workspace,
      s.name,
      {
        location,
        properties: {
          computeType: 'AmlCompute',
          description: s.description,
          properties: {
            vmSize: s.vmSize,
            vmPriority: s.lowPriority ? 'LowPriority' : 'Dedicated',
            scaleSettings: {
              minNodeCount: s.minNodes,
              maxNodeCount: s.maxNodes,
              nodeIdleTimeBeforeScaleDown: secondsDuration(s.idleSecondsBeforeScaleDown),
            },
          },
        },
      },
      { updateIntervalInMs: follow.pollIntervalMs, abortSignal: follow.abortSignal },
    );
    return finish(poller, ml, ws, s.name, follow, 'Creating');
  });
}

interface ComputePoller {
  onProgress(cb: (state: { status?: string; result?: ComputeResource }) => void): unknown;
  pollUntilDone(options?: { abortSignal?: AbortSignal }): Promise<ComputeResource | void>;
}

async function finish(
  poller: ComputePoller,
  ml: AzureMachineLearningWorkspaces,
  ws: WorkspaceRef,
  name: string,
  follow: FollowOptions,
  accepted: string,
): Promise<Compute> {
  // The service accepted the request: say so before the first poll, then report each new state.
  let last = accepted;
  follow.onProgress?.(accepted);
  poller.onProgress((st) => {
    const state = st.result?.properties?.provisioningState ?? '';
    if (state && state !== last) follow.onProgress?.((last = state));
  });
  const result = await poller.pollUntilDone({ abortSignal: follow.abortSignal });
  const compute = result ? toCompute(result) : toCompute(await ml.computeOperations.get(ws.resourceGroup, ws.workspace, name));
  if (compute.provisioningState === 'Failed') {
    throw new AzureError({
      code: 'ProvisioningFailed',
      message: `Compute ${name} failed to provision${compute.errors.length ? `: ${compute.errors.join('; ')}` : ''}. Delete it, fix the cause (quota, VM size, region) and create it again.`,
    });
  }
  if (compute.provisioningState && compute.provisioningState !== last) follow.onProgress?.(compute.provisioningState);
  return compute;
}

/** Changes a cluster's node range and idle time; follows the operation. */
export async function resizeAmlCluster(
  ml: AzureMachineLearningWorkspaces,
  ws: WorkspaceRef,
  name: string,
  scale: { minNodes: number; maxNodes: number; idleSecondsBeforeScaleDown?: number },
  follow: FollowOptions = {},
): Promise<Compute> {
  if (scale.minNodes > scale.maxNodes || scale.minNodes < 0 || scale.maxNodes < 1) {
    throw new AzureError({
      code: 'InvalidSettings',
      message: `Cannot resize ${name}: need 0 ≤ minimum nodes (${scale.minNodes}) ≤ maximum nodes (${scale.maxNodes}), maximum ≥ 1.`,
    });
  }
  return azureCall(`resize compute ${name}`, async () => {
    const poller = await ml.computeOperations.beginUpdate(
      ws.resourceGroup,
      ws.workspace,
      name,
      {
        properties: {
          scaleSettings: {
            minNodeCount: scale.minNodes,
            maxNodeCount: scale.maxNodes,
            nodeIdleTimeBeforeScaleDown:
              scale.idleSecondsBeforeScaleDown === undefined ? undefined : secondsDuration(scale.idleSecondsBeforeScaleDown),
          },
        },
      },
      { updateIntervalInMs: follow.pollIntervalMs, abortSignal: follow.abortSignal },
    );
    return finish(poller, ml, ws, name, follow, 'Updating');
  });
}

/** Deletes a compute (the underlying cluster too, not a detach) and waits until it is gone. */
export async function deleteCompute(
  ml: AzureMachineLearningWorkspaces,
  ws: WorkspaceRef,
  name: string,
  follow: FollowOptions = {},
): Promise<void> {
  await azureCall(`delete compute ${name}`, async () => {
    const poller = await ml.computeOperations.beginDelete(ws.resourceGroup, ws.workspace, name, 'Delete', {
      updateIntervalInMs: follow.pollIntervalMs,
      abortSignal: follow.abortSignal,
    });
    follow.onProgress?.('Deleting');
    await poller.pollUntilDone({ abortSignal: follow.abortSignal });
    follow.onProgress?.('Deleted');
  });
}

export interface VmSize {
  name: string;
  family?: string;
  vCPUs?: number;
  gpus?: number;
  memoryGB?: number;
  lowPriorityCapable?: boolean;
}

/** VM sizes AmlCompute offers in a region (one call, not paged), smallest first, for the "VM size" step. */
export function listVmSizes(ml: AzureMachineLearningWorkspaces, location: string): Promise<VmSize[]> {
  return azureCall(`list the VM sizes of region ${location}`, async () => {
    const r = await ml.virtualMachineSizes.list(location);
    return (r.value ?? [])
      .map((v) => ({
        name: v.name ?? '',
        family: v.family,
        vCPUs: v.vCPUs,
        gpus: v.gpus,
        memoryGB: v.memoryGB,
        lowPriorityCapable: v.lowPriorityCapable,
      }))
      .sort((a, b) => (a.gpus ?? 0) - (b.gpus ?? 0) || (a.vCPUs ?? 0) - (b.vCPUs ?? 0) || a.name.localeCompare(b.name));
  });
}
