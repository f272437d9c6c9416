/**
 * A failed run in one glance: its failed attempts grouped by distinct error (type, first message line and
 * the user's deepest frame), and the headline every surface shows (panel, notification, status bar, runs
 * view): the first real error, where in the user's code, and how much it hit; the driver's run-level reason
 * comes second. Pure and browser-safe (no Node imports): the run panel's page uses it too.
 */
import type { FailureReason, WorkerError } from './run-types';

export interface Frame {
  file: string;
  line: number;
  function: string;
}

/** What grouping needs of a failed attempt: a `MiniBatchFailure`, or the panel's trimmed view of one. */
export interface FailureLike {
  index: number;
  attempt?: number;
  reason: FailureReason;
  final: boolean;
  items: string[];
  /** All items of the mini-batch when `items` was trimmed for display. */
  itemCount?: number;
  failedItems?: number;
  error: WorkerError & { userFrame?: Frame };
  /** The engine may record the deepest user frame itself; otherwise it is derived from the frames/traceback. */
  userFrame?: Frame;
}

export interface ErrorGroup<F extends FailureLike = FailureLike> {
  /** Stable within a run: `type|message|file:line`. */
  key: string;
  type: string;
  /** The message's first line. */
  message: string;
  reason: FailureReason;
  /** The deepest frame in the user's code, when the error has one. */
  frame?: Frame;
  /** Mini-batches this error ended (or, while retries are pending, hit), ascending. */
  miniBatches: number[];
  /** Items of those mini-batches that failed. */
  items: number;
  /** Every failed attempt with this error, retries included. */
  attempts: number;
  /** True when at least one mini-batch failed for good with it (no retry left). */
  final: boolean;
  /** The latest attempt with this error: its traceback and items stand for the group. */
  latest: F;
  /** The latest attempt of each mini-batch in the group, by mini-batch. */
  failures: F[];
}

export interface Headline {
  /** `ValueError: boom`. */
  error: string;
  /** `src/digit_identification.py:87` (relative to `root` when inside it), when the error has a user frame. */
  where?: string;
  frame?: Frame;
  /** `in 2 mini-batches (10 items)`, or `in 1 of 3 errors` … */
  scope: string;
  /** The driver's run-level reason, shown as a second line (absent when it says nothing more). */
  reason?: string;
  /** Distinct errors in the run. */
  distinctErrors: number;
}

export interface HeadlineOptions {
  /** The entry script's code folder: frames inside it are the user's. */
  codeDir?: string;
  /** Paths are shown relative to this folder (the workspace) when inside it. */
  root?: string;
}

/** Python's own library and installed packages: never "the user's line". */
const LIBRARY_PATH = /([\\/](site|dist)-packages[\\/])|([\\/]lib[\\/]python\d+(\.\d+)?[\\/])|([\\/]prs_worker[\\/])|(^<)/i;
const FRAME_LINE = /File "([^"\n]+)", line (\d+)(?:, in ([^\n]+))?/g;

/** The frames of an error: the structured ones the worker reports, else those of its traceback text. */
export function framesOf(error: WorkerError): Frame[] {
  if (error.frames && error.frames.length > 0) return error.frames;
  const frames: Frame[] = [];
  for (const m of (error.traceback ?? '').matchAll(FRAME_LINE))
    frames.push({ file: m[1], line: Number(m[2]), function: (m[3] ?? '').trim() });
  return frames;
}

/**
 * The deepest frame in the user's code: a frame the engine recorded (`error.location`), else the last frame inside `codeDir`,
 * else the last frame outside Python's library and installed packages.
 */
export function userFrame(failure: Pick<FailureLike, 'error' | 'userFrame'>, codeDir?: string): Frame | undefined {
  const recorded = failure.userFrame ?? failure.error.userFrame ?? failure.error.location;
  if (recorded && typeof recorded.file === 'string' && Number.isInteger(recorded.line)) return recorded;
  const frames = framesOf(failure.error);
  if (codeDir) {
    const inCode = frames.filter((f) => isInside(f.file, codeDir));
    if (inCode.length > 0) return inCode[inCode.length - 1];
  }
  const own = frames.filter((f) => !LIBRARY_PATH.test(f.file));
  return own[own.length - 1];
}

