/** The CLI's last lines: the final counts once, no output file that was not written, errors located. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { ProgressReporter } from '../../../src/cli/progress';
import { printSummary } from '../../../src/cli/summary';
import { modelEventsOf } from '../../../src/core/runs/local-run';
import type { RunCounts, RunSummary } from '../../../src/core/local/types';

/** What a terminal progress line ends with before it is redrawn. */
const ERASE_LINE = '\x1b[K';

function sink(): { out: Writable; text: () => string } {
  let text = '';
  const out = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  return { out, text: () => text };
}

const counts = (done: number): RunCounts => ({
  miniBatches: { total: 4, succeeded: done, failed: 0, running: 0, retried: 0 },
  items: { total: 8, succeeded: 2 * done, failed: 0 },
});

function summary(over: Partial<RunSummary>): RunSummary {
  return {
    status: 'Completed',
    specFile: '/w/pipeline.yml',
    nodeName: 'score',
    runDir: '/w/run',
    logsDir: '/w/run/logs',
    python: 'python3',
    startedAt: '2026-01-01T00:00:00.000Z',
    endedAt: '2026-01-01T00:00:03.000Z',
    durationMs: 3000,
    workers: 2,
    counts: { ...counts(4), miniBatches: { ...counts(4).miniBatches, notStarted: 0, interrupted: 0 } },
    failures: [],
    warnings: [],
    miniBatches: [],
    ...over,
  };
}

for (const tty of [false, true]) {
  test(`the final counts are printed once (${tty ? 'terminal' : 'plain output'})`, () => {
    const { out, text } = sink();
    const reporter = new ProgressReporter(out, tty);
    for (const e of modelEventsOf({
      type: 'start',
      runDir: '/w/run',
      nodeName: 'score',
      specFile: '/w/pipeline.yml',
      workers: 2,
      counts: counts(0),
    }))
      reporter.onEvent(e);
    reporter.onEvent({ type: 'progress', counts: counts(2), elapsedMs: 2500 });
    reporter.onEvent({ type: 'progress', counts: counts(4), elapsedMs: 3000, final: true });
    reporter.finish();
    printSummary(out, summary({}));
    // What stays on screen: a terminal's \r and erase-line remove the bar before the summary.
    const screen = text()
      .split('\n')
      .map((line) => line.split('\r').at(-1)!.replaceAll(ERASE_LINE, ''))
      .filter((line) => line.trim() !== '');
    const finalLines = screen.filter((l) => /\b4\/4 mini-batches|Processed 4 of 4/.test(l));
    assert.deepEqual(finalLines, [
      'Processed 4 of 4 mini-batches (4 succeeded, 0 failed, 0 retried); items: 8 succeeded, 0 failed of 8; elapsed 3.0 s',
    ]);
  });
}

test('a failed run without output names no output file, and its error points at the user frame', () => {
  const { out, text } = sink();
  printSummary(
    out,
    summary({
      status: 'Failed',
      reason: "Importing the entry script failed (not retried: the same error would come back): SyntaxError: '(' was never closed",
      error: {
        type: 'SyntaxError',
        message: "'(' was never closed",
        frames: [{ file: '/w/src/score.py', line: 2, function: '<module>' }],
        location: { file: '/w/src/score.py', line: 2, function: '<module>' },
      },
      counts: { ...counts(0), miniBatches: { ...counts(0).miniBatches, notStarted: 4, interrupted: 0 } },
    }),
  );
  assert.match(
    text(),
    /^\nFailed: Importing the entry script failed .*SyntaxError: '\(' was never closed\n {2}at \/w\/src\/score\.py:2 in <module>\nProcessed 0 of 4 mini-batches \(0 succeeded, 0 failed, 0 retried\); 4 not processed \(4 never started, 0 interrupted\);/,
  );
  assert.doesNotMatch(text(), /Output:/);
  assert.match(text(), /\nLogs: \/w\/run\/logs\n$/);
});

test('the same start-up error on every worker is printed once', () => {
  const { out, text } = sink();
  const reporter = new ProgressReporter(out, false);
  for (const worker of ['node0/process000', 'node0/process001']) {
    reporter.onEvent({ type: 'worker', worker, state: 'init_failed', detail: 'SyntaxError: invalid syntax (score.py, line 2)' });
    reporter.onEvent({ type: 'worker', worker, state: 'retired' });
  }
  assert.equal(text().match(/SyntaxError/g)?.length, 1);
  assert.equal(text().match(/retired/g)?.length, 2);
});

test('a failed run leads with the first real error, the user line and what it hit, then the driver reason', () => {
  const { out, text } = sink();
  const error = { type: 'ValueError', message: 'boom', frames: [{ file: '/w/src/score.py', line: 87, function: 'run' }] };
  printSummary(
    out,
    summary({
      status: 'Failed',
      reason: 'There is no succeeded mini batch item returned from run().',
      failures: [0, 1].map((index) => ({
        index,
        attempt: 1,
        worker: 'node0/process000',
        reason: 'exception' as const,
        final: true,
        items: ['a.png', 'b.png'],
        error,
      })),
    }),
  );
  assert.equal(
    text().split('\n')[1],
    'Failed: ValueError: boom at /w/src/score.py:87, in 2 mini-batches (4 items). There is no succeeded mini batch item returned from run().',
  );
});
