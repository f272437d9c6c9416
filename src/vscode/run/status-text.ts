/**
 * What the status bar says about runs, local or cloud, from the run model alone (no vscode import: the
 * status bar item in status-bar.ts shows it, tests read it).
 */
import type { RunCounts } from '../../core/local/types';
import { localSummaryOf, type RunIdentity, type RunModelStatus, type RunOutcome } from '../../core/runs/model';
import type { RunFailure } from '../../shared/run-types';
import { countsLong, countsShort, deriveCounts } from '../../shared/counts';
import { displayPath, endWithPeriod, failureHeadline, headlineSentence } from '../../shared/headline';

/** What the status bar needs of a run in progress or just ended (a LiveRun is one). */
export interface StatusRun {
  run: { identity: RunIdentity; status: RunModelStatus; failure?: RunFailure };
  counts?: RunCounts;
  outcome?: RunOutcome;
  debug: boolean;
  /** Where a pipeline is: "step 2/3". */
  step?: string;
  codeDir?: string;
  canceledByUser?: boolean;
}

export interface StatusText {
  text: string;
  tooltip: string;
  /** Shown on the error background. */
  error?: boolean;
}

/** The latest of the runs in progress: "$(sync~spin) score 4/10", a cloud job "$(cloud) score · Queued". */
export function activeRunText(latest: StatusRun, others: number): StatusText {
  const id = latest.run.identity;
  const status = latest.run.status;
  const c = latest.counts ? deriveCounts('Running', latest.counts) : undefined;
  const more = others > 0 ? ` (+${others} more)` : '';
  // A pipeline: "pipeline · step 2/3 · 4/10"; the counts are the running parallel step's.
  const step = latest.step ? ` · ${latest.step}` : '';
  // A cloud job says where it is until it runs (Queued, Preparing) and after (Finalizing).
  const phase = id.kind === 'cloud' && (status !== 'Running' || !c) ? ` · ${status}` : '';
  const counted = c ? (latest.step || phase ? ` · ${c.finished}/${c.total}` : ` ${c.finished}/${c.total}`) : '';
  const icon = latest.debug ? 'debug-alt' : id.kind === 'cloud' ? 'cloud' : 'sync~spin';
  const verb = latest.debug ? 'debugging' : id.kind === 'cloud' ? `cloud job ${status.toLowerCase()}:` : 'running';
  return {
    text: `$(${icon}) ${id.displayName}${step}${phase}${counted}${more}`,
    tooltip: `Parallel Run: ${verb} ${id.displayName}${step}${c ? ` (${countsLong(c)})` : ''}. Click to open its panel.`,
  };
}

/** A run that just ended: "$(pass) score 100/100 ok", with the headline failure in the tooltip when it failed. */
export function endedRunText(ended: StatusRun & { outcome: RunOutcome }, root?: string): StatusText {
  const outcome = ended.outcome;
  const name = ended.run.identity.displayName;
  const counts = outcome.counts ?? ended.counts;
  const c = counts ? deriveCounts(outcome.status, counts, outcome.workers) : undefined;
  const icon = outcome.status === 'Completed' ? 'pass' : outcome.status === 'Failed' ? 'error' : 'circle-slash';
  const why =
    outcome.status === 'Failed' ? ` ${failureText(ended, root)}` : outcome.reason && !ended.canceledByUser ? ` ${outcome.reason}` : '';
  return {
    text: `$(${icon}) ${name}${c ? ` ${countsShort(c)}` : ` ${outcome.status.toLowerCase()}`}`,
    tooltip: `Parallel Run: ${name} ${outcome.status.toLowerCase()}.${why}${c ? `\n${countsLong(c)}` : ''}\nClick to open its panel.`,
    error: outcome.status === 'Failed',
  };
}

/**
 * The failure headline of an ended run: a local run's from its failed mini-batches (first real error, the user's
 * file:line relative to `root`, what it hit; the driver's reason after it); a cloud job's as it reported it.
 */
export function failureText(ended: Pick<StatusRun, 'run' | 'codeDir'> & { outcome: RunOutcome }, root?: string): string {
  const local = localSummaryOf(ended.outcome);
  if (local) {
    const headline = failureHeadline(local, { codeDir: ended.codeDir, root });
    if (headline) return headlineSentence(headline);
    return local.reason ? endWithPeriod(local.reason) : 'see the run’s logs.';
  }
  const failure = ended.outcome.headline ?? ended.run.failure;
  if (failure) {
    const where = failure.file ? ` at ${displayPath(failure.file, root)}${failure.line ? `:${failure.line}` : ''}` : '';
    const reason = failure.reason ? ` ${endWithPeriod(failure.reason)}` : '';
    return `${endWithPeriod(`${failure.error.trim().replace(/\.+$/, '')}${where}${failure.scope ? `, ${failure.scope}` : ''}`)}${reason}`;
  }
  return ended.outcome.reason ? endWithPeriod(ended.outcome.reason) : 'see the run’s logs.';
}
