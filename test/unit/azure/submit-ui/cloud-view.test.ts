// A cloud job as the panel and the Jobs tree show it: the follower's events fold into a status timeline, the
// first real error and estimate vs actual; a status change updates only that job's row in the tree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudJobView } from '../../../../src/core/azure/submit/job-view';
import { runStatusOf } from '../../../../src/core/azure/submit/job-events';
import { errorEvent } from '../../../../src/core/azure/follow/seam';
import type { Job, Subscription, Workspace } from '../../../../src/core/azure/resources/types';
import { TreeModel } from '../../../../src/vscode/tree/framework/tree-model';
import type { TreeNode } from '../../../../src/vscode/tree/framework/node';
import { WorkspaceNode, type TreeContext } from '../../../../src/vscode/azure/nodes';
import { computeOfRow, jobOfRow, jobsFolderOf, tenantOfWorkspace, updateJobRows } from '../../../../src/vscode/azure/submit/tree-rows';
import { followedJobOf } from '../../../../src/vscode/azure/submit/host';

test('statuses fold into a timeline; the end measures the actual from Running and prices it as the estimate was', () => {
  const v = new CloudJobView(
    {
      jobName: 'j1',
      workspace: 'ws',
      status: 'NotStarted',
      submittedAt: '2026-01-01T10:00:00Z',
      estimate: { wallSeconds: 100, nodeHours: 0.0556, nodes: 2 },
    },
    3,
  );
  assert.equal(v.runStatus, 'Running');
  assert.equal(v.apply({ type: 'status', status: 'Queued', at: '2026-01-01T10:00:10Z' }), true);
  assert.equal(v.apply({ type: 'status', status: 'Queued', at: '2026-01-01T10:00:12Z' }), false, 'the same status twice is one step');
  v.apply({ type: 'status', status: 'Running', at: '2026-01-01T10:01:00Z' });
  v.apply({ type: 'progress', total: 10, succeeded: 4, failed: 1 });
  assert.deepEqual(v.progress, { total: 10, succeeded: 4, failed: 1 });
  assert.equal(v.apply({ type: 'error', message: 'ValueError: boom', file: 'logs/user/error/0.txt' }), true);
  assert.equal(v.apply({ type: 'error', message: 'a later error' }), false, 'the first real error stays the headline');
  v.apply({
    type: 'end',
    status: 'Failed',
    at: '2026-01-01T10:04:00Z',
    job: { name: 'j1', id: '', jobType: 'Pipeline', status: 'Failed', studioUrl: 'https://ml.azure.com/runs/j1' },
  });
  const h = v.header;
  assert.deepEqual(
    h.timeline.map((t) => t.status),
    ['NotStarted', 'Queued', 'Running', 'Failed'],
  );
  assert.equal(h.error?.message, 'ValueError: boom');
  assert.equal(h.studioUrl, 'https://ml.azure.com/runs/j1');
  assert.deepEqual(h.actual, { wallSeconds: 180, nodeHours: 0.1, cost: 0.30000000000000004 });
  assert.equal(v.runStatus, 'Failed');
  assert.equal(v.elapsedMs(), 240_000, 'from the submit to the end');
});

test("service statuses map to the panel's: in progress until the job ends", () => {
  for (const s of ['NotStarted', 'Starting', 'Provisioning', 'Preparing', 'Queued', 'Running', 'Finalizing', 'CancelRequested', 'Unknown'])
    assert.equal(runStatusOf(s), 'Running', s);
  assert.equal(runStatusOf('Completed'), 'Completed');
  assert.equal(runStatusOf('Failed'), 'Failed');
  assert.equal(runStatusOf('NotResponding'), 'Failed');
  assert.equal(runStatusOf('Canceled'), 'Canceled');
});

const sub: Subscription = { subscriptionId: 'sub-1', tenantId: 'tenant-1', displayName: 'Sub', state: 'Enabled' };
const workspace: Workspace = {
  subscriptionId: 'sub-1',
  resourceGroup: 'My-RG',
  workspace: 'ws',
  id: '/subscriptions/sub-1/resourceGroups/My-RG/providers/Microsoft.MachineLearningServices/workspaces/ws',
};
const job = (name: string, status: string): Job => ({ name, id: name, jobType: 'Pipeline', status });

async function loadedTree() {
  const ctx = {
    clients: {
      access: { api: async () => ({ jobPages: () => async () => ({ items: [job('a', 'Running'), job('b', 'Completed')] }) }) },
      mlFor: async () => ({}),
    },
  } as unknown as TreeContext;
  const wsNode = new WorkspaceNode(ctx, sub, workspace);
  const model = new TreeModel({ roots: async () => [wsNode] });
  const [w] = await model.children();
  const folders = await model.children(w);
  const jobs = folders.find((f) => f.id.endsWith('/jobs'))!;
  const rows = await model.children(jobs);
  return { model, rows, jobs };
}

