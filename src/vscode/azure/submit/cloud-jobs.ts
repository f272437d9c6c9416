/**
 * The Azure ML jobs this window follows: each in the run panel (the same page as local runs, with the job's
 * strip), its Jobs tree row kept current, remembered across reloads (workspaceState + the panel's `job.json`)
 * and followed again after one. Events come from a CloudJobFollower (core/azure/submit/job-events.ts).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunCounts } from '../../../core/local/types';
import type { CloudJobEvent, CloudJobFollower } from '../../../core/azure/submit/job-events';
import { CloudJobView } from '../../../core/azure/submit/job-view';
import { cloudResultsDir, readCloudRun, type CloudRunRecord } from '../../../core/azure/results/record';
import { dialectFromToCsv } from '../../../core/local/results/dialect';
import { loadSpec } from '../../../core/spec/load';
import { AZURE_COMMAND } from '../ids';
import type { AzureApi } from '../access';
import { RunPanel } from '../../panel/run-panel';
import { followedJobOf, type FollowedJob, type SubmitHost } from './host';
import { FollowedJobs } from './followed-store';
import { SUBMIT_COMMAND } from './ids';

/**
 * How a job is followed: core/azure/follow's `followCloudJob` (status, the job's log lines as `az ml job stream`
 * prints them, mini-batch progress, the first real error) through `fullFollower`; tests may pass another factory.
 */
type FollowerFactory = (api: AzureApi, ml: ReturnType<AzureApi['mlClient']>, o: { localCodeDirs: string[] }) => CloudJobFollower;
let followerOf: FollowerFactory = (api, ml, o) => api.fullFollower(ml, o);

export function setCloudFollower(factory: FollowerFactory): void {
  followerOf = factory;
}

/** The worker name the job's log lines are shown under in the panel's log section. */
export const JOB_LOG = 'job';

