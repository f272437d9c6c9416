/** The commands that open things: a new entry script (a quick-input wizard), the debugger. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { note, test } from './harness';
import { activeExtension, closeEditors, sleep, watchPrompts, workspaceDir, workspaceUri } from './helpers';

test('newEntryScript walks its steps and opens a new entry script with init() and run(mini_batch)', async () => {
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
    assert.ok(editor, `no entry script opened after ${accepted} accepted steps; prompts: ${JSON.stringify(watch.prompts)}; messages: ${JSON.stringify(watch.messages)}`);
    const text = editor.document.getText();
    assert.match(text, /def init\(\)/);
    assert.match(text, /def run\(mini_batch\)/);
    assert.ok(!editor.document.isUntitled && fs.existsSync(editor.document.uri.fsPath), 'the entry script is written to disk');
    const made = fs.readdirSync(workspaceDir()).filter((f) => !before.has(f));
    assert.ok(made.some((f) => /\.ya?ml$/.test(f)), `no spec YAML written next to it; new files: ${made.join(', ')}`);
    note(`after ${accepted} steps: ${made.join(', ')}; shown: ${JSON.stringify(watch.messages)}`);
    for (const f of made) fs.rmSync(path.join(workspaceDir(), f), { recursive: true, force: true });
  } finally {
    watch.restore();
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await closeEditors();
  }
}, { timeoutMs: 40_000 });

test('debugLocally starts a debug session, or says why it cannot', async () => {
  await activeExtension();
  const watch = watchPrompts();
  const sessions: vscode.DebugSession[] = [];
  const listener = vscode.debug.onDidStartDebugSession((s) => sessions.push(s));
  let outcome: unknown;
  try {
    const done = Promise.resolve(
      vscode.commands.executeCommand('parallelRun.debugLocally', workspaceUri('pipeline.yml'), { sample: { miniBatches: 1 }, reveal: false }),
    ).then(
      (v) => (outcome = v ?? 'resolved'),
      (e) => (outcome = e instanceof Error ? e : new Error(String(e))),
    );
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && sessions.length === 0 && watch.messages.length === 0 && outcome === undefined) await sleep(100);
    // An explanation may come just after the command returns.
    if (sessions.length === 0 && watch.messages.length === 0) await Promise.race([done, sleep(3000)]);
    assert.ok(!(outcome instanceof Error), `parallelRun.debugLocally threw: ${outcome instanceof Error ? outcome.message : ''}`);
    assert.ok(
      sessions.length > 0 || watch.messages.length > 0,
      `within 60 s no debug session started and nothing was shown (command ${outcome === undefined ? 'still running' : 'returned'})`,
    );
    note(sessions.length ? `debug session "${sessions[0].name}" of type ${sessions[0].type}` : `shown instead: ${JSON.stringify(watch.messages)}`);
  } finally {
    listener.dispose();
    watch.restore();
    for (const s of sessions) await vscode.debug.stopDebugging(s);
    await vscode.debug.stopDebugging();
  }
}, { timeoutMs: 80_000 });
