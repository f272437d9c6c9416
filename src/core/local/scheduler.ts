/**
 * Hands mini-batches to nodes × processes long-lived Python workers and applies the driver's rules:
 * tries, the timeout watchdog, worker restarts, error thresholds and cancellation.
 */
import * as path from 'node:path';
import type { ParallelJob } from '../spec/types';
import type { MiniBatch } from './partition/types';
import type { MiniBatchFailure, MiniBatchRecord, RunCounts, RunEvent, WorkerError } from './types';
import { workerProtocolMismatch, type WorkerMessage } from './worker/channel';
import { WorkerProcess } from './worker/process';
import { AppendRowOutput } from './output/append-row';
import type { RunLogs } from './logs/run-logs';
import { describeItems } from './items';
import { thresholdBreach } from './thresholds';
import { locate } from './failure-location';

/** Consecutive init() failures after which a worker slot stops being restarted. */
const MAX_INIT_FAILURES = 3;
/** The driver replaces a worker that failed more than this many tasks (exit 73/74). */
const MAX_TASK_FAILURES_PER_WORKER = 10;
/** A second task is queued on a worker only while its mini-batches are this quick. */
const PREFETCH_BELOW_SECONDS = 0.05;

export interface SchedulerOptions {
  job: ParallelJob;
  miniBatches: MiniBatch[];
  python: string;
  workerPackageDir: string;
  configFile: string;
  runDir: string;
  env: NodeJS.ProcessEnv;
  gpus: string[];
  logs: RunLogs;
  emit: (event: RunEvent) => void;
  /** Debug: one worker under debugpy, no watchdog. */
  debug?: { host: string; port: number };
  signal?: AbortSignal;
}

export interface SchedulerResult {
  outcome: 'finished' | 'stopped' | 'canceled';
  reason?: string;
  counts: RunCounts;
  failures: MiniBatchFailure[];
  warnings: string[];
  records: MiniBatchRecord[];
  output: AppendRowOutput;
  outputKind?: 'list' | 'dataframe' | 'mixed';
  /** The column names of the first DataFrame run() returned. */
  outputColumns?: string[];
  python?: string;
  /** The error that stopped the run (an init() failure), with its traceback and frames. */
  error?: WorkerError;
}

interface Attempt {
  id: number;
  miniBatch: MiniBatch;
  attempt: number;
  /** When it became the worker's current task (the watchdog clock). */
  startedAt?: number;
  items?: number;
}

interface Slot {
  node: string;
  process: string;
  name: string;
  index: number;
  worker?: WorkerProcess;
  generation: number;
  state: 'starting' | 'ready' | 'ending' | 'stopping' | 'retired';
  inFlight: Attempt[];
  rowsFile: string;
  initFailures: number;
  taskFailures: number;
  lastSeconds: number;
  /** Why we ended this worker ourselves, so its exit is not taken for a crash. */
  endedBy?: 'timeout' | 'too_many_failures' | 'stop';
  initError?: WorkerError;
  /** The worker sent init_failed, so it already wrote the error to logs/user/error itself. */
  initErrorLogged?: boolean;
  /** Where start-up failed, as the worker reported it. */
  initPhase?: 'import' | 'init';
  initTimer?: NodeJS.Timeout;
  /**
   * The watchdog of the slot's current attempt: one timer per worker, re-armed when it fires early, instead
   * of a timer set and cleared per mini-batch (thousands of quick mini-batches cost a timer each otherwise).
   */
  watchdog?: NodeJS.Timeout;
}

/**
 * The workers a run starts: `instance_count × max_concurrency_per_instance` named `node<i>/process<NNN>`, but
 * never more than there are mini-batches (a worker with nothing to do would only pay for its init()). The
 * ones kept are spread over the nodes first (node0/process000, node1/process000, node0/process001, …).
 */
