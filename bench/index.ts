/**
 * `npm run bench`: the engine's performance targets, each as a ratio against a baseline measured in the same
 * run on the same machine. Data is generated once under .bench/ (git-ignored).
 *   P1  engine vs a bare Python loop, 2,000 mini-batches of ~0 ms and ~10 ms: overhead and efficiency
 *   P2  CPU-bound script, 2 processes vs 1
 *   P3  1 GB CSV partitioned by 10 MB: throughput vs a raw sequential read, and peak RSS
 *   P4  a folder of 100,000 files: list + partition time and peak RSS
 *   P5  the extension's startup: main bundle size, and loading it + activate() vs an empty extension
 *   pipelines  a command step of a local pipeline vs running its command by hand (bench/pipelines.ts)
 * `npm run bench -- p1 p3` runs a subset; `--quick` shrinks sizes for a smoke run.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { runLocal } from '../src/core/local';
import { measureActivation } from './activation';
import { benchJob } from './jobs';
import { benchPipelines } from './pipelines';
import { pct, python, seconds } from './measure';

const root = path.resolve(__dirname, '..', '..');
const benchDir = path.join(root, '.bench');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.filter((a) => !a.startsWith('--'));
const results: { id: string; figure: string; target: string; met: boolean }[] = [];

function report(id: string, figure: string, target: string, met: boolean): void {
  results.push({ id, figure, target, met });
  console.log(`${id}: ${figure}  (target ${target}: ${met ? 'met' : 'NOT met'})`);
}

function scriptFolder(name: string, script: string, files: number): string {
  const dir = path.join(benchDir, name);
  const data = path.join(dir, 'data');
  if (!existsSync(path.join(data, `f${String(files - 1).padStart(6, '0')}`))) {
    rmSync(data, { recursive: true, force: true });
    mkdirSync(data, { recursive: true });
    for (let i = 0; i < files; i++) writeFileSync(path.join(data, `f${String(i).padStart(6, '0')}`), `${i}\n`);
  }
  mkdirSync(path.join(dir, 'src'), { recursive: true });
  writeFileSync(path.join(dir, 'src', 'score.py'), script);
  return dir;
}

const BUSY = `
import os, time
WORK = float(os.environ.get("BENCH_WORK_MS", "0")) / 1000
def init():
    pass
def run(mini_batch):
    if WORK:
        end = time.perf_counter() + WORK
        while time.perf_counter() < end:
            pass
    return [os.path.basename(p) for p in mini_batch]
`;

/** The bare loop a user would write in a notebook: import, init(), run() per mini-batch, write results. */
const BARE_LOOP = `
import importlib.util, os, sys, time
t0 = time.perf_counter()
spec = importlib.util.spec_from_file_location("score", sys.argv[1])
m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
m.init()
files = sorted(os.path.join(sys.argv[2], f) for f in os.listdir(sys.argv[2]))
size = int(sys.argv[4])
with open(sys.argv[3], "w") as out:
    for i in range(0, len(files), size):
        for row in m.run(files[i:i + size]):
            out.write(str(row) + "\\n")
print(time.perf_counter() - t0)
`;

/** Runs the compared measurements alternately `rounds` times and keeps each one's best: noise only adds time. */
async function bestOf<T extends string>(rounds: number, measures: Record<T, () => number | Promise<number>>): Promise<Record<T, number>> {
  const best = {} as Record<T, number>;
  for (let round = 0; round < rounds; round++) {
    for (const [name, measure] of Object.entries(measures) as [T, () => number | Promise<number>][]) {
      const sec = await measure();
      best[name] = Math.min(best[name] ?? Infinity, sec);
    }
  }
  return best;
}

async function engineSeconds(dir: string, processes: number, env: NodeJS.ProcessEnv): Promise<number> {
  const job = benchJob(dir, { kind: 'files', inputName: 'data', type: 'uri_folder', path: path.join(dir, 'data') }, { maxConcurrencyPerInstance: processes });
  const runDir = path.join(dir, 'run');
  rmSync(runDir, { recursive: true, force: true });
  const t = process.hrtime.bigint();
  const summary = await runLocal(job, { runDir, env: { ...process.env, ...env } });
  const sec = seconds(t);
  if (summary.status !== 'Completed') throw new Error(`bench run ${dir} ended ${summary.status}: ${summary.reason}`);
  return sec;
}

function bareSeconds(dir: string, env: NodeJS.ProcessEnv): number {
  const t = process.hrtime.bigint();
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    python(BARE_LOOP, [path.join(dir, 'src', 'score.py'), path.join(dir, 'data'), path.join(dir, 'bare.txt'), '1']);
  } finally {
    process.env = saved;
  }
  return seconds(t);
}

async function p1(): Promise<void> {
  const n = quick ? 200 : 2000;
  const dir = scriptFolder(`p1-${n}`, BUSY, n);
  for (const work of [0, 10]) {
    const env = { BENCH_WORK_MS: String(work) };
    const { bare, engine } = await bestOf(work === 0 ? 3 : 2, { bare: () => bareSeconds(dir, env), engine: () => engineSeconds(dir, 1, env) });
    const overheadMs = ((engine - bare) / n) * 1000;
    const efficiency = bare / engine;
    console.log(`P1 ~${work} ms/mini-batch: bare loop ${bare.toFixed(2)} s, engine ${engine.toFixed(2)} s for ${n} mini-batches (best of ${work === 0 ? 3 : 2}, alternating)`);
    if (work === 0) report('P1 overhead per mini-batch', `${overheadMs.toFixed(3)} ms`, '<= 0.2 ms', overheadMs <= 0.2);
    else report('P1 efficiency at 10 ms', pct(efficiency), '>= 97%', efficiency >= 0.97);
  }
}

