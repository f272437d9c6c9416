/** MLTable `skip` / `take`: positions in the whole table, in path order, whatever the mini-batches. */
import type { TableStep } from '../../spec/types';

/** Rows `[start, end)` of the whole table that survive the steps' skip/take, applied in order. */
export interface RowWindow {
  start: number;
  /** Infinity when no `take` bounds it. */
  end: number;
}

/** The window the steps leave; the other steps keep every row, so their place among skip/take is moot. */
export function rowWindow(steps: readonly TableStep[] | undefined): RowWindow {
  let start = 0;
  let end = Infinity;
  for (const step of steps ?? []) {
    if (step.op === 'skip') start = Math.min(start + step.count, end);
    else if (step.op === 'take') end = Math.min(end, start + step.count);
  }
  return { start, end };
}

/** The steps the worker applies to each mini-batch's rows: all but skip/take, in order. */
export function rowSteps(steps: readonly TableStep[] | undefined): TableStep[] {
  return (steps ?? []).filter((s) => s.op !== 'skip' && s.op !== 'take');
}
