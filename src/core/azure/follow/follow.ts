// followCloudJob: what `az ml job stream` shows, as events: the job's and its steps' statuses, new log lines only,
// a parallel step's mini-batch progress, the first real error with the user's file:line, and the end with the
// outputs. Polls with azure-ai-ml's growing interval from a configurable fastest one.
import type { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import { AzureError } from '../http/errors';
import { allItems } from '../http/paging';
import { redactSecrets } from '../http/redact';
import { datastorePages } from '../resources/datastores';
import { getJob, studioUrl } from '../resources/jobs';
import { getWorkspace } from '../resources/workspaces';
import type { Job, WorkspaceRef } from '../resources/types';
import { liftError } from './error';
import { terminalJobStatuses, type CloudJobError, type CloudJobEvent, type CloudProgress } from './events';
import { readFrom, takeLines, type BlobReadOptions, type TailState } from './log-tail';
import { ProcessedMiniBatches, progressFromOverview, progressFromProgressCsv } from './progress';
import { RunData, type Artifact } from './run-data';

export interface FollowCloudJobOptions {
  ml: AzureMachineLearningWorkspaces;
  ws: WorkspaceRef;
  /** The job's name (its run id). */
  name: string;
  /** The workspace's discovery URL, when known (else read from the workspace once). */
  discoveryUrl?: string;
  /** The shortest wait between polls, in seconds (azure-ai-ml's: 2). The wait grows from it as az ml job stream's. */
  fastestIntervalSeconds?: number;
  /** Stops following (the job goes on): the iteration ends without an `end` event. */
  signal?: AbortSignal;
  /** Waits `seconds` (tests pass a waiter that does not use the clock). */
  sleep?: (seconds: number, signal?: AbortSignal) => Promise<void>;
  /** Clock in seconds, for the interval's growth. */
  now?: () => number;
  /** Local code folders of the job's steps: an error's frame is mapped to the local file when one matches. */
  localCodeDirs?: string[];
  /** Tail every per-process user log of parallel steps too (logs/user/stdout|stderr|entry_script_log/…). */
  userLogs?: boolean;
  /** Retries of log reads (SAS URLs); default 3 tries from 500 ms. */
  blobRetry?: BlobReadOptions['retry'];
}

/** The wait before the next poll: az ml job stream's `60 / (1 + 100·e^(−t/20))`, at least `fastest` seconds. */
export function followIntervalSeconds(elapsedSeconds: number, fastest = 2): number {
  return Math.max(fastest, Math.floor(60 / (1 + 100 * Math.exp(-elapsedSeconds / 20))));
}

/** Log names az ml job stream prints: the common runtime's std_log first; else the legacy per-job-type logs. */
export function streamableLogs(names: readonly string[]): string[] {
  const common = names.filter((n) => /^user_logs\/std_log[\D]*[0]*(?:_ps)?\.txt$/.test(n));
  const picked = common.length
    ? common
    : names.filter((n) => /^logs\/azureml\/executionlogs\.txt$/.test(n) || /^azureml-logs\/\d{2}.+\.txt$/.test(n));
  return [...picked].sort();
}

const transient = (e: unknown): boolean => {
  const s = (e as AzureError).status ?? (e as { statusCode?: number }).statusCode;
  return s === undefined || s === 408 || s === 429 || s >= 500;
};

interface StepState {
  runId: string;
  name: string;
  status?: string;
  processed: ProcessedMiniBatches;
  progressKey?: string;
  progressCsvHeader?: string;
  /** Error-bearing logs read so far (artifact path → text). */
  errorFiles: Map<string, string>;
  /** Its logs were read after it ended. */
  readToEnd?: boolean;
}

/** A follow in progress: iterate it for events; `tail` adds a log file, `pollNow` cuts the current wait short. */
export class CloudJobFollower implements AsyncIterable<CloudJobEvent> {
  private readonly data: RunData;
  private readonly tails = new Map<string, TailState>();
  private readonly steps = new Map<string, StepState>();
  private readonly extra = new Map<string, Set<string>>();
  private jobStatus?: string;
  private errorSent = false;
  private wake?: () => void;
  private pollAsked = false;

  constructor(private readonly o: FollowCloudJobOptions) {
    let discovery = o.discoveryUrl;
    this.data = new RunData(o.ml, o.ws, async () => (discovery ??= (await getWorkspace(o.ml, o.ws)).discoveryUrl));
  }

  /** Follows one more log of a step from the next poll on (e.g. `logs/user/stdout/node0/process001.stdout.txt`). */
  tail(step: string, file: string): void {
    const set = this.extra.get(step) ?? new Set<string>();
    set.add(file);
    this.extra.set(step, set);
    this.pollNow();
  }

  /** Ends the current wait now (a user asked for fresh data, or a log was added). */
  pollNow(): void {
    this.pollAsked = true;
    this.wake?.();
  }

  [Symbol.asyncIterator](): AsyncIterator<CloudJobEvent> {
    return this.run();
  }

  private async *run(): AsyncGenerator<CloudJobEvent> {
    const o = this.o;
    const now = o.now ?? (() => Date.now() / 1000);
    const start = now();
    let job = await getJob(o.ml, o.ws, o.name);
    const link = studioUrl(job, o.ws);
    yield { type: 'start', job, studioUrl: link, time: new Date().toISOString() };
    for (let first = true; ; first = false) {
      if (o.signal?.aborted) return;
      const events: CloudJobEvent[] = [];
      let terminal = false;
      try {
        if (!first) job = await getJob(o.ml, o.ws, o.name);
        terminal = terminalJobStatuses.has(job.status);
        // A new status comes before what was read with it; a final one after the steps' last lines.
        const change: CloudJobEvent | undefined =
          job.status !== this.jobStatus
            ? { type: 'status', status: job.status, previous: this.jobStatus, runId: job.name, time: new Date().toISOString() }
            : undefined;
        this.jobStatus = job.status;
        if (change && !terminal) events.push(change);
        await this.readRuns(job, terminal, events);
        if (change && terminal) events.push(change);
      } catch (e) {
        if (o.signal?.aborted) return;
        if (!transient(e)) throw e;
        events.push({ type: 'warning', message: redactSecrets(`${(e as Error).message} (trying again at the next poll)`) });
        terminal = false;
      }
      for (const e of events) yield e;
      if (terminal) {
        const error = job.status === 'Completed' ? undefined : this.finalError();
        if (error && !this.errorSent) {
          this.errorSent = true;
          yield { type: 'error', error };
        }
        yield {
          type: 'end',
          status: job.status,
          job,
          studioUrl: link,
          error,
          outputs: await this.outputs(job),
          time: new Date().toISOString(),
        };
        return;
      }
      try {
        await this.sleep(followIntervalSeconds(now() - start, o.fastestIntervalSeconds ?? 2));
      } catch {
        return; // aborted
      }
    }
  }

  private sleep(seconds: number): Promise<void> {
    if (this.pollAsked) {
      this.pollAsked = false;
      return Promise.resolve();
    }
    if (this.o.sleep) return this.o.sleep(seconds, this.o.signal);
    const signal = this.o.signal;
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(t);
        signal?.removeEventListener('abort', onAbort);
        this.wake = undefined;
        this.pollAsked = false;
      };
      const onAbort = () => {
        done();
        reject(Object.assign(new Error('Cancelled'), { name: 'AbortError' }));
      };
      const t = setTimeout(() => (done(), resolve()), seconds * 1000);
      this.wake = () => (done(), resolve());
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Reads the pipeline's and its steps' logs, statuses, progress and (once a step failed) errors. */
  private async readRuns(job: Job, final: boolean, events: CloudJobEvent[]): Promise<void> {
    const signal = this.o.signal;
    const root = await this.data.details(job.name, signal);
    for (const file of streamableLogs(Object.keys(root.logFiles)))
      await this.tailLog(root.runId, undefined, file, root.logFiles[file], final, events);
    const children = await this.data.children(job.name, signal);
    for (const child of children) {
      let step = this.steps.get(child.runId);
      if (!step) {
        step = {
          runId: child.runId,
          name: child.displayName ?? child.name ?? child.runId,
          processed: new ProcessedMiniBatches(),
          errorFiles: new Map(),
        };
        this.steps.set(child.runId, step);
      }
      if (child.status !== step.status) {
        events.push({
          type: 'status',
          status: child.status,
          previous: step.status,
          step: step.name,
          runId: child.runId,
          time: new Date().toISOString(),
        });
        step.status = child.status;
      }
      if (child.status === 'NotStarted' || child.status === 'Queued') continue;
      const stepEnded = terminalJobStatuses.has(child.status);
      // A step that ended was read to its end: no more calls for it until the job's final read.
      if (step.readToEnd && !final) continue;
      if (stepEnded) step.readToEnd = true;
      const details = await this.data.details(child.runId, signal);
      for (const file of streamableLogs(Object.keys(details.logFiles)))
        await this.tailLog(child.runId, step.name, file, details.logFiles[file], final || stepEnded, events);
      const artifacts = await this.data.artifacts(child.runId, 'logs/', signal);
      await this.readProgress(step, artifacts, final || stepEnded, events);
      const extra = this.extra.get(step.name) ?? new Set<string>();
      for (const a of artifacts) {
        if (extra.has(a.path) || (this.o.userLogs && /^logs\/user\/(stdout|stderr|entry_script_log)\//.test(a.path))) {
          await this.tailLog(child.runId, step.name, a.path, a.contentUri, final || stepEnded, events);
        }
      }
      if (child.status === 'Failed' || (final && this.jobStatus !== 'Completed')) {
        await this.readErrorFiles(step, artifacts, details.logFiles);
        if (!this.errorSent && child.status === 'Failed') {
          const error = liftError({ step: step.name, files: step.errorFiles }, this.o.localCodeDirs);
          if (error) {
            this.errorSent = true;
            events.push({ type: 'error', error });
          }
        }
      }
    }
    if (final && root.error?.message)
      this.serviceError = { message: [root.error.code, root.error.message].filter(Boolean).join(': '), logFile: 'run details' };
  }

  private serviceError?: CloudJobError;

  /** The first real error at the end: a failed step's (in order), else the service's error on the job. */
  private finalError(): CloudJobError | undefined {
    const ordered = [...this.steps.values()].sort((a, b) => Number(b.status === 'Failed') - Number(a.status === 'Failed'));
    for (const step of ordered) {
      const e = liftError({ step: step.name, files: step.errorFiles }, this.o.localCodeDirs);
      if (e) return e;
    }
    return this.serviceError;
  }

  private async tailLog(
    runId: string,
    step: string | undefined,
    file: string,
    url: string | undefined,
    final: boolean,
    events: CloudJobEvent[],
  ): Promise<string[]> {
    if (!url) return [];
    const key = `${runId}\n${file}`;
    let state = this.tails.get(key);
    if (!state) {
      state = { offset: 0, partial: Buffer.alloc(0) };
      this.tails.set(key, state);
    }
    let r: { bytes: Buffer; reset: boolean };
    try {
      r = await readFrom(url, state.offset, { retry: this.o.blobRetry, abortSignal: this.o.signal });
    } catch (e) {
      if (this.o.signal?.aborted) throw e;
      // An expired or revoked SAS link (403), a blob gone (404), a dropped read: the next poll brings fresh links.
      const status = (e as { statusCode?: number }).statusCode;
      events.push({
        type: 'warning',
        message: `Could not read ${file}${step ? ` of step ${step}` : ''}${status ? ` (HTTP ${status})` : ''}: trying again at the next poll.`,
      });
      return [];
    }
    if (r.reset) {
      state.offset = 0;
      state.partial = Buffer.alloc(0);
    }
    const lines = takeLines(state, r.bytes, final);
    if (lines.length) events.push({ type: 'log', file, lines, runId, ...(step ? { step } : {}) });
    return lines;
  }

  /** Lines of an artifact not yet read, without reporting them as log lines. */
  private async newLines(runId: string, a: Artifact, final: boolean): Promise<string[]> {
    const sink: CloudJobEvent[] = [];
    await this.tailLog(`${runId}#data`, undefined, a.path, a.contentUri, final, sink);
    return sink.flatMap((e) => (e.type === 'log' ? e.lines : []));
  }

  private async readProgress(step: StepState, artifacts: Artifact[], final: boolean, events: CloudJobEvent[]): Promise<void> {
    const overview = artifacts
      .filter((a) => /^logs\/job_progress_overview\.[^/]*\.txt$/.test(a.path))
      .sort((a, b) => a.path.localeCompare(b.path))
      .pop();
    let found: { progress: CloudProgress; source: string; line?: string } | undefined;
    if (overview) {
      const p = progressFromOverview(await this.newLines(step.runId, overview, final));
      if (p) found = { progress: p.progress, line: p.line, source: overview.path };
    }
    const csv = artifacts
      .filter((a) => /^logs\/sys\/metrics\/.*progress\.csv$/.test(a.path))
      .sort((a, b) => a.path.localeCompare(b.path))
      .pop();
    if (!found && !overview && csv) {
      const lines = await this.newLines(step.runId, csv, final);
      if (!step.progressCsvHeader && lines.length) step.progressCsvHeader = lines[0];
      const p = progressFromProgressCsv(lines[0] === step.progressCsvHeader ? lines : [step.progressCsvHeader ?? '', ...lines]);
      if (p) found = { progress: p, source: csv.path };
    }
    const processed = artifacts.find((a) => a.path === 'logs/sys/job_report/processed_mini-batches.csv');
    if (!found && !overview && !csv && processed) {
      step.processed.add(await this.newLines(step.runId, processed, final));
      const p = step.processed.progress;
      if (p) found = { progress: p, source: processed.path };
    }
    if (!found) return;
    const key = JSON.stringify(found.progress);
    if (key === step.progressKey) return;
    step.progressKey = key;
    events.push({
      type: 'progress',
      step: step.name,
      runId: step.runId,
      progress: found.progress,
      source: found.source,
      ...(found.line ? { line: found.line } : {}),
    });
  }

  /** Reads (the new part of) every log that may hold the error: user/error/*, job_error.txt, job_result.txt, std_log. */
  private async readErrorFiles(step: StepState, artifacts: Artifact[], logFiles: Record<string, string>): Promise<void> {
    const wanted = artifacts.filter((a) => /^logs\/(user\/error\/|user\/stderr\/|job_error\.txt$|job_result\.txt$)/.test(a.path));
    for (const [name, url] of Object.entries(logFiles)) if (/^user_logs\/std_log/.test(name)) wanted.push({ path: name, contentUri: url });
    for (const a of wanted) {
      const lines = await this.newLines(`${step.runId}#error`, a, true);
      if (lines.length) step.errorFiles.set(a.path, (step.errorFiles.get(a.path) ?? '') + lines.join('\n') + '\n');
    }
  }

  /** Each output's datastore URI: as the job gave it, else the default `azureml/<job>/<output>/` of the default datastore. */
  private async outputs(job: Job): Promise<Record<string, string>> {
    const o = this.o;
    try {
      const raw = await o.ml.jobs.get(o.ws.resourceGroup, o.ws.workspace, job.name);
      const props = raw.properties as {
        outputs?: Record<string, { uri?: string | null } | null> | null;
        settings?: { default_datastore?: string };
      };
      const outs = props.outputs ?? {};
      if (Object.keys(outs).length === 0) return {};
      let ds = props.settings?.default_datastore?.replace(/^azureml:/, '');
      if (!ds) ds = (await allItems(datastorePages(o.ml, o.ws))).find((d) => d.isDefault)?.name ?? 'workspaceblobstore';
      return Object.fromEntries(
        Object.entries(outs).map(([k, v]) => [k, v?.uri || `azureml://datastores/${ds}/paths/azureml/${job.name}/${k}/`]),
      );
    } catch {
      return {};
    }
  }
}

/**
 * Follows a submitted job until it ends (or `signal` stops following). Iterate the result for CloudJobEvents:
 * `start`, then `status`/`log`/`progress`/`error`/`warning` as they happen, and `end` last. Following never
 * changes the job: cancel it with `cancelJob`.
 */
export function followCloudJob(o: FollowCloudJobOptions): CloudJobFollower {
  return new CloudJobFollower(o);
}
