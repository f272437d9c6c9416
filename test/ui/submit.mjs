// The UI of Submit to Azure ML, driven like a user in code-server against the fake ARM + Azurite (the integration
// suite's azure bed): sign in through VS Code's consent dialog, run the digits sample locally (the estimate's
// measurement), then "Submit to Azure ML…" from the palette: the compute pick, the estimate screen (screenshot),
// Submit, the run panel showing the cloud job (screenshot), and Cancel there (screenshot). Screenshots in test-results/screenshots/submit-*.png.
// Usage (after `npx tsc -b . && node esbuild.mjs`): node test/ui/submit.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { copySample, resultsDir, root, startVsCode, withTimeout } from '../integration/host.mjs';
import { fakeAuthProvider, startTestBed } from '../fakes/testbed.mjs';

const screenshotsDir = path.join(resultsDir, 'screenshots');

export async function runSubmitUi({ timeoutS = Number(process.env.PARALLEL_RUN_VSCODE_TIMEOUT_S || 400) } = {}) {
  mkdirSync(screenshotsDir, { recursive: true });
  const counts = { passed: 0, failed: 0, skipped: 0 };
  const steps = [];
  const step = (name, fn) => steps.push({ name, fn });
  let vscode;
  let page;
  const fake = await startTestBed({ azurite: true });

  async function runCommand(title) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill(`>${title}`);
    await pick(title);
  }
  async function pick(label) {
    const match = label instanceof RegExp ? label : new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
    const row = page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: match }) });
    await row.first().waitFor({ timeout: 20_000 });
    await row.first().click();
  }
  async function waitForFrame(test, ms, what) {
    const deadline = Date.now() + ms;
    let seen = '';
    for (;;) {
      for (const frame of page.frames()) {
        if (frame === page.mainFrame()) continue;
        const text = await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '');
        if (text && test(text)) return frame;
        if (text) seen = text;
      }
      if (Date.now() > deadline)
        throw new Error(`waited ${ms / 1000} s for ${what}; a webview last showed: ${JSON.stringify(seen.slice(0, 400))}`);
      await page.waitForTimeout(250);
    }
  }
  async function shot(name) {
    const file = path.join(screenshotsDir, `${name}.png`);
    await page.screenshot({ path: file });
    console.log(`    · screenshot ${path.relative(root, file)}`);
  }

  step("signs in through VS Code's consent dialog", async () => {
    await page.goto(vscode.url());
    await page.locator('.monaco-workbench').waitFor({ timeout: 30_000 });
    await page.locator('.activitybar .action-item .action-label[aria-label="Parallel Run"]').waitFor({ timeout: 60_000 });
    await runCommand('Parallel Run: Sign in to Azure');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 15_000 });
    await dialog.locator('.monaco-button', { hasText: /^\s*Allow\s*$/ }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 15_000 });
  });

  step("runs the digits sample locally (2 mini-batches): the estimate's measurement", async () => {
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill('pipeline.yml');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'pipeline.yml' }).first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    await page.locator('.tab', { hasText: 'pipeline.yml' }).first().waitFor({ timeout: 10_000 });
    await runCommand('Parallel Run: Run Locally');
    await pick(/^\s*First 2 mini-batches\s*$/);
    await waitForFrame((t) => /Completed/.test(t) && !/Azure ML job/.test(t), 180_000, 'the local run to complete');
  });

  step('Submit to Azure ML…: the compute, then the estimate screen with Submit and Change', async () => {
    await page.locator('.tab', { hasText: 'pipeline.yml' }).first().click();
    await runCommand('Parallel Run: Submit to Azure ML…');
    await page.locator('.quick-input-widget', { hasText: 'Compute cluster in local-ws' }).waitFor({ timeout: 30_000 });
    await pick('cpu-cluster');
    const screen = page.locator('.quick-input-widget', { hasText: 'Submit digit_identification to cpu-cluster in local-ws' });
    await screen.waitFor({ timeout: 30_000 });
    const text = (await screen.innerText()).replace(/\s+/g, ' ');
    if (!/about .* wall time · .* node-hours/.test(text))
      throw new Error(`the estimate screen reads ${JSON.stringify(text.slice(0, 400))}`);
    console.log(`    · estimate screen: ${JSON.stringify(text.slice(0, 240))}`);
    await page.waitForTimeout(300);
    await shot('submit-estimate-light');
  });

  step('Submit: the job opens in the run panel with its status, timeline and estimate', async () => {
    await pick(/^\s*Submit\s*$/);
    const frame = await waitForFrame((t) => /Azure ML job/.test(t) && /Estimate:/.test(t), 90_000, 'the cloud job in the run panel');
    const text = (await frame.evaluate(() => document.body.innerText)).replace(/\s+/g, ' ');
    console.log(`    · panel: ${JSON.stringify(text.slice(0, 240))}`);
    await page.waitForTimeout(500);
    await shot('submit-cloud-panel-light');
  });

  step('Cancel in the panel: the job ends Canceled, with the estimate next to the actual', async () => {
    const frame = await waitForFrame((t) => /Azure ML job/.test(t), 10_000, 'the cloud job in the run panel');
    await frame.locator('button.run-cancel').click();
    await waitForFrame((t) => /Azure ML job/.test(t) && /Actual: .* to Canceled/.test(t), 90_000, 'the job to end Canceled');
    await page.waitForTimeout(500);
    await shot('submit-cloud-canceled-light');
  });

  try {
    vscode = await startVsCode({
      name: 'ui-submit',
      trust: false,
      folder: (ws) => {
        const digits = copySample('digits', ws);
        writeFileSync(
          path.join(digits, 'config.json'),
          JSON.stringify({
            subscription_id: '00000000-1111-2222-3333-444444444444',
            resource_group: 'local-rg',
            workspace_name: 'local-ws',
          }),
        );
        return digits;
      },
      install: [root, fakeAuthProvider],
      settings: { ...fake.settings, 'workbench.colorTheme': 'Default Light Modern' },
      env: fake.env,
      viewport: { width: 1440, height: 900 },
    });
    page = vscode.page;
    const deadline = Date.now() + timeoutS * 1000;
    let failed = false;
    for (const s of steps) {
      if (failed) {
        counts.skipped++;
        console.log(`  - ${s.name} (skipped)`);
        continue;
      }
      const t = Date.now();
      try {
        await withTimeout(s.fn(), Math.max(1, deadline - Date.now()), `ran past ${timeoutS} s`);
        console.log(`  ✔ ${s.name} (${Date.now() - t} ms)`);
        counts.passed++;
      } catch (e) {
        failed = true;
        counts.failed++;
        console.log(`  ✖ ${s.name} (${Date.now() - t} ms)\n      ${e instanceof Error ? e.message : e}`);
        await page.screenshot({ path: path.join(screenshotsDir, 'submit-failed.png') }).catch(() => {});
      }
    }
  } finally {
    await vscode?.stop();
    await fake.stop();
  }
  console.log(`--- ui submit: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  return counts;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = await runSubmitUi();
  process.exit(r.failed > 0 ? 1 : 0);
}
