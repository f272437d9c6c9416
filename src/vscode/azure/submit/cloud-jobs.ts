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
import type { AzureApi } from '../access';
import { RunPanel } from '../../panel/run-panel';
import { followedJobOf, type FollowedJob, type SubmitHost } from './host';
import { FollowedJobs } from './followed-store';
import { SUBMIT_COMMAND } from './ids';

/**
 * How a job is followed: core/azure/follow's `followCloudJob` (status, the job's log lines as `az ml job stream`
 * prints them, mini-batch progress, the first real error) through `fullFollower`; tests may pass another factory.
 */
type FollowerFactory = (api: AzureApi, ml: ReturnType<AzureApi['mlClient']>) => CloudJobFollower;
let followerOf: FollowerFactory = (api, ml) => api.fullFollower(ml);

export function setCloudFollower(factory: FollowerFactory): void {
  followerOf = factory;
}

/** The worker name the job's log lines are shown under in the panel's log section. */
export const JOB_LOG = 'job';

const RESULTS_NOTE =
  'The results of an Azure ML job stay in the workspace: open the job in the studio (Open in Studio) to download its outputs.';

interface Follow {
  job: FollowedJob;
  view: CloudJobView;
  panel?: RunPanel;
  stop: AbortController;
  done: Promise<void>;
  /** A status before the end was seen: the end is news (a job that had ended before a reload is not). */
  seenLive?: boolean;
}

const zeroCounts = (): RunCounts => ({
  miniBatches: { total: 0, succeeded: 0, failed: 0, running: 0, retried: 0 },
  items: { succeeded: 0, failed: 0 },
});

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
      f = { job, view, stop, done: Promise.resolve() };
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

  private async run(f: Follow): Promise<void> {
    const { job } = f;
    const log = this.host.ctx.log;
    try {
      const api = await this.host.access.api();
      const ml = api.mlClient(this.host.access.credential(job.tenantId), job.ws.subscriptionId, this.host.access.endpoint);
      await followerOf(api, ml)({ ws: job.ws, name: job.name }, (e) => this.onEvent(f, e), f.stop.signal);
    } catch (err) {
      if (f.stop.signal.aborted || (err as Error)?.name === 'AbortError') return;
      // Still remembered: a reload (or signing in) follows it again.
      log.warn(`Stopped following Azure ML job ${job.name}: ${(err as Error)?.message ?? err}`);
      f.view.apply({
        type: 'error',
        message: `Stopped following this job: ${(err as Error)?.message ?? err}. Reload the window to follow it again.`,
      });
      this.render(f);
    }
  }

  private onEvent(f: Follow, e: CloudJobEvent): void {
    const changed = f.view.apply(e);
    if (e.type === 'log' && f.panel && !f.panel.isClosed && e.lines.length)
      f.panel.post({ type: 'log', source: JOB_LOG, stream: 'stdout', text: `${e.lines.join('\n')}\n` });
    if ((e.type === 'status' || e.type === 'end') && e.job) this.host.jobChanged(f.job.ws, e.job);
    if (changed || e.type === 'progress') this.render(f);
    if (e.type === 'status') f.seenLive = true;
    if (e.type === 'end') void this.ended(f, e.status);
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
    const counts = v.progress
      ? {
          ...zeroCounts(),
          miniBatches: { ...zeroCounts().miniBatches, total: v.progress.total, succeeded: v.progress.succeeded, failed: v.progress.failed },
        }
      : undefined;
    const ending =
      v.runStatus === 'Canceled'
        ? `The Azure ML job was canceled (${v.header.status}).`
        : `The Azure ML job ended ${v.header.status}: Open in Studio shows its logs.`;
    const reason = v.header.error?.message ?? (v.ended && v.runStatus !== 'Completed' ? ending : undefined);
    p.showCloud(
      v.header,
      { status: v.runStatus, elapsedMs: v.elapsedMs(), startedAt: v.startedAt, reason, counts },
      v.ended ? RESULTS_NOTE : undefined,
    );
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
    panel.onDidRequestAction((request) => {
      if (request.action === 'cancel') void this.cancel(job).catch((err) => this.failed(`Could not cancel job ${job.name}`, err));
      else if (request.action === 'openStudio' && f.view.header.studioUrl)
        void vscode.env.openExternal(vscode.Uri.parse(f.view.header.studioUrl));
      else if (request.action === 'rerun') void vscode.commands.executeCommand(SUBMIT_COMMAND.submitAgain, job);
    });
    panel.onDidDispose(() => {
      if (f.panel === panel) f.panel = undefined;
    });
  }

  private failed(what: string, err: unknown): void {
    this.host.ctx.log.error(`${what}: ${(err as Error)?.message ?? err}`);
    void vscode.window.showErrorMessage(`${what}: ${(err as Error)?.message ?? err}`);
  }
}
