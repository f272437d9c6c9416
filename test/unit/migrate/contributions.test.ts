/** The migrate command is contributed where a v1 file is: explorer, editor, notebook toolbar, palette. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { MIGRATE_COMMAND } from '../../../src/vscode/migrate/ids';

const ROOT = path.resolve(__dirname, '../../../..');
const PKG = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const ID = MIGRATE_COMMAND.migrateV1;

test('"Migrate ParallelRunStep to v2…" is a Parallel Run command with the id the extension registers', () => {
  const command = PKG.contributes.commands.find((c: { command: string }) => c.command === ID);
  assert.equal(command?.title, 'Migrate ParallelRunStep to v2…');
  assert.equal(command?.category, 'Parallel Run');
});

test('the command shows on .py files and notebooks in the explorer, the editor, the notebook toolbar and the palette', () => {
  const whenIn = (menu: string): string => PKG.contributes.menus[menu].find((m: { command: string }) => m.command === ID)?.when ?? '';
  assert.match(whenIn('explorer/context'), /resourceExtname == \.py\b/);
  assert.match(whenIn('explorer/context'), /resourceExtname == \.ipynb/);
  assert.match(whenIn('editor/context'), /resourceExtname == \.py\b/);
  assert.match(whenIn('notebook/toolbar'), /resourceExtname == \.ipynb/);
  assert.match(whenIn('commandPalette'), /\.ipynb/);
});
