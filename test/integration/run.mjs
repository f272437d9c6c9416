// Runs the integration tests inside a real VS Code: for each scenario, code-server + headless chromium open a
// scratch copy of samples/digits with the repository as the extension under development and a compiled test
// index as extensionTestsPath (VS Code's smoke-test-driver payload). The index runs in the extension host;
// its lines come back through window.codeAutomationLog, its exit code through window.codeAutomationExit,
// its counts through a JSON file. Usage:
//   node test/integration/run.mjs [trusted|untrusted]… [--json counts.json]
//   PARALLEL_RUN_TEST_GREP=codelens node test/integration/run.mjs
// Build first (`node scripts/test.mjs integration` does): `npx tsc -b . && node esbuild.mjs`.
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureHost } from '../../scripts/vscode-host/setup.mjs';
import { testVsix } from '../../scripts/vscode-host/vsix.mjs';
import { fakeAuthProvider, startTestBed } from '../fakes/testbed.mjs';
import { chromiumPath, copySample, logDirFor, root, startVsCode, withTimeout } from './host.mjs';

const suiteOut = path.join(root, 'out', 'test', 'integration', 'suite');
/**
 * A test fixture registered as ms-python.debugpy: attaches VS Code straight to debugpy's own DAP server, so the
 * Debug locally tests run without the real Python Debugger extension (which cannot be installed offline).
 */
export const debugpyStandin = path.join(root, 'test', 'integration', 'fixtures', 'debugpy-standin');

/** The test-only sign-in provider for `microsoft` / `microsoft-sovereign-cloud` (unsigned JWTs the fake ARM accepts). */
export { fakeAuthProvider };

/**
 * Trust is a property of the whole window, so the untrusted-workspace tests get a VS Code of their own.
 * `install`: extension folders installed into that VS Code's --extensions-dir (as copies).
 */

export const scenarios = {
  trusted: { index: path.join(suiteOut, 'index.js'), trust: false, install: [debugpyStandin] },
  // The Azure ML view against the HTTPS fake ARM this process starts (fakeArm), signed in through fakeAuthProvider.
  azure: { index: path.join(suiteOut, 'azure', 'index.js'), trust: false, install: [fakeAuthProvider], fakeArm: true },
  untrusted: { index: path.join(suiteOut, 'untrusted', 'index.js'), trust: true },
};

/** Runs the scenarios; resolves with {passed, failed, skipped}. Never throws: a broken harness counts as a failure. */
export async function runIntegration(
  names = Object.keys(scenarios),
  { timeoutS = Number(process.env.PARALLEL_RUN_VSCODE_TIMEOUT_S || 600) } = {},
) {
  const totals = { passed: 0, failed: 0, skipped: 0 };
  if (process.env.PARALLEL_RUN_SETUP_UI === '0') {
    console.log('integration: skipped (PARALLEL_RUN_SETUP_UI=0: no chromium / code-server on this machine)');
    totals.skipped = 1;
    return totals;
  }
  const unknown = names.filter((n) => !scenarios[n]);
  if (unknown.length) {
    console.log(`✖ integration: unknown scenario ${unknown.join(', ')}; scenarios: ${Object.keys(scenarios).join(', ')}`);
    totals.failed = 1;
    return totals;
  }
  const problem = missingPrerequisite();
  if (problem) {
    console.log(`✖ integration: ${problem}`);
    totals.failed = 1;
    return totals;
  }
  let vsix;
  try {
    ensureHost(); // the first time ~2.5 min: not part of the suite's time limit
    vsix = testVsix(); // packaged once per test command (scripts/test.mjs), not part of the time limit either
  } catch (e) {
    console.log(`✖ integration: ${e instanceof Error ? e.message : e}`);
    totals.failed = 1;
    return totals;
  }
  const deadline = Date.now() + timeoutS * 1000;
  for (const name of names) {
    const scenario = { vsix, ...scenarios[name] };
    console.log(`--- ${name} workspace${scenario.trust ? ' (workspace trust on, folder not trusted)' : ''}`);
    const left = deadline - Date.now();
    const r = left > 0 ? await runScenario(name, scenario, left, timeoutS) : timedOut(name, timeoutS);
    for (const k of Object.keys(totals)) totals[k] += r[k];
  }
  return totals;
}

function missingPrerequisite() {
  if (!existsSync(chromiumPath)) return `${chromiumPath} not found: apt-get install chromium (or set PARALLEL_RUN_CHROMIUM)`;
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const main = path.join(root, manifest.main ?? 'dist/extension.js');
  if (!existsSync(main)) return `${path.relative(root, main)} not built: run node esbuild.mjs`;
  if (!existsSync(scenarios.trusted.index)) return `${path.relative(root, scenarios.trusted.index)} not compiled: run npx tsc -b .`;
  return undefined;
}

function timedOut(name, timeoutS) {
  console.log(`✖ ${name}: not started, the integration suite ran past its ${timeoutS} s limit (PARALLEL_RUN_VSCODE_TIMEOUT_S)`);
  return { passed: 0, failed: 1, skipped: 0 };
}

