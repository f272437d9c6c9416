/**
 * Measurements that need a process of their own, so that peak RSS is theirs alone:
 *   node out/bench/child.js p3 <csv> <miniBatchBytes>               partitioning alone vs a raw read
 *   node out/bench/child.js p3e2e <csv> <miniBatchBytes> <processes>  a whole run: partition, parse, run()
 *   node out/bench/child.js p4 <folder>
 * Prints one JSON line.
 */
import { openSync, readSync, closeSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { runLocal } from '../src/core/local';
import { planMiniBatches } from '../src/core/local/partition';
import { workerPackageDir } from '../src/core/local/environment';
import type { ParallelJob } from '../src/core/spec/types';
import { benchJob } from './jobs';
import { peakRssMb, seconds, stats } from './measure';

function rawRead(file: string): number {
  const buf = Buffer.allocUnsafe(16 << 20);
  const fd = openSync(file, 'r');
  let total = 0;
  for (let n = readSync(fd, buf, 0, buf.length, null); n > 0; n = readSync(fd, buf, 0, buf.length, null)) total += n;
  closeSync(fd);
  return total;
}

function tableJob(file: string, bytes: number, over: Partial<ParallelJob> = {}): ParallelJob {
  return benchJob(
    path.dirname(file),
    {
      kind: 'tabular',
      inputName: 'table',
      type: 'mltable',
      path: path.dirname(file),
      files: [file],
      tabular: { format: 'delimited', delimiter: ',', header: 'all_files_same_headers', encoding: 'utf8', source: 'bench' },
    },
    { miniBatchSize: bytes, miniBatchSizeText: String(bytes), ...over },
  );
}

async function p3(file: string, bytes: number): Promise<void> {
  const job = tableJob(file, bytes);
  const read: number[] = [];
  const partition: number[] = [];
  let size = 0;
  let miniBatches = 0;
  for (let round = 0; round < 3; round++) {
    let t = process.hrtime.bigint();
    size = rawRead(file);
    read.push(seconds(t));
    t = process.hrtime.bigint();
    const plan = await planMiniBatches(job, { python: 'python3', pythonPath: workerPackageDir(), workDir: path.dirname(file) });
    partition.push(seconds(t));
    miniBatches = plan.length;
  }
  console.log(
    JSON.stringify({ size, miniBatches, readSec: stats(read).median, partitionSec: stats(partition).median, peakRssMb: peakRssMb() }),
  );
}

/** A trivial run() over DataFrames: one result per row, nothing written (no append_row). */
const TRIVIAL_TABLE = `
def run(mini_batch):
    return [0] * len(mini_batch)
`;

async function p3e2e(file: string, bytes: number, processes: number): Promise<void> {
  const dir = path.join(path.dirname(file), 'e2e');
  mkdirSync(path.join(dir, 'src'), { recursive: true });
  writeFileSync(path.join(dir, 'src', 'score.py'), TRIVIAL_TABLE);
  const job = tableJob(file, bytes, {
    maxConcurrencyPerInstance: processes,
    outputs: {},
    task: {
      codeDir: path.join(dir, 'src'),
      entryScript: 'score.py',
      entryScriptPath: path.join(dir, 'src', 'score.py'),
      programArguments: [],
      appendRowTo: undefined,
    },
  });
  const runDir = path.join(dir, 'run');
  rmSync(runDir, { recursive: true, force: true });
  const t = process.hrtime.bigint();
  const summary = await runLocal(job, { runDir });
  const sec = seconds(t);
  if (summary.status !== 'Completed') throw new Error(`P3 run ended ${summary.status}: ${summary.reason}`);
  const size = statSync(file).size;
  console.log(
    JSON.stringify({
      size,
      sec,
      rows: summary.counts.items.succeeded,
      miniBatches: summary.counts.miniBatches.total,
      peakRssMb: peakRssMb(),
    }),
  );
}

async function p4(folder: string): Promise<void> {
  const job = benchJob(
    path.dirname(folder),
    { kind: 'files', inputName: 'files', type: 'uri_folder', path: folder },
    { miniBatchSize: 10, miniBatchSizeText: '10' },
  );
  const t = process.hrtime.bigint();
  const plan = await planMiniBatches(job, { python: 'python3', pythonPath: workerPackageDir(), workDir: path.dirname(folder) });
  const sec = seconds(t);
  const files = plan.reduce((n, mb) => n + (mb.items ?? 0), 0);
  console.log(JSON.stringify({ files, miniBatches: plan.length, sec, peakRssMb: peakRssMb() }));
}

const [mode, a, b, c] = process.argv.slice(2);
(mode === 'p3' ? p3(a, Number(b)) : mode === 'p3e2e' ? p3e2e(a, Number(b), Number(c)) : p4(a)).catch((err) => {
  console.error(err);
  process.exit(1);
});
