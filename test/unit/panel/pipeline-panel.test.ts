/** A pipeline's run panel: one per pipeline spec, the steps first, the selected step below, step actions. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { HostMessage, PipelineView } from '../../../src/shared/protocol';
import { installFakeVscode, panels, Uri } from './fake-vscode';
import { pipelineRun, RUN, SPEC } from './pipeline-events';

installFakeVscode();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { RunPanel } = require('../../../src/vscode/panel/run-panel') as typeof import('../../../src/vscode/panel/run-panel');

const extensionUri = Uri.file('/ext') as never;

function open(specFile = SPEC, runDir = RUN) {
  const panel = RunPanel.createOrShow(extensionUri, { specFile, nodeName: 'digits', runDir, pipeline: true });
  const fake = panels[panels.length - 1];
  fake.fromPage({ type: 'ready' });
  fake.take();
  return { panel, fake };
}

const lastPipeline = (messages: unknown[]): PipelineView | undefined =>
  (messages as HostMessage[]).filter((m): m is Extract<HostMessage, { type: 'pipeline' }> => m.type === 'pipeline').at(-1)?.pipeline;

test('one panel per pipeline spec, apart from the panels of its single nodes', () => {
  const { panel } = open('/w/one.yml', `${RUN}-a`);
  assert.equal(
    RunPanel.createOrShow(extensionUri, { specFile: '/w/one.yml', nodeName: 'digits', runDir: `${RUN}-b`, pipeline: true }),
    panel,
  );
  const node = RunPanel.createOrShow(extensionUri, { specFile: '/w/one.yml', nodeName: 'digits', runDir: `${RUN}-c` });
  assert.notEqual(node, panel);
  node.dispose();
  panel.dispose();
});

test('the page gets the pipeline before the selected parallel step run view, and the title names the pipeline', () => {
  const { panel, fake } = open();
  for (const e of pipelineRun({ prepare: 0, score: 'failed' })) panel.postPipeline(e);
  const messages = fake.take() as HostMessage[];
  const pipeline = lastPipeline(messages)!;
  assert.equal(pipeline.status, 'Failed');
  assert.equal(pipeline.selected, 'score');
  assert.deepEqual(
    pipeline.steps.map((s) => s.status),
    ['completed', 'failed', 'skipped'],
  );
  const snapshot = (messages.filter((m) => m.type === 'snapshot').at(-1) as Extract<HostMessage, { type: 'snapshot' }>).state;
  assert.equal(snapshot.run.runDir, `${RUN}/score`);
  assert.equal(snapshot.failures.length, 2);
  assert.ok(messages.findIndex((m) => m.type === 'pipeline') < messages.findIndex((m) => m.type === 'snapshot'));
  assert.match(fake.title, /^digits · Failed/);
  panel.dispose();
});

test('selecting a command step sends the pipeline with it selected; an unknown step changes nothing', () => {
  const { panel, fake } = open();
  for (const e of pipelineRun({ prepare: 0, score: 'ok', summarize: 0 })) panel.postPipeline(e);
  fake.take();
  fake.fromPage({ type: 'action', action: { kind: 'selectStep', step: 'prepare' } });
  const pipeline = lastPipeline(fake.take())!;
  assert.equal(pipeline.selected, 'prepare');
  assert.deepEqual(
    pipeline.steps[0].log?.lines.map((l) => l.text),
    ['writing 10 files'],
  );
  fake.fromPage({ type: 'action', action: { kind: 'selectStep', step: '../../etc' } });
  assert.equal(lastPipeline(fake.take()), undefined);
  panel.dispose();
});

test('Open Logs of a step asks the host with the path from its own state; the page cannot name a path', async () => {
  const { panel, fake } = open();
  const asked: { action: string; path?: string; pipelineRunDir?: string }[] = [];
  panel.onDidRequestAction((a) => asked.push(a));
  for (const e of pipelineRun({ prepare: 0, score: 'ok', summarize: 0 })) panel.postPipeline(e);
  fake.fromPage({ type: 'action', action: { kind: 'openStepLogs', step: 'prepare' } });
  fake.fromPage({ type: 'action', action: { kind: 'openStepOutput', step: 'score' } });
  fake.fromPage({ type: 'action', action: { kind: 'openStepLogs', step: 'nope' } });
  fake.fromPage({ type: 'action', action: { kind: 'rerun' } });
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(
    asked.map((a) => [a.action, a.path, a.pipelineRunDir]),
    [
      ['openStepLogs', `${RUN}/prepare/user_logs/std_log.txt`, RUN],
      ['openStepOutput', `${RUN}/score/outputs/results/parallel_run_step.txt`, RUN],
      ['rerun', undefined, RUN],
    ],
  );
  panel.dispose();
});
