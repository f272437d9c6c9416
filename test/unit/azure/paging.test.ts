// Every list pages with nextLink, one call per page, and returns everything across pages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PageLoader } from '../../../src/core/azure/http/paging';
import { pages } from '../../../src/core/azure/http/paging';
import { subscriptionPages, tenantPages } from '../../../src/core/azure/resources/subscriptions';
import { workspacePages } from '../../../src/core/azure/resources/workspaces';
import { computePages, listVmSizes } from '../../../src/core/azure/resources/computes';
import { datastorePages } from '../../../src/core/azure/resources/datastores';
import { assetContainerPages, assetVersionPages, registerModelVersion } from '../../../src/core/azure/resources/assets';
import { cancelJob, jobPages } from '../../../src/core/azure/resources/jobs';
import { RunHistory } from '../../../src/core/azure/resources/run-history';
import { useFakeArm } from './fake-arm';

const bed = useFakeArm();

async function walk<T>(load: PageLoader<T>, route: string): Promise<{ items: T[]; pages: number; calls: number }> {
  bed.fake.resetCounts();
  const items: T[] = [];
  let n = 0;
  for await (const p of pages(load)) {
    n += 1;
    assert.ok(p.items.length <= 1, 'never more than a page');
    items.push(...p.items);
  }
  return { items, pages: n, calls: bed.fake.calls(route) };
}

test('with one item per page, every list follows nextLink to the end at one call per page', async () => {
  await registerModelVersion(bed.ml, bed.ws, {
    name: 'digits-model',
    version: '2',
    path: 'azureml://datastores/workspaceblobstore/paths/m2/',
  });
  const history = new RunHistory(bed.arm, bed.ws, bed.discoveryUrl);
  bed.fake.pageSize = 1;
  try {
    const cases: Array<[string, PageLoader<unknown>, string, number]> = [
      ['tenants', tenantPages(bed.credential, bed.endpoint), 'tenants.list', 2],
      ['subscriptions', subscriptionPages(bed.credential, bed.endpoint), 'subscriptions.list', 1],
      ['workspaces', workspacePages(bed.ml), 'workspaces.listBySubscription', 1],
      ['workspaces of a group', workspacePages(bed.ml, bed.ws.resourceGroup), 'workspaces.listByResourceGroup', 1],
      ['computes', computePages(bed.ml, bed.ws), 'computes.list', 2],
      ['datastores', datastorePages(bed.ml, bed.ws), 'datastores.list', 2],
      ['data', assetContainerPages(bed.ml, bed.ws, 'data'), 'data.list', 1],
      ['model versions', assetVersionPages(bed.ml, bed.ws, 'models', 'digits-model'), 'models.versions.list', 2],
      ['jobs', jobPages(bed.ml, bed.ws), 'jobs.list', 3],
      ['steps', history.childPages('job-00002'), 'history.children', 1],
    ];
    for (const [what, load, route, count] of cases) {
      const r = await walk(load, route);
      assert.deepEqual([r.items.length, r.pages, r.calls], [count, count, count], what);
    }
  } finally {
    bed.fake.pageSize = 50;
  }
});

test("VM sizes of the workspace's region, CPU sizes first", async () => {
  const sizes = await listVmSizes(bed.ml, 'eastus');
  assert.deepEqual(
    sizes.map((s) => s.name),
    ['Standard_DS11_v2', 'Standard_DS3_v2', 'Standard_NC6'],
  );
  assert.deepEqual([sizes[2].gpus, sizes[2].lowPriorityCapable], [1, true]);
});

test('cancelling a job follows the 202 + Location operation and ends Canceled', async () => {
  const job = await cancelJob(bed.ml, bed.ws, 'job-00001', { pollIntervalMs: 1 });
  assert.equal(job.status, 'Canceled');
  await assert.rejects(
    cancelJob(bed.ml, bed.ws, 'no-such-job', { pollIntervalMs: 1 }),
    (e: Error & { status?: number }) => e.status === 404 && /cancel job no-such-job/.test(e.message),
  );
});
