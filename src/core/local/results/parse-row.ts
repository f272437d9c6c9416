/** One record of the append_row output split into fields, the inverse of pandas' `to_csv` quoting. */

export interface SplitRecord {
  fields: string[];
  /**
   * False when the record could not have come from `to_csv` with this dialect (an unclosed quote, text
   * after a closing quote, a quote inside an unquoted field): a sign the output holds list elements.
   */
  wellFormed: boolean;
}

/**
 * Splits `line` on `sep`, honouring `quoteChar` as pandas writes it (QUOTE_MINIMAL): a field that holds the
 * separator, the quote or a newline is wrapped in quotes with inner quotes doubled.
 */
export function parseRow(line: string, sep: string, quoteChar: string | null = '"'): string[] {
  return splitRecord(line, sep, quoteChar).fields;
}

/** `parseRow`, also saying whether the record is well-formed `to_csv` output. */
export function splitRecord(line: string, sep: string, quoteChar: string | null = '"'): SplitRecord {
  if (sep.length === 0) return { fields: [line], wellFormed: true };
  const fields: string[] = [];
  let wellFormed = true;
  let i = 0;
  for (;;) {
    let field = '';
    if (quoteChar !== null && line.startsWith(quoteChar, i)) {
      i += quoteChar.length;
      let closed = false;
      while (i < line.length) {
        if (line.startsWith(quoteChar, i)) {
          if (line.startsWith(quoteChar, i + quoteChar.length)) {
            field += quoteChar;
            i += 2 * quoteChar.length;
            continue;
          }
          i += quoteChar.length;
          closed = true;
          break;
        }
        field += line[i];
        i += 1;
      }
      if (!closed) wellFormed = false;
      // Text between a closing quote and the next separator: keep it rather than lose data.
      const next = line.indexOf(sep, i);
      const end = next < 0 ? line.length : next;
      if (end > i) {
        field += line.slice(i, end);
        wellFormed = false;
      }
      i = end;
    } else {
      const next = line.indexOf(sep, i);
      const end = next < 0 ? line.length : next;
      field = line.slice(i, end);
      if (quoteChar !== null && field.includes(quoteChar)) wellFormed = false;
      i = end;
    }
    fields.push(field);
    if (i >= line.length) break;
    i += sep.length;
    if (i === line.length) {
      fields.push(''); // a trailing separator ends with an empty field
      break;
    }
  }
  return { fields, wellFormed };
}
