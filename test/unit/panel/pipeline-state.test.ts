/** The pipeline panel's state: steps in order with status, the selected step, the failure headline, restore. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { PipelineEvent } from '../../../src/core/pipeline/types';
import { PipelineState } from '../../../src/vscode/panel/pipeline-state';
import { failedScore, pipelineRun, pipelineStart, RUN, scoreSummary, SPEC } from './pipeline-events';

function fold(events: PipelineEvent[], root = '/w'): PipelineState {
  const state = new PipelineState('digits', RUN, SPEC, { root });
  for (const e of events) state.apply(e);
  return state;
}

const statuses = (s: PipelineState) => s.current.steps.map((st) => `${st.name}:${st.status}`);

test('the steps are listed in order, queued, as soon as the pipeline starts', () => {
  const s = fold([pipelineStart]);
  assert.deepEqual(statuses(s), ['prepare:queued', 'score:queued', 'summarize:queued']);
  assert.equal(s.current.status, 'Running');
});

test('the running step is selected and a command step streams its output into its tail', () => {
  const events = pipelineRun({ prepare: 0, score: 'ok', summarize: 0 });
  const s = fold(events.slice(0, 3));
  assert.equal(s.current.selected, 'prepare');
  assert.deepEqual(statuses(s), ['prepare:running', 'score:queued', 'summarize:queued']);
  assert.deepEqual(
    s.current.steps[0].log?.lines.map((l) => l.text),
    ['writing 10 files'],
  );
});

test('a completed pipeline: every step completed with its duration, the exit code of each command, no headline', () => {
  const s = fold(pipelineRun({ prepare: 0, score: 'ok', summarize: 0 }));
  assert.deepEqual(statuses(s), ['prepare:completed', 'score:completed', 'summarize:completed']);
  assert.equal(s.current.status, 'Completed');
  assert.equal(s.current.steps[0].exitCode, 0);
  assert.equal(s.current.steps[1].durationMs, 5000);
  assert.equal(s.current.headline, undefined);
  assert.deepEqual(s.current.notes, ['Step `prepare`: compute, environment are cloud-only and were not applied locally.']);
});

test('a failed command step: the headline names the step, the exception and the user line, and the steps after it are skipped', () => {
  const s = fold(pipelineRun({ prepare: 1 }));
  assert.deepEqual(statuses(s), ['prepare:failed', 'score:skipped', 'summarize:skipped']);
  const h = s.current.headline!;
  assert.equal(h.step, 'prepare');
  assert.equal(h.error, "FileNotFoundError: [Errno 2] No such file or directory: 'digits'");
  // The deepest frame outside Python's library, shown relative to the workspace.
  assert.equal(h.where, 'src/prep.py:9');
  assert.deepEqual(h.frame, { file: '/w/src/prep.py', line: 9 });
  assert.equal(h.detail, 'exit code 1');
  assert.equal(s.current.selected, 'prepare');
  assert.equal(s.isReportedLocation('/w/src/prep.py', 9), true);
  assert.equal(s.isReportedLocation('/etc/passwd', 1), false);
});

test('a failed parallel step: the headline is the run panel headline of that step, and selecting it shows its own run', () => {
  const s = fold(pipelineRun({ prepare: 0, score: 'failed' }));
  assert.deepEqual(statuses(s), ['prepare:completed', 'score:failed', 'summarize:skipped']);
  const h = s.current.headline!;
  assert.equal(h.step, 'score');
  assert.equal(h.error, 'ZeroDivisionError: division by zero');
  assert.equal(h.where, '/code/score.py:12');
  assert.equal(h.detail, 'in 2 mini-batches (2 items)');
  assert.equal(s.current.selected, 'score');
  const run = s.runOf('score')!.current;
  assert.equal(run.run.status, 'Failed');
  assert.equal(run.failures.length, 2);
  assert.equal(s.summaryOf('score'), failedScore);
});

test('a step the user picked stays selected while later steps start', () => {
  const events = pipelineRun({ prepare: 0, score: 'ok', summarize: 0 });
  const s = new PipelineState('digits', RUN, SPEC);
  s.apply(events[0]);
  s.apply(events[1]);
  assert.equal(s.select('prepare'), true);
  for (const e of events.slice(2)) s.apply(e);
  assert.equal(s.current.selected, 'prepare');
  assert.equal(s.select('no-such-step'), false);
});

test('Open Logs and Open Output: a command its std_log.txt and output folder, a parallel step its logs folder and append file', () => {
  const s = fold(pipelineRun({ prepare: 0, score: 'ok', summarize: 0 }));
  assert.deepEqual(s.filesOf('prepare'), {
    runDir: `${RUN}/prepare`,
    logs: `${RUN}/prepare/user_logs/std_log.txt`,
    output: `${RUN}/prepare/outputs/out`,
  });
  assert.deepEqual(s.filesOf('score'), { runDir: `${RUN}/score`, logs: scoreSummary.logsDir, output: scoreSummary.outputFile });
  assert.equal(s.filesOf('nope'), undefined);
  const skipped = fold(pipelineRun({ prepare: 1 }));
  const score = skipped.current.steps.find((st) => st.name === 'score')!;
  assert.equal(score.hasLogs, false);
  assert.equal(score.hasOutput, false);
});

test('a run restored from summary.json shows what the live run showed', () => {
  for (const end of [{ prepare: 1 }, { prepare: 0, score: 'failed' as const }, { prepare: 0, score: 'ok' as const, summarize: 0 }]) {
    const events = pipelineRun(end);
    const live = fold(events);
    const final = events.at(-1)!;
    assert.equal(final.type, 'pipelineEnd');
    if (final.type !== 'pipelineEnd') return;
    const steps = final.summary.nodes.map((step) =>
      step.name === 'score' && step.status !== 'Skipped'
        ? { step, summary: end.score === 'failed' ? failedScore : scoreSummary }
        : { step },
    );
    const logs: Record<string, string> = {};
    for (const e of events) if (e.type === 'nodeLog') logs[e.node] = (logs[e.node] ?? '') + e.text;
    const restored = PipelineState.fromSummary(final.summary, steps, logs, { root: '/w' });
    assert.deepEqual(statuses(restored), statuses(live));
    assert.deepEqual(restored.current.headline, live.current.headline);
    assert.equal(restored.current.selected, live.current.selected);
  }
});

test('a command frame under the real path of a linked workspace is shown and opened as the workspace path', () => {
  const events = pipelineRun({ prepare: 1 }).map((e) =>
    e.type === 'nodeLog' ? { ...e, text: e.text.replace(/"\/w\//g, '"/real/w/') } : e,
  );
  const s = new PipelineState('digits', RUN, SPEC, { root: '/w', realRoot: '/real/w' });
  for (const e of events) s.apply(e);
  assert.equal(s.current.headline?.where, 'src/prep.py:9');
  assert.deepEqual(s.current.headline?.frame, { file: '/w/src/prep.py', line: 9 });
});