export function workerSlots(
  job: Pick<ParallelJob, 'instanceCount' | 'maxConcurrencyPerInstance'>,
  miniBatches: number,
  debug = false,
): { node: string; process: string }[] {
  const nodes = debug ? 1 : job.instanceCount;
  const perNode = debug ? 1 : job.maxConcurrencyPerInstance;
  const wanted = Math.min(nodes * perNode, miniBatches);
  const slots: { node: string; process: string }[] = [];
  for (let p = 0; p < perNode && slots.length < wanted; p++) {
    for (let n = 0; n < nodes && slots.length < wanted; n++)
      slots.push({ node: `node${n}`, process: `process${String(p).padStart(3, '0')}` });
  }
  // Named in the cloud's order so logs and summaries list node0's processes first.
  return slots.sort((a, b) => (a.node === b.node ? a.process.localeCompare(b.process) : Number(a.node.slice(4)) - Number(b.node.slice(4))));
}

export class Scheduler {
  private readonly opts: SchedulerOptions;
  private readonly job: ParallelJob;
  private readonly queue: { miniBatch: MiniBatch; attempt: number }[] = [];
  private readonly slots: Slot[] = [];
  private readonly records = new Map<number, MiniBatchRecord>();
  /** Mini-batches a worker began (their watchdog clock started), for the final counts. */
  private readonly begun = new Set<number>();
  private readonly failures: MiniBatchFailure[] = [];
  private readonly warnings: string[] = [];
  private readonly output = new AppendRowOutput();
  private readonly counts: RunCounts;
  private readonly maxTries: number;
  private readonly deadlineMs: number;
  private nextId = 1;
  private outputKind?: SchedulerResult['outputKind'];
  private outputColumns?: string[];
  /** Every mini-batch ended; workers are running shutdown(). */
  private finishing = false;
  private finalCount = 0;
  private stopping: SchedulerResult['outcome'] | undefined;
  private stopReason?: string;
  private runError?: WorkerError;
  private pythonVersion?: string;
  private lastProgress = 0;
  private readonly started = Date.now();
  private resolveDone!: () => void;

  constructor(opts: SchedulerOptions) {
    this.opts = opts;
    this.job = opts.job;
    this.maxTries = this.job.retrySettings.maxRetries + 1;
    this.deadlineMs = (this.job.retrySettings.timeout + this.job.driver.taskOverheadTimeout) * 1000;
    for (const mb of opts.miniBatches) {
      this.records.set(mb.index, {
        index: mb.index,
        data: mb.data,
        partitionKeyValue: mb.partitionKeyValue,
        status: 'pending',
        attempts: 0,
        items: mb.items,
        succeeded: 0,
      });
    }
    const knownItems = opts.miniBatches.every((mb) => mb.items !== undefined);
    this.counts = {
      miniBatches: { total: opts.miniBatches.length, succeeded: 0, failed: 0, running: 0, retried: 0 },
      items: { total: knownItems ? opts.miniBatches.reduce((n, mb) => n + (mb.items ?? 0), 0) : undefined, succeeded: 0, failed: 0 },
    };
    for (const mb of opts.miniBatches) this.queue.push({ miniBatch: mb, attempt: 1 });
  }

