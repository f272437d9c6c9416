/**
 * One set of counts for every surface (panel stat cards and headings, status bar, runs view, notifications):
 * derived once from the engine's RunCounts and the run's status, so no two places can disagree. Browser-safe.
 */
import type { RunCounts, RunStatus } from './run-types';

export interface DerivedCounts {
  status: RunStatus;
  total: number;
  succeeded: number;
  failed: number;
  /** Never more than the worker processes, and 0 once the run has ended. */
  running: number;
  /** Mini-batches that never started: a threshold or a cancel stopped the run first. */
  notStarted: number;
  retried: number;
  /** succeeded + failed. */
  finished: number;
  items: { succeeded: number; failed: number; total?: number };
}

export function deriveCounts(status: RunStatus, counts: RunCounts, workers?: number): DerivedCounts {
  const mb = counts.miniBatches;
  const ended = status !== 'Running';
  const finished = mb.succeeded + mb.failed;
  const limit = workers && workers > 0 ? workers : Number.POSITIVE_INFINITY;
  const running = ended ? 0 : Math.max(0, Math.min(mb.running, limit, mb.total - finished));
  const notStarted = ended ? Math.max(0, mb.total - finished) : 0;
  return {
    status,
    total: mb.total,
    succeeded: mb.succeeded,
    failed: mb.failed,
    running,
    notStarted,
    retried: mb.retried,
    finished,
    items: { ...counts.items },
  };
}

/** Short, for a status bar item or a tree row: "100/100 ok", "0/10 ok, 10 failed", "canceled at 2/18 mini-batches". */
export function countsShort(c: DerivedCounts): string {
  if (c.status === 'Canceled') return `canceled at ${c.finished}/${c.total} mini-batches`;
  if (c.status === 'Running') return `${c.finished}/${c.total} mini-batches${c.failed ? `, ${c.failed} failed` : ''}`;
  const items = c.items;
  const itemTotal = items.total ?? items.succeeded + items.failed;
  const base = itemTotal > 0 ? `${items.succeeded}/${itemTotal} ok` : `${c.succeeded}/${c.total} ok`;
  if (c.status === 'Failed' && c.notStarted > 0) return `${base}, ${c.notStarted} not started`;
  return base;
}

/** One line for a tooltip or the panel's heading: "20 mini-batches: 18 ok, 2 failed, 1 retried · 96/100 items ok". */
export function countsLong(c: DerivedCounts): string {
  const parts = [`${c.succeeded} ok`];
  if (c.failed) parts.push(`${c.failed} failed`);
  if (c.running) parts.push(`${c.running} running`);
  if (c.notStarted) parts.push(`${c.notStarted} ${c.status === 'Canceled' ? 'canceled before they started' : 'never started'}`);
  if (c.retried) parts.push(`${c.retried} retried`);
  const items = c.items;
  const itemTotal = items.total ?? items.succeeded + items.failed;
  const itemText = items.failed ? `${items.succeeded} items ok, ${items.failed} failed` : `${items.succeeded}/${itemTotal} items ok`;
  return `${c.total} mini-batch${c.total === 1 ? '' : 'es'}: ${parts.join(', ')} · ${itemText}`;
}