const sizeText = (n: number) => (n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 ** 2).toFixed(1)} MB`);

interface Follow {
  job: FollowedJob;
  view: CloudJobView;
  panel?: RunPanel;
  stop: AbortController;
  done: Promise<void>;
  /** A status before the end was seen: the end is news (a job that had ended before a reload is not). */
  seenLive?: boolean;
  /** What the results section shows: rows once downloaded, else why not (kept for a panel opened later). */
  results?: { record: CloudRunRecord } | { message: string; error?: boolean };
  /** Its panel's action listener. */
  listener?: vscode.Disposable;
  /** Log lines shown, by source; a follower started again skips `replay`'s count of each before showing more. */
  logLines: Map<string, number>;
  replay?: Map<string, number>;
}

const zeroCounts = (): RunCounts => ({
  miniBatches: { total: 0, succeeded: 0, failed: 0, running: 0, retried: 0 },
  items: { succeeded: 0, failed: 0 },
});

/**
 * The code folders of a spec's steps: the error of a job maps its frame (`/mnt/…/wd/score.py:3`) to the local file
 * there, so its link opens the user's line. The spec's own folder when it no longer reads.
 */
async function codeDirsOf(specFile: string): Promise<string[]> {
  try {
    const spec = await loadSpec(specFile, { local: false });
    return [...new Set([...spec.parallelNodes.map((n) => n.task.codeDir), ...(spec.commandNodes ?? []).map((c) => c.codeDir)])];
  } catch {
    return [path.dirname(specFile)];
  }
}

export class CloudJobs implements vscode.Disposable {
  private readonly follows = new Map<string, Follow>();

  private readonly store: FollowedJobs;

  constructor(private readonly host: SubmitHost) {
    this.store = new FollowedJobs(host.ctx.extension.workspaceState);
  }

  private key(job: Pick<FollowedJob, 'ws' | 'name'>): string {
    return `${job.ws.subscriptionId}/${job.ws.resourceGroup.toLowerCase()}/${job.ws.workspace}/${job.name}`;
  }

  /** The folder a job's panel names (its `job.json`: what a reload needs to follow it again). */
  runDirOf(job: Pick<FollowedJob, 'ws' | 'name'>): string {
    const base = this.host.ctx.extension.globalStorageUri.fsPath;
    const safe = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '_');
    return path.join(
      base,
      'cloud-jobs',
      safe(job.ws.subscriptionId),
      safe(job.ws.resourceGroup.toLowerCase()),
      safe(job.ws.workspace),
      safe(job.name),
    );
  }

  /** True while this window follows the job. */
  isFollowing(job: Pick<FollowedJob, 'ws' | 'name'>): boolean {
    return this.follows.has(this.key(job));
  }

  /**
   * Follows `job` (once: a second call shows the same one): its panel opens when `show` (or adopts a panel VS
   * Code restored), its tree row changes with it, and it is remembered until it ends.
   */
  async follow(job: FollowedJob, o: { show?: boolean; revived?: vscode.WebviewPanel } = {}): Promise<void> {
    const key = this.key(job);
    let f = this.follows.get(key);
    if (!f) {
      const view = new CloudJobView(
        {
          jobName: job.name,
          workspace: job.ws.workspace,
          studioUrl: job.studioUrl,
          estimate: job.estimate,
          status: 'NotStarted',
          submittedAt: job.submittedAt,
        },
        this.price(),
      );
      const stop = new AbortController();
      f = { job, view, stop, done: Promise.resolve(), logLines: new Map() };
      this.follows.set(key, f);
      await this.store.remember(job);
      const follow = f;
      f.done = this.run(follow).finally(() => {
        if (this.follows.get(key) === follow) this.follows.delete(key);
      });
    }
    if (o.revived || o.show) await this.showPanel(f, o.revived);
  }

  /** The job as this window submitted or followed it (Submit Again needs its spec), if it knows it. */
  async known(job: Pick<FollowedJob, 'ws' | 'name'>): Promise<FollowedJob | undefined> {
    const f = this.follows.get(this.key(job));
    if (f) return f.job;
    try {
      return followedJobOf(JSON.parse(await fs.readFile(path.join(this.runDirOf(job), 'job.json'), 'utf8')));
    } catch {
      return undefined;
    }
  }

  /** A run panel VS Code restored after a reload whose folder is a cloud job's: follow that job in it. */
  async restorePanel(panel: vscode.WebviewPanel, runDir: string): Promise<boolean> {
    let job: FollowedJob | undefined;
    try {
      job = followedJobOf(JSON.parse(await fs.readFile(path.join(runDir, 'job.json'), 'utf8')));
    } catch {
      job = undefined;
    }
    if (!job || path.resolve(this.runDirOf(job)) !== path.resolve(runDir)) return false;
    await this.follow(job, { revived: panel });
    return true;
  }

  /** Follows again every job the window followed before a reload (their panels come back on their own). */
  async reattach(): Promise<number> {
    const list = this.store.list();
    for (const job of list) await this.follow(job);
    return list.length;
  }

  /** Asks the service to cancel the job; the follower then sees CancelRequested and Canceled. */
  async cancel(job: Pick<FollowedJob, 'ws' | 'name' | 'tenantId'>): Promise<void> {
    const api = await this.host.access.api();
    const ml = api.mlClient(this.host.access.credential(job.tenantId), job.ws.subscriptionId, this.host.access.endpoint);
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Canceling Azure ML job ${job.name}…` }, () =>
      api.cancelJob(ml, job.ws, job.name),
    );
  }

  dispose(): void {
    // Following stops with the window; the jobs stay remembered and are followed again after a reload.
    for (const f of this.follows.values()) f.stop.abort();
    this.follows.clear();
  }

  private price(): number | undefined {
    const p = vscode.workspace.getConfiguration('parallelRun').get<number | null>('azure.pricePerNodeHour');
    return typeof p === 'number' && p >= 0 ? p : undefined;
  }

  /**
   * Follows the job until it ends. A failure that may pass (not signed in yet, as after a reload before the
   * sign-in provider answers; the network; the service) is tried again, sooner when the sign-in changes; a job
   * that is gone or not allowed (404, 403) stops the following.
   */
  private async run(f: Follow): Promise<void> {
    const { job } = f;
    const log = this.host.ctx.log;
    for (let attempt = 0; ; attempt++) {
      try {
        const api = await this.host.access.api();
        const ml = api.mlClient(this.host.access.credential(job.tenantId), job.ws.subscriptionId, this.host.access.endpoint);
        // A new follower reads the job's logs from their start: the lines already shown are not shown again.
        f.replay = new Map(f.logLines);
        const localCodeDirs = await codeDirsOf(job.specFile);
        await followerOf(api, ml, { localCodeDirs })({ ws: job.ws, name: job.name }, (e) => this.onEvent(f, e), f.stop.signal);
        return;
      } catch (err) {
        if (f.stop.signal.aborted || (err as Error)?.name === 'AbortError') return;
        const message = ((err as Error)?.message ?? String(err)).replace(/\.+$/, '');
        const status = (err as { status?: number; statusCode?: number }).status ?? (err as { statusCode?: number }).statusCode;
        if (status === 403 || status === 404) {
          // Still remembered: a reload follows it again.
          log.warn(`Stopped following Azure ML job ${job.name}: ${message}`);
          f.view.apply({ type: 'error', message: `Stopped following this job: ${message}. Reload the window to follow it again.` });
          this.render(f);
          return;
        }
        const seconds = Math.min(60, 2 ** Math.min(attempt + 1, 6));
        log.warn(`Following Azure ML job ${job.name}: ${message}; trying again in ${seconds} s`);
        if (f.panel && !f.panel.isClosed)
          f.panel.post({
            type: 'log',
            source: JOB_LOG,
            stream: 'stderr',
            text: `Could not read the job: ${message}. Trying again in ${seconds} s, or as soon as the Azure sign-in changes.\n`,
          });
        await this.retryWait(seconds, f.stop.signal);
      }
    }
  }

  /** Waits `seconds`, less when the Azure sign-in changes (a session arrives) or not at all once stopped. */
  private retryWait(seconds: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        sessions.dispose();
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, seconds * 1000);
      const sessions = vscode.authentication.onDidChangeSessions(done);
      signal.addEventListener('abort', done);
    });
  }

  private onEvent(f: Follow, e: CloudJobEvent): void {
    if (e.type === 'log') {
      const source = e.source ?? '';
      const skip = Math.min(f.replay?.get(source) ?? 0, e.lines.length);
      if (skip) f.replay?.set(source, (f.replay.get(source) ?? 0) - skip);
      const lines = skip ? e.lines.slice(skip) : e.lines;
      f.logLines.set(source, (f.logLines.get(source) ?? 0) + lines.length);
      if (f.panel && !f.panel.isClosed && lines.length)
        f.panel.post({ type: 'log', source: JOB_LOG, stream: 'stdout', text: `${lines.join('\n')}\n` });
      return;
    }
    const changed = f.view.apply(e);
    if ((e.type === 'status' || e.type === 'end') && e.job) this.host.jobChanged(f.job.ws, e.job);
    if (changed || e.type === 'progress') this.render(f);
    if (e.type === 'status') f.seenLive = true;
    if (e.type === 'end') {
      void this.ended(f, e.status);
      void this.fetchResults(f, e.status);
    }
  }

  private async ended(f: Follow, status: string): Promise<void> {
    await this.store.forget(f.job);
    this.host.ctx.log.info(`Azure ML job ${f.job.name} ended: ${status}`);
    if (!f.seenLive) return;
    const studio = 'Open in Studio';
    const text = `Azure ML job ${f.job.name}: ${status}.`;
    const shown =
      status === 'Completed' ? vscode.window.showInformationMessage(text, studio) : vscode.window.showWarningMessage(text, studio);
    void shown.then((c) => {
      if (c === studio && f.view.header.studioUrl) void vscode.env.openExternal(vscode.Uri.parse(f.view.header.studioUrl));
    });
  }

  private render(f: Follow): void {
    const p = f.panel;
    if (!p || p.isClosed) return;
    const v = f.view;
    const pr = v.progress;
    const counts: RunCounts | undefined = pr
      ? {
          miniBatches: {
            ...zeroCounts().miniBatches,
            total: pr.total,
            succeeded: pr.succeeded,
            failed: pr.failed,
            retried: pr.retried ?? 0,
          },
          items: pr.items ? { ...pr.items } : zeroCounts().items,
        }
      : undefined;
    const ending =
      v.runStatus === 'Canceled'
        ? `The Azure ML job was canceled (${v.header.status}).`
        : `The Azure ML job ended ${v.header.status}: Open in Studio shows its logs.`;
    const reason = v.header.error?.message ?? (v.ended && v.runStatus !== 'Completed' ? ending : undefined);
    p.showCloud(v.header, { status: v.runStatus, elapsedMs: v.elapsedMs(), startedAt: v.startedAt, reason, counts });
  }

  /** The results section of the job's panel: its rows, or why there are none yet. */
  private renderResults(f: Follow): void {
    const p = f.panel;
    const r = f.results;
    if (!p || p.isClosed || !r) return;
    if ('record' in r) {
      const file = r.record.outputFile;
      if (file) p.showResultsFile(file, dialectFromToCsv(r.record.toCsv, r.record.dataframeHeader));
      else
        p.showResultsMessage(
          r.record.appendRowOutput
            ? `Job ${r.record.job} wrote no ${r.record.appendRowFileName} to its output ${r.record.appendRowOutput}: no mini-batch returned rows.`
            : `Job ${r.record.job}'s step writes no append_row output (output_action: summary_only): its outputs are in ${Object.values(r.record.outputs)[0]?.dir ?? 'the datastore'}.`,
        );
    } else p.showResultsMessage(r.message, r.error);
  }

  /** The workspace folder of the job's spec (results go to its `.parallel-run/cloud/<job>`). */
  private folderOf(job: FollowedJob): string | undefined {
    return (
      vscode.workspace.getWorkspaceFolder(vscode.Uri.file(job.specFile))?.uri.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath
    );
  }

  /**
   * A job that ended: its results downloaded (once: a folder already holding them is read again) and shown as rows
   * in its panel. Only a Completed job's are fetched by themselves; Download Results fetches a failed job's part.
   */
  private async fetchResults(f: Follow, status: string): Promise<void> {
    const { job } = f;
    const root = this.folderOf(job);
    const show = (r: NonNullable<Follow['results']>) => {
      f.results = r;
      this.renderResults(f);
    };
    if (!root) return show({ message: 'Open a folder to see the results here: they are downloaded into its .parallel-run/cloud/ folder.' });
    const dest = cloudResultsDir(root, job.name);
    const had = await readCloudRun(dest);
    if (had && had.status === status) return show({ record: had });
    if (status !== 'Completed')
      return show({
        message: `The job ended ${status}: its results were not downloaded. "Download Results" on its row in the Azure ML view fetches what it wrote.`,
      });
    show({ message: `Downloading the results of job ${job.name}…` });
    try {
      const api = await this.host.access.api();
      const credential = this.host.access.credential(job.tenantId);
      const blobEndpoint = (vscode.workspace.getConfiguration('parallelRun').get<string>('azure.blobEndpoint') ?? '').trim();
      const record = await api.downloadJobResults(job.name, {
        ml: api.mlClient(credential, job.ws.subscriptionId, this.host.access.endpoint),
        arm: api.armClient(credential, this.host.access.endpoint),
        ws: job.ws,
        credential,
        blob: blobEndpoint ? { blobEndpoint } : undefined,
        node: job.nodeName,
        dest,
        abortSignal: f.stop.signal,
        onProgress: (output, p) =>
          show({
            message: `Downloading the results of job ${job.name}: ${output} ${p.files}/${p.totalFiles} files, ${sizeText(p.bytes)} of ${sizeText(p.totalBytes)}…`,
          }),
      });
      this.host.ctx.log.info(`Downloaded the results of Azure ML job ${job.name} to ${dest}`);
      show({ record });
    } catch (err) {
      if (f.stop.signal.aborted) return;
      const message = (err as Error)?.message ?? String(err);
      this.host.ctx.log.warn(`Could not download the results of Azure ML job ${job.name}: ${message}`);
      show({
        message: `Could not download the results of job ${job.name}: ${message}. "Download Results" on its row in the Azure ML view tries again.`,
        error: true,
      });
    }
  }

  private async showPanel(f: Follow, revived?: vscode.WebviewPanel): Promise<void> {
    const { job } = f;
    const runDir = this.runDirOf(job);
    await fs.mkdir(runDir, { recursive: true });
    await fs.writeFile(path.join(runDir, 'job.json'), JSON.stringify(job, null, 1));
    if (f.panel && !f.panel.isClosed) {
      f.panel.reveal();
      return;
    }
    // The workspace folder: the page shows the spec's path relative to it.
    const root = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(job.specFile))?.uri.fsPath;
    const target = { specFile: job.specFile, nodeName: job.name, runDir, ...(root ? { place: { root } } : {}) };
    const uri = this.host.ctx.extension.extensionUri;
    const panel = revived ? RunPanel.revive(revived, uri, target) : RunPanel.createOrShow(uri, target);
    f.panel = panel;
    panel.post({
      type: 'start',
      run: {
        kind: 'cloud',
        id: job.name,
        displayName: job.name,
        specFile: job.specFile,
        node: job.nodeName,
        runDir,
        ...(f.view.header.studioUrl ? { url: f.view.header.studioUrl } : {}),
      },
      startedAt: f.view.startedAt ?? new Date().toISOString(),
      workers: 0,
      counts: zeroCounts(),
    });
    this.render(f);
    this.renderResults(f);
    // The job's own actions get the job as the tree's rows give it: its workspace, name and tenant.
    const jobRef = { ws: job.ws, name: job.name, tenantId: job.tenantId };
    // One listener per job shown: a panel that shows another job (Submit Again, Resubmit with…) acts on that one.
    const listener = panel.onDidRequestAction((request) => {
      if (!request.cloud || path.resolve(request.runDir) !== path.resolve(runDir)) return;
      if (request.action === 'cancel') void this.cancel(job).catch((err) => this.failed(`Could not cancel job ${job.name}`, err));
      else if (request.action === 'openStudio' && f.view.header.studioUrl)
        void vscode.env.openExternal(vscode.Uri.parse(f.view.header.studioUrl));
      else if (request.action === 'rerun') void vscode.commands.executeCommand(SUBMIT_COMMAND.submitAgain, job);
      else if (request.action === 'resubmitWith') void vscode.commands.executeCommand(AZURE_COMMAND.resubmitWith, jobRef);
      else if (request.action === 'compareWithLocal') void vscode.commands.executeCommand(AZURE_COMMAND.compareWithLocal, jobRef);
      else if (request.action === 'showJobLogs') void vscode.commands.executeCommand(AZURE_COMMAND.showJobLogs, jobRef);
      else if (request.action === 'openJobError') void this.openError(f, jobRef);
    });
    f.listener?.dispose();
    f.listener = listener;
    panel.onDidDispose(() => {
      listener.dispose();
      if (f.panel === panel) f.panel = undefined;
    });
  }

  /** The headline error's file: the user's line when the frame maps to a local file, else the job's log it came from. */
  private async openError(f: Follow, jobRef: { ws: FollowedJob['ws']; name: string; tenantId?: string }): Promise<void> {
    const e = f.view.header.error;
    if (!e) return;
    if (e.line && e.file && path.isAbsolute(e.file)) {
      const line = Math.max(0, e.line - 1);
      const beside = f.panel?.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One;
      await vscode.window.showTextDocument(vscode.Uri.file(e.file), { viewColumn: beside, selection: new vscode.Range(line, 0, line, 0) });
    } else if (e.logFile) {
      await vscode.commands.executeCommand(AZURE_COMMAND.showJobLogs, { ...jobRef, file: e.logFile, ...(e.step ? { step: e.step } : {}) });
    }
  }

  private failed(what: string, err: unknown): void {
    this.host.ctx.log.error(`${what}: ${(err as Error)?.message ?? err}`);
    void vscode.window.showErrorMessage(`${what}: ${(err as Error)?.message ?? err}`);
  }
}
