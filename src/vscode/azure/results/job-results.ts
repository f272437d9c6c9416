/**
 * A job row's results commands: Download Results, Compare with Local Run, Resubmit with…. Part of the tree's lazy
 * half (dist/azure-tree.js); the work is core's (core/azure/results, core/runs/compare, core/azure/submit/resubmit).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CloudRunRecord } from '../../../core/azure/results/record';
import type { WorkspaceRef } from '../../../core/azure/resources/types';
import { cloudResultsDir, cloudResultsSource } from '../../../core/azure/results/record';
import { RUNS_ROOT } from '../../../core/pipeline/run-folder';
import {
  compareResults,
  comparisonHeadline,
  comparisonMarkdown,
  latestLocalResults,
  sameResults,
  type LocalResults,
} from '../../../core/runs/compare';
import type { TreeContext } from '../nodes';

/** What a job row carries (JobNode): the job, and the workspace and tenant it belongs to. */
export interface JobTarget {
  job: { name: string; displayName?: string; status: string };
  ws: WorkspaceRef;
  tenantId?: string;
  discoveryUrl?: string;
}

/**
 * The job of a tree row, or of a job's run panel (`{ ws, name, tenantId }`, as cloud-jobs.ts passes it), or
 * undefined for anything else.
 */
export function jobTargetOf(node: unknown): JobTarget | undefined {
  const direct = node as { ws?: Partial<WorkspaceRef>; name?: unknown; tenantId?: unknown } | undefined;
  const ws = direct?.ws;
  if (
    typeof direct?.name === 'string' &&
    direct.name !== '' &&
    typeof ws?.subscriptionId === 'string' &&
    typeof ws.resourceGroup === 'string' &&
    typeof ws.workspace === 'string'
  )
    return {
      job: { name: direct.name, status: 'Unknown' },
      ws: { subscriptionId: ws.subscriptionId, resourceGroup: ws.resourceGroup, workspace: ws.workspace },
      tenantId: typeof direct.tenantId === 'string' ? direct.tenantId : undefined,
    };
  const n = node as {
    job?: { name?: string; status?: string; displayName?: string };
    folder?: { workspace?: { ref?: WorkspaceRef; sub?: { tenantId?: string }; ws?: { discoveryUrl?: string } } };
  };
  const w = n?.folder?.workspace;
  if (!n?.job?.name || !w?.ref) return undefined;
  return {
    job: { name: n.job.name, displayName: n.job.displayName, status: n.job.status ?? 'Unknown' },
    ws: w.ref,
    tenantId: w.sub?.tenantId,
    discoveryUrl: w.ws?.discoveryUrl,
  };
}

export interface ResultsHost {
  tree: TreeContext;
  log: vscode.LogOutputChannel;
  /**
   * Follows a job resubmitted from `source` in its own run panel, as Submit does; false when this window does not
   * know the source's spec (a job submitted elsewhere), which leaves the new job to the tree and the studio.
   */
  followResubmitted?(
    source: { ws: WorkspaceRef; name: string; tenantId?: string },
    job: { name: string; studioUrl: string },
  ): Promise<boolean>;
}

function blobOptions() {
  const blobEndpoint = (vscode.workspace.getConfiguration('parallelRun').get<string>('azure.blobEndpoint') ?? '').trim();
  return blobEndpoint ? { blobEndpoint } : undefined;
}

function folder(): string {
  const f = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!f) throw new Error('Open a folder first: results are downloaded into its .parallel-run/cloud/ folder, next to the local runs.');
  return f;
}

/** `<folder>/.parallel-run/cloud/<job>`: where a job's results go, beside `.parallel-run/runs`. */
export const resultsFolder = cloudResultsDir;

const sizeText = (n: number) => (n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 ** 2).toFixed(1)} MB`);

/** Downloads (or finishes downloading) a job's results with a cancellable progress notification. */
async function download(host: ResultsHost, t: JobTarget): Promise<CloudRunRecord | undefined> {
  const dest = resultsFolder(folder(), t.job.name);
  const clients = host.tree.clients;
  const api = await clients.access.api();
  const ml = await clients.mlFor(t.ws.subscriptionId, t.tenantId);
  const arm = await clients.armFor(t.tenantId);
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Results of ${t.job.displayName || t.job.name}`, cancellable: true },
    async (progress, token) => {
      const stop = new AbortController();
      token.onCancellationRequested(() => stop.abort());
      let last = 0;
      try {
        return await api.downloadJobResults(t.job.name, {
          ml,
          arm,
          ws: t.ws,
          credential: clients.access.credential(t.tenantId),
          blob: blobOptions(),
          discoveryUrl: t.discoveryUrl,
          dest,
          abortSignal: stop.signal,
          onStep: (message) => progress.report({ message }),
          onProgress: (output, p) => {
            const pct = p.totalBytes ? Math.floor((100 * p.bytes) / p.totalBytes) : 100;
            progress.report({
              message: `${output}: ${p.files}/${p.totalFiles} files, ${sizeText(p.bytes)} of ${sizeText(p.totalBytes)}`,
              increment: Math.max(0, pct - last),
            });
            last = pct;
          },
        });
      } catch (err) {
        if ((err as { code?: string }).code === 'Cancelled') return undefined;
        throw err;
      }
    },
  );
}

