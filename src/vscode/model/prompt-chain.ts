/**
 * Prompts asked one after another that keep the keyboard focus. Each answered prompt stays on screen until the
 * next one replaces it: a quick input that hides hands the focus back to what had it before (the model view, a
 * webview), and the webview takes it a moment later — after the next prompt opened, so typing went nowhere.
 * Replacing a visible prompt with the next one never hides the quick input, so the focus stays in it.
 * Call `closePrompts()` when the questions are over (the commands do it in `finally`) and before a file dialog.
 */
import * as vscode from 'vscode';

let answered: vscode.QuickInput | undefined;

/** Hides the last answered prompt (no-op when none is shown). */
export function closePrompts(): void {
  const last = answered;
  answered = undefined;
  last?.dispose();
}

/** Shows `input` in place of the last answered prompt, and disposes that one once replaced. */
function replace(input: vscode.QuickInput): void {
  const previous = answered;
  answered = undefined;
  input.show();
  previous?.dispose();
}

function settle<T>(input: vscode.QuickInput, onAccept: (done: (value: T) => void) => void): Promise<T | undefined> {
  return new Promise<T | undefined>((resolve) => {
    let settled = false;
    const done = (value: T | undefined) => {
      if (settled) return;
      settled = true;
      resolve(value);
    };
    onAccept((value) => {
      answered = input; // stays shown until the next prompt replaces it
      done(value);
    });
    input.onDidHide(() => {
      if (answered === input) answered = undefined;
      done(undefined);
      input.dispose();
    });
    replace(input);
  });
}

export interface PickOptions {
  title?: string;
  placeHolder?: string;
}

/** showQuickPick's contract (undefined on Escape), keeping the focus between prompts. */
export function askPick<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions): Promise<T | undefined> {
  const pick = vscode.window.createQuickPick<T>();
  pick.items = items;
  pick.title = options.title;
  pick.placeholder = options.placeHolder;
  pick.ignoreFocusOut = true;
  return settle<T>(pick, (done) =>
    pick.onDidAccept(() => {
      const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
      if (chosen) done(chosen);
    }),
  );
}

export interface AskInputOptions {
  title?: string;
  prompt?: string;
  value?: string;
  validateInput?: (value: string) => string | undefined;
}

/** showInputBox's contract (undefined on Escape; no accept while the value is invalid), keeping the focus. */
export function askInput(options: AskInputOptions): Promise<string | undefined> {
  const box = vscode.window.createInputBox();
  box.title = options.title;
  box.prompt = options.prompt;
  box.value = options.value ?? '';
  box.ignoreFocusOut = true;
  const validate = (v: string) => {
    box.validationMessage = options.validateInput?.(v);
  };
  validate(box.value);
  box.onDidChangeValue(validate);
  return settle<string>(box, (done) =>
    box.onDidAccept(() => {
      const problem = options.validateInput?.(box.value);
      box.validationMessage = problem;
      if (!problem) done(box.value);
    }),
  );
}
