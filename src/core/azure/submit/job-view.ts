// A cloud job as the run panel shows it: the service's status, the timeline of its changes, the studio link,
// the first real error, and the estimate made before submitting next to what the job really took.
import type { CloudJobHeader } from '../../../shared/cloud-job';
import { runStatusOf, type CloudItemCounts, type CloudJobEvent } from './job-events';

export type { CloudJobHeader };

/** Mini-batch counts a cloud job reported (the run panel's progress bar). */
export interface CloudProgress {
  total: number;
  succeeded: number;
  failed: number;
  retried?: number;
  items?: CloudItemCounts;
}

/** Folds a follower's events into the header; `pricePerNodeHour` prices the actual as it priced the estimate. */
export class CloudJobView {
  readonly header: CloudJobHeader;
  progress?: CloudProgress;
  ended = false;

  constructor(
    init: Pick<CloudJobHeader, 'jobName' | 'workspace' | 'studioUrl' | 'estimate'> & { status?: string; submittedAt?: string },
    private readonly pricePerNodeHour?: number,
  ) {
    this.header = {
      jobName: init.jobName,
      workspace: init.workspace,
      status: init.status ?? 'NotStarted',
      studioUrl: init.studioUrl,
      timeline: [],
      estimate: init.estimate,
    };
    if (init.status) this.header.timeline.push({ status: init.status, at: init.submittedAt ?? new Date().toISOString() });
    if (!init.studioUrl) delete this.header.studioUrl;
    if (!init.estimate) delete this.header.estimate;
  }

  /** The panel's run status: Running until the service says the job ended. */
  get runStatus(): 'Running' | 'Completed' | 'Failed' | 'Canceled' {
    return this.ended ? runStatusOf(this.header.status) : 'Running';
  }

  /** When the job was first seen, and how long it has run (to its end, or to `now`). */
  elapsedMs(now = Date.now()): number {
    const first = this.header.timeline[0];
    if (!first) return 0;
    const end = this.ended ? Date.parse(this.header.timeline[this.header.timeline.length - 1].at) : now;
    return Math.max(0, end - Date.parse(first.at));
  }

  get startedAt(): string | undefined {
    return this.header.timeline[0]?.at;
  }

  /** Folds one event; returns true when the header changed. */
  apply(e: CloudJobEvent): boolean {
    const h = this.header;
    switch (e.type) {
      case 'status':
      case 'end': {
        if (e.job?.studioUrl) h.studioUrl = e.job.studioUrl;
        const changed = h.status !== e.status || h.timeline.length === 0;
        if (changed) {
          h.status = e.status;
          h.timeline.push({ status: e.status, at: e.at });
        }
        if (e.type === 'end') {
          this.ended = true;
          this.measure();
          return true;
        }
        return changed;
      }
      case 'error':
        if (h.error) return false; // the first real error is the headline
        h.error = { message: e.message };
        for (const k of ['file', 'logFile', 'step', 'line'] as const) if (e[k] !== undefined) Object.assign(h.error, { [k]: e[k] });
        return true;
      case 'progress':
        this.progress = {
          total: e.total,
          succeeded: e.succeeded,
          failed: e.failed,
          ...(e.retried !== undefined ? { retried: e.retried } : {}),
          ...(e.items ? { items: { ...e.items } } : {}),
        };
        return false;
      case 'log':
        return false;
    }
  }

  private measure(): void {
    const h = this.header;
    const running = h.timeline.find((t) => t.status === 'Running') ?? h.timeline[0];
    const end = h.timeline[h.timeline.length - 1];
    if (!running || !end) return;
    const wallSeconds = Math.max(0, (Date.parse(end.at) - Date.parse(running.at)) / 1000);
    const nodes = h.estimate?.nodes ?? 1;
    const nodeHours = (nodes * wallSeconds) / 3600;
    h.actual = { wallSeconds, nodeHours };
    if (this.pricePerNodeHour !== undefined) h.actual.cost = nodeHours * this.pricePerNodeHour;
  }
}
