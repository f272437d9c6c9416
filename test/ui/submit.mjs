// Submit and follow, driven like a user in code-server against the test bed (the HTTPS fake ARM + Azurite), whose
// fake runs each submitted job with the local engine on the code and data uploaded to Azurite:
//   sign in through VS Code's consent dialog; run the digits sample locally (2 mini-batches: the estimate's measure);
//   click "Submit…" above run() in the entry script → the compute → the estimate screen → Submit; the job's run
//   panel follows it to Completed with its log lines, mini-batch progress and a row per image in the results table;
//   "Compare with Local Run" there says the rows are the same as the local run's; "Job Logs…" there opens a process's
//   stdout with what run() printed; "Resubmit with…" there, with one
//   local image and mini_batch_size 1, opens the new job's panel, which ends Completed with one row; "Submit Again"
//   there with the job held at Queued by the fake, a window reload, and the restored panel follows it to Completed;
//   then a job whose init() fails: its error on top names the user's file:line, and the link opens it there.
// Screenshots in test-results/screenshots/submit-*.png. Part `submit` of test/ui/run.mjs (in `npm test`).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { copySample, root, startVsCode } from '../integration/host.mjs';
import { fakeAuthProvider, startTestBed } from '../fakes/testbed.mjs';
import { screenshotsDir } from './pixels.mjs';
import { runSteps, workbench } from './workbench.mjs';

/** The test bed runs the whole sample (~100 images on 2 nodes × 2 processes) on this machine's cores. */
const JOB_TIMEOUT_MS = Number(process.env.PARALLEL_RUN_UI_JOB_TIMEOUT_S || 240) * 1000;

