// The full follower (logs, progress, the first real error) in the shape the run panel and the Jobs tree fold
// (core/azure/submit/job-events.ts): what `followCloudJob` reports, reduced to status / log / progress / error / end.
import type { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import type { CloudJobEvent, CloudJobFollower } from '../submit/job-events';
import { terminalJobStatuses, type CloudJobError } from './events';
import { followCloudJob, type FollowCloudJobOptions } from './follow';

/** "ModuleNotFoundError: No module named 'helper' (score.py:3)": the error and the user's line. */
export function errorHeadline(error: CloudJobError): string {
  const where = error.frame ? ` (${error.frame.file.split('/').pop()}:${error.frame.line})` : '';
  return `${error.step ? `${error.step}: ` : ''}${error.message}${where}`;
}

/** The seam's error event: the headline, the local file:line when mapped, and the log to open otherwise. */
export function errorEvent(error: CloudJobError): Extract<CloudJobEvent, { type: 'error' }> {
  const local = error.localFile && error.frame ? { file: error.localFile, line: error.frame.line } : undefined;
  return {
    type: 'error',
    message: errorHeadline(error),
    file: error.localFile ?? error.logFile,
    ...(error.logFile && error.logFile !== 'run details' ? { logFile: error.logFile } : {}),
    ...(error.step ? { step: error.step } : {}),
    ...(local ? { line: local.line } : {}),
  };
}

/** Follows a job with `followCloudJob`, reporting seam events until it ends or `signal` stops following. */
export function fullFollower(
  ml: AzureMachineLearningWorkspaces,
  o: Pick<FollowCloudJobOptions, 'fastestIntervalSeconds' | 'localCodeDirs' | 'userLogs' | 'sleep' | 'now'> = {},
): CloudJobFollower {
  return async (ref, onEvent, signal) => {
    for await (const e of followCloudJob({ ...o, ml, ws: ref.ws, name: ref.name, signal })) {
      switch (e.type) {
        case 'status':
          // The pipeline's terminal status arrives as `end`; a step's status changes read as a log line.
          if (e.step) onEvent({ type: 'log', lines: [`${e.step}: ${e.status}`], source: 'status' });
          else if (!terminalJobStatuses.has(e.status)) onEvent({ type: 'status', status: e.status, at: e.time });
          break;
        case 'log':
          onEvent({ type: 'log', lines: e.lines, source: e.step ? `${e.step}/${e.file}` : e.file });
          break;
        case 'progress': {
          const mb = e.progress.miniBatches;
          if (mb.total !== undefined)
            onEvent({
              type: 'progress',
              total: mb.total,
              succeeded: mb.succeeded,
              failed: mb.failed,
              ...(mb.retried !== undefined ? { retried: mb.retried } : {}),
              ...(e.progress.items ? { items: { ...e.progress.items } } : {}),
            });
          break;
        }
        case 'error':
          onEvent(errorEvent(e.error));
          break;
        case 'warning':
          onEvent({ type: 'log', lines: [e.message], source: 'warning' });
          break;
        case 'end':
          if (e.error) onEvent(errorEvent(e.error));
          onEvent({ type: 'end', status: e.status, at: e.time, job: e.job });
          break;
        default:
          break;
      }
    }
  };
}
