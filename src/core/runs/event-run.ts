/**
 * A run model fed its events by whoever watches the run: the local engine's adapter (LocalRun), a cloud job's
 * follower, or a test. It keeps the status, timeline, counts and outcome the events imply, hands every event
 * to its subscribers, and keeps what a subscriber that comes late (a panel opened mid-run) needs to catch up.
 */
import type { RunCounts } from '../local/types';
import {
  isTerminal,
  type RunFailure,
  type RunIdentity,
  type RunModel,
  type RunModelEvent,
  type RunModelListener,
  type RunModelStatus,
  type RunOutcome,
  type StatusChange,
} from './model';

/** Log events kept for a late subscriber; the panel itself keeps only a tail per source. */
const LOG_EVENTS_KEPT = 1000;

export class EventRun implements RunModel {
  private statusNow: RunModelStatus = 'NotStarted';
  private readonly changes: StatusChange[] = [];
  private readonly listeners = new Set<RunModelListener>();
  private readonly events: RunModelEvent[] = [];
  private readonly logs: RunModelEvent[] = [];
  /** Only the latest progress is worth replaying (it carries the whole counts); a long run sends thousands. */
  private lastProgress?: RunModelEvent;
  private endEvent?: RunModelEvent;
  startedAt?: string;
  counts?: RunCounts;
  workers?: number;
  failure?: RunFailure;
  outcome?: RunOutcome;

  /** `cancel`: how to stop the run (abort the engine, the REST cancel); called once. */
  constructor(
    readonly identity: RunIdentity,
    private readonly onCancel: () => void | Promise<void>,
  ) {}

  get status(): RunModelStatus {
    return this.statusNow;
  }

  get timeline(): readonly StatusChange[] {
    return this.changes;
  }

  private cancelAsked?: Promise<void>;

  cancel(): Promise<void> {
    this.cancelAsked ??= this.outcome ? Promise.resolve() : Promise.resolve().then(this.onCancel);
    return this.cancelAsked;
  }

  subscribe(listener: RunModelListener, options: { replay?: boolean } = {}): () => void {
    if (options.replay) {
      const past = [
        ...this.events,
        ...(this.lastProgress ? [this.lastProgress] : []),
        ...this.logs,
        ...(this.endEvent ? [this.endEvent] : []),
      ];
      for (const event of past) listener(event);
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Moves to `status` (once: the same status again is no change), telling subscribers with the timeline. */
  setStatus(status: RunModelStatus, at: Date = new Date()): void {
    if (status === this.statusNow && this.changes.length > 0) return;
    if (this.outcome) return;
    this.statusNow = status;
    this.changes.push({ status, at: at.toISOString() });
    this.deliver({ type: 'status', status, timeline: this.changes.map((c) => ({ ...c })) });
  }

  /**
   * One event of the run. `start` begins it (a local run: Running), `end` ends it (its outcome's
   * status becomes the last of the timeline); `status` events go through `setStatus`.
   */
  emit(event: RunModelEvent): void {
    if (this.outcome) return; // nothing happens after the end
    switch (event.type) {
      case 'status':
        this.setStatus(event.status);
        return;
      case 'start':
        this.startedAt = event.startedAt;
        if (event.workers !== undefined) this.workers = event.workers;
        if (event.counts) this.counts = event.counts;
        this.deliver(event);
        // A local run runs once it starts; a cloud job's follower tells its status (Queued, Preparing…) itself.
        if (this.changes.length === 0 && this.identity.kind === 'local') this.setStatus('Running', new Date(event.startedAt));
        return;
      case 'progress':
        this.counts = event.counts;
        break;
      case 'failure':
        this.failure = event.failure;
        break;
      case 'end':
        if (event.outcome.counts) this.counts = event.outcome.counts;
        if (event.outcome.workers !== undefined) this.workers = event.outcome.workers;
        if (event.outcome.headline && !this.failure) this.failure = event.outcome.headline;
        this.setStatus(event.outcome.status, event.outcome.endedAt ? new Date(event.outcome.endedAt) : new Date());
        this.outcome = event.outcome;
        break;
    }
    this.deliver(event);
  }

  /** True once the run has ended. */
  get ended(): boolean {
    return this.outcome !== undefined || isTerminal(this.statusNow);
  }

  private deliver(event: RunModelEvent): void {
    if (event.type === 'log') {
      this.logs.push(event);
      if (this.logs.length > LOG_EVENTS_KEPT) this.logs.splice(0, this.logs.length - LOG_EVENTS_KEPT);
    } else if (event.type === 'progress') {
      this.lastProgress = event;
    } else if (event.type === 'end') {
      this.endEvent = event;
    } else {
      this.events.push(event);
    }
    for (const listener of [...this.listeners]) listener(event);
  }
}
