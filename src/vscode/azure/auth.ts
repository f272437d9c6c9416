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

class SessionCredential implements TokenCredential {
  constructor(
    private readonly cloud: Cloud,
    private readonly tenantId: string | undefined,
  ) {}
  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    const list = (Array.isArray(scopes) ? scopes : [scopes]).filter((s) => !s.startsWith('VSCODE_TENANT:'));
    const session = await vscode.authentication.getSession(
      this.cloud.providerId,
      [...list, ...tenantScope(this.tenantId ?? options?.tenantId)],
      { silent: true },
    );
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
  return !!(await vscode.authentication.getSession(cloud.providerId, sessionScopes(cloud), { silent: true }));
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
