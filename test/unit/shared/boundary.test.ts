import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

// src/shared is compiled for the run panel's page (a browser) and for the host: it may import only its own
// files. A `vscode`, `node:*` or host import would build for Node and break the page, or pull host code in.
const root = path.resolve(__dirname, '../../../..');
const shared = path.join(root, 'src', 'shared');
const IMPORT =
  /(?:^|\n)\s*(?:import|export)\b[^'"`;]*?from\s*['"]([^'"]+)['"]|\brequire\(\s*['"]([^'"]+)['"]\s*\)|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every module a file imports or re-exports, with its line. */
function importsOf(text: string): { spec: string; line: number }[] {
  const found: { spec: string; line: number }[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3];
    const at = (m.index ?? 0) + m[0].indexOf(spec);
    found.push({ spec, line: text.slice(0, at).split('\n').length });
  }
  return found;
}

/** Why `spec`, imported by `file` in src/shared, is not allowed; undefined when it is. */
function forbiddenImport(file: string, spec: string): string | undefined {
  if (spec === 'vscode') return 'imports vscode (host only)';
  if (spec.startsWith('node:')) return `imports ${spec} (Node only)`;
  if (!spec.startsWith('.')) return `imports the package ${spec}: src/shared takes no dependencies`;
  const target = path.resolve(path.dirname(file), spec);
  if (target !== shared && !target.startsWith(shared + path.sep)) return `imports ${spec}, outside src/shared`;
  return undefined;
}

test('src/shared imports nothing but its own files', () => {
  const files = readdirSync(shared, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts'));
  assert.ok(files.includes('protocol.ts'), 'the webview protocol lives in src/shared');
  const problems: string[] = [];
  for (const rel of files) {
    const file = path.join(shared, rel);
    for (const { spec, line } of importsOf(readFileSync(file, 'utf8'))) {
      const why = forbiddenImport(file, spec);
      if (why) problems.push(`src/shared/${rel}:${line} ${why}; move what it needs into src/shared, or keep it on the host side.`);
    }
  }
  assert.deepEqual(problems, []);
});

test('the boundary check catches vscode, node:, package and outside imports', () => {
  const file = path.join(shared, 'protocol.ts');
  const text =
    "import * as vscode from 'vscode';\nimport { join } from 'node:path';\nexport * from '../core/local/types';\nconst y = require('yaml');\nimport type { X } from './run-types';\n";
  const found = importsOf(text).map(({ spec, line }) => [line, spec, forbiddenImport(file, spec) !== undefined]);
  assert.deepEqual(found, [
    [1, 'vscode', true],
    [2, 'node:path', true],
    [3, '../core/local/types', true],
    [4, 'yaml', true],
    [5, './run-types', false],
  ]);
});
