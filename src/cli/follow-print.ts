// `--follow` output: a cloud job's events as the terminal shows them (status lines, log tail as az ml job stream
// prints it, progress, the headline error with file:line, the final status and where the outputs are).
import * as path from 'node:path';
import type { CloudJobEvent } from '../core/azure/follow/events';

export class FollowPrinter {
  private lastFile?: string;
  private lastProgress = new Map<string, string>();
  private readonly started = new Set<string>();

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly jobName: string,
    /** Folder local paths are shown relative to (the spec's). */
    private readonly baseDir: string,
  ) {}

  print(e: CloudJobEvent): void {
    const w = (s: string): void => void this.out.write(s);
    const clock = (iso?: string) => (iso ?? new Date().toISOString()).slice(11, 19);
    switch (e.type) {
      case 'start':
        return;
      case 'status':
        this.lastFile = undefined;
        return w(`${clock(e.time)} ${e.step ? `${this.jobName}/${e.step}` : this.jobName}: ${e.status}\n`);
      case 'log': {
        const name = e.step ? `${e.step}/${e.file}` : e.file;
        // As az ml job stream: a header when a file starts, then its new lines; a short marker when it comes back.
        if (name !== this.lastFile) w(this.started.has(name) ? `[${name}]\n` : `\nStreaming ${name}\n${'='.repeat(name.length + 10)}\n\n`);
        this.started.add(name);
        this.lastFile = name;
        return w(e.lines.map((l) => `${l}\n`).join(''));
      }
      case 'progress': {
        const mb = e.progress.miniBatches;
        const text =
          e.line ??
          `Processed ${mb.succeeded + mb.failed}${mb.total !== undefined ? ` of ${mb.total}` : ''} mini-batches (${mb.succeeded} succeeded, ${mb.failed} failed)`;
        if (this.lastProgress.get(e.step) === text) return;
        this.lastProgress.set(e.step, text);
        this.lastFile = undefined;
        return w(`${clock()} ${this.jobName}/${e.step}: ${text}\n`);
      }
      case 'error':
        return; // printed once, on top of the end summary
      case 'warning':
        this.lastFile = undefined;
        return w(`${clock()} warning: ${e.message}\n`);
      case 'end': {
        this.lastFile = undefined;
        w(`\nExecution Summary\n=================\nJob ${this.jobName}: ${e.status}\n`);
        if (e.error) {
          const where = e.error.localFile ? path.relative(this.baseDir, e.error.localFile) || e.error.localFile : e.error.frame?.file;
          w(`Error${e.error.step ? ` in step ${e.error.step}` : ''}: ${e.error.message}\n`);
          if (e.error.frame && where)
            w(`  at ${where}:${e.error.frame.line}${e.error.frame.function ? ` in ${e.error.frame.function}` : ''}\n`);
          w(`  from ${e.error.step ? `${e.error.step}/` : ''}${e.error.logFile}\n`);
        }
        const outs = Object.entries(e.outputs);
        if (outs.length) {
          w('Outputs:\n');
          for (const [k, v] of outs) w(`  ${k}: ${v}\n`);
        }
        w(`Studio: ${e.studioUrl}\n`);
        return;
      }
    }
  }
}
