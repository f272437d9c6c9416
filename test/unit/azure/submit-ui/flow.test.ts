// The Submit flow's prompt steps with a scripted prompter and the real spec reader: the spec's compute comes
// first, the estimate is shown with its assumptions, changed nodes and mini-batch size become overrides that
// the spec reader checks and the estimate uses, and giving up at any step submits nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadSpec } from '../../../../src/core/spec/load';
import type { Compute } from '../../../../src/core/azure/resources/types';
import { estimateJob, EstimateError } from '../../../../src/core/azure/submit/estimate';
import type { JobEstimate } from '../../../../src/core/azure/submit/estimate-inputs';
import {
  planSubmit,
  SubmitFlowError,
  miniBatchSizeProblem,
  nodesProblem,
  type EstimateScreen,
  type SubmitFlowDeps,
  type SubmitPrompter,
} from '../../../../src/vscode/azure/submit/flow';
import type { ParallelJob } from '../../../../src/core/spec/types';
import { project } from '../submit/fixture';

const ws = { subscriptionId: 'sub', resourceGroup: 'rg', workspace: 'ws' };
const cluster = (name: string): Compute => ({
  kind: 'cluster',
  name,
  id: `/c/${name}`,
  provisioningState: 'Succeeded',
  vmSize: 'STANDARD_DS3_V2',
  minNodes: 0,
  maxNodes: 4,
  errors: [],
});
const computes: Compute[] = [
  cluster('gpu-cluster'),
  { kind: 'instance', name: 'dev-instance', id: '/c/dev', errors: [] } as unknown as Compute,
  cluster('cpu-cluster'),
];

/** A prompter that answers from a script and records what it was shown. */
function scripted(answers: {
  compute?: string;
  confirm: ('submit' | 'change' | undefined)[];
  changes?: { nodes: number; miniBatchSize: string }[];
}) {
  const shown = { computes: [] as string[][], screens: [] as EstimateScreen[], changes: [] as { nodes: number; miniBatchSize: string }[] };
  const p: SubmitPrompter = {
    pickCompute: async (choices) => {
      shown.computes.push(choices.map((c) => `${c.name}${c.preselected ? '*' : ''}`));
      return answers.compute;
    },
    confirm: async (screen) => {
      shown.screens.push(screen);
      return answers.confirm.shift();
    },
    askChanges: async (current) => {
      shown.changes.push(current);
      return answers.changes?.shift();
    },
  };
  return { p, shown };
}

function deps(dir: string, extra: Partial<SubmitFlowDeps> = {}) {
  const loaded: string[][] = [];
  const estimated: { job: ParallelJob; nodes: number }[] = [];
  const d: SubmitFlowDeps = {
    workspace: async () => ws,
    computes: async () => computes,
    loadJob: async (overrides) => {
      loaded.push(overrides);
      return (await loadSpec(path.join(dir, 'pipeline.yml'), { overrides, cwd: dir })).parallelNodes[0];
    },
    // One second per file, measured on 4 files: the estimate follows the job's nodes and mini-batch size.
    estimate: async (job, nodes): Promise<JobEstimate> => {
      estimated.push({ job, nodes });
      const e = estimateJob({
        measured: {
          miniBatches: [
            { index: 0, status: 'succeeded', seconds: 4, items: 4, succeeded: 4, attempts: 1, data: {} as never, partitionKeyValue: {} },
          ],
        },
        kind: 'files',
        inputSize: 2,
        miniBatchSize: job.miniBatchSize,
        nodes,
        processesPerNode: job.maxConcurrencyPerInstance,
        pricePerNodeHour: 3,
      });
      return { ...e, measuredIn: '/runs/1', nodes, processesPerNode: job.maxConcurrencyPerInstance, miniBatchSize: job.miniBatchSize };
    },
    pricePerNodeHour: 3,
    ...extra,
  };
  return { d, loaded, estimated };
}

test("the spec's compute is offered first among the clusters, the estimate shows its figures and assumptions, Submit plans with no override", async () => {
  const dir = project();
  const { d } = deps(dir);
  const { p, shown } = scripted({ compute: 'cpu-cluster', confirm: ['submit'] });
  const plan = await planSubmit(d, p, { singleNode: true });
  assert.deepEqual(shown.computes, [['cpu-cluster*', 'gpu-cluster']], "clusters only, the spec's first");
  const screen = shown.screens[0];
  assert.equal(screen.title, 'Submit score to cpu-cluster in ws');
  assert.match(screen.summary, /^about 2 s wall time · 0\.0011 node-hours · 1 mini-batches on 2 node\(s\) × 2 · cost 0\.00$/);
  assert.ok(screen.assumptions.some((a) => /Each file takes 1 s/.test(a)));
  assert.ok(screen.assumptions.some((a) => /Cluster scale-up, image build and job preparation are not included/.test(a)));
  assert.ok(screen.assumptions.some((a) => /Measured in the local run \/runs\/1/.test(a)));
  assert.deepEqual(plan && { compute: plan.compute, overrides: plan.overrides, nodes: plan.nodes }, {
    compute: 'cpu-cluster',
    overrides: [],
    nodes: 2,
  });
});

