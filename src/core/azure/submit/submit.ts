// Submits a spec to a workspace: validate, upload code and local data, register code/environment versions, PUT the
// PipelineJob through the client's pipeline. Each step reports what it does; nothing is sent if validation fails.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { TokenCredential } from '@azure/core-auth';
import type { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import { parse } from 'yaml';
import { loadSpec } from '../../spec/load';
import { SpecError, type Diagnostic } from '../../spec/types';
import { datastoreContainer, containerUrl, type BlobEndpointOptions } from '../blob/container';
import { toAzureError } from '../http/errors';
import { allItems } from '../http/paging';
import { getCompute } from '../resources/computes';
import { datastorePages } from '../resources/datastores';
import { putJob, studioUrl } from '../resources/jobs';
import type { Datastore, Job, WorkspaceRef } from '../resources/types';
import type { ContainerClient } from '@azure/storage-blob';
import { packageLocalPath } from '../upload/package';
import { uploadPackage, type UploadProgress } from '../upload/upload';
import { datastorePathUri } from '../resources/ids';
import { workspaceKey, type CacheKind, type SubmitCache } from './cache';
import { ensureCodeVersion, ensureEnvironmentVersion, environmentVersionOf } from './assets';
import { pipelineJobBody, type SubmitResolution } from './job-body';

type Json = Record<string, unknown>;

export interface SubmitOptions {
  ml: AzureMachineLearningWorkspaces;
  ws: WorkspaceRef;
  /** For identity-based datastores (account-key and SAS datastores use their secrets). */
  credential: TokenCredential;
  blob?: BlobEndpointOptions;
  /** `--set` overrides, as for local runs. */
  overrides?: string[];
  /** The compute cluster to run on, instead of the spec's (`cpu-cluster` or `azureml:cpu-cluster`). */
  compute?: string;
  /** Job name; default a new unique one. */
  jobName?: string;
  concurrency?: number;
  abortSignal?: AbortSignal;
  /**
   * What the workspace is known to hold from earlier submissions: trusted without asking (an unchanged spec
   * then costs only the job PUT); a PUT refused with 404/409 clears what it trusted and retries once.
   */
  cache?: SubmitCache;
  /** One line per step ("Uploading ./src (42 files)…"). */
  onStep?: (message: string) => void;
  onUploadProgress?: (what: string, p: UploadProgress) => void;
}

export interface SubmitResult {
  job: Job;
  studioUrl: string;
  /** What was uploaded or found complete: local path → URI, and whether bytes were sent. */
  uploads: { path: string; uri: string; skipped: boolean; bytes: number }[];
  registered: { code: number; environments: number };
}

const dataTypes = new Set(['uri_folder', 'uri_file', 'mltable', 'custom_model', 'mlflow_model', 'triton_model']);
const isMap = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isLocal = (p: string) => !/^(azureml:|https?:|wasbs?:|abfss?:|adl:)/.test(p);

/** Applies `--set a.b.c=value` to the document as written (the values the service receives). */
export function applyOverridesToDocument(doc: Json, overrides: readonly string[]): void {
  const jobs = isMap(doc.jobs) ? doc.jobs : {};
  const parallel = Object.keys(jobs).filter((k) => isMap(jobs[k]) && (jobs[k] as Json).type === 'parallel');
  for (const o of overrides) {
    const eq = o.indexOf('=');
    if (eq <= 0) continue; // the spec reader already reported it
    let keys = o.slice(0, eq).trim().split('.');
    const value = parse(o.slice(eq + 1)) as unknown;
    const top = new Set([
      'inputs',
      'outputs',
      'jobs',
      'settings',
      'tags',
      'display_name',
      'experiment_name',
      'description',
      'compute',
      'name',
    ]);
    if (!top.has(keys[0]) && parallel.length === 1 && doc.type === 'pipeline') keys = ['jobs', parallel[0], ...keys];
    let at: Json = doc;
    for (const k of keys.slice(0, -1)) {
      if (!isMap(at[k])) at[k] = {};
      at = at[k] as Json;
    }
    const last = keys[keys.length - 1];
    // `inputs.images=./other` on a data input replaces its path, keeping its type and mode.
    if (isMap(at[last]) && typeof (at[last] as Json).path === 'string' && typeof value === 'string') (at[last] as Json).path = value;
    else at[last] = value;
  }
}

/** The line of the first `key:` in the text, for diagnostics about values the service checks. */
function locate(file: string, text: string, key: string): Diagnostic['location'] {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => new RegExp(`^\\s*${key}\\s*:`).test(l));
  const line = i < 0 ? 1 : i + 1;
  const column = i < 0 ? 1 : lines[i].indexOf(key) + 1;
  return { file, line, column, endLine: line, endColumn: column + key.length };
}

