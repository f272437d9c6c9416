/** A mini-batch of a past run (summary.json's record), as the engine takes it to run exactly that again. */
import type { MiniBatch } from '../local/partition/types';
import type { MiniBatchRecord } from '../local/types';

export function replayOf(record: MiniBatchRecord): MiniBatch {
  const items = record.data.kind === 'files' ? record.data.files.length : record.data.kind === 'pickle' ? record.data.rows : record.items;
  const bytes = record.data.kind === 'range' ? record.data.end - record.data.start : 0;
  return { index: record.index, data: record.data, partitionKeyValue: record.partitionKeyValue ?? {}, items, bytes };
}
