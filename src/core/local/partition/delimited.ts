/**
 * Delimited (CSV/TSV) files: record boundaries that honour quoting, and splitting into byte ranges.
 *
 * Quoting follows pandas' C parser (what the worker reads the ranges with): a `"` opens a quoted field only
 * at the start of a field (after the delimiter, or at the start of a record); inside it `""` is a literal
 * quote and a newline is data; a `"` elsewhere is an ordinary character. For RFC 4180 files this is plain
 * quote parity. Records end at `\n` outside quotes (`\r\n` ends with `\n` too).
 *
 * Scanning is sequential (quote state depends on everything before), in large chunks, jumping from one
 * `"` to the next with the native `Buffer.indexOf`; newlines are only looked for near split points.
 */
import * as fsp from 'node:fs/promises';
import {
  BoundaryCursor,
  ChunkReader,
  CR,
  DEFAULT_CHUNK_SIZE,
  FileSplit,
  NL,
  RecordScanner,
  SplitOptions,
  readHeaderEnd,
  splitSequential,
} from './scan';

const QUOTE = 0x22;
const OUT = 0;
const IN = 1;
/** Inside a quoted field, just after a `"`: a second `"` is an escaped quote, anything else closed it. */
const AFTER_QUOTE = 2;

/** Bytes looked at one by one for a closing quote before calling indexOf. */
const SHORT_LOOK = 16;
/** Quote gap (bytes) below which a plain byte loop beats one indexOf call per quote. */
const DENSE_GAP = 24;
/** Quotes looked at between two density checks. */
const DENSE_CHECK = 64;
/** Bytes handled by the byte loop before trying indexOf again. */
const DENSE_SPAN = 64 * 1024;

/** Record-boundary scanner for delimited data; see the module comment for the quoting rules. */
export class CsvScanner implements RecordScanner {
  private state = OUT;
  /** The last byte of the latest chunk (a record start at the beginning of data). */
  private prev = NL;
  private readonly delim: number;
  // Per-chunk caches: the first `"` / `\n` at or after some earlier position of `view` (-1: none left).
  private view: Buffer | null = null;
  private from = -1;
  private q = -2;
  private nl = -2;

  private readonly denseCheck: number;
  private readonly denseSpan: number;

  /**
   * `delimiter`: the field separator; for a multi-byte one its last byte marks field starts. `tuning` changes
   * when the byte loop takes over (tests use tiny values to exercise every switch between the two paths).
   */
  constructor(delimiter = ',', tuning: { denseCheck?: number; denseSpan?: number } = {}) {
    const bytes = Buffer.from(delimiter || ',', 'utf8');
    this.delim = bytes[bytes.length - 1];
    this.denseCheck = tuning.denseCheck ?? DENSE_CHECK;
    this.denseSpan = tuning.denseSpan ?? DENSE_SPAN;
  }

  /**
   * See {@link RecordScanner.next}. Within a chunk `from` only grows; a different view, or `from` not past
   * the last call's, means a new chunk.
   */
  next(view: Buffer, from: number, min: number): number {
    if (view !== this.view || from <= this.from) {
      this.view = view;
      this.q = -2;
      this.nl = -2;
    }
    this.from = from;
    const len = view.length;
    const delim = this.delim;
    // `before` is the byte before view[0]. Only a first call on a chunk can look at index 0, so the field
    // can already hold this chunk's last byte for the next chunk, however this call ends.
    const before = this.prev;
    if (len > 0) this.prev = view[len - 1];
    let p = from;
    let s = this.state;
    let q = this.q;
    let nl = this.nl;
    let hits = 0;
    let since = p;
    while (p < len) {
      if (s === AFTER_QUOTE) {
        // The last chunk (or byte-loop span) ended on a quote inside a quoted field: `""`, or the closing quote.
        if (view[p] === QUOTE) {
          s = IN;
          p++;
          continue;
        }
        s = OUT;
      }
      if (s === OUT) {
        if (q !== -1 && q < p) q = view.indexOf(QUOTE, p);
        const stop = q < 0 ? len : q;
        const lo = p > min ? p : min;
        if (lo < stop) {
          if (nl !== -1 && nl < lo) nl = view.indexOf(NL, lo);
          if (nl >= 0 && nl < stop) {
            this.state = OUT;
            this.q = q;
            this.nl = nl;
            return nl + 1;
          }
        }
        if (q < 0) break;
        const b = q > 0 ? view[q - 1] : before;
        p = q + 1;
        if (b !== delim && b !== NL && b !== CR) continue; // a quote inside an unquoted field: data
        s = IN;
      }
      // Inside a quoted field: find its closing quote, skipping `""` escapes. Quoted values are often short:
      // look at a few bytes directly before paying for a native call.
      {
        const lim = p + SHORT_LOOK < len ? p + SHORT_LOOK : len;
        let i = p;
        while (i < lim && view[i] !== QUOTE) i++;
        q = i < lim ? i : view.indexOf(QUOTE, lim);
      }
      if (q < 0) break;
      if (q + 1 >= len) {
        s = AFTER_QUOTE; // the next chunk decides
        p = len;
        break;
      }
      if (view[q + 1] === QUOTE) p = q + 2;
      else {
        s = OUT;
        p = q + 1;
      }
      // Quote-dense data: one indexOf per quote costs more than looking at every byte.
      if (++hits === this.denseCheck) {
        if (p - since < this.denseCheck * DENSE_GAP) {
          const end = Math.min(len, p + this.denseSpan);
          const r = this.loop(view, p, end, min, s, before);
          if (r >= 0) {
            this.q = q;
            this.nl = nl;
            return r;
          }
          s = this.state;
          p = end;
        }
        hits = 0;
        since = p;
      }
    }
    this.state = s;
    this.q = q;
    this.nl = nl;
    return -1;
  }

