/**
 * Paging through an append_row output of any size: one streaming scan records the byte offset of every
 * `every`-th record, after which any page is read from the nearest checkpoint without loading the file.
 */
import { createReadStream, promises as fs } from 'node:fs';

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export interface LineIndex {
  file: string;
  /** Size and modification time when scanned: a file that changed since needs a new index. */
  size: number;
  mtimeMs: number;
  /** Byte offset where the records start (after a header line, when one was skipped). */
  start: number;
  /** The quote character whose quoted newlines stay inside a record, or null for plain lines. */
  quoteChar: string | null;
  /** Records between `start` and the end of the file (a last line without newline counts). */
  totalRows: number;
  /** `checkpoints[k]` is the byte offset of record `k * every`. */
  every: number;
  checkpoints: number[];
}

export interface IndexOptions {
  /** Honour quoted newlines written by `to_csv` (DataFrame outputs); null or absent for plain lines. */
  quoteChar?: string | null;
  /** Byte offset to start at (skips a header line). Default 0. */
  start?: number;
  /** Records between checkpoints. Default 100, one page. */
  every?: number;
  signal?: AbortSignal;
}

/**
 * Finds the ends of records in a byte stream: newlines, except inside a quoted field when a quote byte is
 * given. Quotes doubled inside a field toggle twice, so counting them is enough.
 */
export class RecordScanner {
  private inQuote = false;
  constructor(private readonly quoteByte: number | null) {}

  /** The index in `chunk` of the next record end at or after `from`, or -1. */
  nextEnd(chunk: Buffer, from: number): number {
    if (this.quoteByte === null) return chunk.indexOf(NEWLINE, from);
    const quote = this.quoteByte;
    for (let i = from; i < chunk.length; i++) {
      const b = chunk[i];
      if (b === quote) this.inQuote = !this.inQuote;
      else if (b === NEWLINE && !this.inQuote) return i;
    }
    return -1;
  }
}

/** The single byte of an ASCII quote character; quoting by other characters is read as plain lines. */
export function quoteByteOf(quoteChar: string | null | undefined): number | null {
  if (!quoteChar || quoteChar.length !== 1) return null;
  const code = quoteChar.charCodeAt(0);
  return code < 0x80 ? code : null;
}

/** Scans `file` once, streaming, and returns where every `every`-th record starts. */
export async function indexLines(file: string, options: IndexOptions = {}): Promise<LineIndex> {
  const every = options.every ?? 100;
  if (!Number.isInteger(every) || every < 1) throw new RangeError(`every must be a positive integer, got ${every}`);
  const start = options.start ?? 0;
  const quoteByte = quoteByteOf(options.quoteChar);
  const stat = await fs.stat(file);
  const scanner = new RecordScanner(quoteByte);
  const checkpoints: number[] = [];
  let rows = 0;
  let recordStart = start;
  let position = start;
  if (start < stat.size) {
    checkpoints.push(start);
    const stream = createReadStream(file, { start, end: stat.size - 1, highWaterMark: 1 << 20, signal: options.signal });
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let from = 0;
      for (let end = scanner.nextEnd(chunk, from); end >= 0; end = scanner.nextEnd(chunk, from)) {
        rows += 1;
        recordStart = position + end + 1;
        if (rows % every === 0 && recordStart < stat.size) checkpoints.push(recordStart);
        from = end + 1;
      }
      position += chunk.length;
    }
    if (recordStart < position) rows += 1; // the last record has no newline
  }
  return {
    file,
    size: stat.size,
    mtimeMs: stat.mtimeMs,
    start,
    quoteChar: quoteByte === null ? null : String.fromCharCode(quoteByte),
    totalRows: rows,
    every,
    checkpoints,
  };
}

/** True while the file still has the size and modification time it had when indexed. */
export async function isIndexCurrent(index: LineIndex): Promise<boolean> {
  try {
    const stat = await fs.stat(index.file);
    return stat.size === index.size && stat.mtimeMs === index.mtimeMs;
  } catch {
    return false;
  }
}

export interface PageOptions {
  /** Longer records are cut to this many bytes (then end with `…`), so one huge line cannot stall the page. */
  maxRecordBytes?: number;
}

/**
 * The records of page `page` (0-based, `pageSize` records each) as text without their line ends; reads
 * from the nearest checkpoint and stops at the page's end. A page past the end is empty.
 */
export async function readPage(
  file: string,
  index: LineIndex,
  page: number,
  pageSize: number,
  options: PageOptions = {},
): Promise<string[]> {
  if (!Number.isInteger(page) || page < 0) throw new RangeError(`page must be a non-negative integer, got ${page}`);
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError(`pageSize must be a positive integer, got ${pageSize}`);
  const first = page * pageSize;
  const wanted = Math.min(pageSize, index.totalRows - first);
  if (wanted <= 0) return [];
  const maxBytes = options.maxRecordBytes ?? 64 * 1024;
  const checkpoint = Math.floor(first / index.every);
  let skip = first - checkpoint * index.every;
  const scanner = new RecordScanner(quoteByteOf(index.quoteChar));
  const records: string[] = [];
  let parts: Buffer[] = [];
  let partBytes = 0;
  let truncated = false;
  const keep = (piece: Buffer): void => {
    if (skip > 0 || truncated) return;
    const room = maxBytes - partBytes;
    if (piece.length > room) {
      parts.push(piece.subarray(0, room));
      partBytes += room;
      truncated = true;
    } else {
      parts.push(piece);
      partBytes += piece.length;
    }
  };
  const finish = (): void => {
    if (skip > 0) skip -= 1;
    else records.push(decodeRecord(Buffer.concat(parts, partBytes), truncated));
    parts = [];
    partBytes = 0;
    truncated = false;
  };
  const stream = createReadStream(file, {
    start: index.checkpoints[checkpoint],
    end: Math.max(index.size - 1, 0),
    highWaterMark: 64 * 1024,
  });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let from = 0;
      for (let end = scanner.nextEnd(chunk, from); end >= 0 && records.length < wanted; end = scanner.nextEnd(chunk, from)) {
        keep(chunk.subarray(from, end));
        finish();
        from = end + 1;
      }
      if (records.length >= wanted) break;
      keep(chunk.subarray(from));
    }
    if (records.length < wanted && (partBytes > 0 || truncated)) finish();
  } finally {
    stream.destroy();
  }
  return records;
}

function decodeRecord(bytes: Buffer, truncated: boolean): string {
  let end = bytes.length;
  if (!truncated && end > 0 && bytes[end - 1] === CARRIAGE_RETURN) end -= 1; // a run written on Windows
  const text = bytes.toString('utf8', 0, end);
  // A cut may split a multi-byte character: drop the replacement character it leaves.
  return truncated ? `${text.replace(/\uFFFD$/, '')}…` : text;
}
