/**
 * Sign-in through VS Code's built-in Microsoft authentication (never the Azure CLI): a TokenCredential per
 * tenant over `vscode.authentication.getSession`, tenants as the `VSCODE_TENANT:<id>` pseudo-scope.
 */
import * as vscode from 'vscode';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { tokenExpiry, type Cloud } from './cloud';

const tenantScope = (tenantId: string | undefined) => (tenantId ? [`VSCODE_TENANT:${tenantId}`] : []);

/** Scopes for `getSession`: ARM's `.default` (and the tenant). */
export function sessionScopes(cloud: Cloud, tenantId?: string): string[] {
  return [cloud.endpoint.scope ?? `${cloud.endpoint.resourceManager}/.default`, ...tenantScope(tenantId)];
}

/** How long a silent session request may take: an auth provider that never answers must not leave the view spinning. */
export const SILENT_SESSION_LIMIT_MS = 20_000;

/**
 * `getSession(…, { silent: true })` with a time limit. A provider that does not answer in time (seen with VS Code's
 * built-in Microsoft sign-in offline, or before another provider registered) becomes an error the tree shows
 * with Retry, never an endless spinner.
 */
export async function silentSession(
  cloud: Cloud,
  scopes: string[],
  limitMs = SILENT_SESSION_LIMIT_MS,
): Promise<vscode.AuthenticationSession | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          Object.assign(
            new Error(
              `VS Code's ${cloud.name} sign-in did not answer within ${Math.round(limitMs / 1000)} s. Retry, run "Sign in to Azure" again, or reload the window (Developer: Reload Window).`,
            ),
            { code: 'SignInNotAnswering' },
          ),
        ),
      limitMs,
    );
  });
  try {
    return await Promise.race([vscode.authentication.getSession(cloud.providerId, scopes, { silent: true }), late]);
  } finally {
    clearTimeout(timer);
  }
}

class SessionCredential implements TokenCredential {
  constructor(
    private readonly cloud: Cloud,
    private readonly tenantId: string | undefined,
  ) {}
  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    const list = (Array.isArray(scopes) ? scopes : [scopes]).filter((s) => !s.startsWith('VSCODE_TENANT:'));
    const session = await silentSession(this.cloud, [...list, ...tenantScope(this.tenantId ?? options?.tenantId)]);
    if (!session) {
      // Read by the tree framework as "needs sign-in" (code NotSignedIn), never an endless spinner.
      throw Object.assign(
        new Error(`Not signed in to ${this.cloud.name}${this.tenantId ? ` for tenant ${this.tenantId}` : ''}: sign in to browse it.`),
        {
          code: 'NotSignedIn',
          status: 401,
          signInChallenge: this.tenantId ? { tenantId: this.tenantId } : undefined,
        },
      );
    }
    return { token: session.accessToken, expiresOnTimestamp: tokenExpiry(session.accessToken) };
  }
}

export function credentialFor(cloud: Cloud, tenantId?: string): TokenCredential {
  return new SessionCredential(cloud, tenantId);
}

/** True when a session exists, asking the user nothing. */
export async function isSignedIn(cloud: Cloud): Promise<boolean> {
  return !!(await silentSession(cloud, sessionScopes(cloud)));
}

/**
 * Signs in (the whole account, or one tenant that needs another sign-in such as MFA): VS Code shows its
 * own sign-in. Returns false when the user cancels.
 */
export async function signIn(cloud: Cloud, tenantId?: string): Promise<boolean> {
  try {
    const existing = tenantId
      ? await vscode.authentication.getSession(cloud.providerId, sessionScopes(cloud), { silent: true })
      : undefined;
    const session = await vscode.authentication.getSession(
      cloud.providerId,
      sessionScopes(cloud, tenantId),
      existing
        ? { forceNewSession: { detail: 'This tenant needs another sign-in (multi-factor authentication or a Conditional Access policy).' } }
        : { createIfNone: true },
    );
    return !!session;
  } catch (err) {
    if (/cancel/i.test((err as Error)?.message ?? '')) return false;
    throw err;
  }
}
