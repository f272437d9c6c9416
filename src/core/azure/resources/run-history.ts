// Run history (data plane): a pipeline job's steps are its child runs; a run's details carry status and error.
import type { ServiceClient } from '@azure/core-client';
import { azureCall } from '../http/errors';
import type { PageLoader } from '../http/paging';
import { sendJson } from '../http/rest';
import { dataPlaneBase, dataPlaneWorkspaceUrl } from './discovery';
import type { RunSummary, WorkspaceRef } from './types';

interface RawRun {
  runId: string;
  parentRunId?: string | null;
  displayName?: string | null;
  name?: string | null;
  status?: string | null;
  runType?: string | null;
  startTimeUtc?: string | null;
  endTimeUtc?: string | null;
  error?: { error?: { code?: string; message?: string } } | null;
}

function toRun(r: RawRun): RunSummary {
  const e = r.error?.error;
  return {
    runId: r.runId,
    parentRunId: r.parentRunId ?? undefined,
    displayName: r.displayName ?? r.name ?? undefined,
    status: r.status ?? 'Unknown',
    runType: r.runType ?? undefined,
    startTimeUtc: r.startTimeUtc ?? undefined,
    endTimeUtc: r.endTimeUtc ?? undefined,
    error: e ? [e.code, e.message].filter(Boolean).join(': ') : undefined,
  };
}

/** Run history of one workspace; the data-plane base is read once from the workspace's discovery URL. */
export class RunHistory {
  private base?: Promise<string>;
  constructor(
    private readonly arm: ServiceClient,
    private readonly ws: WorkspaceRef,
    private readonly discoveryUrl: string | undefined,
  ) {}

  private async runsUrl(): Promise<string> {
    this.base ??= azureCall(`find the run history of workspace ${this.ws.workspace}`, () =>
      dataPlaneBase(this.arm, this.ws, this.discoveryUrl),
    );
    try {
      return `${dataPlaneWorkspaceUrl(await this.base, 'history/v1.0', this.ws)}/runs`;
    } catch (e) {
      this.base = undefined; // a failed discovery is retried on the next call
      throw e;
    }
  }

  /** A run's children (a pipeline job's steps), a page per call, following `nextLink`. */
  childPages(runId: string): PageLoader<RunSummary> {
    return async (continuation, signal) => {
      const url = continuation ?? `${await this.runsUrl()}/${encodeURIComponent(runId)}/children`;
      const body = await sendJson<{ value?: RawRun[]; nextLink?: string | null; continuationToken?: string | null }>(
        this.arm,
        `list the steps of job ${runId}`,
        'GET',
        url,
        undefined,
        signal,
      );
      return { items: (body?.value ?? []).map(toRun), continuation: body?.nextLink || undefined };
    };
  }

  /** Status, times and error of one run. */
  async details(runId: string): Promise<RunSummary> {
    const raw = await sendJson<RawRun>(
      this.arm,
      `read run ${runId}`,
      'GET',
      `${await this.runsUrl()}/${encodeURIComponent(runId)}/details`,
    );
    return toRun(raw);
  }
}
