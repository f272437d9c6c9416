import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { findPipelineSpecs, listLocalRuns, pipelineShape, readLocalRun } from '../../../src/core/workspace';
import { writeTree, yaml } from '../spec/fixture';

const PIPELINE = yaml(
  'type: pipeline', // 0
  'display_name: p', // 1
  'jobs:', // 2
  '  prep:', // 3
  '    type: command', // 4
  '    command: echo hi', // 5
  '  score:', // 6
  '    type: parallel', // 7
  '  tune:', // 8
  '    type: sweep', // 9
);

test('a pipeline with a command step has a jobs: line and its steps with their kinds', () => {
  assert.deepEqual(pipelineShape(PIPELINE), {
    jobsLine: 2,
    steps: [
      { name: 'prep', line: 3, type: 'command' },
      { name: 'score', line: 6, type: 'parallel' },
      { name: 'tune', line: 8, type: 'sweep' },
    ],
  });
});

test('a file with a single parallel node, a component or no jobs is not a whole-pipeline spec', () => {
  assert.equal(pipelineShape(yaml('type: pipeline', 'jobs:', '  score:', '    type: parallel')), undefined);
  assert.equal(pipelineShape(yaml('type: command', 'command: echo', 'jobs: 1')), undefined);
  assert.equal(pipelineShape(yaml('name: x')), undefined);
  assert.notEqual(pipelineShape(yaml('jobs:', '  a:', '    command: echo a')), undefined);
});

test('pipeline specs in a folder are found by their steps, not their names', async () => {
  const dir = writeTree({ 'b.yml': PIPELINE, 'a.yaml': yaml('type: parallel'), 'notes.txt': PIPELINE });
  assert.deepEqual(await findPipelineSpecs(dir), [path.join(dir, 'b.yml')]);
});

test('local runs list pipeline runs with their steps beside single-node runs, newest first', async () => {
  const counts = {
    miniBatches: { total: 1, succeeded: 1, failed: 0, running: 0, retried: 0 },
    items: { total: 1, succeeded: 1, failed: 0 },
  };
  const node = { status: 'Completed', counts, startedAt: '2026-12-01T10:00:00.000Z', runDir: '' };
  const dir = writeTree({
    'runs/single/summary.json': JSON.stringify(node),
    'runs/pipe/summary.json': '',
    'runs/pipe/score/summary.json': JSON.stringify({ ...node, startedAt: '2026-12-01T11:00:01.000Z' }),
    'runs/half/': '',
  });
  const runs = path.join(dir, 'runs');
  const pipelineSummary = {
    kind: 'pipeline',
    status: 'Completed',
    specFile: path.join(dir, 'p.yml'),
    pipelineName: 'p',
    runDir: path.join(runs, 'pipe'),
    startedAt: '2026-12-01T11:00:00.000Z',
    endedAt: '2026-12-01T11:00:05.000Z',
    durationMs: 5000,
    nodes: [
      { name: 'prep', type: 'command', status: 'Completed', runDir: path.join(runs, 'pipe', 'prep'), outputs: {} },
      { name: 'score', type: 'parallel', status: 'Completed', runDir: path.join(runs, 'pipe', 'score'), outputs: {} },
    ],
    outputs: {},
    notes: [],
  };
  writeFileSync(path.join(runs, 'pipe', 'summary.json'), JSON.stringify(pipelineSummary));
  const listed = await listLocalRuns(runs);
  assert.deepEqual(
    listed.map((r) => [r.kind, path.basename(r.runDir)]),
    [
      ['pipeline', 'pipe'],
      ['node', 'single'],
    ],
  );
  const pipe = await readLocalRun(path.join(runs, 'pipe'));
  assert.equal(pipe?.kind, 'pipeline');
  if (pipe?.kind === 'pipeline') {
    assert.deepEqual(
      pipe.steps.map((s) => [s.step.name, s.summary?.status]),
      [
        ['prep', undefined],
        ['score', 'Completed'],
      ],
    );
  }
});
