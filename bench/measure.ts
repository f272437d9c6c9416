/** Small measuring tools shared by the benchmarks. */
import { spawnSync } from 'node:child_process';

export function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Peak resident memory of this process so far, in MB. */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Runs a Python snippet and returns its stdout (the bench's baselines run in the same interpreter as workers). */
export function python(code: string, args: string[] = []): string {
  const r = spawnSync(process.env.PARALLEL_RUN_PYTHON || 'python3', ['-c', code, ...args], {
    encoding: 'utf8',
    env: { ...process.env, PYENV_VERSION: process.env.PYENV_VERSION || 'system' },
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return r.stdout;
}

export function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

/** Several runs of one figure: the median is reported, with the spread (min–max), never the best run. */
export interface Stats {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function stats(samples: readonly number[]): Stats {
  if (samples.length === 0) throw new Error('no samples');
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1], n: s.length };
}

/** `12.3 ms (11.9–14.0, 5 runs)`: a figure as the bench prints it. */
export function fmt(st: Stats, unit: string, digits = 2, scale = 1): string {
  const f = (x: number) => (x * scale).toFixed(digits);
  return `${f(st.median)}${unit} (${f(st.min)}–${f(st.max)}${unit}, ${st.n} runs)`;
}

/** Runs the compared measurements alternately `rounds` times; every sample is kept. */
export async function interleaved<T extends string>(
  rounds: number,
  measures: Record<T, () => number | Promise<number>>,
): Promise<Record<T, number[]>> {
  const all = {} as Record<T, number[]>;
  for (let round = 0; round < rounds; round++) {
    for (const [name, measure] of Object.entries(measures) as [T, () => number | Promise<number>][]) {
      (all[name] ??= []).push(await measure());
    }
  }
  return all;
}
