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
    const sources = new Map<string, fs.FileHandle>();
    const buffer = Buffer.allocUnsafe(1 << 20);
    let written = 0;
    const open = async (file: string) => {
      let source = sources.get(file);
      if (!source) {
        source = await fs.open(file, 'r');
        sources.set(file, source);
      }
      return source;
    };
    try {
      const indexes = [...this.ranges.keys()].sort((a, b) => a - b);
      // Each worker wrote the header before its first DataFrame; the output gets it once, at the top.
      const withHeader = indexes.map((i) => this.ranges.get(i)!).find((r) => r.headerBytes > 0);
      if (withHeader) {
        const header = Buffer.alloc(withHeader.headerBytes);
        await (await open(withHeader.file)).read(header, 0, header.length, withHeader.start);
        await out.write(header);
        written += header.length;
      }
      for (const index of indexes) {
        const range = this.ranges.get(index)!;
        const source = await open(range.file);
        for (let pos = range.start + range.headerBytes; pos < range.end; ) {
          const want = Math.min(buffer.length, range.end - pos);
          const { bytesRead } = await source.read(buffer, 0, want, pos);
          if (bytesRead === 0) throw new Error(`append_row temp file ${range.file} is shorter than the worker reported (${pos} < ${range.end})`);
          await out.write(buffer, 0, bytesRead);
          pos += bytesRead;
          written += bytesRead;
        }
      }
    } finally {
      await Promise.all([...sources.values()].map((s) => s.close()));
      await out.close();
    }
    return written;
  }
}