  /** Runs every mini-batch to its end (or until a threshold, a fatal error or cancellation stops the run). */
  async run(): Promise<SchedulerResult> {
    const done = new Promise<void>((resolve) => (this.resolveDone = resolve));
    const { job } = this;
    const nodes = this.opts.debug ? 1 : job.instanceCount;
    const perNode = this.opts.debug ? 1 : job.maxConcurrencyPerInstance;
    for (const { node, process: proc } of workerSlots(job, this.opts.miniBatches.length, Boolean(this.opts.debug))) {
      this.slots.push({
        node,
        process: proc,
        name: `${node}/${proc}`,
        index: this.slots.length,
        generation: 0,
        state: 'starting',
        inFlight: [],
        rowsFile: '',
        initFailures: 0,
        taskFailures: 0,
        lastSeconds: 0,
      });
    }
    const onAbort = () => this.stop('canceled', 'Canceled by the user.');
    this.opts.signal?.addEventListener('abort', onAbort);
    this.opts.logs.master(
      `Starting ${this.slots.length} worker(s) (of ${nodes} node(s) x ${perNode} process(es)) for ${this.queue.length} mini-batch(es); ` +
        `tries ${this.maxTries}, timeout ${job.retrySettings.timeout}s + task_overhead_timeout ${job.driver.taskOverheadTimeout}s.`,
    );
    this.opts.emit({
      type: 'start',
      runDir: this.opts.runDir,
      nodeName: job.nodeName,
      specFile: job.specFile,
      workers: this.slots.length,
      counts: this.snapshot(),
    });
    if (this.opts.signal?.aborted) onAbort();
    else if (this.queue.length === 0) this.resolveDone();
    else for (const slot of this.slots) this.startWorker(slot);
    await done;
    this.opts.signal?.removeEventListener('abort', onAbort);
    this.emitProgress(true, true);
    return {
      outcome: this.stopping ?? 'finished',
      reason: this.stopReason,
      counts: this.finalCounts(),
      failures: this.failures,
      warnings: this.warnings,
      records: [...this.records.values()],
      output: this.output,
      outputKind: this.outputKind,
      outputColumns: this.outputColumns,
      python: this.pythonVersion,
      error: this.runError,
    };
  }

  // ---- workers ---------------------------------------------------------------------------------------

  private startWorker(slot: Slot): void {
    slot.generation += 1;
    slot.state = 'starting';
    slot.inFlight = [];
    slot.taskFailures = 0;
    slot.endedBy = undefined;
    slot.initError = undefined;
    slot.initErrorLogged = false;
    slot.initPhase = undefined;
    slot.rowsFile = path.join(this.opts.runDir, '.prs', 'rows', `${slot.node}.${slot.process}.${slot.generation}.txt`);
    const wd = path.join(this.opts.runDir, 'wd', slot.node, slot.process);
    const env = { ...this.opts.env };
    if (this.opts.gpus.length > 0) env.CUDA_VISIBLE_DEVICES = this.opts.gpus[slot.index % this.opts.gpus.length];
    const logs = this.opts.logs;
    logs.worker(slot.node, slot.process, `starting worker (generation ${slot.generation}) with ${this.opts.python}`);
    this.opts.emit({ type: 'worker', worker: slot.name, state: 'starting' });
    const worker = new WorkerProcess(
      {
        python: this.opts.python,
        workerPackageDir: this.opts.workerPackageDir,
        configFile: this.opts.configFile,
        node: slot.node,
        process: slot.process,
        rowsFile: slot.rowsFile,
        cwd: wd,
        env,
        stdout: logs.userStdout(slot.node, slot.process),
        stderr: logs.userStderr(slot.node, slot.process),
        debug: this.opts.debug,
      },
      {
        onMessage: (m) => {
          if (slot.worker === worker) this.onMessage(slot, m);
        },
        onOutput: (stream, text) => this.opts.emit({ type: 'log', worker: slot.name, stream, text }),
        onExit: (code, signal, tail) => {
          if (slot.worker === worker) this.onExit(slot, code, signal, tail);
        },
      },
    );
    slot.worker = worker;
    if (this.opts.debug) {
      this.opts.emit({ type: 'debugListening', host: this.opts.debug.host, port: this.opts.debug.port, worker: slot.name });
    } else {
      // The driver's watchdog covers init() with the same allowance as run().
      slot.initTimer = setTimeout(() => {
        slot.initError = timeoutError('init()', this.job);
        slot.endedBy = 'timeout';
        worker.kill();
      }, this.deadlineMs);
    }
  }

