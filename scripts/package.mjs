// Builds the extension's VSIX files, one per platform, each carrying only that platform's onnxruntime
// binaries. vsce runs on the Node 24 of scripts/vscode-host (vsce 4 needs Node 22+).
// Usage: npm run package [-- linux-x64 win32-x64 ...]   (no target: every platform onnxruntime-node ships)
// Output: dist-vsix/azure-ml-parallel-run-<target>-<version>.vsix, and one line per file with its size.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { root } from './python-env.mjs';
import { ensureHost, hostPaths, node24Env } from './vscode-host/setup.mjs';

/** VS Code target -> onnxruntime-node's binary folder (bin/napi-v6/<os>/<arch>). */
const TARGETS = {
  'linux-x64': 'linux/x64',
  'linux-arm64': 'linux/arm64',
  'darwin-arm64': 'darwin/arm64',
  'win32-x64': 'win32/x64',
  'win32-arm64': 'win32/arm64',
};
/** What the installed extension needs at run time besides dist/ and node_modules/onnxruntime-*. */
const FILES = ['README.md', 'media', 'snippets', 'python/prs_worker', 'python/azureml_user', 'python/PROTOCOL.md'];
const SAMPLE = ['README.md', 'make_data.py', 'make_onnx.py', 'pipeline.yml', 'src'];

const wanted = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(TARGETS);
for (const t of wanted) if (!TARGETS[t]) fail(`unknown target ${t}; targets: ${Object.keys(TARGETS).join(', ')}`);

const bundled = spawnSync(process.execPath, [path.join(root, 'esbuild.mjs'), '--production'], { cwd: root, stdio: 'inherit' });
if (bundled.status !== 0) fail('node esbuild.mjs --production failed');
const vsce = ensureVsce();
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const outDir = path.join(root, 'dist-vsix');
mkdirSync(outDir, { recursive: true });

for (const target of wanted) {
  const stage = mkdtempSync(path.join(os.tmpdir(), `prs-vsix-${target}-`));
  try {
    for (const f of [
      'dist/extension.js',
      'dist/lazy.js',
      'dist/cli.js',
      'dist/webview.js',
      'dist/webview.css',
      'dist/azure.js',
      'dist/azure-tree.js',
      ...FILES,
    ])
      copy(f, stage);
    for (const f of SAMPLE) copy(`samples/digits/${f}`, stage);
    // onnxruntime-node: its JavaScript, and the native binaries of this platform only.
    const ort = 'node_modules/onnxruntime-node';
    for (const f of ['package.json', 'LICENSE', 'README.md', 'dist', `bin/napi-v6/${TARGETS[target]}`])
      copy(`${ort}/${f}`, stage, { optional: f !== 'package.json' && f !== 'dist' });
    const common = 'node_modules/onnxruntime-common';
    for (const f of ['package.json', 'LICENSE', 'README.md', 'dist/cjs'])
      copy(`${common}/${f}`, stage, { optional: f === 'LICENSE' || f === 'README.md' });
    // adm-zip and global-agent serve onnxruntime-node's install script only, which never runs from a VSIX.
    const ortManifest = path.join(stage, ort, 'package.json');
    const ortPkg = JSON.parse(readFileSync(ortManifest, 'utf8'));
    writeFileSync(
      ortManifest,
      JSON.stringify(
        { ...ortPkg, scripts: {}, dependencies: { 'onnxruntime-common': ortPkg.dependencies['onnxruntime-common'] } },
        null,
        2,
      ),
    );
    // The manifest as published: no scripts or dev tooling; onnxruntime-node is the one runtime dependency.
    const manifest = {
      ...pkg,
      scripts: {},
      devDependencies: {},
      dependencies: { 'onnxruntime-node': pkg.dependencies['onnxruntime-node'] },
    };
    writeFileSync(path.join(stage, 'package.json'), JSON.stringify(manifest, null, 2));
    writeFileSync(path.join(stage, 'LICENSE'), `MIT License\n\nSee the repository of ${pkg.displayName}.\n`);
    writeFileSync(path.join(stage, '.vscodeignore'), '**/*.map\n**/*.d.ts\n**/__pycache__/**\n');
    const file = path.join(outDir, `${pkg.name}-${target}-${pkg.version}.vsix`);
    const r = spawnSync(
      vsce.node,
      [
        vsce.cli,
        'package',
        '--target',
        target,
        '--allow-missing-repository',
        '--no-rewrite-relative-links',
        '--skip-license',
        '--out',
        file,
      ],
      { cwd: stage, env: node24Env(hostPaths()), encoding: 'utf8' },
    );
    if (r.status !== 0) fail(`vsce package --target ${target} failed:\n${r.stdout}\n${r.stderr}`);
    console.log(`${path.relative(root, file)}: ${(statSync(file).size / 1024 / 1024).toFixed(1)} MB`);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

function copy(rel, stage, { optional = false } = {}) {
  const from = path.join(root, rel);
  if (!existsSync(from)) {
    if (optional) return;
    fail(`${rel} is missing: run npm ci (ONNXRUNTIME_NODE_INSTALL=skip) and node esbuild.mjs first`);
  }
  cpSync(from, path.join(stage, rel), { recursive: true, filter: (src) => !src.includes('__pycache__') });
}

/** vsce from scripts/vsce/package-lock.json, installed once with Node 24's npm into .vscode-test/. */
function ensureVsce() {
  let paths = hostPaths();
  if (!existsSync(paths.node)) paths = ensureHost();
  const lock = readFileSync(path.join(root, 'scripts/vsce/package-lock.json'), 'utf8');
  const version = JSON.parse(lock).packages['node_modules/@vscode/vsce'].version;
  const dir = path.join(root, '.vscode-test', `vsce-${version}`);
  const cli = path.join(dir, 'node_modules', '@vscode', 'vsce', 'vsce');
  if (!existsSync(cli)) {
    mkdirSync(dir, { recursive: true });
    for (const f of ['package.json', 'package-lock.json']) cpSync(path.join(root, 'scripts/vsce', f), path.join(dir, f));
    const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: dir,
      env: node24Env(paths),
      encoding: 'utf8',
    });
    if (r.status !== 0) fail(`installing vsce failed:\n${r.stdout}\n${r.stderr}`);
  }
  return { node: paths.node, cli };
}

function fail(message) {
  console.error(`package: ${message}`);
  process.exit(1);
}
