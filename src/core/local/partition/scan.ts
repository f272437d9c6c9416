/**
 * Streaming machinery shared by the tabular splitters: a double-buffered sequential chunk reader and the
 * loop that turns record boundaries into byte ranges of about `miniBatchSize`. Memory stays at two chunk
 * buffers whatever the file size.
 */
import type { FileHandle } from 'node:fs/promises';
import { throwIfAborted } from './abort';

export const NL = 0x0a;
export const CR = 0x0d;

/**
 * Default read size. Large enough that a read costs far more than the JS around it, small enough that the
 * two buffers stay in the CPU's last-level cache: scanning a chunk right after it was read is then cheap,
 * and measured faster than 8-16 MiB chunks.
 */
export const DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024;
/** Chunks read ahead while one is scanned (so READ_AHEAD + 1 buffers of DEFAULT_CHUNK_SIZE: 16 MiB). */
export const READ_AHEAD = 3;
/** First read when only the header record may be needed: most headers are far shorter. */
const FIRST_READ = 64 * 1024;

/** A byte range `[start, end)` of a file. */
export interface ByteRange {
  start: number;
  end: number;
}

/** How one tabular file splits. */
export interface FileSplit {
  /** File size in bytes when it was opened. */
  size: number;
  /** The header record is `[0, headerEnd)`; null when the file was read without a header. */
  headerEnd: number | null;
  /** Whole-record ranges, contiguous, in file order. Without limits they tile `[headerEnd ?? 0, size)`. */
  ranges: ByteRange[];
  /** Data records seen: counted only when `maxRecords` was given (blank lines are not records). */
  records?: number;
}

export interface SplitOptions {
  /** Target bytes per range (a range ends at the first record boundary at or after start + miniBatchSize). */
  miniBatchSize: number;
  /** Stop after this many ranges (sampling: the rest of the file is not read). */
  maxRanges?: number;
  /** Only the first N data records: the last range ends right after record N. Counting reads every line. */
  maxRecords?: number;
  /** Sequential read size, default 8 MiB. */
  chunkSize?: number;
  signal?: AbortSignal;
}

/**
 * Finds record ends in a chunk. `next(view, from, min)` consumes `view` from `from` and returns the index
 * just past the first record-ending `\n` whose own index is ≥ `min`, stopping there; or -1 once it consumed
 * the whole view. Calls are sequential over the file: state may carry from one chunk to the next.
 */
export interface RecordScanner {
  next(view: Buffer, from: number, min: number): number;
}

interface Pending {
  buf: Buffer;
  pos: number;
  len: number;
  read: Promise<number>;
}

/**
 * Sequential reader with read-ahead: while the caller scans one chunk, the next `readAhead` chunks are being
 * read on libuv's thread pool. Several reads in flight copy out of the page cache in parallel, which with the
 * scan overlapped measured faster than one plain synchronous read loop over the same file.
 */
export class ChunkReader {
  private readonly bufs: Buffer[] = [];
  private nextBuf = 0;
  private readonly queue: Pending[] = [];
  private nextPos: number;
  /** Reads kept in flight beyond the chunk being scanned (0: read on demand). Uses readAhead + 1 buffers. */
  readAhead = 0;
  /** Size of the next read when nothing is pending (then back to chunkSize). */
  nextLength: number;

  constructor(
    private readonly fh: FileHandle,
    private readonly size: number,
    private readonly chunkSize: number,
    start = 0,
  ) {
    this.nextPos = start;
    this.nextLength = chunkSize;
  }

  private issue(length: number): void {
    const n = this.readAhead + 1;
    const i = this.nextBuf;
    this.nextBuf = (i + 1) % n;
    // Small files get small buffers: many of them may be split at once.
    const buf = (this.bufs[i] ??= Buffer.allocUnsafeSlow(Math.max(1, Math.min(this.chunkSize, this.size))));
    const pos = this.nextPos;
    const len = Math.min(length, this.size - pos, buf.length);
    this.nextPos = pos + len;
    const read = len <= 0 ? Promise.resolve(0) : this.fh.read(buf, 0, len, pos).then((r) => r.bytesRead);
    read.catch(() => undefined); // awaited later; never an unhandled rejection
    this.queue.push({ buf, pos, len, read });
  }

  /** The next chunk and its file offset, or null at the end of the file. */
  async read(): Promise<{ view: Buffer; pos: number } | null> {
    if (this.queue.length === 0) {
      if (this.nextPos >= this.size) return null;
      this.issue(this.nextLength);
    }
    const { buf, pos, len, read } = this.queue.shift()!;
    const n = await read;
    this.nextLength = this.chunkSize;
    if (n <= 0) {
      await this.settle();
      return null;
    }
    if (n < len) {
      // Short read (rare on regular files): drop what was read ahead and continue right after it.
      await this.settle();
      this.nextPos = pos + n;
    }
    while (this.queue.length < this.readAhead && this.nextPos < this.size) this.issue(this.chunkSize);
    return { view: n === buf.length ? buf : buf.subarray(0, n), pos };
  }

