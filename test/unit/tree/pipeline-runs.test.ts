/** The Local Runs view's rows for a pipeline run: one item under its spec, its steps below, a failed parallel step's mini-batches. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { fakeVscode, installFakeVscode } from '../panel/fake-vscode';
import { commandEnd, failedScore, pipelineSummary, RUN, scoreEnd, SPEC } from '../panel/pipeline-events';
import { summary } from '../panel/events';

// The tree items need a few more of VS Code's classes than the panel's fake has.
class TreeItem {
  id?: string;
  description?: string;
  iconPath?: unknown;
  tooltip?: unknown;
  contextValue?: string;
  command?: unknown;
  accessibilityInformation?: unknown;
  constructor(
    readonly label: string,
    readonly collapsibleState: number,
  ) {}
}
class ThemeIcon {
  constructor(
    readonly id: string,
    readonly color?: unknown,
  ) {}
}
class ThemeColor {
  constructor(readonly id: string) {}
}
class MarkdownString {
  value = '';
  constructor(value = '') {
    this.value = value;
  }
  appendMarkdown(text: string) {
    this.value += text;
    return this;
  }
}
Object.assign(fakeVscode, {
  TreeItem,
  ThemeIcon,
  ThemeColor,
  MarkdownString,
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  workspace: { asRelativePath: (p: string) => p, getWorkspaceFolder: () => undefined },
});
installFakeVscode();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tree = require('../../../src/vscode/tree/run-node') as typeof import('../../../src/vscode/tree/run-node');

const failedPipeline = pipelineSummary(
  [
    commandEnd('prepare', 0),
    { ...scoreEnd, status: 'Failed', reason: failedScore.reason },
    {
      name: 'summarize',
      type: 'command',
      status: 'Skipped',
      reason: 'Not run: step `score` failed.',
      runDir: `${RUN}/summarize`,
      outputs: {},
    },
  ],
  'Failed',
);
const steps = failedPipeline.nodes.map((step) => (step.name === 'score' ? { step, summary: failedScore } : { step }));

test('a pipeline run is one item under its spec, next to the runs of a single node of the same spec', () => {
  const pipeline = tree.nodeFromPipeline(failedPipeline, steps);
  const single = tree.nodeFromSummary(
    summary({ specFile: SPEC, runDir: '/w/.parallel-run/runs/score-1', startedAt: '2025-12-01T00:00:00.000Z' }),
  );
  const [spec] = tree.groupRuns([single, pipeline]);
  assert.equal(spec.specFile, SPEC);
  assert.deepEqual(spec.nodes, ['digits', 'score']);
  const groups = tree.childrenOf(spec);
  assert.deepEqual(
    groups.map((g) => (g.kind === 'node' ? `${g.nodeName}:${g.runs.length}` : g.kind)),
    ['digits:1', 'score:1'],
  );
});

test('the pipeline item says which step failed and expands to its steps in order, with status and duration', () => {
  const run = tree.nodeFromPipeline(failedPipeline, steps);
  const item = tree.treeItemFor(run) as unknown as TreeItem;
  assert.equal(item.collapsibleState, 1);
  assert.equal(item.description, 'step score failed · There is no succeeded mini batch item returned from run().');
  const children = tree.childrenOf(run);
  assert.deepEqual(
    children.map((c) => c.kind === 'step' && c.step.name),
    ['prepare', 'score', 'summarize'],
  );
  const rows = children.map((c) => tree.treeItemFor(c) as unknown as TreeItem);
  assert.deepEqual(
    rows.map((r) => r.description),
    [
      'command · completed · 1.2 s',
      'parallel · failed · 5.0 s · ZeroDivisionError: division by zero',
      'command · skipped · Not run: step `score` failed.',
    ],
  );
  assert.deepEqual(
    rows.map((r) => (r.iconPath as ThemeIcon).id),
    ['pass', 'error', 'debug-step-over'],
  );
});

test('a failed parallel step expands to its failed mini-batches, which Debug this mini-batch acts on', () => {
  const run = tree.nodeFromPipeline(failedPipeline, steps);
  const score = tree.childrenOf(run)[1];
  assert.equal((tree.treeItemFor(score) as unknown as TreeItem).collapsibleState, 1);
  const batches = tree.childrenOf(score);
  assert.deepEqual(
    batches.map((b) => b.kind === 'miniBatch' && `${b.runDir}#${b.index}`),
    [`${RUN}/score#0`, `${RUN}/score#1`],
  );
  assert.equal((tree.treeItemFor(batches[0]) as unknown as TreeItem).contextValue, 'parallelRun.failedMiniBatch');
  // A command step has nothing below it.
  assert.deepEqual(tree.childrenOf(tree.childrenOf(run)[0]), []);
});

test('a completed pipeline says how many steps ran and how long it took', () => {
  const done = pipelineSummary([commandEnd('prepare', 0), scoreEnd, commandEnd('summarize', 0)], 'Completed');
  const item = tree.treeItemFor(
    tree.nodeFromPipeline(
      done,
      done.nodes.map((step) => ({ step })),
    ),
  ) as unknown as TreeItem;
  assert.equal(item.description, '3 steps · 9.0 s');
  assert.equal(item.contextValue, 'parallelRun.run.completed');
});
