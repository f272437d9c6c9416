// The UI test: the extension installed (as `publisher.name-version/` in --extensions-dir, as a user would have it)
// in code-server, driven like a user through headless chromium: open the digits entry script, click its
// "Run locally" CodeLens, wait for the run panel (a webview) to say Completed and list results, and save
// screenshots in the light, dark and high-contrast themes to test-results/screenshots/. Each themed screenshot
// is checked for what a person sees: the computed background of the workbench (editor part, side bar, title
// bar) and of the run panel's body, and the median luminance of those regions in the PNG itself, must be
// dark in the dark and high-contrast shots and light in the light ones. Usage:
//   node test/ui/run.mjs [local|azure|submit|try-azure]… [--json counts.json]   (no part: all; azure: test/ui/azure-tree.mjs, submit: test/ui/submit.mjs,
//   try-azure: test/ui/try-azure.mjs)
// Build first (`node scripts/test.mjs ui` does): `node esbuild.mjs`.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureHost } from '../../scripts/vscode-host/setup.mjs';
import { testVsix } from '../../scripts/vscode-host/vsix.mjs';
import { chromiumPath, copySample, root, startVsCode, withTimeout } from '../integration/host.mjs';
import { workbench } from './workbench.mjs';
import { DARK_MAX, LIGHT_MIN, effectiveBackground, luminance, parseColor, pngMedianLuminance, screenshotsDir } from './pixels.mjs';

export { DARK_MAX, LIGHT_MIN, luminance, parseColor, screenshotsDir };
const LIGHT = 'Default Light Modern';

/** The digits sample end to end: 20 mini-batches on 2 × 2 workers. */
const RUN_TIMEOUT_MS = Number(process.env.PARALLEL_RUN_UI_RUN_TIMEOUT_S || 120) * 1000;

