/** Mini-batches of a file input (`uri_folder` / `uri_file`): by count, or by folder partition keys. */
import { compilePartitionFormat, partitionValues } from './partitionFormat';
import type { MiniBatch } from './types';

/**
 * Splits `files` (already in order) into mini-batches of `miniBatchSize` files (at least 1).
 * `sizes[i]` is the size of `files[i]`; without it `bytes` is 0.
 */
export function partitionFiles(files: readonly string[], miniBatchSize: number, sizes?: readonly number[]): MiniBatch[] {
  const size = Math.max(1, Math.floor(miniBatchSize) || 1);
  const out: MiniBatch[] = [];
  for (let i = 0; i < files.length; i += size) {
    const end = Math.min(files.length, i + size);
    let bytes = 0;
    if (sizes) for (let k = i; k < end; k++) bytes += sizes[k];
    out.push({
      index: out.length,
      data: { kind: 'files', files: files.slice(i, end) },
      items: end - i,
      bytes,
      partitionKeyValue: {},
    });
  }
  return out;
}

/**
 * One mini-batch per distinct combination of the partition_keys values that `partitionFormat` (MLTable
 * `extract_columns_from_partition_format`) reads from each file's path, matched by name; in order of first
 * appearance in `files`. A file whose path does not fit the format is an error naming it and the format.
 */
export function partitionByFormat(
  files: readonly string[],
  partitionFormat: string,
  keys: readonly string[],
  sizes?: readonly number[],
): MiniBatch[] {
  if (keys.length === 0) throw new Error('partition_keys is empty.');
  const compiled = compilePartitionFormat(partitionFormat);
  const missing = keys.filter((k) => !compiled.columns.includes(k));
  if (missing.length > 0)
    throw new Error(
      `partition_keys ${missing.join(', ')} are not in the partition format "${partitionFormat}" (its columns: ${compiled.columns.join(', ')}).`,
    );
  const groups = new Map<string, MiniBatch>();
  const out: MiniBatch[] = [];
  for (let i = 0; i < files.length; i++) {
    const file = files[i];
    const values = partitionValues(file, compiled);
    if (!values)
      throw new Error(
        `${file} does not fit the partition format "${partitionFormat}" (it describes the end of each path, ` +
          `e.g. {Store}/{Brand}/{file_name}.csv): move the file into that layout or change the MLTable's paths to leave it out.`,
      );
    const id = keys.map((k) => values[k]).join('\0');
    let batch = groups.get(id);
    if (!batch) {
      const kv: Record<string, string> = {};
      for (const k of keys) kv[k] = values[k];
      batch = { index: out.length, data: { kind: 'files', files: [] }, items: 0, bytes: 0, partitionKeyValue: kv };
      groups.set(id, batch);
      out.push(batch);
    }
    (batch.data as { files: string[] }).files.push(file);
    batch.items!++;
    if (sizes) batch.bytes += sizes[i];
  }
  return out;
}
