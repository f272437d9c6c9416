/**
 * A mini-batch as the engine schedules it: which items, where they come from, and the partition keys.
 * The data itself never travels to the worker: only paths and byte ranges do.
 */
import type { TableEncoding, TableReadOptions, TableStep } from '../../spec/types';

export type MiniBatchData =
  /** File input: absolute paths, in the order run() receives them. */
  | { kind: 'files'; files: string[] }
  /**
   * Tabular input: whole records between byte offsets `start` (inclusive) and `end` (exclusive) of one
   * file; never crosses a file. `header` names the bytes `[0, end)` of a file that hold the column names,
   * or is null when the table has no header row.
   */
  | {
      kind: 'range';
      file: string;
      start: number;
      end: number;
      format: 'delimited' | 'json_lines';
      delimiter: string;
      header: { file: string; end: number } | null;
      /** MLTable encoding (absent: utf8). */
      encoding?: TableEncoding;
      /** MLTable read options (absent: the defaults). */
      read?: TableReadOptions;
      /** MLTable steps the worker applies to the rows, in order (skip/take are already in the ranges). */
      steps?: TableStep[];
      /** all_files_different_headers: the union of the files' column names, which every range gets. */
      columns?: string[];
    }
  /** Tabular input grouped by partition_keys: one pickled DataFrame made by `prs_worker.partition`. */
  | { kind: 'pickle'; file: string; rows: number };

export interface MiniBatch {
  /** 0-based, in scheduling order; stable for a given input and spec. */
  index: number;
  data: MiniBatchData;
  /** Files: the number of files. Pickle: its rows. Range: unknown until a worker reads it. */
  items?: number;
  /** Bytes of input this mini-batch covers (files: sum of sizes; range: end - start). */
  bytes: number;
  /** partition_keys values for this mini-batch; `{}` when the job has none. */
  partitionKeyValue: Record<string, string>;
}

/** What part of the input a run covers. */
export interface SampleOptions {
  /** Only the first N mini-batches. */
  miniBatches?: number;
  /** Only the first N items (files, or rows of tabular data). */
  items?: number;
  /** Only these files (absolute paths), for file inputs. */
  files?: string[];
}

/** Totals known once partitioning finished. */
export interface PartitionSummary {
  miniBatches: number;
  /** Known for files and partition-key tables; undefined for byte ranges until workers count rows. */
  items?: number;
  bytes: number;
}