  private onMessage(slot: Slot, m: WorkerMessage): void {
    switch (m.type) {
      case 'hello': {
        const mismatch = workerProtocolMismatch(m.protocol, this.opts.workerPackageDir);
        if (mismatch) {
          this.fatal(mismatch);
          return;
        }
        this.pythonVersion = `${m.executable} (Python ${m.python})`;
        this.opts.logs.worker(
          slot.node,
          slot.process,
          `worker pid ${m.pid}, Python ${m.python} at ${m.executable}, pandas ${m.pandas ?? 'not installed'}`,
        );
        if (this.job.inputData.kind === 'tabular' && !m.pandas) {
          this.fatal(
            `Tabular input needs pandas, which ${m.executable} cannot import. Install it there (Debian: apt-get install python3-pandas) or choose another interpreter (--python, or the parallelRun.pythonPath setting).`,
          );
        }
        return;
      }
      case 'ready':
        clearTimeout(slot.initTimer);
        if (slot.state !== 'starting') return;
        slot.state = 'ready';
        slot.initFailures = 0;
        this.opts.logs.worker(slot.node, slot.process, `init() done in ${m.seconds.toFixed(3)}s`);
        this.opts.emit({ type: 'worker', worker: slot.name, state: 'ready', pid: slot.worker?.pid });
        this.dispatch();
        return;
      case 'init_failed':
        slot.initError = m.error;
        slot.initErrorLogged = true;
        slot.initPhase = m.phase;
        return;
      case 'started': {
        const attempt = slot.inFlight.find((a) => a.id === m.id);
        if (attempt) attempt.items = m.items;
        return;
      }
      case 'done':
        this.onDone(slot, m);
        return;
      case 'failed':
        this.onFailed(slot, m);
        return;
      case 'log':
        this.opts.emit({ type: 'log', worker: slot.name, stream: 'logger', text: `${m.level} ${m.message}\n` });
        return;
      case 'shutdown_done':
        if (m.error) this.warn(`shutdown() on ${slot.name} raised ${m.error.type}: ${m.error.message}`);
        return;
    }
  }

  private onExit(slot: Slot, code: number | null, signal: NodeJS.Signals | null, stderrTail: string): void {
    clearTimeout(slot.initTimer);
    const how = signal
      ? `signal ${signal}${signal === 'SIGSEGV' ? ' (segmentation fault)' : signal === 'SIGKILL' ? ' (killed, e.g. out of memory: "exits with returncode -9")' : ''}`
      : `exit code ${code}`;
    this.opts.logs.worker(slot.node, slot.process, `worker exited with ${how}`);
    this.opts.emit({ type: 'worker', worker: slot.name, state: 'exited', detail: how });
    this.disarm(slot);
    this.counts.miniBatches.running -= slot.inFlight.length;
    // After a timeout the watchdog already failed the current attempt: what is left was never begun.
    const current: Attempt | undefined = slot.endedBy === 'timeout' ? undefined : slot.inFlight[0];
    const queued = slot.endedBy === 'timeout' ? slot.inFlight : slot.inFlight.slice(1);
    slot.inFlight = [];
    slot.worker = undefined;
    if (this.stopping || slot.state === 'stopping' || slot.state === 'retired') {
      if (slot.state !== 'retired') slot.state = 'stopping';
      this.checkAllStopped();
      return;
    }
    // Tasks the worker had not begun go back to the front of the queue with the same try number.
    for (const a of queued.reverse()) this.queue.unshift({ miniBatch: a.miniBatch, attempt: a.attempt });

    if (slot.state === 'starting') {
      slot.initFailures += 1;
      const error = slot.initError ?? crashError(how, stderrTail, 'while starting (importing the entry script or in init())');
      this.onInitFailure(slot, error);
      return;
    }
    if (current) {
      if (slot.endedBy === 'too_many_failures') this.queue.unshift({ miniBatch: current.miniBatch, attempt: current.attempt });
      else
        this.failAttempt(
          slot,
          current,
          'crash',
          crashError(how, stderrTail, `while running mini-batch ${current.miniBatch.index}`),
          current.items,
        );
    }
    if (slot.endedBy === 'too_many_failures') {
      this.opts.logs.master(
        `${slot.name} failed more than ${MAX_TASK_FAILURES_PER_WORKER} mini-batches; replacing it (the driver's exit 73/74).`,
      );
    }
    this.restart(slot);
  }

