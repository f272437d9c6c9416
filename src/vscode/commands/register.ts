/**
 * The one way a command is registered. A feature passes its command table (ids.ts) and a handler per key;
 * this path refuses in an untrusted workspace when the declaration says so, ends silently when the user
 * cancelled, turns any other failure into one message with actions (Sign in / Retry / Show Log), and logs
 * start and end (debug) and failures (error, secrets redacted) to the output channel.
 */
import * as vscode from 'vscode';
import { AZURE_COMMAND } from '../azure/ids';
import { isCancelled } from './cancelled';
import type { CommandDecl, CommandTable } from './declare';
import { describeFailure } from './failure';
import { refuseUntrusted } from './trust';

// Handlers take what VS Code passes (menus, CodeLens, executeCommand callers), typed by each feature.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CommandHandler = (...args: any[]) => unknown;

/** Registers every command of `table`; the returned disposable unregisters them. */
export function registerCommandTable<K extends string>(
  log: vscode.LogOutputChannel,
  table: CommandTable<K>,
  handlers: { readonly [P in K]: CommandHandler },
): vscode.Disposable {
  const keys = Object.keys(table) as K[];
  return vscode.Disposable.from(
    ...keys.map((key) => vscode.commands.registerCommand(table[key].id, commandPath(log, table[key], handlers[key]))),
  );
}

/** The handler as VS Code runs it: trust, logging, cancellation and failures around `run`. */
export function commandPath(
  log: vscode.LogOutputChannel,
  decl: CommandDecl,
  run: CommandHandler,
): (...args: unknown[]) => Promise<unknown> {
  const invoke = async (...args: unknown[]): Promise<unknown> => {
    if (decl.trust && !vscode.workspace.isTrusted) {
      log.debug(`${decl.id}: refused, the workspace is not trusted`);
      refuseUntrusted(decl.title, decl.trust);
      return undefined;
    }
    const started = Date.now();
    log.debug(`${decl.id}: started`);
    try {
      const result = await run(...args);
      log.debug(`${decl.id}: finished in ${Date.now() - started} ms`);
      return result;
    } catch (err) {
      if (isCancelled(err)) {
        log.debug(`${decl.id}: cancelled after ${Date.now() - started} ms`);
        return undefined;
      }
      const failure = describeFailure(err, decl.title, decl.id);
      log.error(failure.log);
      // Not awaited: the command resolves now (callers get undefined), the user answers when they like.
      void vscode.window.showErrorMessage(failure.message, ...failure.actions.map((a) => a.label)).then((label) => {
        const action = failure.actions.find((a) => a.label === label);
        if (action?.kind === 'retry') void invoke(...args);
        else if (action?.kind === 'signIn') void vscode.commands.executeCommand(AZURE_COMMAND.signIn, action.tenantId);
        else if (action?.kind === 'showLog') log.show(true);
      });
      return undefined;
    }
  };
  return invoke;
}
