/**
 * P6: the extension host stays responsive while a spec whose input is a 100,000-file folder is checked as
 * the user types. The extension's own SpecDiagnostics (src/vscode/authoring/diagnostics.ts) runs in a fresh
 * Node process with a stand-in `vscode`; a document is edited on a typing rhythm (keystrokes 50-700 ms
 * apart, so checks both complete and get canceled by the next edit) while perf_hooks.monitorEventLoopDelay
 * records the event loop's delays. The synchronous reader (checkSpecText) is timed on the same spec as the
 * baseline: what one check blocked the host for before.
 *   node out/bench/host.js child <spec.yml> <seconds>   one measurement, one JSON line
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fakeVscode } from './fake-vscode';

export interface HostFigures {
  /** Largest event-loop delay while typing, ms. */
  maxDelayMs: number;
  p99DelayMs: number;
  /** The same typing in a YAML file that is no spec (nothing checked): the machine's own noise, ms. */
  idleMaxDelayMs: number;
  /** checkSpecText (synchronous) on the same spec, ms: the stall of one check before. */
  syncCheckMs: number;
  files: number;
  keystrokes: number;
  published: number;
  /** Findings of the last check: the spec must check clean (no error from a missed listing). */
  findings: number;
}

/** Writes `<dir>/pipeline.yml` reading an MLTable whose `folder:` holds `files` CSV files (made once). */
export function hostSpec(dir: string, files: number): string {
  const rows = path.join(dir, 'table', 'rows');
  const marker = path.join(dir, `complete-${files}`);
  if (!existsSync(marker)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(rows, { recursive: true });
    for (let i = 0; i < files; i++) closeSync(openSync(path.join(rows, `part-${String(i).padStart(6, '0')}.csv`), 'w'));
    writeFileSync(marker, '');
  }
  writeFileSync(
    path.join(dir, 'table', 'MLTable'),
    ['type: mltable', 'paths:', '  - folder: ./rows', 'transformations:', '  - read_delimited:', '      delimiter: ","', ''].join('\n'),
  );
  mkdirSync(path.join(dir, 'src'), { recursive: true });
  writeFileSync(path.join(dir, 'src', 'score.py'), 'def run(mini_batch):\n    return []\n');
  const spec = path.join(dir, 'pipeline.yml');
  writeFileSync(
    spec,
    [
      'type: pipeline',
      'inputs:',
      '  table:',
      '    type: mltable',
      '    path: ./table',
      'jobs:',
      '  score:',
      '    type: parallel',
      '    inputs:',
      '      table: ${{parent.inputs.table}}',
      '    input_data: ${{inputs.table}}',
      '    mini_batch_size: 1kb',
      '    task:',
      '      type: run_function',
      '      code: ./src',
      '      entry_script: score.py',
      '',
    ].join('\n'),
  );
  return spec;
}

/** Runs the measurement `runs` times in fresh processes; returns each run's figures. */
export function measureHost(spec: string, seconds: number, runs: number): HostFigures[] {
  const out: HostFigures[] = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, [__filename, 'child', spec, String(seconds)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`host bench child failed: ${r.stderr || r.stdout}`);
    out.push(JSON.parse(r.stdout.trim().split('\n').pop()!));
  }
  return out;
}

type Listener = (e: unknown) => void;

/** The part of `vscode` SpecDiagnostics uses, working; the rest from the recording stand-in. */
function hostVscode(published: { count: number; findings: number }): { api: unknown; fire: (event: string, e: unknown) => void } {
  const listeners = new Map<string, Listener[]>();
  const on = (event: string) => (l: Listener) => {
    listeners.set(event, [...(listeners.get(event) ?? []), l]);
    return { dispose: () => undefined };
  };
  class Range {
    constructor(
      readonly startLine: number,
      readonly startCharacter: number,
      readonly endLine: number,
      readonly endCharacter: number,
    ) {}
  }
  const own: Record<string, unknown> = {
    languages: {
      createDiagnosticCollection: () => ({
        set: (_uri: unknown, diagnostics: unknown[]) => {
          published.count++;
          published.findings = diagnostics.length;
        },
        delete: () => undefined,
        dispose: () => undefined,
      }),
    },
    workspace: {
      onDidOpenTextDocument: on('open'),
      onDidChangeTextDocument: on('change'),
      onDidSaveTextDocument: on('save'),
      onDidCloseTextDocument: on('close'),
      textDocuments: [],
    },
    Range,
    Diagnostic: class {
      constructor(
        readonly range: Range,
        readonly message: string,
        readonly severity: number,
      ) {}
    },
    DiagnosticSeverity: { Error: 0, Warning: 1 },
    DiagnosticRelatedInformation: class {},
    Location: class {},
    Uri: { file: (p: string) => ({ fsPath: p, scheme: 'file', toString: () => `file://${p}` }) },
  };
  const fallback = fakeVscode(new Set()) as Record<string, unknown>;
  const api = new Proxy(own, { get: (t, p: string) => (p in t ? t[p] : fallback[p]) });
  return { api, fire: (event, e) => listeners.get(event)?.forEach((l) => l(e)) };
}

