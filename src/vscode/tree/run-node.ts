/**
 * The rows of the Local Runs view: a spec, a node of a spec with several, a run (finished: its summary.json,
 * or in progress), and a failed mini-batch of a failed run. Pipeline runs will nest their steps the same way.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MiniBatchFailure, RunStatus, RunSummary } from '../../core/local/types';
import type { NodeRunSummary, PipelineRunSummary } from '../../core/pipeline/types';
import { countsLong, countsShort, deriveCounts } from '../../shared/counts';
import { displayPath, failureHeadline, groupFailures, headlineSentence, userFrame } from '../../shared/headline';
import { relativeTime } from '../../core/runs/relative-time';
import { durationText } from '../../core/workspace/local-runs';
import { COMMAND } from '../commands/ids';
import type { LiveRun } from '../run/live-runs';

export interface RunNode {
  kind: 'run';
  runDir: string;
  nodeName: string;
  specFile: string;
  startedAt: Date;
  status: RunStatus;
  summary?: RunSummary;
  live?: LiveRun;
  /** A whole pipeline run (`nodeName` is the pipeline's name): its steps, each parallel one with its own summary. */
  pipeline?: { summary: PipelineRunSummary; steps: { step: NodeRunSummary; summary?: RunSummary }[] };
}

/** A step of a pipeline run: status and duration; a parallel step lists its failed mini-batches like a run. */
export interface StepNode {
  kind: 'step';
  /** The pipeline's run folder. */
  runDir: string;
  step: NodeRunSummary;
  summary?: RunSummary;
}

export interface SpecNode {
  kind: 'spec';
  specFile: string;
  /** Set when the spec has one node: its runs are the spec's children. */
  nodeName?: string;
  nodes: string[];
  runs: RunNode[];
}

export interface NodeGroup {
  kind: 'node';
  specFile: string;
  nodeName: string;
  runs: RunNode[];
}

export interface FailedMiniBatchNode {
  kind: 'miniBatch';
  runDir: string;
  index: number;
  failure: MiniBatchFailure;
}

export type TreeNode = SpecNode | NodeGroup | RunNode | StepNode | FailedMiniBatchNode;

export function nodeFromSummary(summary: RunSummary): RunNode {
  return {
    kind: 'run',
    runDir: summary.runDir,
    nodeName: summary.nodeName,
    specFile: summary.specFile,
    startedAt: new Date(summary.startedAt),
    status: summary.status,
    summary,
  };
}

export function nodeFromPipeline(summary: PipelineRunSummary, steps: { step: NodeRunSummary; summary?: RunSummary }[]): RunNode {
  return {
    kind: 'run',
    runDir: summary.runDir,
    nodeName: summary.pipelineName,
    specFile: summary.specFile,
    startedAt: new Date(summary.startedAt),
    status: summary.status,
    pipeline: { summary, steps },
  };
}

export function nodeFromLive(live: LiveRun): RunNode {
  return {
    kind: 'run',
    runDir: live.runDir,
    nodeName: live.nodeName,
    specFile: live.specFile,
    startedAt: live.startedAt,
    status: 'Running',
    live,
  };
}

/** Runs grouped by spec, then node; newest spec first, newest run first. */
export function groupRuns(runs: RunNode[]): SpecNode[] {
  const specs = new Map<string, SpecNode>();
  for (const run of [...runs].sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime())) {
    const key = path.resolve(run.specFile);
    let spec = specs.get(key);
    if (!spec) specs.set(key, (spec = { kind: 'spec', specFile: run.specFile, nodes: [], runs: [] }));
    spec.runs.push(run);
    if (!spec.nodes.includes(run.nodeName)) spec.nodes.push(run.nodeName);
  }
  for (const spec of specs.values()) if (spec.nodes.length === 1) spec.nodeName = spec.nodes[0];
  return [...specs.values()];
}

