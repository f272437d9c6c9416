/**
 * Two append_row outputs side by side (a cloud job's and a local run's): rows matched by their key, then the rows
 * only one side has and the rows whose other cells differ. Order never matters: the driver does not keep it.
 */
import type { AppendRowDialect } from '../../local/results/dialect';
import { ResultsReader } from '../../local/results/results-reader';

/** One append_row file and how to read it. */
export interface ResultsSource {
  /** "local run digit_identification-20261201-101500", "cloud job prs_abc". */
  label: string;
  file: string;
  dialect: AppendRowDialect;
  /** DataFrame column names, when known (a local run records them). */
  columns?: string[];
  /** The run's input was tabular (its rows are DataFrame rows as a rule). */
  preferTable?: boolean;
}

export interface CompareOptions {
  /** The key: a column name or 1-based column number (table rows). Default: the first column, or for list rows
   *  their leading token ("0.png" of "0.png: 7"). */
  key?: string;
  /** Read both sides as this layout; default: as the left side is read. */
  layout?: 'table' | 'lines';
  /** Numbers equal within this absolute difference count as equal. Default 0. */
  tolerance?: number;
  /** Compare cells as written: no reduction of absolute paths to their file name. */
  exact?: boolean;
  /**
   * Keys of the items the local run processed (its input files' names): rows the cloud has for other items are
   * "outside the sample", not missing. Used only when most local rows are keyed by these names.
   */
  localItems?: Set<string>;
  /** Rows listed per category at most (the counts are always complete). Default 1000. */
  maxListed?: number;
  signal?: AbortSignal;
}

export interface RowDifference {
  key: string;
  /** Columns whose cells differ, by name. */
  columns: string[];
  left: string[];
  right: string[];
}

export interface Comparison {
  left: { label: string; file: string; rows: number };
  right: { label: string; file: string; rows: number };
  layout: 'table' | 'lines';
  columns: string[];
  keyColumn: string;
  counts: {
    matched: number;
    equal: number;
    differing: number;
    onlyLeft: number;
    onlyRight: number;
    outsideSample: number;
    duplicateKeys: number;
  };
  /** Rows only the left (cloud) side has, among items the right side processed. */
  onlyLeft: { key: string; cells: string[] }[];
  onlyRight: { key: string; cells: string[] }[];
  /** Left rows for items the right side's sample did not include. */
  outsideSample: string[];
  differing: RowDifference[];
  /** Keys that occur more than once on a side: only their first rows were compared. */
  duplicateKeys: { key: string; left: number; right: number }[];
}

const ABSOLUTE_PATH = /^(\/|[A-Za-z]:[\\/]|\\\\)/;

/** A cell as compared: trimmed, an absolute path reduced to its file name (the cloud's paths are not this machine's). */
export function normaliseCell(cell: string, exact = false): string {
  const t = cell.trim();
  if (exact || !ABSOLUTE_PATH.test(t) || /\s/.test(t)) return t;
  return t.split(/[\\/]/).filter(Boolean).pop() ?? t;
}

/** The key and the rest of a list element's line: "0.png: 7" → ["0.png", "7"]; "/mnt/x/0.png 7" → ["0.png", "7"]. */
export function splitListRow(line: string, exact = false): [string, string] {
  const m = /^\s*([^\s,;\t]+?)[:]?(?:[\s,;\t]+|$)(.*)$/.exec(line);
  if (!m) return [line.trim(), ''];
  return [normaliseCell(m[1], exact), m[2].trim()];
}

interface KeyedRows {
  rows: number;
  columns: string[];
  layout: 'table' | 'lines';
  byKey: Map<string, { cells: string[]; count: number }>;
}

async function readKeyed(
  source: ResultsSource,
  layout: 'table' | 'lines' | undefined,
  key: string | undefined,
  o: CompareOptions,
): Promise<KeyedRows> {
  const reader = new ResultsReader(source.file, source.dialect, {
    layout,
    preferTable: source.preferTable,
    columns: source.columns,
    pageSize: 1000,
  });
  const byKey = new Map<string, { cells: string[]; count: number }>();
  const first = await reader.page(0);
  const columns = first.layout === 'lines' ? ['key', 'value'] : first.columns;
  if (first.layout === 'lines' && key !== undefined && key !== '1') {
    throw new Error(
      `--key ${key}: ${source.label} holds list elements (one value per line), keyed by their leading token; --key picks a column of DataFrame rows.`,
    );
  }
  const keyIndex = first.layout === 'lines' ? 0 : keyColumnIndex(key, first.columns, source);
  let rows = 0;
  for (let page = 0; ; page++) {
    if (o.signal?.aborted) throw Object.assign(new Error('Cancelled: the comparison.'), { name: 'AbortError' });
    const p = page === 0 ? first : await reader.page(page);
    if (p.page !== page) break; // clamped: past the end
    for (const raw of p.rows) {
      rows++;
      const cells = p.layout === 'lines' ? splitListRow(raw[0], o.exact) : raw.map((c) => normaliseCell(c, o.exact));
      const k = cells[keyIndex] ?? '';
      const seen = byKey.get(k);
      if (seen) seen.count++;
      else byKey.set(k, { cells, count: 1 });
    }
    if (page >= p.pageCount - 1) break;
  }
  return { rows, columns, layout: first.layout, byKey };
}

