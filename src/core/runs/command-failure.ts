/**
 * Why a command step failed, from its output (user_logs/std_log.txt or the streamed tail): the last Python
 * exception and the user's deepest frame, else the last line it printed. Pure and browser-safe.
 */
import { userFrame, type Frame } from '../../shared/headline';

export interface CommandFailure {
  /** `ValueError: boom`, or the last line printed when there is no traceback. */
  error?: string;
  /** The deepest frame in the user's code (inside `codeDir` when given, else outside Python's library). */
  frame?: Frame;
}

const TRACEBACK_START = 'Traceback (most recent call last):';
const FRAME_LINE = /^\s+File "([^"\n]+)", line (\d+)(?:, in (.+))?$/;
/** The exception line that ends a traceback: `ValueError: boom`, `pkg.mod.Error: x`, `KeyboardInterrupt`. */
const EXCEPTION_LINE = /^([A-Za-z_][\w.]*)(?::\s?(.*))?$/;

/** The command's failure as a user reads it; empty when its output says nothing useful. */
export function commandFailure(output: string, codeDir?: string): CommandFailure {
  const lines = output.replace(/\r\n?/g, '\n').split('\n');
  const start =
    lines.lastIndexOf(TRACEBACK_START) >= 0
      ? lines.lastIndexOf(TRACEBACK_START)
      : lastIndexWhere(lines, (l) => l.trimEnd().endsWith(TRACEBACK_START));
  if (start >= 0) {
    const frames: Frame[] = [];
    let error: string | undefined;
    for (let i = start + 1; i < lines.length; i++) {
      const line = lines[i];
      const m = FRAME_LINE.exec(line);
      if (m) {
        frames.push({ file: m[1], line: Number(m[2]), function: (m[3] ?? '').trim() });
        continue;
      }
      if (/^\s/.test(line) || line === '') continue; // the frame's source line, or a caret line
      if (EXCEPTION_LINE.test(line.trim())) {
        error = line.trim();
        break;
      }
    }
    const frame = userFrame({ error: { type: '', message: '', frames } }, codeDir);
    return { ...(error ? { error } : {}), ...(frame ? { frame } : {}) };
  }
  const last = lastIndexWhere(lines, (l) => l.trim() !== '');
  return last >= 0 ? { error: lines[last].trim() } : {};
}

function lastIndexWhere(lines: string[], test: (line: string) => boolean): number {
  for (let i = lines.length - 1; i >= 0; i--) if (test(lines[i])) return i;
  return -1;
}
