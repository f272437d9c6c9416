// Jobs of a workspace: newest first, a page per call; the job PUT that keeps every input's uri and mode.
import { getContinuationToken, type AzureMachineLearningWorkspaces, type JobBase } from '@azure/arm-machinelearning';
import { azureCall } from '../http/errors';
import { sdkPageLoader, type PageLoader } from '../http/paging';
import { sendJson } from '../http/rest';
import { workspaceId } from './ids';
import type { Job, WorkspaceRef } from './types';

function toJob(j: JobBase): Job {
  const p = j.properties as JobBase['properties'] & { status?: string; services?: Record<string, { endpoint?: string } | null> };
  return {
    name: j.name ?? '',
    id: j.id ?? '',
    displayName: p?.displayName,
    jobType: p?.jobType ?? 'unknown',
    status: p?.status ?? 'Unknown',
    experimentName: p?.experimentName,
    computeId: p?.computeId,
    createdAt: j.systemData?.createdAt?.toISOString(),
    studioUrl: p?.services?.Studio?.endpoint ?? undefined,
  };
}

/** Jobs of a workspace in the service's order (newest first), one page per call: 5,000 jobs cost one call per page shown. */
export function jobPages(ml: AzureMachineLearningWorkspaces, ws: WorkspaceRef): PageLoader<Job> {
  const load = sdkPageLoader((o) => ml.jobs.list(ws.resourceGroup, ws.workspace, o), toJob, getContinuationToken);
  return (c, signal) => azureCall(`list the jobs of workspace ${ws.workspace}`, () => load(c, signal));
}

export function getJob(ml: AzureMachineLearningWorkspaces, ws: WorkspaceRef, name: string): Promise<Job> {
  return azureCall(`read job ${name}`, async () => toJob(await ml.jobs.get(ws.resourceGroup, ws.workspace, name)));
}

/** The studio page of a job: the service's link when it gave one, else the documented URL form. */
export function studioUrl(job: Job, ws: WorkspaceRef): string {
  return (
    job.studioUrl ??
    `https://ml.azure.com/runs/${encodeURIComponent(job.name)}?wsid=/subscriptions/${ws.subscriptionId}/resourcegroups/${ws.resourceGroup}/workspaces/${ws.workspace}`
  );
}

/**
 * PUTs a job body as given, through the client's own pipeline (auth, TLS, retries). `jobs.createOrUpdate`
 * in @azure/arm-machinelearning 2.1.1 drops job inputs' `uri` and `mode` (Azure/azure-sdk-for-js#29328), so
 * the body is sent as JSON, untouched. Returns the job the service stored.
 */
export async function putJob(
  ml: AzureMachineLearningWorkspaces,
  ws: WorkspaceRef,
  name: string,
  body: { properties: Record<string, unknown> },
): Promise<Job> {
  const url = `${ml.$host.replace(/\/+$/, '')}${workspaceId(ws)}/jobs/${encodeURIComponent(name)}?api-version=${ml.apiVersion}`;
  const raw = await sendJson<{ id?: string; name?: string; properties?: Record<string, unknown>; systemData?: { createdAt?: string } }>(
    ml,
    `submit job ${name} to workspace ${ws.workspace}`,
    'PUT',
    url,
    body,
  );
  const p = (raw?.properties ?? {}) as {
    displayName?: string;
    jobType?: string;
    status?: string;
    experimentName?: string;
    computeId?: string;
    services?: { Studio?: { endpoint?: string } };
  };
  return {
    name: raw?.name ?? name,
    id: raw?.id ?? '',
    displayName: p.displayName,
    jobType: p.jobType ?? 'unknown',
    status: p.status ?? 'Unknown',
    experimentName: p.experimentName,
    computeId: p.computeId,
    createdAt: raw?.systemData?.createdAt,
    studioUrl: p.services?.Studio?.endpoint,
  };
}

/** Asks the service to cancel a job and follows the operation until it is accepted (status then CancelRequested/Canceled). */
export async function cancelJob(
  ml: AzureMachineLearningWorkspaces,
  ws: WorkspaceRef,
  name: string,
  follow: { pollIntervalMs?: number; abortSignal?: AbortSignal } = {},
): Promise<Job> {
  return azureCall(`cancel job ${name}`, async () => {
    const poller = await ml.jobs.beginCancel(ws.resourceGroup, ws.workspace, name, {
      updateIntervalInMs: follow.pollIntervalMs,
      abortSignal: follow.abortSignal,
    });
    await poller.pollUntilDone({ abortSignal: follow.abortSignal });
    return toJob(await ml.jobs.get(ws.resourceGroup, ws.workspace, name));
  });
}
