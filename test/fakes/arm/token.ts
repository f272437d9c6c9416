// Test credentials: unsigned JWTs the fakes accept, handed out through the TokenCredential seam.
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';

const b64url = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');

/** An unsigned JWT (alg none) with the claims Azure services check: aud, iss, tid, oid, nbf/exp. */
export function unsignedJwt(claims: { aud: string; tenantId: string; name?: string; lifetimeSeconds?: number; mfa?: boolean }): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    aud: claims.aud,
    iss: `https://sts.windows.net/${claims.tenantId}/`,
    tid: claims.tenantId,
    oid: '00000000-0000-0000-0000-0000000000aa',
    name: claims.name ?? 'Local Test User',
    upn: 'tester@local.test',
    amr: claims.mfa ? ['pwd', 'mfa'] : ['pwd'],
    iat: now - 60,
    nbf: now - 60,
    exp: now + (claims.lifetimeSeconds ?? 3600),
  };
  return `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(payload)}.`;
}

/** Decodes a JWT's payload without checking a signature (the fakes trust any well-formed unexpired token). */
export function jwtPayload(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    return JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** A TokenCredential minting unsigned JWTs for whatever scope is asked: the seam real SDK clients take. */
export class FakeCredential implements TokenCredential {
  readonly issued: string[] = [];
  readonly scopesAsked: string[][] = [];
  constructor(
    readonly tenantId = '72f988bf-0000-4000-8000-00000000fake',
    /** Tokens carry the MFA claim (a tenant whose policy demands MFA accepts only those). */
    readonly mfa = false,
  ) {}
  async getToken(scopes: string | string[], _options?: GetTokenOptions): Promise<AccessToken> {
    const list = Array.isArray(scopes) ? scopes : [scopes];
    this.scopesAsked.push(list);
    const aud = list[0].replace(/\/\.default$/, '').replace(/\/$/, '');
    const token = unsignedJwt({ aud, tenantId: this.tenantId, mfa: this.mfa });
    this.issued.push(token);
    return { token, expiresOnTimestamp: Date.now() + 3600_000 };
  }
}
