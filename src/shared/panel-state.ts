/**
 * How panel state changes, shared by host and page so both hold the same state after the same messages:
 * the host folds run events into it, the page folds the host's deltas into its copy. No vscode, no Node.
 */
import { LOG_TAIL_LINES, type LogStream, type LogTail, type PanelDelta, type PanelState } from './protocol';

/** Longer lines are cut (a progress bar printed without newlines must not grow one line forever). */
export const MAX_LINE_CHARS = 4000;

export function emptyTail(): LogTail {
  return { lines: [], dropped: 0 };
}

/**
 * Feeds `text` written to `stream` into `tail`: a line left open by an earlier write of the same stream is
 * continued, `\r` rewrites the current line (as a terminal shows progress bars), and only the last `max`
 * lines are kept.
 */
export function appendLog(tail: LogTail, stream: LogStream, text: string, max = LOG_TAIL_LINES): void {
  const pieces = text.split('\n');
  for (let i = 0; i < pieces.length; i++) {
    const ends = i < pieces.length - 1;
    let piece = pieces[i];
    if (ends && piece.endsWith('\r')) piece = piece.slice(0, -1);
    if (!ends && piece === '') break;
    const last = tail.lines[tail.lines.length - 1];
    const continues = i === 0 && last !== undefined && last.open === true && last.stream === stream;
    let lineText = continues ? last.text + piece : piece;
    const cr = lineText.lastIndexOf('\r');
    if (cr >= 0) lineText = lineText.slice(cr + 1);
    if (lineText.length > MAX_LINE_CHARS) lineText = `${lineText.slice(0, MAX_LINE_CHARS)}…`;
    const line = continues ? last : { stream, text: '' };
    line.text = lineText;
    if (ends) delete line.open;
    else line.open = true;
    if (!continues) tail.lines.push(line);
  }
  const excess = tail.lines.length - max;
  if (excess > 0) {
    tail.lines.splice(0, excess);
    tail.dropped += excess;
  }
}

/** Folds a host update into the page's copy of the state. */
export function applyDelta(state: PanelState, delta: PanelDelta): void {
  if (delta.run) state.run = delta.run;
  if (delta.workers) state.workers = delta.workers;
  for (const log of delta.logs ?? []) {
    if (log.kind === 'replace') {
      state.logs[log.worker] = { lines: log.tail.lines.map((l) => ({ ...l })), dropped: log.tail.dropped };
    } else {
      const tail = (state.logs[log.worker] ??= emptyTail());
      for (const chunk of log.chunks) appendLog(tail, chunk.stream, chunk.text);
    }
  }
  if (delta.failures) state.failures.push(...delta.failures);
  if (delta.failuresOmitted !== undefined) state.failuresOmitted = delta.failuresOmitted;
  if (delta.warnings) state.warnings.push(...delta.warnings);
  if (delta.warningsOmitted !== undefined) state.warningsOmitted = delta.warningsOmitted;
}

/** A `file:line` a traceback names, with where it sits in the traceback's text. */
export interface TracebackLocation {
  file: string;
  line: number;
  /** `[start, end)` of `File "…", line N` in the text: the part shown as a link. */
  start: number;
  end: number;
}

const FRAME_LINE = /File "([^"\n]+)", line (\d+)/g;

/** The `File "…", line N` locations of a Python traceback, in order. */
export function tracebackLocations(traceback: string): TracebackLocation[] {
  const found: TracebackLocation[] = [];
  for (const m of traceback.matchAll(FRAME_LINE)) {
    const start = m.index ?? 0;
    found.push({ file: m[1], line: Number(m[2]), start, end: start + m[0].length });
  }
  return found;
}
