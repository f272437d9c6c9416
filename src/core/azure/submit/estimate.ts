// Before submitting: wall time, node-hours and cost of a parallel job in the cloud, from the time per item (per
// mini-batch for tabular data) a local run measured, the full input's size and the chosen nodes × processes.
import type { RunSummary } from '../../local/types';

export interface EstimateRequest {
  /** Mini-batches the local run measured (succeeded ones count). */
  measured: Pick<RunSummary, 'miniBatches'>;
  kind: 'files' | 'tabular';
  /** Files: number of files in the whole input. Tabular: bytes of the whole input. */
  inputSize: number;
  /** Files per mini-batch, or bytes per mini-batch (tabular), as the job will use. */
  miniBatchSize: number;
  /** Tabular: the mini-batch size of the measured run (bytes), to scale its time to the new size. Default: miniBatchSize. */
  measuredMiniBatchSize?: number;
  nodes: number;
  processesPerNode: number;
  /** Price of one node for one hour, in the user's currency. */
  pricePerNodeHour?: number;
  /** Seconds a node needs before its first mini-batch (scale-up, image pull); default 0 (stated). */
  startupSeconds?: number;
}

export interface Estimate {
  miniBatches: number;
  /** Seconds one mini-batch takes, as measured (scaled to the job's mini-batch size). */
  secondsPerMiniBatch: number;
  /** Files only: measured seconds per file. */
  secondsPerItem?: number;
  wallSeconds: number;
  nodeHours: number;
  cost?: number;
  /** What the figures rest on, one sentence each, to show with them. */
  assumptions: string[];
}

export class EstimateError extends Error {}

/** The estimate, or an EstimateError saying what is missing (no measured mini-batch, sizes not positive). */
export function estimateJob(r: EstimateRequest): Estimate {
  for (const [k, v] of [
    ['nodes', r.nodes],
    ['processes per node', r.processesPerNode],
    ['mini-batch size', r.miniBatchSize],
  ] as const) {
    if (!(v > 0) || !Number.isFinite(v)) throw new EstimateError(`The ${k} must be a positive number, not ${v}.`);
  }
  if (!(r.inputSize >= 0)) throw new EstimateError(`The input size must be zero or more, not ${r.inputSize}.`);
  const done = r.measured.miniBatches.filter((m) => m.status === 'succeeded' && typeof m.seconds === 'number');
  if (done.length === 0) {
    throw new EstimateError(
      'The local run has no succeeded mini-batch with a measured time: run the node locally first (a --sample run is enough).',
    );
  }
  const seconds = done.reduce((s, m) => s + (m.seconds ?? 0), 0);
  const assumptions: string[] = [];
  let secondsPerMiniBatch: number;
  let secondsPerItem: number | undefined;
  if (r.kind === 'files') {
    const items = done.reduce((s, m) => s + (m.items ?? m.succeeded), 0);
    if (items === 0) throw new EstimateError('The measured mini-batches hold no items; run the node locally on some data first.');
    secondsPerItem = seconds / items;
    // A mini-batch holds mini_batch_size files (fewer when the whole input is smaller).
    secondsPerMiniBatch = secondsPerItem * Math.min(r.miniBatchSize, Math.max(1, r.inputSize));
    assumptions.push(
      `Each file takes ${round(secondsPerItem, 3)} s, the mean of ${items} files over ${done.length} mini-batches of the local run.`,
    );
  } else {
    const measuredSize = r.measuredMiniBatchSize ?? r.miniBatchSize;
    secondsPerMiniBatch = (seconds / done.length) * (r.miniBatchSize / measuredSize);
    assumptions.push(
      `Each mini-batch takes ${round(secondsPerMiniBatch, 3)} s: the mean of ${done.length} measured mini-batches${measuredSize !== r.miniBatchSize ? `, scaled linearly from ${measuredSize} to ${r.miniBatchSize} bytes` : ''}.`,
    );
  }
  const miniBatches = Math.ceil(r.inputSize / r.miniBatchSize);
  const workers = r.nodes * r.processesPerNode;
  // Mini-batches go to whichever process is free: with equal times, in waves of `workers`.
  const waves = Math.ceil(miniBatches / workers);
  const startup = r.startupSeconds ?? 0;
  const wallSeconds = startup + waves * secondsPerMiniBatch;
  const nodeHours = (r.nodes * wallSeconds) / 3600;
  assumptions.push(
    `${miniBatches} mini-batches on ${r.nodes} node(s) × ${r.processesPerNode} process(es) = ${workers} at once: ${waves} wave(s).`,
    'A cloud node runs one process as fast as this machine did; the run holds every node until the last mini-batch ends.',
    startup > 0
      ? `Each node needs ${startup} s before its first mini-batch.`
      : 'Cluster scale-up, image build and job preparation are not included (often several minutes).',
  );
  const out: Estimate = { miniBatches, secondsPerMiniBatch, secondsPerItem, wallSeconds, nodeHours, assumptions };
  if (r.pricePerNodeHour !== undefined) {
    out.cost = nodeHours * r.pricePerNodeHour;
    assumptions.push(`Price: ${r.pricePerNodeHour} per node-hour, billed for the wall time above.`);
  }
  return out;
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** "1 h 02 min", "3 min 20 s", "12 s", "0.4 s". */
export function formatDuration(seconds: number): string {
  if (seconds < 10) return `${Math.round(seconds * 10) / 10} s`;
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}