function newJobName(): string {
  return `prs_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

/** Job names the service accepts: letters, digits, `_` and `-`, up to 255, starting with a letter or digit. */
export function jobNameProblem(name: string): string | undefined {
  return /^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$/.test(name)
    ? undefined
    : `"${name}" is not a valid job name: start with a letter or digit, then letters, digits, "_" or "-" (at most 255).`;
}

export async function submitSpec(specFile: string, o: SubmitOptions): Promise<SubmitResult> {
  const file = path.resolve(specFile);
  const step = (m: string) => o.onStep?.(m);
  // 1. The spec reader's checks (names, sizes, thresholds, bindings), read for the cloud.
  await loadSpec(file, { local: false, overrides: o.overrides ?? [], signal: o.abortSignal });
  const text = await fs.readFile(file, 'utf8');
  let doc = parse(text) as Json;
  if (doc.type === 'parallel') {
    const name = String(doc.name ?? path.basename(file, path.extname(file))).replace(/[^A-Za-z0-9_]/g, '_');
    doc = {
      type: 'pipeline',
      display_name: doc.display_name ?? doc.name,
      experiment_name: doc.experiment_name,
      settings: { default_compute: doc.compute },
      jobs: { [name]: doc },
    };
  }
  applyOverridesToDocument(doc, o.overrides ?? []);
  const specDir = path.dirname(file);
  const jobs = (isMap(doc.jobs) ? doc.jobs : {}) as Record<string, Json>;
  if (o.compute) {
    // The cluster the user picked runs the pipeline and every parallel node (a node's own `compute:` included).
    const ref = `azureml:${o.compute.replace(/^azureml:/, '')}`;
    doc.settings = { ...(isMap(doc.settings) ? doc.settings : {}), default_compute: ref };
    for (const n of Object.values(jobs)) if (n.type === 'parallel' && n.compute !== undefined) n.compute = ref;
  }

  const jobName = o.jobName ?? newJobName();
  const nameProblem = jobNameProblem(jobName);
  if (nameProblem)
    throw new SpecError([
      {
        severity: 'error',
        rule: 'job-name',
        message: nameProblem,
        fix: 'Pass a name like "digits_run_1".',
        location: locate(file, text, 'name'),
      },
    ]);
  const cache = o.cache;
  const first = await remoteSteps({ o, file, text, doc, jobs, specDir, jobName, cache, trustCache: true });
  try {
    if (first.failure === undefined) return first.result!;
    // A job PUT refused for something the cache vouched for (a deleted code or environment version, compute or
    // data asset): forget what this attempt trusted and do it again asking the service about everything.
    if (cache && cache.usedTrusted && isMissingAsset(first.failure)) {
      await cache.forgetTrusted();
      step('The workspace no longer has an asset the submit cache remembered: checking everything again…');
      const second = await remoteSteps({ o, file, text, doc, jobs, specDir, jobName, cache, trustCache: false });
      if (second.failure === undefined) return second.result!;
      throw second.failure;
    }
    throw first.failure;
  } finally {
    await cache?.save().catch(() => undefined); // a cache that cannot be written only costs calls next time
  }
}

/** A job PUT the service refused because something it names is missing (404) or in conflict (409). */
function isMissingAsset(err: unknown): boolean {
  const status = (err as { status?: number; statusCode?: number }).status ?? (err as { statusCode?: number }).statusCode;
  return status === 404 || status === 409;
}

interface RemoteContext {
  o: SubmitOptions;
  file: string;
  text: string;
  doc: Json;
  jobs: Record<string, Json>;
  specDir: string;
  jobName: string;
  cache?: SubmitCache;
  /** False on the retry after a refused PUT: every fact is asked of the service again. */
  trustCache: boolean;
}

/**
 * Everything that needs the workspace: validation, uploads, registrations, the job PUT. Returns the job PUT's
 * failure as a value (the caller decides about a retry); other failures throw.
 */
async function remoteSteps(c: RemoteContext): Promise<{ result?: SubmitResult; failure?: unknown }> {
  const { o, file, text, doc, jobs, specDir, cache } = c;
  const step = (m: string) => o.onStep?.(m);
  const wsKey = workspaceKey(o.ml.$host, o.ws);
  cache?.startAttempt();
  const known = async (kind: CacheKind, key: string) => (cache && c.trustCache ? cache.get(kind, wsKey, key) : undefined);
  const remember = async (kind: CacheKind, key: string, value: string) => cache?.set(kind, wsKey, key, value);

  // 2. What only the workspace can say: the compute exists and is a cluster; the named assets exist.
  const problems: Diagnostic[] = [];
  const computes = new Map<string, string>(); // compute name → YAML key it was written under
  const settings = isMap(doc.settings) ? doc.settings : {};
  if (typeof settings.default_compute === 'string') computes.set(settings.default_compute.replace(/^azureml:/, ''), 'default_compute');
  for (const n of Object.values(jobs)) if (typeof n.compute === 'string') computes.set(n.compute.replace(/^azureml:/, ''), 'compute');
  if (computes.size === 0) {
    problems.push({
      severity: 'error',
      rule: 'compute',
      message: 'The spec names no compute to run on.',
      fix: "Add `settings: {default_compute: azureml:cpu-cluster}` (your cluster's name).",
      location: locate(file, text, 'jobs'),
    });
  }
  for (const [name, key] of computes) {
    if (name.startsWith('/subscriptions/')) continue;
    if (await known('compute', name)) continue;
    step(`Checking compute ${name}…`);
    try {
      const comp = await getCompute(o.ml, o.ws, name);
      if (comp.kind !== 'cluster') {
        problems.push({
          severity: 'error',
          rule: 'compute-type',
          message: `Compute ${name} is ${comp.kind === 'instance' ? 'a compute instance' : `of type ${(comp as { computeType?: string }).computeType}`}; parallel jobs run on an AmlCompute cluster.`,
          fix: 'Name a compute cluster (AmlCompute) of the workspace, or create one.',
          location: locate(file, text, key),
        });
      } else await remember('compute', name, 'cluster');
    } catch (err) {
      if ((err as { status?: number }).status !== 404) throw err;
      problems.push({
        severity: 'error',
        rule: 'compute-missing',
        message: `Workspace ${o.ws.workspace} has no compute named ${name}.`,
        fix: 'Create the cluster, or write the name of an existing one (see the Computes node of the Azure tree).',
        location: locate(file, text, key),
      });
    }
  }
  // Registered data and models named by the inputs exist (`azureml:<name>:<version>`, `azureml:<name>@latest`).
  const assets = new Map<string, { kind: 'data' | 'models'; name: string; version?: string; key: string }>();
  const noteAsset = (v: unknown, key: string) => {
    if (!isMap(v) || typeof v.path !== 'string') return;
    const m = /^azureml:([A-Za-z0-9][A-Za-z0-9_.-]*)(?::([A-Za-z0-9_.-]+)|@latest)$/.exec(v.path);
    if (!m) return;
    const kind = String(v.type).endsWith('_model') ? 'models' : 'data';
    assets.set(v.path, { kind, name: m[1], version: m[2], key });
  };
  for (const [k, v] of Object.entries(isMap(doc.inputs) ? doc.inputs : {})) noteAsset(v, k);
  for (const n of Object.values(jobs)) for (const [k, v] of Object.entries(isMap(n.inputs) ? n.inputs : {})) noteAsset(v, k);
  for (const [ref, a] of assets) {
    // `@latest` moves: only pinned versions are remembered.
    if (a.version && (await known('asset', `${a.kind}:${ref}`))) continue;
    try {
      if (a.kind === 'data')
        await (a.version
          ? o.ml.dataVersions.get(o.ws.resourceGroup, o.ws.workspace, a.name, a.version)
          : o.ml.dataContainers.get(o.ws.resourceGroup, o.ws.workspace, a.name));
      else
        await (a.version
          ? o.ml.modelVersions.get(o.ws.resourceGroup, o.ws.workspace, a.name, a.version)
          : o.ml.modelContainers.get(o.ws.resourceGroup, o.ws.workspace, a.name));
      if (a.version) await remember('asset', `${a.kind}:${ref}`, 'exists');
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode !== 404) throw toAzureError(err, `read ${ref}`);
      problems.push({
        severity: 'error',
        rule: 'input-asset-missing',
        message: `Input ${a.key}: workspace ${o.ws.workspace} has no ${a.kind === 'data' ? 'data asset' : 'model'} ${a.name}${a.version ? ` version ${a.version}` : ''}.`,
        fix: `Register it first, or point the input at a local folder with --set inputs.${a.key}.path=<folder>.`,
        location: locate(file, text, a.key),
      });
    }
  }
  if (problems.length) throw new SpecError(problems);

  // 3. Uploads: code folders and local data, each under LocalUpload/<hash>/ of the default datastore.
  const local = new Map<string, string>(); // abs path → what (for messages)
  const addData = (v: unknown, what: string) => {
    if (isMap(v) && dataTypes.has(String(v.type)) && typeof v.path === 'string' && isLocal(v.path))
      local.set(path.resolve(specDir, v.path), what);
  };
  for (const [k, v] of Object.entries(isMap(doc.inputs) ? doc.inputs : {})) addData(v, `input ${k}`);
  const codeOf = new Map<string, string>(); // node → abs code folder
  for (const [name, n] of Object.entries(jobs)) {
    for (const [k, v] of Object.entries(isMap(n.inputs) ? n.inputs : {})) addData(v, `input ${k} of ${name}`);
    const code = n.type === 'parallel' ? (isMap(n.task) ? n.task.code : undefined) : n.code;
    const codeDir = typeof code === 'string' ? code : code === undefined ? '.' : undefined;
    if (codeDir !== undefined && isLocal(codeDir)) codeOf.set(name, path.resolve(specDir, codeDir));
  }
  const wanted = typeof settings.default_datastore === 'string' ? settings.default_datastore.replace(/^azureml:/, '') : undefined;
  // The datastore: its name and container URL (no credentials) may come from the cache; its container client
  // (which reads the datastore's secrets) only when something has to be uploaded.
  const dsKey = `${wanted ?? '(default)'}|${o.blob?.blobEndpoint ?? ''}`;
  let ds: Datastore | undefined;
  let dsName: string;
  let base: string;
  const cachedDs = await known('datastore', dsKey);
  const readDatastore = async (): Promise<Datastore> => {
    const datastores = await allItems(datastorePages(o.ml, o.ws));
    const found = datastores.find((d) => (wanted ? d.name === wanted : d.isDefault));
    if (!found)
      throw new Error(
        wanted
          ? `Workspace ${o.ws.workspace} has no datastore ${wanted} (settings.default_datastore in ${file}).`
          : `Workspace ${o.ws.workspace} has no default datastore: set one in the studio, or add settings.default_datastore to ${file}.`,
      );
    return found;
  };
  const parsedDs = cachedDs ? (JSON.parse(cachedDs) as { name?: unknown; base?: unknown }) : undefined;
  if (parsedDs && typeof parsedDs.name === 'string' && typeof parsedDs.base === 'string') {
    dsName = parsedDs.name;
    base = parsedDs.base;
  } else {
    ds = await readDatastore();
    dsName = ds.name;
    base = containerUrl(ds, o.blob);
    await remember('datastore', dsKey, JSON.stringify({ name: dsName, base }));
  }
  let container: ContainerClient | undefined;
  const containerNow = async () =>
    (container ??= await datastoreContainer(o.ml, o.ws, (ds ??= await readDatastore()), o.credential, o.blob));
  const resolution: SubmitResolution = { ws: o.ws, uploadedPaths: {}, codeIds: {}, environmentIds: {} };
  const uploads: SubmitResult['uploads'] = [];
  const hashes = new Map<string, { hash: string; blobPath: string }>();
  for (const abs of new Set([...codeOf.values(), ...local.keys()])) {
    const pkg = await packageLocalPath(abs);
    const uploadKey = `${dsName}|${pkg.blobPath}`;
    let skipped = true;
    let bytes = 0;
    if (await known('upload', uploadKey)) {
      o.onUploadProgress?.(abs, { files: pkg.files.length, totalFiles: pkg.files.length, bytes: pkg.bytes, totalBytes: pkg.bytes });
    } else {
      step(`Uploading ${path.relative(specDir, abs) || '.'}…`);
      const r = await uploadPackage(await containerNow(), pkg, {
        concurrency: o.concurrency,
        abortSignal: o.abortSignal,
        onProgress: (p) => o.onUploadProgress?.(abs, p),
      });
      skipped = r.skipped;
      bytes = r.uploadedBytes;
      await remember('upload', uploadKey, 'complete');
    }
    const uri = datastorePathUri(dsName, pkg.blobPath);
    resolution.uploadedPaths[abs] = uri;
    hashes.set(abs, { hash: pkg.hash, blobPath: pkg.blobPath });
    uploads.push({ path: abs, uri, skipped, bytes });
  }

  // 4. Code and environment versions (content-addressed: unchanged = found, not registered).
  const registered = { code: 0, environments: 0 };
  for (const [node, abs] of codeOf) {
    const h = hashes.get(abs)!;
    const codeUri = `${base}/${h.blobPath}`;
    const codeKey = `${h.hash}|${codeUri}`;
    const cachedRef = await known('code', codeKey);
    if (cachedRef) {
      resolution.codeIds[node] = cachedRef;
      continue;
    }
    const r = await ensureCodeVersion(o.ml, o.ws, h.hash, codeUri);
    resolution.codeIds[node] = r.ref;
    await remember('code', codeKey, r.ref);
    if (r.created) registered.code++;
  }
  for (const [name, n] of Object.entries(jobs)) {
    const env = n.type === 'parallel' ? (isMap(n.task) ? n.task.environment : undefined) : n.environment;
    if (!isMap(env)) continue;
    if (typeof env.image !== 'string')
      throw new Error(
        `The environment of node ${name} in ${file} has no image: add \`image: mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest\` or name a registered environment.`,
      );
    const conda = typeof env.conda_file === 'string' ? await fs.readFile(path.resolve(specDir, env.conda_file), 'utf8') : undefined;
    const envKey = environmentVersionOf(env.image, conda);
    const cachedRef = await known('environment', envKey);
    if (cachedRef) {
      resolution.environmentIds[name] = cachedRef;
      continue;
    }
    step(`Registering the environment of ${name}…`);
    const r = await ensureEnvironmentVersion(o.ml, o.ws, env.image, conda);
    resolution.environmentIds[name] = r.ref;
    await remember('environment', envKey, r.ref);
    if (r.created) registered.environments++;
  }

  // 5. The job, through the client's pipeline (jobs.createOrUpdate would drop the inputs' uri and mode).
  const body = pipelineJobBody(doc, file, resolution);
  step(`Submitting job ${c.jobName}…`);
  try {
    const job = await putJob(o.ml, o.ws, c.jobName, body);
    return { result: { job, studioUrl: studioUrl(job, o.ws), uploads, registered } };
  } catch (err) {
    return { failure: err };
  }
}