/**
 * Failed attempts grouped by distinct error, the group that ended most mini-batches first (ties: the one that
 * happened first). A mini-batch counts in the group of its latest attempt.
 */
export function groupFailures<F extends FailureLike>(failures: readonly F[], options: HeadlineOptions = {}): ErrorGroup<F>[] {
  const latestOf = new Map<number, F>();
  for (const f of failures) latestOf.set(f.index, f);
  const groups = new Map<string, ErrorGroup<F>>();
  const order: string[] = [];
  for (const f of failures) {
    const frame = userFrame(f, options.codeDir);
    const message = firstLine(f.error.message);
    const key = `${f.error.type}|${message}|${frame ? `${frame.file}:${frame.line}` : f.reason}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        key,
        type: f.error.type,
        message,
        reason: f.reason,
        frame,
        miniBatches: [],
        items: 0,
        attempts: 0,
        final: false,
        latest: f,
        failures: [],
      };
      groups.set(key, g);
      order.push(key);
    }
    g.attempts += 1;
    g.latest = f;
    if (latestOf.get(f.index) !== f) continue;
    g.miniBatches.push(f.index);
    g.failures.push(f);
    g.items += f.failedItems ?? f.itemCount ?? f.items.length;
    if (f.final) g.final = true;
  }
  const list = order.map((k) => groups.get(k)!);
  for (const g of list) {
    g.miniBatches.sort((a, b) => a - b);
    g.failures.sort((a, b) => a.index - b.index);
  }
  return list
    .map((g, i) => ({ g, i }))
    .sort((a, b) => Number(b.g.final) - Number(a.g.final) || b.g.miniBatches.length - a.g.miniBatches.length || a.i - b.i)
    .map(({ g }) => g);
}

/**
 * The headline of a run that had failures: its first real error, the user's `file:line`, how many
 * mini-batches and items it hit, and the driver's reason as a second line. Undefined without failures.
 */
export function failureHeadline(
  run: { reason?: string; failures: readonly FailureLike[] },
  options: HeadlineOptions = {},
): Headline | undefined {
  const groups = groupFailures(run.failures, options);
  const top = groups[0];
  if (!top) return undefined;
  const error = top.message ? `${top.type}: ${top.message}` : top.type;
  const scope = `in ${plural(top.miniBatches.length, 'mini-batch', 'mini-batches')}${top.items > 0 ? ` (${plural(top.items, 'item')})` : ''}`;
  const reason = run.reason && run.reason.trim() !== error ? run.reason.trim() : undefined;
  const headline: Headline = { error, scope, distinctErrors: groups.length };
  if (top.frame) {
    headline.frame = top.frame;
    headline.where = `${displayPath(top.frame.file, options.root)}:${top.frame.line}`;
  }
  if (reason) headline.reason = reason;
  return headline;
}

/** One sentence for a notification or a tooltip: `ValueError: boom at src/x.py:87, in 2 mini-batches (10 items).` */
export function headlineSentence(h: Headline, withReason = true): string {
  const more = h.distinctErrors > 1 ? `; ${plural(h.distinctErrors - 1, 'other error')}` : '';
  const main = `${trimPeriod(h.error)}${h.where ? ` at ${h.where}` : ''}, ${h.scope}${more}.`;
  return withReason && h.reason ? `${main} ${endWithPeriod(h.reason)}` : main;
}

/** `file` relative to `root` when it is inside it (forward slashes), else as it is. */
export function displayPath(file: string, root?: string): string {
  if (!root || !isInside(file, root)) return file;
  return normalise(file).slice(normalise(root).replace(/\/+$/, '').length + 1);
}

/** Text that ends with exactly one period (or another closing mark it already has). */
export function endWithPeriod(text: string): string {
  const t = text.trim().replace(/\.+$/, '');
  return /[!?…]$/.test(t) ? t : `${t}.`;
}

function trimPeriod(text: string): string {
  return text.trim().replace(/\.+$/, '');
}

function firstLine(text: string): string {
  return (text ?? '').split('\n', 1)[0].trim();
}

function isInside(file: string, dir: string): boolean {
  const f = normalise(file);
  const d = normalise(dir).replace(/\/+$/, '');
  return d.length > 0 && f.startsWith(`${d}/`);
}

function normalise(p: string): string {
  return p.replace(/\\/g, '/');
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
