// A local copy of a job's log file that grows with it: the first read downloads it whole, each later one appends
// only the bytes after the copy's end (a Range read), and a blob that was rewritten shorter replaces the copy.
import { appendFile, mkdir, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { JobLogFile, JobLogs } from './job-logs';

/** A path segment safe on every file system: no `..`, no separators or reserved characters. */
const safe = (s: string) => {
  const clean = [...s].map((c) => (c < ' ' || '<>:"|?*/\\'.includes(c) ? '_' : c)).join('');
  return clean === '.' || clean === '..' || clean === '' ? '_' : clean;
};

/** Where a file of `job` goes under `jobDir`: `<jobDir>/logs/<step, or the job for its own logs>/<artifact path>`. */
export function localLogPath(jobDir: string, job: string, file: Pick<JobLogFile, 'step' | 'path'>): string {
  return path.join(jobDir, 'logs', safe(file.step ?? job), ...file.path.split('/').map(safe));
}

export interface LocalCopy {
  /** The local file. */
  file: string;
  /** Its size now. */
  size: number;
  /** Bytes this update added (all of them on the first read or a rewrite). */
  added: number;
  /** The copy was written from the start (first read, or the blob was rewritten). */
  whole: boolean;
}

/** Brings the copy of `file` at `dest` up to date, reading only what the blob has past the copy's end. */
export async function updateLocalCopy(logs: JobLogs, file: JobLogFile, dest: string, signal?: AbortSignal): Promise<LocalCopy> {
  const had = await stat(dest).then(
    (s) => s.size,
    () => undefined,
  );
  const r = await logs.read(file, had ?? 0, signal);
  await mkdir(path.dirname(dest), { recursive: true });
  if (had === undefined || r.reset) {
    await writeFile(dest, r.bytes);
    return { file: dest, size: r.bytes.length, added: r.bytes.length, whole: true };
  }
  if (r.bytes.length) await appendFile(dest, r.bytes);
  return { file: dest, size: had + r.bytes.length, added: r.bytes.length, whole: false };
}
