// What every start of code-server here shares — the tests (test/integration/host.mjs) and
// `npm run sample -- --vscode` (scripts/sample.mjs): quiet user settings, the extension installed as a copy
// (as a VSIX would hold it), code-server's command line and environment, and starting it in a process group
// of its own so that stopping it also stops its extension host, pty host and the Python workers.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { root } from './setup.mjs';

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

/** Top-level entries of the repository that never go into the installed extension (a VSIX would not hold them). */
const notShipped = new Set([
  'node_modules',
  '.vscode-test',
  '.git',
  'out',
  'src',
  'test',
  'bench',
  'scripts',
  '.ci',
  '.vscode',
  'test-results',
  '.bench',
  '.parallel-run',
  '.gl',
  '.whl',
  'package-lock.json',
]);
/** Generated or per-run folders of a bundled sample (a user makes them with make_data.py / by running it). */
const notShippedInSample = new Set(['data', 'model', 'runs', '.parallel-run', '__pycache__']);

/**
 * Installs an extension into an extensions folder as `publisher.name-version/`, holding what a VSIX would hold:
 * the manifest, dist/, the runtime folders next to it (python/, media/, snippets/…) and the digits sample that
 * "Open the Digits Sample" copies (samples/digits, without its generated data, model and runs) — no sources,
 * tests, node_modules or caches. An older copy of the same extension (any version) is replaced.
 */
export function installExtensionCopy(extensionsDir, from = root) {
  const manifest = JSON.parse(readFileSync(path.join(from, 'package.json'), 'utf8'));
  const prefix = `${manifest.publisher}.${manifest.name}-`;
  const dir = path.join(extensionsDir, `${prefix}${manifest.version}`);
  mkdirSync(extensionsDir, { recursive: true });
  for (const old of readdirSync(extensionsDir)) {
    if (old.startsWith(prefix) && /^\d/.test(old.slice(prefix.length)))
      rmSync(path.join(extensionsDir, old), { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  const noCaches = (src) => !/__pycache__|\.pyc$/.test(src);
  for (const entry of readdirSync(from)) {
    if (notShipped.has(entry) || entry.startsWith('.') || entry.endsWith('.vsix') || /^(esbuild\.mjs|tsconfig.*\.json)$/.test(entry))
      continue;
    if (entry === 'samples') {
      const sample = path.join(from, 'samples', 'digits');
      if (existsSync(sample)) {
        cpSync(sample, path.join(dir, 'samples', 'digits'), {
          recursive: true,
          filter: (src) =>
            noCaches(src) &&
            !path
              .relative(sample, src)
              .split(path.sep)
              .some((part) => notShippedInSample.has(part)),
        });
      }
      continue;
    }
    cpSync(path.join(from, entry), path.join(dir, entry), { recursive: true, filter: noCaches });
  }
  // Modules the bundle leaves outside (esbuild externals other than vscode) must travel with it.
  for (const dep of Object.keys(manifest.dependencies ?? {})) {
    const mod = path.join(from, 'node_modules', dep);
    if (existsSync(mod) && dep === 'onnxruntime-node') cpSync(mod, path.join(dir, 'node_modules', dep), { recursive: true });
  }
  return dir;
}

/**
 * code-server's command line (after the Node 24 binary): `host` from ensureHost(), loopback `port`, its own
 * `config` file, `userDataDir`, `extensionsDir`; `trust` false turns Workspace Trust off for the session
 * (--disable-workspace-trust), true leaves it to the settings; `smokeTestDriver` lets the tests hand the
 * workbench a payload; `folder` is opened when the browser asks for no other.
 */
export function codeServerArgs({ host, port, config, userDataDir, extensionsDir, trust = false, smokeTestDriver = false, folder }) {
  const args = [
    host.codeServer,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--config',
    config,
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ];
  if (smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  if (!trust) args.push('--disable-workspace-trust');
  if (folder) args.push(folder);
  return args;
}

/** code-server's `--config` contents: no password (it listens on loopback only), no TLS. */
export const codeServerConfig = 'auth: none\ncert: false\n';

/**
 * The environment for code-server (and so for the extension host, its terminals and the Python workers): the
 * machine's, without npm_* from an outer `npm run` and VSCODE_* and ELECTRON_* from a surrounding VS Code, with
 * Debian's Python picked under pyenv (the samples need its numpy and scikit-learn), then `extra`.
 */
export function serverEnv(extra = {}, base = process.env) {
  const env = {};
  for (const [k, v] of Object.entries(base)) {
    if (/^(npm_|VSCODE_|ELECTRON_)/i.test(k)) continue;
    env[k] = v;
  }
  env.PYENV_VERSION = env.PYENV_VERSION || 'system';
  return Object.assign(env, extra);
}

/**
 * Starts code-server detached (its pid is its process group) with Node 24. `output`: a writable stream for its
 * stdout and stderr. Returns { child, port, url, exited(), stop(), kill() }: stop() sends SIGTERM to the group,
 * waits up to 5 s, then SIGKILLs what is left; kill() is the synchronous SIGKILL for exit handlers.
 */
export function startCodeServer({ host, args, env, cwd = root, output }) {
  const child = spawn(host.node, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  if (output) {
    child.stdout.pipe(output, { end: false });
    child.stderr.pipe(output, { end: false });
  } else {
    child.stdout.resume();
    child.stderr.resume();
  }
  let exitCode;
  child.once('exit', (code, signal) => (exitCode = code ?? signal ?? 'exited'));
  const kill = () => signalGroup(child.pid, 'SIGKILL');
  const stop = async () => {
    signalGroup(child.pid, 'SIGTERM');
    const deadline = Date.now() + 5000;
    while (groupAlive(child.pid) && Date.now() < deadline) await sleep(100);
    if (groupAlive(child.pid)) {
      kill();
      await sleep(300);
    }
  };
  return { child, exited: () => exitCode, stop, kill };
}

/** Waits until code-server answers /healthz on `base`; throws if it exits first or after `ms`. */
export async function waitForCodeServer(server, base, { ms = 30_000, logHint = '' } = {}) {
  const started = Date.now();
  for (;;) {
    if (server.exited() !== undefined) throw new Error(`code-server exited at start (${server.exited()})${logHint}`);
    if (Date.now() - started > ms) throw new Error(`code-server did not answer on ${base} within ${ms / 1000} s${logHint}`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) return;
    } catch {
      /* not listening yet */
    }
    await sleep(100);
  }
}

export function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch {
    /* already gone */
  }
}
