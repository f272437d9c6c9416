/** How a mini-batch's items read in reports: as the user knows them, never by the engine's own files. */
import type { MiniBatchData } from './partition/types';

/**
 * File paths; `file.csv bytes 120-9000` for a range of a table; for a partition-key group (held in a
 * scratch pickle under `.prs/`) its key values, e.g. `Store=1000, Brand=dominicks (121 rows)`.
 */
export function describeItems(data: MiniBatchData, partitionKeyValue: Record<string, string> = {}): string[] {
  switch (data.kind) {
    case 'files':
      return data.files;
    case 'range':
      return [`${data.file} bytes ${data.start}-${data.end}`];
    case 'pickle': {
      const keys = Object.entries(partitionKeyValue).map(([k, v]) => `${k}=${v}`);
      return [`${keys.length ? keys.join(', ') : 'partition'} (${data.rows} rows)`];
    }
  }
}
