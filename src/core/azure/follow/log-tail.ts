// Reads only what is new in a log blob, by byte offset (a Range read from where the last one ended), and hands out
// complete lines: the same lines az ml job stream prints, never one twice, without downloading a growing file again.
import { AnonymousCredential, BlobClient, type StoragePipelineOptions } from '@azure/storage-blob';

export interface TailState {
  offset: number;
  /** Bytes after the last newline, kept until their line ends (a UTF-8 character may be split too). */
  partial: Buffer;
}

export interface BlobReadOptions {
  retry?: StoragePipelineOptions['retryOptions'];
  abortSignal?: AbortSignal;
}

/** The bytes of a blob from `offset` (empty when it has no more); `reset` when the blob is now shorter (rewritten). */
export async function readFrom(sasUrl: string, offset: number, o: BlobReadOptions = {}): Promise<{ bytes: Buffer; reset: boolean }> {
  const blob = new BlobClient(sasUrl, new AnonymousCredential(), {
    retryOptions: o.retry ?? { maxTries: 3, retryDelayInMs: 500, maxRetryDelayInMs: 4000 },
  });
  try {
    const r = await blob.download(offset, undefined, { abortSignal: o.abortSignal });
    return { bytes: await streamToBuffer(r.readableStreamBody), reset: false };
  } catch (err) {
    const status = (err as { statusCode?: number }).statusCode;
    if (status !== 416) throw err;
    // 416: nothing at or after `offset`. Either no new bytes, or the blob was replaced by a shorter one.
    const props = await blob.getProperties({ abortSignal: o.abortSignal });
    const size = props.contentLength ?? 0;
    if (size >= offset) return { bytes: Buffer.alloc(0), reset: false };
    const r = await blob.download(0, undefined, { abortSignal: o.abortSignal });
    return { bytes: await streamToBuffer(r.readableStreamBody), reset: true };
  }
}

/** Adds new bytes to a file's state; returns its new complete lines (and the partial one too when `final`). */
export function takeLines(state: TailState, bytes: Buffer, final = false): string[] {
  state.offset += bytes.length;
  const all = Buffer.concat([state.partial, bytes]);
  const end = all.lastIndexOf(0x0a);
  let complete: Buffer;
  if (final) {
    complete = all;
    state.partial = Buffer.alloc(0);
  } else {
    complete = end < 0 ? Buffer.alloc(0) : all.subarray(0, end + 1);
    state.partial = Buffer.from(end < 0 ? all : all.subarray(end + 1));
  }
  if (complete.length === 0) return [];
  const lines = complete.toString('utf8').split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

async function streamToBuffer(s: NodeJS.ReadableStream | undefined): Promise<Buffer> {
  if (!s) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  for await (const c of s as AsyncIterable<Buffer | string>) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
  return Buffer.concat(chunks);
}
