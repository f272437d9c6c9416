import * as assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { PipelineReporter } from '../../../src/cli/pipeline-progress';
import type { PipelineRunSummary } from '../../../src/core/pipeline';

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

const summary: PipelineRunSummary = {
  kind: 'pipeline',
  status: 'Failed',
  reason: 'Step `prep` failed: the command exited with code 2',
  specFile: '/w/p.yml',
  pipelineName: 'p',
  runDir: '/w/.parallel-run/runs/p-1',
  startedAt: '',
  endedAt: '',
  durationMs: 1200,
  nodes: [
    { name: 'prep', type: 'command', status: 'Failed', durationMs: 1200, runDir: '/w/.parallel-run/runs/p-1/prep', outputs: {} },
    {
      name: 'score',
      type: 'parallel',
      status: 'Skipped',
      reason: 'Not run: step `prep` failed.',
      runDir: '/w/.parallel-run/runs/p-1/score',
      outputs: {},
    },
  ],
  outputs: {},
  notes: [],
};

test("a command's output is shown line by line with its step's name, a last unfinished line at its end", () => {
  const { out, text } = sink();
  const reporter = new PipelineReporter(out, false);
  reporter.onEvent({ type: 'nodeStart', node: 'prep', nodeType: 'command', runDir: '/r/prep', command: 'python prep.py\n--k 1' });
  reporter.onEvent({ type: 'nodeLog', node: 'prep', stream: 'stdout', text: 'one\ntw' });
  reporter.onEvent({ type: 'nodeLog', node: 'prep', stream: 'stdout', text: 'o\nthree' });
  reporter.onEvent({ type: 'nodeEnd', node: summary.nodes[0] });
  assert.equal(text(), '\n== prep (command): python prep.py --k 1\n[prep] one\n[prep] two\n[prep] three\nprep: Failed in 1.2 s\n');
});

test('the closing table lists every step with its status, and the run folder last', () => {
  const { out, text } = sink();
  new PipelineReporter(out, false).onEvent({ type: 'pipelineEnd', summary });
  const lines = text().trim().split('\n');
  assert.equal(lines[0], 'Pipeline p: Failed: Step `prep` failed: the command exited with code 2');
  assert.match(lines[1], /^ {2}prep +command +Failed +1\.2 s +\/w\/\.parallel-run\/runs\/p-1\/prep$/);
  assert.match(lines[2], /^ {2}score +parallel +Skipped +Not run: step `prep` failed\.$/);
  assert.equal(lines[3], 'Run: /w/.parallel-run/runs/p-1');
});
