/** The local side of a comparison: the newest finished local run of a node that wrote append_row output. */
import * as path from 'node:path';
import { readRunOutputFormat } from '../../local/results/dialect';
import type { RunSummary } from '../../local/types';
import { listLocalRuns, readLocalRun, type LocalRun } from '../../workspace/local-runs';
import type { ResultsSource } from './compare';

export interface LocalResults {
  source: ResultsSource;
  runDir: string;
  summary: RunSummary;
  /** The names of the input files the run processed (file inputs): what its sample covered. */
  inputFiles?: Set<string>;
}

/** The parallel runs of `node` (any node when undefined) inside one local run, pipeline or single node. */
function nodeRunsOf(run: LocalRun, node: string | undefined): RunSummary[] {
  if (run.kind === 'node') return !node || run.summary.nodeName === node ? [run.summary] : [];
  return run.steps.filter((s) => s.summary && (!node || s.step.name === node)).map((s) => s.summary!);
}

async function toLocalResults(summary: RunSummary): Promise<LocalResults | undefined> {
  if (!summary.outputFile) return undefined;
  const format = await readRunOutputFormat(summary.runDir, summary);
  const inputFiles = new Set<string>();
  for (const mb of summary.miniBatches ?? [])
    if (mb.data?.kind === 'files') for (const f of mb.data.files) inputFiles.add(path.basename(f));
  return {
    source: {
      label: `local run ${path.basename(summary.runDir)}`,
      file: summary.outputFile,
      dialect: format.dialect,
      columns: summary.outputColumns,
      preferTable: summary.outputKind === 'dataframe' || format.inputKind === 'tabular',
    },
    runDir: summary.runDir,
    summary,
    inputFiles: inputFiles.size ? inputFiles : undefined,
  };
}

/** The results of the local run in `runDir` (a node run, or the step `node` of a pipeline run). */
export async function localResultsIn(runDir: string, node?: string): Promise<LocalResults> {
  const run = await readLocalRun(runDir);
  if (!run) throw new Error(`${runDir} holds no finished local run (no summary.json): give the folder of a run that ended.`);
  const summaries = nodeRunsOf(run, node);
  if (summaries.length === 0) throw new Error(`The local run in ${runDir} has no parallel step${node ? ` named ${node}` : ''}.`);
  for (const s of summaries) {
    const r = await toLocalResults(s);
    if (r) return r;
  }
  throw new Error(
    `The local run in ${runDir} wrote no append_row output (summary_only, or no mini-batch succeeded): there are no rows to compare.`,
  );
}

/** The newest local run of `node` under `runsFolder` with append_row output, or undefined. */
export async function latestLocalResults(runsFolder: string, node: string | undefined): Promise<LocalResults | undefined> {
  for (const run of await listLocalRuns(runsFolder)) {
    for (const s of nodeRunsOf(run, node)) {
      const r = await toLocalResults(s);
      if (r) return r;
    }
  }
  return undefined;
}
