/**
 * "Show Job Logs…": pick one of a cloud job's log files (grouped by step and node: each process's stdout, stderr,
 * entry script log and error; then job_result, job_error and the driver's std_log; then system logs) and read it
 * in an editor. Part of the tree's lazy half; the work is core's (core/azure/logs). Picking a file again reads
 * only what the job wrote since, appended to the same local copy.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { JobLogFile, JobLogList, JobLogs } from '../../../core/azure/logs';
import { sectionTitle, sizeText } from '../../../core/azure/logs/catalog';
import { localLogPath, updateLocalCopy } from '../../../core/azure/logs/local-copy';
import type { WorkspaceRef } from '../../../core/azure/resources/types';
import type { TreeContext } from '../nodes';
import { jobTargetOf } from '../results/job-results';

/** What the run panel (or any caller) passes: the job, its workspace and tenant; `file` opens that file at once. */
export interface JobLogsArgument {
  ws: WorkspaceRef;
  name: string;
  tenantId?: string;
  discoveryUrl?: string;
  /** A step's name (or run id), to look for `file` there only. */
  step?: string;
  /** A file as `parallel-run logs --file` takes it: `logs/job_result.txt`, `node0/process000.stdout.txt`. */
  file?: string;
}

export interface JobLogsHost {
  tree: TreeContext;
  log: vscode.LogOutputChannel;
  /** The extension's global storage folder: copies go to `cloud-jobs/<sub>/<rg>/<ws>/<job>/logs/`. */
  storage: string;
}

const isWorkspaceRef = (v: unknown): v is WorkspaceRef => {
  const w = v as Partial<WorkspaceRef> | undefined;
  return typeof w?.subscriptionId === 'string' && typeof w.resourceGroup === 'string' && typeof w.workspace === 'string';
};

/** A pipeline step's row (`azure/<sub>/<rg>/<ws>/jobs/<job>/<step run id>`): its job and the step's run id. */
export function stepOfRow(node: unknown): JobLogsArgument | undefined {
  const n = node as { id?: unknown; view?: () => { contextValue?: string } } | undefined;
  if (typeof n?.id !== 'string' || typeof n.view !== 'function' || n.view().contextValue !== 'azureJobStep') return undefined;
  const m = /^azure\/([^/]+)\/([^/]+)\/([^/]+)\/jobs\/([^/]+)\/([^/]+)$/.exec(n.id);
  return m ? { ws: { subscriptionId: m[1], resourceGroup: m[2], workspace: m[3] }, name: m[4], step: m[5] } : undefined;
}

/** The job a command argument names: a job or step row of the Azure ML tree, or a `{ ws, name, tenantId }` object. */
export function jobLogsTargetOf(arg: unknown): JobLogsArgument | undefined {
  // An argument object first (the run panel's, with a step and file to open); then a job row; then a step row.
  const a = arg as Partial<JobLogsArgument> | undefined;
  if (a && typeof a.name === 'string' && a.name && isWorkspaceRef(a.ws)) {
    const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
    return {
      ws: { subscriptionId: a.ws.subscriptionId, resourceGroup: a.ws.resourceGroup, workspace: a.ws.workspace },
      name: a.name,
      tenantId: text(a.tenantId),
      discoveryUrl: text(a.discoveryUrl),
      step: text(a.step),
      file: text(a.file),
    };
  }
  const row = jobTargetOf(arg);
  if (row) return { ws: row.ws, name: row.job.name, tenantId: row.tenantId, discoveryUrl: row.discoveryUrl };
  return stepOfRow(arg);
}

/** `<storage>/cloud-jobs/<sub>/<rg>/<ws>/<job>`: the folder the run panel keeps a followed job in (CloudJobs.runDirOf). */
export function jobStorageDir(storage: string, ws: WorkspaceRef, name: string): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '_');
  return path.join(storage, 'cloud-jobs', safe(ws.subscriptionId), safe(ws.resourceGroup.toLowerCase()), safe(ws.workspace), safe(name));
}

const terminal = new Set(['Completed', 'Failed', 'Canceled', 'NotResponding']);
const icons: Record<JobLogFile['kind'], string> = {
  stdout: 'output',
  stderr: 'warning',
  entryScript: 'note',
  error: 'error',
  userOther: 'file',
  jobResult: 'pass',
  jobError: 'error',
  driver: 'terminal',
  progress: 'graph',
  readme: 'info',
  system: 'gear',
};

