/**
 * The run panel's message contract: every message between the extension host and the page, in one place.
 * Both sides import this file (the page through its own bundle), so a message is checked on both ends.
 * Nothing here may import `vscode` or Node modules: it is compiled for the browser too.
 */
import type { FailureReason, RunCounts, RunFailure, RunModelStatus, RunStatus, StatusChange, WorkerError } from './run-types';
import type { ResultsPage } from './results-page';
import type { RunRef } from './run-ref';
import type { CloudJobHeader } from './cloud-job';

export type { ResultsPage, FailureReason, RunRef, CloudJobHeader };

// ---- the state the page shows ------------------------------------------------------------------------

export type WorkerState = 'starting' | 'ready' | 'init_failed' | 'exited' | 'restarting' | 'retired';
export type LogStream = 'stdout' | 'stderr' | 'logger';

export interface WorkerView {
  /** `node0/process001`. */
  name: string;
  state: WorkerState;
  pid?: number;
  detail?: string;
  /** The mini-batch it is running now. */
  busyWith?: number;
}

export interface LogLine {
  stream: LogStream;
  text: string;
  /** The line has not ended yet: the next text of the same stream continues it. */
  open?: boolean;
}

/** The last lines of one worker's output (at most `LOG_TAIL_LINES`), and how many fell off the top. */
export interface LogTail {
  lines: LogLine[];
  dropped: number;
}

/** One failed attempt of a mini-batch, trimmed for display. */
export interface FailureView {
  index: number;
  attempt: number;
  worker: string;
  reason: FailureReason;
  /** The first items as a user reads them (paths, or `file.csv bytes 120-9000`); `itemCount` says how many in all. */
  items: string[];
  itemCount: number;
  failedItems?: number;
  /** True once no more tries are left; false while a retry is coming. */
  final: boolean;
  error: WorkerError;
}

/** The run at a glance: small, so updates carry it whole. */
export interface RunHeader {
  title: string;
  runDir: string;
  nodeName?: string;
  specFile?: string;
  status: RunStatus;
  /** Why a run failed or was canceled, in one sentence. */
  reason?: string;
  counts?: RunCounts;
  elapsedMs: number;
  /** Worker processes the run uses. */
  workers: number;
  /** The append_row file once the run has ended (absent for summary_only). */
  outputFile?: string;
  logsDir: string;
  /** Set while a worker waits for a debugger to attach. */
  debugListening?: { host: string; port: number; worker: string };
  /** The workspace folder: paths inside it are shown relative to it (the full path on hover). */
  root?: string;
  /** The entry script's code folder, when known: its frames are the user's lines. */
  codeDir?: string;
  /** When the run started (ISO 8601). */
  startedAt?: string;
  /** A cloud job (absent: a local run). */
  kind?: 'local' | 'cloud';
  /** The run model's status when it says more than `status` (a cloud job: Queued, Preparing, Finalizing…). */
  phase?: RunModelStatus;
  /** Every status so far with when it was first seen (cloud jobs). */
  timeline?: StatusChange[];
  /** The headline failure as the run reported it (a cloud job's error, with its file:line and log file). */
  failure?: RunFailure;
  /** A cloud job's studio link. */
  url?: string;
  /** Set when the run is an Azure ML job the Submit flow follows: its status, timeline, studio link, estimate vs actual. */
  cloud?: CloudJobHeader;
}

export interface PanelState {
  run: RunHeader;
  workers: WorkerView[];
  logs: Record<string, LogTail>;
  /** Failed attempts in the order they happened, the first `MAX_FAILURES` of them. */
  failures: FailureView[];
  failuresOmitted: number;
  warnings: string[];
  warningsOmitted: number;
}

/** What changed since the last update; absent fields did not change. */
export interface PanelDelta {
  run?: RunHeader;
  workers?: WorkerView[];
  /** Per worker: text to feed to its tail, or (when more arrived than a tail holds) the whole new tail. */
  logs?: LogDelta[];
  failures?: FailureView[];
  failuresOmitted?: number;
  warnings?: string[];
  warningsOmitted?: number;
}

export type LogDelta =
  { worker: string; kind: 'append'; chunks: { stream: LogStream; text: string }[] } | { worker: string; kind: 'replace'; tail: LogTail };

export type ResultsStatus =
  /** The run has not ended: the output file is written at the end. */
  | { kind: 'waiting' }
  | { kind: 'loading'; file: string }
  /** No rows to show, and why (summary_only, a run that failed before writing, …). */
  | { kind: 'none'; message: string }
  | { kind: 'error'; message: string };

// ---- a whole pipeline ----------------------------------------------------------------------------------

export type StepStatus = 'queued' | 'running' | 'completed' | 'failed' | 'skipped' | 'canceled' | 'reused';

/** One step of a pipeline run as the panel lists it. */
export interface PipelineStepView {
  name: string;
  type: 'parallel' | 'command';
  status: StepStatus;
  durationMs?: number;
  /** Why it failed or did not run, in one sentence. */
  reason?: string;
  /** Command steps: the exit code once it ended, and the last lines of its output (streamed while it runs). */
  exitCode?: number;
  log?: LogTail;
  /** Whether Open Logs / Open Output have something to open. */
  hasLogs: boolean;
  hasOutput: boolean;
}

