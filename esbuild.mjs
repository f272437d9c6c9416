// Bundles the extension and the CLI. `vscode` is provided by the editor; native addons stay outside.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

// dist/lazy.js is the extension's second half (src/vscode/lazy.ts: engine, spec reader, run panel), loaded on
// first use; the main bundle refers to it instead of including it, so activation never parses it.
// dist/cli.js is a small launcher (src/cli-launcher.ts) that loads the CLI bundle, dist/cli-main.js, with V8's
// code cache.
// dist/azure.js is the Azure layer (src/core/azure: ARM SDK, identity, storage), loaded on first Azure use only.
// dist/azure-tree.js is the Azure ML view's logic (src/vscode/azure/tree-half.ts), loaded when the view first shows.
const entries = {
  extension: 'src/extension.ts',
  lazy: 'src/vscode/lazy.ts',
  'cli-main': 'src/cli.ts',
  cli: 'src/cli-launcher.ts',
  azure: 'src/core/azure/index.ts',
  'azure-tree': 'src/vscode/azure/tree-half.ts',
};
const production = process.argv.includes('--production');

/**
 * CJS bundles of @azure/storage-* crash on load: `createRequire(import.meta.url)` gets undefined. Define
 * import.meta.url as a variable the banner sets from __filename (azure-rest.md, "esbuild + storage-blob").
 */
const importMetaUrl = {
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__importMetaUrl' },
};

/** In dist/extension.js, `require('./lazy')` in src/vscode/load.ts is left as `require('./lazy.js')`. */
const lazyHalf = {
  name: 'lazy-half',
  setup(b) {
    b.onResolve({ filter: /^\.\/lazy$/ }, (args) =>
      args.kind === 'require-call' && args.importer.endsWith(`vscode${'/'}load.ts`.replace('/', process.platform === 'win32' ? '\\' : '/'))
        ? { path: './lazy.js', external: true }
        : undefined,
    );
  },
};

/** In dist/extension.js, `require('../../core/azure')` in src/vscode/azure/load.ts is left as `require('./azure.js')`. */
const azureHalf = {
  name: 'azure-half',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/\.\.\/core\/azure$/ }, (args) =>
      args.kind === 'require-call' && /[\\/]vscode[\\/]azure[\\/]load\.ts$/.test(args.importer)
        ? { path: './azure.js', external: true }
        : undefined,
    );
  },
};

/** In dist/extension.js, `require('./tree-half')` in src/vscode/azure/view.ts is left as `require('./azure-tree.js')`. */
const azureTreeHalf = {
  name: 'azure-tree-half',
  setup(b) {
    b.onResolve({ filter: /^\.\/tree-half$/ }, (args) =>
      args.kind === 'require-call' && /[\\/]vscode[\\/]azure[\\/]view\.ts$/.test(args.importer)
        ? { path: './azure-tree.js', external: true }
        : undefined,
    );
  },
};

/**
 * `import * as vscode from 'vscode'` in each of ~40 modules becomes `__toESM(require('vscode'))` in each: a copy
 * of the whole API object (hundreds of getters) per module, at load. Routing every import of `vscode` through
 * one ESM module (`export * from 'vscode'`) copies it once: half of the main bundle's load time (bench P5).
 */
const vscodeOnce = {
  name: 'vscode-once',
  setup(b) {
    b.onResolve({ filter: /^vscode$/ }, (args) =>
      args.namespace === 'vscode-once' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-once' },
    );
    b.onLoad({ filter: /^vscode$/, namespace: 'vscode-once' }, () => ({ contents: "export * from 'vscode';", loader: 'js' }));
  },
};

await Promise.all(
  Object.entries(entries)
    .filter(([, file]) => existsSync(file))
    .map(([name, file]) =>
      build({
        entryPoints: [file],
        outfile: `dist/${name}.js`,
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'cjs',
        sourcemap: !production,
        minify: production,
        external: ['vscode', 'onnxruntime-node'],
        plugins: [vscodeOnce, ...(name === 'extension' ? [lazyHalf, azureHalf, azureTreeHalf] : name === 'azure-tree' ? [azureHalf] : [])],
        ...(name === 'azure' ? importMetaUrl : {}),
        logLevel: 'warning',
      }),
    ),
);

// The run panel's page, a browser bundle, and its stylesheet: dist/webview.js and dist/webview.css.
if (existsSync('src/webview/main.ts')) {
  await build({
    entryPoints: [
      { in: 'src/webview/main.ts', out: 'webview' },
      { in: 'src/webview/panel.css', out: 'webview' },
    ],
    outdir: 'dist',
    bundle: true,
    platform: 'browser',
    target: 'chrome120',
    format: 'iife',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
  });
}
