/** Run events and summaries as the engine emits them, for the panel's tests. */
import type { MiniBatchFailure, RunCounts, RunEvent, RunSummary } from '../../../src/core/local/types';
import type { RunModelEvent } from '../../../src/core/runs/model';
import { modelEventsOf } from '../../../src/core/runs/local-run';

export function counts(done: number, total: number, failed = 0): RunCounts {
  return {
    miniBatches: { total, succeeded: done - failed, failed, running: 0, retried: 0 },
    items: { succeeded: (done - failed) * 10, failed: failed * 10 },
  };
}

export function failure(index: number, attempt = 1, final = true): MiniBatchFailure {
  return {
    index,
    attempt,
    worker: 'node0/process000',
    reason: 'exception',
    items: [`/data/${index}.png`],
    error: {
      type: 'ZeroDivisionError',
      message: 'division by zero',
      traceback: `Traceback (most recent call last):\n  File "/code/score.py", line 12, in run\n    1/0\nZeroDivisionError: division by zero`,
      frames: [{ file: '/code/score.py', line: 12, function: 'run' }],
    },
    final,
  };
}

export function startEvent(runDir = '/runs/r1'): RunEvent {
  return { type: 'start', runDir, nodeName: 'score', specFile: '/p/pipeline.yml', workers: 2, counts: counts(0, 10) };
}

export const start = startEvent();

export function summary(overrides: Partial<RunSummary> = {}): RunSummary {
  return {
    status: 'Completed',
    specFile: '/p/pipeline.yml',
    nodeName: 'score',
    runDir: '/runs/r1',
    outputFile: '/runs/r1/outputs/results/out.txt',
    logsDir: '/runs/r1/logs',
    python: '/usr/bin/python3',
    startedAt: '2025-01-01T00:00:00.000Z',
    endedAt: '2025-01-01T00:00:05.000Z',
    durationMs: 5000,
    workers: 2,
    counts: counts(10, 10),
    failures: [],
    warnings: [],
    miniBatches: [],
    ...overrides,
  };
}

/** Something that takes run-model events: the panel's RunState or RunPanel. */
interface ModelSink {
  apply?(event: RunModelEvent): void;
  post?(event: RunModelEvent): void;
}

/** Feeds one engine event to the panel the way a local run does: through the run model (LocalRun's translation). */
export function feedLocal(sink: ModelSink, event: RunEvent): void {
  for (const e of modelEventsOf(event)) (sink.apply ?? sink.post)!.call(sink, e);
}
