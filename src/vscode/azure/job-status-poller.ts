/**
 * Live status in the Jobs tree for jobs this window does not follow (submitted from the studio, `az ml`, the CLI
 * or another machine): while the view shows them, the rows of jobs still in progress (Queued, Preparing,
 * Running…) are read again, one GET per job, at `az ml job stream`'s growing interval, and each takes its new
 * status alone (updateJobRows). Plain logic over the tree model, no `vscode`: ./view.ts lends it the view's
 * visibility, its expanded rows, the setting and what this window follows.
 */
import { terminalJobStatuses } from '../../core/azure/follow/events';
import type { WorkspaceRef } from '../../core/azure/resources/types';
import type { TreeModel } from '../tree/framework/tree-model';
import type { AzureApi, Clients } from './access';
import { JobNode } from './nodes';
import { updateJobRows } from './submit/tree-rows';

export interface JobStatusPollerOptions {
  model: TreeModel;
  /** The tree's clients now (the view replaces them when the account or the cloud changes). */
  clients(): Clients;
  /** Fastest wait between two reads of a job, in seconds (`parallelRun.azure.jobStatusPollSeconds`); 0: off. */
  fastestSeconds(): number;
  /** True while this window follows the job: its follow updates the row already. */
  isFollowed(ws: WorkspaceRef, name: string): boolean;
  /** True while the view is on screen (not hidden, its section not collapsed). */
  visible(): boolean;
  /** A job no longer read, and why (the Azure layer's message: no token in it). */
  log(message: string): void;
  /** Clock in seconds. */
  now?(): number;
  /** Waits `seconds` (undefined: until woken), or less when `signal` aborts. Tests pass one that needs no clock. */
  sleep?(seconds: number | undefined, signal: AbortSignal): Promise<void>;
}

/** A live job's row as the poller reads it. */
interface LiveRow {
  ws: WorkspaceRef;
  name: string;
  tenantId?: string;
}

/** A live job being polled: since when (the interval grows from then) and when it is read next. */
interface Watch {
  since: number;
  due: number;
  /** A transient failure was logged: the next ones of the streak are not. */
  failing?: boolean;
}

const keyOf = (ws: WorkspaceRef, name: string) => `${ws.subscriptionId}/${ws.resourceGroup.toLowerCase()}/${ws.workspace}/${name}`;

/** No HTTP status (the network), a timeout, throttling or a server error: the next tick tries again. */
const transient = (err: unknown): boolean => {
  const status = (err as { status?: number; statusCode?: number })?.status ?? (err as { statusCode?: number })?.statusCode;
  return status === undefined || status === 408 || status === 429 || status >= 500;
};

export class JobStatusPoller {
  private readonly watched = new Map<string, Watch>();
  /** When each job's status was last read (its list or a GET), kept while the view is hidden. */
  private readonly lastRead = new Map<string, number>();
  /** Jobs the service refused or no longer has (403, 404…): not read again until a refresh. */
  private readonly dropped = new Set<string>();
  /** Ids of the rows the user collapsed: the jobs under them are not on screen. */
  private readonly collapsedRows = new Set<string>();
  private ticking?: Promise<number | undefined>;
  private loop?: Promise<void>;
  private waker?: AbortController;
  private wakeAsked = false;
  private disposed = false;
  private readonly now: () => number;
  private readonly sleep: (seconds: number | undefined, signal: AbortSignal) => Promise<void>;

  constructor(private readonly o: JobStatusPollerOptions) {
    this.now = o.now ?? (() => Date.now() / 1000);
    this.sleep = o.sleep ?? sleepFor;
  }

  /** Starts the polling loop (once); it idles while nothing is live or the view is hidden. */
  start(): void {
    if (this.loop || this.disposed) return;
    this.loop = this.run();
  }

  /** Something the loop depends on changed (visibility, the setting, the rows): look again now. */
  wake(): void {
    this.wakeAsked = true;
    this.waker?.abort();
  }

  /** Refresh: jobs dropped after an error are read again, and every interval starts again from the fastest. */
  reset(): void {
    this.watched.clear();
    this.lastRead.clear();
    this.dropped.clear();
    this.wake();
  }

  /** The user collapsed row `id`: jobs under it are off screen. */
  collapsed(id: string): void {
    this.collapsedRows.add(id);
  }

  /** The user expanded row `id`: jobs under it show again (and are read at once if their status is old). */
  expanded(id: string): void {
    if (this.collapsedRows.delete(id)) this.wake();
  }

  /**
   * Reads every live job that is due, one GET each, one after another; never runs twice at once (a second
   * call shares the first's). Returns the seconds until the next job is due, or undefined when nothing is to be
   * polled until something changes (off, hidden, disposed).
   */
  tick(): Promise<number | undefined> {
    return (this.ticking ??= this.pollDue().finally(() => (this.ticking = undefined)));
  }

  /** Stops the loop; a read in flight is let finish and its answer dropped. */
  dispose(): void {
    this.disposed = true;
    this.watched.clear();
    this.waker?.abort();
  }

