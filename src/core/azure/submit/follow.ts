// Follows a job's status as `az ml job stream` does: poll, print each change, wait longer as time goes on.
import type { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import { getJob } from '../resources/jobs';
import type { Job, WorkspaceRef } from '../resources/types';

import { terminalStatuses, type CloudJobFollower } from './job-events';

export { terminalStatuses };

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
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(Object.assign(new Error('Cancelled'), { name: 'AbortError' }));
      },
      { once: true },
    );
  });
}

/** Polls until the job reaches a terminal status; reports each new status once. Returns the final job. */
export async function followJob(
  ml: AzureMachineLearningWorkspaces,
  ws: WorkspaceRef,
  name: string,
  o: FollowJobOptions = {},
): Promise<Job> {
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

/**
 * The follower of today: the job's status as `az ml job stream` polls it (no logs, no progress). The lead
 * replaces it with core/azure/follow's `followCloudJob` adapted to the same events.
 */
export function statusFollower(ml: AzureMachineLearningWorkspaces, o: Pick<FollowJobOptions, 'sleep' | 'now'> = {}): CloudJobFollower {
  return async (ref, onEvent, signal) => {
    const final = await followJob(ml, ref.ws, ref.name, {
      ...o,
      abortSignal: signal,
      onStatus: (status, job) => {
        if (!terminalStatuses.has(status)) onEvent({ type: 'status', status, at: new Date().toISOString(), job });
      },
    });
    onEvent({ type: 'end', status: final.status, at: new Date().toISOString(), job: final });
  };
}
