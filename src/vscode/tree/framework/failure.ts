/**
 * A failed load as a row: the service's actionable message with a Retry, or "Sign in" when the failure is one
 * a new sign-in fixes. Reads the Azure layer's error by shape (code, status, requestId, signInChallenge), so
 * this file loads nothing of the SDK.
 */
import { MessageNode, TREE_COMMAND, type TreeNode } from './node';

interface FailureLike {
  message?: string;
  code?: string;
  status?: number;
  requestId?: string;
  signInChallenge?: { tenantId?: string; claims?: string };
  name?: string;
}

/** Sign-in rows: the command, and what it is given (the tenant to sign in to, when known). */
export interface SignInAction {
  command: string;
  /** The title of the row that offers it. */
  title?: string;
}

/** Bearer tokens, JWTs and signatures never reach a row, even from an error that is not the Azure layer's. */
function scrub(text: string): string {
  return text
    .replace(/\b(Bearer)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 <redacted>')
    .replace(/\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, '<redacted-jwt>')
    .replace(/([?&](?:sig|signature)=)[^&#\s"']+/gi, '$1<redacted>');
}

/** True for a load that was cancelled (the node refreshed or collapsed): nothing to show, nothing to log. */
export function isCancellation(err: unknown): boolean {
  const e = err as FailureLike | undefined;
  return !!e && (e.code === 'Cancelled' || e.name === 'AbortError' || e.code === 'ABORT_ERR');
}

/** Needs a new sign-in: a claims challenge (MFA, Conditional Access), or a 401 / expired sign-in. */
export function needsSignIn(err: unknown): { tenantId?: string } | undefined {
  const e = err as FailureLike | undefined;
  if (!e) return undefined;
  if (e.signInChallenge) return { tenantId: e.signInChallenge.tenantId };
  if (e.status === 401 || e.code === 'NotSignedIn') return {};
  return undefined;
}

/** The row for a failed load of `owner`'s children. */
export function failureNode(owner: TreeNode, err: unknown, signIn?: SignInAction): MessageNode {
  const e = (err ?? {}) as FailureLike;
  // The request id is a detail line of the tooltip: the row's one line keeps to what happened and what to do.
  const full = scrub(e.message || String(err));
  const message = e.requestId ? full.replace(` (request id ${e.requestId})`, '') : full;
  const details = [e.code && `Code: ${e.code}`, e.status !== undefined && `HTTP ${e.status}`, e.requestId && `Request id: ${e.requestId}`]
    .filter(Boolean)
    .join('\n');
  const tooltip = details ? `${message}\n\n${details}` : message;
  const auth = signIn && needsSignIn(err);
  if (auth && signIn) {
    const title = signIn.title ?? (auth.tenantId ? 'Sign in to this tenant' : 'Sign in to Azure');
    return new MessageNode(
      `${owner.id}/#signin`,
      {
        label: `${title}…`,
        description: message,
        tooltip,
        icon: 'sign-in',
        iconColor: 'list.warningForeground',
        contextValue: 'azureSignIn',
        command: { command: signIn.command, title, arguments: [auth.tenantId] },
      },
      owner,
    );
  }
  return new MessageNode(
    `${owner.id}/#error`,
    {
      label: message,
      description: 'Retry',
      tooltip: `${tooltip}\n\nClick to retry.`,
      icon: 'error',
      iconColor: 'list.errorForeground',
      contextValue: 'treeError',
      command: { command: TREE_COMMAND.retry, title: 'Retry', arguments: [owner] },
    },
    owner,
  );
}
