/**
 * A tiny test runner for inside the extension host (no mocha): `test(name, fn)` registers, `runTestFiles(dir)`
 * loads every `*.test.js` there, runs them one at a time with a timeout each, prints one line per test and
 * writes the counts to $PARALLEL_RUN_TEST_RESULTS for test/integration/run.mjs. It rejects when a test failed,
 * which makes the extension host exit with 1.
 */
import * as fs from 'fs';
import * as path from 'path';
import { inspect } from 'util';

export interface TestOptions {
  /** Per-test limit; the default is 20 s. */
  timeoutMs?: number;
}

interface TestCase {
  file: string;
  name: string;
  fn: () => unknown;
  timeoutMs: number;
}

interface TestResult {
  file: string;
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  ms: number;
  error?: string;
}

/** Lines the outer runner picks out of the workbench log start with this. */
export const MARK = '[prs-test]';

const cases: TestCase[] = [];
let loading = '';

/** Registers a test of the file being loaded. */
export function test(name: string, fn: () => unknown, options: TestOptions = {}): void {
  cases.push({ file: loading, name, fn, timeoutMs: options.timeoutMs ?? 20_000 });
}

/** Thrown by a test (through `skip()`) that cannot run here; counted as skipped with the reason. */
export class Skip extends Error {}
export function skip(reason: string): never {
  throw new Skip(reason);
}

/** A line of information under the running test, shown with the results. */
export function note(text: string): void {
  say(`    · ${text}`);
}

function say(line: string): void {
  console.log(`${MARK} ${line}`);
  const logFile = process.env.PARALLEL_RUN_TEST_LOG;
  if (logFile) fs.appendFileSync(logFile, line + '\n');
}

function describe(e: unknown): string {
  if (e instanceof Error) return e.stack ?? `${e.name}: ${e.message}`;
  return inspect(e);
}

async function runOne(c: TestCase): Promise<TestResult> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.resolve().then(c.fn),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${c.timeoutMs} ms`)), c.timeoutMs);
      }),
    ]);
    return { file: c.file, name: c.name, status: 'passed', ms: Date.now() - started };
  } catch (e) {
    if (e instanceof Skip) return { file: c.file, name: c.name, status: 'skipped', ms: Date.now() - started, error: e.message };
    return { file: c.file, name: c.name, status: 'failed', ms: Date.now() - started, error: describe(e) };
  } finally {
    clearTimeout(timer);
  }
}

/** Loads and runs every `*.test.js` directly in `dir` (filtered by $PARALLEL_RUN_TEST_GREP on "file › name"). */
export async function runTestFiles(dir: string): Promise<void> {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  const results: TestResult[] = [];
  for (const f of files) {
    loading = f.replace(/\.test\.js$/, '');
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the suite's files register their tests as they load
      require(path.join(dir, f));
    } catch (e) {
      results.push({ file: loading, name: '(loading the file)', status: 'failed', ms: 0, error: describe(e) });
    }
  }
  const grep = process.env.PARALLEL_RUN_TEST_GREP ? new RegExp(process.env.PARALLEL_RUN_TEST_GREP, 'i') : undefined;
  for (const r of results) say(`✖ ${r.file} › ${r.name}\n${indent(r.error ?? '')}`);
  for (const c of cases) {
    if (grep && !grep.test(`${c.file} › ${c.name}`)) continue;
    const r = await runOne(c);
    results.push(r);
    if (r.status === 'passed') say(`✔ ${r.file} › ${r.name} (${r.ms} ms)`);
    else if (r.status === 'skipped') say(`- ${r.file} › ${r.name} (skipped: ${r.error})`);
    else say(`✖ ${r.file} › ${r.name} (${r.ms} ms)\n${indent(r.error ?? '')}`);
  }
  const count = (s: TestResult['status']): number => results.filter((r) => r.status === s).length;
  const summary = { passed: count('passed'), failed: count('failed'), skipped: count('skipped'), tests: results };
  say(`${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`);
  if (process.env.PARALLEL_RUN_TEST_RESULTS) fs.writeFileSync(process.env.PARALLEL_RUN_TEST_RESULTS, JSON.stringify(summary, null, 2));
  if (summary.failed > 0) throw new Error(`${summary.failed} test(s) failed`);
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}
