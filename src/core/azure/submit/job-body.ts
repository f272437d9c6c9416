// A pipeline spec (the YAML as written) → the PipelineJob REST body the service accepts (api-version 2022-10-01),
// in the shape azure-ai-ml sends: pipeline fields camelCase, nodes snake_case, bindings kept as written.
import * as path from 'node:path';
import { workspaceId } from '../resources/ids';
import type { WorkspaceRef } from '../resources/types';

type Json = Record<string, unknown>;

/** What submission decided for the parts of the spec that live on this machine. */
export interface SubmitResolution {
  ws: WorkspaceRef;
  /** Local data path (absolute, as written resolved against the spec's folder) → uploaded `azureml://` URI. */
  uploadedPaths: Record<string, string>;
  /** Node name → `azureml:/subscriptions/…/codes/<name>/versions/<v>` of its registered code. */
  codeIds: Record<string, string>;
  /** Node name → `azureml:/subscriptions/…/environments/<name>/versions/<v>` (inline environments only). */
  environmentIds: Record<string, string>;
}

/** YAML `mode` → the REST enum. */
export const inputModes: Record<string, string> = {
  ro_mount: 'ReadOnlyMount',
  rw_mount: 'ReadWriteMount',
  download: 'Download',
  direct: 'Direct',
  eval_mount: 'EvalMount',
  eval_download: 'EvalDownload',
  upload: 'Upload',
};

const dataTypes = new Set(['uri_folder', 'uri_file', 'mltable', 'custom_model', 'mlflow_model', 'triton_model']);

function isMap(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `azureml:cpu-cluster` / `cpu-cluster` / an ARM id → the compute's ARM id. */
export function computeId(ws: WorkspaceRef, compute: string): string {
  const name = compute.replace(/^azureml:/, '');
  return name.startsWith('/subscriptions/') ? name : `${workspaceId(ws)}/computes/${name}`;
}

/** A data path as the cloud names it: local paths become their upload's URI; cloud references pass through. */
function cloudPath(p: string, specDir: string, r: SubmitResolution): string {
  if (/^(azureml:|https?:|wasbs?:|abfss?:|adl:)/.test(p)) return p;
  const abs = path.resolve(specDir, p);
  const uri = r.uploadedPaths[abs] ?? r.uploadedPaths[abs.replace(/\/+$/, '')];
  if (!uri) throw new Error(`Local path ${p} (${abs}) was not uploaded before building the job: upload it first.`);
  return uri;
}

/** A literal input's value as the service stores it: a string (booleans as `True`/`False`, as Python writes them). */
function literal(v: unknown): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return String(v);
}

function pipelineInput(v: unknown, specDir: string, r: SubmitResolution): Json {
  if (!isMap(v)) return { jobInputType: 'literal', value: literal(v) };
  const type = String(v.type ?? '');
  if (dataTypes.has(type) && typeof v.path === 'string') {
    const out: Json = { jobInputType: type, uri: cloudPath(v.path, specDir, r) };
    if (typeof v.mode === 'string') out.mode = inputModes[v.mode] ?? v.mode;
    return out;
  }
  const value = v.value ?? v.default;
  return { jobInputType: 'literal', value: literal(value) };
}

function pipelineOutput(v: unknown): Json {
  const o = isMap(v) ? v : {};
  const out: Json = { jobOutputType: String(o.type ?? 'uri_folder') };
  if (typeof o.mode === 'string') out.mode = inputModes[o.mode] ?? o.mode;
  if (typeof o.path === 'string') out.uri = o.path;
  return out;
}

function nodeInput(v: unknown, specDir: string, r: SubmitResolution): Json {
  if (isMap(v) && dataTypes.has(String(v.type)) && typeof v.path === 'string') {
    const out: Json = { job_input_type: String(v.type), uri: cloudPath(v.path, specDir, r) };
    if (typeof v.mode === 'string') out.mode = inputModes[v.mode] ?? v.mode;
    return out;
  }
  return { job_input_type: 'literal', value: literal(isMap(v) ? (v.value ?? v.path) : v) };
}

function nodeOutput(v: unknown): Json {
  if (typeof v === 'string') return { type: 'literal', value: v };
  const o = isMap(v) ? v : {};
  const out: Json = { job_output_type: String(o.type ?? 'uri_folder') };
  if (typeof o.mode === 'string') out.mode = inputModes[o.mode] ?? o.mode;
  if (typeof o.path === 'string') out.uri = o.path;
  return out;
}

function mapValues(m: unknown, f: (v: unknown) => Json): Json {
  const out: Json = {};
  if (isMap(m)) for (const [k, v] of Object.entries(m)) out[k] = f(v);
  return out;
}

/** An int when written as one (or as a numeric string), else the text (a `${{…}}` binding, `"1mb"`). */
function intOrText(v: unknown): unknown {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\d+$/.test(v.trim())) return Number(v);
  return v;
}

function environmentOf(nodeName: string, env: unknown, r: SubmitResolution): string | undefined {
  if (r.environmentIds[nodeName]) return r.environmentIds[nodeName];
  if (typeof env === 'string') return env;
  if (env !== undefined) throw new Error(`The inline environment of node ${nodeName} was not registered before building the job.`);
  return undefined;
}

