/**
 * The Azure tree's call budget, against the fake ARM with the real SDK client (no network, no Azure account):
 *   T1  expanding a workspace's six folders costs one ARM call per folder (no N+1)
 *   T2  5,000 jobs: the first page and two "Load more" cost three calls and hold three pages, never the list
 * Run: `npx tsc -b . && node out/bench/azure-tree.js` (not yet wired into bench/index.ts, to keep merges clean).
 */
import { mlClient } from '../src/core/azure/client';
import { pages } from '../src/core/azure/http/paging';
import { assetContainerPages } from '../src/core/azure/resources/assets';
import { computePages } from '../src/core/azure/resources/computes';
import { datastorePages } from '../src/core/azure/resources/datastores';
import { jobPages } from '../src/core/azure/resources/jobs';
import { FakeArm } from '../test/fakes/arm/server';
import { FakeCredential } from '../test/fakes/arm/token';
import { testResourceGroup, testSubscription, testWorkspace } from '../test/fakes/arm/world';

export async function benchAzureTree(report: (id: string, figure: string, target: string, met: boolean) => void): Promise<void> {
  const fake = await new FakeArm().start();
  try {
    fake.seedJobs(5000 - 3);
    fake.pageSize = 100;
    const ml = mlClient(new FakeCredential(), testSubscription.subscriptionId, { resourceManager: fake.endpoint, ca: fake.ca });
    const ws = { subscriptionId: testSubscription.subscriptionId, resourceGroup: testResourceGroup, workspace: testWorkspace };

    fake.resetCounts();
    await Promise.all([
      computePages(ml, ws)(),
      datastorePages(ml, ws)(),
      assetContainerPages(ml, ws, 'data')(),
      assetContainerPages(ml, ws, 'models')(),
      assetContainerPages(ml, ws, 'environments')(),
      jobPages(ml, ws)(),
    ]);
    const calls = Object.values(fake.callsByRoute()).reduce((a, b) => a + b, 0);
    const perFolder = Object.entries(fake.callsByRoute())
      .map(([r, n]) => `${r.replace('.list', '')} ${n}`)
      .join(', ');
    report('T1 six folders', `${calls} ARM calls (${perFolder})`, '6, one per folder', calls === 6);

    fake.resetCounts();
    let held = 0;
    let shown = 0;
    for await (const page of pages(jobPages(ml, ws))) {
      held = Math.max(held, page.items.length);
      shown += page.items.length;
      if (shown >= 300) break;
    }
    const jobCalls = fake.calls('jobs.list');
    report(
      'T2 5,000 jobs',
      `${shown} shown in ${jobCalls} calls, at most ${held} per page held by the loader`,
      '3 calls for 3 pages',
      jobCalls === 3 && held <= 100,
    );
  } finally {
    await fake.stop();
  }
}

if (require.main === module) {
  let failed = false;
  void benchAzureTree((id, figure, target, met) => {
    failed ||= !met;
    console.log(`${id}: ${figure}  (target ${target}: ${met ? 'met' : 'NOT met'})`);
  }).then(() => process.exit(failed ? 1 : 0));
}
