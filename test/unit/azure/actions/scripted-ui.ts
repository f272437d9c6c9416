// A Prompter/ActionUi that answers from a script, as a user would: typed text (checked by the prompt's own
// validation, a rejected answer is followed by the next one), picked labels, Escape. Records what was asked.
import {
  ActionCancelled,
  type ActionUi,
  type InputOptions,
  type OpenOptions,
  type PickItem,
  type PickOptions,
  type Progress,
} from '../../../../src/vscode/azure/actions/wizard';

/** Pressing Escape at a prompt. */
export const ESC = Symbol('Escape');
/** Accepting the value the prompt proposes. */
export const ENTER = Symbol('Enter');
export type Answer = string | typeof ESC | typeof ENTER | true;

export interface Asked {
  kind: 'input' | 'pick' | 'confirm' | 'open';
  title: string;
  text: string;
  /** input: the proposed value; pick: the labels offered. */
  offered?: string | string[];
  password?: boolean;
  /** input: the prompt's own validation, to check what it says of a value. */
  validate?: (value: string) => string | undefined;
  /** Answers the prompt's validation refused, with its reason. */
  rejected: { value: string; problem: string }[];
}

export class ScriptedUi implements ActionUi {
  readonly asked: Asked[] = [];
  readonly infos: string[] = [];
  readonly shown: { title: string; cancellable: boolean; reports: string[] }[] = [];
  readonly copied: string[] = [];
  readonly opened: string[] = [];
  /** Answer to the next info message that offers actions. */
  infoChoice?: string;
  /** Cancel a progress notification once it has reported this many messages. */
  cancelAfterReports?: number;

  constructor(private readonly script: Answer[]) {}

  get remaining(): number {
    return this.script.length;
  }

  private next(what: string): Answer {
    if (this.script.length === 0) throw new Error(`The script has no answer for: ${what}`);
    return this.script.shift()!;
  }

  async input(o: InputOptions): Promise<string> {
    const a: Asked = {
      kind: 'input',
      title: o.title,
      text: o.prompt,
      offered: o.value,
      password: o.password,
      validate: o.validate,
      rejected: [],
    };
    this.asked.push(a);
    for (;;) {
      const answer = this.next(`input "${o.prompt}"`);
      if (answer === ESC) throw new ActionCancelled();
      const value = answer === ENTER ? (o.value ?? '') : String(answer);
      const problem = o.validate?.(value);
      if (!problem) return value;
      a.rejected.push({ value, problem });
    }
  }

  async pick<T>(items: PickItem<T>[] | Promise<PickItem<T>[]>, o: PickOptions): Promise<T> {
    const list = await items;
    this.asked.push({ kind: 'pick', title: o.title, text: o.placeHolder, offered: list.map((i) => i.label), rejected: [] });
    const answer = this.next(`pick "${o.placeHolder}"`);
    if (answer === ESC) throw new ActionCancelled();
    const item = answer === ENTER ? list[0] : list.find((i) => i.label === answer);
    if (!item) throw new Error(`pick "${o.placeHolder}" offers no "${String(answer)}": ${list.map((i) => i.label).join(', ')}`);
    return item.value;
  }

  async confirm(message: string, detail: string, action: string): Promise<void> {
    this.asked.push({ kind: 'confirm', title: action, text: `${message} ${detail}`, rejected: [] });
    const answer = this.next(`confirm "${message}"`);
    if (answer === ESC) throw new ActionCancelled();
  }

  async open(o: OpenOptions): Promise<string> {
    this.asked.push({
      kind: 'open',
      title: o.title,
      text: o.openLabel,
      offered: [o.files && 'files', o.folders && 'folders'].filter(Boolean) as string[],
      rejected: [],
    });
    const answer = this.next(`open "${o.openLabel}"`);
    if (answer === ESC) throw new ActionCancelled();
    return String(answer);
  }

  async progress<T>(title: string, cancellable: boolean, task: (p: Progress, signal: AbortSignal) => Promise<T>): Promise<T> {
    const entry = { title, cancellable, reports: [] as string[] };
    this.shown.push(entry);
    const controller = new AbortController();
    return task(
      {
        report: (m) => {
          entry.reports.push(m);
          if (cancellable && this.cancelAfterReports !== undefined && entry.reports.length >= this.cancelAfterReports) controller.abort();
        },
      },
      controller.signal,
    );
  }

  async info(message: string, ...actions: string[]): Promise<string | undefined> {
    this.infos.push(message);
    return actions.length ? this.infoChoice : undefined;
  }

  async copy(text: string): Promise<void> {
    this.copied.push(text);
  }

  async openExternal(url: string): Promise<void> {
    this.opened.push(url);
  }
}
