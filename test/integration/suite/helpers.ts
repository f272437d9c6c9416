/** What the integration tests share: the workspace (a scratch copy of samples/digits), waiting, and watching prompts. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'parallel-run.azure-ml-parallel-run';

export const COMMANDS = [
  'parallelRun.runLocally',
  'parallelRun.debugLocally',
  'parallelRun.runPipelineLocally',
  'parallelRun.runStepLocally',
  'parallelRun.newEntryScript',
  'parallelRun.showOutput',
  'parallelRun.refreshLocalRuns',
  'parallelRun.cancelRun',
] as const;

/**
 * A file of the repository (fixtures, samples that do not ship): test/integration/run.mjs says where it is, as
 * the compiled tests may run from inside the installed extension's folder (VSIX-installed tests).
 */
export function repoPath(...parts: string[]): string {
  return path.join(process.env.PARALLEL_RUN_REPO_ROOT || path.resolve(__dirname, '..', '..', '..', '..'), ...parts);
}

/** The opened folder: test/integration/run.mjs opens a scratch copy of samples/digits. */
export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open');
  return folder.uri.fsPath;
}

export function workspaceUri(...parts: string[]): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceDir(), ...parts));
}

/** The extension, activated; fails the test when it is missing or its activate() throws. */
export async function activeExtension(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  await ext.activate();
  return ext;
}

/** Polls `probe` until it returns a value other than undefined/false, or fails with `what` after `ms`. */
export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  ms: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`waited ${ms} ms for ${what}${last ? ` (last error: ${last})` : ''}`);
    await sleep(100);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Rejects with `message` when `promise` takes longer than `ms`. */