  /** Waits for the reads still in flight and drops them (call before closing the file). */
  async settle(): Promise<void> {
    while (this.queue.length > 0) await this.queue.shift()!.read.catch(() => undefined);
  }
}

/** Walks a file's record boundaries through a scanner, one chunk at a time. */
export class BoundaryCursor {
  private view: Buffer | null = null;
  private viewPos = 0;
  private p = 0;
  private lastByte = NL;
  private eof = false;

  constructor(
    readonly reader: ChunkReader,
    private readonly scanner: RecordScanner,
    private readonly signal?: AbortSignal,
  ) {}

  /** The absolute offset just past the next record end whose `\n` is at offset ≥ absMin, or -1 at EOF. */
  async next(absMin: number): Promise<number> {
    for (;;) {
      if (this.view === null || this.p >= this.view.length) {
        if (this.eof) return -1;
        throwIfAborted(this.signal);
        if (this.view && this.view.length > 0) this.lastByte = this.view[this.view.length - 1];
        const chunk = await this.reader.read();
        if (!chunk) {
          this.eof = true;
          this.view = null;
          return -1;
        }
        this.view = chunk.view;
        this.viewPos = chunk.pos;
        this.p = 0;
      }
      const r = this.scanner.next(this.view, this.p, absMin - this.viewPos);
      if (r >= 0) {
        this.p = r;
        return this.viewPos + r;
      }
      this.p = this.view.length;
    }
  }

  /** The byte at absolute offset `abs`; valid for the current chunk and the last byte before it. */
  byteAt(abs: number): number {
    const i = abs - this.viewPos;
    if (this.view && i >= 0 && i < this.view.length) return this.view[i];
    return this.lastByte;
  }

  /** Whether the record `[recStart, end)` (ending in `\n` just before `end`) is blank (`\n` or `\r\n`). */
  isBlank(recStart: number, end: number): boolean {
    const n = end - recStart;
    return n <= 1 || (n === 2 && this.byteAt(end - 2) === CR);
  }
}

/**
 * The header record: the first non-blank record (blank lines before it belong to the header bytes, as
 * pandas skips them). Returns its end, or `size` when the file holds no record end at all.
 */
export async function readHeaderEnd(cursor: BoundaryCursor, size: number): Promise<number> {
  cursor.reader.nextLength = FIRST_READ;
  let recStart = 0;
  for (;;) {
    const b = await cursor.next(recStart);
    if (b < 0) return size;
    if (!cursor.isBlank(recStart, b)) return b;
    recStart = b;
  }
}

/**
 * Splits `[dataStart, size)` into whole-record ranges of about `miniBatchSize` by scanning sequentially.
 * Stops reading as soon as the limits in `options` are met or the rest fits in one range.
 */
export async function splitSequential(
  cursor: BoundaryCursor,
  size: number,
  dataStart: number,
  options: SplitOptions,
): Promise<{ ranges: ByteRange[]; records?: number }> {
  const batch = Math.max(1, Math.floor(options.miniBatchSize) || 1);
  const maxRanges = options.maxRanges ?? Infinity;
  const ranges: ByteRange[] = [];
  cursor.reader.readAhead = READ_AHEAD;
  if (options.maxRecords === undefined) {
    let start = dataStart;
    while (start < size && ranges.length < maxRanges) {
      if (size - start <= batch) {
        ranges.push({ start, end: size });
        break;
      }
      const b = await cursor.next(start + batch - 1);
      if (b < 0 || b >= size) {
        ranges.push({ start, end: size });
        break;
      }
      ranges.push({ start, end: b });
      start = b;
    }
    return { ranges };
  }

  // Counting: every record end matters, so find each one.
  const maxRecords = options.maxRecords;
  let records = 0;
  let start = dataStart;
  let recStart = dataStart;
  let target = start + batch;
  while (records < maxRecords && ranges.length < maxRanges && start < size) {
    const b = await cursor.next(recStart);
    if (b < 0) {
      // Last record without a trailing newline.
      const tail = size - recStart;
      if (tail > 1 || (tail === 1 && cursor.byteAt(size - 1) !== CR)) records++;
      ranges.push({ start, end: size });
      break;
    }
    if (!cursor.isBlank(recStart, b)) records++;
    recStart = b;
    if (records >= maxRecords || b >= target || b >= size) {
      ranges.push({ start, end: b });
      start = b;
      target = b + batch;
    }
  }
  return { ranges, records };
}
