// A cloud job's log files on demand: every step's (run history children) files under `logs/`, `user_logs/` and
// its details' `logFiles`, in the order a user reads them (catalog.ts), each read by byte offset through the SAS
// link run history gives. A link that expired is replaced by a fresh one; no link ever reaches a message.
import type { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import { AnonymousCredential, BlobClient } from '@azure/storage-blob';
import { AzureError, toAzureError } from '../http/errors';
import { getJob } from '../resources/jobs';
import { getWorkspace } from '../resources/workspaces';
import type { WorkspaceRef } from '../resources/types';
import { readFrom, type BlobReadOptions } from '../follow/log-tail';
import { RunData, type Artifact } from '../follow/run-data';
import { classifyLog, compareLogs, type LogClass } from './catalog';

export interface JobLogsOptions {
  ml: AzureMachineLearningWorkspaces;
  ws: WorkspaceRef;
  /** The job's name (the pipeline's run id). */
  name: string;
  /** The workspace's discovery URL, when known (else read from the workspace once). */
  discoveryUrl?: string;
  /** Retries of blob reads; default 3 tries from 500 ms. */
  blobRetry?: BlobReadOptions['retry'];
}

export interface JobLogFile extends LogClass {
  /** The run the file belongs to (the step's run id, or the pipeline job's). */
  runId: string;
  /** The step's name as run history shows it; undefined for the pipeline job's own logs. */
  step?: string;
  /** The artifact path in the run: `logs/user/stdout/node0/process000.stdout.txt`. */
  path: string;
  /** Bytes, when sizes were asked for (undefined when the blob could not be read). */
  size?: number;
  /** The SAS link to read it: a secret, never shown or logged. */
  contentUri: string;
}

export interface JobLogStep {
  runId: string;
  /** The step's name (run history's display name), or the job's name for the pipeline's own logs. */
  name: string;
  status: string;
  /** True for the pipeline job itself (its `logs/azureml/…`). */
  pipeline?: boolean;
  files: JobLogFile[];
}

export interface JobLogList {
  job: string;
  status: string;
  /** The steps in run history's order, then the pipeline job's own logs. */
  steps: JobLogStep[];
}

/** Prefixes listed with the artifact API; run details' `logFiles` add the rest (`system_logs/`, `azureml-logs/`). */
const PREFIXES = ['logs/', 'user_logs/'];

/** Reads of a job's logs; one per job, so the run-history base is discovered once. */
export class JobLogs {
  private readonly data: RunData;

  constructor(private readonly o: JobLogsOptions) {
    let discovery = o.discoveryUrl;
    this.data = new RunData(o.ml, o.ws, async () => (discovery ??= (await getWorkspace(o.ml, o.ws)).discoveryUrl));
  }

  /** Every log file of the job, per step in reading order; with `sizes`, each file's size (a HEAD per file). */
  async list(o: { sizes?: boolean; signal?: AbortSignal } = {}): Promise<JobLogList> {
    const job = await getJob(this.o.ml, this.o.ws, this.o.name);
    const steps: JobLogStep[] = [];
    for (const child of await this.data.children(job.name, o.signal)) {
      const name = child.displayName ?? child.name ?? child.runId;
      steps.push({ runId: child.runId, name, status: child.status, files: await this.filesOf(child.runId, name, o.signal) });
    }
    steps.push({
      runId: job.name,
      name: job.name,
      status: job.status,
      pipeline: true,
      files: await this.filesOf(job.name, undefined, o.signal),
    });
    if (o.sizes)
      await this.addSizes(
        steps.flatMap((s) => s.files),
        o.signal,
      );
    return { job: job.name, status: job.status, steps };
  }

  /** One run's log files, classified and in reading order. */
  private async filesOf(runId: string, step: string | undefined, signal?: AbortSignal): Promise<JobLogFile[]> {
    const byPath = new Map<string, Artifact>();
    const details = await this.data.details(runId, signal);
    for (const [path, contentUri] of Object.entries(details.logFiles)) if (contentUri) byPath.set(path, { path, contentUri });
    for (const prefix of PREFIXES) for (const a of await this.artifacts(runId, prefix, signal)) byPath.set(a.path, a);
    return [...byPath.values()]
      .map((a): JobLogFile => ({ ...classifyLog(a.path), runId, ...(step ? { step } : {}), path: a.path, contentUri: a.contentUri }))
      .sort(compareLogs);
  }

  /** A run's artifacts under `prefix`; none when the artifact store has no container for it yet (a step not started). */
  private async artifacts(runId: string, prefix: string, signal?: AbortSignal): Promise<Artifact[]> {
    try {
      return await this.data.artifacts(runId, prefix, signal);
    } catch (e) {
      if ((e as AzureError).status === 404) return [];
      throw e;
    }
  }

  private async addSizes(files: JobLogFile[], signal?: AbortSignal): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < files.length) {
        const f = files[next++];
        try {
          const props = await new BlobClient(f.contentUri, new AnonymousCredential(), { retryOptions: this.o.blobRetry }).getProperties({
            abortSignal: signal,
          });
          f.size = props.contentLength ?? 0;
        } catch (e) {
          if (signal?.aborted) throw toAzureError(e, `list the logs of job ${this.o.name}`);
          // The size is a hint: a file that cannot be read now says why when it is opened.
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(8, files.length) }, worker));
  }

  /**
   * The bytes of `file` from `offset` (all of it from 0); `reset` when the blob is now shorter than `offset` (it
   * was rewritten, and `bytes` is all of it). A link refused (403, expired) or gone (404) is asked for again once.
   */
  async read(file: JobLogFile, offset = 0, signal?: AbortSignal): Promise<{ bytes: Buffer; reset: boolean }> {
    const what = `${file.path}${file.step ? ` of step ${file.step}` : ` of job ${this.o.name}`}`;
    const attempt = (url: string) => readFrom(url, offset, { retry: this.o.blobRetry, abortSignal: signal });
    try {
      return await attempt(file.contentUri);
    } catch (first) {
      if (!isLinkProblem(first)) throw blobError(first, what);
    }
    let fresh: string | undefined;
    try {
      fresh = await this.freshLink(file, signal);
    } catch (e) {
      throw toAzureError(e, `read ${what}`);
    }
    if (!fresh)
      throw new AzureError({
        code: 'LogNotFound',
        status: 404,
        message: `Could not read ${what}: run history no longer lists it. List the job's logs again to see the files it has now.`,
      });
    file.contentUri = fresh;
    try {
      return await attempt(fresh);
    } catch (e) {
      throw blobError(e, what);
    }
  }

  /** The file's link as run history gives it now (links expire). */
  private async freshLink(file: JobLogFile, signal?: AbortSignal): Promise<string | undefined> {
    const prefix = PREFIXES.find((p) => file.path.startsWith(p));
    if (prefix) {
      const found = (await this.artifacts(file.runId, prefix, signal)).find((a) => a.path === file.path);
      if (found) return found.contentUri;
    }
    return (await this.data.details(file.runId, signal)).logFiles[file.path] || undefined;
  }
}

