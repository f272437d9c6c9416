// Paged lists that hold only the pages asked for: one service call per page, a continuation for "Load more".

/** One page of a list, and where the next one starts (undefined: this was the last). */
export interface Page<T> {
  items: T[];
  continuation?: string;
}

/**
 * Loads the page that starts at `continuation` (undefined: the first page). Aborting `signal` ends the load
 * as a cancellation (a tree node collapsed or refreshed before its children arrived).
 */
export type PageLoader<T> = (continuation?: string, signal?: AbortSignal) => Promise<Page<T>>;

/** Options every SDK list call takes. */
export interface ListOptions {
  abortSignal?: AbortSignal;
}

/** What the SDK's list operations return: an iterator with `byPage`. */
export interface SdkPager<S> {
  byPage(settings?: { continuationToken?: string }): AsyncIterableIterator<S[]>;
}

/**
 * A PageLoader over an SDK list call: fetches exactly one page per call and stops the SDK iterator there.
 * `tokenOf` reads a page's continuation (the ARM SDKs keep it aside: their `getContinuationToken`).
 */
export function sdkPageLoader<S, T>(
  list: (options: ListOptions) => SdkPager<S>,
  map: (item: S) => T,
  tokenOf: (page: unknown) => string | undefined,
): PageLoader<T> {
  return async (continuation, signal) => {
    const it = list({ abortSignal: signal }).byPage(continuation ? { continuationToken: continuation } : undefined);
    try {
      const r = await it.next();
      if (r.done || !r.value) return { items: [] };
      const page = r.value;
      return { items: page.map(map), continuation: tokenOf(page) || undefined };
    } finally {
      await it.return?.();
    }
  };
}

/** Pages one at a time, lazily, until the list ends or the caller stops iterating. */
export async function* pages<T>(load: PageLoader<T>, start?: string): AsyncGenerator<Page<T>> {
  let continuation = start;
  do {
    const page = await load(continuation);
    yield page;
    continuation = page.continuation;
  } while (continuation);
}

/** Every item of a list: for short lists only (subscriptions, datastores); trees use the loader page by page. */
export async function allItems<T>(load: PageLoader<T>, limit = 10_000): Promise<T[]> {
  const out: T[] = [];
  for await (const p of pages(load)) {
    out.push(...p.items);
    if (out.length >= limit) break;
  }
  return out;
}
