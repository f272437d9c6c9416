/**
 * Submit's calls: submitting the digits sample (package + register + job PUT) against the fakes (HTTPS fake ARM,
 * Azurite), counted by ARM route and by blob request, three ways: the first submission to an empty workspace; a
 * second one without the submit cache (a new machine: what is already in the workspace is found, not sent again);
 * and an unchanged one with the cache (VS Code, or the CLI on the same machine), whose target is the job PUT alone.
 * Run: `npx tsc -b . && node out/bench/submit-calls.js`, or `npm run bench -- submit`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mlClient } from '../src/core/azure/client';
import { SubmitCache } from '../src/core/azure/submit/cache';
import { submitSpec } from '../src/core/azure/submit/submit';
import { FakeArm } from '../test/fakes/arm/server';
import { FakeCredential } from '../test/fakes/arm/token';
import { testResourceGroup, testSubscription, testWorkspace } from '../test/fakes/arm/world';
import { Azurite } from '../test/fakes/azurite';

const account = { name: 'localtestsa', key: 'ZmFrZS1hY2NvdW50LWtleQ==' };

/** "jobs.put 1, codes.versions.get 1, …" in the order first called; blob requests by method. */
function describe(routes: string[], blob: { method: string }[]): { arm: number; blob: number; text: string } {
  const counts = new Map<string, number>();
  for (const r of routes) counts.set(r, (counts.get(r) ?? 0) + 1);
  const byMethod = new Map<string, number>();
  for (const b of blob) byMethod.set(b.method, (byMethod.get(b.method) ?? 0) + 1);
  const armText = [...counts].map(([r, n]) => `${r} ${n}`).join(', ');
  const blobText = [...byMethod].map(([m, n]) => `${m} ${n}`).join(', ') || 'none';
  return { arm: routes.length, blob: blob.length, text: `${routes.length} ARM (${armText}); ${blob.length} blob (${blobText})` };
}

export async function benchSubmitCalls(
  report: (id: string, figure: string, target: string, met: boolean) => void,
  root: string,
): Promise<void> {
  const spec = path.join(root, 'samples', 'digits', 'pipeline.yml');
  const fake = await new FakeArm().start();
  const azurite = await new Azurite(account).start();
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'prs-bench-submit-'));
  try {
    for (const c of ['azureml-blobstore-00000000-test', 'azureml']) await azurite.container(c);
    const ml = mlClient(new FakeCredential(), testSubscription.subscriptionId, { resourceManager: fake.endpoint, ca: fake.ca });
    const ws = { subscriptionId: testSubscription.subscriptionId, resourceGroup: testResourceGroup, workspace: testWorkspace };
    const cacheFile = path.join(cacheDir, 'submit-cache.json');
    const submit = async (name: string, cache?: SubmitCache) => {
      fake.resetCounts();
      azurite.resetCounts();
      const r = await submitSpec(spec, {
        ml,
        ws,
        credential: new FakeCredential(),
        blob: { blobEndpoint: azurite.blobEndpoint },
        jobName: name,
        cache,
      });
      const d = describe(
        fake.requests.map((q) => q.route),
        azurite.requests.map((b) => ({ method: b.method })),
      );
      const bytes = r.uploads.reduce((n, u) => n + u.bytes, 0);
      return { ...d, bytes, text: `${d.text}; ${bytes} bytes uploaded` };
    };
    const first = await submit('bench_submit_1', new SubmitCache(cacheFile));
    const again = await submit('bench_submit_2');
    const cached = await submit('bench_submit_3', new SubmitCache(cacheFile));
    console.log(`\nSubmit's calls (digits sample: ${spec})`);
    console.log(`  first submission:                  ${first.text}`);
    console.log(`  again, no cache (another machine): ${again.text}`);
    console.log(`  again, unchanged, with the cache:  ${cached.text}`);
    report('Submit calls, first (digits)', `${first.arm} ARM + ${first.blob} blob`, 'listed in the note', true);
    report(
      'Submit calls, unchanged, no cache',
      `${again.arm} ARM + ${again.blob} blob, ${again.bytes} bytes sent`,
      '0 bytes sent',
      again.bytes === 0,
    );
    report(
      'Submit calls, unchanged, cached',
      `${cached.arm} ARM + ${cached.blob} blob`,
      'the job PUT only',
      cached.arm === 1 && cached.blob === 0 && cached.text.includes('jobs.put 1'),
    );
  } finally {
    await azurite.stop();
    await fake.stop();
    rmSync(cacheDir, { recursive: true, force: true });
  }
}
