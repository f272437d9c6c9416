// What each log file of a parallel step is, and the order a user reads them in: per node and process the entry
// script's stdout, stderr, EntryScript logger and error; then the step's result, errors and driver log; then the
// system logs. The paths are the PRS driver's (`logs/user/stdout/<node>/process000.stdout.txt`, …).

export type LogKind =
  'stdout' | 'stderr' | 'entryScript' | 'error' | 'userOther' | 'jobResult' | 'jobError' | 'driver' | 'progress' | 'readme' | 'system';

/** Where a file sits in the list: a node's per-process logs, the step's own, or the system's. */
export type LogSection = 'node' | 'job' | 'system';

export interface LogClass {
  kind: LogKind;
  section: LogSection;
  /** The node folder (`node0`, or the node's IP address in the cloud) of a per-process log. */
  node?: string;
  /** `process000` of a per-process log. */
  process?: string;
  /** "process000 stdout", "job_result.txt", "sys/node/node0/process000.txt". */
  label: string;
}

const perProcess: [RegExp, LogKind, string][] = [
  [/^logs\/user\/stdout\/([^/]+)\/([^/.]+)[^/]*$/, 'stdout', 'stdout'],
  [/^logs\/user\/stderr\/([^/]+)\/([^/.]+)[^/]*$/, 'stderr', 'stderr'],
  [/^logs\/user\/entry_script_log\/([^/]+)\/([^/.]+)[^/]*$/, 'entryScript', 'entry script log'],
  [/^logs\/user\/error\/([^/]+)\/([^/.]+)[^/]*$/, 'error', 'error'],
];

/** Classifies one artifact path of a run (`logs/…`, `user_logs/…`, `system_logs/…`, `azureml-logs/…`). */
export function classifyLog(path: string): LogClass {
  for (const [re, kind, what] of perProcess) {
    const m = re.exec(path);
    if (m) return { kind, section: 'node', node: m[1], process: m[2], label: `${m[2]} ${what}` };
  }
  const user = /^logs\/user\/[^/]+\/([^/]+)\/(.+)$/.exec(path);
  if (user) return { kind: 'userOther', section: 'node', node: user[1], label: path.slice('logs/user/'.length) };
  if (path === 'logs/job_result.txt') return { kind: 'jobResult', section: 'job', label: 'job_result.txt' };
  if (path === 'logs/job_error.txt') return { kind: 'jobError', section: 'job', label: 'job_error.txt' };
  if (/^user_logs\/std_log[^/]*\.txt$/.test(path)) return { kind: 'driver', section: 'job', label: path.slice('user_logs/'.length) };
  if (/^logs\/job_progress_overview\.[^/]*\.txt$/.test(path))
    return { kind: 'progress', section: 'job', label: path.slice('logs/'.length) };
  if (path === 'logs/readme.txt') return { kind: 'readme', section: 'job', label: 'readme.txt' };
  return { kind: 'system', section: 'system', label: path.replace(/^logs\//, '') };
}

/** Order of kinds inside a process and inside the step's own section. */
const kindRank: Record<LogKind, number> = {
  stdout: 0,
  stderr: 1,
  entryScript: 2,
  error: 3,
  userOther: 4,
  jobResult: 0,
  jobError: 1,
  driver: 2,
  progress: 3,
  readme: 4,
  system: 0,
};
const sectionRank: Record<LogSection, number> = { node: 0, job: 1, system: 2 };

const natural = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Compares two classified paths in reading order: nodes and processes by number, then the kind, then the path. */
export function compareLogs(a: { path: string } & LogClass, b: { path: string } & LogClass): number {
  return (
    sectionRank[a.section] - sectionRank[b.section] ||
    natural.compare(a.node ?? '', b.node ?? '') ||
    // A node's files that belong to no process (userOther) come after its processes.
    Number(a.process === undefined) - Number(b.process === undefined) ||
    natural.compare(a.process ?? '', b.process ?? '') ||
    kindRank[a.kind] - kindRank[b.kind] ||
    natural.compare(a.path, b.path)
  );
}

/** A section's name inside its step: "node0", "result, errors and driver log", "system logs". */
export function sectionName(c: Pick<LogClass, 'section' | 'node'>): string {
  if (c.section === 'node') return c.node ?? 'user logs';
  if (c.section === 'job') return 'result, errors and driver log';
  return 'system logs';
}

/** The heading of a section in a list: "digit_identification · node0", "digit_identification · system logs". */
export function sectionTitle(step: string, c: Pick<LogClass, 'section' | 'node'>): string {
  return `${step} · ${sectionName(c)}`;
}

/** "1.2 KB". */
export function sizeText(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}