export function childrenOf(node: TreeNode): TreeNode[] {
  switch (node.kind) {
    case 'spec':
      return node.nodeName
        ? node.runs
        : node.nodes.map((nodeName) => ({
            kind: 'node',
            specFile: node.specFile,
            nodeName,
            runs: node.runs.filter((r) => r.nodeName === nodeName),
          }));
    case 'node':
      return node.runs;
    case 'run':
      if (node.pipeline)
        return node.pipeline.steps.map(({ step, summary }) => ({
          kind: 'step',
          runDir: node.runDir,
          step,
          ...(summary ? { summary } : {}),
        }));
      return failedMiniBatches(node);
    case 'step':
      return node.summary ? failedMiniBatches({ runDir: node.summary.runDir, summary: node.summary }) : [];
    case 'miniBatch':
      return [];
  }
}

/** The latest final failure of each mini-batch that failed for good. */
function failedMiniBatches(run: Pick<RunNode, 'runDir' | 'summary'>): FailedMiniBatchNode[] {
  const latest = new Map<number, MiniBatchFailure>();
  for (const f of run.summary?.failures ?? []) if (f.final) latest.set(f.index, f);
  return [...latest.values()]
    .sort((a, b) => a.index - b.index)
    .map((failure) => ({ kind: 'miniBatch', runDir: run.runDir, index: failure.index, failure }));
}

const ICONS: Record<RunStatus, vscode.ThemeIcon> = {
  Running: new vscode.ThemeIcon('sync~spin'),
  Completed: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  Failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  Canceled: new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground')),
};

