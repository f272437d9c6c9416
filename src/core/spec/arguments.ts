/**
 * program_arguments: split like a shell would, then the PRS driver's own options taken out the way its
 * argparse parser does (`allow_abbrev=False`, `parse_known_args`): everything else reaches the entry script.
 */
import type { DriverArguments } from './types';
import { DRIVER_DEFAULTS } from './driver-defaults';

export interface ArgumentSplit {
  tokens: string[];
  /** The quote character left open at the end of the text, if any. */
  unterminatedQuote?: '"' | "'";
}

/** Splits `--model "my model" --k 3` into `['--model', 'my model', '--k', '3']` (POSIX shell rules). */
export function splitArguments(text: string): string[] {
  return splitArgumentsChecked(text).tokens;
}

export function splitArgumentsChecked(text: string): ArgumentSplit {
  const tokens: string[] = [];
  let current = '';
  let inToken = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else current += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = undefined;
      else if (ch === '\\' && i + 1 < text.length && '"\\$`\n'.includes(text[i + 1])) {
        i++;
        if (text[i] !== '\n') current += text[i];
      } else current += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inToken = true;
    } else if (ch === '\\' && i + 1 < text.length) {
      i++;
      if (text[i] !== '\n') current += text[i];
      inToken = true;
    } else if (/\s/.test(ch)) {
      if (inToken) tokens.push(current);
      current = '';
      inToken = false;
    } else {
      current += ch;
      inToken = true;
    }
  }
  if (inToken) tokens.push(current);
  return { tokens, unterminatedQuote: quote };
}

export interface ArgumentProblem {
  option: string;
  message: string;
}

export interface ParsedDriverArguments {
  driver: DriverArguments;
  userArguments: string[];
  /** Values the driver's argparse would reject (a missing value, a number that is not one). */
  problems: ArgumentProblem[];
}

type OptionReader = (driver: DriverArguments, value: string, option: string) => string | undefined;

const integer =
  (assign: (d: DriverArguments, n: number) => void): OptionReader =>
  (d, value) => {
    if (!/^[-+]?\d+$/.test(value.trim())) return `expects an integer, got "${value}"`;
    assign(d, Number(value));
    return undefined;
  };

const decimal =
  (assign: (d: DriverArguments, n: number) => void): OptionReader =>
  (d, value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n)) return `expects a number, got "${value}"`;
    assign(d, n);
    return undefined;
  };

const keep: OptionReader = (d, value, option) => {
  d.other[option.slice(2)] = value;
  return undefined;
};

const TRUE_WORDS = ['true', '1', 'yes', 'y', 't', 'on'];
const FALSE_WORDS = ['false', '0', 'no', 'n', 'f', 'off'];

const boolean: OptionReader = (d, value) => {
  const word = value.trim().toLowerCase();
  if (!TRUE_WORDS.includes(word) && !FALSE_WORDS.includes(word)) return `expects True or False, got "${value}"`;
  d.appendRowDataframeHeader = TRUE_WORDS.includes(word);
  return undefined;
};

/** The driver's options this product honours or shows; each takes one value, as in the driver. */
const DRIVER_OPTIONS: Record<string, OptionReader> = {
  '--append_row_file_name': (d, v) => {
    d.appendRowFileName = v.toLowerCase();
    return undefined;
  },
  '--allowed_failed_percent': decimal((d, n) => (d.allowedFailedPercent = n)),
  '--task_overhead_timeout': integer((d, n) => (d.taskOverheadTimeout = n)),
  '--progress_update_timeout': integer((d, n) => (d.progressUpdateTimeout = n)),
  '--first_task_creation_timeout': integer((d, n) => (d.firstTaskCreationTimeout = n)),
  '--append_row_dataframe_header': boolean,
  '--error_threshold': integer((d, n) => (d.errorThreshold = n)),
  '--mini_batch_error_threshold': integer((d, n) => (d.miniBatchErrorThreshold = n)),
  // v1's name for mini_batch_error_threshold, still read by the driver.
  '--allowed_failed_count': integer((d, n) => (d.miniBatchErrorThreshold = n)),
  '--resource_monitor_interval': keep,
  '--copy_logs_to_parent': keep,
};

export const DRIVER_OPTION_NAMES = Object.keys(DRIVER_OPTIONS);

export function defaultDriverArguments(): DriverArguments {
  const d = DRIVER_DEFAULTS;
  return {
    appendRowFileName: d.appendRowFileName,
    allowedFailedPercent: d.allowedFailedPercent,
    taskOverheadTimeout: d.taskOverheadTimeout,
    progressUpdateTimeout: d.progressUpdateTimeout,
    firstTaskCreationTimeout: d.firstTaskCreationTimeout,
    appendRowDataframeHeader: d.appendRowDataframeHeader,
    other: {},
  };
}

/** Takes the driver's options out of `args`; the rest, unknown options included, stay in order. */
export function parseDriverArguments(args: string[]): ParsedDriverArguments {
  const driver = defaultDriverArguments();
  const userArguments: string[] = [];
  const problems: ArgumentProblem[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      // argparse treats everything after `--` as positional: none of it is the driver's.
      userArguments.push(...args.slice(i));
      break;
    }
    const [option, inlineValue] = splitOptionValue(arg);
    const read = Object.hasOwn(DRIVER_OPTIONS, option) ? DRIVER_OPTIONS[option] : undefined;
    if (!read) {
      userArguments.push(arg);
      continue;
    }
    let value = inlineValue;
    if (value === undefined && i + 1 < args.length && !looksLikeOption(args[i + 1])) value = args[++i];
    if (value === undefined) {
      // A bare `--append_row_dataframe_header` reads as "on"; argparse needs a value for the others.
      if (option === '--append_row_dataframe_header') driver.appendRowDataframeHeader = true;
      else problems.push({ option, message: `${option} expects one argument` });
      continue;
    }
    const problem = read(driver, value, option);
    if (problem) problems.push({ option, message: `${option} ${problem}` });
  }
  return { driver, userArguments, problems };
}

function splitOptionValue(arg: string): [string, string | undefined] {
  if (!arg.startsWith('--')) return [arg, undefined];
  const eq = arg.indexOf('=');
  return eq < 0 ? [arg, undefined] : [arg.slice(0, eq), arg.slice(eq + 1)];
}

// argparse takes `-1` as a value (the parser defines no option that looks like a negative number).
function looksLikeOption(arg: string): boolean {
  return arg.startsWith('-') && arg !== '-' && !/^-\d+(\.\d+)?$/.test(arg);
}
