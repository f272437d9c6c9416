// Mini-batch progress from a parallel step's progress files, in the wording of the engine (which follows the cloud's
// layout) and of the cloud's driver: job_progress_overview.<time>.txt, logs/sys/metrics/*/progress.csv and
// logs/sys/job_report/processed_mini-batches.csv.
import type { CloudProgress } from './events';

/**
 * The last progress line of a job_progress_overview file: "Processed D of T mini-batches (S succeeded, F failed,
 * R retried)…; items: X succeeded, Y failed of Z". Undefined when no line has that shape.
 */
export function progressFromOverview(lines: readonly string[]): { progress: CloudProgress; line: string } | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = /Processed (\d+) of (\d+) mini-batches \((\d+) succeeded, (\d+) failed(?:, (\d+) retried)?\)/.exec(lines[i]);
    if (!m) continue;
    const progress: CloudProgress = { miniBatches: { total: Number(m[2]), succeeded: Number(m[3]), failed: Number(m[4]) } };
    if (m[5] !== undefined) progress.miniBatches.retried = Number(m[5]);
    const items = /items: (\d+) succeeded, (\d+) failed(?: of (\d+))?/.exec(lines[i]);
    if (items) progress.items = { succeeded: Number(items[1]), failed: Number(items[2]), ...(items[3] ? { total: Number(items[3]) } : {}) };
    return { progress, line: lines[i].replace(/^\S+Z\s+/, '') };
  }
  return undefined;
}

/** The cloud's progress.csv (`Datetime, Total Tasks, Scheduled Tasks, Completed Tasks, Failed Tasks`): its last row. */
export function progressFromProgressCsv(lines: readonly string[]): CloudProgress | undefined {
  if (lines.length < 2) return undefined;
  const header = splitCsv(lines[0]).map((h) => h.trim().toLowerCase());
  const col = (name: string) => header.indexOf(name);
  const [total, completed, failed] = [col('total tasks'), col('completed tasks'), col('failed tasks')];
  if (total < 0 || completed < 0) return undefined;
  for (let i = lines.length - 1; i >= 1; i--) {
    const cells = splitCsv(lines[i]);
    if (cells.length < header.length) continue;
    const f = failed >= 0 ? Number(cells[failed]) || 0 : 0;
    return { miniBatches: { total: Number(cells[total]) || 0, succeeded: Math.max(0, (Number(cells[completed]) || 0) - f), failed: f } };
  }
  return undefined;
}

/**
 * Counts rows of processed_mini-batches.csv as they arrive: the cloud's (`Mini-batch Id`, `Status`, RUN_DONE =
 * succeeded) or the engine's (`mini_batch`, `status` succeeded/failed). It gives no total.
 */
export class ProcessedMiniBatches {
  private statusColumn = -1;
  private readonly seen = new Map<string, boolean>();

  add(lines: readonly string[]): void {
    for (const line of lines) {
      if (!line.trim()) continue;
      const cells = splitCsv(line);
      if (this.statusColumn < 0) {
        this.statusColumn = cells.findIndex((c) => c.trim().toLowerCase() === 'status');
        if (this.statusColumn < 0) this.statusColumn = 1;
        if (cells.some((c) => /status/i.test(c))) continue; // the header
      }
      const status = (cells[this.statusColumn] ?? '').trim();
      if (status === 'pending') continue;
      this.seen.set(cells[0], status === 'RUN_DONE' || status === 'succeeded');
    }
  }

  get progress(): CloudProgress | undefined {
    if (this.seen.size === 0) return undefined;
    let ok = 0;
    for (const v of this.seen.values()) if (v) ok++;
    return { miniBatches: { succeeded: ok, failed: this.seen.size - ok } };
  }
}

/** One CSV line's cells (quoted cells with `""` inside). */
function splitCsv(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}
