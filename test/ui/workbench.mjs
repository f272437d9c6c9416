// What a UI test does in the workbench, as a user does it: the palette, quick picks, Quick Open, webview frames.
// Used by test/ui/submit.mjs, azure-tree.mjs, try-azure.mjs (runSteps) and run.mjs (Quick Open, webview waits).
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { withTimeout } from '../integration/host.mjs';

const exactly = (s) => new RegExp(`^\\s*${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);

/** Workbench helpers over a Playwright `page` showing code-server with `folder` open. */
export function workbench(page, folder) {
  const quickInput = () => page.locator('.quick-input-widget input');

  /** Clicks the quick-input row labelled exactly `label` or matching a RegExp (Enter takes whichever row is first). */
  async function pick(label, ms = 20_000) {
    const match = label instanceof RegExp ? label : exactly(label);
    const row = page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: match }) });
    await row.first().waitFor({ timeout: ms });
    await row.first().click();
  }

  /** Runs a command from the palette by its exact title. */
  async function runCommand(title) {
    await page.keyboard.press('F1');
    await quickInput().waitFor({ timeout: 10_000 });
    await quickInput().fill(`>${title}`);
    await pick(title);
  }

  /** The absolute path of the one file called `name` in the workspace. */
  function findInWorkspace(name) {
    const hits = readdirSync(folder, { recursive: true })
      .map(String)
      .filter((f) => path.basename(f) === name && !f.split(path.sep).includes('.parallel-run'));
    if (hits.length !== 1) throw new Error(`${hits.length} files called ${name} in the workspace (${hits.join(', ')})`);
    return path.join(folder, hits[0]);
  }

  /** Opens a workspace file (at `line`) with Quick Open, by its absolute path; waits for it to be the active tab. */
  async function openFile(name, line) {
    const file = findInWorkspace(name);
    const row = page
      .locator('.quick-input-list .monaco-list-row')
      .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) }) })
      .first();
    const active = page.locator('.tab.active', { hasText: name }).first();
    for (let attempt = 1; ; attempt++) {
      // The keyboard to the workbench, not a webview that has it (Ctrl+P would go there).
      await page
        .locator('.monaco-workbench')
        .click({ position: { x: 700, y: 400 } })
        .catch(() => {});
      await page.keyboard.press('Control+P');
      await quickInput().waitFor({ timeout: 10_000 });
      await quickInput().fill(line ? `${file}:${line}` : file);
      const offered = await row.waitFor({ timeout: 10_000 }).then(
        () => true,
        () => false,
      );
      if (offered) {
        // Its row, not Enter: Enter takes the first row, which may be a recent file whose path has the name in it.
        await row.click();
        if (
          await active.waitFor({ timeout: 10_000 }).then(
            () => true,
            () => false,
          )
        )
          return;
      }
      if (attempt === 3) throw new Error(`Quick Open did not open ${name} (${file})`);
      await page.keyboard.press('Escape');
    }
  }

  /** The first webview frame whose text passes `test`, waiting up to `ms`; the error quotes what one showed last. */
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
        throw new Error(`waited ${ms / 1000} s for ${what}; a webview last showed: ${JSON.stringify(seen.slice(0, 600))}`);
      await page.waitForTimeout(250);
    }
  }

  /** The locator's count once it reaches `want`, or whatever it is after `ms`. */
  async function waitForCount(locator, want, ms) {
    const deadline = Date.now() + ms;
    let n = await locator.count();
    while (n !== want && Date.now() < deadline) {
      await page.waitForTimeout(200);
      n = await locator.count();
    }
    return n;
  }

  /**
   * The text of the first notification matching `pattern`, read in the notification centre (a toast may be hidden
   * when the message comes while an editor takes the focus), which is closed again after.
   */
  async function notification(pattern, ms) {
    const deadline = Date.now() + ms;
    const item = page.locator('.notifications-center .notification-list-item-message', { hasText: pattern }).first();
    for (;;) {
      await runCommand('Notifications: Show Notifications');
      if (
        await item.waitFor({ timeout: 3_000 }).then(
          () => true,
          () => false,
        )
      )
        break;
      if (Date.now() > deadline) throw new Error(`no notification matching ${pattern} within ${ms / 1000} s`);
      await page.keyboard.press('Escape');
      await page.waitForTimeout(1_000);
    }
    const text = (await item.innerText()).replace(/\s+/g, ' ');
    // Escape closes the notification centre (it has the focus).
    await page.keyboard.press('Escape');
    await page
      .locator('.notifications-center.visible')
      .waitFor({ state: 'hidden', timeout: 5_000 })
      .catch(() => {});
    return text;
  }

  return { pick, runCommand, findInWorkspace, openFile, waitForFrame, waitForCount, notification };
}

/**
 * Runs UI steps in order within one deadline: each prints ✔ or ✖ with its time; after a failure the rest are
 * skipped and the page is saved as `failed-<name>-<step number>.png`. Adds to `counts` ({passed, failed, skipped}).
 *   deadline  ms since the epoch; limitMessage  the error when it passes; name  the screenshot's; page  () => the page or undefined
 */
export async function runSteps(steps, { counts, deadline, limitMessage, name, page, screenshotsDir, root }) {
  let failedAt;
  for (const s of steps) {
    if (failedAt) {
      console.log(`  - ${s.name} (skipped: an earlier step failed)`);
      counts.skipped++;
      continue;
    }
    const t = Date.now();
    try {
      await withTimeout(s.fn(), Math.max(1, deadline - Date.now()), limitMessage);
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
      const p = page();
      if (p) {
        const file = path.join(screenshotsDir, `failed-${name}-${steps.indexOf(s) + 1}.png`);
        await p.screenshot({ path: file }).then(
          () => console.log(`    · screenshot of the failure: ${path.relative(root, file)}`),
          () => {},
        );
      }
    }
  }
}
