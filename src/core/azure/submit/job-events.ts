// The seam between following a cloud job and showing it: a follower reports events (status, log lines,
// progress, the first real error, the end); the run panel and the Jobs tree fold them. The follower is
// core/azure/follow's `followCloudJob` through `fullFollower` (follow/seam.ts).
// Type-only but for runStatusOf: the extension's lazy half imports it without loading the SDK.
import type { Job, WorkspaceRef } from '../resources/types';

/** Statuses after which a job changes no more. */
export const terminalStatuses = new Set(['Completed', 'Failed', 'Canceled', 'NotResponding', 'Paused']);

export type CloudJobEvent =
  /** The job's status changed (`Queued`, `Running`…, as the service says it); `at` is ISO 8601. */
  | { type: 'status'; status: string; at: string; job?: Job }
  /** New lines of the job's log (whole lines, without the newline), from `source` (`user_logs/std_log.txt`). */
  | { type: 'log'; lines: string[]; source?: string }
  /** The parallel step's mini-batches so far. */
  | { type: 'progress'; total: number; succeeded: number; failed: number; retried?: number; items?: CloudItemCounts }
  /** The first real error, lifted out of the job's logs (with the file it came from). */
  | {
      type: 'error';
      message: string;
      /** What to show after the message: the local file of the user's frame, else the log it came from. */
      file?: string;
      /** The job's log it came from (`logs/user/error/node0/process000.txt`) and its step, to open it. */
      logFile?: string;
      step?: string;
      /** The user's line in `file` when that is the local copy of the frame's file. */
      line?: number;
    }
  /** The job reached a terminal status: the last event. */
  | { type: 'end'; status: string; at: string; job?: Job };

/** Items (files or rows) the step's progress counted, when its logs say (`items: X succeeded, Y failed of Z`). */
export interface CloudItemCounts {
  succeeded: number;
  failed: number;
  total?: number;
}

export interface CloudJobRef {
  ws: WorkspaceRef;
  name: string;
}

/** Follows a job until it ends (or `signal` aborts), reporting each event once, in order. */
export type CloudJobFollower = (job: CloudJobRef, onEvent: (e: CloudJobEvent) => void, signal: AbortSignal) => Promise<void>;

/** The run status the panel and the tree share: in progress until the service says it ended. */
export function runStatusOf(cloudStatus: string): 'Running' | 'Completed' | 'Failed' | 'Canceled' {
  switch (cloudStatus) {
    case 'Completed':
      return 'Completed';
    case 'Failed':
    case 'NotResponding':
      return 'Failed';
    case 'Canceled':
      return 'Canceled';
    default:
      return terminalStatuses.has(cloudStatus) ? 'Canceled' : 'Running';
  }
}