/** One VS Code window: `scenario` is {index, trust, install?, extensionPath = the repository}; resolves with its counts. */
export async function runScenario(name, scenario, budgetMs, timeoutS) {
  const started = Date.now();
  let vscode;
  let sawTestLines = false;
  const logName = `integration-${name}`;
  const resultsFile = path.join(logDirFor(logName), 'results.json');
  const logFile = path.join(logDirFor(logName), 'tests.log');
  // The fake ARM with a control port the tests call to inject faults and seed jobs (they run in the extension
  // host, the fake in this process); its CA reaches code-server as NODE_EXTRA_CA_CERTS, its settings point
  // the sovereign-cloud `custom` environment (sign-in and ARM) at it.
  const fake = scenario.fakeArm ? await startTestBed({ azurite: true }) : undefined;
  try {
    vscode = await startVsCode({
      name: logName,
      trust: scenario.trust,
      install: scenario.install,
      // The extension as users get it: its VSIX installed into the extensions folder (no development path).
      vsix: scenario.extensionPath ? undefined : scenario.vsix,
      settings: fake?.settings,
      folder: (ws) => copySample('digits', ws),
      // Environment variables of code-server reach the extension host, where the test index reads these.
      env: {
        PARALLEL_RUN_TEST_RESULTS: resultsFile,
        PARALLEL_RUN_TEST_LOG: logFile,
        PARALLEL_RUN_TEST_GREP: process.env.PARALLEL_RUN_TEST_GREP ?? '',
        // Fixtures and samples that do not ship in the VSIX (test/integration/suite/helpers.ts repoPath).
        PARALLEL_RUN_REPO_ROOT: root,
        // The fake sign-in provider writes it once registered; the Azure tests wait for it (test/fakes/auth-provider).
        ...(fake ? { FAKE_AUTH_READY_FILE: path.join(logDirFor(logName), 'fake-auth-ready') } : {}),
        ...fake?.env,
      },
    });
    const { page } = vscode;

    let resolveExit;
    const exited = new Promise((resolve) => (resolveExit = resolve));
    const workbenchLog = [];
    await page.exposeFunction('codeAutomationLog', (level, message) => {
      const text = String(message);
      const i = text.indexOf('[prs-test] ');
      if (i >= 0) {
        sawTestLines = true;
        console.log(`  ${text.slice(i + 11).replace(/\n/g, '\n  ')}`);
      }
      workbenchLog.push(`[${level}] ${text}`);
    });
    await page.exposeFunction('codeAutomationExit', (code, logs) => resolveExit({ code, logs }));
    // VS Code runs extensionTestsPath only with a development path: the installed VSIX's folder, so the
    // extension runs from exactly what the VSIX holds. The test files must sit inside that folder too (VS Code
    // gives a file outside every extension an API that acts for no extension: sign-in grants, for one, would
    // not reach ours): the compiled suite is copied in, under a name no VSIX file has.
    let index = scenario.index;
    if (vscode.extensionDir) {
      const tests = path.join(vscode.extensionDir, '.integration-tests');
      cpSync(suiteOut, tests, { recursive: true });
      index = path.join(tests, path.relative(suiteOut, scenario.index));
    }
    await page.goto(
      vscode.url([
        ['extensionDevelopmentPath', vscode.extensionDir ?? scenario.extensionPath ?? root],
        ['extensionTestsPath', index],
      ]),
    );
    const { code, logs } = await withTimeout(
      exited,
      budgetMs,
      `the integration suite did not finish within ${timeoutS} s (PARALLEL_RUN_VSCODE_TIMEOUT_S); logs in ${path.relative(root, vscode.logDir)}`,
    );
    writeFileSync(path.join(vscode.logDir, 'workbench.log'), workbenchLog.join('\n'));
    for (const l of logs ?? []) {
      const to = path.join(vscode.logDir, 'vscode-logs', l.relativePath);
      mkdirSync(path.dirname(to), { recursive: true });
      writeFileSync(to, l.contents);
    }
    let r = { passed: 0, failed: 0, skipped: 0 };
    if (existsSync(resultsFile)) {
      const json = JSON.parse(readFileSync(resultsFile, 'utf8'));
      r = { passed: json.passed, failed: json.failed, skipped: json.skipped };
      if (!sawTestLines && existsSync(logFile)) console.log(readFileSync(logFile, 'utf8').replace(/^/gm, '  '));
    } else {
      console.log(`✖ ${name}: the test index wrote no results (exit code ${code}); see ${path.relative(root, vscode.logDir)}/`);
      r.failed = 1;
    }
    if (code !== 0 && r.failed === 0) {
      console.log(`✖ ${name}: the extension host exited with ${code} although no test failed; see ${path.relative(root, vscode.logDir)}/`);
      r.failed = 1;
    }
    console.log(
      `--- ${name}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    return r;
  } catch (e) {
    console.log(`✖ ${name}: ${e instanceof Error ? e.message : e}`);
    return { passed: 0, failed: 1, skipped: 0 };
  } finally {
    await vscode?.stop();
    await fake?.stop();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const jsonAt = args.indexOf('--json');
  const jsonFile = jsonAt >= 0 ? args.splice(jsonAt, 2)[1] : undefined;
  const r = await runIntegration(args.length ? args : undefined);
  if (jsonFile) writeFileSync(jsonFile, JSON.stringify(r));
  console.log(`integration: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
  process.exit(r.failed > 0 ? 1 : 0);
}
