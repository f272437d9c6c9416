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
