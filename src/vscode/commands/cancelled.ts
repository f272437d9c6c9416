/**
 * The one "the user backed out" outcome. A prompt step that the user escapes throws `new Cancelled()`; the
 * command path ends the command silently. Recognised by name, not by class: the lazy bundles hold their own
 * copy of this class (and of AzureError), so `instanceof` would miss theirs.
 */
export class Cancelled extends Error {
  constructor(what = 'Cancelled by the user') {
    super(what);
    this.name = 'Cancelled';
  }
}

/** True for Cancelled, an AzureError with code Cancelled, and an AbortError (a cancelled progress or request). */
export function isCancelled(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { name?: unknown; code?: unknown };
  return e.name === 'Cancelled' || e.name === 'AbortError' || (e.name === 'AzureError' && e.code === 'Cancelled');
}

/** Returns `value`, or throws Cancelled when a prompt resolved undefined (the user pressed Escape). */
export function orCancel<T>(value: T | undefined): T {
  if (value === undefined) throw new Cancelled();
  return value;
}
