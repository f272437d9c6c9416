/** In an untrusted workspace "Migrate ParallelRunStep to v2…" refuses: the parsing interpreter may come from workspace settings. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { test } from '../harness';
import { repoPath, sleep, watchPrompts, within, workspaceDir } from '../helpers';

test('migrate refuses, says why, and writes nothing', async () => {
  assert.strictEqual(vscode.workspace.isTrusted, false);
  const fixture = repoPath('test', 'fixtures', 'migrate', 'tutorial-2020.ipynb');
  const notebook = path.join(workspaceDir(), 'tutorial_v1.ipynb');
  fs.copyFileSync(fixture, notebook);
  const watch = watchPrompts();
  try {
    await within(vscode.commands.executeCommand('parallelRun.migrateV1', vscode.Uri.file(notebook)), 30_000, 'migrate did not return');
    await sleep(200);
    assert.ok(!fs.existsSync(path.join(workspaceDir(), 'tutorial_v1-v2')), 'the migration wrote files');
    assert.ok(
      watch.messages.some((m) => /trust/i.test(m.text)),
      `no message about trust; shown: ${JSON.stringify(watch.messages)}`,
    );
  } finally {
    watch.restore();
    fs.rmSync(notebook, { force: true });
  }
});