function keyColumnIndex(key: string | undefined, columns: string[], source: ResultsSource): number {
  if (key === undefined) return 0;
  if (/^\d+$/.test(key)) {
    const n = Number(key);
    if (n >= 1 && n <= columns.length) return n - 1;
    throw new Error(
      `--key ${key}: ${source.label} has ${columns.length} column${columns.length === 1 ? '' : 's'} (${columns.join(', ')}); give a number from 1 to ${columns.length} or a column name.`,
    );
  }
  const i = columns.indexOf(key);
  if (i < 0)
    throw new Error(
      `--key ${key}: ${source.label} has no column ${key}; its columns: ${columns.join(', ')}. Give one of those names or a column number.`,
    );
  return i;
}

function cellsEqual(a: string | undefined, b: string | undefined, tolerance: number): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  const x = Number(a);
  const y = Number(b);
  if (a.trim() === '' || b.trim() === '' || !Number.isFinite(x) || !Number.isFinite(y)) return false;
  return Math.abs(x - y) <= tolerance;
}

/** Compares `left` (the cloud's output, by convention) with `right` (the local run's). */
export async function compareResults(left: ResultsSource, right: ResultsSource, o: CompareOptions = {}): Promise<Comparison> {
  // The right side (a local run) knows how its rows were written; the left is read the same way.
  const r = await readKeyed(right, o.layout, o.key, o);
  // The cloud side records no column names: it takes the local run's, and the key by its position.
  const keyAt = r.layout === 'lines' || o.key === undefined ? o.key : String(keyColumnIndex(o.key, r.columns, right) + 1);
  const l = await readKeyed({ ...left, columns: left.columns ?? right.columns }, o.layout ?? r.layout, keyAt, o);
  const tolerance = o.tolerance ?? 0;
  const max = o.maxListed ?? 1000;
  const columns = r.columns.length >= l.columns.length ? r.columns : l.columns;
  const keyIndex = r.layout === 'lines' ? 0 : keyColumnIndex(o.key, r.columns, right);
  const out: Comparison = {
    left: { label: left.label, file: left.file, rows: l.rows },
    right: { label: right.label, file: right.file, rows: r.rows },
    layout: r.layout,
    columns,
    keyColumn: columns[keyIndex] ?? 'key',
    counts: { matched: 0, equal: 0, differing: 0, onlyLeft: 0, onlyRight: 0, outsideSample: 0, duplicateKeys: 0 },
    onlyLeft: [],
    onlyRight: [],
    outsideSample: [],
    differing: [],
    duplicateKeys: [],
  };
  // The local run's items tell its sample apart only when its rows are keyed by them (most keys are item names).
  const rightKeys = [...r.byKey.keys()];
  const localItems =
    o.localItems && rightKeys.length > 0 && rightKeys.filter((k) => o.localItems!.has(k)).length * 2 >= rightKeys.length
      ? o.localItems
      : undefined;
  const keys = [...new Set([...l.byKey.keys(), ...rightKeys])].sort(naturalOrder);
  for (const k of keys) {
    const a = l.byKey.get(k);
    const b = r.byKey.get(k);
    if ((a?.count ?? 0) > 1 || (b?.count ?? 0) > 1) {
      out.counts.duplicateKeys++;
      if (out.duplicateKeys.length < max) out.duplicateKeys.push({ key: k, left: a?.count ?? 0, right: b?.count ?? 0 });
    }
    if (a && !b) {
      if (localItems && !localItems.has(k)) {
        out.counts.outsideSample++;
        if (out.outsideSample.length < max) out.outsideSample.push(k);
      } else {
        out.counts.onlyLeft++;
        if (out.onlyLeft.length < max) out.onlyLeft.push({ key: k, cells: a.cells });
      }
      continue;
    }
    if (b && !a) {
      out.counts.onlyRight++;
      if (out.onlyRight.length < max) out.onlyRight.push({ key: k, cells: b.cells });
      continue;
    }
    out.counts.matched++;
    const width = Math.max(a!.cells.length, b!.cells.length);
    const differs: string[] = [];
    for (let i = 0; i < width; i++) if (!cellsEqual(a!.cells[i], b!.cells[i], tolerance)) differs.push(columns[i] ?? `column ${i + 1}`);
    if (differs.length === 0) out.counts.equal++;
    else {
      out.counts.differing++;
      if (out.differing.length < max) out.differing.push({ key: k, columns: differs, left: a!.cells, right: b!.cells });
    }
  }
  return out;
}

/** "2.png" before "10.png". */
function naturalOrder(a: string, b: string): number {
  return a.localeCompare(b, undefined, { numeric: true });
}
