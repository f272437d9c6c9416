/**
 * Measurements that need a process of their own, so that peak RSS is theirs alone:
 *   node out/bench/child.js p3 <csv> <miniBatchBytes>
 *   node out/bench/child.js p4 <folder>
 * Prints one JSON line.
 */
import { openSync, readSync, closeSync } from 'node:fs';
import * as path from 'node:path';
import { planMiniBatches } from '../src/core/local/partition';
import { workerPackageDir } from '../src/core/local/environment';
import { benchJob } from './jobs';
import { peakRssMb, seconds } from './measure';

function rawRead(file: string): number {
  const buf = Buffer.allocUnsafe(16 << 20);
  const fd = openSync(file, 'r');
  let total = 0;
  for (let n = readSync(fd, buf, 0, buf.length, null); n > 0; n = readSync(fd, buf, 0, buf.length, null)) total += n;
  closeSync(fd);
  return total;
}

async function p3(file: string, bytes: number): Promise<void> {
  const job = benchJob(path.dirname(file), {
    kind: 'tabular',
    inputName: 'table',
    type: 'mltable',
    path: path.dirname(file),
    files: [file],
    tabular: { format: 'delimited', delimiter: ',', header: 'all_files_same_headers', encoding: 'utf8', source: 'bench' },
  }, { miniBatchSize: bytes, miniBatchSizeText: String(bytes) });
  let readBest = Infinity;
  let partitionBest = Infinity;
  let size = 0;
  let miniBatches = 0;
  for (let round = 0; round < 3; round++) {
    let t = process.hrtime.bigint();
    size = rawRead(file);
    readBest = Math.min(readBest, seconds(t));
    t = process.hrtime.bigint();
    const plan = await planMiniBatches(job, { python: 'python3', pythonPath: workerPackageDir(), workDir: path.dirname(file) });
    partitionBest = Math.min(partitionBest, seconds(t));
    miniBatches = plan.length;
  }
  console.log(JSON.stringify({ size, miniBatches, readSec: readBest, partitionSec: partitionBest, peakRssMb: peakRssMb() }));
}

async function p4(folder: string): Promise<void> {
  const job = benchJob(path.dirname(folder), { kind: 'files', inputName: 'files', type: 'uri_folder', path: folder }, { miniBatchSize: 10, miniBatchSizeText: '10' });
  const t = process.hrtime.bigint();
  const plan = await planMiniBatches(job, { python: 'python3', pythonPath: workerPackageDir(), workDir: path.dirname(folder) });
  const sec = seconds(t);
  const files = plan.reduce((n, mb) => n + (mb.items ?? 0), 0);
  console.log(JSON.stringify({ files, miniBatches: plan.length, sec, peakRssMb: peakRssMb() }));
}

const [mode, a, b] = process.argv.slice(2);
(mode === 'p3' ? p3(a, Number(b)) : p4(a)).catch((err) => {
  console.error(err);
  process.exit(1);
});
