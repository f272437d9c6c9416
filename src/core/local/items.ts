/** How a mini-batch's items read in reports: file paths, or a byte range of a table. */
import type { MiniBatchData } from './partition/types';

export function describeItems(data: MiniBatchData): string[] {
  switch (data.kind) {
    case 'files':
      return data.files;
    case 'range':
      return [`${data.file} bytes ${data.start}-${data.end}`];
    case 'pickle':
      return [`${data.file} (${data.rows} rows)`];
  }
}
