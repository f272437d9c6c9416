/** `parallel_run_step.settings.json` in the code folder: the driver's overrides of the append_row writer. */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

export const SETTINGS_FILE = 'parallel_run_step.settings.json';

/** The driver's DataFrame.to_csv keywords for append_row, before overrides. */
const DEFAULT_TO_CSV = { sep: ' ', header: false, index: false } as const;

export function appendRowToCsvOptions(codeDir: string): Record<string, unknown> {
  const file = path.join(codeDir, SETTINGS_FILE);
  if (!existsSync(file)) return { ...DEFAULT_TO_CSV };
  return appendRowToCsvOptionsFromText(readFileSync(file, 'utf8'), file);
}

/** The same, from the settings file's text (a cloud job's copy, read from its code in the datastore); `file` names it in errors. */
export function appendRowToCsvOptionsFromText(text: string | undefined, file: string): Record<string, unknown> {
  if (text === undefined) return { ...DEFAULT_TO_CSV };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message}). Fix the file or remove it.`);
  }
  const overrides = (parsed as { append_row?: Record<string, unknown> })?.append_row?.['pandas.DataFrame.to_csv'];
  if (overrides === undefined) return { ...DEFAULT_TO_CSV };
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
    throw new Error(`${file}: "append_row" → "pandas.DataFrame.to_csv" must be an object of to_csv keywords, e.g. {"sep": ","}.`);
  }
  return { ...DEFAULT_TO_CSV, ...(overrides as Record<string, unknown>) };
}