export function treeItemFor(node: TreeNode): vscode.TreeItem {
  switch (node.kind) {
    case 'spec':
      return specItem(node);
    case 'node': {
      const item = new vscode.TreeItem(node.nodeName, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `node:${node.specFile}#${node.nodeName}`;
      item.iconPath = new vscode.ThemeIcon('symbol-event');
      item.description = `${node.runs.length} run${node.runs.length === 1 ? '' : 's'}`;
      item.contextValue = 'parallelRun.node';
      return item;
    }
    case 'run':
      return node.pipeline ? pipelineRunItem(node, node.pipeline.summary) : runItem(node);
    case 'step':
      return stepItem(node);
    case 'miniBatch':
      return miniBatchItem(node);
  }
}

function specItem(node: SpecNode): vscode.TreeItem {
  const rel = vscode.workspace.asRelativePath(node.specFile);
  const item = new vscode.TreeItem(node.nodeName ?? path.basename(node.specFile), vscode.TreeItemCollapsibleState.Expanded);
  item.id = `spec:${node.specFile}`;
  item.resourceUri = vscode.Uri.file(node.specFile);
  item.iconPath = node.nodeName ? new vscode.ThemeIcon('symbol-event') : vscode.ThemeIcon.File;
  item.description = node.nodeName ? rel : path.dirname(rel) === '.' ? undefined : path.dirname(rel);
  item.tooltip = `${rel}${node.nodeName ? ` · node ${node.nodeName}` : ''} · ${node.runs.length} run${node.runs.length === 1 ? '' : 's'}`;
  item.contextValue = 'parallelRun.spec';
  return item;
}

function runItem(node: RunNode): vscode.TreeItem {
  const failed = node.status === 'Failed' && (node.summary?.failures.some((f) => f.final) ?? false);
  // The label is short (when), so it never truncates; what happened goes in the description.
  const item = new vscode.TreeItem(
    relativeTime(node.startedAt),
    failed ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
  );
  item.id = node.runDir;
  item.iconPath = node.live?.debug ? new vscode.ThemeIcon('debug-alt') : ICONS[node.status];
  item.contextValue = `parallelRun.run.${node.status.toLowerCase()}`;
  item.command = { command: COMMAND.openRun, title: 'Open Run', arguments: [node.runDir] };
  const root = rootOf(node.specFile);
  const counts = node.summary?.counts ?? node.live?.counts;
  const derived = counts ? deriveCounts(node.status, counts, node.summary?.workers) : undefined;
  const headline = node.summary && node.status === 'Failed' ? failureHeadline(node.summary, { root }) : undefined;
  if (headline) item.description = `${headline.error}${headline.where ? ` · ${path.basename(headline.where)}` : ''}`;
  else if (node.summary && derived) item.description = `${countsShort(derived)} · ${durationText(node.summary.durationMs)}`;
  else
    item.description = `${derived ? `${countsShort(derived)} · ` : ''}${node.live?.debug ? 'debugging' : (node.live?.run.status ?? 'Running').toLowerCase()}`;

  const tooltip = new vscode.MarkdownString(undefined, true);
  tooltip.appendMarkdown(`**${escape(node.nodeName)}** — ${node.status}`);
  if (headline) tooltip.appendMarkdown(`\n\n${escape(headlineSentence(headline))}`);
  else if (node.summary?.reason) tooltip.appendMarkdown(`\n\n${escape(node.summary.reason)}`);
  if (derived) tooltip.appendMarkdown(`\n\n${escape(countsLong(derived))}`);
  tooltip.appendMarkdown(`\n\nStarted ${escape(node.startedAt.toLocaleString())}`);
  if (node.summary) tooltip.appendMarkdown(`, took ${escape(durationText(node.summary.durationMs))}`);
  tooltip.appendMarkdown(
    `\n\nSpec: \`${vscode.workspace.asRelativePath(node.specFile)}\`  \nRun folder: \`${vscode.workspace.asRelativePath(node.runDir)}\``,
  );
  item.tooltip = tooltip;
  item.accessibilityInformation = {
    label: `${node.nodeName} ${node.status} ${relativeTime(node.startedAt)}${headline ? `: ${headline.error}` : ''}`,
  };
  return item;
}

const STEP_ICONS: Record<NodeRunSummary['status'], vscode.ThemeIcon> = {
  Completed: ICONS.Completed,
  Failed: ICONS.Failed,
  Canceled: ICONS.Canceled,
  Skipped: new vscode.ThemeIcon('debug-step-over', new vscode.ThemeColor('disabledForeground')),
  Reused: new vscode.ThemeIcon('references', new vscode.ThemeColor('testing.iconPassed')),
};

/** A pipeline run: when, then which step failed (or how many steps ran, how long); its steps below. */
function pipelineRunItem(node: RunNode, summary: PipelineRunSummary): vscode.TreeItem {
  const item = new vscode.TreeItem(relativeTime(node.startedAt), vscode.TreeItemCollapsibleState.Collapsed);
  item.id = node.runDir;
  item.iconPath = ICONS[node.status];
  item.contextValue = `parallelRun.run.${node.status.toLowerCase()}`;
  item.command = { command: COMMAND.openRun, title: 'Open Run', arguments: [node.runDir] };
  const failed = summary.nodes.find((n) => n.status === 'Failed');
  const steps = `${summary.nodes.length} step${summary.nodes.length === 1 ? '' : 's'}`;
  item.description = failed
    ? `step ${failed.name} failed${failed.reason ? ` · ${failed.reason.split('\n')[0]}` : ''}`
    : `${steps} · ${durationText(summary.durationMs)}`;
  const tooltip = new vscode.MarkdownString(undefined, true);
  tooltip.appendMarkdown(`**Pipeline ${escape(summary.pipelineName)}** — ${summary.status}`);
  if (summary.reason) tooltip.appendMarkdown(`\n\n${escape(summary.reason)}`);
  tooltip.appendMarkdown(
    `\n\n${summary.nodes.map((n) => `${escape(n.name)}: ${n.status}${n.durationMs !== undefined && n.status !== 'Reused' ? ` (${escape(durationText(n.durationMs))})` : ''}`).join('  \n')}`,
  );
  tooltip.appendMarkdown(`\n\nStarted ${escape(node.startedAt.toLocaleString())}, took ${escape(durationText(summary.durationMs))}`);
  tooltip.appendMarkdown(
    `\n\nSpec: \`${vscode.workspace.asRelativePath(node.specFile)}\`  \nRun folder: \`${vscode.workspace.asRelativePath(node.runDir)}\``,
  );
  item.tooltip = tooltip;
  item.accessibilityInformation = {
    label: `pipeline ${summary.pipelineName} ${summary.status} ${relativeTime(node.startedAt)}${failed ? `: step ${failed.name} failed` : ''}`,
  };
  return item;
}

/** A step of a pipeline run: its name, status and duration; a failed parallel step expands to its mini-batches. */
function stepItem(node: StepNode): vscode.TreeItem {
  const { step, summary } = node;
  const failedBatches = summary?.failures.some((f) => f.final) ?? false;
  const item = new vscode.TreeItem(
    step.name,
    failedBatches ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
  );
  item.id = `${node.runDir}#step:${step.name}`;
  item.iconPath = STEP_ICONS[step.status];
  const took =
    step.durationMs !== undefined && step.status !== 'Reused' && step.status !== 'Skipped' ? ` · ${durationText(step.durationMs)}` : '';
  const headline = summary && step.status === 'Failed' ? failureHeadline(summary, { root: rootOf(summary.specFile) }) : undefined;
  const why = headline ? ` · ${headline.error}` : step.status !== 'Completed' && step.reason ? ` · ${step.reason.split('\n')[0]}` : '';
  item.description = `${step.type} · ${step.status.toLowerCase()}${took}${why}`;
  const tooltip = new vscode.MarkdownString(undefined, true);
  tooltip.appendMarkdown(`**${escape(step.name)}** (${step.type}) — ${step.status}`);
  if (headline) tooltip.appendMarkdown(`\n\n${escape(headlineSentence(headline))}`);
  else if (step.reason) tooltip.appendMarkdown(`\n\n${escape(step.reason)}`);
  if (step.command) tooltip.appendMarkdown(`\n\n\`${step.command.replace(/`/g, "'")}\``);
  item.tooltip = tooltip;
  item.contextValue = `parallelRun.step.${step.type}`;
  item.command = { command: COMMAND.openRun, title: 'Open Run', arguments: [node.runDir] };
  return item;
}

