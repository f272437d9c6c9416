// The UI test of the documented "try Azure with no account" command: `node scripts/try-azure.mjs` as a user
// starts it (in a scratch profile, on a free port), the printed URL opened in headless chromium, the user's
// clicks (trust the folder, sign in, Allow, expand the subscription, the workspace, Jobs and Data), then Ctrl-C
// (SIGINT): the launcher exits, and nothing it started is left — no process of its code-server, and neither the
// fake ARM's nor Azurite's port answers. Run by test/ui/run.mjs (`node test/ui/run.mjs try-azure` alone).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { chromiumArgs, chromiumPath, root, withTimeout } from '../integration/host.mjs';
import { screenshotsDir } from './pixels.mjs';
import { runSteps } from './workbench.mjs';

const JOBS = 30; // with the fake's 3: 33 jobs, 25 a page
const PAGE = 25;

/** Resolves with {passed, failed, skipped}. */
export async function runTryAzureUi({ timeoutS = Number(process.env.PARALLEL_RUN_VSCODE_TIMEOUT_S || 300) } = {}) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  if (process.env.PARALLEL_RUN_SETUP_UI === '0') {
    console.log('ui try-azure: skipped (PARALLEL_RUN_SETUP_UI=0: no chromium / code-server on this machine)');
    counts.skipped = 1;
    return counts;
  }
  const started = Date.now();
  mkdirSync(path.join(root, '.vscode-test', 'tmp'), { recursive: true });
  const scratch = mkdtempSync(path.join(root, '.vscode-test', 'tmp', 'try-azure-'));
  const profile = path.relative(path.join(root, '.vscode-test'), scratch);
  const tmp = mkdtempSync(path.join('/tmp', 'prs-try-'));
  const port = await freePort();
  const authReady = path.join(tmp, 'fake-auth-ready');
  let launcher;
  let output = '';
  let browser;
  const steps = [];
  const step = (name, fn) => steps.push({ name, fn });
  let page;
  let url;
  let endpoints = [];

  step('`npm run try-azure` builds what is stale, starts the test bed and prints the URL and what to click', async () => {
    launcher = spawn(process.execPath, [path.join(root, 'scripts', 'try-azure.mjs'), '--jobs', String(JOBS), '--page-size', String(PAGE)], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        PARALLEL_RUN_TRY_AZURE_PROFILE: profile,
        HOME: path.join(scratch, 'home'),
        TMPDIR: tmp,
        FAKE_AUTH_READY_FILE: authReady,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    launcher.stdout.on('data', (d) => (output += d));
    launcher.stderr.on('data', (d) => (output += d));
    const deadline = Date.now() + 180_000;
    while (!/Press Ctrl-C to stop everything/.test(output)) {
      if (launcher.exitCode !== null) throw new Error(`try-azure exited (${launcher.exitCode}) before it was ready:\n${output}`);
      if (Date.now() > deadline) throw new Error(`try-azure printed no URL within 180 s:\n${output}`);
      await sleep(200);
    }
    url = /(http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+)/.exec(output)?.[1];
    if (!url || !url.includes(`:${port}/`)) throw new Error(`no URL on port ${port} in:\n${output}`);
    for (const want of [
      'A LOCAL TEST BED, NOT AZURE',
      'Local test subscription',
      'Sign in to Azure…',
      `${JOBS + 3} jobs, ${PAGE} a page`,
      '/inject',
    ]) {
      if (!output.includes(want)) throw new Error(`the instructions do not say ${JSON.stringify(want)}:\n${output}`);
    }
    endpoints = [...output.matchAll(/(?:https?):\/\/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1])).filter((p) => p !== port);
    console.log(`    · ${url}; test bed ports ${[...new Set(endpoints)].join(', ')}`);
  });

  step('in the browser: trust the folder, sign in (Allow), the subscription, the workspace, Jobs with "Load more…", Data', async () => {
    const { chromium } = await import('playwright-core');
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
    page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage();
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // Workspace Trust is on, as in a user's VS Code: the first visit asks.
    const trust = page.locator('.monaco-dialog-box .monaco-button', { hasText: /Yes, I trust the authors/ });
    await trust.waitFor({ timeout: 30_000 });
    await trust.click();
    const container = page.locator('.activitybar .action-item .action-label[aria-label="Parallel Run"]');
    await container.waitFor({ timeout: 60_000 });
    // Opening the view asks for a session: only once the fake sign-in provider is registered (it says so in a file).
    const until = Date.now() + 60_000;
    while (!existsSync(authReady)) {
      if (Date.now() > until) throw new Error(`the test-only sign-in provider did not start within 60 s (no ${authReady})`);
      await sleep(100);
    }
    await container.click();
    const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: /^\s*Azure ML/i }) }).first();
    const row = (label) =>
      view
        .locator('.monaco-list-row')
        .filter({ has: page.locator('.label-name', { hasText: label }) })
        .first();
    const expand = async (label) => {
      await row(label).waitFor({ timeout: 20_000 });
      if ((await row(label).getAttribute('aria-expanded')) !== 'true') await row(label).locator('.monaco-tl-twistie').click();
    };
    const localRuns = page.locator('.pane-header', { hasText: /^\s*Local Runs/i }).first();
    if ((await localRuns.getAttribute('aria-expanded')) === 'true') await localRuns.click();
    await row(/^Sign in to Azure…$/).click();
    const dialog = page.locator('.monaco-dialog-box', { hasText: /wants to sign in/ });
    await dialog.waitFor({ timeout: 15_000 });
    await dialog.locator('.monaco-button', { hasText: /^\s*Allow\s*$/ }).click();
    await expand(/^Local test subscription$/);
    await expand(/^local-ws$/);
    await expand(/^Jobs$/);
    const jobs = view.locator('.monaco-list-row').filter({ has: page.locator('.label-name', { hasText: /^job-\d{5}$/ }) });
    await row(/^Load more…$/).waitFor({ timeout: 20_000 });
    if ((await jobs.count()) !== PAGE) throw new Error(`Jobs shows ${await jobs.count()} jobs before "Load more…", not ${PAGE}`);
    await row(/^Jobs$/)
      .locator('.monaco-tl-twistie')
      .click();
    await expand(/^Data$/);
    // The rich world: a data asset of each type.
    for (const asset of ['digits', 'digits-labels', 'iris-table']) await row(new RegExp(`^${asset}$`)).waitFor({ timeout: 20_000 });
    await page.mouse.move(900, 900);
    const file = path.join(screenshotsDir, 'try-azure.png');
    await page.screenshot({ path: file });
    console.log(`    · screenshot ${path.relative(root, file)}`);
  });

  step('Ctrl-C stops everything: the launcher exits, its code-server, fake ARM and Azurite are gone', async () => {
    await browser?.close();
    browser = undefined;
    const exited = new Promise((resolve) =>
      launcher.exitCode !== null ? resolve(launcher.exitCode) : launcher.once('exit', (code, signal) => resolve(code ?? signal)),
    );
    launcher.kill('SIGINT');
    const code = await withTimeout(exited, 30_000, `try-azure did not exit within 30 s of Ctrl-C:\n${output.slice(-2000)}`);
    if (code !== 130) throw new Error(`try-azure exited with ${code} after Ctrl-C, not 130:\n${output.slice(-2000)}`);
    if (!/Stopped the fake ARM and Azurite/.test(output))
      throw new Error(`try-azure did not say it stopped the test bed:\n${output.slice(-2000)}`);
    const left = processesMentioning(scratch);
    if (left.length) throw new Error(`processes of the launcher's code-server left after Ctrl-C: ${left.join('; ')}`);
    for (const p of new Set(endpoints))
      if (await listening(p)) throw new Error(`port ${p} (fake ARM / Azurite / control) still answers after Ctrl-C`);
  });

  try {
    await runSteps(steps, {
      counts,
      deadline: started + timeoutS * 1000,
      limitMessage: `the try-azure steps ran past their ${timeoutS} s limit (PARALLEL_RUN_VSCODE_TIMEOUT_S)`,
      name: 'try-azure',
      page: () => page,
      screenshotsDir,
      root,
    });
  } finally {
    await browser?.close().catch(() => {});
    if (launcher && launcher.exitCode === null) {
      launcher.kill('SIGINT');
      await sleep(5000);
      if (launcher.exitCode === null) launcher.kill('SIGKILL');
    }
    for (const pid of processesMentioning(scratch, true)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    rmSync(scratch, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    rmSync(tmp, { recursive: true, force: true });
  }
  console.log(
    `--- ui try-azure: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return counts;
}

/** Processes whose command line mentions `dir` (the launcher's scratch profile): "pid cmdline", or pids. */
function processesMentioning(dir, pids = false) {
  const out = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p) || Number(p) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmd.includes(dir)) out.push(pids ? Number(p) : `${p} ${cmd.slice(0, 160)}`);
    } catch {
      /* gone */
    }
  }
  return out;
}

function listening(port) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

async function freePort() {
  const server = net.createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
