/** The driver's stop rules: error_threshold, mini_batch_error_threshold, allowed_failed_percent. */
import type { ParallelJob } from '../spec/types';
import type { RunCounts } from './types';

export const EXCEEDED = 'Exceeded error threshold.';
export const NO_SUCCEEDED_ITEM = 'There is no succeeded mini batch item returned from run().';

/** Checked after every final failure while running; returns the reason to stop, if any. */
export function thresholdBreach(job: Pick<ParallelJob, 'errorThreshold' | 'miniBatchErrorThreshold'>, counts: RunCounts): string | undefined {
  if (job.errorThreshold !== -1 && counts.items.failed > job.errorThreshold) {
    return `${EXCEEDED} ${counts.items.failed} items failed and error_threshold is ${job.errorThreshold}.`;
  }
  if (job.miniBatchErrorThreshold !== -1 && counts.miniBatches.failed > job.miniBatchErrorThreshold) {
    return `${EXCEEDED} ${counts.miniBatches.failed} mini-batches failed and mini_batch_error_threshold is ${job.miniBatchErrorThreshold}.`;
  }
  return undefined;
}

/**
 * Checked once every mini-batch has ended: allowed_failed_percent (of mini-batches, as the driver counts it
 * after all are scheduled), then the append_row rule that a job with no succeeded item fails.
 */
export function finalVerdict(
  job: Pick<ParallelJob, 'driver'> & { task: Pick<ParallelJob['task'], 'appendRowTo'> },
  counts: RunCounts,
): { status: 'Completed' | 'Failed'; reason?: string } {
  const total = counts.miniBatches.total;
  const percent = total === 0 ? 0 : (100 * counts.miniBatches.failed) / total;
  if (percent > job.driver.allowedFailedPercent) {
    return {
      status: 'Failed',
      reason: `${EXCEEDED} ${percent.toFixed(1)}% of mini-batches failed and --allowed_failed_percent is ${job.driver.allowedFailedPercent}.`,
    };
  }
  if (job.task.appendRowTo && counts.items.succeeded === 0) {
    return { status: 'Failed', reason: NO_SUCCEEDED_ITEM };
  }
  return { status: 'Completed' };
}