function miniBatchItem(node: FailedMiniBatchNode): vscode.TreeItem {
  const f = node.failure;
  const item = new vscode.TreeItem(`Mini-batch ${f.index}`, vscode.TreeItemCollapsibleState.None);
  item.id = `${node.runDir}#${f.index}`;
  item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
  const frame = userFrame(f);
  const error = groupFailures([f])[0];
  item.description = `${error.type}${error.message ? `: ${error.message}` : ''}${frame ? ` · ${path.basename(frame.file)}:${frame.line}` : ''}`;
  const tooltip = new vscode.MarkdownString(undefined, true);
  tooltip.appendMarkdown(
    `**Mini-batch ${f.index}** — ${f.items.length} item${f.items.length === 1 ? '' : 's'}, attempt ${f.attempt}, ${escape(f.worker)}`,
  );
  tooltip.appendMarkdown(`\n\n${escape(item.description)}`);
  if (frame) tooltip.appendMarkdown(`\n\nat \`${displayPath(frame.file, rootOf(frame.file))}:${frame.line}\``);
  item.tooltip = tooltip;
  item.contextValue = 'parallelRun.failedMiniBatch';
  if (frame)
    item.command = {
      command: 'vscode.open',
      title: 'Open the Line',
      arguments: [vscode.Uri.file(frame.file), { selection: new vscode.Range(frame.line - 1, 0, frame.line - 1, 0) }],
    };
  return item;
}

function rootOf(file: string): string | undefined {
  return vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file))?.uri.fsPath;
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]<>()#+\-.!|]/g, '\\$&');
}
