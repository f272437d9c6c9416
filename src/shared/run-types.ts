/**
 * The run types both sides of the run panel read (host and page), and the CLI and the engine write: a run's
 * status and counts, a Python error as the worker reports it. Browser-safe: no Node, no vscode.
 */

export type RunStatus = 'Running' | 'Completed' | 'Failed' | 'Canceled';

/** A Python error as the worker reports it (see python/PROTOCOL.md `Err`). */
export interface WorkerError {
  type: string;
  message: string;
  traceback?: string;
  frames?: { file: string; line: number; function: string }[];
  /** The deepest of `frames` inside the code folder (task.code): the line to open first. */
  location?: { file: string; line: number; function: string };
  /** What kind of failure it is, when the engine acts on it (set by the worker or the engine, never read from `message`). */
  cause?: WorkerCause;
  /** `missing_module`: the module Python could not import, as it named it (`sklearn.linear_model`). */
  module?: string;
}

/**
 * Causes the engine and the extension act on (python/PROTOCOL.md `Err.cause`): start-up errors a retry cannot
 * fix, a missing package to install, run() returning neither a list nor a DataFrame, a mini-batch past its time.
 */
export type WorkerCause =
  'syntax_error' | 'missing_module' | 'import_error' | 'entry_script_missing' | 'no_run_function' | 'return_type' | 'timeout';

/** Why an attempt of a mini-batch did not succeed. */
export type FailureReason =
  | 'exception' // run() raised, or the data could not be read
  | 'return_type' // run() returned something else than a list or DataFrame
  | 'timeout' // the watchdog ended the worker past timeout + task_overhead_timeout
  | 'crash' // the worker process died (segfault, os._exit, killed)
  | 'short_return'; // run() returned fewer results than items: the rest count as failed items

export interface RunCounts {
  miniBatches: {
    total: number;
    succeeded: number;
    failed: number;
    running: number;
    retried: number;
    /**
     * Set in the run's final counts (0 when every mini-batch ended): mini-batches a stopped or canceled run
     * never began, and ones it stopped while a worker was on them (in flight, or waiting for a retry).
     * total = succeeded + failed + notStarted + interrupted.
     */
    notStarted?: number;
    interrupted?: number;
  };
  items: { total?: number; succeeded: number; failed: number };
}

/** The statuses a run goes through: the cloud's (a local run uses Running and the three terminal ones). See core/runs/model.ts. */
export type RunModelStatus = 'NotStarted' | 'Queued' | 'Preparing' | 'Running' | 'Finalizing' | 'Completed' | 'Failed' | 'Canceled';

/** One entry of a run's timeline: a status and when it was first seen (ISO 8601). */
export interface StatusChange {
  status: RunModelStatus;
  at: string;
}

/** The headline failure: the first real error, where in the user's code, and the log file it came from. */
export interface RunFailure {
  /** `ValueError: boom`. */
  error: string;
  /** The user's file and line, when the error names one. */
  file?: string;
  line?: number;
  /** The log file the error was read from (a local path, or a cloud job's path in its run). */
  logFile?: string;
  /** What it hit: `in 2 mini-batches (10 items)`. */
  scope?: string;
  /** The run-level reason, when it says more than `error`. */
  reason?: string;
}
