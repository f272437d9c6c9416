/**
 * The earlier runs of one node: the run folders beside a run (`<node>-<yyyymmdd-hhmmss>[-n]`), newest first,
 * each with the status its logs/job_result.txt starts with. Cheap: one small file per run, never summary.json.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { RunStatus } from '../local/types';
import type { RunRef } from '../../shared/run-ref';

export type { RunRef };

const STAMP = /-(\d{8})-(\d{6})(?:-\d+)?$/;
const STATUSES: RunStatus[] = ['Completed', 'Failed', 'Canceled'];

/** Up to `max` runs of `nodeName` in `runsFolder`, newest first; a folder without job_result.txt is still running (or cut off). */
export async function nodeRunHistory(runsFolder: string, nodeName: string, max = 20): Promise<RunRef[]> {
  let names: string[];
  try {
    names = (await fs.readdir(runsFolder, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
  const mine = names
    .filter((n) => n.startsWith(`${nodeName}-`) && STAMP.test(n.slice(nodeName.length)))
    .sort(byStampDescending)
    .slice(0, max);
  return Promise.all(
    mine.map(async (name): Promise<RunRef> => {
      const runDir = path.join(runsFolder, name);
      const ref: RunRef = { runDir, status: await statusOf(runDir) };
      const startedAt = stampTime(name);
      if (startedAt) ref.startedAt = startedAt;
      return ref;
    }),
  );
}

async function statusOf(runDir: string): Promise<RunStatus> {
  try {
    const first = (await fs.readFile(path.join(runDir, 'logs', 'job_result.txt'), 'utf8')).split('\n', 1)[0].trim();
    return (STATUSES as string[]).includes(first) ? (first as RunStatus) : 'Running';
  } catch {
    return 'Running';
  }
}

function stampTime(name: string): string | undefined {
  const m = STAMP.exec(name);
  if (!m) return undefined;
  const [d, t] = [m[1], m[2]];
  return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4, 6)}Z`;
}

function byStampDescending(a: string, b: string): number {
  const key = (n: string) => {
    const m = STAMP.exec(n)!;
    const suffix = /-(\d+)$/.exec(n.slice(0, m.index + m[0].length).slice(m.index + 16))?.[1];
    return `${m[1]}${m[2]}${String(Number(suffix ?? 1)).padStart(4, '0')}`;
  };
  return key(b).localeCompare(key(a));
}
