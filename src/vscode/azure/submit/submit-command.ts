/**
 * Submit to Azure ML from VS Code: the flow's questions (./flow.ts), then the submission with a cancellable
 * progress notification (upload progress per folder), then the job in the run panel. What the workspace
 * refuses before anything is sent (a missing compute, data asset, a bad name) becomes diagnostics on the
 * YAML's lines, not a toast.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadSpec } from '../../../core/spec/load';
import { SpecError, type Diagnostic } from '../../../core/spec/types';
import { estimateNode } from '../../../core/azure/submit/estimate-inputs';
import { diagnosticMessage, zeroBasedRange } from '../../authoring/spec-text';
import type { CloudJobs } from './cloud-jobs';
import { planSubmit, SubmitFlowError, type SubmitPrompter } from './flow';
import type { FollowedJob, SubmitHost } from './host';
import { quickPickPrompter } from './prompter';

export interface SubmitRequest {
  specFile: string;
  nodeName: string;
  /** The tree's compute node the user started from: no compute is asked. */
  compute?: string;
  /** The tree's workspace (and the tenant of its subscription), instead of the selected one. */
  ws?: FollowedJob['ws'];
  tenantId?: string;
  /** Submit Again: the same compute and overrides, no questions but the estimate. */
  again?: FollowedJob;
}

let diagnostics: vscode.DiagnosticCollection | undefined;

/** Problems the workspace found in a spec at submit time (cleared on the next submit of that spec). */
function submitDiagnostics(host: SubmitHost): vscode.DiagnosticCollection {
  if (!diagnostics) {
    diagnostics = vscode.languages.createDiagnosticCollection('parallelRun.submit');
    host.ctx.extension.subscriptions.push(diagnostics);
  }
  return diagnostics;
}

function toDiagnostic(d: Diagnostic): vscode.Diagnostic {
  const r = zeroBasedRange(d.location);
  const diagnostic = new vscode.Diagnostic(
    new vscode.Range(r.startLine, r.startCharacter, r.endLine, r.endCharacter),
    diagnosticMessage(d),
    d.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
  );
  diagnostic.source = 'Parallel Run (submit)';
  diagnostic.code = d.rule;
  return diagnostic;
}

