/** Builds small jobs around throwaway entry scripts, runs them with real Python workers, checks accounting. */
import * as assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ParallelJob } from '../../src/core/spec/types';
import { makeParallelJob } from '../support/parallel-job';
import { runLocal, type RunLocalOptions } from '../../src/core/local';
import type { RunEvent, RunSummary } from '../../src/core/local/types';

export interface Fixture {
  dir: string;
  codeDir: string;
  dataDir: string;
  files: string[];
}

/** A temp folder with `src/score.py` holding `script` and `count` small input files `f000.txt`…. */
export function fixture(script: string, count: number, extraFiles: Record<string, string> = {}): Fixture {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'prs-engine-'));
  const codeDir = path.join(dir, 'src');
  const dataDir = path.join(dir, 'data');
  mkdirSync(codeDir, { recursive: true });
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(path.join(codeDir, 'score.py'), script);
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const f = path.join(dataDir, `f${String(i).padStart(3, '0')}.txt`);
    writeFileSync(f, `item ${i}\n`);
    files.push(f);
  }
  for (const [rel, text] of Object.entries(extraFiles)) {
    const f = path.join(dir, rel);
    mkdirSync(path.dirname(f), { recursive: true });
    writeFileSync(f, text);
  }
  return { dir, codeDir, dataDir, files };
}

/** A file-input job over `fx.dataDir` with the driver's defaults, overridable per test. */
export function fileJob(fx: Fixture, over: Partial<ParallelJob> = {}, programArguments: string[] = []): ParallelJob {
  return makeParallelJob(
    { dir: fx.dir, codeDir: fx.codeDir, inputData: { kind: 'files', inputName: 'data', type: 'uri_folder', path: fx.dataDir } },
    {
      miniBatchSize: 2,
      miniBatchSizeText: '2',
      maxConcurrencyPerInstance: 2,
      userArguments: programArguments,
      outputs: { results: { name: 'results', type: 'uri_folder' } },
      ...over,
      task: { programArguments, appendRowTo: 'results', ...(over.task ?? {}) } as ParallelJob['task'],
    },
  );
}

export interface RunResult {
  summary: RunSummary;
  events: RunEvent[];
  lines: string[];
}

export async function run(job: ParallelJob, options: RunLocalOptions = {}): Promise<RunResult> {
  const events: RunEvent[] = [];
  const summary = await runLocal(job, {
    runDir: path.join(path.dirname(job.specFile), 'run'),
    ...options,
    onEvent: (e) => {
      events.push(e);
      options.onEvent?.(e);
    },
  });
  const lines =
    summary.outputFile && existsSync(summary.outputFile)
      ? readFileSync(summary.outputFile, 'utf8')
          .split('\n')
          .filter((l) => l !== '')
      : [];
  return { summary, events, lines };
}

/**
 * The accounting invariant: every input item is in exactly one of the output (by key), the failure report
 * (a mini-batch that failed, or the missing results of a short return) or the not-processed mini-batches of
 * a stopped run — none lost, none twice.
 */
export function assertAccounting(summary: RunSummary, inputs: string[], outputKeys: string[]): void {
  const inOutput = new Set(outputKeys);
  assert.equal(inOutput.size, outputKeys.length, `duplicate rows in the output: ${outputKeys.join(', ')}`);
  const failedBatches = new Set(summary.failures.filter((f) => f.final && f.reason !== 'short_return').map((f) => f.index));
  const shortBatches = new Set(summary.failures.filter((f) => f.reason === 'short_return').map((f) => f.index));
  const seen = new Map<string, string>();
  for (const record of summary.miniBatches) {
    if (record.data.kind !== 'files') continue;
    for (const file of record.data.files) {
      const key = path.basename(file);
      let where: string;
      if (inOutput.has(key)) where = 'output';
      else if (failedBatches.has(record.index) || shortBatches.has(record.index)) where = 'failures';
      else if (record.status === 'pending') where = 'not processed';
      else where = 'lost';
      assert.notEqual(
        where,
        'lost',
        `item ${key} of mini-batch ${record.index} (${record.status}) is neither in the output nor in the failure report`,
      );
      assert.ok(
        !(where === 'output' && failedBatches.has(record.index)),
        `item ${key} is in the output and its mini-batch is reported failed`,
      );
      assert.ok(!seen.has(key), `item ${key} appears in two mini-batches`);
      seen.set(key, where);
    }
  }
  assert.deepEqual([...seen.keys()].sort(), inputs.map((f) => path.basename(f)).sort(), 'the mini-batches do not cover the input');
  for (const key of inOutput) assert.ok(seen.has(key), `output row ${key} is not an input item`);
}

/** The file name keys of `name: value` output lines. */
export function keysOf(lines: string[]): string[] {
  return lines.map((l) => l.split(':')[0]);
}

export function readLog(summary: RunSummary, rel: string): string {
  return readFileSync(path.join(summary.logsDir, rel), 'utf8');
}

/** An entry script prologue: imports, and a helper that keeps state across workers in a folder. */
export const PROLOGUE = `
import os, sys, time
STATE = os.path.join(os.path.dirname(os.path.realpath(__file__)), '..', 'state')
os.makedirs(STATE, exist_ok=True)

def once(name):
    """True the first time any worker asks for this name."""
    try:
        fd = os.open(os.path.join(STATE, name), os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        os.close(fd)
        return True
    except FileExistsError:
        return False
`;
