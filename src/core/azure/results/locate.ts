// Where a pipeline job's parallel step left its outputs: the output's own `uri` when the job set one, else the
// default path the service assigns (`azureml/<step run id>/<output>/` of the default datastore; the pipeline
// job's name is tried too, since which name the service uses for a step is not documented), and how the
// append_row file was written (its name and `to_csv` keywords from the job's program_arguments).
import type { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import { AzureError } from '../http/errors';
import { sendJson } from '../http/rest';
import { parseDatastoreUri, workspaceId } from '../resources/ids';
import type { WorkspaceRef } from '../resources/types';
import { parseDriverArguments, splitArguments } from '../../spec/arguments';

type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A job as the service stores it (GET, untouched: the SDK's model would drop input paths). */
export interface RawJob {
  id?: string;
  name?: string;
  properties: Json;
}

/** GETs the job body as JSON through the client's pipeline (auth, TLS, retries). */
export async function getRawJob(
  ml: AzureMachineLearningWorkspaces,
  ws: WorkspaceRef,
  name: string,
  abortSignal?: AbortSignal,
): Promise<RawJob> {
  const url = `${ml.$host.replace(/\/+$/, '')}${workspaceId(ws)}/jobs/${encodeURIComponent(name)}?api-version=${ml.apiVersion}`;
  const raw = await sendJson<RawJob>(ml, `read job ${name}`, 'GET', url, undefined, abortSignal);
  if (!raw || !isMap(raw.properties))
    throw new AzureError({ code: 'InvalidResponse', message: `Could not read job ${name}: the service sent no job properties.` });
  return raw;
}

/** `${{parent.outputs.x}}` / `${{outputs.x}}` → its parts; undefined for anything else. */
function binding(v: unknown): { scope: 'parent' | 'self'; kind: string; name: string } | undefined {
  const text = typeof v === 'string' ? v : isMap(v) && typeof v.value === 'string' ? v.value : undefined;
  const m = text ? /^\$\{\{\s*(parent\.)?(inputs|outputs)\.([A-Za-z0-9_]+)\s*\}\}$/.exec(text.trim()) : null;
  return m ? { scope: m[1] ? 'parent' : 'self', kind: m[2], name: m[3] } : undefined;
}

export interface OutputLocation {
  /** The node's output name (`results`). */
  name: string;
  /** The pipeline output it feeds (`digit_results`), when bound. */
  pipelineOutput?: string;
  /** uri_folder, uri_file… */
  type: string;
  /** True when the job set a path; false for the service's default path. */
  explicit: boolean;
  /** Datastore and paths in it to look at, in order: the first that holds blobs is the output. */
  datastore?: string;
  candidates: string[];
}

export interface ParallelStepResults {
  job: string;
  node: string;
  /** The node's display name (run history names the step run by it). */
  displayName: string;
  /** The append_row output's name among `outputs`, when the node writes rows. */
  appendRowOutput?: string;
  /** `--append_row_file_name` (lower-cased, as the driver does), or the file a uri_file output names. */
  appendRowFileName: string;
  /** `--append_row_dataframe_header`. */
  dataframeHeader: boolean;
  /** `task.code` of the node: `azureml:/subscriptions/…/codes/<name>/versions/<v>`, where the settings file is. */
  code?: string;
  outputs: OutputLocation[];
  /** The pipeline's `settings.default_datastore`, when it set one. */
  defaultDatastore?: string;
}

/** The parallel nodes of a pipeline job, by name. */
export function parallelNodesOf(job: RawJob): Record<string, Json> {
  const jobs = isMap(job.properties.jobs) ? job.properties.jobs : {};
  return Object.fromEntries(Object.entries(jobs).filter(([, n]) => isMap(n) && n.type === 'parallel')) as Record<string, Json>;
}

/** Picks the parallel node (the only one, or `node`) with a clear error naming the choices. */
export function pickParallelNode(job: RawJob, jobName: string, node?: string): [string, Json] {
  const nodes = parallelNodesOf(job);
  const names = Object.keys(nodes);
  if (node) {
    if (!nodes[node])
      throw new AzureError({
        code: 'NodeNotFound',
        message: `Job ${jobName} has no parallel step ${node}${names.length ? `; its parallel steps: ${names.join(', ')}` : ''}.`,
      });
    return [node, nodes[node]];
  }
  if (names.length === 0)
    throw new AzureError({
      code: 'NoParallelStep',
      message: `Job ${jobName} (${String(job.properties.jobType)}) has no parallel step: results and resubmit work on pipeline jobs with a parallel node.`,
    });
  if (names.length > 1)
    throw new AzureError({
      code: 'SeveralParallelSteps',
      message: `Job ${jobName} has ${names.length} parallel steps (${names.join(', ')}): name one with --node.`,
    });
  return [names[0], nodes[names[0]]];
}

/** Reads from the job body where the node's outputs are and how its append_row file was written. */
export function parallelStepResults(job: RawJob, jobName: string, node?: string): ParallelStepResults {
  const [name, n] = pickParallelNode(job, jobName, node);
  const task = isMap(n.task) ? n.task : {};
  const driver = parseDriverArguments(splitArguments(typeof task.program_arguments === 'string' ? task.program_arguments : '')).driver;
  const appendRowOutput = binding(task.append_row_to)?.name;
  const pipelineOutputs = isMap(job.properties.outputs) ? job.properties.outputs : {};
  const settings = isMap(job.properties.settings) ? job.properties.settings : {};
  const defaultDatastore = typeof settings.default_datastore === 'string' ? settings.default_datastore.replace(/^azureml:/, '') : undefined;
  let appendRowFileName = driver.appendRowFileName;
  const outputs: OutputLocation[] = [];
  for (const [outName, raw] of Object.entries(isMap(n.outputs) ? n.outputs : {})) {
    const bound = binding(raw);
    const pipelineOutput = bound?.scope === 'parent' && bound.kind === 'outputs' ? bound.name : undefined;
    const own = isMap(raw) && !bound ? raw : undefined;
    const parent = pipelineOutput && isMap(pipelineOutputs[pipelineOutput]) ? (pipelineOutputs[pipelineOutput] as Json) : undefined;
    const type = String(own?.job_output_type ?? own?.type ?? parent?.jobOutputType ?? 'uri_folder');
    const uri = (typeof own?.uri === 'string' ? own.uri : undefined) ?? (typeof parent?.uri === 'string' ? parent.uri : undefined);
    const loc: OutputLocation = { name: outName, pipelineOutput, type, explicit: uri !== undefined, candidates: [] };
    if (uri) {
      const ds = parseDatastoreUri(uri);
      if (!ds)
        throw new AzureError({
          code: 'UnsupportedOutputPath',
          message: `Output ${outName} of job ${jobName} is at ${uri}; results can be downloaded from azureml://datastores/<name>/paths/<path> outputs only.`,
        });
      loc.datastore = ds.datastore;
      loc.candidates.push(ds.path);
      if (type === 'uri_file' && outName === appendRowOutput) {
        const last = ds.path.replace(/\/+$/, '').split('/').pop() ?? '';
        if (/^[^${}]+\.[A-Za-z0-9]+$/.test(last)) appendRowFileName = last;
      }
    } else {
      loc.datastore = defaultDatastore;
      // Filled in with the step's run id once it is known (see `defaultOutputPaths`).
    }
    outputs.push(loc);
  }
  return {
    job: jobName,
    node: name,
    displayName: typeof n.display_name === 'string' ? n.display_name : name,
    appendRowOutput,
    appendRowFileName,
    dataframeHeader: driver.appendRowDataframeHeader,
    code: typeof task.code === 'string' ? task.code : undefined,
    outputs,
    defaultDatastore,
  };
}

/**
 * The paths the service may have given an output without one: `azureml/<step run id>/<output>/` (how v2
 * pipeline steps' outputs appear), then `azureml/<pipeline job>/<pipeline output or output>/`. `${{name}}` and
 * `${{output_name}}` in an explicit path are filled in the same way.
 */
export function defaultOutputPaths(loc: OutputLocation, jobName: string, stepRunId: string | undefined): string[] {
  const names = [stepRunId, jobName].filter((x): x is string => !!x);
  if (loc.explicit) {
    const p = loc.candidates[0];
    if (!/\$\{\{\s*(name|output_name)\s*\}\}/.test(p)) return [p];
    return names.map((n) => p.replace(/\$\{\{\s*name\s*\}\}/g, n).replace(/\$\{\{\s*output_name\s*\}\}/g, loc.name));
  }
  const out: string[] = [];
  if (stepRunId) out.push(`azureml/${stepRunId}/${loc.name}/`);
  if (loc.pipelineOutput) out.push(`azureml/${jobName}/${loc.pipelineOutput}/`);
  out.push(`azureml/${jobName}/${loc.name}/`);
  return [...new Set(out)];
}
