/** Start-up errors that cannot go away on retry stop the run at once, with the error itself as the verdict. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { workerPackageDir } from '../../src/core/local/environment';
import { fileJob, fixture, readLog, run } from './helpers';

const fast = { retrySettings: { maxRetries: 2, timeout: 60 }, maxConcurrencyPerInstance: 2 };

function errorLogs(logsDir: string): string[] {
  const dir = path.join(logsDir, 'user/error/node0');
  return existsSync(dir) ? readdirSync(dir).map((f) => readFileSync(path.join(dir, f), 'utf8')) : [];
}

test('a SyntaxError in the entry script stops the run after one try on each worker, as the error', async () => {
  const fx = fixture(`def run(mini_batch):\n    return [p for p in mini_batch\n`, 4);
  const { summary, events } = await run(fileJob(fx, fast));
  assert.equal(summary.status, 'Failed');
  assert.match(summary.reason!, /^Importing the entry script failed \(not retried: the same error would come back\): SyntaxError: /);
  assert.equal(summary.error?.type, 'SyntaxError');
  const where = summary.error!.frames!.at(-1)!;
  assert.equal(path.basename(where.file), 'score.py');
  assert.equal(where.line, 2);
  const starts = events.filter((e) => e.type === 'worker' && e.state === 'starting');
  assert.equal(starts.length, 2, 'each worker tried once, none was restarted');
  const logs = errorLogs(summary.logsDir);
  assert.equal(logs.length, 2);
  for (const log of logs) assert.equal(log.match(/import of the entry script failed: SyntaxError/g)?.length, 1);
  assert.ok(!summary.warnings.some((w) => w.includes('SyntaxError')), 'the error is the verdict, not a warning');
  assert.match(readLog(summary, 'job_error.txt'), /SyntaxError/);
  assert.equal(summary.outputFile, undefined, 'no output file is named when no row was written');
  assert.ok(!existsSync(path.join(summary.runDir, 'outputs', 'results', 'parallel_run_step.txt')));
});

test('a missing package at import is not retried and names the package', async () => {
  const fx = fixture(`import not_a_real_package_xyz\ndef run(mb):\n    return mb\n`, 2);
  const { summary, events } = await run(fileJob(fx, { ...fast, maxConcurrencyPerInstance: 1 }));
  assert.equal(summary.status, 'Failed');
  assert.match(summary.reason!, /not retried.*ModuleNotFoundError: No module named 'not_a_real_package_xyz'/);
  assert.equal(events.filter((e) => e.type === 'worker' && e.state === 'starting').length, 1);
  assert.equal(summary.error?.type, 'ModuleNotFoundError');
});

test('an init() RuntimeError is still retried 3 times per worker (it may be transient)', async () => {
  const fx = fixture(`def init():\n    raise RuntimeError("model file missing")\ndef run(mb):\n    return mb\n`, 2);
  const { summary, events } = await run(fileJob(fx, { ...fast, maxConcurrencyPerInstance: 1 }));
  assert.equal(summary.status, 'Failed');
  assert.equal(events.filter((e) => e.type === 'worker' && e.state === 'starting').length, 3);
  assert.equal(summary.error?.type, 'RuntimeError');
  assert.match(readLog(summary, 'job_error.txt'), /RuntimeError: model file missing/);
});

test('job_error.txt exists (empty) when nothing failed, since readme.txt lists it', async () => {
  const fx = fixture(`import os\ndef run(mb):\n    return [os.path.basename(p) for p in mb]\n`, 2);
  const { summary } = await run(fileJob(fx, { maxConcurrencyPerInstance: 1 }));
  assert.equal(summary.status, 'Completed');
  assert.match(readLog(summary, 'readme.txt'), /job_error\.txt/);
  assert.equal(readLog(summary, 'job_error.txt'), '');
});

test('a stale worker copy (another protocol version on hello) is refused, naming both versions and the fix', async () => {
  const fx = fixture(`def run(mb):\n    return mb\n`, 2);
  // A copy of the worker package as an older extension shipped it: the same code, protocol version 1.
  const stale = path.join(fx.dir, 'stale-worker');
  cpSync(workerPackageDir(), stale, {
    recursive: true,
    filter: (src) => !src.includes('__pycache__') && !src.includes(`${path.sep}tests`),
  });
  const init = path.join(stale, 'prs_worker', '__init__.py');
  writeFileSync(init, readFileSync(init, 'utf8').replace(/^PROTOCOL_VERSION = \d+$/m, 'PROTOCOL_VERSION = 1'));
  const { summary } = await run(fileJob(fx, fast), { workerPackageDir: stale });
  assert.equal(summary.status, 'Failed');
  assert.match(summary.reason!, /speaks worker protocol version 1, but this engine speaks version 2/);
  assert.ok(summary.reason!.includes(path.join(stale, 'prs_worker')), 'names the stale copy');
  assert.match(summary.reason!, /Reinstall the extension/);
  assert.equal(summary.counts.miniBatches.succeeded, 0, 'no mini-batch ran on the stale worker');
});
