/** What a local run reports: its events (for the panel and the CLI) and its summary (summary.json). */
import type { MiniBatchData } from './partition/types';

export type { FailureReason, RunCounts, RunStatus, WorkerCause, WorkerError } from '../../shared/run-types';
import type { FailureReason, RunCounts, RunStatus, WorkerError } from '../../shared/run-types';

export interface MiniBatchFailure {
  index: number;
  attempt: number;
  /** `node0/process001`. */
  worker: string;
  reason: FailureReason;
  /** How many items failed (for short returns: items - succeeded). Undefined when never read. */
  failedItems?: number;
  /** The mini-batch's items as a user reads them: file paths, or `file.csv bytes 120-9000`. */
  items: string[];
  error: WorkerError;
  /** True once no more tries are left (or for short returns): it counts toward thresholds. */
  final: boolean;
}

export type RunEvent =
  | { type: 'start'; runDir: string; nodeName: string; specFile: string; workers: number; counts: RunCounts }
  | {
      type: 'worker';
      worker: string;
      state: 'starting' | 'ready' | 'init_failed' | 'exited' | 'restarting' | 'retired';
      pid?: number;
      detail?: string;
    }
  | { type: 'debugListening'; host: string; port: number; worker: string }
  | { type: 'miniBatchStarted'; index: number; attempt: number; worker: string }
  | { type: 'miniBatchDone'; index: number; attempt: number; worker: string; items: number; succeeded: number; seconds: number }
  | { type: 'miniBatchFailed'; failure: MiniBatchFailure; willRetry: boolean }
  /** `final`: the counts once every worker stopped (the summary that follows repeats them). */
  | { type: 'progress'; counts: RunCounts; elapsedMs: number; final?: boolean }
  | { type: 'log'; worker: string; stream: 'stdout' | 'stderr' | 'logger'; text: string }
  | { type: 'warning'; message: string; index?: number }
  | { type: 'end'; summary: RunSummary };

/** One mini-batch as it ended, for processed_mini-batches.csv, the panel and "debug this mini-batch". */
export interface MiniBatchRecord {
  index: number;
  data: MiniBatchData;
  partitionKeyValue: Record<string, string>;
  status: 'succeeded' | 'failed' | 'pending';
  attempts: number;
  items?: number;
  succeeded: number;
  worker?: string;
  seconds?: number;
}

/** run() returned fewer results than items: the driver counts the missing ones as failed items. */
export interface ShortReturns {
  miniBatches: number;
  /** Items counted as failed because no result came back for them. */
  items: number;
  /** E.g. "run() returned fewer results than items in 99 mini-batches; error_threshold -1 lets the run complete." */
  explanation: string;
}

/** summary.json: everything a user or a tool needs to know about a finished run. */
export interface RunSummary {
  status: Exclude<RunStatus, 'Running'>;
  /** Why a run failed or was canceled, in one sentence. */
  reason?: string;
  /** The error behind `reason` when no mini-batch caused it (init() or the import failed): traceback, frames. */
  error?: WorkerError;
  specFile: string;
  nodeName: string;
  runDir: string;
  /** The append_row file (absent for summary_only). */
  outputFile?: string;
  /** The output `append_row_to` writes (absent for summary_only): with no `outputFile`, the run wrote no row. */
  appendRowTo?: string;
  /**
   * What run() returned, so readers know whether output lines are `str(elem)` (list) or `to_csv` rows
   * (dataframe); `mixed` when both happened; absent when run() never returned.
   */
  outputKind?: 'list' | 'dataframe' | 'mixed';
  /** The column names of the DataFrame rows in the output file (when run() returned DataFrames). */
  outputColumns?: string[];
  /** How the output was written (the to_csv keywords the workers used), so readers need no internal files. */
  outputFormat?: { toCsv?: Record<string, unknown>; dataframeHeader: boolean; inputKind: 'files' | 'tabular' };
  logsDir: string;
  python: string;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  workers: number;
  counts: RunCounts;
  /** Every failed attempt, final or retried, in the order they happened. */
  failures: MiniBatchFailure[];
  /**
   * Mini-batches whose run() returned fewer results than items (the `short_return` failures), summed up,
   * with the one sentence that explains them to the user; absent when there were none.
   */
  shortReturns?: ShortReturns;
  warnings: string[];
  miniBatches: MiniBatchRecord[];
}
