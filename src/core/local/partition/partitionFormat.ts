/**
 * MLTable `extract_columns_from_partition_format`, as the `mltable` library reads it: the format describes
 * the END of each file's path, from the first partition segment to the file name, e.g.
 * `{Store}/{Brand}/{file_name}.{extension}` against `…/1000/dominicks/part.csv`. `{name}` matches within one
 * path segment, `{name:yyyy/MM/dd}` a date laid out over segments (its value reads `2021-03-05 00:00:00`, as
 * a table's datetime key does), `*` anything within a segment.
 * The worker's Python twin is `prs_worker.table.PartitionFormat`; both follow docs/semantics.md.
 */

const DATE_TOKENS: [string, string][] = [
  ['yyyy', '\\d{4}'],
  ['MM', '\\d{2}'],
  ['dd', '\\d{2}'],
  ['HH', '\\d{2}'],
  ['mm', '\\d{2}'],
  ['ss', '\\d{2}'],
];

export interface CompiledPartitionFormat {
  format: string;
  regex: RegExp;
  columns: string[];
  /** Date columns: the layout's tokens in order (`yyyy`, `MM`…), for the value's canonical text. */
  dates: Map<string, string[]>;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function datePattern(layout: string, tokens: string[]): string {
  let out = '';
  for (let i = 0; i < layout.length;) {
    const token = DATE_TOKENS.find(([t]) => layout.startsWith(t, i));
    if (token) {
      out += `(${token[1]})`;
      tokens.push(token[0]);
      i += token[0].length;
    } else out += escape(layout[i++]);
  }
  return out;
}

/** A date's parts as the worker's `str(datetime)` writes them: `2021-03-05 00:00:00`, like table keys. */
function dateText(parts: Record<string, string>): string {
  const p = (t: string, d: string): string => parts[t] ?? d;
  return `${p('yyyy', '1900')}-${p('MM', '01')}-${p('dd', '01')} ${p('HH', '00')}:${p('mm', '00')}:${p('ss', '00')}`;
}

export function compilePartitionFormat(format: string): CompiledPartitionFormat {
  const pattern = format.replace(/\\/g, '/').replace(/^\/+/, '');
  const columns: string[] = [];
  const dates = new Map<string, string[]>();
  let source = '';
  let last = 0;
  for (const m of pattern.matchAll(/\{([^{}:]+)(?::([^{}]*))?\}|\*/g)) {
    source += escape(pattern.slice(last, m.index));
    last = m.index! + m[0].length;
    if (m[0] === '*') source += '[^/]*';
    else {
      const name = m[1].trim();
      columns.push(name);
      if (m[2]) {
        const tokens: string[] = [];
        source += `(${datePattern(m[2], tokens)})`;
        dates.set(name, tokens);
      } else source += '([^/]+)';
    }
  }
  source += escape(pattern.slice(last));
  return { format, regex: new RegExp(`(?:^|/)${source}$`), columns, dates };
}

/** The partition values of `file` by column name, or undefined when its path does not fit the format. */
export function partitionValues(file: string, compiled: CompiledPartitionFormat): Record<string, string> | undefined {
  const m = compiled.regex.exec(file.replace(/\\/g, '/'));
  if (!m) return undefined;
  const values: Record<string, string> = {};
  let group = 1;
  for (const column of compiled.columns) {
    const tokens = compiled.dates.get(column);
    values[column] = m[group++];
    if (!tokens) continue;
    const parts: Record<string, string> = {};
    for (const t of tokens) parts[t] = m[group++];
    values[column] = dateText(parts);
  }
  return values;
}
