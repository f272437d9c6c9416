/** The CLI's closing report: the verdict, the real errors (not a dozen log files), and where things are. */
import type { Writable } from 'node:stream';
import type { RunSummary } from '../core/local/types';
import { progressLine } from '../core/local/logs/run-logs';

const MAX_FAILURES_SHOWN = 5;

export function printSummary(out: Writable, s: RunSummary): void {
  out.write(`\n${s.status}${s.reason ? `: ${s.reason}` : ''}\n`);
  out.write(`${progressLine(s.counts, s.durationMs)}\n`);
  const finals = s.failures.filter((f) => f.final);
  for (const f of finals.slice(0, MAX_FAILURES_SHOWN)) {
    const frame = f.error.frames?.[f.error.frames.length - 1];
    out.write(`  mini-batch ${f.index} (${f.items.length} item(s): ${f.items.slice(0, 2).join(', ')}${f.items.length > 2 ? ', …' : ''})\n`);
    out.write(`    ${f.error.type}: ${f.error.message.split('\n')[0]}${frame ? `\n    at ${frame.file}:${frame.line} in ${frame.function}` : ''}\n`);
  }
  if (finals.length > MAX_FAILURES_SHOWN) out.write(`  … and ${finals.length - MAX_FAILURES_SHOWN} more in logs/job_error.txt\n`);
  if (s.warnings.length > 0) out.write(`${s.warnings.length} warning(s), first: ${s.warnings[0].split('\n')[0]}\n`);
  // The last line is the one people copy: where the results and the logs are.
  out.write(`${s.outputFile ? `Output: ${s.outputFile} | ` : ''}Logs: ${s.logsDir}\n`);
}