/** "Download Results": the outputs into .parallel-run/cloud/<job>/, then the append_row file opened. */
export async function downloadResultsCommand(host: ResultsHost, node: unknown): Promise<void> {
  const t = jobTargetOf(node);
  if (!t) return;
  const r = await download(host, t);
  if (!r) return;
  const outputs = Object.entries(r.outputs);
  host.log.info(`Downloaded job ${r.job}: ${outputs.map(([n, o]) => `${n} ${o.files} files from ${o.uri} to ${o.dir}`).join('; ')}`);
  const open = 'Open Rows';
  const compare = 'Compare with Local Run';
  const reveal = 'Reveal Folder';
  const summary = outputs.length
    ? outputs.map(([n, o]) => `${n}: ${o.files} file${o.files === 1 ? '' : 's'} (${sizeText(o.bytes)})`).join(', ')
    : 'no outputs found in the datastore';
  const notRunning = r.status === 'Completed' ? '' : ` The job is ${r.status}: its outputs may be incomplete.`;
  const pick = await vscode.window.showInformationMessage(
    `Results of job ${r.job}: ${summary}.${notRunning}`,
    ...(r.outputFile ? [open, compare] : []),
    reveal,
  );
  if (pick === open && r.outputFile) await vscode.window.showTextDocument(vscode.Uri.file(r.outputFile), { preview: false });
  else if (pick === compare) await compareWithLocalCommand(host, node, r);
  else if (pick === reveal)
    await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(outputs[0]?.[1].dir ?? resultsFolder(folder(), r.job)));
}

/** The newest local run of the step in any `.parallel-run/runs` folder of the workspace. */
async function newestLocalRun(node: string): Promise<LocalResults | undefined> {
  const summaries = await vscode.workspace.findFiles(`**/${RUNS_ROOT}/runs/*/summary.json`, null, 2000);
  const runsFolders = [...new Set(summaries.map((u) => path.dirname(path.dirname(u.fsPath))))];
  let best: LocalResults | undefined;
  for (const f of runsFolders) {
    const r = await latestLocalResults(f, node);
    if (r && (!best || r.summary.startedAt > best.summary.startedAt)) best = r;
  }
  return best;
}

/** "Compare with Local Run": the job's rows against the newest local run of the same step, as a Markdown preview. */
export async function compareWithLocalCommand(host: ResultsHost, node: unknown, downloaded?: CloudRunRecord): Promise<void> {
  const t = jobTargetOf(node);
  if (!t) return;
  const r = downloaded ?? (await download(host, t));
  if (!r) return;
  const cloud = cloudResultsSource(r);
  if (!cloud) {
    void vscode.window.showWarningMessage(
      `Job ${r.job} has no append_row rows to compare (${r.appendRowOutput ? `no ${r.appendRowFileName} in output ${r.appendRowOutput}` : 'its step does not use append_row'}).`,
    );
    return;
  }
  const local = await newestLocalRun(r.node);
  if (!local) {
    void vscode.window.showWarningMessage(
      `No finished local run of step ${r.node} with append_row output in this folder's .parallel-run/runs. Run the spec locally first (Run Locally), then compare.`,
    );
    return;
  }
  const c = await compareResults(cloud, local.source, { localItems: local.inputFiles });
  const file = path.join(resultsFolder(folder(), r.job), `compare-${path.basename(local.runDir)}.md`);
  await vscode.workspace.fs.writeFile(vscode.Uri.file(file), Buffer.from(comparisonMarkdown(c), 'utf8'));
  await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(file));
  const headline = comparisonHeadline(c);
  if (sameResults(c)) void vscode.window.showInformationMessage(`Same rows: ${headline}`);
  else void vscode.window.showWarningMessage(`Rows differ: ${headline}`);
}

