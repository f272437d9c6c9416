// JSON calls through an SDK client's own pipeline (auth, TLS, retries), for routes the SDK lacks or mangles.
import { createPipelineRequest, RestError, type PipelineResponse } from '@azure/core-rest-pipeline';
import { toAzureError } from './errors';
import type { Page } from './paging';

/** Anything with the SDK clients' `sendRequest`. */
export interface RequestSender {
  sendRequest(request: ReturnType<typeof createPipelineRequest>): Promise<PipelineResponse>;
}

/** Sends one JSON request; a status of 400 or more becomes an AzureError about `what`. */
export async function sendJson<T>(
  client: RequestSender,
  what: string,
  method: 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  body?: unknown,
  abortSignal?: AbortSignal,
): Promise<T> {
  let response: PipelineResponse;
  try {
    const request = createPipelineRequest({ url, method, abortSignal });
    request.headers.set('Accept', 'application/json');
    if (body !== undefined) {
      request.headers.set('Content-Type', 'application/json');
      request.body = JSON.stringify(body);
    }
    response = await client.sendRequest(request);
  } catch (err) {
    throw toAzureError(err, what);
  }
  if (response.status >= 400) {
    throw toAzureError(
      new RestError(`HTTP ${response.status}`, { statusCode: response.status, response, request: response.request }),
      what,
    );
  }
  if (!response.bodyAsText) return undefined as T;
  try {
    return JSON.parse(response.bodyAsText) as T;
  } catch {
    throw toAzureError(
      new RestError(`The response to ${method} ${new URL(url).pathname} is not JSON`, {
        code: 'InvalidResponse',
        statusCode: response.status,
        response,
      }),
      what,
    );
  }
}

/** One page of an ARM-style list (`{value, nextLink}`): `continuation` is the nextLink to GET for the next page. */
export async function jsonPage<R, T>(
  client: RequestSender,
  what: string,
  firstUrl: string,
  continuation: string | undefined,
  map: (raw: R) => T,
  signal?: AbortSignal,
): Promise<Page<T>> {
  const body = await sendJson<{ value?: R[]; nextLink?: string | null }>(client, what, 'GET', continuation ?? firstUrl, undefined, signal);
  return { items: (body?.value ?? []).map(map), continuation: body?.nextLink || undefined };
}