/** Runs the UI steps; resolves with {passed, failed, skipped}. A failed step stops the ones after it (they count as skipped). */
export async function runUi({
  extensionPath = root,
  vsix,
  timeoutS = Number(process.env.PARALLEL_RUN_VSCODE_TIMEOUT_S || 600),
  panelTitle = /digit_identification(?!\.py)/,
} = {}) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  if (process.env.PARALLEL_RUN_SETUP_UI === '0') {
    console.log('ui: skipped (PARALLEL_RUN_SETUP_UI=0: no chromium / code-server on this machine)');
    counts.skipped = 1;
    return counts;
  }
  if (!existsSync(chromiumPath)) return fail(counts, `${chromiumPath} not found: apt-get install chromium (or set PARALLEL_RUN_CHROMIUM)`);
  const manifest = JSON.parse(readFileSync(path.join(extensionPath, 'package.json'), 'utf8'));
  if (!existsSync(path.join(extensionPath, manifest.main ?? 'dist/extension.js')))
    return fail(counts, `${manifest.main} not built: run node esbuild.mjs`);
  mkdirSync(screenshotsDir, { recursive: true });
  // Screenshots of an earlier failure would read as this run's.
  for (const f of readdirSync(screenshotsDir)) if (/^failed-\d+\.png$/.test(f)) rmSync(path.join(screenshotsDir, f));
  try {
    ensureHost(); // the first time ~2.5 min: not part of the suite's time limit
  } catch (e) {
    return fail(counts, e instanceof Error ? e.message : String(e));
  }

  const started = Date.now();
  let vscode;
  const steps = [];
  const step = (name, fn) => steps.push({ name, fn });
  let page;
  let panelFrame;
  let brokenLine;

  step('opens the digits sample in a workbench with the extension installed', async () => {
    await page.goto(vscode.url());
    await page.locator('.monaco-workbench').waitFor({ timeout: 30_000 });
    await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: 30_000 });
    // Ready for the steps below once VS Code has read the installed extensions: our view container is in the
    // activity bar (on a cold first start this comes while "Activating Extensions…" still shows).
    await page.locator('.activitybar .action-item .action-label[aria-label="Parallel Run"]').waitFor({ timeout: 60_000 });
    await assertTheme('vs');
    await expectBackgrounds('light');
  });

  step('shows "Run locally" and "Debug locally" CodeLens above the entry script', async () => {
    // The lenses sit above `def run(mini_batch)`, below the first screen: open the file at that line
    // (Quick Open takes `file:line`).
    const script = readFileSync(path.join(vscode.folder, 'src', 'digit_identification.py'), 'utf8').split('\n');
    const runLine = script.findIndex((l) => l.startsWith('def run(')) + 1;
    await openFile('digit_identification.py', runLine);
    // The lenses come once the extension has activated for Python and the language features answered.
    const run = page.locator('.codelens-decoration a', { hasText: 'Run locally' });
    await run.first().waitFor({ timeout: 60_000 });
    await page.locator('.codelens-decoration a', { hasText: 'Debug locally' }).first().waitFor({ timeout: 5_000 });
    await page.waitForTimeout(300);
    await shot('codelens-light', 'light');
  });

  step('clicking "Run locally" opens the run panel, which ends "Completed" with a results table', async () => {
    await page.locator('.codelens-decoration a', { hasText: 'Run locally' }).first().click();
    // The lens asks which part of the input to run; a user starts with its first offer, a small sample.
    await pick(/^\s*First 2 mini-batches\s*$/);
    await page.locator('.tab', { hasText: panelTitle }).first().waitFor({ timeout: 20_000 });
    panelFrame = await waitForFrame((text) => /Completed/.test(text), RUN_TIMEOUT_MS, 'the run panel to say Completed');
    // "First 2 mini-batches" of 5 images: 10 result rows, one per image.
    const rows = await waitForCount(panelFrame.locator('table tbody tr'), 10, 10_000);
    if (rows !== 10)
      throw new Error(`the run panel's results table has ${rows} rows (table tbody tr), not the 10 rows of 2 mini-batches × 5 images`);
    console.log(
      `    · run panel "${(await page.locator('.tab.active', { hasText: panelTitle }).first().innerText()).trim()}": Completed, ${rows} table rows`,
    );
    await expectBackgrounds('light', panelFrame);
    await page.waitForTimeout(500);
    await shot('run-panel-light', 'light', panelFrame);
  });

  step('the panel and the workbench follow the dark theme', async () => {
    // As a user does it (the settings file is not watched closely enough to rely on): the theme picker.
    // The picker labels the theme whose settings id is "Default Dark Modern" as "Dark Modern".
    await switchTheme('Dark Modern', 'vs-dark', 'vscode-dark');
    await expectBackgrounds('dark', panelFrame);
    await page.waitForTimeout(500);
    await shot('run-panel-dark', 'dark', panelFrame);
    // The results table in full (the window shows only its first rows).
    const table = panelFrame.locator('table').last();
    await table.scrollIntoViewIfNeeded();
    const file = path.join(screenshotsDir, 'results-table-dark.png');
    const png = await table.screenshot({ path: file });
    console.log(`    · screenshot ${path.relative(root, file)}`);
    await expectPixels('results-table-dark', png, 'dark', [{ name: 'results table', box: { x: 0, y: 0, ...pngSize(png) } }]);
  });

  step('the Local Runs view lists the run', async () => {
    // The palette titles a view's focus command "<container>: Focus on <view> View".
    await runCommand(/Focus on Local Runs View\s*$/i, 'Focus on Local Runs View');
    const row = page.locator('.monaco-list-row', { hasText: /digit_identification/ });
    await row.first().waitFor({ timeout: 15_000 });
    await page.waitForTimeout(300);
    await shot('local-runs-dark', 'dark', panelFrame);
  });

  step("a broken run() fails: at the default layout the panel leads with the error and the user's file:line", async () => {
    // As a new user breaks it: run() raises for one label. The panel stays where it opened (beside the script).
    const file = path.join(vscode.folder, 'src', 'digit_identification.py');
    const original = readFileSync(file, 'utf8');
    const lines = original.split('\n');
    const loop = lines.findIndex((l) => /^\s+for image_path in mini_batch:/.test(l));
    if (loop < 0) throw new Error('the sample has no `for image_path in mini_batch:` line to break');
    const indent = /^\s*/.exec(lines[loop])[0] + '    ';
    lines.splice(loop + 1, 0, `${indent}if "label" in image_path:`, `${indent}    raise ValueError("boom")`);
    brokenLine = loop + 3; // 1-based line of the raise
    writeFileSync(file, lines.join('\n'));
    await openFile('digit_identification.py', loop);
    await page.waitForTimeout(500);
    await page.locator('.codelens-decoration a', { hasText: 'Run locally' }).first().click();
    await pick(/^\s*First 2 mini-batches\s*$/);
    panelFrame = await waitForFrame(
      (text) => /ValueError: boom/.test(text) && /no succeeded mini batch/i.test(text),
      RUN_TIMEOUT_MS,
      'the run panel to end with ValueError: boom and the driver reason',
    );
    await assertOnePanel('the failed run');
    const headline = await panelFrame.evaluate(() => {
      const box = (sel) => {
        const el = document.querySelector(sel);
        if (!el) return null;
        const r = el.getBoundingClientRect();
        return { text: el.textContent, top: r.top, bottom: r.bottom, left: r.left, right: r.right };
      };
      return {
        error: box('.headline-error'),
        where: box('.headline .where'),
        reason: box('.reason'),
        width: window.innerWidth,
        height: window.innerHeight,
        scrollY: window.scrollY,
        overflowX: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      };
    });
    console.log(`    · headline ${JSON.stringify(headline)}`);
    if (!headline.error || headline.error.text !== 'ValueError: boom')
      throw new Error(`the panel's headline is ${JSON.stringify(headline.error?.text)}, not "ValueError: boom"`);
    if (!headline.where || !headline.where.text.endsWith(`digit_identification.py:${brokenLine}`))
      throw new Error(`the headline's location is ${JSON.stringify(headline.where?.text)}, not …digit_identification.py:${brokenLine}`);
    for (const [name, b] of [
      ['error', headline.error],
      ['file:line', headline.where],
    ]) {
      if (b.top < 0 || b.bottom > headline.height || b.left < 0 || b.right > headline.width)
        throw new Error(`the headline's ${name} is outside the panel's ${headline.width}×${headline.height} view: ${JSON.stringify(b)}`);
    }
    if (headline.overflowX > 0) throw new Error(`the panel scrolls sideways by ${headline.overflowX} px at its default width`);
    if (!/no succeeded mini batch/i.test(headline.reason?.text ?? ''))
      throw new Error(`the driver's reason is not the second line: ${JSON.stringify(headline.reason?.text)}`);
    // One card for the one distinct error, its traceback open and readable (not one character per line).
    const cards = await panelFrame.locator('.error-card').count();
    if (cards !== 1) throw new Error(`${cards} error cards for one distinct error`);
    const tb = await panelFrame.evaluate(() => {
      const pre = document.querySelector('.error-card .traceback');
      return pre ? { width: pre.getBoundingClientRect().width, text: pre.textContent } : null;
    });
    if (!tb || tb.width < 300 || !/File "src\/digit_identification\.py", line/.test(tb.text))
      throw new Error(
        `the traceback is not full width with relative paths: ${JSON.stringify(tb && { width: tb.width, text: tb.text.slice(0, 200) })}`,
      );
    await page.waitForTimeout(300);
    await shot('failed-run-dark', 'dark', panelFrame);
  });

  step('F8 walks to the failing line: the failure is a "Parallel Run" problem on it', async () => {
    await openFile('digit_identification.py', 1);
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('F8');
    const widget = page.locator('.marker-widget');
    await widget.first().waitFor({ timeout: 10_000 });
    const text = await widget.first().innerText();
    if (!/ValueError: boom/.test(text) || !/Parallel Run/.test(text)) throw new Error(`F8 shows ${JSON.stringify(text.slice(0, 300))}`);
    // The status bar's cursor position follows the jump a moment after the widget shows: wait for it.
    const there = page.locator('.statusbar-item', { hasText: new RegExp(`^Ln ${brokenLine}, Col \\d+$`) }).first();
    await there.waitFor({ timeout: 10_000 }).catch(async () => {
      const at = await page
        .locator('.statusbar-item', { hasText: /^Ln \d+, Col \d+$/ })
        .first()
        .innerText();
      throw new Error(`F8 went to ${at}, not line ${brokenLine}`);
    });
    await page.waitForTimeout(300);
    await shot('f8-failure-dark', 'dark');
    await page.keyboard.press('Escape');
  });

  step('Rerun in the panel reuses it: one panel, no third editor group', async () => {
    const runFolder = () =>
      panelFrame.evaluate(() => document.querySelector('.meta code[title*="parallel-run"]')?.getAttribute('title') ?? '');
    const before = await runFolder();
    await panelFrame.locator('button', { hasText: /^Rerun$/ }).click();
    // The same frame turns to the new run (another run folder): Running, then Failed again.
    const deadline = Date.now() + RUN_TIMEOUT_MS;
    while ((await runFolder()) === before || (await panelFrame.locator('.status-running').count()) > 0) {
      if (Date.now() > deadline) throw new Error(`the panel still shows ${before} (or is still running) after Rerun`);
      await page.waitForTimeout(300);
    }
    const title = await panelTitleText();
    await waitForFrame(
      (text) => /ValueError: boom/.test(text) && /no succeeded mini batch/i.test(text),
      RUN_TIMEOUT_MS,
      'the rerun to fail again',
    );
    await assertOnePanel('Rerun');
    // Earlier runs stay reachable from the panel: its run picker lists them.
    const options = await waitForCount(panelFrame.locator('.run-picker select option'), 3, 10_000);
    if (options < 3) throw new Error(`the panel's run picker lists ${options} runs, not the 3 runs of this node`);
    console.log(`    · panel tab "${title}", run picker: ${options} runs`);
  });

  step('the Local Runs view lists the history: grouped by spec, the headline error on each failed run', async () => {
    await runCommand(/Focus on Local Runs View\s*$/i, 'Focus on Local Runs View');
    const failed = page.locator('.monaco-list-row', { hasText: /ValueError: boom/ });
    await failed.first().waitFor({ timeout: 15_000 });
    const n = await failed.count();
    if (n < 2) throw new Error(`the Local Runs view shows ${n} failed runs with their error, not 2`);
    // Expand the newest failed run: its failed mini-batches, each with "Debug this mini-batch".
    await failed.first().locator('.monaco-tl-twistie').click();
    await page
      .locator('.monaco-list-row', { hasText: /^\s*Mini-batch \d/ })
      .first()
      .waitFor({ timeout: 10_000 });
    const truncated = await page.evaluate(() =>
      [...document.querySelectorAll('.pane-body .monaco-list-row .label-name')]
        .filter((el) => el.scrollWidth > el.clientWidth + 1)
        .map((el) => el.textContent),
    );
    if (truncated.length) throw new Error(`labels cut off at the default side bar width: ${JSON.stringify(truncated)}`);
    await page.waitForTimeout(300);
    await shot('local-runs-history-dark', 'dark', panelFrame);
  });

  step('a window reload restores the panel from summary.json', async () => {
    await runCommand('Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor({ timeout: 30_000 });
    await page.locator('.tab', { hasText: panelTitle }).first().waitFor({ timeout: 30_000 });
    panelFrame = await waitForFrame(
      (text) => /ValueError: boom/.test(text) && /no succeeded mini batch/i.test(text),
      30_000,
      'the restored run panel',
    );
    await assertOnePanel('the reload');
    // Its failure is a problem again (the status bar's error count), so F8 still finds the line.
    await page
      .locator('.statusbar-item', { hasText: /^\s*1\s+0\s*$/ })
      .first()
      .waitFor({ timeout: 10_000 })
      .catch(async () => {
        const items = await page.locator('.statusbar-item').allInnerTexts();
        throw new Error(`after the reload the failure is not a problem again: status bar ${JSON.stringify(items.slice(0, 6))}`);
      });
  });

  step('the panel and the workbench follow the high-contrast theme', async () => {
    // "Default High Contrast" is labelled "Dark High Contrast" in the picker.
    await runCommand('View: Show Explorer');
    await switchTheme('Dark High Contrast', 'hc-black', 'vscode-high-contrast');
    await expectBackgrounds('dark', panelFrame);
    // High-contrast themes outline everything: the panel's stat boxes and table must have a visible border.
    const border = await panelFrame.evaluate(() => getComputedStyle(document.querySelector('.stat') ?? document.body).borderTopColor);
    const bg = await effectiveBackground(panelFrame, 'body');
    if (contrast(parseColor(border), bg) < 3)
      throw new Error(
        `in high contrast the run panel's .stat border is ${border} on ${formatColor(bg)}: not an outline a person can see (contrast < 3)`,
      );
    // The panel is still scrolled to the results table: show its header (status badge, buttons) again.
    await panelFrame.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(500);
    await shot('run-panel-hc', 'dark', panelFrame);
  });

  step('without the Python Debugger extension, "Debug locally" says what to install and starts nothing', async () => {
    // This workbench has only our extension: the trusted integration suite attaches through a stand-in instead.
    await openFile('digit_identification.py', 81);
    await page.locator('.codelens-decoration a', { hasText: 'Debug locally' }).first().click();
    // The message may arrive as a toast or only in the notification centre (the bell): read it there.
    await page.waitForTimeout(1_500);
    await runCommand('Notifications: Show Notifications');
    const item = page.locator('.notification-list-item', { hasText: 'ms-python.debugpy) is not installed' });
    await item.first().waitFor({ timeout: 15_000 });
    await item.first().locator('.monaco-button', { hasText: 'Install Python Debugger' }).first().waitFor({ timeout: 5_000 });
    if ((await page.locator('.debug-toolbar').count()) > 0)
      throw new Error('a debug session started although no Python debugger is installed');
    await shot('debugger-missing-hc', 'dark');
  });

  step('the failed run in the light theme', async () => {
    await runCommand('Notifications: Clear All Notifications');
    await runCommand('View: Show Explorer');
    await switchTheme(LIGHT.replace('Default ', ''), 'vs', 'vscode-light');
    await expectBackgrounds('light', panelFrame);
    await panelFrame.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(500);
    await shot('failed-run-light', 'light', panelFrame);
  });

  step('a quick fix renames an unknown key in the spec', async () => {
    const spec = path.join(vscode.folder, 'pipeline.yml');
    const text = readFileSync(spec, 'utf8');
    const line = text.split('\n').findIndex((l) => /^\s+mini_batch_size:/.test(l)) + 1;
    writeFileSync(spec, text.replace(/^(\s+)mini_batch_size:/m, '$1mini_batch_sise:'));
    await openFile('pipeline.yml', line);
    await page.locator('.squiggly-error').first().waitFor({ timeout: 20_000 });
    await page.keyboard.press('End');
    await page.keyboard.press('Home');
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Rename to "mini_batch_size"' });
    // The code actions are asked for when the menu opens; right after the squiggle they may not be in yet.
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press('Control+.');
      const shown = await fix
        .first()
        .waitFor({ timeout: 3_000 })
        .then(
          () => true,
          () => false,
        );
      if (shown) break;
      if (attempt === 4) throw new Error('Ctrl+. on mini_batch_sise offers no "Rename to "mini_batch_size"" quick fix');
      await page.keyboard.press('Escape');
      await page.waitForTimeout(500);
    }
    await page.waitForTimeout(300);
    await shot('quick-fix-light', 'light');
    await fix.first().click();
    await page.keyboard.press('Control+S');
    const deadline = Date.now() + 10_000;
    while (!/^\s+mini_batch_size:/m.test(readFileSync(spec, 'utf8'))) {
      if (Date.now() > deadline) throw new Error('the quick fix did not rename mini_batch_sise in pipeline.yml');
      await page.waitForTimeout(200);
    }
  });

  step("the tabular sample's results table shows the DataFrame's column names", async () => {
    const spec = readFileSync(path.join(vscode.folder, 'tabular', 'iris.yml'), 'utf8').split('\n');
    const nodeLine = spec.findIndex((l) => /^\s+type: parallel/.test(l)) + 1;
    await openFile('iris.yml', nodeLine);
    await page.locator('.codelens-decoration a', { hasText: 'Run locally' }).first().waitFor({ timeout: 30_000 });
    await page.locator('.codelens-decoration a', { hasText: 'Run locally' }).first().click();
    await pick(/^\s*First 2 mini-batches\s*$/);
    const frame = await waitForFrame(
      (text) => /score_iris/.test(text) && /Completed/.test(text) && /rows/.test(text),
      RUN_TIMEOUT_MS,
      'the tabular run panel to say Completed',
    );
    await waitForCount(frame.locator('table.results thead th'), 2, 10_000);
    const headers = (await frame.locator('table.results thead th').allInnerTexts()).map((t) => t.trim());
    if (headers.join(',') !== '#,row_id,predicted_species,probability')
      throw new Error(`the results table's columns are ${JSON.stringify(headers)}`);
    const groups = await page.locator('.editor-group-container').count();
    if (groups > 2) throw new Error(`${groups} editor groups: a second spec's panel opened a third group`);
    await page.waitForTimeout(300);
    await shot('tabular-columns-light', 'light', frame);
  });

  step('a whole pipeline: Run Pipeline Locally on `jobs:` fills one panel with its steps; a step shows its run or its output', async () => {
    // The repository's samples/pipeline, next to the digits sample's data (the workspace is a copy of samples/digits).
    const sample = path.join(root, 'samples', 'pipeline');
    mkdirSync(path.join(vscode.folder, 'pipe', 'src'), { recursive: true });
    const spec = readFileSync(path.join(sample, 'pipeline.yml'), 'utf8').replace(/\.\.\/digits\//g, '../');
    // A name of its own, so that Quick Open finds it first (the digits sample has a pipeline.yml too).
    writeFileSync(path.join(vscode.folder, 'pipe', 'digits-pipeline.yml'), spec);
    for (const f of ['prepare.py', 'summarize.py'])
      writeFileSync(path.join(vscode.folder, 'pipe', 'src', f), readFileSync(path.join(sample, 'src', f), 'utf8'));
    await runCommand('View: Close All Editors');
    // By its absolute path: Quick Open lists a file written a moment ago only once the workspace's file index has it.
    const jobsLine = spec.split('\n').findIndex((l) => /^jobs:/.test(l)) + 1;
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').waitFor({ timeout: 10_000 });
    await page.locator('.quick-input-widget input').fill(`${path.join(vscode.folder, 'pipe', 'digits-pipeline.yml')}:${jobsLine}`);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'digits-pipeline.yml' }).first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    await page.locator('.tab', { hasText: 'digits-pipeline.yml' }).first().waitFor({ timeout: 10_000 });
    const lens = page.locator('.codelens-decoration a', { hasText: 'Run Pipeline Locally' });
    await lens.first().waitFor({ timeout: 30_000 });
    await lens.first().click();
    await pick(/^\s*First 2 mini-batches\s*$/);
    // run() is still broken from the steps above: the parallel step fails, and the pipeline's headline says so.
    panelFrame = await waitForFrame(
      (text) => /Pipeline digits-prepare-score-summarize\s*Failed/.test(text) && /3\/3 steps/.test(text),
      RUN_TIMEOUT_MS,
      'the pipeline panel to say Failed',
    );
    const headline = (await panelFrame.locator('.run-header.pipeline .headline').innerText()).replace(/\s+/g, ' ').trim();
    if (!/^Step score failed ValueError: boom src\/digit_identification\.py:\d+ · in 2 mini-batches \(10 items\)$/.test(headline))
      throw new Error(`the pipeline headline reads ${JSON.stringify(headline)}`);
    await page.waitForTimeout(500);
    await shot('pipeline-failed-light', 'light', panelFrame);
    // Fixed, and Rerun in the panel: the same panel turns to the new run.
    writeFileSync(
      path.join(vscode.folder, 'src', 'digit_identification.py'),
      readFileSync(path.join(root, 'samples', 'digits', 'src', 'digit_identification.py'), 'utf8'),
    );
    await panelFrame.locator('.run-header.pipeline button', { hasText: /^Rerun$/ }).click();
    panelFrame = await waitForFrame(
      (text) => /Pipeline digits-prepare-score-summarize\s*Completed/.test(text) && /3\/3 steps/.test(text),
      RUN_TIMEOUT_MS,
      'the rerun pipeline to say Completed',
    );
    const tabs = await page.locator('.tab', { hasText: 'digits-prepare-score-summarize' }).count();
    if (tabs !== 1) throw new Error(`${tabs} pipeline panel tabs after Rerun (want 1)`);
    await waitForCount(panelFrame.locator('.steps .step-name'), 3, 10_000);
    const steps = (await panelFrame.locator('.steps .step-name').allInnerTexts()).map((t) => t.trim());
    if (steps.join(',') !== '1. prepare,2. score,3. summarize')
      throw new Error(`the pipeline panel lists the steps ${JSON.stringify(steps)}`);
    // Done, it shows the last step's output (a command): its exit code and the report it printed.
    const command = await panelFrame.locator('.command-step').innerText();
    if (!/exit code 0/.test(command) || !/all: \d+\/10 right/.test(command))
      throw new Error(`the summarize step shows ${JSON.stringify(command.slice(0, 300))}`);
    const groups = await page.locator('.editor-group-container').count();
    if (groups > 2) throw new Error(`${groups} editor groups: the pipeline panel opened a third group`);
    await expectBackgrounds('light', panelFrame);
    await page.waitForTimeout(500);
    await shot('pipeline-panel-light', 'light', panelFrame);
    // The parallel step: its own run view (progress, results) below the steps.
    await panelFrame.locator('.steps .step-name', { hasText: 'score' }).click();
    await waitForCount(panelFrame.locator('table tbody tr'), 10, 10_000);
    await switchTheme('Dark Modern', 'vs-dark', 'vscode-dark');
    await expectBackgrounds('dark', panelFrame);
    await page.waitForTimeout(500);
    await shot('pipeline-panel-dark', 'dark', panelFrame);
  });

  step('Inspect Model on model/digits.onnx shows its inputs and outputs; Preview Model on Sample… shows its predictions', async () => {
    // From the palette, as a user without the file open does it: the command asks which model of the workspace.
    await runCommand('Parallel Run: Inspect Model', 'Parallel Run: Inspect Model');
    await pick(/^\s*model\/digits\.onnx\s*$/);
    await page.locator('.tab', { hasText: 'Model: digits.onnx' }).first().waitFor({ timeout: 20_000 });
    let modelFrame = await waitForFrame(
      (text) => /Inputs/.test(text) && /Outputs/.test(text) && /digits\.onnx/.test(text),
      20_000,
      'the model view',
    );
    // make_onnx.py: pixels [batch, 64] float32 -> probabilities [batch, 10] float32.
    const tensors = async (heading) =>
      modelFrame.evaluate((h) => {
        const h2 = [...document.querySelectorAll('h2')].find((e) => e.textContent === h);
        const table = h2?.nextElementSibling;
        return table
          ? [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim()))
          : null;
      }, heading);
    const inputs = await tensors('Inputs');
    const outputs = await tensors('Outputs');
    const want = (rows, name, size) =>
      rows?.length === 1 && rows[0][0] === name && rows[0][1] === 'float32' && rows[0][2].startsWith(`[batch, ${size}]`);
    if (!want(inputs, 'pixels', 64) || !want(outputs, 'probabilities', 10))
      throw new Error(
        `the model view shows inputs ${JSON.stringify(inputs)} and outputs ${JSON.stringify(outputs)}, not pixels float32 [batch, 64] -> probabilities float32 [batch, 10]`,
      );
    console.log(`    · model view: inputs ${JSON.stringify(inputs)}, outputs ${JSON.stringify(outputs)}`);
    await expectBackgrounds('dark', modelFrame);
    await page.waitForTimeout(300);
    await shot('model-inspect-dark', 'dark', modelFrame);

    // Preview: the answers a user gives for the digits (8x8 gray flat, pixels 0..1, per-class scores, no class names).
    await runCommand('Parallel Run: Preview Model on Sample…', 'Parallel Run: Preview Model on Sample');
    await pick(/^\s*model\/digits\.onnx\s*$/);
    await pick('Image files');
    const input = page.locator('.quick-input-widget input');
    // Each prompt has the keyboard focus, with the model view (a webview) the active tab: type as a user does.
    await page.locator('.quick-input-widget', { hasText: 'Image size and channels' }).waitFor({ timeout: 10_000 });
    const size = await input.inputValue();
    if (size !== '8x8 gray flat')
      throw new Error(`the image size suggested from [batch, 64] is ${JSON.stringify(size)}, not "8x8 gray flat"`);
    await typeIntoPrompt('Image size and channels', 'Enter');
    await pick('Pixels 0..1 (divide by 255)');
    await pick('Per-class scores: the label is the top class');
    await typeIntoPrompt('Class names', 'Enter');
    await typeIntoPrompt('How many inputs', 'Enter'); // the suggested 10
    // The folder dialog (code-server's own, in the quick input) opens on data/images: accept it with its button.
    await page.locator('.quick-input-widget', { hasText: 'The folder of sample inputs' }).waitFor({ timeout: 10_000 });
    // It fills in the folder as it lists it: wait for the path to settle on data/images.
    const deadline = Date.now() + 10_000;
    let folder = await input.inputValue();
    while (!/data\/images\/?$/.test(folder)) {
      if (Date.now() > deadline) throw new Error(`the folder dialog opens on ${JSON.stringify(folder)}, not the sample's data/images`);
      await page.waitForTimeout(200);
      folder = await input.inputValue();
    }
    await page.locator('.quick-input-widget .monaco-button', { hasText: 'Preview on these' }).first().click();
    modelFrame = await waitForFrame((text) => /Preview on 10 inputs/.test(text), 60_000, 'the model view to show the preview of 10 inputs');
    const rows = await waitForCount(modelFrame.locator('h2 + p.meta + table tbody tr'), 10, 10_000);
    const preview = await modelFrame.evaluate(() =>
      [...document.querySelectorAll('h2 + p.meta + table tbody tr')].map((tr) => {
        const td = tr.querySelectorAll('td');
        return {
          input: td[0].innerText.trim(),
          label: td[1].innerText.trim(),
          agree: td[1].classList.contains('agree'),
          mark: getComputedStyle(td[1], '::after').content,
        };
      }),
    );
    if (rows !== 10) throw new Error(`the preview table has ${rows} rows, not 10: ${JSON.stringify(preview)}`);
    // Labels from the file names (digit_<i>_label<d>.png): a ✓ where the top class is the file's label.
    const right = preview.filter((r) => r.agree && r.input.endsWith(`label${r.label}.png`) && r.mark.includes('✓'));
    const wrongMark = preview.filter(
      (r) => r.input.endsWith(`label${r.label}.png`) !== r.mark.includes('✓') || (!r.mark.includes('✓') && !r.mark.includes('✗')),
    );
    if (wrongMark.length) throw new Error(`preview rows whose ✓/✗ mark disagrees with the file's label: ${JSON.stringify(wrongMark)}`);
    if (right.length < 8)
      throw new Error(`only ${right.length} of 10 preview rows are marked ✓ with the file's label: ${JSON.stringify(preview)}`);
    console.log(`    · preview: ${right.length}/10 ✓ (${preview.map((r) => `${r.input.replace(/^.*\//, '')}→${r.label}`).join(', ')})`);
    await expectBackgrounds('dark', modelFrame);
    // The pointer rests where the dialog's button was, over the editor tabs: move it off them, so no tab's hover
    // (its full title) covers the view's heading.
    await page.mouse.move(1100, 700);
    await page.waitForTimeout(300);
    await shot('model-preview-dark', 'dark', modelFrame);
    panelFrame = modelFrame; // switchTheme waits for this frame's theme class
    await switchTheme(LIGHT.replace(/^Default /, ''), 'vs', 'vscode-light');
    await expectBackgrounds('light', modelFrame);
    await page.waitForTimeout(300);
    await shot('model-preview-light', 'light', modelFrame);
  });

  /** The run panel's tab title. */
  async function panelTitleText() {
    return (await page.locator('.tab', { hasText: panelTitle }).first().innerText()).trim();
  }

  /** One run panel tab for the spec, and no more than two editor groups. */
  async function assertOnePanel(after) {
    const tabs = await page.locator('.tab', { hasText: panelTitle }).count();
    const groups = await page.locator('.editor-group-container').count();
    if (tabs !== 1 || groups > 2)
      throw new Error(`after ${after}: ${tabs} run panel tabs and ${groups} editor groups (want 1 tab, at most 2 groups)`);
  }

  /**
   * Opens a file of the workspace (found by its name) at `line` through Quick Open, by its absolute path: Quick
   * Open offers an absolute path as soon as the file exists, whereas a bare name waits for the workspace's file
   * search, which on a cold first start is not ready while extensions activate. Waits for its editor tab.
   */
  async function openFile(name, line) {
    return workbench(page, vscode.folder).openFile(name, line);
  }

  /** Runs a command from the palette; `label` is its exact title, or a RegExp for the row's label. */
  async function runCommand(label, filter = label) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill(`>${filter}`);
    await pick(label);
  }

  /** Clicks the quick-input row labelled exactly `label` or matching a RegExp (Enter would take whichever row is first). */
  /**
   * Presses `key` on the keyboard, as a user does, once the prompt titled `title` shows; fails when the keyboard
   * focus is not in that prompt's input (a webview that took it back would swallow the key).
   */
  async function typeIntoPrompt(title, key) {
    await page.locator('.quick-input-widget', { hasText: title }).waitFor({ timeout: 10_000 });
    const focused = await page.evaluate(
      () => !!document.activeElement?.closest('.quick-input-widget') && document.activeElement.tagName === 'INPUT',
    );
    if (!focused)
      throw new Error(
        `the prompt "${title}" shows but the keyboard focus is not in it (it is on ${await page.evaluate(() => document.activeElement?.tagName + '.' + document.activeElement?.className)})`,
      );
    await page.keyboard.press(key);
    // The prompt goes (or the next replaces it): a key that went elsewhere leaves it where it was.
    const deadline = Date.now() + 10_000;
    while (await page.locator('.quick-input-widget:visible', { hasText: title }).count()) {
      if (Date.now() > deadline) throw new Error(`the prompt "${title}" is still open after pressing ${key}: the key went elsewhere`);
      await page.waitForTimeout(100);
    }
  }

  async function pick(label) {
    const match = label instanceof RegExp ? label : new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
    const row = page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: match }) });
    await row.first().waitFor({ timeout: 10_000 });
    await row.first().click();
  }

  /** The locator's count once it reaches `want`, or whatever it is after `ms`. */
  async function waitForCount(locator, want, ms) {
    const deadline = Date.now() + ms;
    let n = await locator.count();
    while (n < want && Date.now() < deadline) {
      await page.waitForTimeout(200);
      n = await locator.count();
    }
    return n;
  }

  async function assertTheme(kind, ms = 5_000) {
    await page.locator(`.monaco-workbench.${kind}`).waitFor({ timeout: ms });
  }

  /** Picks a colour theme in Preferences: Color Theme and waits for the workbench's and the panel's theme classes. */
  async function switchTheme(label, workbenchClass, webviewClass) {
    await runCommand('Preferences: Color Theme');
    await page.locator('.quick-input-widget input').fill(label);
    await pick(label);
    await assertTheme(workbenchClass, 15_000);
    // Webviews get the theme as a body class and CSS variables.
    const deadline = Date.now() + 10_000;
    for (;;) {
      const cls = await panelFrame.evaluate(() => document.body.className).catch(() => '');
      if (cls.split(/\s+/).includes(webviewClass)) break;
      if (Date.now() > deadline) throw new Error(`the run panel's body class is "${cls}", not ${webviewClass}`);
      await page.waitForTimeout(200);
    }
  }

  /**
   * Waits (up to 10 s) until the computed backgrounds a person sees are `kind` ('dark' | 'light'): the workbench's
   * editor part, side bar and title bar, and (given its frame) the run panel's body. Throws naming the ones that are not.
   */
  async function expectBackgrounds(kind, frame) {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const seen = [];
      for (const [name, selector] of [
        ['workbench editor part', '.monaco-workbench .part.editor'],
        ['side bar', '.monaco-workbench .part.sidebar'],
        ['title bar', '.monaco-workbench .part.titlebar'],
      ]) {
        seen.push({ name, colour: await effectiveBackground(page.mainFrame(), selector) });
      }
      if (frame) seen.push({ name: 'run panel body', colour: await effectiveBackground(frame, 'body') });
      const wrong = seen.filter((s) => !isKind(kind, luminance(s.colour)));
      if (wrong.length === 0) {
        console.log(`      ${kind}: computed backgrounds ${seen.map((s) => `${s.name} ${formatColor(s.colour)}`).join(', ')}`);
        return seen;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `the ${kind} theme is not what a person sees: ` +
            wrong.map((s) => `${s.name} background ${formatColor(s.colour)} (luminance ${luminance(s.colour).toFixed(3)})`).join(', ') +
            ` — want luminance ${kind === 'dark' ? `< ${DARK_MAX}` : `> ${LIGHT_MIN}`}`,
        );
      }
      await page.waitForTimeout(200);
    }
  }

  /** Bounding boxes (page pixels) of the regions a themed screenshot is checked on. */
  async function regions(frame) {
    const list = [
      { name: 'editor', selector: '.monaco-workbench .part.editor .monaco-editor' },
      { name: 'side bar', selector: '.monaco-workbench .part.sidebar' },
    ];
    const out = [];
    for (const r of list) {
      const box = await page.locator(r.selector).first().boundingBox();
      if (box) out.push({ name: r.name, box });
    }
    // The run panel: the frame's <iframe> element, placed in page coordinates by playwright.
    if (frame) {
      const box = await (await frame.frameElement()).boundingBox();
      if (box) out.push({ name: 'run panel', box });
    }
    return out;
  }

  /** The webview frame whose text passes `test` (webviews are an iframe inside an iframe). */
  async function waitForFrame(test, ms, what) {
    return workbench(page, vscode.folder).waitForFrame(test, ms, what);
  }

  /** Saves a screenshot; with `kind`, checks that its editor, side bar and (given) panel regions look `kind`. */
  async function shot(name, kind, frame) {
    const file = path.join(screenshotsDir, `${name}.png`);
    const png = await page.screenshot({ path: file });
    console.log(`    · screenshot ${path.relative(root, file)}`);
    if (kind) await expectPixels(name, png, kind, await regions(frame));
  }

  /** The median luminance of each region of a PNG must be `kind`: decoded in a scratch page's canvas. */
  async function expectPixels(name, png, kind, boxes) {
    const medians = await pngMedianLuminance(
      vscode.browser,
      png,
      boxes.map((b) => b.box),
    );
    const report = boxes.map((b, i) => `${b.name} ${medians[i].toFixed(3)}`).join(', ');
    const wrong = boxes.filter((_, i) => !isKind(kind, medians[i]));
    if (wrong.length)
      throw new Error(
        `${name}.png does not look ${kind}: median luminance ${report} (want ${kind === 'dark' ? `< ${DARK_MAX}` : `> ${LIGHT_MIN}`})`,
      );
    console.log(`      ${kind}: median luminance ${report}`);
  }

  try {
    vscode = await startVsCode({
      name: 'ui',
      trust: false,
      // The digits sample, with the tabular sample inside it for the results-columns step.
      folder: (ws) => {
        const digits = copySample('digits', ws);
        // Renamed so that Quick Open finds each spec by a name of its own.
        renameSync(path.join(copySample('tabular', digits), 'pipeline.yml'), path.join(digits, 'tabular', 'iris.yml'));
        return digits;
      },
      // The extension as users get it (its VSIX, installed with code-server --install-extension), else a copy.
      install: vsix ? [] : extensionPath,
      vsix,
      settings: { 'workbench.colorTheme': LIGHT },
      viewport: { width: 1440, height: 900 },
    });
    page = vscode.page;
    const deadline = started + timeoutS * 1000;
    let failedAt;
    for (const s of steps) {
      if (failedAt) {
        console.log(`  - ${s.name} (skipped: an earlier step failed)`);
        counts.skipped++;
        continue;
      }
      const t = Date.now();
      try {
        await withTimeout(
          s.fn(),
          Math.max(1, deadline - Date.now()),
          `the UI suite ran past its ${timeoutS} s limit (PARALLEL_RUN_VSCODE_TIMEOUT_S)`,
        );
        console.log(`  ✔ ${s.name} (${Date.now() - t} ms)`);
        counts.passed++;
      } catch (e) {
        failedAt = s.name;
        counts.failed++;
        console.log(
          `  ✖ ${s.name} (${Date.now() - t} ms)\n      ${String(e instanceof Error ? e.message : e)
            .split('\n')
            .join('\n      ')}`,
        );
        const file = path.join(screenshotsDir, `failed-${steps.indexOf(s) + 1}.png`);
        await page.screenshot({ path: file }).then(
          () => console.log(`    · screenshot of the failure: ${path.relative(root, file)}`),
          () => {},
        );
      }
    }
  } catch (e) {
    console.log(`  ✖ ui: ${e instanceof Error ? e.message : e}`);
    counts.failed++;
  } finally {
    await vscode?.stop();
  }
  console.log(
    `--- ui: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped in ${((Date.now() - started) / 1000).toFixed(1)} s; logs in test-results/vscode/ui/`,
  );
  return counts;
}

