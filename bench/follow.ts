/**
 * P7: a line written to a job's log appears in the follower (followCloudJob, the code the CLI's --follow and the
 * panel use) within 2 s at the fastest poll interval, against the fakes: fake ARM + run history, Azurite holding
 * the log blob. The job is held at Queued (no engine), lines are appended to its user_logs/std_log.txt at times
 * that do not line up with the polls, and each line's delay from the write to its `log` event is measured.
 * Run: `npx tsc -b . && node out/bench/follow.js [--quick]`, or `npm run bench -- p7`.
 */
import { followCloudJob, type CloudJobEvent } from '../src/core/azure/follow';
import { putJob } from '../src/core/azure/resources/jobs';
import { mlClient } from '../src/core/azure/client';
import { FakeArm } from '../test/fakes/arm/server';
import { FakeCredential } from '../test/fakes/arm/token';
import { testResourceGroup, testSubscription, testWorkspace } from '../test/fakes/arm/world';
import { Azurite } from '../test/fakes/azurite';

const account = { name: 'localtestsa', key: 'ZmFrZS1hY2NvdW50LWtleQ==' };

export async function benchFollow(
  report: (id: string, figure: string, target: string, met: boolean) => void,
  quick = false,
): Promise<void> {
  const fastest = 0.5;
  const lines = quick ? 6 : 12;
  const fake = await new FakeArm().start();
  const azurite = await new Azurite(account).start();
  // Stops the follower once measured: polling a stopped fake would go on (a refused connection reads as transient).
  const stop = new AbortController();
  try {
    const runner = fake.runJobs({ blobEndpoint: azurite.blobEndpoint, account });
    runner.holdQueued = true;
    const ml = mlClient(new FakeCredential(), testSubscription.subscriptionId, { resourceManager: fake.endpoint, ca: fake.ca });
    const ws = { subscriptionId: testSubscription.subscriptionId, resourceGroup: testResourceGroup, workspace: testWorkspace };
    await putJob(ml, ws, 'p7_job', { properties: { jobType: 'Pipeline', jobs: {}, inputs: {}, outputs: {}, settings: {} } });
    const written = new Map<string, number>();
    const delays: number[] = [];
    let polls = 0;
    const seen = new Promise<void>((resolve) => {
      void (async () => {
        for await (const e of followCloudJob({
          ml,
          ws,
          name: 'p7_job',
          discoveryUrl: `${fake.endpoint}/discovery`,
          fastestIntervalSeconds: fastest,
          signal: stop.signal,
        }) as AsyncIterable<CloudJobEvent>) {
          if (e.type === 'status') polls++;
          if (e.type !== 'log') continue;
          for (const l of e.lines) {
            const t = written.get(l);
            if (t !== undefined) delays.push((performance.now() - t) / 1000);
          }
          if (delays.length === lines) resolve();
        }
      })();
    });
    for (let i = 0; i < lines; i++) {
      // 0.37 s to 0.9 s apart: lines land anywhere between two polls.
      await new Promise((r) => setTimeout(r, 370 + ((i * 211) % 530)));
      const line = `p7 line ${i}`;
      written.set(line, performance.now());
      await runner.appendLog('p7_job', 'user_logs/std_log.txt', `${line}\n`);
    }
    await seen;
    runner.cancel('p7_job');
    await fake.jobDone('p7_job');
    const sorted = [...delays].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    const max = sorted[sorted.length - 1];
    void polls;
    report(
      'P7 log line to follower',
      `${lines} lines at the fastest interval ${fastest} s: median ${median.toFixed(2)} s, max ${max.toFixed(2)} s`,
      '≤ 2 s',
      max <= 2,
    );
  } finally {
    stop.abort();
    await azurite.stop();
    await fake.stop();
  }
}

if (require.main === module) {
  benchFollow(
    (id, figure, target, met) => console.log(`${id}: ${figure}  (target ${target}: ${met ? 'met' : 'NOT met'})`),
    process.argv.includes('--quick'),
  ).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
