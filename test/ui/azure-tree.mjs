// The UI test of the Azure ML view, driven like a user through headless chromium in code-server against the
// local test bed (test/fakes/testbed.mjs: the HTTPS fake ARM, its CA trusted through NODE_EXTRA_CA_CERTS, and
// the test-only sign-in provider): sign in through VS Code's own consent dialog, expand every level
// (subscription → workspace → Compute, Datastores, Data → versions, Models → versions, Environments → versions,
// Jobs → steps), page the Jobs with "Load more…", turn a folder into an error row with a fault on its route and
// recover with Retry. Screenshots (test-results/screenshots/azure-*.png) of the expanded tree in the light and
// dark themes and of the error row, each checked for what a person sees (median luminance of the side bar).
// Run by test/ui/run.mjs (`node test/ui/run.mjs azure` for this part alone).
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { controlCall, fakeAuthProvider, startTestBed } from '../fakes/testbed.mjs';
import { copySample, root, startVsCode } from '../integration/host.mjs';
import { DARK_MAX, LIGHT_MIN, effectiveBackground, luminance, pngMedianLuminance, screenshotsDir } from './pixels.mjs';
import { runSteps } from './workbench.mjs';

/** Jobs per page in this test bed, and how many jobs it holds: more than a page, so "Load more…" shows once. */
const PAGE = 10;
const SEEDED_JOBS = 3; // the fake's own seed
const EXTRA_JOBS = 9;