async function child(spec: string, seconds: number): Promise<void> {
  const published = { count: 0, findings: -1 };
  const { api, fire } = hostVscode(published);
  const resolve = (Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string })._resolveFilename;
  (Module as unknown as { _resolveFilename: typeof resolve })._resolveFilename = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
  };
  const fake = new Module('vscode');
  fake.exports = api;
  fake.loaded = true;
  require.cache.vscode = fake;

  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the stand-in vscode is installed
  const { SpecDiagnostics } = require('../src/vscode/authoring/diagnostics') as typeof import('../src/vscode/authoring/diagnostics');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the stand-in vscode is installed
  const { checkSpecText } = require('../src/core/spec') as typeof import('../src/core/spec');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the stand-in vscode is installed
  const { listRelativeFiles } = require('../src/core/local/partition') as typeof import('../src/core/local/partition');
  const files = (await listRelativeFiles(path.join(path.dirname(spec), 'table', 'rows'))).length;
  const log = { trace: () => undefined, error: (m: string) => console.error(m) };
  const diagnostics = new SpecDiagnostics(log as never);

  let text = readFileSync(spec, 'utf8');
  const doc = {
    languageId: 'yaml',
    uri: { scheme: 'file', fsPath: spec, toString: () => `file://${spec}` },
    fileName: spec,
    version: 1,
    isClosed: false,
    getText: () => text,
    lineAt: () => ({ range: new (api as { Range: new (...a: number[]) => unknown }).Range(0, 0, 0, 0) }),
  };
  // Warm-up: the first check loads the spec reader (the lazy half), once per session; not typing.
  await diagnostics.check(doc as never);
  const t0 = performance.now();
  checkSpecText(text, spec);
  const syncCheckMs = performance.now() - t0;

  const rhythm = [50, 120, 350, 400, 700, 80, 450];
  const type = async (histogram: ReturnType<typeof monitorEventLoopDelay>): Promise<number> => {
    let keystrokes = 0;
    const end = performance.now() + seconds * 1000;
    histogram.enable();
    while (performance.now() < end) {
      await new Promise((r) => setTimeout(r, rhythm[keystrokes % rhythm.length]));
      // A keystroke: a comment at the end changes, as typing in the file would.
      text = text.replace(/(# typed .*)?$/, `# typed ${keystrokes}`);
      doc.version++;
      keystrokes++;
      fire('change', { document: doc, contentChanges: [{ text: 'x' }] });
    }
    // Let the last check finish.
    await new Promise((r) => setTimeout(r, 1500));
    histogram.disable();
    return keystrokes;
  };
  // First the machine's noise: the same typing where nothing is checked (the text is no parallel spec).
  const specText = text;
  text = specText.replace(/type: parallel/g, 'type: command');
  const idle = monitorEventLoopDelay({ resolution: 1 });
  await type(idle);
  text = specText;
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  const keystrokes = await type(histogram);
  diagnostics.dispose();
  const figures: HostFigures = {
    maxDelayMs: histogram.max / 1e6,
    p99DelayMs: histogram.percentile(99) / 1e6,
    idleMaxDelayMs: idle.max / 1e6,
    syncCheckMs,
    files,
    keystrokes,
    published: published.count,
    findings: published.findings,
  };
  console.log(JSON.stringify(figures));
}

if (require.main === module && process.argv[2] === 'child') {
  child(path.resolve(process.argv[3]), Number(process.argv[4])).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
