/** The run folder's logs are complete and closed when runLocal resolves, run after run in one process. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import * as path from 'node:path';
import { fileJob, fixture, PROLOGUE, run } from './helpers';
import { progressLine } from '../../src/core/local/logs/run-logs';

const SCRIPT = `${PROLOGUE}
def run(mini_batch):
    return [os.path.basename(p) for p in mini_batch]
`;

/** What this process has open, as `fd -> target` (a socket, a pipe, a file). */
function openFds(): string[] {
  return readdirSync('/proc/self/fd').map((fd) => {
    try {
      return `${fd} -> ${readlinkSync(path.join('/proc/self/fd', fd))}`;
    } catch {
      return fd; // the fd readdir itself used, closed by now
    }
  });
}

/**
 * A leak is one fd per run; Node and libuv may open one or two fds of their own lazily at any point (a thread
 * pool wake-up pipe, an epoll instance), so a handful more after 20 runs is not a leak, 20 more is.
 */
function assertNoLeak(before: string[], after: string[], runs: number): void {
  const added = after.filter((fd) => !before.includes(fd));
  assert.ok(
    after.length - before.length < runs / 4,
    `${runs} runs left ${after.length - before.length} more fds open: ${added.join(', ')}`,
  );
}

test(
  '20 runs in one process leave no file open and each progress overview ends with the final line',
  { skip: process.platform !== 'linux' },
  async () => {
    const fx = fixture(SCRIPT, 2);
    const job = fileJob(fx, { maxConcurrencyPerInstance: 1 });
    // One run first, so what Node opens once per process (pipes, the event loop's own fds) is counted in the baseline.
    await run(job, { runDir: path.join(fx.dir, 'run-warm') });
    const before = openFds();
    for (let i = 0; i < 20; i++) {
      const { summary } = await run(job, { runDir: path.join(fx.dir, `run-${i}`) });
      assert.equal(summary.status, 'Completed');
      const overview = readdirSync(summary.logsDir).filter((f) => f.startsWith('job_progress_overview.'));
      assert.equal(overview.length, 1);
      const lines = readFileSync(path.join(summary.logsDir, overview[0]), 'utf8').trimEnd().split('\n');
      const last = lines[lines.length - 1];
      const stamp = last.slice(0, last.indexOf(' '));
      assert.ok(stamp >= summary.endedAt, `run ${i}: the last progress line (${last}) was written when the run ended (${summary.endedAt})`);
      assert.equal(last.slice(stamp.length + 1), progressLine(summary.counts, summary.durationMs, summary.status));
    }
    assertNoLeak(before, openFds(), 20);
  },
);

test('a run whose partitioning fails closes its logs too', { skip: process.platform !== 'linux' }, async () => {
  const fx = fixture(SCRIPT, 0);
  const job = fileJob(fx, { maxConcurrencyPerInstance: 1 });
  job.inputData = { kind: 'files', inputName: 'data', type: 'uri_file', path: path.join(fx.dataDir, 'missing.txt') };
  await assert.rejects(run(job, { runDir: path.join(fx.dir, 'run-warm') }));
  const before = openFds();
  for (let i = 0; i < 5; i++) {
    await assert.rejects(run(job, { runDir: path.join(fx.dir, `run-${i}`) }));
    assert.match(readFileSync(path.join(fx.dir, `run-${i}`, 'logs/sys/master_role.txt'), 'utf8'), /Partitioning failed/);
  }
  // The flush timer of a run that was never closed would open its file after the run returned.
  await new Promise((resolve) => setTimeout(resolve, 300));
  assertNoLeak(before, openFds(), 5);
});
