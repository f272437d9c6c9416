/** The "New Entry Script…" command: the scaffold steps driven by VS Code's quick input, then the files opened. */
import * as path from 'path';
import * as vscode from 'vscode';
import { Cancelled, GoBack, scaffold, type PickItem, type ScaffoldUi, type StepInfo } from './scaffold-steps';

/** The command's handler; `target` is the explorer's folder or file when run from its context menu. */
export async function newEntryScript(log: vscode.LogOutputChannel, target?: vscode.Uri): Promise<void> {
  // A prompt the user escapes throws Cancelled, which the command path ends silently; it reports other failures.
  const plan = await scaffold(new QuickInputUi(), await suggestedFolder(target));
  log.info(`New entry script: wrote ${plan.scriptFile} and ${plan.specFile}`);
  await vscode.window.showTextDocument(vscode.Uri.file(plan.scriptFile));
  const open = 'Open the Spec';
  const answer = await vscode.window.showInformationMessage(
    `Wrote ${path.basename(plan.scriptFile)} and its spec ${path.basename(plan.specFile)}.`,
    open,
  );
  if (answer === open) await vscode.window.showTextDocument(vscode.Uri.file(plan.specFile), { viewColumn: vscode.ViewColumn.Beside });
}

/** The explorer's folder, else the active file's folder, else the first workspace folder. */
async function suggestedFolder(target?: vscode.Uri): Promise<string | undefined> {
  if (target?.scheme === 'file') {
    const stat = await vscode.workspace.fs.stat(target).then(
      (s) => s,
      () => undefined,
    );
    if (stat) return stat.type & vscode.FileType.Directory ? target.fsPath : path.dirname(target.fsPath);
  }
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file') return path.dirname(active.fsPath);
  return vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri.fsPath;
}

type Item<T> = vscode.QuickPickItem & { value: T };

/** What a quick pick and an input box share: one step of the flow. */
type StepInput = Pick<
  vscode.InputBox,
  'title' | 'step' | 'totalSteps' | 'ignoreFocusOut' | 'buttons' | 'onDidTriggerButton' | 'onDidHide' | 'show' | 'dispose'
>;

/** ScaffoldUi on VS Code's quick input, with step counts and a Back button. */
class QuickInputUi implements ScaffoldUi {
  pick<T>(options: StepInfo & { placeholder: string; items: PickItem<T>[] }): Promise<T> {
    const quickPick = vscode.window.createQuickPick<Item<T>>();
    quickPick.items = options.items.map((item) => ({
      label: item.label,
      description: item.description,
      detail: item.detail,
      value: item.value,
    }));
    quickPick.placeholder = options.placeholder;
    return this.show(quickPick, options, (settle) => {
      quickPick.onDidAccept(() => {
        const chosen = quickPick.selectedItems[0];
        if (chosen) settle(() => chosen.value);
      });
    });
  }

  input(options: StepInfo & { prompt: string; value: string; validate(value: string): string | undefined }): Promise<string> {
    const box = vscode.window.createInputBox();
    box.prompt = options.prompt;
    box.value = options.value;
    box.validationMessage = options.validate(options.value);
    return this.show(box, options, (settle) => {
      box.onDidChangeValue((value) => (box.validationMessage = options.validate(value)));
      box.onDidAccept(() => {
        if (!options.validate(box.value)) settle(() => box.value);
      });
    });
  }

  private show<T>(input: StepInput, info: StepInfo, wire: (settle: (value: () => T) => void) => void): Promise<T> {
    input.title = info.title;
    input.step = info.step;
    input.totalSteps = info.totalSteps;
    input.ignoreFocusOut = true;
    input.buttons = info.step > 1 ? [vscode.QuickInputButtons.Back] : [];
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const settle = (outcome: () => T): void => {
        if (settled) return;
        settled = true;
        try {
          resolve(outcome());
        } catch (e) {
          reject(e);
        }
        input.dispose();
      };
      wire(settle);
      input.onDidTriggerButton((button) => {
        if (button === vscode.QuickInputButtons.Back)
          settle(() => {
            throw new GoBack();
          });
      });
      input.onDidHide(() =>
        settle(() => {
          throw new Cancelled();
        }),
      );
      input.show();
    });
  }

  async browse(options: { title: string; defaultPath: string; folders: boolean; files: boolean }): Promise<string | undefined> {
    const picked = await vscode.window.showOpenDialog({
      title: options.title,
      defaultUri: vscode.Uri.file(options.defaultPath),
      canSelectFolders: options.folders,
      canSelectFiles: options.files,
      canSelectMany: false,
      openLabel: 'Select',
    });
    return picked?.[0]?.fsPath;
  }

  warn(message: string): void {
    void vscode.window.showWarningMessage(message);
  }

  async confirmOverwrite(files: string[]): Promise<boolean> {
    const names = files.map((f) => path.basename(f)).join(' and ');
    const overwrite = 'Overwrite';
    const answer = await vscode.window.showWarningMessage(
      `${names} already ${files.length > 1 ? 'exist' : 'exists'} in ${path.dirname(files[0])}. Overwrite?`,
      { modal: true },
      overwrite,
    );
    return answer === overwrite;
  }
}
