// The run-history and artifact routes a follower polls: a run's details (status, error, logFiles), its children
// (a pipeline's steps) and its artifacts under a prefix, each with a SAS URL. The data-plane base is read once.
import type { ServiceClient } from '@azure/core-client';
import { azureCall } from '../http/errors';
import { sendJson } from '../http/rest';
import { dataPlaneBase, dataPlaneWorkspaceUrl } from '../resources/discovery';
import type { WorkspaceRef } from '../resources/types';

export interface RunDetails {
  runId: string;
  status: string;
  parentRunId?: string;
  displayName?: string;
  name?: string;
  error?: { code?: string; message?: string };
  /** Log name → SAS URL. */
  logFiles: Record<string, string>;
}

export interface Artifact {
  path: string;
  contentUri: string;
}

export class RunData {
  private base?: Promise<string>;
  constructor(
    private readonly client: ServiceClient,
    private readonly ws: WorkspaceRef,
    private readonly discoveryUrl: () => Promise<string | undefined>,
  ) {}

  private async api(): Promise<string> {
    this.base ??= azureCall(`find the run history of workspace ${this.ws.workspace}`, async () =>
      dataPlaneBase(this.client, this.ws, await this.discoveryUrl()),
    );
    try {
      return await this.base;
    } catch (e) {
      this.base = undefined;
      throw e;
    }
  }

  async details(runId: string, signal?: AbortSignal): Promise<RunDetails> {
    const url = `${dataPlaneWorkspaceUrl(await this.api(), 'history/v1.0', this.ws)}/runs/${encodeURIComponent(runId)}/details`;
    const raw = await sendJson<{
      runId?: string;
      status?: string;
      parentRunId?: string | null;
      displayName?: string | null;
      name?: string | null;
      error?: { error?: { code?: string; message?: string } } | null;
      logFiles?: Record<string, string> | null;
    }>(this.client, `read run ${runId}`, 'GET', url, undefined, signal);
    return {
      runId: raw?.runId ?? runId,
      status: raw?.status ?? 'Unknown',
      parentRunId: raw?.parentRunId ?? undefined,
      displayName: raw?.displayName ?? undefined,
      name: raw?.name ?? undefined,
      error: raw?.error?.error ?? undefined,
      logFiles: raw?.logFiles ?? {},
    };
  }

  /** Every child of a run (following nextLink). */
  async children(runId: string, signal?: AbortSignal): Promise<RunDetails[]> {
    let url: string | undefined =
      `${dataPlaneWorkspaceUrl(await this.api(), 'history/v1.0', this.ws)}/runs/${encodeURIComponent(runId)}/children`;
    const out: RunDetails[] = [];
    while (url) {
      const page: {
        value?: { runId: string; status?: string; displayName?: string | null; name?: string | null }[];
        nextLink?: string | null;
      } = await sendJson(this.client, `list the steps of job ${runId}`, 'GET', url, undefined, signal);
      for (const r of page?.value ?? [])
        out.push({
          runId: r.runId,
          status: r.status ?? 'Unknown',
          displayName: r.displayName ?? undefined,
          name: r.name ?? undefined,
          logFiles: {},
        });
      url = page?.nextLink || undefined;
    }
    return out;
  }

  /** A run's artifacts under `prefix` (`logs/`), each with a SAS URL to read it. */
  async artifacts(runId: string, prefix: string, signal?: AbortSignal): Promise<Artifact[]> {
    const first = `${dataPlaneWorkspaceUrl(await this.api(), 'artifact/v2.0', this.ws)}/artifacts/ExperimentRun/dcid.${encodeURIComponent(runId)}/prefix/contentinfo?path=${encodeURIComponent(prefix)}`;
    let url: string | undefined = first;
    const out: Artifact[] = [];
    while (url) {
      const page: { value?: Artifact[]; nextLink?: string | null } = await sendJson(
        this.client,
        `list the logs of run ${runId}`,
        'GET',
        url,
        undefined,
        signal,
      );
      for (const a of page?.value ?? []) if (a.path && a.contentUri) out.push({ path: a.path, contentUri: a.contentUri });
      url = page?.nextLink || undefined;
    }
    return out;
  }
}
