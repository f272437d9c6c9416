/**
 * The run folder's logs in the cloud's layout (logs/job_result.txt, logs/user/stdout/<node>/<process>…),
 * written as the run goes so a crash of the engine still leaves what happened until then.
 */
import { appendFileSync, createWriteStream, mkdirSync, writeFileSync, type WriteStream } from 'node:fs';
import * as path from 'node:path';
import type { MiniBatchFailure, MiniBatchRecord, RunCounts, RunSummary } from '../types';
import { describeItems } from '../items';

const FLUSH_MS = 200;

const README = `Logs of a local parallel run (Azure ML parallel job semantics), laid out like the cloud's:

job_result.txt                     final status and the reason when it failed
job_error.txt                      every failed attempt: mini-batch, items, attempt, exception and traceback
job_progress_overview.<time>.txt   progress over time
sys/master_role.txt                the scheduler: partitioning, workers, retries, thresholds
sys/node/<node>/<process>.txt      each worker process: start, init, exit, restart
sys/job_report/processed_mini-batches.csv   one row per mini-batch as it ended
user/stdout/<node>/<process>.stdout.txt     what the entry script printed
user/stderr/<node>/<process>.stderr.txt     what it wrote to stderr (Python tracebacks of crashes too)
user/error/<node>/<process>.txt             exceptions raised by init()/run(), with tracebacks
user/entry_script_log/<node>/<process>.log.txt   EntryScript().logger records
../summary.json                    all of the above, machine-readable
`;

export class RunLogs {
  readonly dir: string;
  private readonly streams = new Map<string, WriteStream>();
  /** Log text not yet handed to its stream: one write per file per tick of FLUSH_MS, not one per mini-batch. */
  private readonly pending = new Map<string, string[]>();
  private flushTimer?: NodeJS.Timeout;
  /** finish() closed the streams: later appends go straight to their files (no stream is left open). */
  private closed = false;

  constructor(
    runDir: string,
    private readonly startedAt: Date,
  ) {
    this.dir = path.join(runDir, 'logs');
    for (const sub of ['sys/job_report', 'sys/node', 'user/stdout', 'user/stderr', 'user/error', 'user/entry_script_log']) {
      mkdirSync(path.join(this.dir, sub), { recursive: true });
    }
    writeFileSync(path.join(this.dir, 'readme.txt'), README);
    // readme.txt lists job_error.txt: it exists from the start, empty while nothing failed.
    writeFileSync(path.join(this.dir, 'job_error.txt'), '');
    this.append('sys/job_report/processed_mini-batches.csv', 'mini_batch,status,attempts,items,succeeded,worker,seconds,data\n');
  }

  /** Appends text to a file under logs/, batched with other appends to it. */
  append(relative: string, text: string): void {
    if (this.closed) {
      appendFileSync(this.file(relative), text);
      return;
    }
    let texts = this.pending.get(relative);
    if (!texts) {
      texts = [];
      this.pending.set(relative, texts);
    }
    texts.push(text);
    this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  /** Hands every batched append to its stream now. */
  flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    for (const [relative, texts] of this.pending) this.stream(relative).write(texts.join(''));
    this.pending.clear();
  }

  /** An append stream under logs/, created with its folder on first use. */
  stream(relative: string): WriteStream {
    let s = this.streams.get(relative);
    if (!s) {
      s = createWriteStream(this.file(relative), { flags: 'a' });
      this.streams.set(relative, s);
    }
    return s;
  }

  private file(relative: string): string {
    const file = path.join(this.dir, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    return file;
  }

  master(line: string): void {
    this.append('sys/master_role.txt', `${stamp()} ${line}\n`);
  }

  worker(node: string, process: string, line: string): void {
    this.append(`sys/node/${node}/${process}.txt`, `${stamp()} ${line}\n`);
  }

  userStdout(node: string, process: string): WriteStream {
    return this.stream(`user/stdout/${node}/${process}.stdout.txt`);
  }

  userStderr(node: string, process: string): WriteStream {
    return this.stream(`user/stderr/${node}/${process}.stderr.txt`);
  }

  processed(record: MiniBatchRecord): void {
    const cells = [
      record.index,
      record.status,
      record.attempts,
      record.items ?? '',
      record.succeeded,
      record.worker ?? '',
      record.seconds?.toFixed(3) ?? '',
      csvCell(describeItems(record.data, record.partitionKeyValue).join(' | ')),
    ];
    this.append('sys/job_report/processed_mini-batches.csv', cells.join(',') + '\n');
  }

  progress(counts: RunCounts, elapsedMs: number, status?: RunSummary['status']): void {
    const name = `job_progress_overview.${fileStamp(this.startedAt)}.txt`;
    this.append(name, `${stamp()} ${progressLine(counts, elapsedMs, status)}\n`);
  }

  failure(failure: MiniBatchFailure): void {
    const lines = [
      `${stamp()} mini-batch ${failure.index} attempt ${failure.attempt} on ${failure.worker} failed (${failure.reason})${failure.final ? '' : ', will retry'}`,
      `  items: ${failure.items.join(', ')}`,
      `  ${failure.error.type}: ${failure.error.message}`,
    ];
    if (failure.error.traceback) lines.push(indent(failure.error.traceback.trimEnd()));
    this.append('job_error.txt', lines.join('\n') + '\n\n');
  }

  /**
   * Writes the last progress line, job_result.txt and summary.json, then closes every stream: when the
   * promise resolves every line is on disk and no file stays open.
   */
  async finish(summary: RunSummary): Promise<void> {
    this.progress(summary.counts, summary.durationMs, summary.status);
    this.flush();
    const result = [
      summary.status,
      summary.reason ?? '',
      progressLine(summary.counts, summary.durationMs, summary.status),
      summary.shortReturns?.explanation ?? '',
    ].filter(Boolean);
    if (summary.outputFile) result.push(`Output: ${summary.outputFile}`);
    writeFileSync(path.join(this.dir, 'job_result.txt'), result.join('\n') + '\n');
    writeFileSync(path.join(summary.runDir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
    await this.close();
  }

  /** Writes what is batched and closes every stream (a run that ends without a summary calls this alone). */
  async close(): Promise<void> {
    this.flush();
    this.closed = true;
    await Promise.all([...this.streams.values()].map((s) => new Promise<void>((resolve) => s.end(resolve))));
    this.streams.clear();
  }
}

/**
 * The counts in one line: job_progress_overview, job_result.txt and the CLI all print this one. With the
 * run's status, mini-batches a stopped run never processed are named `not processed` or, canceled, `canceled`.
 */
export function progressLine(counts: RunCounts, elapsedMs: number, status?: RunSummary['status']): string {
  const mb = counts.miniBatches;
  const done = mb.succeeded + mb.failed;
  const items = counts.items;
  const open = (mb.notStarted ?? 0) + (mb.interrupted ?? 0);
  const unprocessed =
    open > 0
      ? `; ${open} ${status === 'Canceled' ? 'canceled' : 'not processed'} (${mb.notStarted ?? 0} never started, ${mb.interrupted ?? 0} interrupted)`
      : '';
  return (
    `Processed ${done} of ${mb.total} mini-batches (${mb.succeeded} succeeded, ${mb.failed} failed, ${mb.retried} retried)${unprocessed}; ` +
    `items: ${items.succeeded} succeeded, ${items.failed} failed${items.total !== undefined ? ` of ${items.total}` : ''}; ` +
    `elapsed ${(elapsedMs / 1000).toFixed(1)} s`
  );
}

function stamp(): string {
  return new Date().toISOString();
}

function fileStamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace('T', '').slice(0, 14);
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

function csvCell(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
