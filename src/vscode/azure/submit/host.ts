/**
 * What the submit commands and the cloud-job panels get from the Azure view (src/vscode/azure/view.ts): the
 * Azure layer and credentials, the workspace the view has selected, and the Jobs tree's rows to update.
 * Types only: the main bundle builds it, the lazy half uses it.
 */
import type { Ctx } from '../../ctx';
import type { Job, WorkspaceRef } from '../../../core/azure/resources/types';
import type { JobEstimate } from '../../../core/azure/submit/estimate-inputs';
import type { AzureAccess } from '../access';

export interface SubmitHost {
  ctx: Ctx;
  access: AzureAccess;
  /** The view's selected workspace, else config.json's, else the user picks one; undefined when they give up. */
  workspace(): Promise<WorkspaceRef | undefined>;
  /** The tree shows `job`'s new status in its row (only that row changes). */
  jobChanged(ws: WorkspaceRef, job: Job): void;
  /** A job was submitted to `ws`: its Jobs folder lists it again. */
  jobSubmitted(ws: WorkspaceRef): void;
}

/**
 * A job this window follows, as remembered across reloads (workspaceState) and in its panel's folder
 * (`job.json`): names and numbers only, never a token or a URL with a signature.
 */
export interface FollowedJob {
  ws: WorkspaceRef;
  name: string;
  /** The tenant whose credential reads the job (the subscription's; undefined: the account's home tenant). */
  tenantId?: string;
  specFile: string;
  nodeName: string;
  compute: string;
  /** `--set` overrides it was submitted with (for Submit Again). */
  overrides: string[];
  submittedAt: string;
  studioUrl?: string;
  estimate?: Pick<JobEstimate, 'wallSeconds' | 'nodeHours' | 'cost' | 'nodes'>;
}

/** workspaceState key of the jobs being followed. */
export const FOLLOWED_KEY = 'parallelRun.azure.followedJobs';

/** A followed job read back from storage, or undefined when it is not one (old or hand-edited state). */
export function followedJobOf(value: unknown): FollowedJob | undefined {
  const v = value as Partial<FollowedJob> | undefined;
  const ws = v?.ws as Partial<WorkspaceRef> | undefined;
  if (
    !v ||
    typeof v.name !== 'string' ||
    !ws ||
    typeof ws.subscriptionId !== 'string' ||
    typeof ws.resourceGroup !== 'string' ||
    typeof ws.workspace !== 'string'
  )
    return undefined;
  if (typeof v.specFile !== 'string' || typeof v.nodeName !== 'string' || typeof v.compute !== 'string') return undefined;
  const job: FollowedJob = {
    ws: { subscriptionId: ws.subscriptionId, resourceGroup: ws.resourceGroup, workspace: ws.workspace },
    name: v.name,
    tenantId: typeof v.tenantId === 'string' ? v.tenantId : undefined,
    specFile: v.specFile,
    nodeName: v.nodeName,
    compute: v.compute,
    overrides: Array.isArray(v.overrides) ? v.overrides.filter((o): o is string => typeof o === 'string') : [],
    submittedAt: typeof v.submittedAt === 'string' ? v.submittedAt : new Date().toISOString(),
    // An https page without a signature (a studio link never has one): nothing that grants access is stored.
    studioUrl:
      typeof v.studioUrl === 'string' && /^https:\/\//.test(v.studioUrl) && !/[?&]sig=/i.test(v.studioUrl) ? v.studioUrl : undefined,
    estimate:
      v.estimate &&
      typeof v.estimate.wallSeconds === 'number' &&
      typeof v.estimate.nodeHours === 'number' &&
      typeof v.estimate.nodes === 'number'
        ? {
            wallSeconds: v.estimate.wallSeconds,
            nodeHours: v.estimate.nodeHours,
            nodes: v.estimate.nodes,
            ...(typeof v.estimate.cost === 'number' ? { cost: v.estimate.cost } : {}),
          }
        : undefined,
  };
  for (const k of ['tenantId', 'studioUrl', 'estimate'] as const) if (job[k] === undefined) delete job[k];
  return job;
}

/** Same job? (resource group names are case-insensitive in ARM). */
export function sameJob(a: Pick<FollowedJob, 'ws' | 'name'>, b: Pick<FollowedJob, 'ws' | 'name'>): boolean {
  return (
    a.name === b.name &&
    a.ws.subscriptionId === b.ws.subscriptionId &&
    a.ws.resourceGroup.toLowerCase() === b.ws.resourceGroup.toLowerCase() &&
    a.ws.workspace === b.ws.workspace
  );
}
