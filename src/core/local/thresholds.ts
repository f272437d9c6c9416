/** The driver's stop rules: error_threshold, mini_batch_error_threshold, allowed_failed_percent. */
import type { ParallelJob } from '../spec/types';
import type { MiniBatchFailure, RunCounts, ShortReturns } from './types';

export const EXCEEDED = 'Exceeded error threshold.';
export const NO_SUCCEEDED_ITEM = 'There is no succeeded mini batch item returned from run().';

/** Checked after every final failure while running; returns the reason to stop, if any. */
export function thresholdBreach(
  job: Pick<ParallelJob, 'errorThreshold' | 'miniBatchErrorThreshold'>,
  counts: RunCounts,
): string | undefined {
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

/**
 * One sentence for every short return of a run (instead of advice per mini-batch): how many, what the
 * driver counted, and whether error_threshold tolerated them. Scripts that write their own files and return
 * `[]` by design (partitioned training) read why their run still completed.
 */
export function explainShortReturns(
  job: Pick<ParallelJob, 'errorThreshold'>,
  failures: readonly MiniBatchFailure[],
  stoppedBy?: string,
): ShortReturns | undefined {
  const short = failures.filter((f) => f.reason === 'short_return');
  if (short.length === 0) return undefined;
  const items = short.reduce((n, f) => n + (f.failedItems ?? 0), 0);
  const batches = `${short.length} mini-batch${short.length === 1 ? '' : 'es'}`;
  const empty = short.every((f) => /^run\(\) returned 0 result/.test(f.error.message));
  const what = empty ? `run() returned an empty list in ${batches}` : `run() returned fewer results than items in ${batches}`;
  const counted = `the driver counts the ${items} item(s) without a result as failed`;
  let verdict: string;
  let fix = '';
  if (stoppedBy === NO_SUCCEEDED_ITEM) {
    verdict = "with append_row_to set, a run without any result fails (the driver's rule)";
    fix = '; remove append_row_to if the script writes its own output, or return one result per item';
  } else if (job.errorThreshold === -1) {
    // Only a completed run reads "lets the run complete"; a run that ended for another reason says less.
    verdict = stoppedBy ? 'error_threshold -1 tolerates them' : 'error_threshold -1 lets the run complete';
  } else {
    verdict =
      stoppedBy?.startsWith(EXCEEDED) && stoppedBy.includes('error_threshold is')
        ? `that is more than error_threshold ${job.errorThreshold}, which stopped the run`
        : `error_threshold ${job.errorThreshold} allows up to ${job.errorThreshold} failed item(s)`;
    fix = '; return one result per item, or set error_threshold: -1 if the script writes its own output';
  }
  return { miniBatches: short.length, items, explanation: `${what}; ${counted}; ${verdict}${fix}.` };
}
