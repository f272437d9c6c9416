/** Shared helpers for the partition tests: temp folders, a ParallelJob builder, a reference CSV parser. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { InputData, ParallelJob, TabularFormat } from '../../../src/core/spec/types';
import { makeParallelJob } from '../../support/parallel-job';

/** A fresh temp folder (removed at process exit). */
export function tempDir(prefix = 'prs-partition-'): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes `files` (relative path → content) under `root`, creating folders. */
export function writeTree(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
}

/** A ParallelJob with every required field filled; `inputData` and the overrides are what tests vary. */
export function makeJob(inputData: InputData, overrides: Partial<ParallelJob> = {}): ParallelJob {
  return makeParallelJob({ dir: path.dirname(inputData.path), inputData }, overrides);
}

export function filesInput(p: string, type: 'uri_folder' | 'uri_file' = 'uri_folder'): InputData {
  return { kind: 'files', inputName: 'input_data', type, path: p };
}

export function tableInput(root: string, files: string[], tabular: Partial<TabularFormat> = {}, partitionFormat?: string): InputData {
  return {
    kind: 'tabular',
    inputName: 'input_data',
    type: 'mltable',
    path: root,
    files,
    tabular: { format: 'delimited', delimiter: ',', header: 'all_files_same_headers', encoding: 'utf8', source: 'paths', ...tabular },
    ...(partitionFormat ? { partitionFormat } : {}),
  };
}

export const planOptions = (workDir: string) => ({ python: 'python3-not-used', pythonPath: '/nonexistent', workDir });

/**
 * Reference CSV record splitter, deliberately simple and independent of the code under test (pandas C-parser
 * quoting): returns the offset just past every record-ending `\n`. A `"` opens a quoted field only at the
 * start of a field; inside, `""` is a literal quote; a closing quote ends the quoted part.
 */
export function referenceBoundaries(data: Buffer, delimiter = ','): number[] {
  const d = delimiter.charCodeAt(delimiter.length - 1);
  const out: number[] = [];
  let fieldStart = true;
  let inQuotes = false;
  for (let i = 0; i < data.length; i++) {
    const c = data[i];
    if (inQuotes) {
      if (c === 0x22) {
        if (data[i + 1] === 0x22) i++;
        else inQuotes = false;
      }
      fieldStart = false;
      continue;
    }
    if (c === 0x22 && fieldStart) {
      inQuotes = true;
      fieldStart = false;
    } else if (c === 0x0a) {
      out.push(i + 1);
      fieldStart = true;
    } else fieldStart = c === d || c === 0x0d;
  }
  return out;
}

/** Deterministic PRNG (mulberry32) so property tests are reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
