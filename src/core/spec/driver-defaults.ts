/**
 * The PRS driver's defaults, in one table: what a parallel node gets for each setting its spec leaves out
 * (/work/shared/reference/parallel-run-semantics.md; docs/semantics.md). The spec reader applies them, the
 * driver-option hovers and the scaffold templates show them: none of them holds its own copy.
 */
export const DRIVER_DEFAULTS = {
  /** mini_batch_size of a files input: this many files. */
  miniBatchFiles: 10,
  /** mini_batch_size of a tabular input: about this many bytes, written as `miniBatchBytesText`. */
  miniBatchBytes: 1024 * 1024,
  miniBatchBytesText: '1MB',
  /** Failed items allowed; -1 ignores failures. */
  errorThreshold: -1,
  /** Failed mini-batches allowed; -1 ignores failures. */
  miniBatchErrorThreshold: -1,
  loggingLevel: 'INFO',
  /** resources.instance_count. */
  instanceCount: 1,
  /** retry_settings.max_retries: retries after the first try. */
  maxRetries: 2,
  /** retry_settings.timeout: seconds per run() call (v1 run_invocation_timeout). */
  timeout: 60,
  // The driver's own options (task.program_arguments).
  appendRowFileName: 'parallel_run_step.txt',
  allowedFailedPercent: 100,
  taskOverheadTimeout: 30,
  /** -1: 3 × (timeout + task_overhead_timeout). */
  progressUpdateTimeout: -1,
  firstTaskCreationTimeout: 600,
  appendRowDataframeHeader: false,
} as const;