  private onInitFailure(slot: Slot, error: WorkerError): void {
    const permanent = slot.initErrorLogged && cannotSucceedOnRetry(error, slot.initPhase);
    if (permanent) slot.initFailures = MAX_INIT_FAILURES;
    this.opts.logs.worker(
      slot.node,
      slot.process,
      `init failed (${slot.initFailures}/${MAX_INIT_FAILURES}${permanent ? ', not retried: the same error would come back' : ''}): ${error.type}: ${error.message}`,
    );
    // A crash or a timeout while starting leaves no word from the worker: the engine writes it down.
    if (!slot.initErrorLogged)
      this.opts.logs.append(`user/error/${slot.node}/${slot.process}.txt`, `start-up failed: ${error.type}: ${error.message}\n`);
    this.opts.emit({ type: 'worker', worker: slot.name, state: 'init_failed', detail: `${error.type}: ${error.message}` });
    if (slot.initFailures < MAX_INIT_FAILURES) {
      this.restart(slot);
      return;
    }
    slot.state = 'retired';
    this.opts.emit({ type: 'worker', worker: slot.name, state: 'retired' });
    if (this.slots.every((s) => s.state === 'retired')) {
      const what = slot.initPhase === 'import' ? 'Importing the entry script' : 'init()';
      const tries = permanent ? 'not retried: the same error would come back' : `${MAX_INIT_FAILURES} tries on each worker`;
      this.fatal(
        `${what} failed (${tries}): ${error.type}: ${error.message}` +
          (error.cause === 'missing_module' || error.cause === 'import_error'
            ? ` — the interpreter ${this.pythonVersion ?? this.opts.python} lacks a package the entry script imports; install it there or choose another interpreter (--python, or the parallelRun.pythonPath setting).`
            : ''),
        error,
      );
    } else {
      this.dispatch();
    }
  }

  private restart(slot: Slot): void {
    if (this.stopping || this.finishing) {
      // The failure that ended this worker may have been the last mini-batch: no new worker is needed.
      if (slot.state !== 'retired') slot.state = 'stopping';
      this.checkAllStopped();
      return;
    }
    this.opts.emit({ type: 'worker', worker: slot.name, state: 'restarting' });
    this.startWorker(slot);
  }

  // ---- tasks -----------------------------------------------------------------------------------------

  private dispatch(): void {
    if (this.stopping) return;
    const ready = this.slots.filter((s) => s.state === 'ready');
    // First one task per idle worker, then a second (queued) task on workers whose mini-batches are quick.
    for (const slot of ready) {
      if (this.queue.length === 0) break;
      if (slot.inFlight.length === 0) this.send(slot, this.queue.shift()!);
    }
    if (this.opts.debug) return;
    for (const slot of ready) {
      if (this.queue.length === 0) break;
      if (slot.inFlight.length === 1 && slot.lastSeconds < PREFETCH_BELOW_SECONDS) this.send(slot, this.queue.shift()!);
    }
  }

  private send(slot: Slot, next: { miniBatch: MiniBatch; attempt: number }): void {
    const attempt: Attempt = { id: this.nextId++, miniBatch: next.miniBatch, attempt: next.attempt };
    slot.inFlight.push(attempt);
    const record = this.records.get(next.miniBatch.index)!;
    record.attempts = next.attempt;
    this.counts.miniBatches.running += 1;
    slot.worker!.send({
      type: 'task',
      id: attempt.id,
      index: next.miniBatch.index,
      attempt: next.attempt,
      data: next.miniBatch.data,
      context: { minibatch_index: next.miniBatch.index, partition_key_value: next.miniBatch.partitionKeyValue },
    });
    if (slot.inFlight.length === 1) this.begin(slot, attempt);
  }

