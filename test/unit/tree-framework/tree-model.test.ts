// The tree framework's model: every load ends in rows (children, empty, error + Retry, sign-in, Load more),
// refreshes cancel stale loads, and nothing waits on a fixed sleep.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TreeModel } from '../../../src/vscode/tree/framework/tree-model';
import { MessageNode, TREE_COMMAND, type NodePage, type TreeNode } from '../../../src/vscode/tree/framework/node';

const leaf = (id: string): TreeNode => ({ id, view: () => ({ label: id, collapsible: 'none' }) });

/** A load the test answers when it wants: no timers. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

function folder(id: string, load: (signal: AbortSignal) => Promise<TreeNode[]>, empty?: TreeNode['empty']): TreeNode {
  return { id, view: () => ({ label: 'Datastores', collapsible: 'collapsed' }), children: load, empty };
}

const labels = (nodes: TreeNode[]) => nodes.map((n) => n.view().label);
const kinds = (nodes: TreeNode[]) => nodes.map((n) => n.view().contextValue ?? 'item');

test('children load once and are kept until a refresh', async () => {
  let calls = 0;
  const f = folder('ws/datastores', async () => (calls++, [leaf('a'), leaf('b')]));
  const model = new TreeModel({ roots: async () => [f] });
  assert.deepEqual(labels(await model.children()), ['Datastores']);
  assert.deepEqual(labels(await model.children(f)), ['a', 'b']);
  assert.deepEqual(labels(await model.children(f)), ['a', 'b']);
  assert.equal(calls, 1);
  const changed: (TreeNode | undefined)[] = [];
  model.onDidChange((n) => changed.push(n));
  model.refresh(f);
  assert.deepEqual(changed, [f], 'a per-node refresh tells the view which node changed');
  await model.children(f);
  assert.equal(calls, 2);
});

test('an empty list says what is empty and how to fill it, with the action', async () => {
  const f = folder('ws/computes', async () => [], {
    message: 'No compute in this workspace',
    hint: 'Create a cluster to run parallel jobs',
    action: { command: 'parallelRun.azure.createCluster', title: 'Create cluster' },
  });
  const model = new TreeModel({ roots: async () => [f] });
  const rows = await model.children(f);
  assert.equal(rows.length, 1);
  const v = rows[0].view();
  assert.equal(v.label, 'No compute in this workspace');
  assert.equal(v.description, 'Create a cluster to run parallel jobs');
  assert.equal(v.command?.command, 'parallelRun.azure.createCluster');
  assert.equal(v.collapsible, 'none');
});

test('a failure becomes an error row with the actionable message, details in the tooltip, and Retry that reloads', async () => {
  let fail = true;
  const err = Object.assign(
    new Error('Could not list the computes of workspace ws: the service is unavailable (503). Try again in a minute.'),
    {
      code: 'ServiceUnavailable',
      status: 503,
      requestId: 'req-42',
    },
  );
  const f = folder('ws/computes', async () => {
    if (fail) throw err;
    return [leaf('cpu-cluster')];
  });
  const logged: string[] = [];
  const model = new TreeModel({ roots: async () => [f], log: (m) => logged.push(m) });
  const rows = await model.children(f);
  assert.deepEqual(kinds(rows), ['treeError']);
  const v = rows[0].view();
  assert.match(v.label, /service is unavailable \(503\)/);
  assert.match(v.tooltip ?? '', /Code: ServiceUnavailable\nHTTP 503\nRequest id: req-42/);
  assert.equal(v.command?.command, TREE_COMMAND.retry);
  assert.equal(v.command?.arguments?.[0], f, 'Retry reloads the node the error belongs to');
  assert.equal(logged.length, 1);
  fail = false;
  model.retry(f);
  assert.deepEqual(labels(await model.children(f)), ['cpu-cluster']);
});

test('tokens in an error never reach the row', async () => {
  const f = folder('x', async () => {
    throw new Error(
      'request failed: Authorization: Bearer abc.def-ghi token eyJhbGciOi.eyJzdWIiOiIxIn0.c2ln at https://a.blob/c?sv=1&sig=SECRET',
    );
  });
  const model = new TreeModel({ roots: async () => [f] });
  const v = (await model.children(f))[0].view();
  const text = `${v.label} ${v.tooltip}`;
  assert.doesNotMatch(text, /abc\.def-ghi|eyJzdWIi|SECRET/);
  assert.match(text, /Bearer <redacted>/);
});

test('a claims challenge becomes "Sign in to this tenant" for that tenant; a 401 becomes "Sign in to Azure"', async () => {
  const challenge = Object.assign(new Error('Tenant MFA requires a new sign-in.'), {
    code: 'InvalidAuthenticationToken',
    status: 401,
    signInChallenge: { tenantId: 't-mfa', claims: 'e30=' },
  });
  const expired = Object.assign(new Error('The sign-in expired.'), { code: 'ExpiredAuthenticationToken', status: 401 });
  const a = folder('sub-a', async () => Promise.reject(challenge));
  const b = folder('sub-b', async () => Promise.reject(expired));
  const model = new TreeModel({ roots: async () => [a, b], signIn: { command: 'parallelRun.azure.signIn' } });
  const ra = (await model.children(a))[0].view();
  assert.equal(ra.label, 'Sign in to this tenant…');
  assert.deepEqual(ra.command, { command: 'parallelRun.azure.signIn', title: 'Sign in to this tenant', arguments: ['t-mfa'] });
  const rb = (await model.children(b))[0].view();
  assert.equal(rb.label, 'Sign in to Azure…');
  assert.equal(rb.contextValue, 'azureSignIn');
  // Without a sign-in command, a 401 is an error row with Retry.
  const plain = new TreeModel({ roots: async () => [b] });
  assert.equal((await plain.children(b))[0].view().contextValue, 'treeError');
});

test('paged lists: one page per ask, "Load more" while there is a continuation, pages kept in order', async () => {
  const asked: (string | undefined)[] = [];
  const all = Array.from({ length: 5 }, (_, i) => `job-${i}`);
  const jobs: TreeNode = {
    id: 'ws/jobs',
    view: () => ({ label: 'Jobs', collapsible: 'collapsed' }),
    page: async (c): Promise<NodePage> => {
      asked.push(c);
      const start = c ? Number(c) : 0;
      const next = start + 2;
      return { items: all.slice(start, next).map(leaf), continuation: next < all.length ? String(next) : undefined };
    },
  };
  const model = new TreeModel({ roots: async () => [jobs] });
  let rows = await model.children(jobs);
  assert.deepEqual(labels(rows), ['job-0', 'job-1', 'Load more…']);
  const more = rows[2] as MessageNode;
  assert.equal(more.view().command?.command, TREE_COMMAND.loadMore);
  assert.equal(more.owner, jobs);
  const changes: (TreeNode | undefined)[] = [];
  model.onDidChange((n) => changes.push(n));
  const loading = model.loadMore(jobs);
  // While the page loads, the rows shown stay and a "Loading…" row says a page is on its way.
  assert.deepEqual(kinds(await model.children(jobs)), ['item', 'item', 'treeLoading']);
  await loading;
  rows = await model.children(jobs);
  assert.deepEqual(labels(rows), ['job-0', 'job-1', 'job-2', 'job-3', 'Load more…']);
  await model.loadMore(jobs);
  assert.deepEqual(labels(await model.children(jobs)), all);
  assert.deepEqual(asked, [undefined, '2', '4'], 'one call per page, each from the last continuation');
  assert.deepEqual(changes, [jobs, jobs, jobs, jobs]);
  await model.loadMore(jobs); // nothing more: no call
  assert.equal(asked.length, 3);
});

test('a failed "Load more" keeps the pages shown; Retry asks for the failed page again', async () => {
  let failSecond = true;
  const jobs: TreeNode = {
    id: 'ws/jobs',
    view: () => ({ label: 'Jobs', collapsible: 'collapsed' }),
    page: async (c) => {
      if (c === 'p2' && failSecond)
        throw Object.assign(new Error('Too many requests: retry after 30 s.'), { code: 'TooManyRequests', status: 429 });
      return c ? { items: [leaf('j2')] } : { items: [leaf('j1')], continuation: 'p2' };
    },
  };
  const model = new TreeModel({ roots: async () => [jobs] });
  await model.children(jobs);
  await model.loadMore(jobs);
  assert.deepEqual(kinds(await model.children(jobs)), ['item', 'treeError']);
  failSecond = false;
  const changed = new Promise<void>((resolve) => {
    let seen = 0;
    model.onDidChange(() => ++seen === 2 && resolve());
  });
  model.retry(jobs);
  await changed;
  assert.deepEqual(labels(await model.children(jobs)), ['j1', 'j2']);
});

test('a refresh cancels the load in flight (its signal aborts) and its late answer is dropped', async () => {
  const loads: { signal: AbortSignal; d: ReturnType<typeof deferred<TreeNode[]>> }[] = [];
  const f = folder('ws/data', (signal) => {
    const d = deferred<TreeNode[]>();
    loads.push({ signal, d });
    return d.promise;
  });
  const model = new TreeModel({ roots: async () => [f] });
  const first = model.children(f);
  assert.equal(loads.length, 1);
  model.refresh(f);
  assert.equal(loads[0].signal.aborted, true, 'the stale load is cancelled');
  // The stale load answers late; the new one answers too: the view gets only the new answer.
  loads[0].d.resolve([leaf('stale')]);
  await new Promise((r) => setImmediate(r));
  assert.equal(loads.length, 2, 'the first ask moved on to the new load');
  loads[1].d.resolve([leaf('fresh')]);
  assert.deepEqual(labels(await first), ['fresh']);
  assert.deepEqual(labels(await model.children(f)), ['fresh']);
});

test('a cancelled load shows no error; refreshing a node also cancels and forgets what is under it', async () => {
  const child = folder(
    'ws/models/m1',
    (signal) =>
      new Promise((_, reject) =>
        signal.addEventListener('abort', () => reject(Object.assign(new Error('cancelled'), { code: 'Cancelled' }))),
      ),
  );
  const parent = folder('ws/models', async () => [child]);
  const model = new TreeModel({ roots: async () => [parent] });
  await model.children(parent);
  const pending = model.children(child);
  assert.equal(model.knows(child), true);
  model.refresh(parent);
  assert.equal(model.knows(child), false, 'descendants are forgotten');
  // The child's load was aborted; asking again starts a new one (which the test leaves pending).
  const again = await Promise.race([pending.then(() => 'answered'), new Promise((r) => setImmediate(() => r('pending')))]);
  assert.equal(again, 'pending', 'the ask waits on the new load, never an error row for the cancelled one');
  model.dispose();
});

test('the whole tree refreshes with one event and the roots load again', async () => {
  let n = 0;
  const model = new TreeModel({ roots: async () => [leaf(`root-${++n}`)] });
  assert.deepEqual(labels(await model.children()), ['root-1']);
  const changed: (TreeNode | undefined)[] = [];
  model.onDidChange((x) => changed.push(x));
  model.refresh();
  assert.deepEqual(changed, [undefined]);
  assert.deepEqual(labels(await model.children()), ['root-2']);
  assert.deepEqual(await model.children(leaf('no-children')), []);
});

test("the request id is a detail of the tooltip, not repeated in the row's one line", async () => {
  const err = Object.assign(
    new Error(
      'Could not list the computes of workspace ws: no permission (403 AuthorizationFailed). Ask an owner for a role. (request id req-7)',
    ),
    {
      code: 'AuthorizationFailed',
      status: 403,
      requestId: 'req-7',
    },
  );
  const f = folder('ws/computes', async () => {
    throw err;
  });
  const v = (await new TreeModel({ roots: async () => [f] }).children(f))[0].view();
  assert.equal(v.label, 'Could not list the computes of workspace ws: no permission (403 AuthorizationFailed). Ask an owner for a role.');
  assert.equal((v.tooltip ?? '').match(/req-7/g)?.length, 1, v.tooltip);
  assert.match(v.tooltip ?? '', /Request id: req-7/);
});
