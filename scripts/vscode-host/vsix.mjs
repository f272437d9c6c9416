// The VSIX the VS Code tests install (integration and UI): built once per test command by scripts/package.mjs
// for this machine's platform, then installed with `code-server --install-extension` into each test's
// --extensions-dir, so a file missing from the VSIX or a bundle not built fails a test.
//   PARALLEL_RUN_TEST_VSIX=<file.vsix>  use that VSIX (scripts/test.mjs sets it after packaging once)
//   PARALLEL_RUN_TEST_VSIX=none         install a copy of the source folder instead (quicker while iterating)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ensureHost, root } from './setup.mjs';

/** The VS Code target of this machine (`linux-x64`…), as scripts/package.mjs names them. */
export function vsixTarget(platform = process.platform, arch = process.arch) {
  return `${platform}-${arch}`;
}

/** Where scripts/package.mjs writes this machine's VSIX. */
export function vsixPath(target = vsixTarget()) {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  return path.join(root, 'dist-vsix', `${pkg.name}-${target}-${pkg.version}.vsix`);
}

/**
 * The VSIX for the tests: $PARALLEL_RUN_TEST_VSIX when set (undefined for `none`), else one packaged now (and
 * $PARALLEL_RUN_TEST_VSIX set to it, so child processes reuse it). Throws with package.mjs's output when packaging fails.
 */
export function testVsix({ log = (s) => console.log(s) } = {}) {
  const given = process.env.PARALLEL_RUN_TEST_VSIX;
  if (given === 'none') return undefined;
  if (given) {
    if (!existsSync(given))
      throw new Error(
        `PARALLEL_RUN_TEST_VSIX=${given} does not exist: unset it to package one, or set it to none to test the source folder`,
      );
    return given;
  }
  // vsce runs on the host's Node 24: install the host here first, so that its progress shows (the first time ~3 min).
  ensureHost({ log });
  const target = vsixTarget();
  const started = Date.now();
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'package.mjs'), target], {
    cwd: root,
    encoding: 'utf8',
    env: process.env,
  });
  if (r.status !== 0)
    throw new Error(`npm run package -- ${target} failed (the VS Code tests install its VSIX):\n${r.stdout}\n${r.stderr}`);
  const file = vsixPath(target);
  if (!existsSync(file)) throw new Error(`npm run package -- ${target} wrote no ${path.relative(root, file)}:\n${r.stdout}`);
  log(`VS Code tests install ${path.relative(root, file)} (packaged in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  process.env.PARALLEL_RUN_TEST_VSIX = file;
  return file;
}

/**
 * Installs a VSIX into `extensionsDir` as a user does (`code-server --install-extension`), with code-server's
 * own files kept in `env`'s HOME/XDG folders. Returns the installed extension's folder.
 */
export function installVsix({ host, extensionsDir, userDataDir, vsix, env }) {
  const r = spawnSync(
    host.node,
    [host.codeServer, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', vsix],
    { env, encoding: 'utf8' },
  );
  const out = `${r.stdout}\n${r.stderr}`;
  if (r.status !== 0 || !/successfully installed/i.test(out))
    throw new Error(`code-server --install-extension ${path.relative(root, vsix)} failed (${r.status ?? r.signal}):\n${out}`);
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const dir = path.join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  if (!existsSync(path.join(dir, 'package.json')))
    throw new Error(`code-server installed ${path.basename(vsix)} but ${dir} has no package.json`);
  return dir;
}
