/**
 * append_row outputs as pandas 1.5.3 writes them: `DataFrame.to_csv(sep=…, header=None, index=None)` of
 * a frame with a space, quotes, a newline, unicode, an empty string and a NaN in it (generated once).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const FRAME_ROWS = [
  ['a b.png', '1', '0.5'],
  ['say "hi"', '2', ''],
  ['multi\nline', '3', '1.25'],
  ['ünï 😀', '4', '-3.0'],
  ['', '5', '0.0'],
  ['plain', '6', '1e-07'],
];

export const TO_CSV: Record<string, string> = {
  ' ': '"a b.png" 1 0.5\n"say ""hi""" 2 \n"multi\nline" 3 1.25\n"ünï 😀" 4 -3.0\n 5 0.0\nplain 6 1e-07\n',
  ',': 'a b.png,1,0.5\n"say ""hi""",2,\n"multi\nline",3,1.25\nünï 😀,4,-3.0\n,5,0.0\nplain,6,1e-07\n',
  '|': 'a b.png|1|0.5\n"say ""hi"""|2|\n"multi\nline"|3|1.25\nünï 😀|4|-3.0\n|5|0.0\nplain|6|1e-07\n',
  '\t': 'a b.png\t1\t0.5\n"say ""hi"""\t2\t\n"multi\nline"\t3\t1.25\nünï 😀\t4\t-3.0\n\t5\t0.0\nplain\t6\t1e-07\n',
};

/** The same frame with `header=True`. */
export const TO_CSV_WITH_HEADER = `file label score\n${TO_CSV[' ']}`;

/** Writes `content` to a fresh temp file and returns its path. */
export function tempFile(content: string | Buffer, name = 'out.txt'): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'prs-results-')), name);
  writeFileSync(file, content);
  return file;
}