/** The headline of a failed pipeline: the step and its first real error, with the user's line when known. */
export interface PipelineHeadline {
  step: string;
  /** `ValueError: boom`, or the step's reason when no error was found. */
  error: string;
  /** The user's `file:line` for the page to show (relative to the workspace when inside it) … */
  where?: string;
  /** … and to open (absolute). */
  frame?: { file: string; line: number };
  /** A parallel step's scope ("in 2 mini-batches (10 items)") or the command's exit code. */
  detail?: string;
}

/** A pipeline run: its steps in order, which one the panel shows below, and notes told once. */
export interface PipelineView {
  name: string;
  runDir: string;
  specFile: string;
  status: RunStatus;
  reason?: string;
  elapsedMs: number;
  /** ISO 8601. */
  startedAt?: string;
  steps: PipelineStepView[];
  /** The step whose details (run view or command output) the panel shows. */
  selected?: string;
  headline?: PipelineHeadline;
  notes: string[];
}

// ---- host → page -------------------------------------------------------------------------------------

export type HostMessage =
  /** Everything the page shows: after `ready`, when a run starts, and when its summary arrives. */
  | { type: 'snapshot'; state: PanelState }
  /** Live changes, coalesced (at most `UPDATES_PER_SECOND` a second). */
  | { type: 'update'; delta: PanelDelta }
  | { type: 'resultsPage'; page: ResultsPage }
  | { type: 'resultsStatus'; status: ResultsStatus }
  /** The node's runs, newest first, for the panel's run picker (earlier runs reachable from the panel). */
  | { type: 'history'; runs: RunRef[] }
  /** The pipeline the panel shows (pipeline panels only), whole each time: it is small. */
  | { type: 'pipeline'; pipeline: PipelineView };

// ---- page → host -------------------------------------------------------------------------------------

export type ActionKind =
  | 'rerun'
  | 'cancel'
  | 'debugMiniBatch'
  | 'openOutput'
  | 'openLogs'
  | 'openFile'
  | 'showRun'
  | 'selectStep'
  | 'openStepLogs'
  | 'openStepOutput'
  | 'openStudio'
  | CloudJobAction;

/** Cloud jobs' own actions (the host knows the job; the page sends only the kind). */
export type CloudJobAction = 'resubmitWith' | 'compareWithLocal' | 'showJobLogs' | 'openJobError';

export type PanelAction =
  | { kind: 'rerun' }
  | { kind: 'cancel' }
  | { kind: 'openOutput' }
  | { kind: 'openLogs' }
  /** Cloud jobs: open the job in Azure ML studio (the host knows the link; the page sends none). */
  | { kind: 'openStudio' }
  /** Cloud jobs: submit again with other data or parameters; compare its rows with the last local run; read a process's log. */
  | { kind: CloudJobAction }
  | { kind: 'debugMiniBatch'; index: number }
  | { kind: 'openFile'; file: string; line: number }
  /** Turn the panel to another run of its node (one the host listed in `history`). */
  | { kind: 'showRun'; runDir: string }
  /** Pipeline panels: show this step below the list; open its logs or its output. */
  | { kind: 'selectStep' | 'openStepLogs' | 'openStepOutput'; step: string };

export type PageMessage =
  /** The page has loaded (first time, or again after being hidden) and wants the current state. */
  | { type: 'ready' }
  /** `layout` when the user switches between columns and whole lines (the guess was wrong). */
  | { type: 'requestResultsPage'; page: number; layout?: ResultsPage['layout'] }
  | { type: 'action'; action: PanelAction };

// ---- limits both sides keep ----------------------------------------------------------------------------

export const LOG_TAIL_LINES = 200;
export const MAX_FAILURES = 500;
export const MAX_WARNINGS = 200;
/** Items listed per failure; the rest are counted. */
export const MAX_FAILURE_ITEMS = 20;
export const UPDATES_PER_SECOND = 10;

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/**
 * The message if `value` is a well-formed page message, else undefined. The host checks every message:
 * the page renders run output (user text), so it is treated as untrusted input.
 */
export function parsePageMessage(value: unknown): PageMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'requestResultsPage': {
      if (!isInt(m.page) || m.page < 0) return undefined;
      if (m.layout === 'table' || m.layout === 'lines') return { type: 'requestResultsPage', page: m.page, layout: m.layout };
      return m.layout === undefined ? { type: 'requestResultsPage', page: m.page } : undefined;
    }
    case 'action': {
      const action = parseAction(m.action);
      return action && { type: 'action', action };
    }
    default:
      return undefined;
  }
}

function parseAction(value: unknown): PanelAction | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const a = value as Record<string, unknown>;
  switch (a.kind) {
    case 'rerun':
    case 'cancel':
    case 'openOutput':
    case 'openLogs':
    case 'openStudio':
    case 'resubmitWith':
    case 'compareWithLocal':
    case 'showJobLogs':
    case 'openJobError':
      return { kind: a.kind };
    case 'debugMiniBatch':
      return isInt(a.index) && a.index >= 0 ? { kind: 'debugMiniBatch', index: a.index } : undefined;
    case 'showRun':
      return typeof a.runDir === 'string' && a.runDir.length > 0 ? { kind: 'showRun', runDir: a.runDir } : undefined;
    case 'selectStep':
    case 'openStepLogs':
    case 'openStepOutput':
      return typeof a.step === 'string' && a.step.length > 0 && a.step.length <= 256 ? { kind: a.kind, step: a.step } : undefined;
    case 'openFile':
      return typeof a.file === 'string' && a.file.length > 0 && isInt(a.line) && a.line >= 1
        ? { kind: 'openFile', file: a.file, line: a.line }
        : undefined;
    default:
      return undefined;
  }
}