  /** The attempt is now what the worker is doing: start its watchdog clock. */
  private begin(slot: Slot, attempt: Attempt): void {
    attempt.startedAt = Date.now();
    this.begun.add(attempt.miniBatch.index);
    this.opts.emit({ type: 'miniBatchStarted', index: attempt.miniBatch.index, attempt: attempt.attempt, worker: slot.name });
    if (this.opts.debug || slot.watchdog) return; // an armed watchdog re-reads startedAt when it fires
    this.arm(slot, this.deadlineMs);
  }

  private arm(slot: Slot, delayMs: number): void {
    slot.watchdog = setTimeout(() => {
      slot.watchdog = undefined;
      const attempt = slot.inFlight[0];
      if (!attempt || attempt.startedAt === undefined || !slot.worker) return;
      const left = attempt.startedAt + this.deadlineMs - Date.now();
      if (left > 0) {
        this.arm(slot, left); // the attempt it was armed for ended; this one began later
        return;
      }
      this.opts.logs.master(
        `mini-batch ${attempt.miniBatch.index} on ${slot.name} passed ${this.deadlineMs / 1000}s; ending the worker (exit 71) and starting a new one.`,
      );
      slot.endedBy = 'timeout';
      slot.inFlight.shift();
      this.counts.miniBatches.running -= 1;
      slot.state = 'ending';
      const worker = slot.worker;
      this.failAttempt(slot, attempt, 'timeout', timeoutError('run()', this.job), attempt.items);
      worker.kill();
      this.dispatch();
    }, delayMs);
  }

  private disarm(slot: Slot): void {
    clearTimeout(slot.watchdog);
    slot.watchdog = undefined;
  }

  private settle(slot: Slot, id: number): Attempt | undefined {
    const i = slot.inFlight.findIndex((a) => a.id === id);
    if (i === -1) return undefined;
    const [attempt] = slot.inFlight.splice(i, 1);
    this.counts.miniBatches.running -= 1;
    if (slot.inFlight.length === 0) this.disarm(slot);
    else if (i === 0) this.begin(slot, slot.inFlight[0]);
    return attempt;
  }

  private onDone(slot: Slot, m: Extract<WorkerMessage, { type: 'done' }>): void {
    const attempt = this.settle(slot, m.id);
    if (!attempt) return;
    slot.lastSeconds = m.seconds;
    const index = attempt.miniBatch.index;
    const record = this.records.get(index)!;
    this.output.commit(index, slot.rowsFile, m.rows_start, m.rows_end, m.header_bytes ?? 0);
    if (m.returned_kind) this.outputKind = this.outputKind && this.outputKind !== m.returned_kind ? 'mixed' : m.returned_kind;
    if (m.columns && !this.outputColumns && Array.isArray(m.columns)) this.outputColumns = m.columns.map(String);
    record.status = 'succeeded';
    record.items = m.items;
    record.succeeded = m.succeeded;
    record.worker = slot.name;
    record.seconds = m.seconds;
    this.counts.miniBatches.succeeded += 1;
    this.counts.items.succeeded += m.succeeded;
    if (m.warning) this.warn(`mini-batch ${index}: ${m.warning}`, index);
    this.opts.emit({
      type: 'miniBatchDone',
      index,
      attempt: attempt.attempt,
      worker: slot.name,
      items: m.items,
      succeeded: m.succeeded,
      seconds: m.seconds,
    });
    if (m.succeeded < m.items) {
      // The driver counts the missing results as failed items; the mini-batch itself is not retried.
      const missing = m.items - m.succeeded;
      this.recordFailure({
        index,
        attempt: attempt.attempt,
        worker: slot.name,
        reason: 'short_return',
        failedItems: missing,
        items: describeItems(attempt.miniBatch.data, attempt.miniBatch.partitionKeyValue),
        error: {
          type: 'ShortReturn',
          // One short line per mini-batch; the run's summary explains them all in one sentence (shortReturns).
          message: `run() returned ${m.returned} result(s) for ${m.items} item(s): ${missing} count as failed.`,
        },
        final: true,
      });
      this.counts.items.failed += missing;
    }
    this.opts.logs.processed(record);
    this.finalCount += 1;
    this.afterFinal();
  }