export async function runSubmitUi({
  extensionPath = root,
  vsix,
  timeoutS = Number(process.env.PARALLEL_RUN_VSCODE_TIMEOUT_S || 600),
} = {}) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  if (process.env.PARALLEL_RUN_SETUP_UI === '0') {
    console.log('ui submit: skipped (PARALLEL_RUN_SETUP_UI=0: no chromium / code-server on this machine)');
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
  let wb;
  const authDir = mkdtempSync(path.join(os.tmpdir(), 'prs-fake-auth-'));
  const authReady = path.join(authDir, 'ready');
  let images = 0;
  let firstJob;

  async function shot(name) {
    const file = path.join(screenshotsDir, `${name}.png`);
    await page.screenshot({ path: file });
    console.log(`    · screenshot ${path.relative(root, file)}`);
  }
  /** A cloud job's panel: the text of its strip says which job. */
  const jobOf = (text) => /Azure ML job\s+(\S+)\s+in workspace/.exec(text)?.[1];
  const panelText = async (frame) => (await frame.evaluate(() => document.body.innerText)).replace(/\s+/g, ' ');

  step("signs in through VS Code's consent dialog", async () => {
    await page.goto(vscode.url());
    await page.locator('.monaco-workbench').waitFor({ timeout: 30_000 });
    await page.locator('.activitybar .action-item .action-label[aria-label="Parallel Run"]').waitFor({ timeout: 60_000 });
    // The test-only sign-in provider says in a file when it is registered (before that, VS Code's own answers).
    const deadline = Date.now() + 60_000;
    while (!existsSync(authReady)) {
      if (Date.now() > deadline) throw new Error(`the test-only sign-in provider did not start within 60 s (no ${authReady})`);
      await page.waitForTimeout(100);
    }
    await wb.runCommand('Parallel Run: Sign in to Azure');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 15_000 });
    await dialog.locator('.monaco-button', { hasText: /^\s*Allow\s*$/ }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 15_000 });
  });

  step('runs the digits sample locally (2 mini-batches): what the estimate measures and the comparison reads', async () => {
    const script = readFileSync(wb.findInWorkspace('digit_identification.py'), 'utf8').split('\n');
    await wb.openFile('digit_identification.py', script.findIndex((l) => l.startsWith('def run(')) + 1);
    const lens = page.locator('.codelens-decoration a', { hasText: 'Run locally' });
    await lens.first().waitFor({ timeout: 60_000 });
    await lens.first().click();
    await wb.pick(/^\s*First 2 mini-batches\s*$/);
    await wb.waitForFrame((t) => /Completed/.test(t) && !/Azure ML job/.test(t), 180_000, 'the local run to complete');
  });

  step('"Submit…" above run(): the compute, then the estimate screen', async () => {
    await page.locator('.tab', { hasText: 'digit_identification.py' }).first().click();
    const lens = page.locator('.codelens-decoration a', { hasText: 'Submit…' });
    await lens.first().waitFor({ timeout: 30_000 });
    await lens.first().click();
    await page.locator('.quick-input-widget', { hasText: 'Compute cluster in local-ws' }).waitFor({ timeout: 30_000 });
    await wb.pick('cpu-cluster');
    const screen = page.locator('.quick-input-widget', { hasText: 'Submit digit_identification to cpu-cluster in local-ws' });
    await screen.waitFor({ timeout: 60_000 });
    const text = (await screen.innerText()).replace(/\s+/g, ' ');
    if (!/about .* wall time · .* node-hours/.test(text))
      throw new Error(`the estimate screen reads ${JSON.stringify(text.slice(0, 400))}`);
    console.log(`    · estimate screen: ${JSON.stringify(text.slice(0, 240))}`);
    await page.waitForTimeout(300);
    await shot('submit-estimate-light');
  });

  step('Submit: the panel follows the job to Completed with its log, progress and a row per image', async () => {
    await wb.pick(/^\s*Submit\s*$/);
    const running = await wb.waitForFrame((t) => /Azure ML job/.test(t) && /Estimate:/.test(t), 120_000, 'the cloud job in the run panel');
    firstJob = jobOf(await panelText(running));
    console.log(`    · job ${firstJob}`);
    const frame = await wb.waitForFrame(
      (t) => jobOf(t) === firstJob && /· Completed/.test(t) && /\d+ rows?/.test(t),
      JOB_TIMEOUT_MS,
      `job ${firstJob} to end Completed with its rows in the panel`,
    );
    const text = await panelText(frame);
    // Progress: every mini-batch of the whole input (5 images each) succeeded.
    const batches = Math.ceil(images / 5);
    if (!new RegExp(`\\b${batches}\\s*/\\s*${batches}\\b`).test(text))
      throw new Error(`the panel does not show ${batches}/${batches} mini-batches: ${JSON.stringify(text.slice(0, 800))}`);
    // The job's log, as az ml job stream shows it.
    const log = await frame.locator('pre.log').innerText();
    const lines = log.split('\n').filter((l) => l.trim());
    if (lines.length < 3) throw new Error(`the panel shows ${lines.length} log lines of the job: ${JSON.stringify(log.slice(0, 400))}`);
    console.log(`    · ${lines.length} log lines, the last: ${JSON.stringify(lines.at(-1))}`);
    const rows = await wb.waitForCount(frame.locator('table tbody tr'), images, 20_000);
    if (rows !== images) throw new Error(`the results table shows ${rows} rows, not one per image (${images})`);
    if (!/Actual: .* to Completed/.test(text))
      throw new Error(`no estimate vs actual once Completed: ${JSON.stringify(text.slice(0, 600))}`);
    console.log(`    · panel: ${JSON.stringify(text.slice(0, 300))}; ${rows} rows`);
    await page.waitForTimeout(500);
    await shot('submit-completed-light');
  });

  step('"Compare with Local Run" in the panel: the local run\'s 10 images have the same rows in the cloud job', async () => {
    const frame = await wb.waitForFrame((t) => jobOf(t) === firstJob, 10_000, 'the job panel');
    await frame.locator('button.cloud-compare-local').click();
    const said = await wb.notification(/Same rows|Rows differ/, 60_000);
    console.log(`    · ${JSON.stringify(said)}`);
    if (!/^Same rows/.test(said)) throw new Error(`the comparison says ${JSON.stringify(said)}`);
    await page
      .locator('.tab', { hasText: /^\s*Preview compare-/ })
      .first()
      .waitFor({ timeout: 20_000 });
    await shot('submit-compare-light');
  });

  step('"Job Logs…" in the panel: a process\'s stdout opens in an editor with what run() printed', async () => {
    let opened = [];
    for (let i = 0; i < 4; i++) {
      const frame = await wb.waitForFrame((t) => jobOf(t) === firstJob, 10_000, 'the job panel');
      await frame.locator('button.cloud-logs').click();
      await page.locator('.quick-input-widget', { hasText: `Logs of job ${firstJob}` }).waitFor({ timeout: 30_000 });
      const rows = page
        .locator('.quick-input-list .monaco-list-row')
        .filter({ has: page.locator('.label-name', { hasText: /process\d+ stdout/ }) });
      await rows.first().waitFor({ timeout: 30_000 });
      const count = await rows.count();
      if (i >= count) break;
      const label = (await rows.nth(i).locator('.label-name').innerText()).trim();
      await rows.nth(i).click();
      const tab = page.locator('.tab.active', { hasText: /process\d+\.stdout\.txt/ });
      await tab.waitFor({ timeout: 30_000 });
      // (the editor draws spaces as no-break spaces)
      const text = (await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().innerText()).replace(
        /\u00a0/g,
        ' ',
      );
      opened.push(`${label}: ${text.split('\n').filter((l) => l.trim()).length} lines`);
      if (/run method start/.test(text)) {
        console.log(`    · ${(await tab.innerText()).trim()}: ${JSON.stringify(text.split('\n')[0].slice(0, 120))}`);
        await page.waitForTimeout(300);
        await shot('submit-job-logs-light');
        return;
      }
    }
    throw new Error(`no process stdout shows what run() printed ("run method start"): ${opened.join('; ')}`);
  });

  step('"Resubmit with…" one image and mini_batch_size 1: the new job ends Completed with one row', async () => {
    const one = readdirSync(path.join(vscode.folder, 'data', 'images'))
      .filter((f) => f.endsWith('.png'))
      .sort()[0];
    const frame = await wb.waitForFrame((t) => jobOf(t) === firstJob, 10_000, 'the job panel');
    await frame.locator('button.cloud-resubmit').click();
    // What to change: the images input and mini_batch_size (a multi-select pick: check both, then OK).
    const what = page.locator('.quick-input-widget', { hasText: `Resubmit ${firstJob} with…` });
    await what.waitFor({ timeout: 30_000 });
    for (const label of ['digit_images', 'mini_batch_size']) {
      const row = page
        .locator('.quick-input-list .monaco-list-row')
        .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${label}\\s*$`) }) });
      await row.first().waitFor({ timeout: 10_000 });
      await row.first().click();
      await page.waitForTimeout(200);
    }
    const selected = (
      await page
        .locator('.quick-input-widget .quick-input-count')
        .innerText()
        .catch(() => '')
    ).trim();
    if (!/^2\b/.test(selected)) throw new Error(`the pick counts "${selected}" after checking digit_images and mini_batch_size`);
    await page.locator('.quick-input-widget .monaco-button', { hasText: /^\s*OK\s*$/ }).click();
    await wb.pick(/One local file…/);
    // VS Code's own file dialog (code-server: the simple one): the path typed, then Enter.
    const file = path.join(vscode.folder, 'data', 'images', one);
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 15_000 });
    // The dialog lists the typed path's folder as it reads it (and may still set its own starting folder when it
    // opens): Enter once it shows the file with the path typed, and again if it is still open after that.
    const listed = page.locator('.quick-input-list .monaco-list-row', { hasText: one }).first();
    const size = page.locator('.quick-input-widget', { hasText: 'Resubmit: mini_batch_size' });
    const seen = [];
    for (let attempt = 1; ; attempt++) {
      await input.fill(file);
      const shows = await listed.waitFor({ timeout: 10_000 }).then(
        () => true,
        () => false,
      );
      const value = await input.inputValue();
      seen.push(`${shows ? 'listed' : 'not listed'}, value ${JSON.stringify(value)}`);
      if (shows && value === file) {
        await page.keyboard.press('Enter');
        if (
          await size.waitFor({ timeout: 8_000 }).then(
            () => true,
            () => false,
          )
        )
          break;
      }
      if (attempt === 4) throw new Error(`the file dialog did not take ${file}: ${seen.join('; ')}`);
      await page.waitForTimeout(500);
    }
    await input.fill('1');
    await page.keyboard.press('Enter');
    const frame2 = await wb.waitForFrame(
      (t) => !!jobOf(t) && jobOf(t) !== firstJob && /· Completed/.test(t) && /\d+ rows?/.test(t),
      JOB_TIMEOUT_MS,
      'the resubmitted job to end Completed with its rows in a panel of its own',
    );
    const text = await panelText(frame2);
    const rows = await frame2.locator('table tbody tr').count();
    console.log(`    · resubmitted as ${jobOf(text)} with ${one}: ${rows} row; ${JSON.stringify(text.slice(0, 200))}`);
    if (rows !== 1 || !/\b1 row\b/.test(text)) throw new Error(`the resubmitted job shows ${rows} rows, not the one row of ${one}`);
    if (!text.includes(one)) throw new Error(`the row does not name ${one}: ${JSON.stringify(text.slice(0, 800))}`);
    await page.waitForTimeout(500);
    await shot('submit-resubmit-light');
  });

  step('a window reload while a job is Queued: its panel comes back and follows it on to Completed', async () => {
    const runner = bed.fake.runner;
    runner.holdQueued = true;
    const frame = await wb.waitForFrame((t) => !!jobOf(t) && jobOf(t) !== firstJob, 10_000, 'the resubmitted job panel');
    const before = jobOf(await panelText(frame));
    await frame.locator('button.run-rerun').click(); // "Submit Again"
    await page
      .locator('.quick-input-widget', { hasText: /Submit digit_identification to cpu-cluster|Compute cluster in local-ws/ })
      .waitFor({ timeout: 30_000 });
    if (await page.locator('.quick-input-widget', { hasText: 'Compute cluster in local-ws' }).count()) await wb.pick('cpu-cluster');
    await page.locator('.quick-input-widget', { hasText: 'Submit digit_identification to cpu-cluster' }).waitFor({ timeout: 30_000 });
    await wb.pick(/^\s*Submit\s*$/);
    const queued = await wb.waitForFrame(
      (t) => !!jobOf(t) && ![firstJob, before].includes(jobOf(t)) && /· Queued/.test(t),
      60_000,
      'the job submitted again to show Queued',
    );
    const job = jobOf(await panelText(queued));
    console.log(`    · ${job} held at Queued; reloading the window`);
    await wb.runCommand('Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await wb.waitForFrame((t) => jobOf(t) === job && /· Queued/.test(t), 90_000, `the panel of ${job} restored after the reload`);
    await page.waitForTimeout(300);
    await shot('submit-reattached-light');
    runner.holdQueued = false;
    runner.release(job);
    const done = await wb.waitForFrame(
      (t) => jobOf(t) === job && /· Completed/.test(t) && new RegExp(`\\b${images} rows\\b`).test(t),
      JOB_TIMEOUT_MS,
      `${job} to end Completed with its ${images} rows after the reload`,
    );
    const text = await panelText(done);
    if (!/Queued .*Running .*Completed|Queued .*Completed/.test(text))
      throw new Error(`the timeline after the reload reads ${JSON.stringify(text.slice(0, 600))}`);
  });

  step("a job that fails in init: the error on top names the user's line, and its link opens that line", async () => {
    // A user's mistake: init() imports a module the job's environment lacks.
    const script = wb.findInWorkspace('digit_identification.py');
    const text = readFileSync(script, 'utf8');
    const broken = text.replace(/^def init\(\):\n/m, 'def init():\n    import helper_that_is_missing  # noqa: F401\n');
    if (broken === text) throw new Error(`no "def init():" line in ${script}`);
    writeFileSync(script, broken);
    const line = broken.split('\n').findIndex((l) => l.includes('helper_that_is_missing')) + 1;
    // The Submit… lens sits above run(): open the file there.
    await wb.openFile('digit_identification.py', broken.split('\n').findIndex((l) => l.startsWith('def run(')) + 1);
    const lens = page.locator('.codelens-decoration a', { hasText: 'Submit…' });
    await lens.first().waitFor({ timeout: 30_000 });
    await lens.first().click();
    await page.locator('.quick-input-widget', { hasText: 'Compute cluster in local-ws' }).waitFor({ timeout: 30_000 });
    await wb.pick('cpu-cluster');
    await page.locator('.quick-input-widget', { hasText: 'Submit digit_identification to cpu-cluster' }).waitFor({ timeout: 60_000 });
    await wb.pick(/^\s*Submit\s*$/);
    const where = `digit_identification.py:${line}`;
    const frame = await wb.waitForFrame(
      (t) => /· Failed/.test(t) && /helper_that_is_missing/.test(t) && t.includes(where),
      JOB_TIMEOUT_MS,
      `the failed job's panel naming ${where}`,
    );
    console.log(`    · ${JSON.stringify((await frame.locator('.cloud-error').innerText()).replace(/\s+/g, ' ').slice(0, 240))}`);
    await page.waitForTimeout(300);
    await shot('submit-failed-light');
    await frame.locator('button.cloud-error-file').click();
    await page.locator('.tab.active', { hasText: 'digit_identification.py' }).waitFor({ timeout: 15_000 });
    await page
      .locator('.statusbar-item', { hasText: new RegExp(`^\\s*Ln ${line}, Col`) })
      .first()
      .waitFor({ timeout: 15_000 });
  });

  try {
    bed = await startTestBed({ azurite: true, runJobs: true });
    vscode = await startVsCode({
      name: 'ui-submit',
      trust: false,
      folder: (ws) => {
        const digits = copySample('digits', ws);
        writeFileSync(
          path.join(digits, 'config.json'),
          JSON.stringify({
            subscription_id: bed.world.testSubscription.subscriptionId,
            resource_group: bed.world.testResourceGroup,
            workspace_name: bed.world.testWorkspace,
          }),
        );
        return digits;
      },
      install: vsix ? [fakeAuthProvider] : [extensionPath, fakeAuthProvider],
      vsix,
      settings: { ...bed.settings, 'workbench.colorTheme': 'Default Light Modern' },
      env: { ...bed.env, FAKE_AUTH_READY_FILE: authReady },
      viewport: { width: 1440, height: 900 },
    });
    page = vscode.page;
    wb = workbench(page, vscode.folder);
    images = readdirSync(path.join(vscode.folder, 'data', 'images')).filter((f) => f.endsWith('.png')).length;
    await runSteps(steps, {
      counts,
      deadline: started + timeoutS * 1000,
      limitMessage: `the submit UI steps ran past their ${timeoutS} s limit`,
      name: 'submit',
      page: () => page,
      screenshotsDir,
      root,
    });
  } catch (e) {
    console.log(`  ✖ submit ui: ${e instanceof Error ? e.message : e}`);
    counts.failed++;
  } finally {
    await vscode?.stop();
    await bed?.stop();
    rmSync(authDir, { recursive: true, force: true });
  }
  console.log(
    `--- ui submit: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped in ${((Date.now() - started) / 1000).toFixed(1)} s; logs in test-results/vscode/ui-submit/`,
  );
  return counts;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = await runSubmitUi();
  process.exit(r.failed > 0 ? 1 : 0);
}
