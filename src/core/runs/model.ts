/**
 * The run model: one contract for a run that every surface shows (the run panel, the status bar, the Local
 * Runs view, the CLI's progress), implemented by a local run (`LocalRun`, over the engine's events) and by a
 * cloud job (src/core/azure follow, over polling Azure), so the surfaces never ask which one they show.
 * Browser-safe types; plain Node at most.
 *
 * A run is: an identity, an event stream (`RunModelEvent`), its status with a timeline, its counts, its
 * outcome once it ended, and `cancel()`.
 *
 * How a local run maps onto it (src/core/runs/local-run.ts): kind `local`, id = the run folder; it goes
 * Running → Completed | Failed | Canceled; progress, logs (one source per worker process,
 * `node0/process001`), warnings and the mini-batch / worker detail events come from the engine as they happen;
 * the headline failure is the first real error (failureHeadline) with the user's file:line and the worker's
 * `logs/user/error/<node>/<process>.txt`; the outcome is summary.json (`RunSummary` is a `RunOutcome`); cancel
 * aborts the engine (finished mini-batches stay).
 *
 * How a cloud job maps onto it (what src/core/azure follow produces; nothing here needs to change for it):
 * - identity: kind `cloud`, id = the job's name (its run id), displayName = the job's display name, specFile =
 *   the spec it was submitted from when known, node = the parallel step's name, step = the step's run id (the
 *   child of the pipeline job from `runs/{id}/children`), url = the studio link, runDir = where its files are
 *   downloaded (optional).
 * - status: `properties.status` of `jobs.get` (or `status` of `runs/{id}/details`) through `statusFromRest`:
 *   NotStarted, Queued, Preparing, Running, Finalizing, Completed, Failed, Canceled (Starting/Provisioning are
 *   Preparing, CancelRequested is Finalizing, NotResponding/Paused/Unknown keep the last status). Each change
 *   is a `status` event carrying the whole timeline (each status with when it was first seen).
 * - logs: new lines of the step's blob log files (`user_logs/std_log.txt`, `logs/user/stdout/<node>/<process>…`,
 *   `logs/job_progress_overview.*.txt`) as `log` events whose `source` is the file's path in the run.
 * - progress: counts from `logs/sys/job_report/processed_mini-batches.csv` (rows with `RUN_DONE` succeeded,
 *   the others failed) and the total from `logs/sys/metrics/<x>/progress.csv` (`Total Tasks`), as `progress`
 *   events; items are unknown in the cloud (counts.items stays 0 / total undefined).
 * - failure: `runs/{id}/details` `error.error.message` (and the first traceback of `logs/user/error/…`, whose
 *   file:line it names) as one `failure` event, with `logFile` the blob it came from.
 * - end: a `RunOutcome` with the terminal status, `reason` = the error message, the last counts, start/end times.
 * - cancel: the REST cancel (`jobs.beginCancel`); the job then goes through Finalizing to Canceled.
 * A cloud job sends none of the local detail events (worker, debugListening, miniBatch*): surfaces must work
 * without them.
 */
import type { MiniBatchFailure, RunCounts, RunEvent, RunStatus, RunSummary, WorkerError } from '../local/types';
import type { RunFailure, RunModelStatus, StatusChange } from '../../shared/run-types';

export type { RunFailure, RunModelStatus, StatusChange };

export const TERMINAL_STATUSES: readonly RunModelStatus[] = ['Completed', 'Failed', 'Canceled'];

export interface RunIdentity {
  kind: 'local' | 'cloud';
  /** Unique among runs: a local run's folder (absolute), a cloud job's name. */
  id: string;
  /** What a list or a title calls it: the node's name, or the job's display name. */
  displayName: string;
  /** The spec (pipeline YAML) it ran or was submitted from, when known. */
  specFile?: string;
  /** The parallel node (step) it runs. */
  node?: string;
  /** Where it is in a pipeline: "step 2/3", or a cloud step's run id. */
  step?: string;
  /** Its folder on this machine: a local run's run folder; a cloud job's download folder, when it has one. */
  runDir?: string;
  /** Cloud jobs: the studio link. */
  url?: string;
}

/**
 * How a run ended. A local run's summary.json (`RunSummary`) is one, with more fields; a cloud job fills what
 * Azure tells (status, reason, counts, times).
 */