export async function within<T>(promise: Thenable<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.resolve(promise),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(message)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export interface ShownMessage {
  kind: 'information' | 'warning' | 'error';
  text: string;
  /** The buttons it offered, when any. */
  items?: string[];
}

type Window = typeof vscode.window;
type Patched = Pick<
  Window,
  | 'showInformationMessage'
  | 'showWarningMessage'
  | 'showErrorMessage'
  | 'showQuickPick'
  | 'showInputBox'
  | 'showSaveDialog'
  | 'showOpenDialog'
  | 'createQuickPick'
  | 'createInputBox'
>;

/** A quick input that answers as soon as it shows (accept, as a user pressing Enter), for createQuickPick/createInputBox. */
function answeringInput(answer: (self: any) => void): any {
  const accept = new vscode.EventEmitter<void>();
  const hide = new vscode.EventEmitter<void>();
  const change = new vscode.EventEmitter<string>();
  const self: any = {
    items: [],
    activeItems: [],
    selectedItems: [],
    value: '',
    onDidAccept: accept.event,
    onDidHide: hide.event,
    onDidChangeValue: change.event,
    show: () =>
      queueMicrotask(() => {
        answer(self);
        accept.fire();
      }),
    hide: () => hide.fire(),
    dispose: () => {
      accept.dispose();
      change.dispose();
      hide.dispose();
    },
  };
  return self;
}

/**
 * Records the notifications the extension shows and answers its prompts, until `restore()`. The test files live
 * inside the extension under development, so `require('vscode')` gives them the extension's own API object:
 * replacing its functions here is what the extension calls. Messages resolve as dismissed; quick picks answer
 * with their first item, input boxes with their value (or `answers.input`), save dialogs with `answers.save`.
 */
export function watchPrompts(answers: { input?: string; save?: vscode.Uri; open?: vscode.Uri[]; quickInputs?: boolean } = {}): {
  messages: ShownMessage[];
  prompts: string[];
  restore: () => void;
} {
  const w = vscode.window as unknown as Record<keyof Patched, unknown>;
  const saved: Partial<Record<keyof Patched, unknown>> = {};
  const messages: ShownMessage[] = [];
  const prompts: string[] = [];
  const replace = (name: keyof Patched, fn: (...args: any[]) => unknown): void => {
    saved[name] = w[name];
    w[name] = fn;
  };
  for (const [name, kind] of [
    ['showInformationMessage', 'information'],
    ['showWarningMessage', 'warning'],
    ['showErrorMessage', 'error'],
  ] as const) {
    replace(name, (text: string, ...rest: unknown[]) => {
      const items = rest.filter((r): r is string => typeof r === 'string');
      messages.push({ kind, text: String(text), ...(items.length ? { items } : {}) });
      return Promise.resolve(undefined);
    });
  }
  replace('showQuickPick', async (items: unknown) => {
    const list = (await Promise.resolve(items)) as (string | vscode.QuickPickItem)[];
    prompts.push(
      `quick pick: ${list.map((i) => (typeof i === 'string' ? i : `${i.label}${i.description ? ` (${i.description})` : ''}`)).join(' | ')}`,
    );
    return list[0];
  });
  replace('showInputBox', (options?: vscode.InputBoxOptions) => {
    prompts.push(`input box: ${options?.prompt ?? options?.title ?? ''}`);
    return Promise.resolve(answers.input ?? options?.value ?? 'answer');
  });
  // The model prompts (prompt-chain.ts) go through createQuickPick/createInputBox: with `quickInputs`, the same
  // answers (off by default: other tests drive their own quick inputs).
  if (answers.quickInputs)
    replace('createQuickPick', () =>
      answeringInput((q) => {
        const list = q.items as vscode.QuickPickItem[];
        prompts.push(`quick pick: ${list.map((i) => `${i.label}${i.description ? ` (${i.description})` : ''}`).join(' | ')}`);
        q.selectedItems = list.slice(0, 1);
      }),
    );
  if (answers.quickInputs)
    replace('createInputBox', () =>
      answeringInput((b) => {
        prompts.push(`input box: ${b.prompt ?? b.title ?? ''}`);
        b.value = answers.input ?? b.value;
      }),
    );
  replace('showSaveDialog', () => {
    prompts.push('save dialog');
    return Promise.resolve(answers.save);
  });
  replace('showOpenDialog', () => {
    prompts.push('open dialog');
    return Promise.resolve(answers.open);
  });
  return {
    messages,
    prompts,
    restore: () => {
      for (const [name, fn] of Object.entries(saved)) w[name as keyof Patched] = fn;
    },
  };
}

/** The titles of the CodeLens on a file, once the extension has provided some (the file is opened first). */
export async function lensesOf(uri: vscode.Uri, ms = 15_000): Promise<vscode.CodeLens[]> {
  // The CodeLens command needs the document open in the editor's model service.
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
  return waitFor(
    async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
      return lenses && lenses.some((l) => l.command?.title) ? lenses : undefined;
    },
    ms,
    `CodeLens on ${path.basename(uri.fsPath)}`,
  );
}

export function titles(lenses: vscode.CodeLens[]): string[] {
  return lenses.map((l) => l.command?.title ?? '(unresolved)');
}

/** Error diagnostics of a file. */
export function errorsOf(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
}

/** Writes files under the workspace folder; returns the absolute path of the first. */
export function writeFiles(files: Record<string, string>): string[] {
  return Object.entries(files).map(([rel, text]) => {
    const f = path.join(workspaceDir(), rel);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, text);
    return f;
  });
}

/** Run folders under a spec folder's default `.parallel-run/runs/`. */
export function runFolders(specDir: string): string[] {
  const runs = path.join(specDir, '.parallel-run', 'runs');
  return fs.existsSync(runs) ? fs.readdirSync(runs) : [];
}

/** The part of a run summary (summary.json) the tests read. */
export interface Summary {
  status: string;
  reason?: string;
  runDir: string;
  logsDir: string;
  outputFile?: string;
  counts: { miniBatches: { total: number; succeeded: number; failed: number }; items: { succeeded: number; failed: number } };
  failures: { index: number; error: { type: string; message: string } }[];
}

/** Closes every editor, so a test starts from an empty editor area. */
export async function closeEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
