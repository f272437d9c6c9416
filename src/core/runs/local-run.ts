/**
 * A local run as a run model: the engine's events (runLocal's `onEvent`) turned into the model's, and its
 * summary.json as the outcome with the headline failure. The CLI, the extension and the pipeline runner feed
 * it; the surfaces only see the model.
 */
import * as path from 'node:path';
import type { RunEvent, RunSummary } from '../local/types';
import { EventRun } from './event-run';
import { failureHeadline, groupFailures, userFrame } from '../../shared/headline';
import type { RunFailure, RunIdentity, RunModelEvent } from './model';

export interface LocalRunOptions {
  /** The entry script's code folder: frames inside it are the user's lines. */
  codeDir?: string;
  /** Where in a pipeline the run is ("step 2/3"). */
  step?: string;
}

/** The identity of the local run in `runDir` of `nodeName`. */
export function localIdentity(runDir: string, nodeName: string, specFile: string, step?: string): RunIdentity {
  return { kind: 'local', id: path.resolve(runDir), displayName: nodeName, specFile, node: nodeName, runDir, ...(step ? { step } : {}) };
}

/** One engine event as run-model events (an `end` becomes the headline failure, when it failed, then the end). */
export function modelEventsOf(event: RunEvent, options: LocalRunOptions = {}): RunModelEvent[] {
  switch (event.type) {
    case 'start':
      return [
        {
          type: 'start',
          run: localIdentity(event.runDir, event.nodeName, event.specFile, options.step),
          startedAt: new Date().toISOString(),
          workers: event.workers,
          counts: event.counts,
        },
      ];
    case 'log':
      return [{ type: 'log', source: event.worker, stream: event.stream, text: event.text }];
    case 'end': {
      const headline = event.summary.status === 'Failed' ? localFailure(event.summary, options.codeDir) : undefined;
      const outcome = headline ? { ...event.summary, headline } : event.summary;
      return headline
        ? [
            { type: 'failure', failure: headline },
            { type: 'end', outcome },
          ]
        : [{ type: 'end', outcome }];
    }
    default:
      return [event];
  }
}

/**
 * The headline failure of a failed local run: the first real error with the user's line, from job_error.txt;
 * else the error that stopped it before any mini-batch (init, import) or its reason, from job_result.txt.
 */
export function localFailure(summary: RunSummary, codeDir?: string): RunFailure | undefined {
  const headline = failureHeadline(summary, { codeDir });
  if (headline) {
    const failure: RunFailure = { error: headline.error, scope: headline.scope, logFile: path.join(summary.logsDir, 'job_error.txt') };
    if (headline.frame) Object.assign(failure, { file: headline.frame.file, line: headline.frame.line });
    if (headline.reason) failure.reason = headline.reason;
    return failure;
  }
  const logFile = path.join(summary.logsDir, 'job_result.txt');
  if (summary.error) {
    const message = summary.error.message.split('\n', 1)[0].trim();
    const failure: RunFailure = { error: message ? `${summary.error.type}: ${message}` : summary.error.type, logFile };
    const frame = userFrame({ error: summary.error }, codeDir);
    if (frame) Object.assign(failure, { file: frame.file, line: frame.line });
    if (summary.reason && summary.reason.trim() !== failure.error) failure.reason = summary.reason.trim();
    return failure;
  }
  return summary.reason ? { error: summary.reason.trim(), logFile } : undefined;
}

/** The worker whose attempt stands for the headline error (its log files hold the traceback). */
export function headlineWorker(summary: RunSummary, codeDir?: string): string | undefined {
  return groupFailures(summary.failures, { codeDir })[0]?.latest.worker;
}

/** A local run's model: fed the engine's events; `cancel` aborts the engine. */
export class LocalRun extends EventRun {
  /** The user asked to stop it (its end is then no news to tell). */
  canceledByUser = false;
  readonly abort: AbortController;

  constructor(
    identity: RunIdentity,
    private readonly options: LocalRunOptions = {},
    abort = new AbortController(),
  ) {
    super(identity, () => {
      this.canceledByUser = true;
      abort.abort();
    });
    this.abort = abort;
  }

  /** One engine event. */
  feed(event: RunEvent): void {
    for (const e of modelEventsOf(event, this.options)) this.emit(e);
  }

  /** The engine's summary, for a run that ended without an `end` event (it never started: `summary` undefined). */
  finish(summary?: RunSummary): void {
    if (this.outcome) return;
    if (summary) this.feed({ type: 'end', summary });
  }

  /** The local summary (summary.json) once it ended. */
  get summary(): RunSummary | undefined {
    return this.outcome as RunSummary | undefined;
  }
}