export interface RunOutcome {
  status: Exclude<RunStatus, 'Running'>;
  reason?: string;
  /** The error behind `reason` when no mini-batch caused it. */
  error?: WorkerError;
  counts?: RunCounts;
  startedAt?: string;
  endedAt?: string;
  durationMs?: number;
  /** Worker processes (local) or processes per node × nodes (cloud), when known. */
  workers?: number;
  failures?: MiniBatchFailure[];
  warnings?: string[];
  /** The append_row file, once on this machine. */
  outputFile?: string;
  logsDir?: string;
  /** The headline failure of a failed run (also sent as a `failure` event). */
  headline?: RunFailure;
}

/** The engine's finer events a local run sends and a cloud job does not: worker processes, mini-batches, the debugger. */
export type LocalDetailEvent = Extract<
  RunEvent,
  { type: 'worker' | 'debugListening' | 'miniBatchStarted' | 'miniBatchDone' | 'miniBatchFailed' }
>;

export type RunModelEvent =
  /** The run began: who it is; workers and counts when known up front (a local run knows its mini-batches). */
  | { type: 'start'; run: RunIdentity; startedAt: string; workers?: number; counts?: RunCounts }
  /** The status changed; `timeline` is every status so far, oldest first (the last is `status`). */
  | { type: 'status'; status: RunModelStatus; timeline: StatusChange[] }
  /** `final`: the counts once the run stopped (the outcome repeats them). */
  | { type: 'progress'; counts: RunCounts; elapsedMs: number; final?: boolean }
  /** Text written to a named source: a worker process (`node0/process001`) or a cloud log file's path. */
  | { type: 'log'; source: string; stream: 'stdout' | 'stderr' | 'logger'; text: string }
  | { type: 'warning'; message: string; index?: number }
  | { type: 'failure'; failure: RunFailure }
  | { type: 'end'; outcome: RunOutcome }
  | LocalDetailEvent;

export type RunModelListener = (event: RunModelEvent) => void;

/** A run in progress or ended, local or in the cloud. */
export interface RunModel {
  readonly identity: RunIdentity;
  readonly status: RunModelStatus;
  readonly timeline: readonly StatusChange[];
  readonly startedAt?: string;
  readonly counts?: RunCounts;
  /** Worker processes, when known. */
  readonly workers?: number;
  readonly failure?: RunFailure;
  /** Set once the run ended. */
  readonly outcome?: RunOutcome;
  /**
   * Calls `listener` with every event from now on; with `replay`, first with what happened so far: the
   * events in order (only the latest `progress`; the latest log lines), the `end` last. Returns the
   * unsubscribe function.
   */
  subscribe(listener: RunModelListener, options?: { replay?: boolean }): () => void;
  /** Asks the run to stop: a local run's workers end; a cloud job gets the REST cancel. Ends with a Canceled outcome. */
  cancel(): Promise<void>;
}

export function isTerminal(status: RunModelStatus): status is Exclude<RunStatus, 'Running'> {
  return TERMINAL_STATUSES.includes(status);
}

/** The four-valued status the panel and the summaries use: every status before the end is Running. */
export function runStatusOf(status: RunModelStatus): RunStatus {
  return isTerminal(status) ? status : 'Running';
}

/** A cloud job's `properties.status` (REST) as a run-model status; undefined for one that says nothing new. */
export function statusFromRest(raw: string): RunModelStatus | undefined {
  switch (raw) {
    case 'NotStarted':
    case 'Queued':
    case 'Preparing':
    case 'Running':
    case 'Finalizing':
    case 'Completed':
    case 'Failed':
    case 'Canceled':
      return raw;
    case 'Starting':
    case 'Provisioning':
      return 'Preparing';
    case 'CancelRequested':
      return 'Finalizing';
    default:
      // NotResponding, Paused, Unknown: the job is still where it was.
      return undefined;
  }
}

/** The local engine's summary (summary.json) when `outcome` is one: what only a local run has (results format, records). */
export function localSummaryOf(outcome: RunOutcome): RunSummary | undefined {
  const o = outcome as Partial<RunSummary>;
  return Array.isArray(o.miniBatches) && typeof o.runDir === 'string' && typeof o.python === 'string' ? (outcome as RunSummary) : undefined;
}
