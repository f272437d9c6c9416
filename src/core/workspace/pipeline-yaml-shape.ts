/**
 * Pipelines a local run can take as a whole, from a YAML file's text alone (for the "Run pipeline locally"
 * CodeLens on `jobs:` and the palette's spec list): the `jobs:` line and each step with its kind.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';

export interface PipelineStepLine {
  name: string;
  /** 0-based line of the step's key under `jobs:`. */
  line: number;
  /** `command` or `parallel` (what a local run runs), else the type written (`sweep`, …) or undefined. */
  type?: string;
}

export interface PipelineShape {
  /** 0-based line of `jobs:`. */
  jobsLine: number;
  steps: PipelineStepLine[];
}

const JOBS_LINE = /^jobs[ \t]*:/m;
const YAML_FILE = /\.ya?ml$/i;
const MAX_SPEC_BYTES = 1 << 20;

/**
 * The pipeline's steps when the file is a pipeline with a command step, or with more than one step
 * (a file with one parallel node keeps its per-node lens); undefined otherwise.
 */
export function pipelineShape(text: string): PipelineShape | undefined {
  if (!JOBS_LINE.test(text)) return undefined;
  const lineCounter = new LineCounter();
  let doc;
  try {
    doc = parseDocument(text, { lineCounter, uniqueKeys: false, strict: false });
  } catch {
    return undefined;
  }
  if (!isMap(doc.contents)) return undefined;
  const type = doc.contents.get('type') as unknown;
  if (type !== undefined && type !== 'pipeline') return undefined;
  const jobsPair = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'jobs');
  if (!jobsPair || !isMap(jobsPair.value) || !isScalar(jobsPair.key)) return undefined;
  const lineOf = (offset: number | undefined): number => lineCounter.linePos(offset ?? 0).line - 1;
  const steps: PipelineStepLine[] = [];
  for (const pair of jobsPair.value.items) {
    if (!isScalar(pair.key)) continue;
    const node = pair.value;
    const written = isMap(node) ? (node.get('type') as unknown) : undefined;
    const stepType = typeof written === 'string' ? written : isMap(node) && node.has('command') ? 'command' : undefined;
    steps.push({ name: String(pair.key.value), line: lineOf(pair.key.range?.[0]), ...(stepType ? { type: stepType } : {}) });
  }
  const runnable = steps.filter((s) => s.type === 'command' || s.type === 'parallel' || s.type === undefined);
  const hasCommand = steps.some((s) => s.type === 'command');
  if (runnable.length === 0 || (!hasCommand && steps.length < 2)) return undefined;
  return { jobsLine: lineOf(jobsPair.key.range?.[0]), steps };
}

/** YAML files directly in `dir` that are pipelines a local run takes as a whole, sorted by name. */
export async function findPipelineSpecs(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = (await fs.readdir(dir)).filter((n) => YAML_FILE.test(n)).sort();
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      const stat = await fs.stat(file);
      if (!stat.isFile() || stat.size > MAX_SPEC_BYTES) continue;
      if (pipelineShape(await fs.readFile(file, 'utf8'))) found.push(file);
    } catch {
      // unreadable or gone: not a spec
    }
  }
  return found;
}
