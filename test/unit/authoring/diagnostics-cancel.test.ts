/**
 * SpecDiagnostics (src/vscode/authoring/diagnostics.ts) with a stand-in `vscode`: an edit cancels the check
 * in flight, so only the document's latest text is published, and closing the document publishes nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { tablePipeline } from '../spec/fixture';
import type * as Diagnostics from '../../../src/vscode/authoring/diagnostics';

const published: { uri: string; findings: string[] }[] = [];

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
      set: (uri: { toString(): string }, diagnostics: { code: string }[]) =>
        published.push({ uri: uri.toString(), findings: diagnostics.map((d) => d.code) }),
      delete: () => undefined,
      dispose: () => undefined,
    }),
  },
  workspace: {
    onDidOpenTextDocument: () => ({ dispose: () => undefined }),
    onDidChangeTextDocument: () => ({ dispose: () => undefined }),
    onDidSaveTextDocument: () => ({ dispose: () => undefined }),
    onDidCloseTextDocument: () => ({ dispose: () => undefined }),
    textDocuments: [],
  },
  Range,
  Diagnostic: class {
    code?: string;
    constructor(
      readonly range: Range,
      readonly message: string,
    ) {}
  },
  DiagnosticSeverity: { Error: 0, Warning: 1 },
  DiagnosticRelatedInformation: class {},
  Location: class {},
  Uri: { file: (p: string) => ({ fsPath: p, toString: () => `file://${p}` }) },
};
// Anything else the lazy half touches while it loads: a callable, constructible stub.
const stub: unknown = new Proxy(function () {}, {
  get: (_t, p) => (p === 'then' ? undefined : stub),
  apply: () => stub,
  construct: () => stub as object,
});
const fake = new Proxy(own, { get: (t, p: string) => (p in t ? t[p] : stub) });
const mod = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const load = mod._load;
mod._load = function (request: string, ...rest: unknown[]) {
  return request === 'vscode' ? fake : load.call(this, request, ...rest);
};

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SpecDiagnostics } = require('../../../src/vscode/authoring/diagnostics') as typeof Diagnostics;

function documentFor(file: string, initial: string) {
  const doc = {
    languageId: 'yaml',
    uri: { scheme: 'file', fsPath: file, toString: () => `file://${file}` },
    fileName: file,
    version: 1,
    isClosed: false,
    text: initial,
    getText: () => doc.text,
    lineAt: () => ({ range: new Range(0, 0, 0, 0) }),
  };
  return doc;
}

const log = { trace: () => undefined, error: (m: string) => assert.fail(`unexpected error: ${m}`) };

function folderWithTables(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'diag-cancel-'));
  writeFileSync(path.join(dir, 'score.py'), '');
  // A table folder big enough that listing it takes several turns of the event loop.
  mkdirSync(path.join(dir, 'big'));
  for (let i = 0; i < 3000; i++) writeFileSync(path.join(dir, 'big', `part-${i}.csv`), '');
  writeFileSync(path.join(dir, 'big', 'stray.jsonl'), '');
  mkdirSync(path.join(dir, 'none'));
  writeFileSync(path.join(dir, 'none', 'a.txt'), '');
  return dir;
}

test('an edit cancels the check in flight: only the latest text is published', async () => {
  const dir = folderWithTables();
  const file = path.join(dir, 'pipeline.yml');
  const diagnostics = new SpecDiagnostics(log as never);
  const doc = documentFor(file, tablePipeline('./big'));
  await diagnostics.check(doc as never); // loads the spec reader
  assert.deepEqual(published.pop()?.findings, ['mltable-mixed-formats']);
  published.length = 0;

  const first = diagnostics.check(doc as never); // lists ./big: several turns of the event loop
  doc.version = 2;
  doc.text = tablePipeline('./none');
  const second = diagnostics.check(doc as never); // the edit's check cancels the first
  await Promise.all([first, second]);
  assert.deepEqual(published, [{ uri: `file://${file}`, findings: ['mltable-no-files'] }]);
  diagnostics.dispose();
});

test('disposing (or closing the document) while a folder is listed publishes nothing', async () => {
  const dir = folderWithTables();
  const diagnostics = new SpecDiagnostics(log as never);
  const doc = documentFor(path.join(dir, 'pipeline.yml'), tablePipeline('./big'));
  published.length = 0;
  const pending = diagnostics.check(doc as never);
  diagnostics.dispose();
  await pending;
  assert.deepEqual(published, []);
});
