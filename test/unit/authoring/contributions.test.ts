/** The authoring entries of package.json point at things that exist. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../../..');
const PKG = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const COMMANDS = new Set<string>(PKG.contributes.commands.map((c: { command: string }) => c.command));
const VIEWS = new Set<string>(Object.values(PKG.contributes.views ?? {}).flatMap((list) => (list as { id: string }[]).map((v) => v.id)));

test('"New Entry Script…" is contributed in the Parallel Run category', () => {
  const command = PKG.contributes.commands.find((c: { command: string }) => c.command === 'parallelRun.newEntryScript');
  assert.equal(command?.category, 'Parallel Run');
});

test('the snippets files are contributed for python and yaml and exist', () => {
  const languages = PKG.contributes.snippets.map((s: { language: string; path: string }) => {
    assert.ok(existsSync(path.join(ROOT, s.path)), s.path);
    return s.language;
  });
  assert.deepEqual(languages.sort(), ['python', 'yaml']);
});

test('every walkthrough step has its markdown, a completion event and a button for a command that exists', () => {
  const walkthrough = PKG.contributes.walkthroughs.find((w: { id: string }) => w.id === 'parallelRun.gettingStarted');
  assert.ok(walkthrough.steps.length >= 3 && walkthrough.steps.length <= 4);
  const known = (command: string): boolean => COMMANDS.has(command) || VIEWS.has(command.replace(/\.focus$/, ''));
  for (const step of walkthrough.steps) {
    assert.ok(existsSync(path.join(ROOT, step.media.markdown)), step.media.markdown);
    assert.ok(step.completionEvents.length > 0, step.id);
    for (const event of step.completionEvents as string[]) {
      const [kind, id] = event.split(':');
      if (kind === 'onCommand') assert.ok(known(id), `${step.id}: ${event}`);
      if (kind === 'onView') assert.ok(VIEWS.has(id), `${step.id}: ${event}`);
    }
    const buttons = [...(step.description as string).matchAll(/\]\(command:([\w.]+)/g)].map((m) => m[1]);
    assert.equal(buttons.length, 1, step.id);
    assert.ok(known(buttons[0]), `${step.id}: ${buttons[0]}`);
  }
});