/** Shows a SpecError's findings on their lines and the first one in the editor; true when it was one. */
async function showFindings(host: SubmitHost, specFile: string, err: unknown): Promise<boolean> {
  if (!(err instanceof SpecError) && (err as Error)?.name !== 'SpecError') return false;
  const found = (err as SpecError).diagnostics ?? [];
  if (found.length === 0) return false;
  const byFile = new Map<string, vscode.Diagnostic[]>();
  for (const d of found) {
    const file = d.location.file.startsWith('<') ? specFile : d.location.file; // `--set` findings point at the spec
    byFile.set(file, [...(byFile.get(file) ?? []), toDiagnostic(d)]);
  }
  const collection = submitDiagnostics(host);
  for (const [file, list] of byFile) collection.set(vscode.Uri.file(file), list);
  const first = found[0];
  const line = Math.max(0, first.location.line - 1);
  const file = first.location.file.startsWith('<') ? specFile : first.location.file;
  await vscode.window.showTextDocument(vscode.Uri.file(file), { selection: new vscode.Range(line, 0, line, 0), preview: false });
  await vscode.commands.executeCommand('workbench.actions.view.problems');
  vscode.window.setStatusBarMessage(
    `$(error) Not submitted: ${path.basename(specFile)} has ${found.length} problem${found.length === 1 ? '' : 's'} the workspace found.`,
    8000,
  );
  return true;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;

/** The whole Submit: questions, submission with progress, the job in the panel. Resolves when the job is followed. */
export async function submitToAzure(
  host: SubmitHost,
  jobs: CloudJobs,
  request: SubmitRequest,
  prompter: SubmitPrompter = quickPickPrompter,
): Promise<FollowedJob | undefined> {
  const { specFile, nodeName } = request;
  const cwd = path.dirname(specFile);
  const config = vscode.workspace.getConfiguration('parallelRun');
  const price = config.get<number | null>('azure.pricePerNodeHour');
  const pricePerNodeHour = typeof price === 'number' && price >= 0 ? price : undefined;
  const spec = await loadSpec(specFile, { cwd, overrides: request.again?.overrides ?? [] });
  const singleNode = spec.parallelNodes.length === 1;
  const base = request.again?.overrides ?? [];
  let plan;
  try {
    plan = await planSubmit(
      {
        workspace: async () => request.again?.ws ?? request.ws ?? (await host.workspace()),
        computes: async (ws) => {
          const api = await host.access.api();
          const ml = api.mlClient(host.access.credential(request.tenantId), ws.subscriptionId, host.access.endpoint);
          return api.allItems(api.computePages(ml, ws));
        },
        loadJob: async (overrides) => {
          const nodes = (await loadSpec(specFile, { cwd, overrides: [...base, ...overrides], onlyNode: nodeName })).parallelNodes;
          const job = nodes.find((n) => n.nodeName === nodeName);
          if (!job) throw new Error(`${path.basename(specFile)} has no parallel node named ${nodeName}.`);
          return job;
        },
        estimate: (job, nodes) => estimateNode(job, { nodes, pricePerNodeHour }),
        pricePerNodeHour,
      },
      prompter,
      { preselectCompute: request.again?.compute ?? request.compute, singleNode },
    );
  } catch (err) {
    if (await showFindings(host, specFile, err)) return undefined;
    if (err instanceof SubmitFlowError) {
      void vscode.window.showErrorMessage(err.message);
      return undefined;
    }
    throw err;
  }
  if (!plan) return undefined;
  const overrides = [...base, ...plan.overrides];
  const { ws, compute } = plan;
  const tenantId = request.again?.tenantId ?? request.tenantId;

  const api = await host.access.api();
  const credential = host.access.credential(tenantId);
  const ml = api.mlClient(credential, ws.subscriptionId, host.access.endpoint);
  const blobEndpoint = (config.get<string>('azure.blobEndpoint') ?? '').trim();
  const cache = new api.SubmitCache(path.join(host.ctx.extension.globalStorageUri.fsPath, 'submit-cache.json'));
  submitDiagnostics(host).delete(vscode.Uri.file(specFile));
  let result;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Submitting ${nodeName} to ${compute}`, cancellable: true },
      async (progress, token) => {
        const stop = new AbortController();
        token.onCancellationRequested(() => stop.abort());
        const shown = new Map<string, number>();
        return api.submitSpec(specFile, {
          ml,
          ws,
          credential,
          blob: blobEndpoint ? { blobEndpoint } : undefined,
          overrides,
          compute,
          cache,
          abortSignal: stop.signal,
          onStep: (message) => progress.report({ message }),
          onUploadProgress: (what, p) => {
            // A percentage of each folder, reported at most every 5 %.
            const pct = p.totalBytes > 0 ? Math.floor((100 * p.bytes) / p.totalBytes) : 100;
            if ((shown.get(what) ?? -5) + 5 > pct && pct < 100) return;
            shown.set(what, pct);
            progress.report({
              message: `Uploading ${path.relative(cwd, what) || '.'}: ${p.files}/${p.totalFiles} files, ${mb(p.bytes)} of ${mb(p.totalBytes)}`,
            });
          },
        });
      },
    );
  } catch (err) {
    if ((err as { code?: string }).code === 'Cancelled' || (err as Error)?.name === 'AbortError') {
      void vscode.window.showInformationMessage(`Submit canceled: nothing was submitted (${(err as Error).message})`);
      return undefined;
    }
    if (await showFindings(host, specFile, err)) return undefined;
    throw err;
  }
  const followed: FollowedJob = {
    ws,
    name: result.job.name,
    tenantId,
    specFile,
    nodeName,
    compute,
    overrides,
    submittedAt: new Date().toISOString(),
    studioUrl: result.studioUrl,
    estimate: plan.estimate && {
      wallSeconds: plan.estimate.wallSeconds,
      nodeHours: plan.estimate.nodeHours,
      cost: plan.estimate.cost,
      nodes: plan.estimate.nodes,
    },
  };
  host.ctx.log.info(
    `Submitted ${specFile} (${nodeName}) as job ${result.job.name} to ${ws.workspace} on ${compute}; uploads: ${result.uploads.map((u) => `${path.relative(cwd, u.path) || '.'} ${u.skipped ? 'already there' : `${u.bytes} bytes`}`).join(', ')}`,
  );
  host.jobSubmitted(ws);
  await jobs.follow(followed, { show: true });
  return followed;
}
