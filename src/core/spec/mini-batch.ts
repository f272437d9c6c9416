/** mini_batch_size and partition_keys: how input_data is cut into mini-batches. */
import type { SpecContext } from './context';
import { fieldValue, nodeAt, type ValueScope } from './scalars';
import { parseSizeString } from './size';
import type { InputData, TableStep } from './types';
import type { YamlMap } from './yaml-source';
import { partitionFormatColumns } from './mltable-transformations';
import { didYouMean } from './suggest';
import { DRIVER_DEFAULTS } from './driver-defaults';

export interface MiniBatchSize {
  size: number;
  /** As written, for display. */
  text: string;
}

const DEFAULTS: Record<InputData['kind'], MiniBatchSize> = {
  files: { size: DRIVER_DEFAULTS.miniBatchFiles, text: String(DRIVER_DEFAULTS.miniBatchFiles) },
  tabular: { size: DRIVER_DEFAULTS.miniBatchBytes, text: DRIVER_DEFAULTS.miniBatchBytesText },
};

/** Files: a count of files. Tabular: bytes, from a size string. Unset: 10 files or 1MB. */
export function readMiniBatchSize(map: YamlMap, kind: InputData['kind'] | undefined, scope: ValueScope): MiniBatchSize | undefined {
  const field = fieldValue(map, 'mini_batch_size', scope);
  if (!field) return nodeAt(map, 'mini_batch_size') ? undefined : DEFAULTS[kind ?? 'files'];
  const text = String(field.value).trim();
  const from = field.via ? ` (from ${field.via})` : '';
  const size = typeof field.value === 'boolean' ? undefined : parseSizeString(text);
  const { findings } = scope.ctx;
  if (size === undefined) {
    findings.error(
      'size-string',
      field.node.loc,
      `mini_batch_size "${text}"${from} is not a size: digits, optionally followed by kb, mb or gb.`,
      kind === 'files'
        ? 'Write a number of files, e.g. `mini_batch_size: "10"`.'
        : 'Write e.g. `mini_batch_size: "10mb"` (units are ×1024) or a number of bytes.',
    );
    return undefined;
  }
  if (kind === 'files' && !/^\d+$/.test(text)) {
    findings.error(
      'mini-batch-size',
      field.node.loc,
      `mini_batch_size "${text}"${from} is a size in bytes, but input_data is files: it counts files per mini-batch.`,
      `Write the number of files, e.g. \`mini_batch_size: "10"\`.`,
    );
    return undefined;
  }
  if (size < 1) {
    findings.error(
      'mini-batch-size',
      field.node.loc,
      `mini_batch_size is ${text}${from}; a mini-batch needs at least one ${kind === 'tabular' ? 'byte' : 'file'}.`,
      kind === 'tabular' ? 'Use a positive size such as "1mb".' : 'Use a positive number of files such as "10".',
    );
    return undefined;
  }
  return { size, text };
}

/** A list of key names; anything else is reported. */
export function readPartitionKeys(map: YamlMap, ctx: SpecContext): string[] | undefined {
  const node = nodeAt(map, 'partition_keys');
  if (!node) return undefined;
  const keys =
    node.kind === 'seq'
      ? node.items.map((item) => (item.kind === 'scalar' && typeof item.value === 'string' ? item.value : undefined))
      : [];
  if (node.kind !== 'seq' || keys.length === 0 || keys.some((k) => k === undefined || k.trim() === '')) {
    ctx.findings.error(
      'partition-keys',
      node.loc,
      'partition_keys must be a non-empty list of key names (strings).',
      'Write e.g. `partition_keys: [Store, Brand]`.',
    );
    return undefined;
  }
  const size = nodeAt(map, 'mini_batch_size');
  if (size) {
    ctx.findings.warning(
      'partition-keys-mini-batch-size',
      size.loc,
      'mini_batch_size is ignored: with partition_keys each mini-batch is one partition (v2 behaviour; v1 refused both).',
      'Remove mini_batch_size, or remove partition_keys to cut mini-batches by size.',
    );
  }
  return keys as string[];
}

/**
 * partition_keys name columns: of the table (checked when it is read), or, for a table of files, of its
 * `extract_columns_from_partition_format`. Never folder positions: a plain uri_folder has no key names.
 */
export function checkPartitionKeyNames(map: YamlMap, keys: string[], input: InputData, ctx: SpecContext): boolean {
  const node = nodeAt(map, 'partition_keys')!;
  if (input.kind === 'tabular') {
    // The file columns are known only when read; a key the MLTable's own steps remove is known now.
    const removed = keys.map((k) => [k, removedBy(k, input.tabular.steps ?? [])] as const).filter(([, by]) => by);
    for (const [key, by] of removed)
      ctx.findings.error(
        'partition-keys',
        node.loc,
        `partition_keys \`${key}\` is removed by the MLTable's \`${by}\` before the rows are grouped (${input.tabular.source}).`,
        `Keep \`${key}\` in the table (remove it from ${by}), or group by another column.`,
      );
    return removed.length === 0;
  }
  const layout = `${keys.map((k) => `{${k}}`).join('/')}/{file_name}`;
  if (input.partitionFormat === undefined) {
    const what = input.type === 'mltable' ? 'its MLTable has no extract_columns_from_partition_format' : `it is a ${input.type}`;
    ctx.findings.error(
      'partition-keys',
      node.loc,
      `partition_keys [${keys.join(', ')}] name partition columns, but input_data \`${input.inputName}\` has none: ${what}.`,
      `Give \`${input.inputName}\` \`type: mltable\` and write a file named MLTable in its folder holding ` +
        `\`paths: [{pattern: "./**/*"}]\` and \`transformations: [{extract_columns_from_partition_format: {partition_format: "${layout}"}}]\`.`,
    );
    return false;
  }
  const names = partitionFormatColumns(input.partitionFormat);
  const unknown = keys.filter((k) => !names.includes(k));
  if (unknown.length === 0) return true;
  ctx.findings.error(
    'partition-keys',
    node.loc,
    `partition_keys ${unknown.map((k) => `\`${k}\``).join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not in the partition format ` +
      `"${input.partitionFormat}" of \`${input.inputName}\`, whose columns are ${names.join(', ')}.${didYouMean(unknown[0], names)}`,
    `Use names from the partition format, e.g. \`partition_keys: [${names.slice(0, keys.length).join(', ')}]\`.`,
  );
  return false;
}

/** The step that leaves `column` out of the table at the end of `steps`, if one does. */
function removedBy(column: string, steps: readonly TableStep[]): string | undefined {
  let by: string | undefined;
  for (const step of steps) {
    if (step.op === 'drop_columns' && step.columns.includes(column)) by = 'drop_columns';
    else if (step.op === 'keep_columns' && !step.columns.includes(column)) by = 'keep_columns';
    else if (step.op === 'extract_columns_from_partition_format' && partitionFormatColumns(step.partitionFormat).includes(column))
      by = undefined;
  }
  return by;
}
