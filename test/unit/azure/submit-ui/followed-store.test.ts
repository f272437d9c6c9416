// The jobs a window follows survive a reload: remembered in workspaceState until they end, read back only when
// well-formed, one entry per job, and never holding a token or a signed URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FollowedJobs, type StateMemento } from '../../../../src/vscode/azure/submit/followed-store';
import { FOLLOWED_KEY, type FollowedJob } from '../../../../src/vscode/azure/submit/host';

function memento(initial: Record<string, unknown> = {}): StateMemento & { data: Record<string, unknown> } {
  const data = { ...initial };
  return {
    data,
    get: <T>(key: string) => data[key] as T | undefined,
    update: async (key: string, value: unknown) => {
      // VS Code stores JSON: what survives a reload is what survives a round trip.
      data[key] = JSON.parse(JSON.stringify(value));
    },
  };
}

const job = (name: string, extra: Partial<FollowedJob> = {}): FollowedJob => ({
  ws: { subscriptionId: 'sub', resourceGroup: 'RG', workspace: 'ws' },
  name,
  specFile: '/w/pipeline.yml',
  nodeName: 'digit_identification',
  compute: 'cpu-cluster',
  overrides: ['mini_batch_size=1'],
  submittedAt: '2026-01-01T10:00:00.000Z',
  studioUrl: `https://ml.azure.com/runs/${name}`,
  estimate: { wallSeconds: 60, nodeHours: 0.03, nodes: 2 },
  ...extra,
});

test('followed jobs are remembered until they end, and a new window reads them back as they were', async () => {
  const state = memento();
  const store = new FollowedJobs(state);
  await store.remember(job('a'));
  await store.remember(job('b'));
  await store.remember(job('a', { compute: 'gpu-cluster' }));
  // After a reload: a new store over the same storage.
  const again = new FollowedJobs(state);
  assert.deepEqual(
    again.list().map((j) => `${j.name}@${j.compute}`),
    ['b@cpu-cluster', 'a@gpu-cluster'],
  );
  assert.deepEqual(again.list()[1], job('a', { compute: 'gpu-cluster' }));
  await again.forget({ ws: { subscriptionId: 'sub', resourceGroup: 'rg', workspace: 'ws' }, name: 'b' });
  assert.deepEqual(
    new FollowedJobs(state).list().map((j) => j.name),
    ['a'],
  );
});

test('what is stored holds names and numbers only: extra fields (a token) are dropped, broken entries ignored', async () => {
  const state = memento({ [FOLLOWED_KEY]: [{ name: 'broken' }, 'nonsense', job('ok')] });
  const store = new FollowedJobs(state);
  assert.deepEqual(
    store.list().map((j) => j.name),
    ['ok'],
  );
  await store.remember({
    ...job('t'),
    accessToken: 'eyJhbGciOi.secret',
    studioUrl: 'https://acct.blob.core.windows.net/c?sig=abc',
  } as FollowedJob);
  const text = JSON.stringify(state.data);
  assert.ok(!text.includes('eyJhbGciOi'), text);
  assert.ok(!text.includes('sig='), 'no signed URL');
  assert.ok(text.includes('"name":"t"'));
});
