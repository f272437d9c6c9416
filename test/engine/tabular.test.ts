/** Tabular input: byte ranges read by the worker as DataFrames, DataFrame output by the driver's rules. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ParallelJob } from '../../src/core/spec/types';
import { fileJob, fixture, run } from './helpers';

function tableJob(fx: ReturnType<typeof fixture>, files: string[], miniBatchSize: number): ParallelJob {
  const job = fileJob(fx, { miniBatchSize, miniBatchSizeText: String(miniBatchSize) });
  job.inputData = {
    kind: 'tabular',
    inputName: 'table',
    type: 'mltable',
    path: path.dirname(files[0]),
    files,
    tabular: { format: 'delimited', delimiter: ',', header: 'all_files_same_headers', encoding: 'utf8', source: 'test' },
  };
  return job;
}

const ECHO = `def run(mini_batch):\n    return mini_batch[["id", "text"]]\n`;

test('splits a CSV with quoted newlines into DataFrames and writes every row once', async () => {
  const fx = fixture(ECHO, 0);
  const csv = path.join(fx.dataDir, 'rows.csv');
  const rows = Array.from({ length: 300 }, (_, i) => `${i},"line ${i}${i % 7 === 0 ? '\nsecond, part' : ''} ""q"""`);
  writeFileSync(csv, 'id,text\n' + rows.join('\n') + '\n');
  const { summary } = await run(tableJob(fx, [csv], 1024));
  assert.equal(summary.status, 'Completed');
  assert.ok(summary.counts.miniBatches.total > 5);
  assert.equal(summary.counts.items.succeeded, 300);
  assert.equal(summary.outputKind, 'dataframe');
  // The results table names its columns after the DataFrame's, though the file has no header.
  assert.deepEqual(summary.outputColumns, ['id', 'text']);
  const text = readFileSync(summary.outputFile!, 'utf8');
  // to_csv(sep=" ") quotes fields holding the separator or a newline, so every row parses back.
  assert.ok(text.startsWith('0 "line 0\nsecond, part ""q"""\n1 "line 1 ""q"""\n'), text.slice(0, 80));
});

test('an empty DataFrame skips run() and a settings file changes the separator', async () => {
  const fx = fixture(`def run(mini_batch):\n    raise RuntimeError("never called for an empty table")\n`, 0);
  const csv = path.join(fx.dataDir, 'blank.csv');
  writeFileSync(csv, 'id,text\n\n\n');
  const first = await run(tableJob(fx, [csv], 1024));
  assert.equal(first.summary.failures.length, 0, JSON.stringify(first.summary.failures));

  const fx2 = fixture(ECHO, 0, {
    'src/parallel_run_step.settings.json': JSON.stringify({ append_row: { 'pandas.DataFrame.to_csv': { sep: ',' } } }),
  });
  const csv2 = path.join(fx2.dataDir, 'rows.csv');
  writeFileSync(csv2, 'id,text\n1,a b\n2,c\n');
  const second = await run(tableJob(fx2, [csv2], 1024));
  assert.equal(readFileSync(second.summary.outputFile!, 'utf8'), '1,a b\n2,c\n');
});

test('a tabular short return fails the missing rows', async () => {
  const fx = fixture(`def run(mini_batch):\n    return mini_batch.head(1)\n`, 0);
  const csv = path.join(fx.dataDir, 'rows.csv');
  writeFileSync(csv, 'id,text\n' + Array.from({ length: 10 }, (_, i) => `${i},x`).join('\n') + '\n');
  const { summary } = await run(tableJob(fx, [csv], 1024));
  assert.equal(summary.counts.items.succeeded, 1);
  assert.equal(summary.counts.items.failed, 9);
});

test('--append_row_dataframe_header writes the header once, on top of the output', async () => {
  const fx = fixture(ECHO, 0);
  const csv = path.join(fx.dataDir, 'rows.csv');
  writeFileSync(csv, 'id,text\n' + Array.from({ length: 200 }, (_, i) => `${i},t${i}`).join('\n') + '\n');
  const job = tableJob(fx, [csv], 256);
  job.driver.appendRowDataframeHeader = true;
  const { summary, lines } = await run(job);
  assert.ok(summary.counts.miniBatches.total > 4);
  assert.equal(lines[0], 'id text');
  assert.equal(lines.filter((l) => l === 'id text').length, 1);
  assert.equal(lines.length, 201);
});

test('pickled partitions outlive the run in <runDir>/partitions (for replays), the rest of .prs does not', async () => {
  const fx = fixture(`def run(mini_batch):\n    return mini_batch[["id", "store"]]\n`, 0);
  const csv = path.join(fx.dataDir, 'rows.csv');
  writeFileSync(csv, 'id,store\n1,A\n2,B\n3,A\n4,B\n');
  const job = tableJob(fx, [csv], 1024);
  job.partitionKeys = ['store'];
  const { summary } = await run(job);
  assert.equal(summary.status, 'Completed');
  assert.ok(!existsSync(path.join(summary.runDir, '.prs')), '.prs/ is gone');
  const pickles = summary.miniBatches.map((m) => (m.data.kind === 'pickle' ? m.data.file : ''));
  assert.equal(pickles.length, 2);
  for (const file of pickles) {
    assert.equal(path.dirname(file), path.join(summary.runDir, 'partitions'));
    assert.ok(existsSync(file), `${file} exists`);
  }
  // A replay of one mini-batch reads its pickle from the new place.
  const record = summary.miniBatches[1];
  const replay = await run(job, {
    miniBatches: [{ index: record.index, data: record.data, bytes: 0, partitionKeyValue: record.partitionKeyValue }],
    runDir: path.join(fx.dir, 'replay'),
  });
  assert.equal(replay.summary.status, 'Completed');
  assert.equal(replay.summary.counts.items.succeeded, 2);
});
