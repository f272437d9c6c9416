// The UI parts' step runner: steps run in order under one deadline; after a failure the rest are skipped, and the
// failing page is saved as a screenshot (`<shotPrefix>-<step number>.png`) for whoever reads the log.
import * as path from 'node:path';
import { root, withTimeout } from '../integration/host.mjs';
import { screenshotsDir } from './pixels.mjs';

/**
 * Runs `steps` ({name, fn}) and adds each outcome to `counts` ({passed, failed, skipped}). `page()` gives the page
 * to screenshot on a failure (undefined: none yet); `limit` names the time limit in the timeout message.
 */
export async function runSteps(steps, { counts, deadline, limit, page, shotPrefix }) {
  let failedAt;
  for (const s of steps) {
    if (failedAt) {
      console.log(`  - ${s.name} (skipped: an earlier step failed)`);
      counts.skipped++;
      continue;
    }
    const t = Date.now();
    try {
      await withTimeout(s.fn(), Math.max(1, deadline - Date.now()), `${limit} (PARALLEL_RUN_VSCODE_TIMEOUT_S)`);
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
      const shown = page();
      if (!shown) continue;
      const file = path.join(screenshotsDir, `${shotPrefix}-${steps.indexOf(s) + 1}.png`);
      await shown.screenshot({ path: file }).then(
        () => console.log(`    · screenshot of the failure: ${path.relative(root, file)}`),
        () => {},
      );
    }
  }
}
