/**
 * The host's view of a pipeline run for its panel: pipeline events folded into the step list, one RunState
 * per parallel step (what the panel shows when that step is selected), each command step's output tail, and
 * the pipeline's headline when it failed. No `vscode` import: unit-tested directly.
 */
import type { RunSummary } from '../../core/local/types';
import type { NodeRunSummary, PipelineEvent, PipelineRunSummary } from '../../core/pipeline/types';
import { commandFailure } from '../../core/runs/command-failure';
import { displayPath, failureHeadline, userFrame } from '../../shared/headline';
import { appendLog, emptyTail } from '../../shared/panel-state';
import type { PipelineHeadline, PipelineStepView, PipelineView, RunHeader, StepStatus } from '../../shared/protocol';
import { modelEventsOf } from '../../core/runs/local-run';
import { RunState } from './run-state';

/** What the state keeps of a step beyond its view: where its files are and its parallel run. */
interface StepRecord {
  view: PipelineStepView;
  runDir?: string;
  node?: NodeRunSummary;
  /** Parallel steps: the run view shown when the step is selected, and its summary once it ended. */
  run?: RunState;
  summary?: RunSummary;
}

/**
 * Where paths are shown from: the workspace folder (and, when it is reached through a link, its real path:
 * Python names a command's files from the real working folder).
 */
export type Place = Pick<RunHeader, 'root' | 'codeDir'> & { realRoot?: string };

export class PipelineState {
  private view: PipelineView;
  private readonly steps = new Map<string, StepRecord>();
  /** The user picked a step: the panel stops following the running one. */
  private userSelected = false;
  private startedAt = Date.now();

  constructor(
    name: string,
    runDir: string,
    specFile: string,
    private readonly place: Place = {},
  ) {
    this.view = { name, runDir, specFile, status: 'Running', elapsedMs: 0, steps: [], notes: [] };
  }

  /** The finished pipeline run `summary` (summary.json), with each parallel step's summary and each command's output. */
  static fromSummary(
    summary: PipelineRunSummary,
    steps: { step: NodeRunSummary; summary?: RunSummary }[],
    commandLogs: Record<string, string>,
    place: Place = {},
  ): PipelineState {
    const state = new PipelineState(summary.pipelineName, summary.runDir, summary.specFile, place);
    state.apply({
      type: 'pipelineStart',
      runDir: summary.runDir,
      specFile: summary.specFile,
      pipelineName: summary.pipelineName,
      nodes: summary.nodes.map((n) => ({ name: n.name, type: n.type, needs: [] })),
    });
    for (const { step, summary: run } of steps) {
      const log = commandLogs[step.name];
      if (log) state.apply({ type: 'nodeLog', node: step.name, stream: 'stdout', text: log });
      state.apply({ type: 'nodeEnd', node: step, ...(run ? { parallelSummary: run } : {}) });
    }
    state.apply({ type: 'pipelineEnd', summary });
    return state;
  }

  get current(): Readonly<PipelineView> {
    return this.view;
  }

  /** Folds one pipeline event in; returns the parallel step whose run view changed, if any. */
  apply(event: PipelineEvent): string | undefined {
    const v = this.view;
    switch (event.type) {
      case 'pipelineStart':
        this.startedAt = Date.now();
        Object.assign(v, {
          runDir: event.runDir,
          specFile: event.specFile,
          name: event.pipelineName,
          status: 'Running',
          elapsedMs: 0,
          startedAt: new Date(this.startedAt).toISOString(),
        });
        for (const n of event.nodes) this.step(n.name, n.type);
        return undefined;
      case 'note':
        if (!v.notes.includes(event.message)) v.notes.push(event.message);
        return undefined;
      case 'nodeStart': {
        const step = this.step(event.node, event.nodeType);
        step.view.status = 'running';
        step.runDir = event.runDir;
        if (event.nodeType === 'parallel') step.run = new RunState(event.node, event.runDir, this.place);
        if (!this.userSelected) v.selected = event.node;
        v.elapsedMs = Date.now() - this.startedAt;
        return event.nodeType === 'parallel' ? event.node : undefined;
      }
      case 'nodeLog': {
        const step = this.step(event.node, 'command');
        appendLog((step.view.log ??= emptyTail()), event.stream, event.text);
        return undefined;
      }
      case 'nodeEvent': {
        const step = this.step(event.node, 'parallel');
        step.run ??= new RunState(event.node, step.runDir ?? v.runDir, this.place);
        // A step's parallel run is a local run: its engine events reach the view as the run model's.
        for (const e of modelEventsOf(event.event, { codeDir: this.place.codeDir })) step.run.apply(e);
        if (event.event.type === 'end') step.summary = event.event.summary;
        return event.node;
      }
      case 'nodeEnd': {
        const n = event.node;
        const step = this.step(n.name, n.type);
        step.node = n;
        step.runDir = n.runDir;
        Object.assign(step.view, stepFacts(n));
        if (event.parallelSummary) {
          step.summary = event.parallelSummary;
          step.run ??= new RunState(n.name, n.runDir, this.place);
          step.run.applySummary(event.parallelSummary);
          return n.name;
        }
        return undefined;
      }
      case 'pipelineEnd': {
        const s = event.summary;
        Object.assign(v, { status: s.status, elapsedMs: s.durationMs, runDir: s.runDir, startedAt: s.startedAt });
        if (s.reason) v.reason = s.reason;
        for (const n of s.nodes) {
          const step = this.step(n.name, n.type);
          if (!step.node) Object.assign(step.view, stepFacts(n));
        }
        // Steps never reached (canceled, or no run for them) are not left "queued".
        for (const step of this.steps.values())
          if (step.view.status === 'queued' || step.view.status === 'running')
            step.view.status = s.status === 'Canceled' ? 'canceled' : 'skipped';
        for (const note of s.notes) if (!v.notes.includes(note)) v.notes.push(note);
        const headline = this.headline();
        if (headline) v.headline = headline;
        else delete v.headline;
        // At the end, the failed step, else the last step that ran: the same whether live or restored.
        const lastRan = [...v.steps].reverse().find((st) => st.status !== 'skipped' && st.status !== 'reused' && st.status !== 'canceled');
        if (!this.userSelected) v.selected = headline?.step ?? lastRan?.name ?? v.selected ?? v.steps[0]?.name;
        return undefined;
      }
    }
  }

