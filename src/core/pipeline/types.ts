/** What a local pipeline run reports: events per node (for the panel and the CLI) and its summary.json. */
import type { RunEvent, RunSummary } from '../local/types';

export type NodeStatus = 'Completed' | 'Failed' | 'Canceled' | 'Skipped' | 'Reused';

/** One node of a pipeline run as it ended (or did not run). */
export interface NodeRunSummary {
  name: string;
  type: 'parallel' | 'command';
  status: NodeStatus;
  /** Why it failed or did not run, in one sentence. */
  reason?: string;
  startedAt?: string;
  endedAt?: string;
  durationMs?: number;
  /** The node's own folder in the pipeline's run folder (for a reused node: the earlier run's). */
  runDir: string;
  /** Where each output is on this machine: a folder, or a file for `uri_file` outputs. */
  outputs: Record<string, string>;
  /** Parallel nodes: the node's own summary.json (the single-node run layout inside runDir). */
  summaryFile?: string;
  /** Command nodes: the command as it ran, bindings replaced. */
  command?: string;
  exitCode?: number;
  /** Command nodes: stdout and stderr, interleaved, as the cloud's user_logs/std_log.txt. */
  logFile?: string;
  /** Something the user should know although the step completed (a traceback in a command's log). */
  warning?: string;
}

/** summary.json of a pipeline run folder. */
export interface PipelineRunSummary {
  kind: 'pipeline';
  status: 'Completed' | 'Failed' | 'Canceled';
  reason?: string;
  specFile: string;
  pipelineName: string;
  runDir: string;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  /** Nodes in the order they ran (skipped ones where they would have). */
  nodes: NodeRunSummary[];
  /** Pipeline outputs (`${{parent.outputs.x}}`) and the node output path that feeds each. */
  outputs: Record<string, string>;
  /** What the local run did differently from the cloud: cloud-only fields, output paths it could not honour. */
  notes: string[];
}

export type PipelineEvent =
  | {
      type: 'pipelineStart';
      runDir: string;
      specFile: string;
      pipelineName: string;
      nodes: { name: string; type: 'parallel' | 'command'; needs: string[] }[];
    }
  | { type: 'note'; message: string }
  | { type: 'nodeStart'; node: string; nodeType: 'parallel' | 'command'; runDir: string; command?: string }
  | { type: 'nodeLog'; node: string; stream: 'stdout' | 'stderr'; text: string }
  /** A parallel node's own run events, as runLocal emits them. */
  | { type: 'nodeEvent'; node: string; event: RunEvent }
  | { type: 'nodeEnd'; node: NodeRunSummary; parallelSummary?: RunSummary }
  | { type: 'pipelineEnd'; summary: PipelineRunSummary };
