/** The fault matrix: every way a script fails, with the accounting invariant checked each time. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { assertAccounting, fileJob, fixture, keysOf, PROLOGUE, readLog, run } from './helpers';

const ok = (body: string) => `${PROLOGUE}
def run(mini_batch):
    out = []
    for p in mini_batch:
        name = os.path.basename(p)
${body}
        out.append(name + ": ok")
    return out
`;
const fast = { retrySettings: { maxRetries: 2, timeout: 60 } };

test('retries a mini-batch that raised once and keeps its rows once', async () => {
  const fx = fixture(ok(`        if name == "f003.txt" and once("f003"):\n            raise RuntimeError("flaky")`), 6);
  const { summary, lines } = await run(fileJob(fx, fast));
  assert.equal(summary.status, 'Completed');
  assert.equal(summary.counts.miniBatches.retried, 1);
  const failure = summary.failures[0];
  assert.equal(failure.final, false);
  assert.equal(failure.error.type, 'RuntimeError');
  assert.match(failure.error.traceback ?? '', /score\.py/);
  assert.ok(failure.error.frames?.some((f) => f.file.endsWith('score.py') && f.function === 'run'));
  assertAccounting(summary, fx.files, keysOf(lines));
  assert.equal(lines.length, 6);
});

test('counts a mini-batch failed after max_retries + 1 tries and reports its items', async () => {
  const fx = fixture(ok(`        if name == "f002.txt":\n            raise ValueError("bad image " + name)`), 6);
  const { summary, lines } = await run(fileJob(fx, fast));
  assert.equal(summary.status, 'Completed', 'error thresholds default to -1: failures are tolerated');
  const tries = summary.failures.filter((f) => f.index === 1);
  assert.deepEqual(
    tries.map((f) => [f.attempt, f.final]),
    [
      [1, false],
      [2, false],
      [3, true],
    ],
  );
  assert.equal(summary.counts.miniBatches.failed, 1);
  assert.equal(summary.counts.items.failed, 2);
  assert.ok(tries[2].items.some((i) => i.endsWith('f002.txt')));
  assert.match(readLog(summary, 'job_error.txt'), /ValueError: bad image f002.txt/);
  const errorLogs = readdirSync(path.join(summary.logsDir, 'user/error/node0')).map((f) => readLog(summary, `user/error/node0/${f}`));
  assert.match(errorLogs.join('\n'), /bad image f002.txt/);
  assertAccounting(summary, fx.files, keysOf(lines));
});

test('ends a worker that hangs past timeout + task_overhead_timeout, restarts it and retries', async () => {
  const script = `${PROLOGUE}
print("init", os.getpid())
def init():
    print("init called")
def run(mini_batch):
    if any(p.endswith("f001.txt") for p in mini_batch) and once("hang"):
        time.sleep(600)
    return [os.path.basename(p) + ": ok" for p in mini_batch]
`;
  const fx = fixture(script, 4);
  const job = fileJob(fx, { retrySettings: { maxRetries: 2, timeout: 1 }, maxConcurrencyPerInstance: 1, miniBatchSize: 1 }, [
    '--task_overhead_timeout',
    '1',
  ]);
  job.driver.taskOverheadTimeout = 1;
  const started = Date.now();
  const { summary, lines } = await run(job);
  assert.ok(Date.now() - started < 20_000, 'the watchdog ended the hang');
  assert.equal(summary.status, 'Completed');
  const timeout = summary.failures.find((f) => f.reason === 'timeout');
  assert.ok(timeout, 'a timeout failure is reported');
  assert.match(timeout.error.message, /retry_settings.timeout 1s \+ task_overhead_timeout 1s/);
  const stdout = readLog(summary, 'user/stdout/node0/process000.stdout.txt');
  assert.equal(stdout.match(/init called/g)?.length, 2, 'init() runs again in the new worker');
  assertAccounting(summary, fx.files, keysOf(lines));
  assert.equal(lines.length, 4);
});

test('the watchdog times each mini-batch from its own start: quick ones in a row never add up to a timeout', async () => {
  // 8 mini-batches of 0.3 s on one worker (2.4 s in all) under a 2 s allowance, then one that hangs.
  const script = `${PROLOGUE}
def run(mini_batch):
    if any(p.endswith("f008.txt") for p in mini_batch) and once("hang"):
        time.sleep(600)
    time.sleep(0.3)
    return [os.path.basename(p) + ": ok" for p in mini_batch]
`;
  const fx = fixture(script, 9);
  const job = fileJob(fx, { retrySettings: { maxRetries: 2, timeout: 1 }, maxConcurrencyPerInstance: 1, miniBatchSize: 1 }, [
    '--task_overhead_timeout',
    '1',
  ]);
  job.driver.taskOverheadTimeout = 1;
  const { summary, lines } = await run(job);
  assert.equal(summary.status, 'Completed');
  assert.deepEqual(
    summary.failures.map((f) => [f.index, f.reason]),
    [[8, 'timeout']],
    'only the hanging mini-batch timed out',
  );
  assertAccounting(summary, fx.files, keysOf(lines));
  assert.equal(lines.length, 9);
});

for (const [name, crash, expect] of [
  ['os._exit', 'os._exit(3)', /exit code 3/],
  ['a segfault', 'import ctypes; ctypes.string_at(0)', /SIGSEGV/],
  ['a kill', 'import signal; os.kill(os.getpid(), signal.SIGKILL)', /SIGKILL/],
] as const) {
  test(`fails the attempt and restarts the worker after ${name}`, async () => {
    const fx = fixture(ok(`        if name == "f004.txt" and once("crash"):\n            ${crash}`), 6);
    const { summary, lines } = await run(fileJob(fx, fast));
    assert.equal(summary.status, 'Completed');
    const crashFailure = summary.failures.find((f) => f.reason === 'crash');
    assert.ok(crashFailure);
    assert.match(crashFailure.error.message, expect);
    assert.equal(crashFailure.index, 2);
    assert.equal(lines.length, 6);
    assertAccounting(summary, fx.files, keysOf(lines));
  });
}

test('a script that crashes every time fails only its mini-batch', async () => {
  const fx = fixture(ok(`        if name == "f000.txt":\n            os._exit(9)`), 4);
  const { summary, lines } = await run(fileJob(fx, fast));
  assert.equal(summary.counts.miniBatches.failed, 1);
  assert.equal(summary.failures.filter((f) => f.index === 0).length, 3);
  assertAccounting(summary, fx.files, keysOf(lines));
});

test('an init() that always fails stops the run with the error, and no item is lost', async () => {
  const script = `def init():\n    raise RuntimeError("model file missing")\ndef run(mb):\n    return mb\n`;
  const fx = fixture(script, 3);
  const { summary, lines } = await run(fileJob(fx, fast));
  assert.equal(summary.status, 'Failed');
  assert.match(summary.reason!, /^init\(\) failed \(3 tries on each worker\): RuntimeError: model file missing/);
  assert.equal(lines.length, 0);
  assertAccounting(summary, fx.files, []);
  const errorLog = readLog(summary, 'user/error/node0/process000.txt');
  assert.match(errorLog, /model file missing/);
  assert.equal(errorLog.match(/init\(\) of the entry script failed/g)?.length, 3, 'each of the 3 tries is logged');
  assert.equal(errorLog.match(/Traceback \(most recent call last\)/g)?.length, 3, 'and only once, with its traceback');
});

test('a missing package in init() names the interpreter and the fix', async () => {
  const fx = fixture(`import not_a_real_package_xyz\ndef run(mb):\n    return mb\n`, 2);
  const { summary } = await run(fileJob(fx, { ...fast, maxConcurrencyPerInstance: 1 }));
  assert.equal(summary.status, 'Failed');
  assert.match(summary.reason!, /ModuleNotFoundError: No module named 'not_a_real_package_xyz'/);
  assert.match(summary.reason!, /the interpreter \/\S+python3[\d.]* \(Python 3\.\d+\.\d+\) lacks a package.*--python/);
});

test('an init() that fails once is retried in a new worker', async () => {
  const script = `${PROLOGUE}
def init():
    if once("init"):
        raise RuntimeError("warming up")
def run(mb):
    return [os.path.basename(p) + ": ok" for p in mb]
`;
  const fx = fixture(script, 4);
  const { summary, lines } = await run(fileJob(fx, { ...fast, maxConcurrencyPerInstance: 1 }));
  assert.equal(summary.status, 'Completed');
  assert.equal(lines.length, 4);
});

for (const [name, value, type] of [
  ['None', 'None', 'NoneType'],
  ['a string', '"done"', 'str'],
  ['a dict', '{"a": 1}', 'dict'],
] as const) {
  test(`fails a run() that returns ${name} with the driver's message`, async () => {
    const fx = fixture(`def run(mb):\n    return ${value}\n`, 2);
    const { summary } = await run(fileJob(fx, { ...fast, retrySettings: { maxRetries: 0, timeout: 60 } }));
    assert.equal(summary.status, 'Failed');
    const f = summary.failures[0];
    assert.equal(f.reason, 'return_type');
    assert.match(
      f.error.message,
      new RegExp(
        `^The run\\(\\) method in the entry script should return a list or a pandas DataFrame\\. The actual type of output '.*' is ${type}\\.$`,
      ),
    );
    assert.equal(summary.reason, 'There is no succeeded mini batch item returned from run().');
  });
}

test('a tuple return counts like a list', async () => {
  const fx = fixture(`import os\ndef run(mb):\n    return tuple(os.path.basename(p) + ": ok" for p in mb)\n`, 3);
  const { summary, lines } = await run(fileJob(fx));
  assert.equal(summary.status, 'Completed');
  assert.equal(lines.length, 3);
});

test('a short return counts the missing results as failed items, once', async () => {
  const fx = fixture(`import os\ndef run(mb):\n    return [os.path.basename(mb[0]) + ": ok"]\n`, 4);
  const { summary, lines } = await run(fileJob(fx));
  assert.equal(summary.counts.items.succeeded, 2);
  assert.equal(summary.counts.items.failed, 2);
  assert.equal(summary.counts.miniBatches.retried, 0, 'a short return is not retried');
  assert.deepEqual(
    summary.failures.map((f) => f.reason),
    ['short_return', 'short_return'],
  );
  assertAccounting(summary, fx.files, keysOf(lines));
});

test('a long return writes every row and warns', async () => {
  const fx = fixture(`import os\ndef run(mb):\n    return [os.path.basename(p) + ": " + s for p in mb for s in ("a", "b")]\n`, 2);
  const { summary, lines } = await run(fileJob(fx));
  assert.equal(summary.status, 'Completed');
  assert.equal(summary.counts.items.succeeded, 2);
  assert.equal(lines.length, 4);
  assert.ok(
    summary.warnings.some((w) => /returned 4/.test(w) || /4 result/.test(w)),
    summary.warnings.join('\n'),
  );
});

test('writes values with spaces, newlines and unicode exactly as str() does', async () => {
  const fx = fixture(`def run(mb):\n    return ["a b  c", "ünï ✓ 数字", "two\\nlines"][:len(mb)]\n`, 3);
  const { summary } = await run(fileJob(fx, { miniBatchSize: 3 }));
  const { readFileSync } = await import('node:fs');
  assert.equal(readFileSync(summary.outputFile!, 'utf8'), 'a b  c\nünï ✓ 数字\ntwo\nlines\n');
  assert.ok(
    summary.warnings.some((w) => /newline/.test(w)),
    'a row holding a newline is pointed out',
  );
});
