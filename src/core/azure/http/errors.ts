// One shape for every Azure failure: code, HTTP status, request id, and a sentence the user can act on.
import { redactSecrets } from './redact';

export interface AzureFailure {
  /** The service's error code (`ResourceNotFound`, `AuthorizationFailed`…), or a network/cancel code. */
  code: string;
  /** HTTP status; undefined for network failures and cancellation. */
  status?: number;
  /** `x-ms-request-id` of the failed response: what Azure support asks for. */
  requestId?: string;
  /** Wait the service asked for, when it said. */
  retryAfterSeconds?: number;
  /** What went wrong and what to do; never holds a token, key or SAS signature. */
  message: string;
  /** Raised below the operation (a pipeline policy): `toAzureError` prefixes "Could not <what>:". */
  needsContext?: boolean;
  /**
   * A 401 claims challenge (Conditional Access, MFA): the tenant to sign in to again and the claims to ask
   * for, so a sign-in layer can offer "Sign in to this tenant".
   */
  signInChallenge?: { tenantId?: string; claims?: string };
}

export class AzureError extends Error implements AzureFailure {
  readonly code: string;
  readonly status?: number;
  readonly requestId?: string;
  readonly retryAfterSeconds?: number;
  readonly needsContext: boolean;
  readonly signInChallenge?: { tenantId?: string; claims?: string };
  constructor(f: AzureFailure) {
    super(redactSecrets(f.message));
    this.name = 'AzureError';
    this.code = f.code;
    this.status = f.status;
    this.requestId = f.requestId;
    this.retryAfterSeconds = f.retryAfterSeconds;
    this.needsContext = f.needsContext === true;
    this.signInChallenge = f.signInChallenge;
  }
  /** True for a cancellation the user asked for: callers show nothing, not an error. */
  get cancelled(): boolean {
    return this.code === 'Cancelled';
  }
}

const networkCodes: Record<string, string> = {
  ECONNREFUSED: 'the server refused the connection',
  ECONNRESET: 'the connection was dropped',
  ETIMEDOUT: 'the connection timed out',
  ESOCKETTIMEDOUT: 'the connection timed out',
  ENOTFOUND: 'the host name could not be resolved',
  EAI_AGAIN: 'the host name could not be resolved',
  REQUEST_SEND_ERROR: 'the request could not be sent',
  UND_ERR_SOCKET: 'the connection was dropped',
  EPROTO: 'the TLS handshake failed',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server certificate is not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'the server certificate is not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the server certificate is not trusted',
  CERT_HAS_EXPIRED: 'the server certificate has expired',
};

interface ErrorLike {
  name?: string;
  message?: string;
  code?: string;
  statusCode?: number;
  status?: number;
  request?: { url?: string };
  response?: { status?: number; headers?: { get?(n: string): string | undefined | null }; bodyAsText?: string | null };
  details?: unknown;
  cause?: unknown;
}

/** The service's own `{error: {code, message}}`, from a parsed body or the response text. */
function serviceError(e: ErrorLike): { code?: string; message?: string } {
  const fromDetails = (d: unknown): { code?: string; message?: string } | undefined => {
    if (!d || typeof d !== 'object') return undefined;
    const o = d as Record<string, unknown>;
    const inner = (o.error && typeof o.error === 'object' ? o.error : o) as Record<string, unknown>;
    if (typeof inner.code === 'string' || typeof inner.message === 'string') {
      return { code: inner.code as string | undefined, message: inner.message as string | undefined };
    }
    return undefined;
  };
  const d = fromDetails(e.details);
  if (d) return d;
  const text = e.response?.bodyAsText;
  if (text) {
    try {
      const parsed = fromDetails(JSON.parse(text));
      if (parsed) return parsed;
    } catch {
      /* not JSON: fall through */
    }
  }
  return {};
}

function hostOf(url: string | undefined): string {
  if (!url) return 'Azure';
  try {
    return new URL(url).host;
  } catch {
    return 'Azure';
  }
}

/**
 * Turns anything an Azure call throws (RestError, network error, abort, an AzureError already) into an
 * AzureError whose message says what failed, why, and what to do next. `what` names the operation
 * ("list the computes of workspace ws1").
 */
