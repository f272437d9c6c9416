// Create/resize/delete compute as prompt steps answered by a script, against the HTTPS fake ARM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClusterAction, deleteComputeAction, resizeClusterAction } from '../../../../src/vscode/azure/actions/compute';
import { ActionCancelled, runAction } from '../../../../src/vscode/azure/actions/wizard';
import type { ComputeCluster } from '../../../../src/core/azure/resources/types';
import { useActionBed } from './bed';
import { ENTER, ESC, ScriptedUi, type Answer } from './scripted-ui';

const bed = useActionBed();

const create = (script: Answer[]) => {
  const ui = new ScriptedUi(script);
  return { ui, run: () => runAction(createClusterAction(bed.target), {}, ui) };
};

test('Create compute cluster: every step asked in order, the cluster created and followed to Succeeded', async () => {
  bed.fake.resetCounts();
  const { ui, run } = create(['batch-cpu', 'Standard_DS3_v2', ENTER, '4', '300', 'Low priority']);
  const r = await run();
  assert.ok(r.done);
  const c = r.value as ComputeCluster;
  assert.deepEqual(
    [c.name, c.provisioningState, c.vmSize, c.vmPriority, c.minNodes, c.maxNodes, c.idleSecondsBeforeScaleDown],
    ['batch-cpu', 'Succeeded', 'Standard_DS3_v2', 'LowPriority', 0, 4, 300],
  );
  assert.deepEqual(
    ui.asked.map((a) => [a.kind, a.title]),
    [
      ['input', 'Create compute cluster (1/6)'],
      ['pick', 'Create compute cluster (2/6)'],
      ['input', 'Create compute cluster (3/6)'],
      ['input', 'Create compute cluster (4/6)'],
      ['input', 'Create compute cluster (5/6)'],
      ['pick', 'Create compute cluster (6/6)'],
    ],
  );
  // The region's sizes, with cores and memory; defaults as azure-ai-ml's.
  const sizes = ui.asked[1];
  assert.deepEqual(sizes.offered, ['Standard_DS11_v2', 'Standard_DS3_v2', 'Standard_NC6']);
  assert.deepEqual([ui.asked[2].offered, ui.asked[3].offered, ui.asked[4].offered], ['0', '1', '120']);
  assert.deepEqual(
    ui.shown.map((p) => [p.title, p.reports]),
    [['Creating compute cluster batch-cpu', ['Creating', 'Succeeded']]],
  );
  assert.match(ui.infos[0], /batch-cpu is ready: Standard_DS3_v2, 0–4 nodes, low priority/);
  assert.equal(bed.fake.calls('computes.put'), 1);
  assert.equal(bed.fake.calls('vmSizes.list'), 1);
});

test('the VM size step shows cores, memory and GPUs', async () => {
  const { ui } = create(['gpu-x', 'Standard_NC6', ESC]);
  await assert.rejects(runAction(createClusterAction(bed.target), {}, ui), ActionCancelled);
  // ScriptedUi keeps labels only; the item text is built by vmSizeItem.
  const { vmSizeItem } = await import('../../../../src/vscode/azure/actions/compute');
  assert.deepEqual(
    vmSizeItem({ name: 'Standard_NC6', vCPUs: 6, memoryGB: 56, gpus: 1, family: 'standardNCFamily', lowPriorityCapable: true }),
    {
      label: 'Standard_NC6',
      description: '6 cores · 56 GB RAM · 1 GPU',
      detail: 'standardNCFamily · low priority available',
      value: { name: 'Standard_NC6', vCPUs: 6, memoryGB: 56, gpus: 1, family: 'standardNCFamily', lowPriorityCapable: true },
    },
  );
});

test('an invalid name is refused as typed, an existing one after entry; min/max checked against each other', async () => {
  const { ui, run } = create(['9lives', 'a_b', 'cpu-cluster', 'ok-name', 'Standard_DS11_v2', '2', '1', 'x', '3', ENTER, 'Dedicated']);
  const r = await run();
  assert.ok(r.done && r.value.kind === 'cluster' && r.value.minNodes === 2 && r.value.maxNodes === 3);
  const [nameStep] = ui.asked;
  assert.deepEqual(
    nameStep.rejected.map((x) => x.value),
    ['9lives', 'a_b'],
  );
  assert.match(nameStep.rejected[0].problem, /must start with a letter/);
  assert.match(nameStep.rejected[1].problem, /contains "_"/);
  // cpu-cluster passes the rules but exists: asked again, and now refused as typed.
  const again = ui.asked[1];
  assert.equal(again.kind, 'input');
  assert.equal(again.offered, 'cpu-cluster');
  assert.match(again.validate?.('cpu-cluster') ?? '', /already exists/);
  const maxStep = ui.asked.find((a) => a.text.startsWith('Maximum nodes'))!;
  assert.deepEqual(
    maxStep.rejected.map((x) => x.value),
    ['1', 'x'],
  );
  assert.match(maxStep.rejected[0].problem, /at least 2/);
});