const statusOf = (e: unknown): number | undefined => (e as { statusCode?: number }).statusCode;
const isLinkProblem = (e: unknown): boolean => statusOf(e) === 403 || statusOf(e) === 404;

/** A blob read's failure as a message that names the file and what to do, never the link. */
function blobError(e: unknown, what: string): AzureError {
  const status = statusOf(e);
  const x = e as { code?: string; details?: { errorCode?: string } };
  const code = x.details?.errorCode ?? (typeof x.code === 'string' ? x.code : undefined) ?? (status ? `Http${status}` : 'NetworkError');
  if (status === 403)
    return new AzureError({
      code,
      status,
      message:
        `Could not read ${what}: the storage account refused the link run history gave for it (403 ${code}), twice. ` +
        `Links expire after a while, and a fresh one was refused too: your account may lack read access to the workspace's ` +
        `artifact storage. Ask a workspace owner for a role that allows reading job logs (for example "AzureML Data Scientist"), then retry.`,
    });
  if (status === 404)
    return new AzureError({
      code,
      status,
      message: `Could not read ${what}: the file is no longer in the workspace's storage (404 ${code}). The job may have been deleted: list its logs again.`,
    });
  // AzureError's message goes through redactSecrets: a SAS signature in a network error's details never shows.
  return toAzureError(e, `read ${what}`);
}
