/**
 * Whether an append_row output holds DataFrame rows (split into columns) or list elements (one `row` each).
 * The file does not say: list elements are `str(elem)` lines and may look like space-separated fields
 * ("0.png: 7"). So the head of the file decides, and only with evidence that pandas wrote it: a separator
 * or header from the settings, a field pandas quoted, or a tabular input (whose run() returns DataFrames
 * as a rule). The page lets the user switch when the guess is wrong.
 */
import { promises as fs } from 'node:fs';
import type { AppendRowDialect } from './dialect';
import { splitRecord } from './parse-row';
import { RecordScanner, quoteByteOf } from './line-index';

export type ResultsLayout =
  /** `str(elem)` per line: one column. */
  | { kind: 'lines'; columns: ['row'] }
  /** `to_csv` rows; `start` is the byte offset after the header line, when there is one. */
  | { kind: 'table'; columns: string[]; start: number };

export interface DetectOptions {
  /** Evidence from elsewhere that run() returns DataFrames (the run's input is tabular). */
  preferTable?: boolean;
  /** Skip the guess: the user chose. */
  force?: ResultsLayout['kind'];
  /** The DataFrame's column names, when the worker reported them: used when the file has no header. */
  columns?: string[];
  /** How much of the file's head to look at. Default 64 KiB. */
  sampleBytes?: number;
  /** At most this many records are checked. Default 200. */
  sampleRecords?: number;
}

const LINES: ResultsLayout = { kind: 'lines', columns: ['row'] };

/** Decides the layout of `file` from its first records; reads only the head of the file. */
export async function detectLayout(file: string, dialect: AppendRowDialect, options: DetectOptions = {}): Promise<ResultsLayout> {
  if (options.force === 'lines') return LINES;
  const records = await headRecords(file, dialect, options.sampleBytes ?? 64 * 1024, options.sampleRecords ?? 200);
  const header = dialect.header && records.length > 0 ? records.shift()! : undefined;
  const named = options.columns;
  const columnsFrom = (count: number): string[] =>
    header
      ? splitRecord(header.text, dialect.sep, dialect.quoteChar).fields
      : Array.from({ length: count }, (_, i) => (named && named[i] !== undefined && named[i] !== '' ? named[i] : `Column${i + 1}`));
  const start = header?.end ?? 0;

  let columnCount = 0;
  let consistent = true;
  let quoted = false;
  for (const record of records) {
    const split = splitRecord(record.text, dialect.sep, dialect.quoteChar);
    if (!split.wellFormed || (columnCount > 0 && split.fields.length !== columnCount)) consistent = false;
    columnCount = Math.max(columnCount, split.fields.length);
    if (dialect.quoteChar !== null && record.text.includes(dialect.quoteChar)) quoted = true;
  }
  if (options.force === 'table') return { kind: 'table', columns: columnsFrom(Math.max(columnCount, 1)), start };
  if (records.length === 0 && !header) return LINES;
  if (!consistent || (columnCount < 2 && !header)) return LINES;
  const evidence =
    header !== undefined ||
    dialect.sep !== ' ' ||
    quoted ||
    options.preferTable === true ||
    (named !== undefined && named.length === columnCount);
  return evidence ? { kind: 'table', columns: columnsFrom(columnCount), start } : LINES;
}

/** The first whole records of `file` (quoted newlines kept inside), with the byte offset after each. */
async function headRecords(
  file: string,
  dialect: AppendRowDialect,
  sampleBytes: number,
  sampleRecords: number,
): Promise<{ text: string; end: number }[]> {
  const handle = await fs.open(file, 'r');
  let head: Buffer;
  let wholeFile: boolean;
  try {
    const size = (await handle.stat()).size;
    head = Buffer.alloc(Math.min(size, sampleBytes));
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    head = head.subarray(0, bytesRead);
    wholeFile = bytesRead >= size;
  } finally {
    await handle.close();
  }
  const scanner = new RecordScanner(quoteByteOf(dialect.quoteChar));
  const records: { text: string; end: number }[] = [];
  let from = 0;
  for (let end = scanner.nextEnd(head, from); end >= 0 && records.length < sampleRecords; end = scanner.nextEnd(head, from)) {
    records.push({ text: head.toString('utf8', from, end).replace(/\r$/, ''), end: end + 1 });
    from = end + 1;
  }
  // The last record counts only when the sample holds all of it.
  if (wholeFile && from < head.length && records.length < sampleRecords)
    records.push({ text: head.toString('utf8', from), end: head.length });
  return records;
}
