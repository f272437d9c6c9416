// Follows a job's status as `az ml job stream` does: poll, print each change, wait longer as time goes on.
import type { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import { getJob } from '../resources/jobs';
import type { Job, WorkspaceRef } from '../resources/types';

export const terminalStatuses = new Set(['Completed', 'Failed', 'Canceled', 'NotResponding', 'Paused']);

/** azure-ai-ml's wait between polls after `elapsedSeconds`: max(2, int(60 / (1 + 100·e^(−t/20)))). */
export function pollIntervalSeconds(elapsedSeconds: number): number {
  return Math.max(2, Math.floor(60 / (1 + 100 * Math.exp(-elapsedSeconds / 20))));
}

export interface FollowJobOptions {
  onStatus?: (status: string, job: Job) => void;
  abortSignal?: AbortSignal;
  /** Waits `seconds` (tests pass a waiter that does not use the clock). */
  sleep?: (seconds: number, signal?: AbortSignal) => Promise<void>;
  /** Clock in seconds, for the interval's growth. */
  now?: () => number;
}

function defaultSleep(seconds: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, seconds * 1000);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(Object.assign(new Error('Cancelled'), { name: 'AbortError' }));
    }, { once: true });
  });
}

/** Polls until the job reaches a terminal status; reports each new status once. Returns the final job. */
export async function followJob(ml: AzureMachineLearningWorkspaces, ws: WorkspaceRef, name: string, o: FollowJobOptions = {}): Promise<Job> {
  const now = o.now ?? (() => Date.now() / 1000);
  const sleep = o.sleep ?? defaultSleep;
  const start = now();
  let last: string | undefined;
  for (;;) {
    const job = await getJob(ml, ws, name);
    if (job.status !== last) {
      last = job.status;
      o.onStatus?.(job.status, job);
    }
    if (terminalStatuses.has(job.status)) return job;
    await sleep(pollIntervalSeconds(now() - start), o.abortSignal);
  }
}
