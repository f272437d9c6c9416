/**
 * P5: what the extension costs at startup. (a) the size of the main bundle, dist/extension.js (as built,
 * and minified as a VSIX ships it); (b) the time to load the bundle and run activate(), in fresh Node
 * processes with a stand-in `vscode` module, against an empty extension (load + empty activate()) measured
 * in the same process just before.
 *   node out/bench/activation.js child <bundle> <empty-bundle>   one measurement, one JSON line
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import { fakeContext, fakeVscode } from './fake-vscode';

export interface ActivationFigures {
  bundleBytes: number;
  minifiedBytes: number;
  /** Medians over fresh processes, ms. */
  loadMs: number;
  activateMs: number;
  totalMs: number;
  minifiedTotalMs: number;
  baselineMs: number;
  runs: number;
  touched: string[];
}

interface ChildResult {
  baselineMs: number;
  loadMs: number;
  activateMs: number;
  touched: string[];
  subscriptions: number;
}

/** Measures P5 on `root`/dist/extension.js; `work` is a scratch folder for the empty and minified bundles. */
export async function measureActivation(root: string, work: string, runs: number): Promise<ActivationFigures> {
  const bundle = path.join(root, 'dist', 'extension.js');
  mkdirSync(work, { recursive: true });
  const empty = path.join(work, 'empty-extension.js');
  writeFileSync(empty, '"use strict";\nexports.activate = function activate(context) {};\n');
  // The same bundle minified, as a VSIX ships it (`node esbuild.mjs --production`), beside dist/ so that
  // its require('./lazy.js') still resolves.
  const minified = path.join(root, 'dist', 'extension.bench-min.js');
  const { transform } = await import('esbuild');
  writeFileSync(
    minified,
    (await transform(readFileSync(bundle, 'utf8'), { minify: true, format: 'cjs', platform: 'node', target: 'node20' })).code,
  );

  const measure = (file: string): ChildResult[] => {
    const results: ChildResult[] = [];
    for (let i = 0; i < runs; i++) {
      const r = spawnSync(process.execPath, [__filename, 'child', file, empty], { encoding: 'utf8', cwd: root });
      if (r.status !== 0) throw new Error(`activation child failed on ${file}: ${r.stderr || r.stdout}`);
      results.push(JSON.parse(r.stdout.trim().split('\n').pop()!));
    }
    return results;
  };
  const dev = measure(bundle);
  let min: ChildResult[];
  let minifiedBytes: number;
  try {
    min = measure(minified);
    minifiedBytes = statSync(minified).size;
  } finally {
    rmSync(minified, { force: true });
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return {
    bundleBytes: statSync(bundle).size,
    minifiedBytes,
    loadMs: median(dev.map((r) => r.loadMs)),
    activateMs: median(dev.map((r) => r.activateMs)),
    totalMs: median(dev.map((r) => r.loadMs + r.activateMs)),
    minifiedTotalMs: median(min.map((r) => r.loadMs + r.activateMs)),
    baselineMs: median([...dev, ...min].map((r) => r.baselineMs)),
    runs,
    touched: dev[0].touched,
  };
}

/** In a fresh process: the empty extension first (it warms Node's module loader, as VS Code's host is warm), then ours. */
function child(bundle: string, empty: string): void {
  const touched = new Set<string>();
  const vscode = fakeVscode(touched);
  const resolve = (Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string })._resolveFilename;
  (Module as unknown as { _resolveFilename: typeof resolve })._resolveFilename = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
  };
  const fake = new Module('vscode');
  fake.exports = vscode;
  fake.loaded = true;
  require.cache.vscode = fake;

  const time = (fn: () => void): number => {
    const t = process.hrtime.bigint();
    fn();
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  let baseline: { activate(c: unknown): void } | undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- fresh-process timing of the bundles themselves
  const baselineMs = time(() => (baseline = require(empty))) + time(() => baseline!.activate(fakeContext(path.dirname(empty))));
  let ext: { activate(c: unknown): void } | undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- fresh-process timing of the bundles themselves
  const loadMs = time(() => (ext = require(bundle)));
  const context = fakeContext(path.resolve(path.dirname(bundle), '..')) as { subscriptions: unknown[] };
  touched.clear();
  const activateMs = time(() => ext!.activate(context));
  console.log(
    JSON.stringify({ baselineMs, loadMs, activateMs, touched: [...touched].sort(), subscriptions: context.subscriptions.length }),
  );
}

if (require.main === module && process.argv[2] === 'child') child(path.resolve(process.argv[3]), path.resolve(process.argv[4]));
