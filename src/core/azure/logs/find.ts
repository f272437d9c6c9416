// Finds the one log file a user named (`--file user/stdout/node0/process000.stdout.txt`, or only the part that
// tells it apart: `node0/process000.stdout.txt`), in one step or in any; says what to write when it is not one.
import type { JobLogFile, JobLogList, JobLogStep } from './job-logs';

export type LogFileMatch = { file: JobLogFile } | { problem: string };

/** The steps `step` names (its name or run id), or every step when undefined; a string is the problem. */
export function stepsNamed(list: JobLogList, step: string | undefined): JobLogStep[] | string {
  if (step === undefined) return list.steps;
  const found = list.steps.filter((s) => s.name === step || s.runId === step);
  if (found.length) return found;
  const names = list.steps.filter((s) => !s.pipeline).map((s) => s.name);
  return `Job ${list.job} has no step ${step}. Its steps: ${names.join(', ') || 'none yet'} (or ${list.job} for the pipeline's own logs).`;
}

/** The file `wanted` names: its whole path, that path without `logs/`, or an ending at a `/` that only it has. */
export function findLogFile(list: JobLogList, wanted: string, step?: string): LogFileMatch {
  const steps = stepsNamed(list, step);
  if (typeof steps === 'string') return { problem: steps };
  const w = wanted.trim().replace(/\\/g, '/').replace(/^\/+/, '');
  const files = steps.flatMap((s) => s.files);
  const exact = files.filter((f) => f.path === w || f.path === `logs/${w}`);
  const matches = exact.length ? exact : files.filter((f) => f.path.endsWith(`/${w}`));
  if (matches.length === 1) return { file: matches[0] };
  const where = step ? `step ${step} of job ${list.job}` : `job ${list.job}`;
  if (matches.length === 0) {
    const name = w.split('/').pop() ?? w;
    const near = files.filter((f) => f.path.includes(name)).slice(0, 5);
    return {
      problem:
        `No log file ${wanted} in ${where}.` +
        (near.length ? ` Did you mean ${near.map((f) => f.path).join(', ')}?` : '') +
        ` List the files with: parallel-run logs ${list.job}${step ? ` --step ${step}` : ''}`,
    };
  }
  const inSteps = [...new Set(matches.map((f) => f.step ?? list.job))];
  if (inSteps.length > 1)
    return {
      problem: `${wanted} is in several steps of job ${list.job} (${inSteps.join(', ')}): add --step, e.g. --step ${inSteps[0]} --file ${wanted}`,
    };
  return {
    problem: `${wanted} names ${matches.length} files in ${where} (${matches.map((f) => f.path).join(', ')}): give more of the path, e.g. --file ${matches[0].path}`,
  };
}
