/**
 * How the append_row output was written: the `DataFrame.to_csv` keywords the engine gave the workers
 * (the driver's defaults merged with `parallel_run_step.settings.json`), reduced to what reading needs.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export interface AppendRowDialect {
  /** Field separator of DataFrame rows (`to_csv(sep=…)`, the driver's default `" "`). */
  sep: string;
  /** The quote character pandas wraps fields in, or null when quoting is off (`quoting=csv.QUOTE_NONE`). */
  quoteChar: string | null;
  /** True when DataFrames were written with a header line in front (`header=True` or `dataframe_header`). */
  header: boolean;
}

export const DEFAULT_DIALECT: AppendRowDialect = { sep: ' ', quoteChar: '"', header: false };

/** `csv.QUOTE_NONE`: pandas then never quotes, so a quote character is just text. */
const QUOTE_NONE = 3;

/** The dialect for a set of `to_csv` keywords; unknown or mistyped keywords fall back to pandas' defaults. */
export function dialectFromToCsv(toCsv: Record<string, unknown> | null | undefined, dataframeHeader = false): AppendRowDialect {
  const options = toCsv ?? {};
  const sep = typeof options.sep === 'string' && options.sep.length > 0 ? options.sep : DEFAULT_DIALECT.sep;
  const quoteChar =
    options.quoting === QUOTE_NONE
      ? null
      : typeof options.quotechar === 'string' && options.quotechar.length === 1
        ? options.quotechar
        : '"';
  const header = dataframeHeader || options.header === true || Array.isArray(options.header);
  return { sep, quoteChar, header };
}

/** What the panel needs to know about a run's append_row output beyond the file itself. */
export interface RunOutputFormat {
  dialect: AppendRowDialect;
  /** The run's input: tabular inputs' run() returns DataFrames as a rule, file inputs' often lists. */
  inputKind?: 'files' | 'tabular';
}

/**
 * The output format of a run: from its summary, else from the worker config older engines left in `<runDir>/.prs/`;
 * the driver's defaults when the run has none (a run folder from elsewhere, or a summary_only run).
 */
export async function readRunOutputFormat(
  runDir: string,
  summary?: { outputFormat?: { toCsv?: Record<string, unknown>; dataframeHeader: boolean; inputKind: 'files' | 'tabular' } },
): Promise<RunOutputFormat> {
  // summary.json says it since internal folders stopped outliving the run; older runs kept .prs/worker-config.json.
  const recorded = summary?.outputFormat;
  if (recorded) return { dialect: dialectFromToCsv(recorded.toCsv, recorded.dataframeHeader === true), inputKind: recorded.inputKind };
  let text: string;
  try {
    text = await fs.readFile(path.join(runDir, '.prs', 'worker-config.json'), 'utf8');
  } catch {
    return { dialect: { ...DEFAULT_DIALECT } };
  }
  try {
    const config = JSON.parse(text) as {
      append_row?: { to_csv?: Record<string, unknown>; dataframe_header?: boolean } | null;
      input_kind?: unknown;
    };
    const format: RunOutputFormat = { dialect: dialectFromToCsv(config.append_row?.to_csv, config.append_row?.dataframe_header === true) };
    if (config.input_kind === 'files' || config.input_kind === 'tabular') format.inputKind = config.input_kind;
    return format;
  } catch {
    return { dialect: { ...DEFAULT_DIALECT } };
  }
}
