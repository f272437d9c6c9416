// `parallel-run submit`: the spec to a workspace (core/azure/submit), then optionally follow the job.
import * as path from 'node:path';
import { SpecError } from '../core/spec/types';
import { FollowPrinter } from './follow-print';
import { loadAzure, workspaceOf, type AzureLayer, type WorkspaceValues } from './azure-args';
import type { WorkspaceRef } from '../core/azure/resources/types';
import { parseCommandLine } from './command-line';

export const SUBMIT_USAGE = `Usage:
  parallel-run submit <spec.yml> [options]   package the code and local data, and submit the pipeline to
                                             an Azure ML workspace (compute clusters run it)

Options:
  --set KEY=VALUE            override a spec value, e.g. --set inputs.batch_size=1 (repeatable)
  --workspace-config FILE    config.json of the workspace (default: config.json or .azureml/config.json
                             in the spec's folder or its parents)
  --subscription ID --resource-group NAME --workspace NAME   the workspace, instead of a config file
  --name NAME                job name (default: a new unique one)
  --follow                   wait for the job to end, printing status changes, the job's log lines
                             (as az ml job stream), mini-batch progress and the first real error;
                             Ctrl+C stops following (the job goes on: parallel-run cancel <job>)
  --poll-interval SECONDS    fastest wait between polls while following (default 2; it grows as
                             az ml job stream's)
  --no-cache                 ask the workspace about everything (the submit cache in
                             $XDG_CACHE_HOME/parallel-run/submit-cache.json otherwise makes an
                             unchanged resubmission cost only the job PUT)
  --arm-endpoint URL         Azure Resource Manager (sovereign clouds; a local fake)
  --blob-endpoint URL        blob service base URL, path style (a local emulator)
Sign-in: AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET, else the Azure CLI (az login), else a managed identity.
Extra CA certificates (a local fake's): NODE_EXTRA_CA_CERTS=<file>.
Exit status: 0 submitted (with --follow: completed), 1 failed, canceled or Azure error, 2 bad input,
130 when Ctrl+C stopped following (the job goes on).`;

export { loadAzure };

export async function submitMain(
  argv: string[],
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const parsed = parseCommandLine(
    argv,
    {
      set: { type: 'string', multiple: true },
      'workspace-config': { type: 'string' },
      subscription: { type: 'string' },
      'resource-group': { type: 'string' },
      workspace: { type: 'string' },
      name: { type: 'string' },
      follow: { type: 'boolean' },
      'poll-interval': { type: 'string' },
      'no-cache': { type: 'boolean' },
      'arm-endpoint': { type: 'string' },
      'blob-endpoint': { type: 'string' },
    },
    SUBMIT_USAGE,
    out,
    err,
  );
  if (typeof parsed === 'number') return parsed;
  const { values: v, positionals } = parsed;
  if (positionals.length !== 1) {
    err.write(`Give one spec file.\n\n${SUBMIT_USAGE}\n`);
    return 2;
  }
  const spec = path.resolve(positionals[0]);
  const az = loadAzure();
  const ws = workspaceFromArgs(az, v, path.dirname(spec), err);
  if (!ws) return 2;
  const fastest = v['poll-interval'] !== undefined ? Number(v['poll-interval']) : 2;
  if (!(fastest > 0)) {
    err.write(`--poll-interval takes a number of seconds above 0, e.g. --poll-interval 1 (got ${v['poll-interval']}).\n`);
    return 2;
  }
  const credential = az.cliCredential();
  const ml = az.mlClient(credential, ws.subscriptionId, { resourceManager: v['arm-endpoint'] ?? az.publicCloud.resourceManager });
  const stop = new AbortController();
  const onSigint = () => stop.abort();
  process.once('SIGINT', onSigint);
  try {
    const r = await az.submitSpec(spec, {
      ml,
      ws: { subscriptionId: ws.subscriptionId, resourceGroup: ws.resourceGroup, workspace: ws.workspace },
      credential,
      blob: v['blob-endpoint'] ? { blobEndpoint: v['blob-endpoint'] } : undefined,
      overrides: v.set ?? [],
      jobName: v.name,
      cache: v['no-cache'] ? undefined : new az.SubmitCache(az.SubmitCache.defaultFile()),
      abortSignal: stop.signal,
      onStep: (m) => err.write(`${m}\n`),
    });
    for (const u of r.uploads)
      err.write(
        `  ${path.relative(path.dirname(spec), u.path) || '.'} → ${u.uri}${u.skipped ? ' (already uploaded)' : ` (${u.bytes} bytes)`}\n`,
      );
    out.write(`Submitted job ${r.job.name} (${r.job.status})\nStudio: ${r.studioUrl}\n`);
    if (!v.follow) return 0;
    return await followAndPrint(
      az,
      {
        ml,
        ws,
        name: r.job.name,
        signal: stop.signal,
        fastest,
        specDir: path.dirname(spec),
        codeDirs: r.uploads.map((u) => u.path),
        cancelHint: cancelCommand(r.job.name, v),
      },
      out,
    );
  } catch (e) {
    if (e instanceof SpecError || (e as Error).name === 'SpecError') {
      // (dist/azure.js has its own copy of the class: the name is what crosses bundles)
      err.write(`${(e as Error).message}\n`);
      return 2;
    }
    err.write(`${(e as Error).message}\n`);
    return 1;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

interface FollowRequest {
  ml: import('@azure/arm-machinelearning').AzureMachineLearningWorkspaces;
  ws: { subscriptionId: string; resourceGroup: string; workspace: string };
  name: string;
  signal: AbortSignal;
  fastest: number;
  specDir: string;
  codeDirs: string[];
  cancelHint: string;
}

/** Follows the job, printing its events; 0 only when it Completed. Ctrl+C (the signal) stops following only. */
export async function followAndPrint(az: AzureLayer, f: FollowRequest, out: NodeJS.WritableStream): Promise<number> {
  const printer = new FollowPrinter(out, f.name, f.specDir);
  let status: string | undefined;
  for await (const e of az.followCloudJob({
    ml: f.ml,
    ws: f.ws,
    name: f.name,
    signal: f.signal,
    fastestIntervalSeconds: f.fastest,
    localCodeDirs: f.codeDirs,
  })) {
    printer.print(e);
    if (e.type === 'end') status = e.status;
  }
  if (status === undefined) {
    out.write(`\nStopped following ${f.name}; the job goes on in the workspace. Cancel it with: ${f.cancelHint}\n`);
    return 130;
  }
  return status === 'Completed' ? 0 : 1;
}

/** The `parallel-run cancel` line for this job, with the workspace options the user gave. */
export function cancelCommand(job: string, v: Record<string, unknown>): string {
  const parts = ['parallel-run', 'cancel', job];
  for (const k of ['workspace-config', 'subscription', 'resource-group', 'workspace', 'arm-endpoint']) {
    if (typeof v[k] === 'string') parts.push(`--${k}`, quote(v[k] as string));
  }
  return parts.join(' ');
}

function quote(s: string): string {
  return /^[A-Za-z0-9_./:@=+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The workspace from --subscription/--resource-group/--workspace, --workspace-config, or config.json found from `searchDir` up; undefined (after saying why) when none. */
export function workspaceFromArgs(
  az: AzureLayer,
  v: WorkspaceValues,
  searchDir: string,
  err: NodeJS.WritableStream,
): WorkspaceRef | undefined {
  const ws = workspaceOf(v, az, searchDir);
  if (typeof ws === 'string') {
    err.write(`${ws}\n`);
    return undefined;
  }
  return ws;
}