/** Data inputs of a job body: pipeline-level data inputs (what --input changes), with their current uri. */
function dataInputsOf(props: Record<string, unknown>): { name: string; type: string; uri: string }[] {
  const inputs = (props.inputs ?? {}) as Record<string, { jobInputType?: string; uri?: string }>;
  return Object.entries(inputs)
    .filter(([, v]) => v && v.jobInputType && v.jobInputType !== 'literal')
    .map(([name, v]) => ({ name, type: String(v.jobInputType), uri: String(v.uri ?? '') }));
}

const PARAMETERS: { key: string; label: string; path: string[] }[] = [
  { key: 'mini_batch_size', label: 'mini_batch_size', path: ['mini_batch_size'] },
  { key: 'nodes', label: 'nodes (resources.instance_count)', path: ['resources', 'instance_count'] },
  { key: 'processes', label: 'processes (max_concurrency_per_instance)', path: ['max_concurrency_per_instance'] },
  { key: 'error_threshold', label: 'error_threshold', path: ['error_threshold'] },
  { key: 'mini_batch_error_threshold', label: 'mini_batch_error_threshold', path: ['mini_batch_error_threshold'] },
  { key: 'max_retries', label: 'retry_settings.max_retries', path: ['retry_settings', 'max_retries'] },
  { key: 'timeout', label: 'retry_settings.timeout', path: ['retry_settings', 'timeout'] },
  { key: 'logging_level', label: 'logging_level', path: ['logging_level'] },
];

function valueAt(node: Record<string, unknown>, p: string[], inputs: Record<string, { value?: string }>): string {
  let at: unknown = node;
  for (const k of p) at = (at as Record<string, unknown> | undefined)?.[k];
  const bound = typeof at === 'string' ? /^\$\{\{\s*parent\.inputs\.([A-Za-z0-9_]+)\s*\}\}$/.exec(at)?.[1] : undefined;
  if (bound) return `${inputs[bound]?.value ?? ''} (input ${bound})`;
  return at === undefined ? 'default' : String(at);
}

