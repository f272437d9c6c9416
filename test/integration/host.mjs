// Starts a real VS Code for the tests: code-server (Node 24, from scripts/vscode-host) on a free loopback port,
// with its own config, user data, extensions and HOME/XDG/TMPDIR under one temp folder in .vscode-test/tmp/,
// and headless Debian chromium (playwright-core) as its window. Used by test/integration/run.mjs and test/ui/run.mjs.
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { once } from 'node:events';
import * as net from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureHost } from '../../scripts/vscode-host/setup.mjs';
import { installVsix } from '../../scripts/vscode-host/vsix.mjs';
import {
  codeServerArgs,
  codeServerConfig,
  installExtensionCopy,
  quietSettings,
  serverEnv,
  startCodeServer,
  waitForCodeServer,
} from '../../scripts/vscode-host/server.mjs';

// Shared with `npm run sample -- --vscode`; re-exported for the suites.
export { installExtensionCopy, quietSettings };

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const chromiumPath = process.env.PARALLEL_RUN_CHROMIUM || '/usr/bin/chromium';
export const extensionId = 'parallel-run.azure-ml-parallel-run';
/** Everything a run leaves for people to read: logs per scenario, screenshots. Git-ignored. */
export const resultsDir = path.join(root, 'test-results');

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Where a scenario's logs go (emptied when it starts): test-results/vscode/<name>/. */
export function logDirFor(name) {
  return path.join(resultsDir, 'vscode', name);
}

/** A free TCP port on the loopback interface (the OS picks; a tiny race before code-server binds it is accepted). */
async function freePort() {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = /** @type {net.AddressInfo} */ (server.address());
  server.close();
  await once(server, 'close');
  return port;
}

/** Copies a sample to a scratch workspace, so runs and edits never touch the repository's copy. */
export function copySample(name, toDir) {
  const from = path.join(root, 'samples', name);
  const to = path.join(toDir, name);
  cpSync(from, to, {
    recursive: true,
    filter: (src) =>
      !path
        .relative(from, src)
        .split(path.sep)
        .some((part) => ['.parallel-run', 'runs', '__pycache__'].includes(part)),
  });
  return to;
}

/**
 * Starts code-server and chromium. Options:
 *   name         scenario name: logs go to test-results/vscode/<name>/
 *   folder       function(scratchDir) → the workspace folder to open (absolute)
 *   trust        true: workspace trust on and the folder untrusted; false (default): --disable-workspace-trust
 *   settings     user settings merged over quietSettings
 *   install      a folder, or a list of them: install each extension into --extensions-dir as a copy
 *                (the test-only extensions: the debugpy stand-in, the fake sign-in provider; the extension
 *                under test when it is not given as `vsix`)
 *   vsix         the extension under test as a VSIX file, installed with `code-server --install-extension`
 *   env          extra environment for code-server (reaches the extension host)
 *   viewport     {width, height}
 * Returns { page, browser, port, scratch, folder, logDir, extensionDir (the installed VSIX), url(payload?), stop() }.
 */
