/** CodeLens: "Run locally" and "Debug locally" above the entry script and the parallel node of the YAML. */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { note, test } from './harness';
import { activeExtension, closeEditors, lensesOf, titles, workspaceUri } from './helpers';

async function expectRunAndDebug(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  await activeExtension();
  const lenses = await lensesOf(uri);
  const shown = titles(lenses);
  for (const title of ['Run locally', 'Debug locally']) {
    assert.ok(
      shown.some((t) => t.includes(title)),
      `no "${title}" lens on ${vscode.workspace.asRelativePath(uri)}; lenses: ${JSON.stringify(shown)}`,
    );
  }
  // A lens must do something when clicked: its command is one VS Code knows.
  const registered = new Set(await vscode.commands.getCommands(true));
  for (const l of lenses)
    assert.ok(l.command && registered.has(l.command.command), `lens "${l.command?.title}" runs unknown command ${l.command?.command}`);
  await closeEditors();
  return lenses;
}

test('offers Run locally and Debug locally on the entry script', async () => {
  const lenses = await expectRunAndDebug(workspaceUri('src', 'digit_identification.py'));
  note(`entry script lenses: ${lenses.map((l) => `${l.command?.title} → ${l.command?.command} @${l.range.start.line + 1}`).join('; ')}`);
});

test('offers Run locally and Debug locally on the pipeline YAML', async () => {
  const lenses = await expectRunAndDebug(workspaceUri('pipeline.yml'));
  note(`pipeline lenses: ${lenses.map((l) => `${l.command?.title} → ${l.command?.command} @${l.range.start.line + 1}`).join('; ')}`);
});

test('offers no lens on a Python file that is not an entry script', async () => {
  await activeExtension();
  const uri = workspaceUri('make_data.py');
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  // Give a provider the same time the positive tests need to answer.
  await new Promise((r) => setTimeout(r, 1500));
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ?? [];
  const ours = titles(lenses).filter((t) => /run locally|debug locally/i.test(t));
  assert.deepStrictEqual(ours, [], 'make_data.py has no init()/run(): it is not an entry script');
  await closeEditors();
});
