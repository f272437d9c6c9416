/**
 * What a failed command tells the user, without vscode: one message they can act on and the actions that
 * help (sign in to the tenant that asked, retry what may pass next time, show the log). An Azure failure
 * keeps its code, HTTP status and request id; anything else says its own message. Secrets never get through.
 */
import { toAzureError } from '../../core/azure/http/errors';
import { redactSecrets } from '../../core/azure/http/redact';

export type FailureAction =
  { kind: 'signIn'; label: string; tenantId?: string } | { kind: 'retry'; label: 'Retry' } | { kind: 'showLog'; label: 'Show Log' };

export interface CommandFailure {
  /** For the error notification. */
  message: string;
  /** For the output channel: what failed, the Azure fields, and the stack. */
  log: string;
  actions: FailureAction[];
  /** The Azure fields, when the failure came from Azure. */
  azure?: { code: string; status?: number; requestId?: string };
}

interface AzureLike {
  name: 'AzureError';
  message: string;
  code: string;
  status?: number;
  requestId?: string;
  signInChallenge?: { tenantId?: string };
}

/** An AzureError from any bundle (each lazy bundle has its own class, so not `instanceof`). */
function asAzure(err: unknown): AzureLike | undefined {
  const e = err as Partial<AzureLike> | undefined;
  return e && typeof e === 'object' && e.name === 'AzureError' && typeof e.code === 'string' ? (e as AzureLike) : undefined;
}

/** A raw SDK failure (RestError: HTTP status, or a network code) that did not pass through azureCall. */
function isRawAzure(err: unknown): boolean {
  const e = err as { name?: unknown } | undefined;
  return !!e && typeof e === 'object' && e.name === 'RestError';
}

/** "Run locally" → "run locally": the `what` of "Could not <what>". */
function asVerbPhrase(title: string): string {
  return title.replace(/…$/, '').replace(/^[A-Z](?=[a-z])/, (c) => c.toLowerCase());
}

/** Statuses worth trying again as they are: throttling, server errors, a conflict with an operation still running. */
function retryable(a: AzureLike): boolean {
  if (a.status === undefined) return !['ClientError', 'InvalidSettings', 'NotBlobDatastore'].includes(a.code);
  return a.status === 408 || a.status === 409 || a.status === 429 || a.status >= 500;
}

export function describeFailure(err: unknown, title: string, id: string): CommandFailure {
  const azure = asAzure(err) ?? (isRawAzure(err) ? asAzure(toAzureError(err, asVerbPhrase(title))) : undefined);
  const stack = (err as Error | undefined)?.stack ?? String(err);
  if (!azure) {
    const said = (err as Error | undefined)?.message ?? String(err);
    return {
      message: redactSecrets(`Parallel Run: ${said}`),
      log: redactSecrets(`${title} failed (${id}): ${stack}`),
      actions: [{ kind: 'showLog', label: 'Show Log' }],
    };
  }
  const fields: string[] = [];
  if (azure.status !== undefined && !azure.message.includes(String(azure.status))) fields.push(`HTTP ${azure.status}`);
  if (!azure.message.includes(azure.code)) fields.push(azure.code);
  if (azure.requestId && !azure.message.includes(azure.requestId)) fields.push(`request id ${azure.requestId}`);
  const actions: FailureAction[] = [];
  if (azure.signInChallenge || azure.status === 401) {
    const tenantId = azure.signInChallenge?.tenantId;
    actions.push({ kind: 'signIn', label: tenantId ? 'Sign in to this tenant' : 'Sign in', ...(tenantId ? { tenantId } : {}) });
  }
  if (retryable(azure)) actions.push({ kind: 'retry', label: 'Retry' });
  actions.push({ kind: 'showLog', label: 'Show Log' });
  const where = [
    `code ${azure.code}`,
    azure.status !== undefined ? `HTTP ${azure.status}` : 'no HTTP status',
    `request id ${azure.requestId ?? 'none'}`,
  ];
  return {
    message: redactSecrets(`Parallel Run: ${azure.message}${fields.length ? ` (${fields.join(', ')})` : ''}`),
    log: redactSecrets(`${title} failed (${id}; ${where.join(', ')}): ${azure.message}\n${stack}`),
    actions,
    azure: { code: azure.code, status: azure.status, requestId: azure.requestId },
  };
}
