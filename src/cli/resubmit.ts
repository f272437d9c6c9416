// `parallel-run resubmit <job|spec.yml>`: the same job again with other data and parameters, no YAML edited.
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { bytesText, clientsOf, loadAzure, withSigint, workspaceOf, workspaceOptions, WORKSPACE_USAGE } from './azure-args';
import { parseCommandLine } from './command-line';
import { cancelCommand, followAndPrint } from './submit';

export const RESUBMIT_USAGE = `Usage:
  parallel-run resubmit <job|spec.yml> [options]
                                            submit a job again with other data inputs and parameters, without
                                            editing the YAML (from a job: its body as the workspace stored it)

Options:
  --input NAME=WHERE         point a data input elsewhere: a data asset (azureml:<name>:<version>), a datastore path
                             (azureml://datastores/<name>/paths/<path>), a local folder, or one local file
                             (uploaded as submit does) (repeatable)
  --set KEY=VALUE            a parameter of the parallel step: mini_batch_size, nodes (instance_count), processes
                             (max_concurrency_per_instance), error_threshold, mini_batch_error_threshold,
                             max_retries, timeout, logging_level; or inputs.NAME=VALUE (repeatable)
  --node NAME                the parallel step, when the pipeline has several
  --name NAME                the new job's name (default: a new unique one)
  --follow                   wait for the new job to end, printing what submit --follow prints (statuses,
                             the job's log lines, progress, the first real error)
${WORKSPACE_USAGE}
Example (the tutorial's pipeline_run_2: one image, batch size 1, one process):
  parallel-run resubmit <job> --input digit_images=./data/images/digit_0024_label4.png --set mini_batch_size=1 --set processes=1
Exit status: 0 submitted (with --follow: completed), 1 failed or Azure error, 2 bad input, 130 when Ctrl+C
stopped following (the job goes on).`;

const isSpec = (p: string) =>
  /\.ya?ml$/i.test(p) &&
  (() => {
    try {
      return statSync(p).isFile();
    } catch {
      return false;
    }
  })();

export async function resubmitMain(
  argv: string[],
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const parsed = parseCommandLine(
    argv,
    {
      ...workspaceOptions,
      input: { type: 'string', multiple: true },
      set: { type: 'string', multiple: true },
      node: { type: 'string' },
      name: { type: 'string' },
      follow: { type: 'boolean' },
    },
    RESUBMIT_USAGE,
    out,
    err,
  );
  if (typeof parsed === 'number') return parsed;
  const v = parsed.values;
  if (parsed.positionals.length !== 1) {
    err.write(`Give one job name or spec file.\n\n${RESUBMIT_USAGE}\n`);
    return 2;
  }
  const target = parsed.positionals[0];
  const spec = isSpec(target) ? path.resolve(target) : undefined;
  const az = loadAzure();
  const ws = workspaceOf(v, az, spec ? path.dirname(spec) : process.cwd());
  if (typeof ws === 'string') {
    err.write(`${ws}\n`);
    return 2;
  }
  const c = clientsOf(v, az, ws);
  try {
    const submitted = await withSigint(async (signal) => {
      if (spec) {
        // From the YAML: the same changes as --set overrides of the spec, then an ordinary submit.
        const changes = az.parseResubmitChanges(v.input ?? [], v.set ?? [], {});
        // Local paths are the user's, relative to the current folder (as --set paths are for run and submit).
        for (const i of changes.inputs) if (!/^(azureml:|[a-z]+:\/\/)/.test(i.where)) i.where = path.resolve(i.where);
        const files = new Set(changes.inputs.filter((i) => isFile(i.where)).map((i) => i.name));
        const r = await az.submitSpec(spec, {
          ml: c.ml,
          ws,
          credential: c.credential,
          blob: c.blob,
          overrides: az.specOverridesOf(changes, files),
          jobName: v.name,
          abortSignal: signal,
          onStep: (m) => err.write(`${m}\n`),
        });
        for (const u of r.uploads)
          err.write(
            `  ${path.relative(path.dirname(spec), u.path) || '.'} → ${u.uri}${u.skipped ? ' (already uploaded)' : ` (${bytesText(u.bytes)})`}\n`,
          );
        return { job: r.job, studioUrl: r.studioUrl, changes: [] as string[] };
      }
      const r = await az.resubmitJob(target, {
        ml: c.ml,
        ws,
        credential: c.credential,
        blob: c.blob,
        inputs: v.input,
        set: v.set,
        node: v.node,
        jobName: v.name,
        abortSignal: signal,
        onStep: (m) => err.write(`${m}\n`),
      });
      for (const u of r.uploads) err.write(`  ${u.path} → ${u.uri}${u.skipped ? ' (already uploaded)' : ` (${bytesText(u.bytes)})`}\n`);
      return r;
    });
    for (const line of submitted.changes) out.write(`  ${line}\n`);
    out.write(
      `Submitted job ${submitted.job.name} (${submitted.job.status})${spec ? '' : ` from job ${target}`}\nStudio: ${submitted.studioUrl}\n`,
    );
    if (!v.follow) return 0;
    // As submit --follow: statuses, the job's log lines, progress, the first real error, where the outputs are.
    return await withSigint((signal) =>
      followAndPrint(
        az,
        {
          ml: c.ml,
          ws,
          name: submitted.job.name,
          signal,
          fastest: 2,
          specDir: spec ? path.dirname(spec) : process.cwd(),
          codeDirs: spec ? [path.dirname(spec)] : [],
          cancelHint: cancelCommand(submitted.job.name, v),
        },
        out,
      ),
    );
  } catch (e) {
    const name = (e as Error).name; // classes differ between bundles: the name crosses them
    err.write(`${(e as Error).message}\n`);
    return name === 'ResubmitInputError' || name === 'SpecError' ? 2 : (e as { code?: string }).code === 'Cancelled' ? 130 : 1;
  }
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}