  private onFailed(slot: Slot, m: Extract<WorkerMessage, { type: 'failed' }>): void {
    const attempt = this.settle(slot, m.id);
    if (!attempt) return;
    slot.lastSeconds = m.seconds;
    slot.taskFailures += 1;
    const reason = m.error.cause === 'return_type' ? 'return_type' : 'exception';
    this.failAttempt(slot, attempt, reason, m.error, m.items ?? attempt.items);
    if (slot.taskFailures > MAX_TASK_FAILURES_PER_WORKER && slot.worker && !this.stopping) {
      slot.endedBy = 'too_many_failures';
      slot.state = 'ending';
      slot.worker.kill();
      return;
    }
    this.dispatch();
  }

  /** One try of a mini-batch failed: retry it on any worker, or count it failed when no try is left. */
  private failAttempt(
    slot: Slot,
    attempt: Attempt,
    reason: MiniBatchFailure['reason'],
    error: WorkerError,
    items: number | undefined,
  ): void {
    const index = attempt.miniBatch.index;
    const record = this.records.get(index)!;
    const knownItems = items ?? attempt.miniBatch.items;
    if (knownItems !== undefined) record.items = knownItems;
    const final = attempt.attempt >= this.maxTries;
    const failure: MiniBatchFailure = {
      index,
      attempt: attempt.attempt,
      worker: slot.name,
      reason,
      failedItems: knownItems,
      items: describeItems(attempt.miniBatch.data, attempt.miniBatch.partitionKeyValue),
      error,
      final,
    };
    this.recordFailure(failure);
    this.opts.emit({ type: 'miniBatchFailed', failure, willRetry: !final && !this.stopping });
    if (this.stopping) return;
    if (!final) {
      this.counts.miniBatches.retried += 1;
      this.queue.push({ miniBatch: attempt.miniBatch, attempt: attempt.attempt + 1 });
      return;
    }
    record.status = 'failed';
    record.worker = slot.name;
    this.counts.miniBatches.failed += 1;
    this.counts.items.failed += knownItems ?? 0;
    this.opts.logs.processed(record);
    this.finalCount += 1;
    this.afterFinal();
  }

  private recordFailure(failure: MiniBatchFailure): void {
    failure.error = locate(failure.error, this.job.task.codeDir);
    this.failures.push(failure);
    this.opts.logs.failure(failure);
    this.opts.logs.master(
      `mini-batch ${failure.index} attempt ${failure.attempt} failed on ${failure.worker}: ${failure.reason}: ${failure.error.type}: ${failure.error.message}`,
    );
  }

  private afterFinal(): void {
    this.emitProgress(false);
    const breach = thresholdBreach(this.job, this.counts);
    if (breach) {
      this.stop('stopped', breach);
      return;
    }
    if (!this.finishIfDone()) this.dispatch();
  }

  private finishIfDone(): boolean {
    if (this.finalCount < this.records.size) return false;
    this.finishing = true;
    this.opts.logs.master('All mini-batches ended; asking workers to run shutdown().');
    for (const slot of this.slots) {
      if (slot.state === 'retired') continue;
      slot.state = 'stopping';
      if (slot.worker) {
        slot.worker.send({ type: 'shutdown' });
        const w = slot.worker;
        // shutdown() gets the same allowance as run(), then the process is ended.
        setTimeout(() => w.kill(), this.opts.debug ? 2 ** 31 - 1 : this.deadlineMs).unref();
      }
    }
    this.checkAllStopped();
    return true;
  }

  // ---- stopping --------------------------------------------------------------------------------------

  /** Stops the run on an error no mini-batch caused; it becomes the run's error and is in job_error.txt. */
  private fatal(reason: string, error?: WorkerError): void {
    if (error && !this.stopping) {
      this.runError = locate(error, this.job.task.codeDir);
      this.opts.logs.append(
        'job_error.txt',
        `${new Date().toISOString()} ${reason}\n${error.traceback ? indent(error.traceback.trimEnd()) + '\n' : ''}\n`,
      );
    }
    this.stop('stopped', reason);
  }