test('Escape at each step creates nothing', async () => {
  const full: Answer[] = ['esc-test', 'Standard_DS3_v2', ENTER, ENTER, ENTER, 'Dedicated'];
  for (let at = 0; at < full.length; at++) {
    bed.fake.resetCounts();
    const script: Answer[] = [...full.slice(0, at), ESC];
    const { ui, run } = create(script);
    await assert.rejects(run(), ActionCancelled, `Escape at step ${at + 1}`);
    assert.equal(ui.remaining, 0);
    assert.equal(bed.fake.calls('computes.put'), 0, `nothing created after Escape at step ${at + 1}`);
    assert.equal(ui.shown.length, 0);
  }
});

test('a provisioning failure ends with the service reason; the failed cluster is left for the tree to show', async () => {
  bed.fake.nextProvisioningFailure = { code: 'QuotaExceeded', message: 'Not enough quota for Standard_NC6 in eastus.' };
  const { ui, run } = create(['no-quota', 'Standard_NC6', ENTER, ENTER, ENTER, 'Dedicated']);
  await assert.rejects(
    run(),
    (e: Error) =>
      /QuotaExceeded\W+Not enough quota for Standard_NC6/.test(e.message) &&
      /delete it \(right-click it → Delete…\), fix the cause/.test(e.message),
  );
  assert.deepEqual(ui.shown[0].reports, ['Creating']);
  assert.equal(ui.infos.length, 0);
});

test('a 409 conflict is said with the service message; a 429 is retried and the cluster created', async () => {
  bed.fake.inject('computes.put', {
    status: 409,
    code: 'Conflict',
    message: 'Compute busy-one is still being created; wait for that operation to finish.',
  });
  await assert.rejects(
    create(['busy-one', 'Standard_DS3_v2', ENTER, ENTER, ENTER, 'Dedicated']).run(),
    (e: Error & { status?: number }) => e.status === 409 && /still being created/.test(e.message),
  );
  bed.fake.clearFaults();
  bed.fake.resetCounts();
  bed.fake.inject('computes.put', { status: 429, retryAfter: 0 });
  const r = await create(['throttled', 'Standard_DS3_v2', ENTER, ENTER, ENTER, 'Dedicated']).run();
  assert.ok(r.done && r.value.provisioningState === 'Succeeded');
  assert.equal(bed.fake.calls('computes.put'), 2, 'one 429, then the retry');
});

test('Cancel on the progress stops following and says the cluster is still being created', async () => {
  const { ui, run } = create(['followed', 'Standard_DS3_v2', ENTER, ENTER, ENTER, 'Dedicated']);
  ui.cancelAfterReports = 1;
  const r = await run();
  assert.equal(r.done, false);
  assert.match(ui.infos[0], /Stopped following followed: it is still being created in Azure/);
});

test('Resize asks min and max (current values proposed) and follows the update; Delete confirms naming the cluster', async () => {
  const cluster = (await bed.target.api.getCompute(bed.ml, bed.ws, 'batch-cpu')) as ComputeCluster;
  const ui = new ScriptedUi([ENTER, '6']);
  const r = await runAction(resizeClusterAction(bed.target, cluster), {}, ui);
  assert.deepEqual([ui.asked[0].offered, ui.asked[1].offered], ['0', '4']);
  assert.ok(r.done && r.value.kind === 'cluster' && r.value.maxNodes === 6);
  assert.match(ui.infos[0], /batch-cpu now scales between 0 and 6 nodes/);

  bed.fake.resetCounts();
  const esc = new ScriptedUi([ESC]);
  await assert.rejects(runAction(deleteComputeAction(bed.target, cluster), {}, esc), ActionCancelled);
  assert.match(esc.asked[0].text, /Delete compute cluster "batch-cpu" from workspace local-ws\?/);
  assert.equal(bed.fake.calls('computes.delete'), 0, 'Escape deletes nothing');

  const yes = new ScriptedUi([true]);
  const d = await runAction(deleteComputeAction(bed.target, cluster), {}, yes);
  assert.ok(d.done);
  assert.deepEqual(yes.shown[0].reports, ['Deleting', 'Deleted']);
  await assert.rejects(bed.target.api.getCompute(bed.ml, bed.ws, 'batch-cpu'), (e: { status?: number }) => e.status === 404);
});
