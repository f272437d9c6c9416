/**
 * core/azure/follow: follow a submitted job as `az ml job stream` does, as events (see events.ts for each one):
 *
 * - `start`     the job as the service has it and its studio link;
 * - `status`    a status change of the pipeline job or of a step (`step` = node name), with the time it was seen;
 * - `log`       new complete lines of one log file (`user_logs/std_log.txt`, `logs/azureml/executionlogs.txt`,
 *               per-process user logs on demand): only the new ones, read by byte offset;
 * - `progress`  a parallel step's mini-batches processed / failed / total, from its progress files;
 * - `error`     the first real error, lifted out of job_result.txt, job_error.txt and logs/user/error/*, with the
 *               user's file:line and the log it came from;
 * - `warning`   a poll failed after retries (throttling, 5xx): following goes on;
 * - `end`       the final status, the headline error, and where the outputs are.
 */
export { followCloudJob, followIntervalSeconds, streamableLogs, CloudJobFollower, type FollowCloudJobOptions } from './follow';
export { terminalJobStatuses, type CloudJobEvent, type CloudJobError, type CloudProgress } from './events';
export { liftError, firstTraceback, userFrameOf, localFileFor } from './error';
export { progressFromOverview, progressFromProgressCsv, ProcessedMiniBatches } from './progress';
export { readFrom, takeLines, type TailState } from './log-tail';
export { cancelJob } from '../resources/jobs';
