/** The CLI's closing report: the verdict, the real errors (not a dozen log files), and where things are. */
import type { Writable } from 'node:stream';
import type { MiniBatchFailure, RunSummary } from '../core/local/types';
import { progressLine } from '../core/local/logs/run-logs';
import { locationLines } from '../core/local/failure-location';
import { failureHeadline, headlineSentence } from '../shared/headline';

const MAX_FAILURES_SHOWN = 5;

export function printSummary(out: Writable, s: RunSummary): void {
  out.write(`\n${s.status}: ${verdict(s)}\n`.replace(/: \n$/, '\n'));
  if (s.error) for (const line of locationLines(s.error)) out.write(`  ${line}\n`);
  // The one counts line of the report: the progress view leaves none of its own behind.
  out.write(`${progressLine(s.counts, s.durationMs, s.status)}\n`);
  if (s.shortReturns) out.write(`${s.shortReturns.explanation}\n`);
  // Short returns are explained by the sentence above, not one by one.
  const finals = s.failures.filter((f) => f.final && f.reason !== 'short_return');
  for (const f of finals.slice(0, MAX_FAILURES_SHOWN)) {
    out.write(`  mini-batch ${f.index} (${itemsText(s, f)})\n`);
    out.write(`    ${f.error.type}: ${f.error.message.split('\n')[0]}\n`);
    for (const line of locationLines(f.error)) out.write(`    ${line}\n`);
  }
  if (finals.length > MAX_FAILURES_SHOWN) out.write(`  … and ${finals.length - MAX_FAILURES_SHOWN} more in logs/job_error.txt\n`);
  if (s.warnings.length > 0) out.write(`${s.warnings.length} warning(s), first: ${s.warnings[0].split('\n')[0]}\n`);
  // The last line is the one people copy: where the results and the logs are.
  out.write(`${s.outputFile ? `Output: ${s.outputFile} | ` : ''}Logs: ${s.logsDir}\n`);
}

/** The failed mini-batch's items in one phrase whose count agrees with the counts line. */
function itemsText(s: RunSummary, f: MiniBatchFailure): string {
  const kind = s.miniBatches.find((m) => m.index === f.index)?.data.kind;
  if (kind === 'files') {
    return `${f.items.length} file(s): ${f.items.slice(0, 2).join(', ')}${f.items.length > 2 ? ', …' : ''}`;
  }
  // A partition group already says its rows; a byte range gets them once a worker has read it.
  const rows = kind === 'range' && f.failedItems !== undefined ? `${f.failedItems} row(s) from ` : '';
  return `${rows}${f.items.join(', ')}`;
}

/**
 * What the first line says after the status: for a failed run with failed mini-batches, the same headline as
 * the panel and the notification (first real error, the user's file:line, what it hit, then the driver's reason).
 */
function verdict(s: RunSummary): string {
  const reason = s.reason?.split('\n')[0];
  const headline = s.status === 'Failed' ? failureHeadline({ reason, failures: s.failures }) : undefined;
  return headline ? headlineSentence(headline) : (reason ?? '');
}
