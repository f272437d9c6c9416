// `parallel-run results <job>`: download a cloud job's results; `parallel-run compare <job|folder> [<local run>]`:
// its append_row rows against the last local run of the same step.
import { existsSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { readCloudRun, cloudResultsDir, cloudResultsSource, type CloudRunRecord } from '../core/azure/results/record';
import { RUNS_ROOT } from '../core/pipeline/run-folder';
import { parseCommandLine } from './command-line';
import {
  compareResults,
  comparisonMarkdown,
  comparisonText,
  latestLocalResults,
  localResultsIn,
  sameResults,
  type LocalResults,
} from '../core/runs/compare';
import { ResultsReader } from '../core/local/results/results-reader';
import {
  bytesText,
  clientsOf,
  loadAzure,
  withSigint,
  workspaceOf,
  workspaceOptions,
  WORKSPACE_USAGE,
  type WorkspaceValues,
} from './azure-args';

export const RESULTS_USAGE = `Usage:
  parallel-run results <job> [options]      download a cloud job's results (its parallel step's outputs) into
                                            .parallel-run/cloud/<job>/outputs/<output>/, as a local run lays them out

Options:
  --out DIR                  the folder to download into (default: .parallel-run/cloud/<job> here); downloading
                             again continues an interrupted download and skips finished files
  --node NAME                the parallel step, when the pipeline has several
${WORKSPACE_USAGE}
Exit status: 0 downloaded, 1 Azure error or nothing to download, 2 bad input, 130 canceled.`;

export const COMPARE_USAGE = `Usage:
  parallel-run compare <job|folder> [<local run folder>] [options]
                                            compare a cloud job's append_row rows (downloaded first when a job
                                            name is given) with a local run's, matched by each row's key

Options:
  --runs DIR                 where to look for the last local run of the same step (default: .parallel-run/runs here)
  --key NAME|N               the key column of DataFrame rows (default: the first column; list rows: the item name
                             they start with)
  --tolerance X              numbers that differ by at most X are equal (default 0)
  --markdown FILE            also write the comparison as Markdown
  --node NAME, --out DIR     as for results
${WORKSPACE_USAGE}
Exit status: 0 same rows, 1 rows differ (or an Azure error), 2 bad input.`;

async function download(
  job: string,
  v: WorkspaceValues & { out?: string; node?: string },
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): Promise<CloudRunRecord | number> {
  const az = loadAzure();
  const ws = workspaceOf(v, az, process.cwd());
  if (typeof ws === 'string') {
    err.write(`${ws}\n`);
    return 2;
  }
  const c = clientsOf(v, az, ws);
  const dest = path.resolve(v.out ?? cloudResultsDir('.', job));
  const tty = (err as NodeJS.WriteStream).isTTY === true;
  try {
    const r = await withSigint((signal) =>
      az.downloadJobResults(job, {
        ml: c.ml,
        arm: c.arm,
        ws,
        credential: c.credential,
        blob: c.blob,
        node: v.node,
        dest,
        abortSignal: signal,
        onStep: (m) => err.write(`${m}\n`),
        onProgress: tty
          ? (name, p) => err.write(`\r  ${name}: ${p.files}/${p.totalFiles} files, ${bytesText(p.bytes)} of ${bytesText(p.totalBytes)}   `)
          : undefined,
      }),
    );
    if (tty) err.write('\n');
    for (const [name, o] of Object.entries(r.outputs))
      out.write(`${name}: ${o.files} file${o.files === 1 ? '' : 's'} (${bytesText(o.bytes)}) from ${o.uri}\n  → ${o.dir}\n`);
    for (const name of r.missing)
      out.write(`${name}: nothing in the datastore${r.status === 'Completed' ? '' : ` (the job is ${r.status})`}\n`);
    for (const note of r.notes ?? []) err.write(`Note: ${note}\n`);
    if (r.status !== 'Completed') err.write(`Job ${job} is ${r.status}: its outputs may be incomplete.\n`);
    return r;
  } catch (e) {
    const x = e as { name?: string; code?: string; message: string };
    err.write(`${x.message}\n`);
    return x.code === 'Cancelled' ? 130 : x.name === 'AzureError' && x.code === 'NodeNotFound' ? 2 : 1;
  }
}

export async function resultsMain(
  argv: string[],
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const parsed = parseCommandLine(
    argv,
    { ...workspaceOptions, out: { type: 'string' }, node: { type: 'string' } },
    RESULTS_USAGE,
    out,
    err,
  );
  if (typeof parsed === 'number') return parsed;
  if (parsed.positionals.length !== 1) {
    err.write(`Give one job name.\n\n${RESULTS_USAGE}\n`);
    return 2;
  }
  const r = await download(parsed.positionals[0], parsed.values, out, err);
  if (typeof r === 'number') return r;
  if (r.outputFile) {
    const rows = (await new ResultsReader(r.outputFile, cloudResultsSource(r)!.dialect).page(0)).totalRows;
    out.write(`Rows (append_row): ${r.outputFile} (${rows} row${rows === 1 ? '' : 's'})\n`);
  } else if (r.appendRowOutput) {
    out.write(`No ${r.appendRowFileName} in output ${r.appendRowOutput}: the step wrote no rows there.\n`);
  }
  return Object.keys(r.outputs).length ? 0 : 1;
}

export async function compareMain(
  argv: string[],
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const parsed = parseCommandLine(
    argv,
    {
      ...workspaceOptions,
      out: { type: 'string' },
      node: { type: 'string' },
      runs: { type: 'string' },
      key: { type: 'string' },
      tolerance: { type: 'string' },
      markdown: { type: 'string' },
    },
    COMPARE_USAGE,
    out,
    err,
  );
  if (typeof parsed === 'number') return parsed;
  const v = parsed.values;
  if (parsed.positionals.length < 1 || parsed.positionals.length > 2) {
    err.write(`Give a job name or a results folder, and optionally a local run folder.\n\n${COMPARE_USAGE}\n`);
    return 2;
  }
  const tolerance = v.tolerance === undefined ? 0 : Number(v.tolerance);
  if (!Number.isFinite(tolerance) || tolerance < 0) {
    err.write(`--tolerance ${v.tolerance}: give a number of at least 0, e.g. --tolerance 1e-6.\n`);
    return 2;
  }
  const [first, localArg] = parsed.positionals;
  // The cloud side: a results folder as downloaded, else a job to download now.
  let cloud: CloudRunRecord | undefined;
  if (existsSync(first) && statSync(first).isDirectory()) {
    cloud = await readCloudRun(path.resolve(first));
    if (!cloud) {
      err.write(
        `${path.resolve(first)} holds no downloaded results (no cloud-run.json): give a job name, or a folder made by parallel-run results.\n`,
      );
      return 2;
    }
  } else {
    const r = await download(first, v, err, err);
    if (typeof r === 'number') return r;
    cloud = r;
  }
  const cloudSource = cloudResultsSource(cloud);
  if (!cloudSource) {
    err.write(
      `Job ${cloud.job} has no append_row rows to compare (${cloud.appendRowOutput ? `no ${cloud.appendRowFileName} in output ${cloud.appendRowOutput}` : 'its step does not use append_row'}).\n`,
    );
    return 1;
  }
  let local: LocalResults | undefined;
  try {
    if (localArg) local = await localResultsIn(path.resolve(localArg), cloud.node);
    else {
      const runs = path.resolve(v.runs ?? path.join(RUNS_ROOT, 'runs'));
      local = await latestLocalResults(runs, cloud.node);
      if (!local) {
        err.write(
          `No finished local run of step ${cloud.node} with append_row output in ${runs}. Run the spec locally first (parallel-run run <spec.yml>), or give --runs DIR or the run folder.\n`,
        );
        return 2;
      }
    }
  } catch (e) {
    err.write(`${(e as Error).message}\n`);
    return 2;
  }
  try {
    // Cloud rows for files the local run never saw (it ran on a sample) are not "missing" there.
    const result = await compareResults(cloudSource, local.source, { key: v.key, tolerance, localItems: local.inputFiles });
    out.write(comparisonText(result));
    if (v.markdown) writeFileSync(path.resolve(v.markdown), comparisonMarkdown(result));
    return sameResults(result) ? 0 : 1;
  } catch (e) {
    err.write(`${(e as Error).message}\n`);
    return 2;
  }
}
