// `cloud-run.json` in a results folder: which job it came from and how to read its append_row file. No SDK here:
// the CLI's compare and the extension read it without loading the Azure layer.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { dialectFromToCsv } from '../../local/results/dialect';
import { RUNS_ROOT } from '../../pipeline/run-folder';
import type { ResultsSource } from '../../runs/compare/compare';

/** `<root>/.parallel-run/cloud/<job>`: where a job's results go on this machine, beside the local runs (CLI and VS Code). */
export function cloudResultsDir(root: string, job: string): string {
  return path.join(root, RUNS_ROOT, 'cloud', job);
}

/** `cloud-run.json`: what a results folder holds and how to read it. */
export const CLOUD_RUN_FILE = 'cloud-run.json';

export interface CloudRunRecord {
  kind: 'cloud';
  job: string;
  /** The job's status when downloaded (a running job's outputs may still grow). */
  status: string;
  node: string;
  stepRunId?: string;
  studioUrl?: string;
  downloadedAt: string;
  /** Output name → where it was in the cloud and where it is here. */
  outputs: Record<string, { uri: string; dir: string; files: number; bytes: number }>;
  /** Outputs with nothing in the datastore (not written yet, or the job failed before). */
  missing: string[];
  /** The append_row file here, when the step wrote rows. */
  outputFile?: string;
  appendRowOutput?: string;
  appendRowFileName: string;
  /** The DataFrame.to_csv keywords the driver used (its defaults merged with the job's settings file). */
  toCsv: Record<string, unknown>;
  dataframeHeader: boolean;
  /** Where the to_csv keywords came from. */
  settingsSource: 'job code' | 'driver defaults';
  /** What the user should know: the job's code could not be read, so rows are read with the driver's defaults. */
  notes: string[];
}

/** The record of a results folder, or undefined when `dir` holds none. */
export async function readCloudRun(dir: string): Promise<CloudRunRecord | undefined> {
  try {
    const r = JSON.parse(await fs.readFile(path.join(dir, CLOUD_RUN_FILE), 'utf8')) as CloudRunRecord;
    if (!r || r.kind !== 'cloud' || typeof r.outputs !== 'object') return undefined;
    const abs = (p: string) => path.resolve(dir, p);
    return {
      ...r,
      outputs: Object.fromEntries(Object.entries(r.outputs).map(([k, v]) => [k, { ...v, dir: abs(v.dir) }])),
      outputFile: r.outputFile ? abs(r.outputFile) : undefined,
    };
  } catch {
    return undefined;
  }
}

/** The cloud side of a comparison, from a results folder's record. */
export function cloudResultsSource(r: CloudRunRecord): ResultsSource | undefined {
  if (!r.outputFile) return undefined;
  return { label: `cloud job ${r.job}`, file: r.outputFile, dialect: dialectFromToCsv(r.toCsv, r.dataframeHeader) };
}
