/** The CLI's view of a pipeline run: each step as it starts, its output, its end, and a closing table. */
import type { Writable } from 'node:stream';
import type { PipelineEvent, PipelineRunSummary } from '../core/pipeline/types';
import { modelEventsOf } from '../core/runs/local-run';
import { ProgressReporter } from './progress';
import { printSummary } from './summary';

export class PipelineReporter {
  private parallel?: ProgressReporter;
  /** Text of a command's last line not yet ended by a newline, per stream. */
  private readonly partial = new Map<string, string>();

  constructor(
    private readonly out: Writable,
    private readonly tty: boolean,
  ) {}

  onEvent(e: PipelineEvent): void {
    switch (e.type) {
      case 'pipelineStart':
        this.out.write(`Pipeline ${e.pipelineName}: ${e.nodes.map((n) => n.name).join(' -> ')} → ${e.runDir}\n`);
        break;
      case 'note':
        this.out.write(`note: ${e.message}\n`);
        break;
      case 'nodeStart':
        this.out.write(`\n== ${e.node} (${e.nodeType})${e.command ? `: ${oneLine(e.command)}` : ''}\n`);
        if (e.nodeType === 'parallel') this.parallel = new ProgressReporter(this.out, this.tty);
        break;
      case 'nodeLog':
        this.commandOutput(e.node, e.stream, e.text);
        break;
      case 'nodeEvent':
        for (const m of modelEventsOf(e.event)) this.parallel?.onEvent(m);
        break;
      case 'nodeEnd': {
        this.flushPartial(e.node.name);
        if (this.parallel) {
          this.parallel.finish();
          this.parallel = undefined;
        }
        if (e.parallelSummary) printSummary(this.out, e.parallelSummary);
        const n = e.node;
        const took = n.durationMs !== undefined ? ` in ${(n.durationMs / 1000).toFixed(1)} s` : '';
        const tookText = n.status === 'Reused' ? '' : took;
        this.out.write(`${n.name}: ${n.status}${tookText}${n.reason && !e.parallelSummary ? `: ${n.reason}` : ''}\n`);
        break;
      }
      case 'pipelineEnd':
        printPipelineSummary(this.out, e.summary);
        break;
    }
  }

  private commandOutput(node: string, stream: string, text: string): void {
    const key = `${node}\0${stream}`;
    const lines = ((this.partial.get(key) ?? '') + text).split('\n');
    this.partial.set(key, lines.pop() ?? '');
    for (const line of lines) this.out.write(`[${node}] ${line}\n`);
  }

  private flushPartial(node: string): void {
    for (const [key, text] of this.partial) {
      if (!key.startsWith(`${node}\0`) || text === '') continue;
      this.out.write(`[${node}] ${text}\n`);
      this.partial.set(key, '');
    }
  }
}

/** The closing table: one line per step, the verdict, and where the run is. */
export function printPipelineSummary(out: Writable, s: PipelineRunSummary): void {
  out.write(`\nPipeline ${s.pipelineName}: ${s.status}${s.reason ? `: ${oneLine(s.reason)}` : ''}\n`);
  const width = Math.max(...s.nodes.map((n) => n.name.length), 4);
  for (const n of s.nodes) {
    const took = n.durationMs !== undefined ? `${(n.durationMs / 1000).toFixed(1)} s` : '';
    out.write(
      `  ${n.name.padEnd(width)}  ${n.type.padEnd(8)}  ${n.status.padEnd(9)}  ${took.padStart(7)}  ${n.status === 'Skipped' || n.status === 'Reused' ? (n.reason ?? '') : n.runDir}\n`,
    );
  }
  for (const [name, at] of Object.entries(s.outputs)) out.write(`Output ${name}: ${at}\n`);
  out.write(`Run: ${s.runDir}\n`);
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
