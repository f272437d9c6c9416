/** "Migrate ParallelRunStep to v2…": a v1 notebook in the workspace becomes a spec and a report, both opened. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { note, test } from './harness';
import { activeExtension, closeEditors, repoPath, waitFor, workspaceDir } from './helpers';

test(
  'migrates the tutorial notebook: writes the spec and the report beside it and opens the spec',
  async () => {
    await activeExtension();
    await closeEditors();
    const fixture = repoPath('test', 'fixtures', 'migrate', 'tutorial-2020.ipynb');
    const notebook = path.join(workspaceDir(), 'tutorial_v1.ipynb');
    const outDir = path.join(workspaceDir(), 'tutorial_v1-v2');
    fs.copyFileSync(fixture, notebook);
    try {
      await vscode.commands.executeCommand('parallelRun.migrateV1', vscode.Uri.file(notebook));
      const spec = path.join(outDir, 'pipeline.yml');
      assert.ok(fs.existsSync(spec), `no ${spec}`);
      assert.ok(fs.existsSync(path.join(outDir, 'pipeline.migration.md')), 'no report');
      const editor = await waitFor(
        () => vscode.window.visibleTextEditors.find((e) => e.document.uri.fsPath === spec),
        10_000,
        'the spec opened in an editor',
      );
      assert.match(editor.document.getText(), /predict_digits_mnist:\n\s+type: parallel/);
      note(`wrote ${fs.readdirSync(outDir).join(', ')}`);
    } finally {
      fs.rmSync(notebook, { force: true });
      fs.rmSync(outDir, { recursive: true, force: true });
      await closeEditors();
    }
  },
  { timeoutMs: 40_000 },
);