async function p2(): Promise<void> {
  const n = quick ? 40 : 200;
  const script = `
import os
def run(mini_batch):
    total = 0
    for i in range(600000):
        total += i * i
    return [os.path.basename(p) for p in mini_batch]
`;
  const dir = scriptFolder(`p2-${n}`, script, n);
  const { one, two } = await bestOf(3, { one: () => engineSeconds(dir, 1, {}), two: () => engineSeconds(dir, 2, {}) });
  console.log(`P2: 1 process ${one.toFixed(2)} s, 2 processes ${two.toFixed(2)} s for ${n} CPU-bound mini-batches (best of 3, alternating)`);
  report('P2 speed-up 2 vs 1 process', `${(one / two).toFixed(2)}x`, '>= 1.85x', one / two >= 1.85);
}

function makeCsv(file: string, bytes: number): void {
  if (existsSync(file)) return;
  mkdirSync(path.dirname(file), { recursive: true });
  const fd = openSync(file, 'w');
  writeSync(fd, 'id,name,amount,comment\n');
  let written = 0;
  let id = 0;
  const lines: string[] = [];
  while (written < bytes) {
    lines.length = 0;
    for (let k = 0; k < 10000; k++, id++) {
      // Every 50th row quotes a comma and a newline, so the splitter must track quotes.
      const comment = id % 50 === 0 ? `"note, with comma\nand newline ""${id}"""` : `plain comment ${id % 997}`;
      lines.push(`${id},customer_${id % 1000},${(id % 10000) / 100},${comment}`);
    }
    const chunk = lines.join('\n') + '\n';
    writeSync(fd, chunk);
    written += Buffer.byteLength(chunk);
  }
  closeSync(fd);
}

function child(...argv: string[]): Record<string, number> {
  const r = spawnSync(process.execPath, [path.join(__dirname, 'child.js'), ...argv], { encoding: 'utf8', env: { ...process.env, PYENV_VERSION: process.env.PYENV_VERSION || 'system' } });
  if (r.status !== 0) throw new Error(`bench child ${argv[0]} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

function p3(): void {
  const gb = quick ? 0.1 : 1;
  const file = path.join(benchDir, `p3-${gb}gb`, 'big.csv');
  makeCsv(file, gb * 1024 ** 3);
  const r = child('p3', file, String(10 * 1024 * 1024));
  const ratio = r.readSec / r.partitionSec;
  console.log(
    `P3: ${(r.size / 1024 ** 2).toFixed(0)} MB into ${r.miniBatches} mini-batches; raw read ${(r.size / 1024 ** 2 / r.readSec).toFixed(0)} MB/s, ` +
      `partitioning ${(r.size / 1024 ** 2 / r.partitionSec).toFixed(0)} MB/s (best of 3 each)`,
  );
  report('P3 partitioning throughput vs raw read', pct(ratio), '>= 80%', ratio >= 0.8);
  report('P3 peak RSS while partitioning', `${r.peakRssMb.toFixed(0)} MB`, '< 150 MB', r.peakRssMb < 150);
}

function p4(): void {
  const n = quick ? 10_000 : 100_000;
  const folder = path.join(benchDir, `p4-${n}`, 'files');
  const marker = path.join(folder, '..', 'complete');
  if (!existsSync(marker)) {
    rmSync(folder, { recursive: true, force: true });
    for (let d = 0; d < n / 1000; d++) {
      const sub = path.join(folder, `d${String(d).padStart(3, '0')}`);
      mkdirSync(sub, { recursive: true });
      for (let f = 0; f < 1000; f++) closeSync(openSync(path.join(sub, `f${String(f).padStart(4, '0')}.png`), 'w'));
    }
    writeFileSync(marker, '');
  }
  const r = child('p4', folder);
  console.log(`P4: ${r.files} files into ${r.miniBatches} mini-batches in ${r.sec.toFixed(3)} s`);
  report('P4 list + partition 100k files', `${r.sec.toFixed(2)} s`, '< 2 s', r.sec < 2);
  report('P4 peak RSS', `${r.peakRssMb.toFixed(0)} MB`, '< 200 MB', r.peakRssMb < 200);
}

async function p5(): Promise<void> {
  const r = await measureActivation(root, path.join(benchDir, 'p5'), quick ? 5 : 15);
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
  console.log(
    `P5: dist/extension.js ${mb(r.bundleBytes)} (minified ${mb(r.minifiedBytes)}); median of ${r.runs} fresh processes: ` +
      `load ${r.loadMs.toFixed(2)} ms + activate() ${r.activateMs.toFixed(2)} ms = ${r.totalMs.toFixed(2)} ms ` +
      `(minified ${r.minifiedTotalMs.toFixed(2)} ms); empty extension ${r.baselineMs.toFixed(3)} ms, ratio ${(r.totalMs / r.baselineMs).toFixed(0)}x`,
  );
  console.log(`P5: activate() touches ${r.touched.filter((t) => !t.includes('()')).join(', ')}`);
  report('P5 load + activate()', `${r.totalMs.toFixed(1)} ms`, '< 30 ms', r.totalMs < 30);
  report('P5 main bundle size', mb(r.bundleBytes), '< 1.5 MB', r.bundleBytes < 1.5 * 1024 * 1024);
}

async function main(): Promise<void> {
  mkdirSync(benchDir, { recursive: true });
  const all: Record<string, () => void | Promise<void>> = { p1, p2, p3, p4, p5, pipelines: () => benchPipelines(report, benchDir, quick) };
  for (const [name, fn] of Object.entries(all)) if (only.length === 0 || only.includes(name)) await fn();
  console.log('\nSummary');
  for (const r of results) console.log(`  ${r.met ? 'met    ' : 'NOT met'}  ${r.id}: ${r.figure} (target ${r.target})`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
