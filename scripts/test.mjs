// README command 2: every test suite, then one closing line `N passed, N failed` for people and CI.
// Usage: node scripts/test.mjs [unit|engine|python|...]  (no argument: all suites)
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build, ensureSampleData, python, pythonEnv, root } from './python-env.mjs';

const suites = {
  unit: () => nodeTests('out/test/unit'),
  engine: () => nodeTests('out/test/engine'),
  python: () => pythonTests(),
  // Inside a real VS Code (code-server + headless chromium; installed once by scripts/vscode-host/setup.mjs).
  integration: () => childSuite('test/integration/run.mjs'),
  ui: () => childSuite('test/ui/run.mjs'),
};
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(suites);

ensureSampleData('digits');
ensureSampleData('tabular');
build();

const totals = { passed: 0, failed: 0, skipped: 0 };
for (const name of wanted) {
  if (!suites[name]) {
    console.error(`unknown suite ${name}; suites: ${Object.keys(suites).join(', ')}`);
    process.exit(2);
  }
  console.log(`\n=== ${name} tests`);
  if ((name === 'integration' || name === 'ui') && !process.env.PARALLEL_RUN_TEST_VSIX && process.env.PARALLEL_RUN_SETUP_UI !== '0') {
    // The VS Code suites install the extension's VSIX: package it once for both (scripts/vscode-host/vsix.mjs).
    const { testVsix } = await import('./vscode-host/vsix.mjs');
    try {
      testVsix();
    } catch (e) {
      console.log(e instanceof Error ? e.message : e); // each suite then fails on it, with this message
    }
  }
  const r = suites[name]();
  console.log(`=== ${name}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
  for (const k of Object.keys(totals)) totals[k] += r[k];
}
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);

function findTests(dir) {
  const abs = path.join(root, dir);
  try {
    statSync(abs);
  } catch {
    return [];
  }
  return readdirSync(abs, { recursive: true })
    .filter((f) => String(f).endsWith('.test.js'))
    .map((f) => path.join(abs, String(f)))
    .sort();
}

function nodeTests(dir) {
  const files = findTests(dir);
  if (files.length === 0) return { passed: 0, failed: 0, skipped: 0 };
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'prs-tap-'));
  const tap = path.join(tmp, 'result.tap');
  const r = spawnSync(
    process.execPath,
    [
      '--test',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      ...files,
    ],
    { stdio: 'inherit', cwd: root, env: pythonEnv() },
  );
  const text = readFileSync(tap, 'utf8');
  rmSync(tmp, { recursive: true, force: true });
  const count = (key) => Number(new RegExp(`^# ${key} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
  const result = { passed: count('pass'), failed: count('fail'), skipped: count('skipped') + count('todo') };
  if (r.status !== 0 && result.failed === 0) result.failed = 1; // a crash of the runner itself
  return result;
}

function pythonTests() {
  const r = spawnSync(python(), ['-m', 'unittest', 'discover', '-s', 'tests', '-v'], {
    cwd: path.join(root, 'python'),
    env: pythonEnv(),
    encoding: 'utf8',
  });
  process.stdout.write(r.stdout ?? '');
  process.stdout.write(r.stderr ?? '');
  const out = `${r.stdout}\n${r.stderr}`;
  const ran = Number(/^Ran (\d+) tests?/m.exec(out)?.[1] ?? 0);
  const failures = Number(/failures=(\d+)/.exec(out)?.[1] ?? 0) + Number(/errors=(\d+)/.exec(out)?.[1] ?? 0);
  const skipped = Number(/skipped=(\d+)/.exec(out)?.[1] ?? 0);
  const failed = r.status !== 0 && failures === 0 ? 1 : failures;
  return { passed: ran - failures - skipped, failed, skipped };
}

/** A suite run by its own Node script, which writes {passed, failed, skipped} to the file after --json. */
function childSuite(script) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'prs-suite-'));
  const json = path.join(tmp, 'counts.json');
  const r = spawnSync(process.execPath, [path.join(root, script), '--json', json], { stdio: 'inherit', cwd: root, env: pythonEnv() });
  let result = { passed: 0, failed: 0, skipped: 0 };
  try {
    result = JSON.parse(readFileSync(json, 'utf8'));
  } catch {
    result.failed = 1; // the runner itself crashed before writing its counts
  }
  rmSync(tmp, { recursive: true, force: true });
  if (r.status !== 0 && result.failed === 0) result.failed = 1;
  return result;
}