  /** Stops everything now: no more tasks, workers ended; work already finished is kept. */
  private stop(outcome: 'stopped' | 'canceled', reason: string): void {
    if (this.stopping) return;
    this.stopping = outcome;
    this.stopReason = reason;
    this.opts.logs.master(`Stopping: ${reason}`);
    this.queue.length = 0;
    for (const slot of this.slots) {
      this.disarm(slot);
      this.counts.miniBatches.running -= slot.inFlight.length;
      slot.inFlight = [];
      if (slot.state !== 'retired') slot.state = 'stopping';
      slot.worker?.kill(outcome === 'canceled' ? 'SIGTERM' : 'SIGKILL');
      const w = slot.worker;
      if (w) setTimeout(() => w.kill('SIGKILL'), 1000).unref();
    }
    this.checkAllStopped();
  }

  private checkAllStopped(): void {
    if (this.slots.every((s) => !s.worker || !s.worker.alive)) this.resolveDone();
  }

  // ---- reporting -------------------------------------------------------------------------------------

  private warn(message: string, index?: number): void {
    this.warnings.push(message);
    this.opts.logs.master(`warning: ${message}`);
    this.opts.emit({ type: 'warning', message, index });
  }

  private snapshot(): RunCounts {
    return { miniBatches: { ...this.counts.miniBatches }, items: { ...this.counts.items } };
  }

  /** The counts once every worker stopped: what never ended is split into never begun and interrupted. */
  private finalCounts(): RunCounts {
    const counts = this.snapshot();
    let notStarted = 0;
    let interrupted = 0;
    for (const record of this.records.values()) {
      if (record.status !== 'pending') continue;
      if (this.begun.has(record.index)) interrupted += 1;
      else notStarted += 1;
    }
    counts.miniBatches.running = 0;
    counts.miniBatches.notStarted = notStarted;
    counts.miniBatches.interrupted = interrupted;
    return counts;
  }

  private emitProgress(force: boolean, final = false): void {
    const now = Date.now();
    if (!force && now - this.lastProgress < 100) return;
    this.lastProgress = now;
    const elapsedMs = now - this.started;
    this.opts.emit({ type: 'progress', counts: final ? this.finalCounts() : this.snapshot(), elapsedMs, ...(final ? { final } : {}) });
    // The final line goes to the overview when the run's logs finish, with the run's duration.
    if (!final) this.opts.logs.progress(this.counts, elapsedMs);
  }
}

/**
 * Start-up errors that a new worker would hit again: the script does not parse, a package is missing, the
 * script or its run() does not exist. Retrying them only delays the message the user needs. The worker says
 * which it is (`error.cause`, python/prs_worker/errors.py), so no message text is read.
 */
export function cannotSucceedOnRetry(error: WorkerError, phase: 'import' | 'init' | undefined): boolean {
  switch (error.cause) {
    case 'syntax_error':
    case 'missing_module':
    case 'import_error':
      return true;
    case 'entry_script_missing':
    case 'no_run_function':
      return phase === 'import';
    default:
      return false;
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

function timeoutError(what: string, job: ParallelJob): WorkerError {
  return {
    type: 'TimeoutError',
    cause: 'timeout',
    message:
      `${what} did not finish within retry_settings.timeout ${job.retrySettings.timeout}s + task_overhead_timeout ${job.driver.taskOverheadTimeout}s; ` +
      `the worker was ended (the cloud's exit code 71) and a new one started. Raise retry_settings.timeout if this mini-batch is just slow.`,
  };
}

function crashError(how: string, stderrTail: string, when: string): WorkerError {
  const tail = stderrTail.trim().split('\n').slice(-15).join('\n');
  return {
    type: 'WorkerCrashed',
    message: `The worker process died with ${how} ${when}.${tail ? ` Last stderr lines:\n${tail}` : ''}`,
  };
}
