/**
 * "Open the Digits Sample": the workspace's copy when it has one (this repository, a checkout), else the
 * extension's own sample opened as a folder of its own (a copy in the extension's storage).
 */
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';

const ENTRY_SCRIPT = path.join('src', 'digit_identification.py');

export function openDigitsSampleCommand(ctx: Ctx) {
  return async (): Promise<void> => {
    // The sample's folder may be the workspace itself, or anywhere in it: find it by its entry script.
    const scripts = await vscode.workspace.findFiles(
      '**/src/digit_identification.py',
      '**/{node_modules,.git,.vscode-test,.parallel-run}/**',
      10,
    );
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
    // Not in this workspace: open the sample as a folder of its own (a copy in the extension's storage, made
    // once), never copied into the user's project.
    const target = path.join(ctx.extension.globalStorageUri.fsPath, 'samples', 'digits');
    if (!existsSync(path.join(target, 'pipeline.yml'))) {
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.cp(bundled, target, { recursive: true, filter: (src) => !src.includes(`${path.sep}.parallel-run`) });
      ctx.log.info(`Copied the digits sample to ${target}`);
    }
    if (!existsSync(path.join(target, 'data', 'images'))) warnNoData(target);
    await vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(target), {
      forceNewWindow: vscode.env.uiKind === vscode.UIKind.Desktop,
    });
  };
}

/** Sets `parallelRun.inDigitsSample` (off the activation path): inside the sample, "Open the Digits Sample" is not offered. */
export function watchDigitsSampleContext(): vscode.Disposable {
  const update = async () => {
    const found = await vscode.workspace.findFiles(
      '**/src/digit_identification.py',
      '**/{node_modules,.git,.vscode-test,.parallel-run}/**',
      1,
    );
    await vscode.commands.executeCommand('setContext', 'parallelRun.inDigitsSample', Array.isArray(found) && found.length > 0);
  };
  // A context key is a nicety: a failure to set it must never surface.
  const timer = setTimeout(() => void update().catch(() => undefined), 500);
  timer.unref?.();
  const sub = vscode.workspace.onDidChangeWorkspaceFolders(() => void update().catch(() => undefined));
  return new vscode.Disposable(() => {
    clearTimeout(timer);
    sub.dispose();
  });
}

function warnNoData(dir: string): void {
  void vscode.window.showWarningMessage(
    `The digits sample has no images yet: run \`python make_data.py\` in ${dir} (it needs scikit-learn, numpy and Pillow) to make them and the model.`,
  );
}
