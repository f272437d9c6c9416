/**
 * "Open the digits sample": the workspace's copy when it has one (this repository, a checkout), else a
 * copy of the extension's own sample in a folder the user picks, opened as the workspace.
 */
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';

const ENTRY_SCRIPT = path.join('src', 'digit_identification.py');

export function openDigitsSampleCommand(ctx: Ctx) {
  return async (): Promise<void> => {
    // The sample's folder may be the workspace itself, or anywhere in it: find it by its entry script.
    const scripts = await vscode.workspace.findFiles('**/src/digit_identification.py', '**/{node_modules,.git,.vscode-test,.parallel-run}/**', 10);
    const inWorkspace = scripts.find((uri) => existsSync(path.join(path.dirname(uri.fsPath), '..', 'pipeline.yml')));
    if (inWorkspace) {
      const dir = path.dirname(path.dirname(inWorkspace.fsPath));
      await vscode.window.showTextDocument(vscode.Uri.file(path.join(dir, 'pipeline.yml')), { preview: false });
      await vscode.window.showTextDocument(vscode.Uri.file(path.join(dir, ENTRY_SCRIPT)), { preview: false });
      if (!existsSync(path.join(dir, 'data', 'images'))) warnNoData(dir);
      return;
    }
    const bundled = path.join(ctx.extension.extensionPath, 'samples', 'digits');
    if (!existsSync(bundled)) {
      void vscode.window.showErrorMessage('This installation has no copy of the digits sample.');
      return;
    }
    const [parent] =
      (await vscode.window.showOpenDialog({ title: 'Copy the digits sample into which folder?', canSelectFolders: true, canSelectFiles: false, openLabel: 'Copy here' })) ?? [];
    if (!parent) return;
    const target = path.join(parent.fsPath, 'digits');
    if (existsSync(target)) {
      void vscode.window.showErrorMessage(`${target} already exists: pick another folder.`);
      return;
    }
    await fs.cp(bundled, target, { recursive: true, filter: (src) => !src.includes(`${path.sep}.parallel-run`) });
    ctx.log.info(`Copied the digits sample to ${target}`);
    if (!existsSync(path.join(target, 'data', 'images'))) warnNoData(target);
    await vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(target), { forceNewWindow: vscode.env.uiKind === vscode.UIKind.Desktop });
  };
}

function warnNoData(dir: string): void {
  void vscode.window.showWarningMessage(`The digits sample has no images yet: run \`python make_data.py\` in ${dir} (it needs scikit-learn, numpy and Pillow) to make them and the model.`);
}