export async function startVsCode(options) {
  const host = ensureHost({ log: (s) => console.log(s) });
  const name = options.name;
  const logDir = logDirFor(name);
  rmSync(logDir, { recursive: true, force: true });
  mkdirSync(logDir, { recursive: true });
  mkdirSync(path.join(root, '.vscode-test', 'tmp'), { recursive: true });
  const scratch = mkdtempSync(path.join(root, '.vscode-test', 'tmp', `${name}-`));
  const dirs = {
    home: path.join(scratch, 'home'),
    config: path.join(scratch, 'xdg-config'),
    data: path.join(scratch, 'xdg-data'),
    cache: path.join(scratch, 'xdg-cache'),
    // Sockets live here (chromium's SingletonSocket, VS Code's IPC): a Unix socket path has ~107 bytes, so
    // this one folder is short and outside the checkout, whose path CI may make long.
    tmp: mkdtempSync(path.join(existsSync('/tmp') ? '/tmp' : os.tmpdir(), 'prs-vsc-')),
    userData: path.join(scratch, 'user-data'),
    extensions: path.join(scratch, 'extensions'),
    workspace: path.join(scratch, 'workspace'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  const settings = {
    ...quietSettings,
    'security.workspace.trust.enabled': !!options.trust,
    ...(options.settings ?? {}),
  };
  mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  const settingsFile = path.join(dirs.userData, 'User', 'settings.json');
  writeFileSync(settingsFile, JSON.stringify(settings, null, 2));
  const configFile = path.join(scratch, 'config.yaml');
  writeFileSync(configFile, codeServerConfig);
  const folder = options.folder(dirs.workspace);
  for (const extension of [options.install ?? []].flat()) installExtensionCopy(dirs.extensions, extension);
  // The extension under test from its VSIX, installed as a user installs it.
  const extensionDir = options.vsix
    ? installVsix({
        host,
        extensionsDir: dirs.extensions,
        userDataDir: dirs.userData,
        vsix: options.vsix,
        env: isolatedEnv(dirs, options.env),
      })
    : undefined;

  const port = await freePort();
  const args = codeServerArgs({
    host,
    port,
    config: configFile,
    userDataDir: dirs.userData,
    extensionsDir: dirs.extensions,
    trust: !!options.trust,
    smokeTestDriver: true,
  });
  const env = isolatedEnv(dirs, options.env);
  const csLog = createWriteStream(path.join(logDir, 'code-server.log'));
  const server = startCodeServer({ host, args, env, cwd: scratch, output: csLog });
  // If this process dies first (Ctrl+C, a CI timeout), code-server and its children must not outlive it.
  const killGroup = server.kill;
  const onSignal = (signal) => {
    killGroup();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('exit', killGroup);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  let browser;
  let stopped = false;
  const consoleLog = createWriteStream(path.join(logDir, 'browser-console.log'));
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await browser?.close().catch(() => {});
    // code-server was started detached: its pid is its process group (server, extension host, pty host, Python workers).
    await server.stop();
    process.off('exit', killGroup);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    consoleLog.end();
    csLog.end();
    // The server side's logs (remote extension host, with the extension's own output channel) outlive the scratch folder.
    try {
      cpSync(path.join(dirs.userData, 'logs'), path.join(logDir, 'server-logs'), { recursive: true });
    } catch {
      /* none written */
    }
    if (!process.env.PARALLEL_RUN_KEEP_VSCODE_TMP) {
      rmSync(scratch, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
      rmSync(dirs.tmp, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    }
  };

  const base = `http://127.0.0.1:${port}`;
  let page;
  try {
    await waitForCodeServer(server, base, { logHint: `; see ${path.relative(root, logDir)}/code-server.log` });

    const { chromium } = await import('playwright-core');
    // playwright makes chromium's profile under os.tmpdir(): keep that in the scratch folder too.
    const savedTmp = process.env.TMPDIR;
    process.env.TMPDIR = dirs.tmp;
    try {
      browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs, env });
    } finally {
      if (savedTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmp;
    }
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 900 } });
    page = await context.newPage();
    page.on('console', (m) => consoleLog.write(`[${m.type()}] ${m.text()}\n`));
    page.on('pageerror', (e) => consoleLog.write(`[pageerror] ${e.stack ?? e}\n`));
  } catch (e) {
    await stop();
    throw e;
  }

  /** The workbench URL for the folder, with an optional smoke-test payload ([[key, absolutePath]…]). */
  const url = (payload) => {
    let u = `${base}/?folder=${encodeURIComponent(folder)}`;
    if (payload) {
      const remote = payload.map(([k, p]) => [k, `vscode-remote://127.0.0.1:${port}${p}`]);
      u += `&payload=${encodeURIComponent(JSON.stringify(remote))}`;
    }
    return u;
  };
  return { page, browser, port, scratch, folder, logDir, settingsFile, dirs, extensionDir, url, stop };
}

/** The environment for code-server and chromium: the machine's, with HOME, XDG and TMPDIR moved into the scratch folder. */
function isolatedEnv(dirs, extra = {}) {
  return serverEnv({
    HOME: dirs.home,
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    XDG_CACHE_HOME: dirs.cache,
    XDG_RUNTIME_DIR: dirs.tmp,
    TMPDIR: dirs.tmp,
    ...extra,
  });
}

/** Waits for a promise, failing with `message` after `ms`. */
export async function withTimeout(promise, ms, message) {
  let timer;
  try {
    return await Promise.race([promise, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
