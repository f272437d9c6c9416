// `parallel-run cancel <job>`: asks the workspace to cancel a submitted job (what Ctrl+C during --follow tells you to run).
import * as path from 'node:path';
import { loadAzure, workspaceFromArgs } from './submit';
import { parseCommandLine } from './command-line';
import { workspaceOptions } from './azure-args';

export const CANCEL_USAGE = `Usage:
  parallel-run cancel <job> [options]        cancel a submitted job (the service stops its steps;
                                             the job ends Canceled)

Options:
  --workspace-config FILE    config.json of the workspace (default: config.json or .azureml/config.json
                             in the current folder or its parents)
  --subscription ID --resource-group NAME --workspace NAME   the workspace, instead of a config file
  --arm-endpoint URL         Azure Resource Manager (sovereign clouds; a local fake)
Exit status: 0 cancel accepted, 1 Azure error (e.g. no such job), 2 bad input.`;

export async function cancelMain(
  argv: string[],
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const parsed = parseCommandLine(argv, workspaceOptions, CANCEL_USAGE, out, err);
  if (typeof parsed === 'number') return parsed;
  const { values: v, positionals } = parsed;
  if (positionals.length !== 1) {
    err.write(`Give one job name, e.g. parallel-run cancel prs_abc123.\n\n${CANCEL_USAGE}\n`);
    return 2;
  }
  const [name] = positionals;
  const az = loadAzure();
  const problem = az.jobNameProblem(name);
  if (problem) {
    err.write(`${problem}\n`);
    return 2;
  }
  const ws = workspaceFromArgs(az, v, path.resolve('.'), err);
  if (!ws) return 2;
  const ml = az.mlClient(az.cliCredential(), ws.subscriptionId, { resourceManager: v['arm-endpoint'] ?? az.publicCloud.resourceManager });
  try {
    const job = await az.cancelJob(ml, ws, name);
    out.write(`Cancel requested for job ${name}: it is now ${job.status}.\n`);
    return 0;
  } catch (e) {
    err.write(`${(e as Error).message}\n`);
    return 1;
  }
}
