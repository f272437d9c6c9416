// Bench goal of the Azure tree: expanding a workspace's six folders costs one ARM call per folder (no N+1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computePages } from '../../../src/core/azure/resources/computes';
import { datastorePages } from '../../../src/core/azure/resources/datastores';
import { assetContainerPages } from '../../../src/core/azure/resources/assets';
import { jobPages } from '../../../src/core/azure/resources/jobs';
import { useFakeArm } from './fake-arm';

const bed = useFakeArm();

test("expanding a workspace's six folders costs exactly one ARM call per folder", async () => {
  bed.fake.seedJobs(200);
  bed.fake.resetCounts();
  const folders = await Promise.all([
    computePages(bed.ml, bed.ws)(),
    datastorePages(bed.ml, bed.ws)(),
    assetContainerPages(bed.ml, bed.ws, 'data')(),
    assetContainerPages(bed.ml, bed.ws, 'models')(),
    assetContainerPages(bed.ml, bed.ws, 'environments')(),
    jobPages(bed.ml, bed.ws)(),
  ]);
  assert.ok(
    folders.every((f) => f.items.length > 0),
    'each folder has children to show',
  );
  assert.deepEqual(bed.fake.callsByRoute(), {
    'computes.list': 1,
    'datastores.list': 1,
    'data.list': 1,
    'models.list': 1,
    'environments.list': 1,
    'jobs.list': 1,
  });
  assert.equal(folders[5].items.length, bed.fake.pageSize, 'Jobs shows one page and a "Load more"');
  assert.ok(folders[5].continuation);
});
