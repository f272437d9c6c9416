// --follow: az ml job stream's growing poll interval, each status printed once, stops at a terminal status.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { followJob, pollIntervalSeconds } from '../../../../src/core/azure/submit/follow';
import { useFakeArm } from '../fake-arm';

const bed = useFakeArm();

test("the interval grows as azure-ai-ml's: 2 s at first, 28 s after 90 s, 60 s at most", () => {
  assert.equal(pollIntervalSeconds(0), 2);
  assert.equal(pollIntervalSeconds(60), 10);
  assert.equal(pollIntervalSeconds(90), 28);
  assert.equal(pollIntervalSeconds(10_000), 60);
  for (let t = 0; t < 300; t += 7) assert.ok(pollIntervalSeconds(t + 7) >= pollIntervalSeconds(t));
});

test('followJob reports each status once and returns at Completed; waits follow the interval', async () => {
  const id = `${bed.fake.testWorkspaceId}/jobs/follow_me`;
  const { putJob } = await import('../../../../src/core/azure/resources/jobs');
  await putJob(bed.ml, bed.ws, 'follow_me', { properties: { jobType: 'Pipeline', jobs: {} } });
  const statuses = ['NotStarted', 'Running', 'Running', 'Finalizing', 'Completed'];
  let clock = 0;
  const waits: number[] = [];
  const seen: string[] = [];
  let poll = 0;
  const job = await followJob(bed.ml, bed.ws, 'follow_me', {
    now: () => clock,
    sleep: async (s) => {
      waits.push(s);
      clock += 45;
      poll++;
      (bed.fake.get(id)!.properties as Record<string, unknown>).status = statuses[poll];
    },
    onStatus: (s) => seen.push(s),
  });
  assert.equal(job.status, 'Completed');
  assert.deepEqual(seen, ['NotStarted', 'Running', 'Finalizing', 'Completed']);
  assert.deepEqual(waits, [0, 45, 90, 135].map(pollIntervalSeconds));
});