test("a followed job's new status changes its row alone: the Jobs folder is not loaded again", async () => {
  const { model, rows } = await loadedTree();
  const fired: (TreeNode | undefined)[] = [];
  model.onDidChange((n) => fired.push(n));
  // Resource group names are case-insensitive in ARM.
  assert.equal(
    updateJobRows(model, { subscriptionId: 'sub-1', resourceGroup: 'my-rg', workspace: 'ws' }, { name: 'a', status: 'Completed' }),
    1,
  );
  assert.deepEqual(fired, [rows[0]]);
  assert.match(rows[0].view().description!, /^Completed/);
  assert.equal(rows[0].view().icon, 'pass');
  assert.equal(
    updateJobRows(model, { subscriptionId: 'sub-1', resourceGroup: 'My-RG', workspace: 'ws' }, { name: 'a', status: 'Completed' }),
    0,
    'unchanged: no event',
  );
  assert.equal(
    updateJobRows(model, { subscriptionId: 'sub-1', resourceGroup: 'My-RG', workspace: 'other' }, { name: 'b', status: 'Failed' }),
    0,
    "another workspace's job of the same name",
  );
  assert.equal(fired.length, 1);
});

test('tree rows name their workspace, compute and tenant for the Submit commands', async () => {
  const { model, rows, jobs } = await loadedTree();
  const ws = { subscriptionId: 'sub-1', resourceGroup: 'My-RG', workspace: 'ws' };
  assert.equal(jobsFolderOf(model, ws), jobs);
  assert.equal(tenantOfWorkspace(model, ws), 'tenant-1');
  assert.deepEqual(computeOfRow({ id: 'azure/sub-1/My-RG/ws/computes/cpu-cluster' }), { ws, compute: 'cpu-cluster' });
  assert.equal(computeOfRow({ id: 'azure/sub-1/My-RG/ws/computes/#empty' }), undefined);
  assert.deepEqual(jobOfRow(rows[1]), { ws, job: job('b', 'Completed'), tenantId: 'tenant-1' });
});

test('a remembered job is read back only when well-formed, and never keeps a studio link that is not https', () => {
  const ok = {
    ws: { subscriptionId: 's', resourceGroup: 'r', workspace: 'w' },
    name: 'j',
    specFile: '/p/s.yml',
    nodeName: 'n',
    compute: 'c',
    overrides: ['a=1', 3],
    studioUrl: 'javascript:alert(1)',
  };
  const back = followedJobOf(ok)!;
  assert.deepEqual(back.overrides, ['a=1']);
  assert.equal(back.studioUrl, undefined);
  assert.equal(followedJobOf({ ...ok, ws: { subscriptionId: 's' } }), undefined);
  assert.equal(followedJobOf(null), undefined);
});

test("the headline error keeps what opens it: the user's local file:line, else the job's log and its step", () => {
  const local = errorEvent({
    message: "ModuleNotFoundError: No module named 'helper'",
    type: 'ModuleNotFoundError',
    frame: { file: '/mnt/azureml/cr/j/abc/exe/wd/score.py', line: 3 },
    localFile: '/home/u/proj/src/score.py',
    step: 'score',
    logFile: 'logs/user/error/node0/process000.txt',
  });
  assert.deepEqual(local, {
    type: 'error',
    message: "score: ModuleNotFoundError: No module named 'helper' (score.py:3)",
    file: '/home/u/proj/src/score.py',
    logFile: 'logs/user/error/node0/process000.txt',
    step: 'score',
    line: 3,
  });
  const v = new CloudJobView({ jobName: 'j', workspace: 'ws' });
  v.apply(local);
  assert.deepEqual(v.header.error, {
    message: local.message,
    file: '/home/u/proj/src/score.py',
    logFile: 'logs/user/error/node0/process000.txt',
    step: 'score',
    line: 3,
  });
  // Not mapped to a local file: the log opens (no line); the service's own error has no file to open.
  const remote = errorEvent({
    message: 'ValueError: bad',
    frame: { file: '/mnt/x/score.py', line: 9 },
    step: 'score',
    logFile: 'logs/job_error.txt',
  });
  assert.equal(remote.file, 'logs/job_error.txt');
  assert.equal(remote.line, undefined);
  assert.equal(remote.logFile, 'logs/job_error.txt');
  const service = errorEvent({ message: 'UserError: compute not found', logFile: 'run details' });
  assert.equal(service.logFile, undefined);
  assert.equal(service.file, 'run details');
});
