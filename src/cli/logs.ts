// `parallel-run logs <job>`: a cloud job's log files per step, node and process (what studio's "Outputs + logs"
// holds), or one of them printed (`--file`), e.g. node0's process000.stdout.txt with what the entry script printed.
import type { JobLogList } from '../core/azure/logs';
import { sectionName } from '../core/azure/logs/catalog';
import { bytesText, clientsOf, loadAzure, withSigint, workspaceOf, workspaceOptions, WORKSPACE_USAGE } from './azure-args';
import { parseCommandLine } from './command-line';

export const LOGS_USAGE = `Usage:
  parallel-run logs <job> [options]         list a cloud job's log files per step, node and process (stdout,
                                            stderr, entry script log, error; job_result, job_error, std_log;
                                            system logs), or print one of them

Options:
  --step NAME                only this step's files (its name, or its run id)
  --file PATH                print this file: its path as listed (logs/user/stdout/node0/process000.stdout.txt),
                             or the end of it that only it has (node0/process000.stdout.txt)
${WORKSPACE_USAGE}
Exit status: 0 listed or printed, 1 Azure error, 2 bad input (no such job, step or file).`;

export async function logsMain(
  argv: string[],
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const parsed = parseCommandLine(argv, { ...workspaceOptions, step: { type: 'string' }, file: { type: 'string' } }, LOGS_USAGE, out, err);
  if (typeof parsed === 'number') return parsed;
  const v = parsed.values;
  if (parsed.positionals.length !== 1) {
    err.write(`Give one job name, e.g. parallel-run logs prs_abc123.\n\n${LOGS_USAGE}\n`);
    return 2;
  }
  const [name] = parsed.positionals;
  const az = loadAzure();
  const problem = az.jobNameProblem(name);
  if (problem) {
    err.write(`${problem}\n`);
    return 2;
  }
  const ws = workspaceOf(v, az, process.cwd());
  if (typeof ws === 'string') {
    err.write(`${ws}\n`);
    return 2;
  }
  const c = clientsOf(v, az, ws);
  const logs = new az.JobLogs({ ml: c.ml, ws, name });
  try {
    return await withSigint(async (signal) => {
      const list = await logs.list({ sizes: v.file === undefined, signal });
      if (v.file !== undefined) {
        const found = az.findLogFile(list, v.file, v.step);
        if ('problem' in found) {
          err.write(`${found.problem}\n`);
          return 2;
        }
        const { bytes } = await logs.read(found.file, 0, signal);
        out.write(bytes);
        if (bytes.length && bytes[bytes.length - 1] !== 0x0a) out.write('\n');
        return 0;
      }
      const steps = az.stepsNamed(list, v.step);
      if (typeof steps === 'string') {
        err.write(`${steps}\n`);
        return 2;
      }
      printList({ ...list, steps }, out);
      return 0;
    });
  } catch (e) {
    const x = e as { code?: string; status?: number; message: string };
    err.write(`${x.message}\n`);
    return x.code === 'Cancelled' ? 130 : x.status === 404 && /read job/.test(x.message) ? 2 : 1;
  }
}

/** The files as a tree: step, then its sections (node, result and errors, system), a file a line with its size. */
function printList(list: JobLogList, out: NodeJS.WritableStream): void {
  const count = list.steps.reduce((n, s) => n + s.files.length, 0);
  out.write(`Job ${list.job} (${list.status}): ${count} log file${count === 1 ? '' : 's'}\n`);
  let example: string | undefined;
  const several = list.steps.filter((s) => !s.pipeline).length > 1;
  for (const step of list.steps) {
    out.write(`\n${step.pipeline ? 'Pipeline job' : 'Step'} ${step.name} (${step.status})\n`);
    if (step.files.length === 0) out.write('  no log files yet\n');
    let section = '';
    const width = Math.max(0, ...step.files.map((f) => f.label.length));
    for (const f of step.files) {
      const title = sectionName(f);
      if (title !== section) out.write(`  ${(section = title)}\n`);
      const size = f.size === undefined ? '?' : bytesText(f.size);
      out.write(`    ${f.label.padEnd(width)}  ${size.padStart(9)}  ${f.path}\n`);
      if (!example && f.kind === 'stdout') example = `${several ? `--step ${step.name} ` : ''}--file ${f.path}`;
    }
  }
  out.write(`\nPrint one with: parallel-run logs ${list.job} ${example ?? '--file logs/job_result.txt'}\n`);
}
