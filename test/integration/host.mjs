// Starts a real VS Code for the tests: code-server (Node 24, from scripts/vscode-host) on a free loopback port,
// with its own config, user data, extensions and HOME/XDG/TMPDIR under one temp folder in .vscode-test/tmp/,
// and headless Debian chromium (playwright-core) as its window. Used by test/integration/run.mjs and test/ui/run.mjs.
import { spawn } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import * as net from 'node:net';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { ensureHost } from '../../scripts/vscode-host/setup.mjs';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const chromiumPath = process.env.PARALLEL_RUN_CHROMIUM || '/usr/bin/chromium';
export const extensionId = 'parallel-run.azure-ml-parallel-run';
/** Everything a run leaves for people to read: logs per scenario, screenshots. Git-ignored. */
export const resultsDir = path.join(root, 'test-results');

const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Settings that keep a fresh VS Code quiet: no welcome page, tips, telemetry, git, AI features, update checks. */
export const quietSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'git.autoRepositoryDetection': false,
  'github.gitAuthentication': false,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'npm.autoDetect': 'off',
  'typescript.disableAutomaticTypeAcquisition': true,
  'files.hotExit': 'off',
  'editor.codeLens': true,
  'notebook.output.textLineLimit': 30,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'security.workspace.trust.emptyWindow': false,
};

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
    filter: (src) => !path.relative(from, src).split(path.sep).some((part) => ['.parallel-run', 'runs', '__pycache__'].includes(part)),
  });
  return to;
}

/**
 * Installs the repository's extension into an extensions folder as `publisher.name-version/`, holding what a VSIX
 * would hold: the manifest, dist/, and the runtime folders next to it (no sources, tests, node_modules or caches).
 */
export function installExtensionCopy(extensionsDir, from = root) {
  const manifest = JSON.parse(readFileSync(path.join(from, 'package.json'), 'utf8'));
  const dir = path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  const skip = new Set(['node_modules', '.vscode-test', '.git', 'out', 'src', 'test', 'bench', 'samples', 'scripts', '.ci', '.vscode', 'test-results', '.bench', '.parallel-run', '.gl', '.whl', 'package-lock.json']);
  mkdirSync(dir, { recursive: true });
  for (const entry of readdirSync(from)) {
    if (skip.has(entry) || entry.startsWith('.') || entry.endsWith('.vsix') || /^(esbuild\.mjs|tsconfig.*\.json)$/.test(entry)) continue;
    cpSync(path.join(from, entry), path.join(dir, entry), { recursive: true, filter: (src) => !/__pycache__|\.pyc$/.test(src) });
  }
  // Modules the bundle leaves outside (esbuild externals other than vscode) must travel with it.
  for (const dep of Object.keys(manifest.dependencies ?? {})) {
    const mod = path.join(from, 'node_modules', dep);
    if (existsSync(mod) && dep === 'onnxruntime-node') cpSync(mod, path.join(dir, 'node_modules', dep), { recursive: true });
  }
  return dir;
}

/**
 * Starts code-server and chromium. Options:
 *   name         scenario name: logs go to test-results/vscode/<name>/
 *   folder       function(scratchDir) → the workspace folder to open (absolute)
 *   trust        true: workspace trust on and the folder untrusted; false (default): --disable-workspace-trust
 *   settings     user settings merged over quietSettings
 *   install      a folder: install that extension into --extensions-dir as a copy (UI tests)
 *   env          extra environment for code-server (reaches the extension host)
 *   viewport     {width, height}
 * Returns { page, browser, port, scratch, folder, logDir, url(payload?), stop() }.
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
    tmp: path.join(scratch, 'tmp'),
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
  writeFileSync(configFile, 'auth: none\ncert: false\n');
  const folder = options.folder(dirs.workspace);
  if (options.install) installExtensionCopy(dirs.extensions, options.install);

  const port = await freePort();
  const args = [
    host.codeServer,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--config', configFile,
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--vscode-option', 'enable-smoke-test-driver',
  ];
  if (!options.trust) args.push('--disable-workspace-trust');
  const env = isolatedEnv(dirs, options.env);
  const csLog = createWriteStream(path.join(logDir, 'code-server.log'));
  const child = spawn(host.node, args, { cwd: scratch, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(csLog, { end: false });
  child.stderr.pipe(csLog, { end: false });
  let exited = false;
  child.once('exit', () => (exited = true));
  // If this process dies first (Ctrl+C, a CI timeout), code-server and its children must not outlive it.
  const killGroup = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  };
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
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    const deadline = Date.now() + 5000;
    while (groupAlive(child.pid) && Date.now() < deadline) await sleep(100);
    if (groupAlive(child.pid)) {
      killGroup();
      await sleep(300);
    }
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
    if (!process.env.PARALLEL_RUN_KEEP_VSCODE_TMP) rmSync(scratch, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  };

  const base = `http://127.0.0.1:${port}`;
  let page;
  try {
    const started = Date.now();
    for (;;) {
      if (exited) throw new Error(`code-server exited at start; see ${path.relative(root, logDir)}/code-server.log`);
      if (Date.now() - started > 30_000) throw new Error(`code-server did not answer on ${base} within 30 s; see ${path.relative(root, logDir)}/code-server.log`);
      try {
        const r = await fetch(`${base}/healthz`);
        if (r.ok) break;
      } catch {
        /* not listening yet */
      }
      await sleep(100);
    }

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
  return { page, browser, port, scratch, folder, logDir, settingsFile, dirs, url, stop };
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The environment for code-server and chromium: the machine's, with HOME, XDG and TMPDIR moved into the scratch folder. */
function isolatedEnv(dirs, extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    // npm_* from an outer `npm run` and VSCODE_* from a surrounding VS Code would leak into the server.
    if (/^(npm_|VSCODE_|ELECTRON_)/i.test(k)) continue;
    env[k] = v;
  }
  Object.assign(env, {
    HOME: dirs.home,
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    XDG_CACHE_HOME: dirs.cache,
    XDG_RUNTIME_DIR: dirs.tmp,
    TMPDIR: dirs.tmp,
    // The samples use Debian's system Python (numpy, sklearn from apt); pyenv picks it with this.
    PYENV_VERSION: env.PYENV_VERSION || 'system',
    ...extra,
  });
  return env;
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