  /** The user picked `name`: false when there is no such step. */
  select(name: string): boolean {
    if (!this.steps.has(name)) return false;
    this.userSelected = true;
    this.view.selected = name;
    return true;
  }

  /** The parallel step's run view (its own RunState), when the step is a parallel one that started. */
  runOf(name: string): RunState | undefined {
    return this.steps.get(name)?.run;
  }

  /** The parallel step's summary once it ended. */
  summaryOf(name: string): RunSummary | undefined {
    return this.steps.get(name)?.summary;
  }

  /** The step's folder, its logs (a command's std_log.txt, a parallel step's logs folder) and its output. */
  filesOf(name: string): { runDir?: string; logs?: string; output?: string } | undefined {
    const step = this.steps.get(name);
    if (!step) return undefined;
    const n = step.node;
    const logs =
      step.view.type === 'command'
        ? n?.logFile
        : (step.summary?.logsDir ?? (step.runDir ? `${step.runDir.replace(/[\\/]+$/, '')}/logs` : undefined));
    const output = step.summary?.outputFile ?? (n ? Object.values(n.outputs)[0] : undefined);
    return { runDir: step.runDir, logs, output };
  }

  /** True when `file:line` is a location the panel reported (the headline, or a selected step's failure). */
  isReportedLocation(file: string, line: number): boolean {
    const f = this.view.headline?.frame;
    if (f && f.file === file && f.line === line) return true;
    return [...this.steps.values()].some((s) => s.run?.isReportedLocation(file, line));
  }

  /** The failed step and its first real error: the issue-10 headline for a parallel step, the traceback's last line for a command. */
  private headline(): PipelineHeadline | undefined {
    if (this.view.status !== 'Failed') return undefined;
    const failed = [...this.steps.values()].find((s) => s.view.status === 'failed');
    if (!failed) return undefined;
    const step = failed.view.name;
    const { root, codeDir } = this.place;
    if (failed.view.type === 'parallel' && failed.summary) {
      const run = failed.summary;
      const h = failureHeadline(run, { root, codeDir });
      if (h) return withFrame({ step, error: h.error, detail: h.scope }, h.frame, root);
      if (run.error) {
        const frame = userFrame({ error: run.error }, codeDir);
        return withFrame({ step, error: `${run.error.type}: ${run.error.message.split('\n')[0]}` }, frame, root);
      }
      return { step, error: run.reason ?? failed.view.reason ?? 'Failed.' };
    }
    const text = (failed.view.log?.lines ?? []).map((l) => l.text).join('\n');
    const found = commandFailure(text);
    if (found.frame) found.frame = { ...found.frame, file: this.fromRealRoot(found.frame.file) };
    const detail = failed.view.exitCode !== undefined ? `exit code ${failed.view.exitCode}` : undefined;
    return withFrame({ step, error: found.error ?? failed.view.reason ?? 'Failed.', ...(detail ? { detail } : {}) }, found.frame, root);
  }

  /** A path under the workspace's real path, as the workspace path the editor knows. */
  private fromRealRoot(file: string): string {
    const { root, realRoot } = this.place;
    if (!root || !realRoot || realRoot === root) return file;
    const prefix = realRoot.replace(/[\\/]+$/, '');
    return file.startsWith(`${prefix}/`) || file.startsWith(`${prefix}\\`) ? root.replace(/[\\/]+$/, '') + file.slice(prefix.length) : file;
  }

  private step(name: string, type: 'parallel' | 'command'): StepRecord {
    let step = this.steps.get(name);
    if (!step) {
      step = { view: { name, type, status: 'queued', hasLogs: false, hasOutput: false } };
      this.steps.set(name, step);
      this.view.steps.push(step.view);
    }
    return step;
  }
}

/** What a step's end says: status, duration, reason, exit code, whether it has logs and output. */
function stepFacts(n: NodeRunSummary): Partial<PipelineStepView> {
  const facts: Partial<PipelineStepView> = { status: n.status.toLowerCase() as StepStatus };
  if (n.durationMs !== undefined) facts.durationMs = n.durationMs;
  if (n.reason) facts.reason = n.reason;
  if (n.exitCode !== undefined) facts.exitCode = n.exitCode;
  const ran = n.status !== 'Skipped';
  facts.hasLogs = ran && (n.type === 'parallel' || Boolean(n.logFile));
  facts.hasOutput = ran && Object.keys(n.outputs).length > 0;
  return facts;
}

function withFrame(h: PipelineHeadline, frame: { file: string; line: number } | undefined, root?: string): PipelineHeadline {
  if (!frame) return h;
  return { ...h, where: `${displayPath(frame.file, root)}:${frame.line}`, frame: { file: frame.file, line: frame.line } };
}

/** The last `max` lines of a command's output, for a panel restored from summary.json. */
export function logTailText(text: string, max = 200): string {
  const lines = text.split('\n');
  return lines.slice(Math.max(0, lines.length - max - 1)).join('\n');
}