export function toAzureError(err: unknown, what: string): AzureError {
  if (err instanceof AzureError) {
    if (!err.needsContext) return err;
    const { code, status, requestId, retryAfterSeconds } = err;
    return new AzureError({ code, status, requestId, retryAfterSeconds, message: `Could not ${what}: ${err.message}` });
  }
  const e = (err && typeof err === 'object' ? err : { message: String(err) }) as ErrorLike;
  if (e.name === 'AbortError' || e.code === 'ABORT_ERR') {
    return new AzureError({ code: 'Cancelled', message: `Cancelled: ${what}.` });
  }
  const status = e.statusCode ?? e.response?.status ?? (typeof e.status === 'number' ? e.status : undefined);
  const header = (n: string): string | undefined => e.response?.headers?.get?.(n) ?? undefined;
  const requestId = header('x-ms-request-id');
  const svc = serviceError(e);
  const said = svc.message ?? (status ? undefined : e.message);
  const code = svc.code ?? e.code ?? (status ? `Http${status}` : 'NetworkError');
  const why = said ? ` Azure said: ${said.trim().replace(/\s+/g, ' ')}` : '';
  const rid = requestId ? ` (request id ${requestId})` : '';
  const base = { code, status, requestId };
  const causeCode = (e.cause as ErrorLike | undefined)?.code;
  const net = status ? undefined : (networkCodes[e.code ?? ''] ?? networkCodes[causeCode ?? '']);

  if (!status && !e.code && e.name !== 'RestError') {
    // A plain error raised on this side (bad discovery document, invalid settings): its message is the story.
    return new AzureError({ ...base, code: 'ClientError', message: `Could not ${what}: ${e.message ?? String(err)}` });
  }
  if (!status) {
    const host = hostOf(e.request?.url);
    const reason = net ?? `the request failed (${e.code ?? e.name ?? 'unknown error'})`;
    return new AzureError({
      ...base,
      message:
        `Could not ${what}: ${reason} while talking to ${host}. Check the network connection, proxy ` +
        `(HTTPS_PROXY) and firewall, then retry.${e.message && !net ? ` Details: ${e.message}` : ''}`,
    });
  }
  const retryAfter = status === 429 || status === 503 ? retryAfterFrom(header) : undefined;
  const challenge = status === 401 ? claimsChallenge(header('www-authenticate')) : undefined;
  const message = ((): string => {
    switch (true) {
      case challenge !== undefined:
        return `Could not ${what}: ${challenge!.tenantId ? `tenant ${challenge!.tenantId}` : 'the tenant'} asks you to sign in again (multi-factor authentication or another Conditional Access condition) (401 ${code}).${why} Sign in to this tenant, then retry.`;
      case status === 401:
        return `Could not ${what}: Azure did not accept the sign-in (401 ${code}).${why} Sign in again (for a multi-tenant account, sign in to the tenant that holds this subscription), then retry.`;
      case status === 403:
        return `Could not ${what}: your account has no permission for this (403 ${code}).${why} Ask an owner of the workspace or subscription for a role that allows it (for example "AzureML Data Scientist"), or pick another subscription.`;
      case status === 404:
        return `Could not ${what}: it was not found (404 ${code}).${why} It may have been deleted, or belong to another subscription, resource group or workspace: refresh and check the names.`;
      case status === 409:
        return `Could not ${what}: it conflicts with the current state (409 ${code}).${why} Another operation may still be running on it, or the name is taken: wait for that operation or choose another name.`;
      case status === 429:
        return `Could not ${what}: Azure is throttling requests (429) and retries ran out.${why} Wait${retryAfter !== undefined ? ` ${Math.ceil(retryAfter)} s` : ' a minute'} and retry.`;
      case status >= 500:
        return `Could not ${what}: Azure had a server error (${status} ${code}) and retries ran out.${why} This is on Azure's side: retry in a few minutes; if it persists, give Azure support the request id.`;
      case status === 400:
        return `Could not ${what}: Azure rejected the request as invalid (400 ${code}).${why} Correct the value it names and retry.`;
      default:
        return `Could not ${what}: Azure answered ${status} ${code}.${why}`;
    }
  })();
  return new AzureError({ ...base, retryAfterSeconds: retryAfter, signInChallenge: challenge, message: message + rid });
}

/** `WWW-Authenticate: Bearer authorization_uri="…/<tenant>", error="insufficient_claims", claims="<base64>"`. */
function claimsChallenge(value: string | undefined): { tenantId?: string; claims?: string } | undefined {
  if (!value || !/error="?insufficient_claims"?/i.test(value)) return undefined;
  const tenantId = /authorization_uri="https?:\/\/[^/"]+\/([^/"]+)/i.exec(value)?.[1];
  const claims = /claims="([^"]+)"/i.exec(value)?.[1];
  return { tenantId: tenantId && tenantId !== 'common' && tenantId !== 'organizations' ? tenantId : undefined, claims };
}

function retryAfterFrom(header: (n: string) => string | undefined): number | undefined {
  const v = header('retry-after');
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** Runs `call`, rethrowing any failure as an AzureError about `what`. */
export async function azureCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toAzureError(err, what);
  }
}
