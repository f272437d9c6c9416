/**
 * MLTable `extract_columns_from_partition_format`, as the `mltable` library reads it: the format describes
 * the END of each file's path, from the first partition segment to the file name, e.g.
 * `{Store}/{Brand}/{file_name}.{extension}` against `…/1000/dominicks/part.csv`. `{name}` matches within one
 * path segment, `{name:yyyy/MM/dd}` a date laid out over segments, `*` anything within a segment.
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
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function datePattern(layout: string): string {
  let out = '';
  for (let i = 0; i < layout.length; ) {
    const token = DATE_TOKENS.find(([t]) => layout.startsWith(t, i));
    if (token) {
      out += token[1];
      i += token[0].length;
    } else out += escape(layout[i++]);
  }
  return out;
}

export function compilePartitionFormat(format: string): CompiledPartitionFormat {
  const pattern = format.replace(/\\/g, '/').replace(/^\/+/, '');
  const columns: string[] = [];
  let source = '';
  let last = 0;
  for (const m of pattern.matchAll(/\{([^{}:]+)(?::([^{}]*))?\}|\*/g)) {
    source += escape(pattern.slice(last, m.index));
    last = m.index! + m[0].length;
    if (m[0] === '*') source += '[^/]*';
    else {
      columns.push(m[1].trim());
      source += `(${m[2] ? datePattern(m[2]) : '[^/]+'})`;
    }
  }
  source += escape(pattern.slice(last));
  return { format, regex: new RegExp(`(?:^|/)${source}$`), columns };
}

/** The partition values of `file` by column name, or undefined when its path does not fit the format. */
export function partitionValues(file: string, compiled: CompiledPartitionFormat): Record<string, string> | undefined {
  const m = compiled.regex.exec(file.replace(/\\/g, '/'));
  if (!m) return undefined;
  const values: Record<string, string> = {};
  compiled.columns.forEach((c, i) => (values[c] = m[i + 1]));
  return values;
}
