// What following a cloud job reports: close to the local engine's RunEvent (start/progress/log/end) so the run model
// can show a cloud job and a local run the same way.
import type { Job } from '../resources/types';

/** Mini-batch progress of a parallel step, as its progress files say (fields the files do not give are absent). */
export interface CloudProgress {
  miniBatches: { total?: number; succeeded: number; failed: number; retried?: number };
  items?: { total?: number; succeeded: number; failed: number };
}

/** The first real error of a job: the user's exception, where it was raised, and the log file it came from. */
export interface CloudJobError {
  /** `ModuleNotFoundError: No module named 'helper'` (the exception line), or the service's message. */
  message: string;
  /** The exception type when the error is a Python exception. */
  type?: string;
  /** The user's frame: the deepest one outside Python's and the driver's own files, as the cloud named it. */
  frame?: { file: string; line: number; function?: string };
  /** The same file on this machine (the local code folder file whose path ends the frame's), when known. */
  localFile?: string;
  /** The traceback as written in the log. */
  traceback?: string;
  /** Step (node) name whose log holds it; absent for the pipeline job's own error. */
  step?: string;
  /** Artifact path of the log it was lifted from (`logs/user/error/node0/process000.txt`), or `run details`. */
  logFile: string;
}

export type CloudJobEvent =
  /** Following began: the job as the service has it and its studio page. */
  | { type: 'start'; job: Job; studioUrl: string; time: string }
  /**
   * A status change of the pipeline job (`step` absent) or of one of its steps (`step` = node name). `time` is
   * when the change was seen; the first status of each is reported too.
   */
  | { type: 'status'; status: string; previous?: string; step?: string; runId: string; time: string }
  /**
   * New complete lines of one log file since the last event for it (never a line twice; a partial last line waits
   * for its newline, or for the end). `file` is the name `az ml job stream` prints (`user_logs/std_log.txt`,
   * `logs/azureml/executionlogs.txt`, or a tailed step artifact such as `logs/user/stdout/node0/process000.stdout.txt`).
   */
  | { type: 'log'; file: string; lines: string[]; step?: string; runId: string }
  /** Mini-batch progress of a parallel step changed; `line` is the progress file's own wording when it has one. */
  | { type: 'progress'; step: string; runId: string; progress: CloudProgress; source: string; line?: string }
  /** The first real error was found (during the run, e.g. a failed init, or at the end); reported once. */
  | { type: 'error'; error: CloudJobError }
  /** A poll failed after its retries (throttling, a service error): following goes on at the next poll. */
  | { type: 'warning'; message: string }
  /**
   * The job reached a terminal status and every log was read to its end. `outputs`: output name → its datastore
   * URI (`azureml://datastores/<ds>/paths/azureml/<job>/<output>/` when the job gave no path).
   */
  | { type: 'end'; status: string; job: Job; studioUrl: string; error?: CloudJobError; outputs: Record<string, string>; time: string };

export const terminalJobStatuses = new Set(['Completed', 'Failed', 'Canceled', 'NotResponding', 'Paused']);