function parallelNode(name: string, n: Json, specDir: string, r: SubmitResolution): Json {
  const task = isMap(n.task) ? n.task : {};
  const out: Json = { type: 'parallel', name };
  if (n.display_name !== undefined) out.display_name = n.display_name;
  if (typeof n.compute === 'string') out.compute = computeId(r.ws, n.compute);
  out.inputs = mapValues(n.inputs, (v) => nodeInput(v, specDir, r));
  out.outputs = mapValues(n.outputs, nodeOutput);
  out.input_data = n.input_data;
  if (n.mini_batch_size !== undefined) out.mini_batch_size = intOrText(n.mini_batch_size);
  if (n.partition_keys !== undefined) out.partition_keys = JSON.stringify(n.partition_keys);
  for (const k of ['error_threshold', 'mini_batch_error_threshold', 'max_concurrency_per_instance']) {
    if (n[k] !== undefined) out[k] = intOrText(n[k]);
  }
  if (n.logging_level !== undefined) out.logging_level = n.logging_level;
  if (isMap(n.retry_settings)) {
    out.retry_settings = mapValues(n.retry_settings, (v) => intOrText(v) as Json);
  }
  if (isMap(n.resources)) out.resources = { ...n.resources };
  if (isMap(n.environment_variables)) out.environment_variables = { ...n.environment_variables };
  if (n.is_deterministic !== undefined) out.is_deterministic = n.is_deterministic;
  const t: Json = { type: String(task.type ?? 'run_function') };
  if (r.codeIds[name]) t.code = r.codeIds[name];
  t.entry_script = task.entry_script;
  const env = environmentOf(name, task.environment, r);
  if (env !== undefined) t.environment = env;
  if (task.program_arguments !== undefined) t.program_arguments = String(task.program_arguments).trim();
  if (task.append_row_to !== undefined) t.append_row_to = task.append_row_to;
  if (isMap(task.environment_variables)) t.environment_variables = { ...task.environment_variables };
  out.task = t;
  return out;
}

function commandNode(name: string, n: Json, specDir: string, r: SubmitResolution): Json {
  const out: Json = { type: 'command', name };
  if (n.display_name !== undefined) out.display_name = n.display_name;
  if (typeof n.compute === 'string') out.compute = computeId(r.ws, n.compute);
  out.command = typeof n.command === 'string' ? n.command.trim() : n.command;
  if (r.codeIds[name]) out.code = r.codeIds[name];
  const env = environmentOf(name, n.environment, r);
  if (env !== undefined) out.environment = env;
  out.inputs = mapValues(n.inputs, (v) => nodeInput(v, specDir, r));
  out.outputs = mapValues(n.outputs, nodeOutput);
  if (isMap(n.resources)) out.resources = { ...n.resources };
  if (isMap(n.environment_variables)) out.environment_variables = { ...n.environment_variables };
  if (isMap(n.distribution)) out.distribution = { ...n.distribution };
  if (n.is_deterministic !== undefined) out.is_deterministic = n.is_deterministic;
  return out;
}

/**
 * The PUT body of a pipeline job. `doc` is the spec as parsed YAML (overrides applied); its `jobs` are parallel
 * and command nodes. A standalone parallel spec is wrapped as a pipeline of one node by the caller.
 */
export function pipelineJobBody(doc: Json, specFile: string, r: SubmitResolution): { properties: Json } {
  const specDir = path.dirname(specFile);
  const jobs: Json = {};
  for (const [name, n] of Object.entries(isMap(doc.jobs) ? doc.jobs : {})) {
    if (!isMap(n)) continue;
    if (n.type === 'parallel') jobs[name] = parallelNode(name, n, specDir, r);
    else if (n.type === 'command') jobs[name] = commandNode(name, n, specDir, r);
    else throw new Error(`Node ${name} of ${specFile} has type ${String(n.type)}; submission supports parallel and command nodes.`);
  }
  const settings: Json = {};
  const s = isMap(doc.settings) ? doc.settings : {};
  const compute = (s.default_compute ?? doc.compute) as string | undefined;
  if (typeof compute === 'string') settings.default_compute = computeId(r.ws, compute);
  if (typeof s.default_datastore === 'string') settings.default_datastore = s.default_datastore;
  if (s.continue_on_step_failure !== undefined) settings.continue_on_step_failure = s.continue_on_step_failure;
  if (s.force_rerun !== undefined) settings.force_rerun = s.force_rerun;
  const properties: Json = {
    properties: {},
    tags: isMap(doc.tags) ? Object.fromEntries(Object.entries(doc.tags).map(([k, v]) => [k, String(v)])) : {},
    displayName: doc.display_name ?? doc.name,
    experimentName: doc.experiment_name ?? path.basename(specDir),
    isArchived: false,
    jobType: 'Pipeline',
    inputs: mapValues(doc.inputs, (v) => pipelineInput(v, specDir, r)),
    jobs,
    outputs: mapValues(doc.outputs, pipelineOutput),
    settings,
  };
  if (doc.description !== undefined) properties.description = doc.description;
  return { properties };
}
