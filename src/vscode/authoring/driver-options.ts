/**
 * The PRS driver's own options inside `task.program_arguments`: what each means, its default and its v1
 * name, for hovers. Everything else in program_arguments reaches the entry script's sys.argv. The defaults
 * come from the one table the spec reader applies (core/spec/driver-defaults.ts).
 */
import { DRIVER_DEFAULTS as D } from '../../core/spec/driver-defaults';

export interface DriverOptionDoc {
  type: string;
  default?: string;
  description: string;
  /** The v1 `ParallelRunConfig` parameter with the same effect, when there is one. */
  v1?: string;
}

export const DRIVER_OPTION_DOCS: Readonly<Record<string, DriverOptionDoc>> = {
  '--append_row_file_name': {
    type: 'file name',
    default: D.appendRowFileName,
    description: 'Name of the file in the `append_row_to` output that collects what run() returns. The driver lower-cases it.',
    v1: 'append_row_file_name',
  },
  '--allowed_failed_percent': {
    type: 'number, 0 to 100',
    default: String(D.allowedFailedPercent),
    description: 'Percentage of mini-batches allowed to fail; checked once every mini-batch has been scheduled. 100 never stops the job.',
    v1: 'allowed_failed_percent',
  },
  '--task_overhead_timeout': {
    type: 'integer (seconds)',
    default: String(D.taskOverheadTimeout),
    description:
      'Seconds added to `retry_settings.timeout` for the work around one run() call (reading the mini-batch, writing results) before the watchdog restarts the process.',
  },
  '--progress_update_timeout': {
    type: 'integer (seconds)',
    default: `${D.progressUpdateTimeout}: 3 × (timeout + task_overhead_timeout)`,
    description: 'Seconds the job may go without progress before it is treated as stuck and stopped.',
  },
  '--first_task_creation_timeout': {
    type: 'integer (seconds)',
    default: String(D.firstTaskCreationTimeout),
    description: 'Seconds allowed to create the first mini-batch (listing and splitting the input) before the job fails.',
  },
  '--append_row_dataframe_header': {
    type: 'True | False',
    default: D.appendRowDataframeHeader ? 'True' : 'False',
    description: 'Write the column names of the returned DataFrames once, at the top of the append_row file.',
  },
  '--error_threshold': {
    type: 'integer',
    default: String(D.errorThreshold),
    description: "The argument form of the node's `error_threshold`: failed items allowed before the job stops; -1 ignores failures.",
    v1: 'error_threshold',
  },
  '--mini_batch_error_threshold': {
    type: 'integer',
    default: String(D.miniBatchErrorThreshold),
    description:
      "The argument form of the node's `mini_batch_error_threshold`: failed mini-batches allowed before the job stops; -1 ignores failures.",
    v1: 'allowed_failed_count',
  },
  '--allowed_failed_count': {
    type: 'integer',
    default: String(D.miniBatchErrorThreshold),
    description: 'The v1 name of `mini_batch_error_threshold`, still read by the driver: failed mini-batches allowed before the job stops.',
    v1: 'allowed_failed_count',
  },
  '--resource_monitor_interval': {
    type: 'integer (seconds)',
    description: 'Seconds between the samples of CPU, memory and disk use written under logs/perf/.',
  },
  '--copy_logs_to_parent': {
    type: 'True | False',
    description: "Copy the job's logs to the parent pipeline run.",
  },
};
