// `parallel-run submit`: the spec to a workspace (core/azure/submit), then optionally follow the job.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { SpecError } from '../core/spec/types';

export const SUBMIT_USAGE = `Usage:
  parallel-run submit <spec.yml> [options]   package the code and local data, and submit the pipeline to
                                             an Azure ML workspace (compute clusters run it)

Options:
  --set KEY=VALUE            override a spec value, e.g. --set inputs.batch_size=1 (repeatable)
  --workspace-config FILE    config.json of the workspace (default: config.json or .azureml/config.json
                             in the spec's folder or its parents)
  --subscription ID --resource-group NAME --workspace NAME   the workspace, instead of a config file
  --name NAME                job name (default: a new unique one)
  --follow                   wait for the job to end, printing each status change
  --no-cache                 ask the workspace about everything (the submit cache in
                             $XDG_CACHE_HOME/parallel-run/submit-cache.json otherwise makes an
                             unchanged resubmission cost only the job PUT)
  --arm-endpoint URL         Azure Resource Manager (sovereign clouds; a local fake)
  --blob-endpoint URL        blob service base URL, path style (a local emulator)
Sign-in: AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET, else the Azure CLI (az login), else a managed identity.
Extra CA certificates (a local fake's): NODE_EXTRA_CA_CERTS=<file>.
Exit status: 0 submitted (with --follow: completed), 1 failed or Azure error, 2 bad input.`;

type AzureLayer = typeof import('../core/azure');

/** The Azure layer: its own bundle (dist/azure.js) when running bundled, so other commands never load it. */
function loadAzure(): AzureLayer {
  const bundled = path.join(__dirname, 'azure.js');
  if (path.basename(__dirname) === 'dist' && fs.existsSync(bundled)) return require(bundled) as AzureLayer;
  const source = '../core/azure'; // a variable: the bundler leaves it out of dist/cli-main.js
  return require(source) as AzureLayer;
}

export async function submitMain(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        set: { type: 'string', multiple: true },
        'workspace-config': { type: 'string' },
        subscription: { type: 'string' },
        'resource-group': { type: 'string' },
        workspace: { type: 'string' },
        name: { type: 'string' },
        follow: { type: 'boolean' },
        'no-cache': { type: 'boolean' },
        'arm-endpoint': { type: 'string' },
        'blob-endpoint': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    err.write(`${(e as Error).message}\n\n${SUBMIT_USAGE}\n`);
    return 2;
  }
  const { values: v, positionals } = parsed;
  if (v.help) {
    out.write(SUBMIT_USAGE + '\n');
    return 0;
  }
  if (positionals.length !== 1) {
    err.write(`Give one spec file.\n\n${SUBMIT_USAGE}\n`);
    return 2;
  }
  const spec = path.resolve(positionals[0]);
  const az = loadAzure();
  let ws;
  try {
    if (v.subscription || v['resource-group'] || v.workspace) {
      if (!v.subscription || !v['resource-group'] || !v.workspace) {
        err.write('Give --subscription, --resource-group and --workspace together (or a --workspace-config file).\n');
        return 2;
      }
      ws = { subscriptionId: v.subscription, resourceGroup: v['resource-group'], workspace: v.workspace };
    } else if (v['workspace-config']) {
      ws = az.readWorkspaceConfig(path.resolve(v['workspace-config']));
    } else {
      ws = az.discoverWorkspaceConfig(path.dirname(spec));
      if (!ws) {
        err.write(
          `No workspace config found in ${path.dirname(spec)} or its parents. Download config.json from the workspace's page in Azure ML studio into that folder, or pass --workspace-config FILE, or --subscription, --resource-group and --workspace.\n`,
        );
        return 2;
      }
    }
  } catch (e) {
    err.write(`${(e as Error).message}\n`);
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
    for (const u of r.uploads) err.write(`  ${path.relative(path.dirname(spec), u.path) || '.'} → ${u.uri}${u.skipped ? ' (already uploaded)' : ` (${u.bytes} bytes)`}\n`);
    out.write(`Submitted job ${r.job.name} (${r.job.status})\nStudio: ${r.studioUrl}\n`);
    if (!v.follow) return 0;
    const final = await az.followJob(ml, ws, r.job.name, {
      abortSignal: stop.signal,
      onStatus: (s) => out.write(`${new Date().toISOString().slice(11, 19)} ${r.job.name}: ${s}\n`),
    });
    return final.status === 'Completed' ? 0 : 1;
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
