/**
 * Command ids live in the ids files only, every one is declared and contributed, and every contributed
 * command is declared: read from the sources, the compiled ids tables and package.json, without vscode.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import type { CommandDecl } from '../../../src/vscode/commands/declare';

const ROOT = path.resolve(__dirname, '../../../..');
const PKG = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const CONTRIBUTED: string[] = PKG.contributes.commands.map((c: { command: string }) => c.command);

const isIdsFile = (rel: string) => path.basename(rel) === 'ids.ts';
const sources = (readdirSync(path.join(ROOT, 'src'), { recursive: true }) as string[])
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
  .map((f) => path.join('src', f));

/** The compiled ids modules' exports: id maps ({key: 'parallelRun.x'}) and command tables ({key: {id, title}}). */
function idsModules(): { file: string; maps: Record<string, string>[]; tables: Record<string, CommandDecl>[] }[] {
  return sources.filter(isIdsFile).map((file) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(ROOT, 'out', file.replace(/\.ts$/, '.js'))) as Record<string, unknown>;
    const maps: Record<string, string>[] = [];
    const tables: Record<string, CommandDecl>[] = [];
    for (const value of Object.values(mod)) {
      if (!value || typeof value !== 'object') continue;
      const entries = Object.values(value as object);
      if (entries.length && entries.every((v) => typeof v === 'string')) maps.push(value as Record<string, string>);
      else if (entries.length && entries.every((v) => v && typeof v === 'object' && typeof (v as CommandDecl).id === 'string')) {
        tables.push(value as Record<string, CommandDecl>);
      }
    }
    return { file, maps, tables };
  });
}

interface Literal {
  where: string;
  text: string;
  /** The literal is the command of registerCommand/executeCommand or a `command:` property. */
  inCommandPosition: boolean;
}

/** Every string literal (and template head) in `file` that starts with "parallelRun.". */
function literals(file: string): Literal[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const out: Literal[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node)) &&
      node.text.startsWith('parallelRun.')
    ) {
      const parent = node.parent;
      const inCall =
        ts.isCallExpression(parent) &&
        parent.arguments[0] === node &&
        ts.isPropertyAccessExpression(parent.expression) &&
        ['registerCommand', 'executeCommand'].includes(parent.expression.name.text);
      const asCommandProperty = ts.isPropertyAssignment(parent) && parent.initializer === node && parent.name.getText(sf) === 'command';
      const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
      out.push({ where: `${file}:${line}`, text: node.text, inCommandPosition: inCall || asCommandProperty });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

test('no command id is written as a literal outside the ids files', () => {
  const modules = idsModules();
  const commandIds = new Set([...CONTRIBUTED, ...modules.flatMap((m) => m.maps.flatMap((map) => Object.values(map)))]);
  const offending = sources
    .filter((f) => !isIdsFile(f))
    .flatMap(literals)
    .filter((l) => l.inCommandPosition || commandIds.has(l.text));
  assert.deepEqual(
    offending.map((l) => `${l.where} '${l.text}'`),
    [],
    "import the id from the feature's ids.ts (e.g. COMMAND.openRun from src/vscode/commands/ids.ts) instead of writing it",
  );
});

test('only the command path calls vscode.commands.registerCommand', () => {
  const callers = sources.filter(
    (f) =>
      f !== path.join('src', 'vscode', 'commands', 'register.ts') && /\.registerCommand\(/.test(readFileSync(path.join(ROOT, f), 'utf8')),
  );
  assert.deepEqual(
    callers,
    [],
    'declare the command in the feature ids.ts table and register it with registerCommandTable (src/vscode/commands/register.ts)',
  );
});

test('every id in the ids files is declared once in a command table, with a title', () => {
  const modules = idsModules();
  const declared = modules.flatMap((m) => m.tables.flatMap((t) => Object.values(t)));
  const ids = declared.map((d) => d.id);
  assert.deepEqual(
    ids.filter((id, i) => ids.indexOf(id) !== i),
    [],
    'an id declared in two tables',
  );
  for (const m of modules) {
    for (const id of m.maps.flatMap((map) => Object.values(map)))
      assert.ok(ids.includes(id), `${m.file}: ${id} has no declaration (add it to the file's commandTable)`);
  }
  for (const d of declared) {
    assert.match(d.title, /^\S.*\S$/, `${d.id}: a title for messages`);
    if (d.trust !== undefined) assert.match(d.trust, /\.$/, `${d.id}: the trust reason is a sentence`);
  }
});

test('the declared commands are exactly the ones package.json contributes', () => {
  const declared = idsModules().flatMap((m) => m.tables.flatMap((t) => Object.values(t).map((d) => d.id)));
  assert.deepEqual(
    declared.filter((id) => !CONTRIBUTED.includes(id)),
    [],
    'declared but not in package.json contributes.commands',
  );
  assert.deepEqual(
    CONTRIBUTED.filter((id) => !declared.includes(id)),
    [],
    'contributed in package.json but declared in no ids.ts table (so never registered)',
  );
});

test("package.json's menus, welcome views and walkthroughs name only contributed commands", () => {
  const named: { where: string; id: string }[] = [];
  for (const [menu, items] of Object.entries(PKG.contributes.menus as Record<string, { command: string }[]>)) {
    for (const item of items) named.push({ where: `menus.${menu}`, id: item.command });
  }
  const links = (where: string, text: string) => {
    for (const m of text.matchAll(/command:(parallelRun\.[\w.]+)/g)) named.push({ where, id: m[1] });
  };
  for (const v of PKG.contributes.viewsWelcome) links(`viewsWelcome ${v.view}`, v.contents);
  for (const w of PKG.contributes.walkthroughs) for (const s of w.steps) links(`walkthrough step ${s.id}`, s.description);
  // VS Code makes `<view id>.focus` for every view.
  const views = Object.values(PKG.contributes.views as Record<string, { id: string }[]>)
    .flat()
    .map((v) => `${v.id}.focus`);
  assert.deepEqual(
    named
      .filter((n) => n.id.startsWith('parallelRun.') && !CONTRIBUTED.includes(n.id) && !views.includes(n.id))
      .map((n) => `${n.where}: ${n.id}`),
    [],
  );
});