test('"Change nodes or mini-batch size…" becomes overrides the spec reader checks, and the estimate is made again with them', async () => {
  const dir = project();
  const { d, loaded, estimated } = deps(dir);
  const { p, shown } = scripted({ compute: 'gpu-cluster', confirm: ['change', 'submit'], changes: [{ nodes: 4, miniBatchSize: '1' }] });
  const plan = await planSubmit(d, p, { singleNode: true });
  assert.deepEqual(shown.changes, [{ nodes: 2, miniBatchSize: '5' }], 'the current values are offered');
  assert.deepEqual(loaded.at(-1), ['resources.instance_count=4', 'mini_batch_size=1']);
  assert.equal(estimated.at(-1)!.nodes, 4);
  assert.equal(estimated.at(-1)!.job.miniBatchSize, 1);
  assert.match(shown.screens[1].summary, /2 mini-batches on 4 node\(s\) × 2/);
  assert.deepEqual(plan?.overrides, ['resources.instance_count=4', 'mini_batch_size=1']);
  assert.equal(plan?.compute, 'gpu-cluster');
  assert.equal(plan?.nodes, 4);
});

test('in a spec with several parallel nodes the overrides name the node', async () => {
  const dir = project();
  const { d, loaded } = deps(dir);
  const { p } = scripted({ compute: 'cpu-cluster', confirm: ['change', 'submit'], changes: [{ nodes: 3, miniBatchSize: '5' }] });
  const plan = await planSubmit(d, p, { singleNode: false });
  assert.deepEqual(plan?.overrides, ['jobs.score.resources.instance_count=3']);
  assert.deepEqual(loaded.at(-1), ['jobs.score.resources.instance_count=3']);
});

test("the tree's compute node preselects the compute: no compute is asked", async () => {
  const dir = project();
  const { d } = deps(dir);
  const { p, shown } = scripted({ confirm: ['submit'] });
  const plan = await planSubmit(d, p, { preselectCompute: 'gpu-cluster', singleNode: true });
  assert.equal(shown.computes.length, 0);
  assert.equal(plan?.compute, 'gpu-cluster');
});

test('with no local run the screen says why there is no estimate and Submit still works', async () => {
  const dir = project();
  const { d } = deps(dir, {
    estimate: async () => {
      throw new EstimateError('Node score has no local run to measure: run it locally first (a run on a sample of 3 is enough).');
    },
  });
  const { p, shown } = scripted({ compute: 'cpu-cluster', confirm: ['submit'] });
  const plan = await planSubmit(d, p, { singleNode: true });
  assert.equal(
    shown.screens[0].summary,
    'No estimate: Node score has no local run to measure: run it locally first (a run on a sample of 3 is enough).',
  );
  assert.equal(plan?.estimate, undefined);
  assert.equal(plan?.compute, 'cpu-cluster');
});

test('giving up at the workspace, the compute or the estimate plans nothing', async () => {
  const dir = project();
  assert.equal(
    await planSubmit(deps(dir, { workspace: async () => undefined }).d, scripted({ confirm: [] }).p, { singleNode: true }),
    undefined,
  );
  const atCompute = scripted({ compute: undefined, confirm: ['submit'] });
  const e = deps(dir);
  assert.equal(await planSubmit(e.d, atCompute.p, { singleNode: true }), undefined);
  assert.equal(e.estimated.length, 0, 'no estimate after the compute was refused');
  assert.equal(
    await planSubmit(deps(dir).d, scripted({ compute: 'cpu-cluster', confirm: [undefined] }).p, { singleNode: true }),
    undefined,
  );
});

test('a workspace without a cluster says how to create one', async () => {
  const dir = project();
  await assert.rejects(
    planSubmit(deps(dir, { computes: async () => [computes[1]] }).d, scripted({ confirm: [] }).p, { singleNode: true }),
    (err: unknown) => {
      assert.ok(err instanceof SubmitFlowError);
      assert.match(err.message, /Workspace ws has no compute cluster.*az ml compute create --type AmlCompute/);
      return true;
    },
  );
});

test('typed node counts and mini-batch sizes are checked with the fix to write', () => {
  assert.equal(nodesProblem('4'), undefined);
  assert.match(nodesProblem('0')!, /whole number of nodes from 1/);
  assert.match(nodesProblem('two')!, /e\.g\. 2/);
  assert.equal(miniBatchSizeProblem('10'), undefined);
  assert.equal(miniBatchSizeProblem('100kb'), undefined);
  assert.equal(miniBatchSizeProblem('10MB'), undefined);
  assert.match(miniBatchSizeProblem('-1')!, /100kb/);
});
