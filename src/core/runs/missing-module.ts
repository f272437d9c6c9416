/**
 * Recognises a run that failed because the interpreter lacks a package: the worker reports the cause of an
 * import error as a field (`cause: 'missing_module'` with the `module`, or `'import_error'`), in the error that
 * stopped the run (init or import) or in a mini-batch's failure. No message text is read.
 */
import type { RunSummary, WorkerError } from '../local/types';

export interface MissingModule {
  /** The top-level package Python could not import (`numpy`, `sklearn`), when the worker named it. */
  module?: string;
  /** The error's first line: `ModuleNotFoundError: No module named 'numpy'`. */
  message: string;
}

export function missingModule(summary: Pick<RunSummary, 'status' | 'error' | 'failures'>): MissingModule | undefined {
  if (summary.status !== 'Failed') return undefined;
  const errors: WorkerError[] = [...(summary.error ? [summary.error] : []), ...summary.failures.map((f) => f.error)];
  const found = errors.find((e) => e.cause === 'missing_module') ?? errors.find((e) => e.cause === 'import_error');
  if (!found) return undefined;
  const message = `${found.type}: ${found.message.split('\n')[0]}`;
  return found.module ? { module: found.module.split('.')[0], message } : { message };
}
