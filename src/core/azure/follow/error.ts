// The first real error of a cloud job, lifted out of the parallel step's logs: the user's exception with the
// file:line of the user's frame, and the log it came from. Users otherwise hunt for it in a dozen files.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { CloudJobError } from './events';

export interface PythonFrame {
  file: string;
  line: number;
  function?: string;
}

export interface PythonException {
  type: string;
  message: string;
  frames: PythonFrame[];
  traceback: string;
}

/** Files of Python itself, installed packages and the parallel driver: never the user's frame. */
const notUserFile =
  /[\\/](site|dist)-packages[\\/]|[\\/]lib[\\/]python\d[^\\/]*[\\/]|^<|[\\/]prs_worker[\\/]|[\\/]azureml_sys[\\/]|[\\/]azureml_user[\\/]|[\\/]driver[\\/]|importlib/;

/**
 * The first Python traceback in `text` (indented or not, as job_error.txt indents them): for a chain ("During
 * handling of the above exception…"), the exception that ended it. Undefined when there is none.
 */
export function firstTraceback(text: string): PythonException | undefined {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => /^\s*Traceback \(most recent call last\):\s*$/.test(l));
  if (start < 0) return undefined;
  const indent = /^\s*/.exec(lines[start])![0].length;
  let frames: PythonFrame[] = [];
  let found: PythonException | undefined;
  const block: string[] = [];
  for (let i = start; i < lines.length; i++) {
    const raw = lines[i];
    const l = raw.slice(Math.min(indent, /^\s*/.exec(raw)![0].length));
    block.push(l);
    if (/^Traceback \(most recent call last\):/.test(l)) {
      frames = [];
      continue;
    }
    const f = /^\s+File "(.+)", line (\d+)(?:, in (.+))?$/.exec(l);
    if (f) {
      frames.push({ file: f[1], line: Number(f[2]), function: f[3] });
      continue;
    }
    if (/^\s/.test(l) || l === '') {
      if (found && l === '') continue;
      continue; // the source line under a frame, a caret line
    }
    if (/^(During handling of the above exception|The above exception was the direct cause)/.test(l)) {
      found = undefined;
      continue;
    }
    if (found) break; // the next entry of the log
    const e = /^([A-Za-z_][\w.]*)(?::\s?(.*))?$/.exec(l);
    if (!e) break;
    found = { type: e[1], message: e[2] ?? '', frames, traceback: '' };
  }
  if (!found) return undefined;
  found.traceback = block.join('\n').trimEnd();
  return found;
}

/** The deepest frame that is the user's (not Python's, a package's or the driver's); else the innermost. */
export function userFrameOf(frames: readonly PythonFrame[]): PythonFrame | undefined {
  for (let i = frames.length - 1; i >= 0; i--) if (!notUserFile.test(frames[i].file)) return frames[i];
  return frames[frames.length - 1];
}

/** The local file whose path ends the cloud's (`/mnt/…/wd/src/score.py` → `<code>/score.py`), longest match first. */
export function localFileFor(cloudFile: string, codeDirs: readonly string[]): string | undefined {
  const parts = cloudFile.split(/[\\/]/).filter(Boolean);
  for (let i = 0; i < parts.length; i++) {
    for (const dir of codeDirs) {
      const candidate = path.join(dir, ...parts.slice(i));
      if (existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

export interface StepLogs {
  step?: string;
  /** Artifact path → text, for the files that may hold the error. */
  files: Map<string, string>;
}

/** Where the real error is, most telling first: the user's error logs, then job_error.txt, then job_result.txt. */
function rank(file: string): number {
  if (/^logs\/user\/error\//.test(file)) return 0;
  if (/(^|\/)job_error\.txt$/.test(file)) return 1;
  if (/(^|\/)job_result\.txt$/.test(file)) return 2;
  if (/^logs\/user\/stderr\//.test(file)) return 3;
  if (/^user_logs\//.test(file)) return 4;
  return 5;
}

/** The first real error in a step's logs; undefined when none holds a traceback or a failure reason. */
export function liftError(logs: StepLogs, codeDirs: readonly string[] = []): CloudJobError | undefined {
  const files = [...logs.files.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  for (const file of files) {
    const text = logs.files.get(file) ?? '';
    const ex = firstTraceback(text);
    if (!ex) continue;
    const frame = userFrameOf(ex.frames);
    const error: CloudJobError = {
      message: ex.message ? `${ex.type}: ${ex.message}` : ex.type,
      type: ex.type,
      traceback: ex.traceback,
      logFile: file,
      ...(logs.step ? { step: logs.step } : {}),
    };
    if (frame) {
      error.frame = frame;
      const local = localFileFor(frame.file, codeDirs);
      if (local) error.localFile = local;
    }
    return error;
  }
  // No traceback: job_result.txt's reason (its first line is the status, the next the reason).
  for (const file of files.filter((f) => /(^|\/)job_result\.txt$/.test(f))) {
    const lines = (logs.files.get(file) ?? '').split(/\r?\n/).filter((l) => l.trim());
    const reason = lines.find((l, i) => i > 0 || !/^(Completed|Failed|Canceled)$/.test(l.trim()));
    if (reason) return { message: reason.trim(), logFile: file, ...(logs.step ? { step: logs.step } : {}) };
  }
  return undefined;
}
