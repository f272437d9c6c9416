/** The commands that open things: a new entry script (a quick-input wizard). Debugging: debug.test.ts. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { note, test } from './harness';
import { activeExtension, closeEditors, sleep, watchPrompts, workspaceDir } from './helpers';

test(
  'newEntryScript walks its steps and opens a new entry script with init() and run(mini_batch)',
  async () => {
    await activeExtension();
    await closeEditors();
    const before = new Set(fs.readdirSync(workspaceDir()));
    const watch = watchPrompts({ open: [vscode.Uri.file(workspaceDir())] });
    let accepted = 0;
    let editor: vscode.TextEditor | undefined;
    try {
      // Not awaited alone: the command asks its questions in VS Code's quick input. The test answers each step
      // with its default (the first item, the proposed value) the way a user presses Enter.
      let finished = false;
      const done = Promise.resolve(vscode.commands.executeCommand('parallelRun.newEntryScript')).finally(() => (finished = true));
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline && !finished) {
        await sleep(400);
        editor = vscode.window.visibleTextEditors.find((e) => /def run\(/.test(e.document.getText()));
        if (editor) break;
        await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
        accepted++;
      }
      await Promise.race([done, sleep(3000)]);
      editor ??= vscode.window.visibleTextEditors.find((e) => /def run\(/.test(e.document.getText()));
      assert.ok(
        editor,
        `no entry script opened after ${accepted} accepted steps; prompts: ${JSON.stringify(watch.prompts)}; messages: ${JSON.stringify(watch.messages)}`,
      );
      const text = editor.document.getText();
      assert.match(text, /def init\(\)/);
      assert.match(text, /def run\(mini_batch\)/);
      assert.ok(!editor.document.isUntitled && fs.existsSync(editor.document.uri.fsPath), 'the entry script is written to disk');
      const made = fs.readdirSync(workspaceDir()).filter((f) => !before.has(f));
      assert.ok(
        made.some((f) => /\.ya?ml$/.test(f)),
        `no spec YAML written next to it; new files: ${made.join(', ')}`,
      );
      note(`after ${accepted} steps: ${made.join(', ')}; shown: ${JSON.stringify(watch.messages)}`);
      for (const f of made) fs.rmSync(path.join(workspaceDir(), f), { recursive: true, force: true });
    } finally {
      watch.restore();
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      await closeEditors();
    }
  },
  { timeoutMs: 40_000 },
);
