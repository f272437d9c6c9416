/**
 * activate() registers every command package.json contributes, each once, and nothing else: run on the
 * bench's stand-in vscode module (bench/fake-vscode.ts), with registerCommand recording.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Module = require('node:module');
import * as path from 'node:path';
import { fakeContext, fakeVscode } from '../../../bench/fake-vscode';

const ROOT = path.resolve(__dirname, '../../../..');
const PKG = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

test('activation registers each contributed command exactly once, and no command package.json does not contribute', () => {
  const registered: string[] = [];
  const base = fakeVscode(new Set()) as Record<string, unknown>;
  const commands = {
    registerCommand: (id: string) => (registered.push(id), { dispose() {} }),
    executeCommand: async () => undefined,
  };
  const vscode = new Proxy(base, { get: (t, p) => (p === 'commands' ? commands : t[p as string]) });
  const mod = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const load = mod._load;
  mod._load = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? vscode : load.call(this, request, ...rest);
  };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ext = require(path.join(ROOT, 'out', 'src', 'extension.js')) as typeof import('../../../src/extension');
    ext.activate(fakeContext(ROOT) as import('vscode').ExtensionContext);
  } finally {
    mod._load = load;
  }
  const contributed: string[] = PKG.contributes.commands.map((c: { command: string }) => c.command);
  assert.deepEqual(
    registered.filter((id, i) => registered.indexOf(id) !== i),
    [],
    'registered twice (VS Code refuses the second)',
  );
  assert.deepEqual([...registered].sort(), [...contributed].sort());
});