/** Runs the Azure ML view steps in a VS Code of their own; resolves with {passed, failed, skipped}. */
export async function runAzureTreeUi({
  extensionPath = root,
  vsix,
  timeoutS = Number(process.env.PARALLEL_RUN_VSCODE_TIMEOUT_S || 300),
} = {}) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  if (process.env.PARALLEL_RUN_SETUP_UI === '0') {
    console.log('ui azure: skipped (PARALLEL_RUN_SETUP_UI=0: no chromium / code-server on this machine)');
    counts.skipped = 1;
    return counts;
  }
  const started = Date.now();
  mkdirSync(screenshotsDir, { recursive: true });
  const steps = [];
  const step = (name, fn) => steps.push({ name, fn });
  let vscode;
  let bed;
  let page;
  const authDir = mkdtempSync(path.join(os.tmpdir(), 'prs-fake-auth-'));
  const authReady = path.join(authDir, 'ready');
  /** The Azure ML view's pane (its rows are `.monaco-list-row` inside). */
  const view = () => page.locator('.pane', { has: page.locator('.pane-header', { hasText: /^\s*Azure ML/i }) }).first();
  const rows = () => view().locator('.monaco-list-row');
  /** The row whose label is exactly `label` (or matches a RegExp). */
  const errorRows = () =>
    rows()
      .filter({ has: page.locator('.codicon-error') })
      .filter({ has: page.locator('.label-description', { hasText: /^\s*Retry\s*$/ }) });
  const row = (label) =>
    rows()
      .filter({ has: page.locator('.label-name', { hasText: label instanceof RegExp ? label : exact(label) }) })
      .first();

  step('signed out, the Azure ML view offers "Sign in to Azure…"; VS Code\'s consent dialog signs in', async () => {
    await page.goto(vscode.url());
    await page.locator('.monaco-workbench').waitFor({ timeout: 30_000 });
    // The extension's view container shows in the activity bar once VS Code has read the installed extensions
    // (before that, its commands are not in the palette either): open it there, as a user does.
    const container = page.locator('.activitybar .action-item .action-label[aria-label="Parallel Run"]');
    await container.waitFor({ timeout: 60_000 });
    // Opening the view asks for a session: only once the fake sign-in provider is registered (it says so in a file).
    const deadline = Date.now() + 60_000;
    while (!existsSync(authReady)) {
      if (Date.now() > deadline) throw new Error(`the test-only sign-in provider did not start within 60 s (no ${authReady})`);
      await page.waitForTimeout(100);
    }
    await container.click();
    await view().waitFor({ timeout: 15_000 });
    // A side bar wide enough for the rows' descriptions (state, nodes, VM size; type and path), as a user widens it.
    await widenSideBar(560);
    // Local Runs shares the side bar: fold it, so the whole Azure tree fits the screenshots.
    const localRuns = page.locator('.pane-header', { hasText: /^\s*Local Runs/i }).first();
    if ((await localRuns.getAttribute('aria-expanded')) === 'true') await localRuns.click();
    await row('Sign in to Azure…').waitFor({ timeout: 30_000 });
    await row('Sign in to Azure…').click();
    // VS Code asks whether the extension may sign in with the (fake) Microsoft provider: Allow, as a user does.
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 15_000 });
    const text = (await dialog.innerText()).replace(/\s+/g, ' ');
    if (!/sign in/i.test(text)) throw new Error(`the sign-in dialog reads ${JSON.stringify(text)}`);
    console.log(`    · consent dialog: ${JSON.stringify(text.slice(0, 160))}`);
    await dialog.locator('.monaco-button', { hasText: /^\s*Allow\s*$/ }).click();
    await row('Local test subscription').waitFor({ timeout: 30_000 });
    await row(/^Local MFA tenant: Sign in to this tenant…$/).waitFor({ timeout: 10_000 });
  });

  step('every level expands: workspace → six folders → items → versions, a pipeline job → its step', async () => {
    await expand('Local test subscription');
    await expand(/^local-ws$/);
    for (const folder of ['Compute', 'Datastores', 'Data', 'Models', 'Environments', 'Jobs'])
      await row(folder).waitFor({ timeout: 15_000 });
    const levels = {
      Compute: ['cpu-cluster', 'dev-instance'],
      Datastores: ['workspaceblobstore', 'workspaceartifactstore'],
      Data: ['digits'],
      Models: ['digits-model'],
      Environments: ['sklearn-env'],
    };
    for (const [folder, items] of Object.entries(levels)) {
      await expand(folder);
      for (const item of items) await row(item).waitFor({ timeout: 15_000 });
    }
    // Assets → versions: version "1" of each (a row whose label starts with the version).
    for (const asset of ['digits', 'digits-model', 'sklearn-env']) {
      await expand(asset);
      await waitForChildren(asset, 15_000);
    }
    await expand('Jobs');
    const newest = `job-${String(SEEDED_JOBS + EXTRA_JOBS - 1).padStart(5, '0')}`;
    await row(new RegExp(`^${newest}`)).waitFor({ timeout: 15_000 });
    await expand(new RegExp(`^${newest}`));
    await row(/batch_inference_node/).waitFor({ timeout: 15_000 });
    await assertNoErrorRows();
    const labels = await visibleLabels();
    console.log(`    · ${labels.length} rows: ${labels.slice(0, 40).join(' | ')}`);
    await page.mouse.move(900, 900); // no row hovered (its inline actions) in the screenshots
    await settle();
    await shot('azure-tree-light', 'light');
  });

  step('the expanded tree in the dark theme', async () => {
    await switchTheme('Dark Modern', 'vs-dark');
    await settle();
    await shot('azure-tree-dark', 'dark');
  });

  step('Jobs pages with "Load more…": the second page follows the first, and the last page has no "Load more…"', async () => {
    // Fold what is above, so the whole Jobs list is on screen.
    for (const f of ['Compute', 'Datastores', 'Data', 'Models', 'Environments']) await collapse(f);
    await collapse(/^job-\d+$/);
    const jobRows = () => rows().filter({ has: page.locator('.label-name', { hasText: /^job-\d{5}$/ }) });
    await waitForCount(jobRows(), PAGE, 10_000);
    const first = await jobRows().count();
    if (first !== PAGE) throw new Error(`the first page lists ${first} jobs, not ${PAGE}`);
    await row('Load more…').click();
    const all = SEEDED_JOBS + EXTRA_JOBS;
    if ((await waitForCount(jobRows(), all, 15_000)) !== all)
      throw new Error(`after "Load more…" the Jobs list has ${await jobRows().count()} jobs, not ${all}`);
    if ((await row('Load more…').count()) !== 0) throw new Error('"Load more…" is still there after the last page');
    const names = (await jobRows().locator('.label-name').allInnerTexts()).map((t) => t.trim());
    const sorted = [...names].sort().reverse();
    if (names.join() !== sorted.join()) throw new Error(`the jobs are not newest first: ${names.join(', ')}`);
    console.log(`    · Jobs: ${PAGE} then ${all} rows, newest first (${names[0]} … ${names.at(-1)})`);
    await collapse('Jobs');
  });

  step("a folder whose route fails is an error row with the service's message; clicking it retries and recovers", async () => {
    await controlCall(bed.control, '/inject', {
      route: 'computes.list',
      fault: {
        status: 403,
        code: 'AuthorizationFailed',
        message: 'The client has no permission to list computes in local-ws.',
        times: 'Infinity',
      },
    });
    try {
      await refreshRow('Compute');
      await expand('Compute');
      const error = errorRows()
        .filter({ hasText: /no permission to list computes/ })
        .first();
      await error.waitFor({ timeout: 20_000 });
      const label = (await error.innerText()).replace(/\s+/g, ' ').trim();
      console.log(`    · error row: ${JSON.stringify(label)}`);
      if ((await row('cpu-cluster').count()) !== 0) throw new Error('the error row shows next to the clusters of the earlier load');
      // Hovered, the row shows the whole message, the code, HTTP status and request id, and "Click to retry".
      await showHover(error, /Click to retry/);
      await shot('azure-error-dark', 'dark');
      await page.mouse.move(900, 900);
      await switchTheme('Light Modern', 'vs');
      await showHover(error, /Click to retry/);
      await shot('azure-error-light', 'light');
      await page.mouse.move(900, 900);
    } finally {
      await controlCall(bed.control, '/clear');
    }
    await errorRows().first().click();
    await row('cpu-cluster').waitFor({ timeout: 20_000 });
    if ((await errorRows().count()) !== 0) throw new Error('the error row stays after Retry');
  });

  /** Expands a collapsed row (by clicking its twistie) and waits for it to say so. */
  async function expand(label) {
    const r = row(label);
    await r.waitFor({ timeout: 15_000 });
    if ((await r.getAttribute('aria-expanded')) !== 'true') await r.locator('.monaco-tl-twistie').click();
    await waitForAttr(r, 'aria-expanded', 'true', 10_000, `${label} to expand`);
  }

  async function collapse(label) {
    const r = row(label);
    if ((await r.count()) === 0) return;
    if ((await r.getAttribute('aria-expanded')) === 'true') await r.locator('.monaco-tl-twistie').click();
    await waitForAttr(r, 'aria-expanded', 'false', 10_000, `${label} to collapse`);
  }

  /** Waits until the row after `label` is one level deeper (its children loaded, not a spinner). */
  async function waitForChildren(label, ms) {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = await view().evaluate((pane, want) => {
        const list = [...pane.querySelectorAll('.monaco-list-row')].sort((a, b) => a.offsetTop - b.offsetTop);
        const i = list.findIndex((r) => r.querySelector('.label-name')?.textContent?.trim() === want);
        if (i < 0 || i + 1 >= list.length) return false;
        const next = list[i + 1];
        const loading = next.querySelector('.codicon-loading, .codicon-tree-item-loading');
        return Number(next.getAttribute('aria-level')) === Number(list[i].getAttribute('aria-level')) + 1 && !loading;
      }, label);
      if (found) return;
      if (Date.now() > deadline) throw new Error(`${label} shows no children after ${ms / 1000} s`);
      await page.waitForTimeout(100);
    }
  }

  /** Drags the sash between the side bar and the editor until the side bar is `width` px wide. */
  async function widenSideBar(width) {
    const bar = await page.locator('.part.sidebar').boundingBox();
    if (!bar || bar.width >= width) return;
    const y = bar.y + bar.height / 2;
    await page.mouse.move(bar.x + bar.width + 1, y);
    await page.mouse.down();
    await page.mouse.move(bar.x + width, y, { steps: 8 });
    await page.mouse.up();
    const now = await page.locator('.part.sidebar').boundingBox();
    if (!now || now.width < width - 20) throw new Error(`the side bar is ${now?.width} px wide after dragging its edge to ${width} px`);
  }

  /** Hovers `locator` until VS Code's hover shows text matching `text` (it shows after a delay: wait for it). */
  async function showHover(locator, text) {
    const hover = page.locator('.monaco-hover:visible, .workbench-hover-container:visible').filter({ hasText: text }).first();
    for (let attempt = 1; ; attempt++) {
      await page.mouse.move(900, 900);
      await locator.hover();
      if (
        await hover.waitFor({ timeout: 5_000 }).then(
          () => true,
          () => false,
        )
      )
        break;
      if (attempt === 3) throw new Error(`hovering ${await locator.innerText()} shows no hover with ${text}`);
    }
    await settle();
  }

  async function refreshRow(label) {
    const r = row(label);
    await r.hover();
    const action = r.locator('.action-label[aria-label^="Refresh"]').first();
    await action.waitFor({ timeout: 5_000 });
    await action.click();
  }

  async function assertNoErrorRows() {
    // The tree framework's error rows say "Retry" as their description (failed jobs have the error icon too).
    const errors = await errorRows().allInnerTexts();
    const loading = await rows()
      .filter({ has: page.locator('.codicon-loading') })
      .allInnerTexts();
    if (errors.length || loading.length)
      throw new Error(`error or loading rows in the expanded tree: ${JSON.stringify([...errors, ...loading])}`);
  }

  async function visibleLabels() {
    return view().evaluate((pane) =>
      [...pane.querySelectorAll('.monaco-list-row')]
        .sort((a, b) => a.offsetTop - b.offsetTop)
        .map((r) => `${'  '.repeat(Number(r.getAttribute('aria-level')) - 1)}${r.querySelector('.label-name')?.textContent?.trim() ?? ''}`),
    );
  }

  async function waitForAttr(locator, name, value, ms, what) {
    const deadline = Date.now() + ms;
    while ((await locator.getAttribute(name)) !== value) {
      if (Date.now() > deadline) throw new Error(`waited ${ms / 1000} s for ${what}`);
      await page.waitForTimeout(100);
    }
  }

  async function waitForCount(locator, want, ms) {
    const deadline = Date.now() + ms;
    let n = await locator.count();
    while (n !== want && Date.now() < deadline) {
      await page.waitForTimeout(100);
      n = await locator.count();
    }
    return n;
  }

  /** Lets hover and focus styles and the list's smooth scrolling finish before a screenshot. */
  async function settle() {
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.waitForTimeout(300);
  }

  async function runCommand(label, filter) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill(`>${filter ?? label}`);
    await pick(label);
  }

  async function pick(label) {
    const match = label instanceof RegExp ? label : exact(label);
    const r = page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: match }) });
    await r.first().waitFor({ timeout: 10_000 });
    await r.first().click();
  }

  async function switchTheme(label, workbenchClass) {
    await runCommand('Preferences: Color Theme');
    await page.locator('.quick-input-widget input').fill(label);
    await pick(label);
    await page.locator(`.monaco-workbench.${workbenchClass}`).waitFor({ timeout: 15_000 });
  }

  /** Saves a screenshot and checks that the side bar (the tree) looks `kind`, computed and in the pixels. */
  async function shot(name, kind) {
    const file = path.join(screenshotsDir, `${name}.png`);
    const png = await page.screenshot({ path: file });
    console.log(`    · screenshot ${path.relative(root, file)}`);
    const box = await view().boundingBox();
    const [median] = await pngMedianLuminance(vscode.browser, png, [box]);
    const computed = luminance(await effectiveBackground(page.mainFrame(), '.monaco-workbench .part.sidebar'));
    const ok = (l) => (kind === 'dark' ? l < DARK_MAX : l > LIGHT_MIN);
    if (!ok(median) || !ok(computed))
      throw new Error(
        `${name}.png: the Azure ML view does not look ${kind} (median luminance ${median.toFixed(3)}, side bar background ${computed.toFixed(3)})`,
      );
    console.log(`      ${kind}: Azure ML view median luminance ${median.toFixed(3)}`);
  }

  try {
    bed = await startTestBed({ pageSize: PAGE, jobs: EXTRA_JOBS });
    vscode = await startVsCode({
      name: 'ui-azure',
      trust: false,
      folder: (ws) => copySample('digits', ws),
      // The extension (its VSIX when given, else a copy of the folder) and the test-only sign-in provider.
      install: vsix ? [fakeAuthProvider] : [extensionPath, fakeAuthProvider],
      vsix,
      settings: { ...bed.settings, 'workbench.colorTheme': 'Default Light Modern' },
      env: { ...bed.env, FAKE_AUTH_READY_FILE: authReady },
      viewport: { width: 1280, height: 1100 },
    });
    page = vscode.page;
    await runSteps(steps, {
      counts,
      deadline: started + timeoutS * 1000,
      limitMessage: `the Azure UI steps ran past their ${timeoutS} s limit (PARALLEL_RUN_VSCODE_TIMEOUT_S)`,
      name: 'azure',
      page: () => page,
      screenshotsDir,
      root,
    });
  } catch (e) {
    console.log(`  ✖ azure ui: ${e instanceof Error ? e.message : e}`);
    counts.failed++;
  } finally {
    await vscode?.stop();
    await bed?.stop();
    rmSync(authDir, { recursive: true, force: true });
  }
  console.log(
    `--- ui azure: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped in ${((Date.now() - started) / 1000).toFixed(1)} s; logs in test-results/vscode/ui-azure/`,
  );
  return counts;
}

const exact = (s) => new RegExp(`^\\s*${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