const formatColor = (rgb) => '#' + rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('');

/** WCAG contrast ratio of two colours (1 … 21). */
function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

function isKind(kind, lum) {
  return kind === 'dark' ? lum < DARK_MAX : lum > LIGHT_MIN;
}

/** Width and height from a PNG's IHDR. */
function pngSize(png) {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function fail(counts, message) {
  console.log(`✖ ui: ${message}`);
  counts.failed++;
  return counts;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const jsonAt = args.indexOf('--json');
  const jsonFile = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
  // Parts: `local` (the run panel, CodeLens, themes…), `azure` (the Azure ML view against the test bed), `submit`
  // (Submit → follow → results → compare → resubmit, against the test bed running the jobs: test/ui/submit.mjs) and
  // `try-azure` (the `npm run try-azure` launcher, started and stopped as a user does).
  const parts = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--json');
  const unknown = parts.filter((p) => !['local', 'azure', 'submit', 'try-azure'].includes(p));
  if (unknown.length) {
    console.error(`ui: unknown part ${unknown.join(', ')}; parts: local, azure, submit, try-azure`);
    process.exit(2);
  }
  const want = (p) => parts.length === 0 || parts.includes(p);
  const extensionPath = process.env.PARALLEL_RUN_UI_EXTENSION || root;
  const r = { passed: 0, failed: 0, skipped: 0 };
  const add = (c) => Object.keys(r).forEach((k) => (r[k] += c[k]));
  // The VSIX of this checkout, packaged once for both parts (PARALLEL_RUN_TEST_VSIX: see scripts/vscode-host/vsix.mjs).
  let vsix;
  let packaged = true;
  try {
    if (
      process.env.PARALLEL_RUN_SETUP_UI !== '0' &&
      !process.env.PARALLEL_RUN_UI_EXTENSION &&
      (want('local') || want('azure') || want('submit'))
    )
      vsix = testVsix();
  } catch (e) {
    console.log(`✖ ui: ${e instanceof Error ? e.message : e}`);
    r.failed++;
    packaged = false;
  }
  if (packaged && want('local')) add(await runUi({ extensionPath, vsix }));
  if (packaged && want('azure')) {
    const { runAzureTreeUi } = await import('./azure-tree.mjs');
    add(await runAzureTreeUi({ extensionPath, vsix }));
  }
  if (packaged && want('submit')) {
    const { runSubmitUi } = await import('./submit.mjs');
    add(await runSubmitUi({ extensionPath, vsix }));
  }
  // `npm run try-azure` itself, as a user starts and stops it (it installs a copy of this checkout, as it does for users).
  if (want('try-azure')) {
    const { runTryAzureUi } = await import('./try-azure.mjs');
    add(await runTryAzureUi());
  }
  if (jsonFile) writeFileSync(jsonFile, JSON.stringify(r));
  console.log(`ui: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
  process.exit(r.failed > 0 ? 1 : 0);
}
