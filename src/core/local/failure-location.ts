/** Where a failure is in the user's own code: the frame people open first, before any library frame. */
import * as path from 'node:path';
import type { WorkerError } from './types';

type Frame = NonNullable<WorkerError['frames']>[number];

/**
 * The deepest frame inside the code folder (task.code), skipping installed packages that happen to live
 * there (a virtual environment's site-packages); undefined when no frame is the user's.
 */
export function userFrame(frames: readonly Frame[] | undefined, codeDir: string): Frame | undefined {
  if (!frames) return undefined;
  const root = path.resolve(codeDir) + path.sep;
  for (let i = frames.length - 1; i >= 0; i--) {
    if (!path.isAbsolute(frames[i].file)) continue;
    const file = path.resolve(frames[i].file);
    if (!file.startsWith(root) || /[\\/](site|dist)-packages[\\/]/.test(file.slice(root.length - 1))) continue;
    return frames[i];
  }
  return undefined;
}

/** The error with `location` set to its deepest frame in the code folder (when it has one). */
export function locate(error: WorkerError, codeDir: string): WorkerError {
  const location = userFrame(error.frames, codeDir);
  return location ? { ...error, location } : error;
}

/**
 * `file:line in function` lines for reports: the user's frame first, then the library frame that raised
 * (when the error came from inside a library); the innermost frame when none is the user's.
 */
export function locationLines(error: WorkerError): string[] {
  const frames = error.frames ?? [];
  const innermost = frames[frames.length - 1];
  const first = error.location ?? innermost;
  if (!first) return [];
  const lines = [`at ${first.file}:${first.line} in ${first.function}`];
  if (innermost && innermost !== first && (innermost.file !== first.file || innermost.line !== first.line)) {
    lines.push(`raised in ${innermost.file}:${innermost.line} in ${innermost.function}`);
  }
  return lines;
}