  /**
   * `next` over `[from, end)` one byte at a time, in a tight loop per state. Returns like `next`; when it
   * finds nothing it leaves the state in `this.state`.
   */
  private loop(view: Buffer, from: number, end: number, min: number, state: number, before: number): number {
    const delim = this.delim;
    let s = state;
    let i = from;
    while (i < end) {
      if (s === OUT) {
        if (i < min) {
          const lim = min < end ? min : end;
          while (i < lim && view[i] !== QUOTE) i++;
          if (i === lim) continue;
        } else {
          let c = 0;
          while (i < end) {
            c = view[i];
            if (c === QUOTE || c === NL) break;
            i++;
          }
          if (i === end) break;
          if (c === NL) {
            this.state = OUT;
            return i + 1;
          }
        }
        const b = i > 0 ? view[i - 1] : before;
        if (b === delim || b === NL || b === CR) s = IN;
        i++;
      } else if (s === IN) {
        while (i < end && view[i] !== QUOTE) i++;
        if (i === end) break;
        s = AFTER_QUOTE;
        i++;
      } else if (view[i] === QUOTE) {
        s = IN;
        i++;
      } else s = OUT;
    }
    this.state = s;
    return -1;
  }
}

/**
 * Every record boundary (offset just past a record-ending `\n`) in an in-memory delimited text, in order.
 * For tests and tools; files are split with {@link splitDelimitedFile}, which never holds a whole file.
 */
export function findRecordBoundaries(data: Buffer, delimiter = ','): number[] {
  const scanner = new CsvScanner(delimiter);
  const out: number[] = [];
  let p = 0;
  while (p < data.length) {
    const b = scanner.next(data, p, p);
    if (b < 0) break;
    out.push(b);
    p = b;
  }
  return out;
}

export interface DelimitedSplitOptions extends SplitOptions {
  /** Field separator (default `,`). */
  delimiter?: string;
  /** The file starts with a header record, which no range includes. */
  hasHeader: boolean;
}

/**
 * Splits one delimited file into byte ranges of whole records, each about `miniBatchSize` bytes (a range
 * ends at the first record boundary at or after `start + miniBatchSize`), skipping the header record when
 * `hasHeader`. A file whose data fits in `miniBatchSize` is one range and is not read past its header.
 * Empty files and header-only files give no range.
 */
export async function splitDelimitedFile(file: string, options: DelimitedSplitOptions): Promise<FileSplit> {
  const fh = await fsp.open(file, 'r');
  let reader: ChunkReader | undefined;
  try {
    const size = (await fh.stat()).size;
    if (size === 0)
      return { size, headerEnd: options.hasHeader ? 0 : null, ranges: [], ...(options.maxRecords !== undefined ? { records: 0 } : {}) };
    reader = new ChunkReader(fh, size, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
    const cursor = new BoundaryCursor(reader, new CsvScanner(options.delimiter), options.signal);
    const headerEnd = options.hasHeader ? await readHeaderEnd(cursor, size) : null;
    const { ranges, records } = await splitSequential(cursor, size, headerEnd ?? 0, options);
    return { size, headerEnd, ranges, ...(records !== undefined ? { records } : {}) };
  } finally {
    await reader?.settle();
    await fh.close();
  }
}
