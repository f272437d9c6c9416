/**
 * How a feature declares its commands, without vscode: an id (from the feature's ids table), a title for
 * messages, and whether it needs workspace trust. Tests read these tables to check package.json against them;
 * register.ts binds each declaration to its handler.
 */

/** Why a command that runs workspace code refuses in an untrusted workspace (said after "<title> is disabled: "). */
export const RUNS_WORKSPACE_CODE =
  'Running or debugging an entry script executes code from this workspace, so Parallel Run only does it in a trusted workspace.';

export interface CommandDecl {
  /** The id package.json contributes. */
  readonly id: string;
  /** What the user knows the command as, for messages: "Run locally". */
  readonly title: string;
  /** Set when the command must refuse in an untrusted workspace: the sentence that says why. */
  readonly trust?: string;
}

/** A feature's commands, keyed as its ids table. */
export type CommandTable<K extends string = string> = { readonly [P in K]: CommandDecl };

/** Pairs every id of an ids table with its declaration; a key left out does not compile. */
export function commandTable<const Ids extends Record<string, string>>(
  ids: Ids,
  decls: { readonly [P in keyof Ids]: Omit<CommandDecl, 'id'> },
): { readonly [P in keyof Ids & string]: CommandDecl & { readonly id: Ids[P] } } {
  const out: Record<string, CommandDecl> = {};
  for (const key of Object.keys(ids)) out[key] = { id: ids[key], ...decls[key] };
  return Object.freeze(out) as { readonly [P in keyof Ids & string]: CommandDecl & { readonly id: Ids[P] } };
}
