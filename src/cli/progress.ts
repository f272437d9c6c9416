/**
 * The CLI's live view of a run, local or cloud (the run model's events): a redrawn bar on a terminal, plain
 * lines elsewhere (CI logs, pipes).
 */
import type { Writable } from 'node:stream';
import type { RunCounts } from '../core/local/types';
import type { RunIdentity, RunModelEvent } from '../core/runs/model';

const BAR_WIDTH = 24;
const PLAIN_EVERY_MS = 2000;

export class ProgressReporter {
  private lastPlain = 0;
  private drawn = false;
  private counts?: RunCounts;
  private elapsedMs = 0;
  private readonly initFailures = new Set<string>();
  private run?: RunIdentity;

  constructor(
    private readonly out: Writable,
    private readonly tty: boolean,
  ) {}

  onEvent(e: RunModelEvent): void {
    switch (e.type) {
      case 'start': {
        const run = (this.run = e.run);
        if (run.kind === 'local') {
          this.line(
            `Running ${run.displayName} from ${run.specFile} with ${e.workers} worker(s): ${e.counts?.miniBatches.total ?? 0} mini-batch(es) → ${run.runDir}`,
          );
        } else {
          this.line(
            `Following ${run.displayName} (${run.id})${run.specFile ? ` from ${run.specFile}` : ''}${run.url ? ` · ${run.url}` : ''}`,
          );
        }
        if (e.counts) this.counts = e.counts;
        break;
      }
      case 'status':
        // A local run is Running until its summary; a cloud job's steps (Queued, Preparing…) are news.
        if (this.run?.kind === 'cloud') this.line(`status: ${e.status}`);
        break;
      case 'failure':
        // A local run's failures are in its closing summary (printSummary); a cloud job has no other.
        if (this.run?.kind === 'cloud') {
          const f = e.failure;
          this.line(`error: ${f.error}${f.file ? ` at ${f.file}${f.line ? `:${f.line}` : ''}` : ''}${f.logFile ? ` (${f.logFile})` : ''}`);
        }
        break;
      case 'progress':
        this.counts = e.counts;
        this.elapsedMs = e.elapsedMs;
        if (this.tty) this.draw();
        else if (!e.final && e.elapsedMs - this.lastPlain >= PLAIN_EVERY_MS) {
          this.lastPlain = e.elapsedMs;
          this.line(this.status());
        }
        break;
      case 'miniBatchFailed': {
        const f = e.failure;
        this.line(
          `mini-batch ${f.index} attempt ${f.attempt} failed on ${f.worker} (${f.reason})${e.willRetry ? ', retrying' : ''}: ${f.error.type}: ${firstLine(f.error.message)}`,
        );
        break;
      }
      case 'worker':
        if (e.state === 'init_failed') {
          // Every worker hits the same import error: say it once, not once per worker and try.
          if (this.initFailures.has(e.detail ?? '')) break;
          this.initFailures.add(e.detail ?? '');
        }
        if (e.state === 'init_failed' || e.state === 'retired')
          this.line(`worker ${e.worker}: ${e.state.replace('_', ' ')}${e.detail ? `: ${e.detail}` : ''}`);
        break;
      case 'debugListening':
        this.line(`Waiting for a debugger on ${e.host}:${e.port} (${e.worker})`);
        break;
      case 'warning':
        this.line(`warning: ${e.message}`);
        break;
      default:
        break;
    }
  }

  /**
   * Clears the bar and leaves the cursor at the start of a line: the closing summary prints the final
   * counts, once (printSummary).
   */
  finish(): void {
    if (this.drawn) this.out.write('\r\x1b[K');
    this.drawn = false;
  }

  private status(): string {
    const c = this.counts ?? {
      miniBatches: { total: 0, succeeded: 0, failed: 0, running: 0, retried: 0 },
      items: { succeeded: 0, failed: 0 },
    };
    const done = c.miniBatches.succeeded + c.miniBatches.failed;
    const extras = [
      c.miniBatches.failed ? `${c.miniBatches.failed} failed` : '',
      c.miniBatches.retried ? `${c.miniBatches.retried} retried` : '',
    ]
      .filter(Boolean)
      .join(', ');
    return `${done}/${c.miniBatches.total} mini-batches${extras ? ` (${extras})` : ''}, ${c.items.succeeded} items ok, ${(this.elapsedMs / 1000).toFixed(1)} s`;
  }

  private draw(): void {
    const c = this.counts;
    if (!c) return;
    const done = c.miniBatches.succeeded + c.miniBatches.failed;
    const filled = c.miniBatches.total ? Math.round((BAR_WIDTH * done) / c.miniBatches.total) : BAR_WIDTH;
    this.out.write(`\r[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${this.status()}\x1b[K`);
    this.drawn = true;
  }

  private line(text: string): void {
    if (this.drawn) this.out.write('\r\x1b[K');
    this.out.write(text + '\n');
    if (this.drawn && this.tty) this.draw();
  }
}

function firstLine(text: string): string {
  const nl = text.indexOf('\n');
  return nl === -1 ? text : text.slice(0, nl);
}
