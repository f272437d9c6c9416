/**
 * Azure actions as a few prompt steps and one execute step. Steps ask through a `Prompter` (the real one shows
 * VS Code's quick inputs, tests answer from a script), so each action is tested without UI. Escape at any
 * prompt throws `ActionCancelled` before the execute step: nothing is created.
 */

export interface InputOptions {
  title: string;
  prompt: string;
  value?: string;
  placeHolder?: string;
  /** Secrets: shown as dots, never logged. */
  password?: boolean;
  /** Checked as the user types: a sentence saying what is wrong, or undefined when the value is accepted. */
  validate?(value: string): string | undefined;
}

export interface PickItem<T> {
  label: string;
  description?: string;
  detail?: string;
  value: T;
}

export interface PickOptions {
  title: string;
  placeHolder: string;
}

export interface OpenOptions {
  title: string;
  openLabel: string;
  files: boolean;
  folders: boolean;
}

/** How steps ask. Each method throws `ActionCancelled` when the user presses Escape or closes the prompt. */
export interface Prompter {
  input(o: InputOptions): Promise<string>;
  /** `items` may still be loading: the pick shows its busy state meanwhile. */
  pick<T>(items: PickItem<T>[] | Promise<PickItem<T>[]>, o: PickOptions): Promise<T>;
  /** A modal question; resolves when the user chose `action`. */
  confirm(message: string, detail: string, action: string): Promise<void>;
  /** A local file or folder (absolute path). */
  open(o: OpenOptions): Promise<string>;
}

export interface Progress {
  report(message: string): void;
}

/** What the execute step shows: progress, a closing message with actions, the clipboard, a browser. */
export interface ActionUi extends Prompter {
  /** Runs `task` under a progress notification; `cancellable` adds a Cancel button that aborts `signal`. */
  progress<T>(title: string, cancellable: boolean, task: (p: Progress, signal: AbortSignal) => Promise<T>): Promise<T>;
  /** An information message; resolves with the action chosen (undefined: dismissed). */
  info(message: string, ...actions: string[]): Promise<string | undefined>;
  copy(text: string): Promise<void>;
  openExternal(url: string): Promise<void>;
}

/** The user pressed Escape or Cancel: not a failure, nothing to show. */
export class ActionCancelled extends Error {
  readonly code = 'Cancelled';
  constructor(what = 'Cancelled') {
    super(what);
    this.name = 'ActionCancelled';
  }
}

export const isCancelled = (err: unknown): boolean =>
  err instanceof ActionCancelled || (err as { code?: string })?.code === 'Cancelled' || (err as { name?: string })?.name === 'AbortError';

export interface PromptStep<C> {
  /** Skipped when false (e.g. the secret step of an identity-based datastore). */
  when?(c: C): boolean;
  prompt(c: C, ui: Prompter): Promise<void>;
}

export interface Action<C, R> {
  /** Shown as the prompts' title with the step number: "Create compute cluster (2/6)". */
  title: string;
  steps: PromptStep<C>[];
  execute(c: C, ui: ActionUi): Promise<R>;
}

/** Asks every step in order, then executes; Escape anywhere rejects with ActionCancelled and executes nothing. */
export async function runAction<C, R>(action: Action<C, R>, c: C, ui: ActionUi): Promise<R> {
  const steps = action.steps;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    if (step.when && !step.when(c)) continue;
    await step.prompt(c, titled(ui, steps.length > 1 ? `${action.title} (${i + 1}/${steps.length})` : action.title));
  }
  return action.execute(c, ui);
}

/** The prompter with the step's title put on every prompt. */
function titled(ui: Prompter, title: string): Prompter {
  return {
    input: (o) => ui.input({ ...o, title }),
    pick: (items, o) => ui.pick(items, { ...o, title }),
    confirm: (m, d, a) => ui.confirm(m, d, a),
    open: (o) => ui.open({ ...o, title }),
  };
}

/** A whole number in [min, max], for node counts and seconds. */
export function wholeNumberProblem(text: string, what: string, min: number, max = Number.MAX_SAFE_INTEGER): string | undefined {
  if (!/^\s*\d+\s*$/.test(text)) return `${what} must be a whole number, e.g. ${min}.`;
  const n = Number(text);
  if (n < min) return `${what} must be at least ${min}.`;
  if (n > max) return `${what} must be at most ${max}.`;
  return undefined;
}
