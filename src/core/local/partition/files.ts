/** Mini-batches of a file input (`uri_folder` / `uri_file`): by count, or by folder partition keys. */
import * as path from 'node:path';
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
 * One mini-batch per distinct combination of the first `keys.length` folder levels under `root`
 * (`{Store}/{Brand}/{file}`: key i is the i-th folder name), in order of first appearance in `files`.
 * A file that sits fewer than `keys.length` folders deep is an error naming it, the keys and the layout.
 */
export function partitionByFolderKeys(
  root: string,
  files: readonly string[],
  keys: readonly string[],
  sizes?: readonly number[],
): MiniBatch[] {
  if (keys.length === 0) throw new Error('partition_keys is empty.');
  const absRoot = path.resolve(root);
  const prefix = absRoot.endsWith(path.sep) ? absRoot : absRoot + path.sep;
  const groups = new Map<string, MiniBatch>();
  const out: MiniBatch[] = [];
  for (let i = 0; i < files.length; i++) {
    const file = files[i];
    const rel = file.startsWith(prefix) ? file.slice(prefix.length) : path.relative(absRoot, file);
    const parts = path.sep === '/' ? rel.split('/') : rel.split(/[\\/]/);
    if (parts.length <= keys.length) {
      const layout = `${keys.map((k) => `{${k}}`).join('/')}/<file>`;
      throw new Error(
        `${file} is ${parts.length - 1} folder level(s) below the input folder ${absRoot}, but partition_keys ` +
          `[${keys.join(', ')}] need ${keys.length}: files must be laid out as ${layout} under the input folder.`,
      );
    }
    const values = parts.slice(0, keys.length);
    const id = values.join('\0');
    let batch = groups.get(id);
    if (!batch) {
      const kv: Record<string, string> = {};
      keys.forEach((k, j) => (kv[k] = values[j]));
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