/** "Show Job Logs…" on `arg` (a job row or a `JobLogsArgument`). */
export async function showJobLogsCommand(host: JobLogsHost, arg: unknown): Promise<void> {
  const t = jobLogsTargetOf(arg);
  if (!t) return;
  const clients = host.tree.clients;
  const api = await clients.access.api();
  const ml = await clients.mlFor(t.ws.subscriptionId, t.tenantId);
  const logs = new api.JobLogs({ ml, ws: t.ws, name: t.name, discoveryUrl: t.discoveryUrl });
  const list = await cancellable(`Listing the logs of job ${t.name}`, (signal) => logs.list({ sizes: true, signal }));
  if (!list) return;
  let file: JobLogFile | undefined;
  if (t.file) {
    const found = api.findLogFile(list, t.file, t.step);
    if ('problem' in found) {
      void vscode.window.showErrorMessage(found.problem);
      return;
    }
    file = found.file;
  } else {
    const steps = api.stepsNamed(list, t.step);
    if (typeof steps === 'string') {
      void vscode.window.showErrorMessage(steps);
      return;
    }
    file = await pickFile({ ...list, steps }, t.step);
  }
  if (!file) return;
  await openCopy(host, logs, t.ws, list, file);
}

/** The quick pick: a separator per step and node (then the step's result and system logs), a row per file. */
async function pickFile(list: JobLogList, step?: string): Promise<JobLogFile | undefined> {
  type Item = vscode.QuickPickItem & { file?: JobLogFile };
  const items: Item[] = [];
  for (const step of list.steps) {
    let section = '';
    for (const f of step.files) {
      const heading = sectionTitle(step.pipeline ? `pipeline ${step.name}` : step.name, f);
      if (heading !== section) items.push({ label: (section = heading), kind: vscode.QuickPickItemKind.Separator });
      items.push({
        label: `$(${icons[f.kind]}) ${f.label}`,
        description: [f.size === undefined ? undefined : sizeText(f.size), f.path].filter(Boolean).join(' · '),
        file: f,
      });
    }
  }
  if (!items.some((i) => i.file)) {
    const what = step ? `Step ${list.steps[0]?.name ?? step} of job ${list.job}` : `Job ${list.job}`;
    void vscode.window.showInformationMessage(
      `${what} has no log files yet (the job is ${list.status}): they appear once its steps start. Try again then.`,
    );
    return undefined;
  }
  const running = terminal.has(list.status) ? '' : ` (${list.status}: pick a file again later to read what is new)`;
  const chosen = await vscode.window.showQuickPick(items, {
    title: `Logs of job ${list.job}${running}`,
    placeHolder: 'A log file to open (type a node, a process or a file name to filter)',
    matchOnDescription: true,
  });
  return chosen?.file;
}

/** Downloads (or brings up to date) the local copy of `file` and shows it, read-only. */
async function openCopy(host: JobLogsHost, logs: JobLogs, ws: WorkspaceRef, list: JobLogList, file: JobLogFile): Promise<void> {
  const dest = localLogPath(jobStorageDir(host.storage, ws, list.job), list.job, file);
  const copy = await cancellable(`Reading ${file.label}${file.step ? ` of ${file.step}` : ''}`, (signal) =>
    updateLocalCopy(logs, file, dest, signal),
  );
  if (!copy) return;
  host.log.info(
    `Job ${list.job}: ${file.step ? `${file.step}/` : ''}${file.path} ${copy.whole ? `read (${copy.size} bytes)` : `+${copy.added} bytes (${copy.size} now)`} → ${copy.file}`,
  );
  const uri = vscode.Uri.file(copy.file);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: false, viewColumn: besideAPanel() });
  // The copy is the job's file, not the user's: edits would be lost at the next read.
  await vscode.commands.executeCommand('workbench.action.files.setActiveEditorReadonlyInSession').then(undefined, () => undefined);
  if (!terminal.has(list.status))
    vscode.window.setStatusBarMessage(`Job ${list.job} is ${list.status}: pick the file again to read what is new.`, 8000);
}

/** Runs `work` under a cancellable progress notification; undefined when the user cancelled. */
/** Asked from a webview (the job's run panel): the other editor group, so that the panel stays in sight. */
function besideAPanel(): vscode.ViewColumn | undefined {
  const group = vscode.window.tabGroups?.activeTabGroup;
  if (!(group?.activeTab?.input instanceof vscode.TabInputWebview)) return undefined;
  return group.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One;
}

async function cancellable<T>(title: string, work: (signal: AbortSignal) => Promise<T>): Promise<T | undefined> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `${title}…`, cancellable: true },
    async (_p, token) => {
      const stop = new AbortController();
      token.onCancellationRequested(() => stop.abort());
      try {
        return await work(stop.signal);
      } catch (err) {
        if (stop.signal.aborted || (err as { code?: string }).code === 'Cancelled') return undefined;
        throw err;
      }
    },
  );
}
