// A cloud job's results on this machine: its parallel step's outputs downloaded from the datastore into a folder laid
// out like a local run's (`outputs/<name>/…`), the append_row file found, and how to read it recorded in
// `cloud-run.json` (the driver's to_csv keywords from the job's own `parallel_run_step.settings.json`).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { TokenCredential } from '@azure/core-auth';
import type { ServiceClient } from '@azure/core-client';
import type { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import { appendRowToCsvOptionsFromText, SETTINGS_FILE } from '../../local/settings';
import { datastoreContainer, containerUrl, type BlobEndpointOptions } from '../blob/container';
import { AzureError, azureCall } from '../http/errors';
import { allItems } from '../http/paging';
import { datastorePages } from '../resources/datastores';
import { datastorePathUri } from '../resources/ids';
import { RunHistory } from '../resources/run-history';
import type { Datastore, RunSummary, WorkspaceRef } from '../resources/types';
import { getWorkspace } from '../resources/workspaces';
import { CLOUD_RUN_FILE, type CloudRunRecord } from './record';
import { downloadPrefix, type BlobSource, type DownloadProgress } from './download';
import { defaultOutputPaths, getRawJob, parallelStepResults, type RawJob } from './locate';

export interface DownloadResultsOptions {
  ml: AzureMachineLearningWorkspaces;
  /** For run history (the step's run id). */
  arm: ServiceClient;
  ws: WorkspaceRef;
  /** For identity-based datastores. */
  credential: TokenCredential;
  blob?: BlobEndpointOptions;
  /** The workspace's discovery URL; read from the workspace when absent. */
  discoveryUrl?: string;
  /** The parallel step, when the pipeline has several. */
  node?: string;
  /** The folder to fill (default chosen by the caller: `.parallel-run/cloud/<job>`). */
  dest: string;
  concurrency?: number;
  abortSignal?: AbortSignal;
  onStep?: (message: string) => void;
  onProgress?: (output: string, p: DownloadProgress) => void;
}

/** The run of the step in run history: the child of the pipeline job whose display name is the node's. */
async function stepRunOf(history: RunHistory, job: string, node: string, displayName: string): Promise<RunSummary | undefined> {
  const kids = await allItems(history.childPages(job));
  return (
    kids.find((k) => k.displayName === displayName) ?? kids.find((k) => k.displayName === node) ?? (kids.length === 1 ? kids[0] : undefined)
  );
}

/** The datastore whose container holds `url` (a code version's `codeUri`), and the blob path in it. */
function datastoreOfUrl(
  url: string,
  stores: Datastore[],
  blob: BlobEndpointOptions | undefined,
): { ds: Datastore; path: string } | undefined {
  for (const ds of stores) {
    if (!ds.accountName || !ds.containerName) continue;
    const base = `${containerUrl(ds, blob)}/`;
    if (url.startsWith(base)) return { ds, path: decodeURIComponent(url.slice(base.length).split('?')[0]) };
  }
  return undefined;
}

/**
 * Downloads the outputs of a job's parallel step into `dest` and returns what `cloud-run.json` records.
 * Calling it again continues an interrupted download and skips files already complete.
 */
export async function downloadJobResults(jobName: string, o: DownloadResultsOptions): Promise<CloudRunRecord> {
  const step = (m: string) => o.onStep?.(m);
  const job: RawJob = await getRawJob(o.ml, o.ws, jobName, o.abortSignal);
  const status = String(job.properties.status ?? 'Unknown');
  const where = parallelStepResults(job, jobName, o.node);

  const stores = await allItems(datastorePages(o.ml, o.ws));
  const storeNamed = (name: string | undefined): Datastore => {
    const ds = name ? stores.find((d) => d.name === name) : stores.find((d) => d.isDefault);
    if (!ds)
      throw new AzureError({
        code: 'DatastoreNotFound',
        message: name
          ? `Workspace ${o.ws.workspace} has no datastore ${name}, where job ${jobName} wrote its outputs.`
          : `Workspace ${o.ws.workspace} has no default datastore, where job ${jobName} wrote its outputs.`,
      });
    return ds;
  };
  // One client per datastore (one listSecrets), shared by its outputs and the code's settings file.
  const sources = new Map<string, Promise<BlobSource>>();
  const sourceOf = (ds: Datastore): Promise<BlobSource> => {
    let s = sources.get(ds.name);
    if (!s) {
      s = (async () => {
        const source: BlobSource = {
          container: await datastoreContainer(o.ml, o.ws, ds, o.credential, o.blob),
          // A fresh credential serves the later downloads from this datastore too.
          refresh: async () => (source.container = await datastoreContainer(o.ml, o.ws, ds, o.credential, o.blob)),
          describe: `datastore ${ds.name}`,
        };
        return source;
      })();
      sources.set(ds.name, s);
      s.catch(() => sources.delete(ds.name));
    }
    return s;
  };

  let stepRun: RunSummary | undefined;
  if (where.outputs.some((x) => !x.explicit || /\$\{\{/.test(x.candidates[0] ?? ''))) {
    const discoveryUrl = o.discoveryUrl ?? (await getWorkspace(o.ml, o.ws)).discoveryUrl;
    step(`Finding step ${where.node} of job ${jobName} in run history…`);
    stepRun = await stepRunOf(new RunHistory(o.arm, o.ws, discoveryUrl), jobName, where.node, where.displayName);
  }

  const record: CloudRunRecord = {
    kind: 'cloud',
    job: jobName,
    status,
    node: where.node,
    stepRunId: stepRun?.runId,
    studioUrl: (job.properties.services as { Studio?: { endpoint?: string } } | undefined)?.Studio?.endpoint,
    downloadedAt: new Date().toISOString(),
    outputs: {},
    missing: [],
    appendRowOutput: where.appendRowOutput,
    appendRowFileName: where.appendRowFileName,
    toCsv: appendRowToCsvOptionsFromText(undefined, SETTINGS_FILE),
    dataframeHeader: where.dataframeHeader,
    settingsSource: 'driver defaults',
    notes: [],
  };
  await fs.mkdir(o.dest, { recursive: true });

  for (const out of where.outputs) {
    const ds = storeNamed(out.datastore);
    const source = await sourceOf(ds);
    const dir = path.join(o.dest, 'outputs', out.name);
    let found = false;
    for (const candidate of defaultOutputPaths(out, jobName, stepRun?.runId)) {
      step(`Downloading output ${out.name} from ${datastorePathUri(ds.name, candidate)}…`);
      const got = await downloadPrefix(source, candidate, dir, {
        concurrency: o.concurrency,
        abortSignal: o.abortSignal,
        onProgress: (p) => o.onProgress?.(out.name, p),
      });
      if (got.files.length === 0) continue;
      record.outputs[out.name] = {
        uri: datastorePathUri(ds.name, candidate),
        dir,
        files: got.files.length,
        bytes: got.files.reduce((n, f) => n + f.size, 0),
      };
      if (out.name === where.appendRowOutput) {
        const byName =
          got.files.find((f) => f.name === where.appendRowFileName) ??
          got.files.find((f) => path.basename(f.file) === where.appendRowFileName);
        record.outputFile = (byName ?? (got.files.length === 1 ? got.files[0] : undefined))?.file;
      }
      found = true;
      break;
    }
    if (!found) record.missing.push(out.name);
  }

  // How the rows were written: the settings file in the job's own code, as the driver read it. Code that can no
  // longer be read (deleted, another storage account) leaves the driver's defaults, said in a note.
  if (where.code) {
    const m = /\/codes\/([^/]+)\/versions\/([^/]+)$/.exec(where.code);
    try {
      if (m) {
        const code = await azureCall(`read the code of job ${jobName}`, () =>
          o.ml.codeVersions.get(o.ws.resourceGroup, o.ws.workspace, m[1], m[2]),
        );
        const at = code.properties.codeUri ? datastoreOfUrl(code.properties.codeUri, stores, o.blob) : undefined;
        if (!at)
          record.notes.push(
            `The job's code (${code.properties.codeUri ?? where.code}) is not in a datastore of the workspace: rows are read with the driver's defaults.`,
          );
        else {
          const got = await downloadPrefix(
            await sourceOf(at.ds),
            `${at.path.replace(/\/+$/, '')}/${SETTINGS_FILE}`,
            path.join(o.dest, 'code'),
            { abortSignal: o.abortSignal },
          );
          if (got.files.length) {
            record.toCsv = appendRowToCsvOptionsFromText(
              await fs.readFile(got.files[0].file, 'utf8'),
              `${SETTINGS_FILE} of job ${jobName}`,
            );
            record.settingsSource = 'job code';
          }
        }
      }
    } catch (err) {
      if ((err as { code?: string }).code === 'Cancelled') throw err;
      record.notes.push(`${(err as Error).message} Rows are read with the driver's defaults (space-separated, no header).`);
    }
  }
  // Paths inside the folder are kept relative, so the folder can move.
  const rel = (p: string) => path.relative(o.dest, p).split(path.sep).join('/');
  const stored: CloudRunRecord = {
    ...record,
    outputs: Object.fromEntries(Object.entries(record.outputs).map(([k, v]) => [k, { ...v, dir: rel(v.dir) }])),
    outputFile: record.outputFile ? rel(record.outputFile) : undefined,
  };
  await fs.writeFile(path.join(o.dest, CLOUD_RUN_FILE), JSON.stringify(stored, null, 2));
  return record;
}
