// Resubmits a job with other data and parameters, without its YAML: the job body as the service stored it (GET),
// its data inputs pointed elsewhere (a data asset, a datastore path, a local folder or file uploaded as submit
// does) and the parallel step's parameters changed, PUT as a new job through the client's pipeline.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { TokenCredential } from '@azure/core-auth';
import type { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import { datastoreContainer, type BlobEndpointOptions } from '../blob/container';
import { toAzureError } from '../http/errors';
import { allItems } from '../http/paging';
import { datastorePages } from '../resources/datastores';
import { putJob, studioUrl } from '../resources/jobs';
import type { Job, WorkspaceRef } from '../resources/types';
import { getRawJob, pickParallelNode } from '../results/locate';
import { parseDatastoreUri } from '../resources/ids';
import { uploadLocalPath, type UploadProgress } from '../upload/upload';
import { inputModes } from './job-body';
import { parseResubmitChanges, ResubmitInputError, type ResubmitChanges } from './resubmit-changes';
import { jobNameProblem } from './submit';

type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface ResubmitOptions {
  ml: AzureMachineLearningWorkspaces;
  ws: WorkspaceRef;
  credential: TokenCredential;
  blob?: BlobEndpointOptions;
  /** `NAME=WHERE`: a data asset (`azureml:name:version`, `azureml:name@latest`), a datastore path, a local folder or file. */
  inputs?: string[];
  /** `key=value`: mini_batch_size, nodes, processes, thresholds, retries, timeout, logging_level, inputs.NAME. */
  set?: string[];
  /** The parallel step, when the pipeline has several. */
  node?: string;
  /** Name of the new job (default: a new unique one). */
  jobName?: string;
  /** Local paths are relative to this folder (default: the current one). */
  cwd?: string;
  concurrency?: number;
  abortSignal?: AbortSignal;
  onStep?: (message: string) => void;
  onUploadProgress?: (what: string, p: UploadProgress) => void;
}

export interface ResubmitResult {
  job: Job;
  studioUrl: string;
  source: string;
  /** One line per change: "input digit_images → azureml://…/one.png (uri_file)", "mini_batch_size 5 → 1". */
  changes: string[];
  uploads: { path: string; uri: string; skipped: boolean; bytes: number }[];
}

/** Fields the service sets on a job, which a new job must not carry. */
const SERVICE_FIELDS = ['status', 'services', 'parentJobName', 'sourceJobId'];

function newJobName(): string {
  return `prs_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

/** `${{parent.inputs.x}}` (as text, or as `{value}`) → x. */
function parentInput(v: unknown): string | undefined {
  const text = typeof v === 'string' ? v : isMap(v) && typeof v.value === 'string' ? v.value : undefined;
  return text ? /^\$\{\{\s*parent\.inputs\.([A-Za-z0-9_]+)\s*\}\}$/.exec(text.trim())?.[1] : undefined;
}

/** `${{inputs.x}}` → x. */
function ownInput(v: unknown): string | undefined {
  return typeof v === 'string' ? /^\$\{\{\s*inputs\.([A-Za-z0-9_]+)\s*\}\}$/.exec(v.trim())?.[1] : undefined;
}

const typeOf = (i: Json | undefined): string | undefined => (i ? String(i.jobInputType ?? i.job_input_type ?? '') || undefined : undefined);

/** Resubmits job `source` with the changes asked for. Nothing is uploaded or sent when a change is invalid. */
export async function resubmitJob(source: string, o: ResubmitOptions): Promise<ResubmitResult> {
  const step = (m: string) => o.onStep?.(m);
  const cwd = o.cwd ?? process.cwd();
  const raw = await getRawJob(o.ml, o.ws, source, o.abortSignal);
  const props = JSON.parse(JSON.stringify(raw.properties)) as Json;
  for (const k of SERVICE_FIELDS) delete props[k];
  // System properties (azureml.*, mlflow.*) are the service's record of the old run, not settings.
  if (isMap(props.properties))
    props.properties = Object.fromEntries(Object.entries(props.properties).filter(([k]) => !/^(azureml|mlflow)\./.test(k)));
  const [nodeName, node] = pickParallelNode({ properties: props }, source, o.node);
  const pipelineInputs = (isMap(props.inputs) ? props.inputs : (props.inputs = {})) as Record<string, Json>;
  const nodeInputs = (isMap(node.inputs) ? node.inputs : (node.inputs = {})) as Record<string, Json>;

  /** The input named `name` as a place to write: the pipeline input a node input is bound to, or the node's own. */
  const inputSlot = (name: string): { level: 'pipeline' | 'node'; name: string } | undefined => {
    if (pipelineInputs[name] !== undefined) return { level: 'pipeline', name };
    if (nodeInputs[name] === undefined) return undefined;
    const bound = parentInput(nodeInputs[name]);
    return bound && pipelineInputs[bound] !== undefined ? { level: 'pipeline', name: bound } : { level: 'node', name };
  };
  const slotValue = (s: { level: 'pipeline' | 'node'; name: string }): Json | undefined =>
    s.level === 'pipeline' ? pipelineInputs[s.name] : nodeInputs[s.name];
  const dataInput = ownInput(node.input_data);
  const dataSlot = dataInput ? inputSlot(dataInput) : undefined;
  const tabular = typeOf(dataSlot ? slotValue(dataSlot) : undefined) === 'mltable';
  const changes: ResubmitChanges = parseResubmitChanges(o.inputs ?? [], o.set ?? [], { tabular });

  const problems: string[] = [];
  const known = [...new Set([...Object.keys(pipelineInputs), ...Object.keys(nodeInputs)])].join(', ');
  const said: string[] = [];
  const uploads: ResubmitResult['uploads'] = [];

  // Data inputs: resolve every one first (existence, local paths), so a mistake costs no upload.
  type Planned = {
    slot: { level: 'pipeline' | 'node'; name: string };
    asked: string;
    written: string;
    type: string;
    uri?: string;
    local?: string;
    assetCheck?: { name: string; version?: string };
  };
  const planned: Planned[] = [];
  for (const c of changes.inputs) {
    const slot = inputSlot(c.name);
    if (!slot) {
      problems.push(`--input ${c.name}=${c.where}: job ${source} has no input ${c.name}; its inputs: ${known || 'none'}.`);
      continue;
    }
    const current = slotValue(slot);
    const currentType = typeOf(current) ?? 'uri_folder';
    if (currentType === 'literal') {
      problems.push(`--input ${c.name}=${c.where}: ${c.name} is a value, not data: write --set inputs.${slot.name}=${c.where}.`);
      continue;
    }
    const asset = /^azureml:([A-Za-z0-9][A-Za-z0-9_.-]*)(?::([A-Za-z0-9_.-]+)|@latest)$/.exec(c.where);
    if (asset) {
      planned.push({
        slot,
        asked: c.name,
        written: c.where,
        type: currentType,
        uri: c.where,
        assetCheck: { name: asset[1], version: asset[2] },
      });
    } else if (c.where.startsWith('azureml://')) {
      const ds = parseDatastoreUri(c.where);
      if (!ds && !/^azureml:\/\/(jobs|subscriptions|locations)\//.test(c.where)) {
        problems.push(`--input ${c.name}=${c.where}: not a datastore path; write azureml://datastores/<datastore>/paths/<path>.`);
        continue;
      }
      planned.push({
        slot,
        asked: c.name,
        written: c.where,
        type: c.where.endsWith('/') && currentType === 'uri_file' ? 'uri_folder' : currentType,
        uri: c.where,
      });
    } else if (/^(https?|wasbs?|abfss?|adl):\/\//.test(c.where)) {
      planned.push({ slot, asked: c.name, written: c.where, type: currentType, uri: c.where });
    } else if (c.where.startsWith('azureml:')) {
      problems.push(`--input ${c.name}=${c.where}: a data asset is written azureml:<name>:<version> or azureml:<name>@latest.`);
    } else {
      const abs = path.resolve(cwd, c.where);
      let stat;
      try {
        stat = await fs.stat(abs);
      } catch {
        problems.push(
          `--input ${c.name}=${c.where}: ${abs} does not exist. Give a local folder or file, a data asset (azureml:<name>:<version>) or a datastore path (azureml://datastores/<name>/paths/<path>).`,
        );
        continue;
      }
      const type = stat.isDirectory() ? (currentType === 'mltable' ? 'mltable' : 'uri_folder') : 'uri_file';
      if (type === 'uri_file' && currentType === 'mltable') {
        problems.push(`--input ${c.name}=${c.where}: ${c.name} is an MLTable input; give the folder that holds the MLTable file.`);
        continue;
      }
      planned.push({ slot, asked: c.name, written: c.where, type, local: abs });
    }
  }
  for (const l of changes.literals) {
    const current = pipelineInputs[l.input];
    if (!current)
      problems.push(
        `--set inputs.${l.input}=${l.value}: job ${source} has no pipeline input ${l.input}; its pipeline inputs: ${Object.keys(pipelineInputs).join(', ') || 'none'}.`,
      );
    else if (typeOf(current) !== 'literal')
      problems.push(`--set inputs.${l.input}=${l.value}: ${l.input} is data (${typeOf(current)}): write --input ${l.input}=${l.value}.`);
  }
  for (const p of planned) {
    if (!p.assetCheck) continue;
    const { name, version } = p.assetCheck;
    try {
      if (version) {
        const v = await o.ml.dataVersions.get(o.ws.resourceGroup, o.ws.workspace, name, version);
        const t = v.properties.dataType;
        if (t === 'uri_file' || t === 'uri_folder' || t === 'mltable') p.type = t;
      } else await o.ml.dataContainers.get(o.ws.resourceGroup, o.ws.workspace, name);
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode !== 404) throw toAzureError(err, `read data asset ${p.written}`);
      problems.push(
        `--input ${p.asked}=${p.written}: workspace ${o.ws.workspace} has no data asset ${name}${version ? ` version ${version}` : ''}. Register it first, or give a local path or a datastore path.`,
      );
    }
  }
  const jobName = o.jobName ?? newJobName();
  const nameProblem = jobNameProblem(jobName);
  if (nameProblem) problems.push(nameProblem);
  if (problems.length) throw new ResubmitInputError(problems);

  // Local data goes where submit puts it: LocalUpload/<hash>/ of the default datastore.
  if (planned.some((p) => p.local)) {
    const stores = await allItems(datastorePages(o.ml, o.ws));
    const settings = isMap(props.settings) ? props.settings : {};
    const wanted = typeof settings.default_datastore === 'string' ? settings.default_datastore.replace(/^azureml:/, '') : undefined;
    const ds = stores.find((d) => (wanted ? d.name === wanted : d.isDefault));
    if (!ds)
      throw new ResubmitInputError([
        `Workspace ${o.ws.workspace} has no ${wanted ? `datastore ${wanted}` : 'default datastore'} to upload local data to.`,
      ]);
    const container = await datastoreContainer(o.ml, o.ws, ds, o.credential, o.blob);
    for (const p of planned.filter((x) => x.local)) {
      step(`Uploading ${p.written}…`);
      const r = await uploadLocalPath(container, ds.name, p.local!, {
        concurrency: o.concurrency,
        abortSignal: o.abortSignal,
        onProgress: (u) => o.onUploadProgress?.(p.local!, u),
      });
      p.uri = r.uri;
      uploads.push({ path: p.local!, uri: r.uri, skipped: r.skipped, bytes: r.uploadedBytes });
    }
  }

  for (const p of planned) {
    const before = slotValue(p.slot) ?? {};
    const mode = typeof before.mode === 'string' ? before.mode : undefined;
    const next: Json = p.slot.level === 'pipeline' ? { jobInputType: p.type, uri: p.uri } : { job_input_type: p.type, uri: p.uri };
    if (mode) next.mode = inputModes[mode] ?? mode;
    if (p.slot.level === 'pipeline') pipelineInputs[p.slot.name] = next;
    else nodeInputs[p.slot.name] = next;
    said.push(`input ${p.slot.name}: ${String(before.uri ?? '(none)')} → ${p.uri} (${p.type}${mode ? `, ${mode}` : ''})`);
  }
  const setLiteral = (input: string, value: string) => {
    const before = pipelineInputs[input]?.value;
    pipelineInputs[input] = { ...pipelineInputs[input], jobInputType: 'literal', value };
    said.push(`input ${input}: ${String(before)} → ${value}`);
  };
  for (const l of changes.literals) setLiteral(l.input, l.value);
  for (const p of changes.parameters) {
    let at: Json = node;
    for (const k of p.path.slice(0, -1)) at = (isMap(at[k]) ? at[k] : (at[k] = {})) as Json;
    const last = p.path[p.path.length - 1];
    // A parameter bound to a pipeline input (`${{parent.inputs.batch_size}}`) changes that input, keeping the job's shape.
    const bound = parentInput(at[last]);
    if (bound && pipelineInputs[bound] && typeOf(pipelineInputs[bound]) === 'literal') {
      setLiteral(bound, String(p.value));
      continue;
    }
    said.push(`${p.name}: ${at[last] === undefined ? '(default)' : String(at[last])} → ${String(p.value)}`);
    at[last] = p.value;
  }

  const tags = isMap(props.tags) ? props.tags : (props.tags = {});
  (tags as Json).resubmitted_from = source;
  step(
    `Submitting job ${jobName} (job ${source}, step ${nodeName}, ${said.length ? said.length : 'no'} change${said.length === 1 ? '' : 's'})…`,
  );
  const job = await putJob(o.ml, o.ws, jobName, { properties: props });
  return { job, studioUrl: studioUrl(job, o.ws), source, changes: said, uploads };
}
