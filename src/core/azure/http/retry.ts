// How Azure calls retry: the SDK pipeline's own retry policy (throttling honours Retry-After on 429 and 503,
// exponential backoff on other 5xx and dropped connections), with limits this product chooses.
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { AzureError } from './errors';

export interface RetrySettings {
  /** Retries after the first try (the SDK default is 3). */
  maxRetries: number;
  /** First backoff delay for 5xx and network errors; doubles each retry with jitter. */
  retryDelayInMs: number;
  /** Ceiling of the exponential backoff. */
  maxRetryDelayInMs: number;
  /** A Retry-After longer than this fails at once with a message saying when to retry, instead of a silent wait. */
  maxRetryAfterSeconds: number;
}

export const defaultRetrySettings: RetrySettings = {
  maxRetries: 3,
  retryDelayInMs: 800,
  maxRetryDelayInMs: 30_000,
  maxRetryAfterSeconds: 60,
};

/** The `retryOptions` the SDK clients take. */
export function sdkRetryOptions(s: RetrySettings): { maxRetries: number; retryDelayInMs: number; maxRetryDelayInMs: number } {
  return { maxRetries: s.maxRetries, retryDelayInMs: s.retryDelayInMs, maxRetryDelayInMs: s.maxRetryDelayInMs };
}

/** Seconds a 429/503 response asks the client to wait, or undefined when it says nothing usable. */
export function retryAfterSeconds(status: number, header: (name: string) => string | undefined): number | undefined {
  if (status !== 429 && status !== 503) return undefined;
  const ms = header('retry-after-ms') ?? header('x-ms-retry-after-ms');
  if (ms !== undefined && ms.trim() !== '' && Number.isFinite(Number(ms))) return Number(ms) / 1000;
  const value = header('retry-after');
  if (value === undefined || value.trim() === '') return undefined;
  if (Number.isFinite(Number(value))) return Number(value);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, (date - Date.now()) / 1000) : undefined;
}

export const retryAfterCapPolicyName = 'parallelRunRetryAfterCap';

/**
 * A per-try policy: a throttled response asking for a longer wait than `maxRetryAfterSeconds` ends the call
 * with an error naming the wait, so a tree node or a command never hangs for an hour behind a spinner.
 */
export function retryAfterCapPolicy(maxRetryAfterSeconds: number): PipelinePolicy {
  return {
    name: retryAfterCapPolicyName,
    async sendRequest(request, next) {
      const response = await next(request);
      const wait = retryAfterSeconds(response.status, (n) => response.headers.get(n));
      if (wait !== undefined && wait > maxRetryAfterSeconds) {
        // Not a RestError: the retry policy rethrows it instead of waiting.
        throw new AzureError({
          code: response.status === 429 ? 'TooManyRequests' : 'ServiceUnavailable',
          status: response.status,
          requestId: response.headers.get('x-ms-request-id') ?? undefined,
          retryAfterSeconds: wait,
          needsContext: true,
          message:
            `Azure is ${response.status === 429 ? 'throttling requests' : 'unavailable'} and asks to wait ` +
            `${Math.ceil(wait)} s before the next call (Retry-After), longer than the ${maxRetryAfterSeconds} s this ` +
            `product waits on its own. Retry after that time.`,
        });
      }
      return response;
    },
  };
}