  /** Resolves once the loop has ended (after dispose). */
  async stopped(): Promise<void> {
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.disposed) {
      this.wakeAsked = false;
      let wait: number | undefined;
      try {
        wait = await this.tick();
      } catch (err) {
        // pollDue handles each job's failure; this is a bug or the Azure layer failing to load: try again later.
        this.o.log(`Live job status: ${(err as Error)?.message ?? err}`);
        wait = Math.max(1, this.o.fastestSeconds()) * 6;
      }
      if (this.disposed) return;
      if (this.wakeAsked) continue;
      this.waker = new AbortController();
      await this.sleep(wait, this.waker.signal).catch(() => undefined);
      this.waker = undefined;
    }
  }

  private async pollDue(): Promise<number | undefined> {
    const fastest = this.o.fastestSeconds();
    if (this.disposed || !(fastest > 0) || !this.o.visible()) {
      // Hidden or off: nothing is watched; the reads so far say how old each row is when it shows again.
      this.watched.clear();
      return undefined;
    }
    const live = this.liveRows();
    for (const key of this.watched.keys()) if (!live.has(key)) this.watched.delete(key);
    const now = this.now();
    const due: [string, LiveRow, Watch][] = [];
    for (const [key, row] of live) {
      let w = this.watched.get(key);
      if (!w) {
        // Seen now: its list was read when it loaded (or it was read before the view was hidden).
        const read = this.lastRead.get(key) ?? now;
        this.lastRead.set(key, read);
        w = { since: now, due: Math.max(now, read + fastest) };
        this.watched.set(key, w);
      }
      if (w.due <= now) due.push([key, row, w]);
    }
    if (due.length > 0) {
      const clients = this.o.clients();
      const api = await clients.access.api();
      for (const [key, row, w] of due) {
        if (this.disposed || !this.o.visible()) break;
        if (this.o.isFollowed(row.ws, row.name)) continue;
        await this.read(api, clients, key, row, w, fastest);
      }
    }
    if (this.disposed || this.watched.size === 0) return this.disposed ? undefined : fastest;
    const next = Math.min(...[...this.watched.values()].map((w) => w.due));
    return Math.max(0, next - this.now());
  }

  /** One GET of one job: its row takes the status; a terminal job is no longer watched. */
  private async read(api: AzureApi, clients: Clients, key: string, row: LiveRow, w: Watch, fastest: number): Promise<void> {
    try {
      const ml = await clients.mlFor(row.ws.subscriptionId, row.tenantId);
      const job = await api.getJob(ml, row.ws, row.name);
      if (this.disposed) return;
      const at = this.now();
      this.lastRead.set(key, at);
      w.failing = false;
      updateJobRows(this.o.model, row.ws, job);
      if (terminalJobStatuses.has(job.status)) this.watched.delete(key);
      else w.due = at + api.followIntervalSeconds(at - w.since, fastest);
    } catch (err) {
      if (this.disposed) return;
      const message = (err as Error)?.message ?? String(err);
      if (transient(err)) {
        if (!w.failing) this.o.log(`Could not read the status of job ${row.name} (tried again at the next poll): ${message}`);
        w.failing = true;
        const at = this.now();
        // A throttled answer's Retry-After (one longer than the client waits for itself) is honoured.
        const retryAfter = (err as { retryAfterSeconds?: number }).retryAfterSeconds ?? 0;
        w.due = at + Math.max(api.followIntervalSeconds(at - w.since, fastest), retryAfter);
        return;
      }
      this.dropped.add(key);
      this.watched.delete(key);
      this.o.log(
        `Stopped updating the status of job ${row.name} of workspace ${row.ws.workspace} in the Azure ML view: ${message} ` +
          'Refresh the view to read it again.',
      );
    }
  }

  /** Jobs in progress whose row is loaded and on screen, not followed here, not dropped: one entry per job. */
  private liveRows(): Map<string, LiveRow> {
    const live = new Map<string, LiveRow>();
    const loaded = new Set<string>();
    for (const node of this.o.model.loadedNodes()) {
      if (!(node instanceof JobNode)) continue;
      const ws = node.folder.workspace.ref;
      const key = keyOf(ws, node.job.name);
      loaded.add(key);
      if (terminalJobStatuses.has(node.job.status) || this.dropped.has(key) || live.has(key)) continue;
      if (!this.onScreen(node.id) || this.o.isFollowed(ws, node.job.name)) continue;
      live.set(key, { ws, name: node.job.name, tenantId: node.folder.workspace.sub.tenantId });
    }
    for (const key of this.lastRead.keys()) if (!loaded.has(key)) this.lastRead.delete(key);
    return live;
  }

  /** No row above `id` is collapsed (ids are paths: `azure/<sub>/<rg>/<ws>/jobs/<name>`). */
  private onScreen(id: string): boolean {
    for (const c of this.collapsedRows) if (id.startsWith(`${c}/`)) return false;
    return true;
  }
}

/** Waits with a timer that does not keep the process alive; undefined waits until `signal` aborts. */
function sleepFor(seconds: number | undefined, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = seconds === undefined ? undefined : setTimeout(done, seconds * 1000);
    timer?.unref?.();
    signal.addEventListener('abort', done, { once: true });
    function done() {
      if (timer) clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