/** "Resubmit with…": pick the inputs and parameters to change, give their new values, submit a new job. */
export async function resubmitCommand(host: ResultsHost, node: unknown): Promise<void> {
  const t = jobTargetOf(node);
  if (!t) return;
  const clients = host.tree.clients;
  const api = await clients.access.api();
  const ml = await clients.mlFor(t.ws.subscriptionId, t.tenantId);
  const raw = await api.getRawJob(ml, t.ws, t.job.name);
  const nodes = Object.entries((raw.properties.jobs ?? {}) as Record<string, Record<string, unknown>>).filter(
    ([, n]) => n?.type === 'parallel',
  );
  if (nodes.length === 0) {
    void vscode.window.showWarningMessage(`Job ${t.job.name} has no parallel step to resubmit with other data or parameters.`);
    return;
  }
  let stepName = nodes[0][0];
  if (nodes.length > 1) {
    const chosen = await vscode.window.showQuickPick(
      nodes.map(([n]) => n),
      { title: 'Resubmit with…', placeHolder: 'Which parallel step?' },
    );
    if (!chosen) return;
    stepName = chosen;
  }
  const step = Object.fromEntries(nodes)[stepName];
  const literals = (raw.properties.inputs ?? {}) as Record<string, { value?: string }>;
  type Item = vscode.QuickPickItem & { input?: string; param?: string };
  const items: Item[] = [
    { label: 'Data inputs', kind: vscode.QuickPickItemKind.Separator },
    ...dataInputsOf(raw.properties).map((i): Item => ({ label: i.name, description: i.type, detail: i.uri, input: i.name })),
    { label: 'Parameters', kind: vscode.QuickPickItemKind.Separator },
    ...PARAMETERS.map((p): Item => ({ label: p.label, description: valueAt(step, p.path, literals), param: p.key })),
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: `Resubmit ${t.job.displayName || t.job.name} with…`,
    placeHolder: 'What to change (the rest stays as the job had it)',
    canPickMany: true,
  });
  if (!picked || picked.length === 0) return;

  const inputs: string[] = [];
  for (const p of picked.filter((x) => x.input)) {
    const where = await pickData(host, t, p.input!);
    if (where === undefined) return;
    inputs.push(`${p.input}=${where}`);
  }
  const sets: string[] = [];
  const tabular = undefined; // checked against the job's input by resubmitJob; here either form is accepted
  for (const p of picked.filter((x) => x.param)) {
    const value = await vscode.window.showInputBox({
      title: `Resubmit: ${p.label}`,
      prompt: `Now ${p.description}`,
      validateInput: (v) => {
        try {
          api.parseResubmitChanges([], [`${p.param}=${v}`], { tabular });
          return undefined;
        } catch (err) {
          return (err as Error).message.replace(/^--set [^:]+: /, '');
        }
      },
    });
    if (value === undefined) return;
    sets.push(`${p.param}=${value}`);
  }
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Resubmitting ${t.job.name}`, cancellable: true },
    async (progress, token) => {
      const stop = new AbortController();
      token.onCancellationRequested(() => stop.abort());
      return api.resubmitJob(t.job.name, {
        ml,
        ws: t.ws,
        credential: clients.access.credential(t.tenantId),
        blob: blobOptions(),
        node: stepName,
        inputs,
        set: sets,
        cwd: root,
        abortSignal: stop.signal,
        onStep: (message) => progress.report({ message }),
      });
    },
  );
  host.log.info(`Resubmitted job ${t.job.name} as ${result.job.name}: ${result.changes.join('; ') || 'no changes'}`);
  const followed = await host
    .followResubmitted?.({ ws: t.ws, name: t.job.name, tenantId: t.tenantId }, { name: result.job.name, studioUrl: result.studioUrl })
    .catch((err: unknown) => {
      host.log.warn(`Could not follow job ${result.job.name}: ${(err as Error)?.message ?? err}`);
      return false;
    });
  if (followed) return;
  const studio = 'Open in Studio';
  const pick = await vscode.window.showInformationMessage(
    `Submitted job ${result.job.name} (${result.changes.length} change${result.changes.length === 1 ? '' : 's'}).`,
    studio,
  );
  if (pick === studio) await vscode.env.openExternal(vscode.Uri.parse(result.studioUrl));
}

/** Where an input's data should come from now: a data asset, a datastore path, a local folder or one file. */
async function pickData(host: ResultsHost, t: JobTarget, input: string): Promise<string | undefined> {
  type Source = vscode.QuickPickItem & { kind2: 'asset' | 'datastore' | 'folder' | 'file' };
  const source = await vscode.window.showQuickPick<Source>(
    [
      { label: '$(file-binary) Data asset…', description: 'azureml:<name>:<version>', kind2: 'asset' },
      { label: '$(database) Datastore path…', description: 'azureml://datastores/<name>/paths/<path>', kind2: 'datastore' },
      { label: '$(folder) Local folder…', description: 'uploaded as submit does', kind2: 'folder' },
      { label: '$(file) One local file…', description: 'e.g. a single image', kind2: 'file' },
    ],
    { title: `Resubmit: input ${input}`, placeHolder: 'Where the data comes from' },
  );
  if (!source) return undefined;
  if (source.kind2 === 'folder' || source.kind2 === 'file') {
    const chosen = await vscode.window.showOpenDialog({
      canSelectFiles: source.kind2 === 'file',
      canSelectFolders: source.kind2 === 'folder',
      canSelectMany: false,
      title: `Data for input ${input}`,
    });
    return chosen?.[0]?.fsPath;
  }
  const api = await host.tree.clients.access.api();
  const ml = await host.tree.clients.mlFor(t.ws.subscriptionId, t.tenantId);
  if (source.kind2 === 'datastore') {
    return vscode.window.showInputBox({
      title: `Resubmit: input ${input}`,
      prompt: 'A datastore path; end a folder with /',
      value: 'azureml://datastores/workspaceblobstore/paths/',
      validateInput: (v) => (api.parseDatastoreUri(v.trim()) ? undefined : 'Write azureml://datastores/<datastore>/paths/<path>'),
    });
  }
  const containers = await api.allItems(api.assetContainerPages(ml, t.ws, 'data'));
  const asset = await vscode.window.showQuickPick(
    containers.map((c) => ({
      label: c.name,
      description: c.latestVersion ? `latest ${c.latestVersion}` : undefined,
      detail: c.description,
    })),
    { title: `Resubmit: input ${input}`, placeHolder: 'Data asset' },
  );
  if (!asset) return undefined;
  const versions = await api.allItems(api.assetVersionPages(ml, t.ws, 'data', asset.label));
  const version = await vscode.window.showQuickPick(
    versions.map((v) => ({ label: v.version, description: v.type, detail: v.path })),
    { title: `Resubmit: input ${input}`, placeHolder: `Version of ${asset.label}` },
  );
  return version ? `azureml:${asset.label}:${version.label}` : undefined;
}
