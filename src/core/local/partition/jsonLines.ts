/**
 * JSON lines files: a record is a line (a JSON string cannot hold a raw newline), so a split point only
 * needs the next `\n` after the target offset — a small read there, not a scan of the whole file.
 */
import * as fsp from 'node:fs/promises';
import { throwIfAborted } from './abort';
import {
  BoundaryCursor,
  ByteRange,
  ChunkReader,
  DEFAULT_CHUNK_SIZE,
  FileSplit,
  NL,
  RecordScanner,
  SplitOptions,
  splitSequential,
} from './scan';

/** Bytes read at a time when looking for the newline after a split target. */
const PROBE = 64 * 1024;

/** Record ends are simply newlines. */
class LineScanner implements RecordScanner {
  next(view: Buffer, from: number, min: number): number {
    const i = view.indexOf(NL, from > min ? from : min);
    return i < 0 ? -1 : i + 1;
  }
}

/**
 * Splits one JSON lines file into ranges of whole lines of about `miniBatchSize` bytes (a range ends at the
 * first line end at or after `start + miniBatchSize`). With `maxRecords` it reads sequentially to count lines.
 */
export async function splitJsonLinesFile(file: string, options: SplitOptions): Promise<FileSplit> {
  const fh = await fsp.open(file, 'r');
  let reader: ChunkReader | undefined;
  try {
    const size = (await fh.stat()).size;
    if (options.maxRecords !== undefined) {
      if (size === 0) return { size, headerEnd: null, ranges: [], records: 0 };
      reader = new ChunkReader(fh, size, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
      const cursor = new BoundaryCursor(reader, new LineScanner(), options.signal);
      const { ranges, records } = await splitSequential(cursor, size, 0, options);
      return { size, headerEnd: null, ranges, records };
    }
    return { size, headerEnd: null, ranges: await probeRanges(fh, size, options) };
  } finally {
    await reader?.settle();
    await fh.close();
  }
}

async function probeRanges(fh: fsp.FileHandle, size: number, options: SplitOptions): Promise<ByteRange[]> {
  const batch = Math.max(1, Math.floor(options.miniBatchSize) || 1);
  const maxRanges = options.maxRanges ?? Infinity;
  const ranges: ByteRange[] = [];
  const buf = Buffer.allocUnsafe(PROBE);
  let start = 0;
  while (start < size && ranges.length < maxRanges) {
    throwIfAborted(options.signal);
    if (size - start <= batch) {
      ranges.push({ start, end: size });
      break;
    }
    // First '\n' at offset >= start + batch - 1, so the range is at least `batch` bytes.
    let pos = start + batch - 1;
    let end = size;
    while (pos < size) {
      const { bytesRead } = await fh.read(buf, 0, Math.min(PROBE, size - pos), pos);
      if (bytesRead <= 0) break;
      const i = buf.subarray(0, bytesRead).indexOf(NL);
      if (i >= 0) {
        end = pos + i + 1;
        break;
      }
      pos += bytesRead;
      throwIfAborted(options.signal);
    }
    ranges.push({ start, end });
    start = end;
  }
  return ranges;
}
