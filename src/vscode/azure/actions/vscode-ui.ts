// The ActionUi of VS Code: quick inputs validated as typed, quick picks, a modal confirmation, file dialogs,
// progress notifications with Cancel, the clipboard and the browser. Escape anywhere is ActionCancelled.
import * as vscode from 'vscode';
import { ActionCancelled, type ActionUi } from './wizard';

export function vscodeActionUi(): ActionUi {
  return {
    async input(o) {
      const v = await vscode.window.showInputBox({
        title: o.title,
        prompt: o.prompt,
        value: o.value,
        placeHolder: o.placeHolder,
        password: o.password,
        ignoreFocusOut: true,
        validateInput: o.validate ? (s) => o.validate!(s) ?? null : undefined,
      });
      if (v === undefined) throw new ActionCancelled();
      return v;
    },
    async pick(items, o) {
      const chosen = await vscode.window.showQuickPick(
        (async () => (await items).map((i) => ({ label: i.label, description: i.description, detail: i.detail, item: i })))(),
        { title: o.title, placeHolder: o.placeHolder, ignoreFocusOut: true, matchOnDescription: true },
      );
      if (!chosen) throw new ActionCancelled();
      return chosen.item.value;
    },
    async confirm(message, detail, action) {
      const r = await vscode.window.showWarningMessage(message, { modal: true, detail }, action);
      if (r !== action) throw new ActionCancelled();
    },
    async open(o) {
      const picked = await vscode.window.showOpenDialog({
        title: o.title,
        openLabel: o.openLabel,
        canSelectFiles: o.files,
        canSelectFolders: o.folders,
        canSelectMany: false,
      });
      if (!picked?.[0]) throw new ActionCancelled();
      return picked[0].fsPath;
    },
    progress(title, cancellable, task) {
      return Promise.resolve(
        vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable }, (p, token) => {
          const controller = new AbortController();
          token.onCancellationRequested(() => controller.abort());
          return task({ report: (message) => p.report({ message }) }, controller.signal);
        }),
      );
    },
    info: (message, ...actions) => Promise.resolve(vscode.window.showInformationMessage(message, ...actions)),
    copy: (text) => Promise.resolve(vscode.env.clipboard.writeText(text)),
    openExternal: async (url) => {
      await vscode.env.openExternal(vscode.Uri.parse(url, true));
    },
  };
}
