/**
 * The append_row output, assembled as the driver does (per-worker temp files concatenated at the end),
 * with one guarantee more: only bytes a worker reported as written for a mini-batch it finished are copied,
 * so a worker killed mid-write can never leave a torn line, and rows come out in mini-batch order.
 */
import { promises as fs } from 'node:fs';

interface CommittedRange {
  file: string;
  start: number;
  end: number;
  /** Bytes at `start` holding a DataFrame header (--append_row_dataframe_header): written once, on top. */
  headerBytes: number;
}

export class AppendRowOutput {
  private readonly ranges = new Map<number, CommittedRange>();

  /** Records that mini-batch `index` wrote `[start, end)` of `file` and finished. */
  commit(index: number, file: string, start: number, end: number, headerBytes = 0): void {
    if (end > start) this.ranges.set(index, { file, start, end, headerBytes });
  }

  get committedMiniBatches(): number {
    return this.ranges.size;
  }

  /** Writes the output file from the committed ranges, in mini-batch order; returns its size. */
  async write(outputFile: string): Promise<number> {
    const out = await fs.open(outputFile, 'w');
    const sink = new BufferedSink(out);
    const sources = new Map<string, WindowedSource>();
    const source = async (file: string) => {
      let s = sources.get(file);
      if (!s) {
        s = new WindowedSource(await fs.open(file, 'r'), file);
        sources.set(file, s);
      }
      return s;
    };
    try {
      const ranges = [...this.ranges.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
      // Each worker wrote the header before its first DataFrame; the output gets it once, at the top.
      const withHeader = ranges.find((r) => r.headerBytes > 0);
      if (withHeader) await (await source(withHeader.file)).copy(withHeader.start, withHeader.start + withHeader.headerBytes, sink);
      for (const range of ranges) await (await source(range.file)).copy(range.start + range.headerBytes, range.end, sink);
      await sink.flush();
      return sink.written;
    } finally {
      await Promise.all([...sources.values()].map((s) => s.close()));
      await out.close();
    }
  }
}

/**
 * Output through one large buffer: a run of 100,000 small mini-batches must not cost 100,000 writes.
 */
class BufferedSink {
  private readonly buffer = Buffer.allocUnsafe(1 << 20);
  private length = 0;
  written = 0;

  constructor(private readonly out: fs.FileHandle) {}

  async put(from: Buffer, start: number, end: number): Promise<void> {
    while (start < end) {
      const n = Math.min(end - start, this.buffer.length - this.length);
      from.copy(this.buffer, this.length, start, start + n);
      this.length += n;
      start += n;
      if (this.length === this.buffer.length) await this.flush();
    }
  }

  async flush(): Promise<void> {
    if (this.length === 0) return;
    await this.out.write(this.buffer, 0, this.length);
    this.written += this.length;
    this.length = 0;
  }
}

/**
 * A worker's temp file read through a window: its mini-batches mostly come in file order, so consecutive
 * ranges are served from memory instead of one read each.
 */
class WindowedSource {
  private readonly window = Buffer.allocUnsafe(256 << 10);
  private windowStart = 0;
  private windowLength = 0;

  constructor(
    private readonly handle: fs.FileHandle,
    private readonly file: string,
  ) {}

  async copy(from: number, to: number, sink: BufferedSink): Promise<void> {
    while (from < to) {
      if (from < this.windowStart || from >= this.windowStart + this.windowLength) {
        const { bytesRead } = await this.handle.read(this.window, 0, this.window.length, from);
        if (bytesRead === 0) throw new Error(`append_row temp file ${this.file} is shorter than the worker reported (${from} < ${to})`);
        this.windowStart = from;
        this.windowLength = bytesRead;
      }
      const end = Math.min(to, this.windowStart + this.windowLength);
      await sink.put(this.window, from - this.windowStart, end - this.windowStart);
      from = end;
    }
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}
