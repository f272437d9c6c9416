/**
 * The run's title, status (announced to screen readers), the failure headline (the first real error, the
 * user's `file:line`, what it hit; the driver's reason below it), and the run-wide actions.
 */
import { failureHeadline } from '../../shared/headline';
import type { FailureView, RunHeader, RunRef } from '../../shared/protocol';
import { button, h, replaceChildren } from '../dom';
import { shortPath } from '../format';
import { post } from '../vscode-api';

export class HeaderView {
  readonly element: HTMLElement;
  private readonly title = h('h1');
  private readonly status = h('span', { class: 'status', role: 'status', 'aria-live': 'polite' });
  private readonly headline = h('div', { class: 'headline', role: 'alert', hidden: true });
  private readonly reason = h('p', { class: 'reason', hidden: true });
  private readonly meta = h('p', { class: 'meta' });
  private readonly debug = h('p', { class: 'banner', role: 'status', hidden: true });
  private readonly cancel = button('Cancel', () => post({ type: 'action', action: { kind: 'cancel' } }), {
    class: 'secondary run-cancel',
    title: 'Cancel this run: workers stop, finished mini-batches stay in the logs.',
  });
  private readonly openOutput = button('Open Output File', () => post({ type: 'action', action: { kind: 'openOutput' } }));
  private readonly openLogs = button('Open Logs Folder', () => post({ type: 'action', action: { kind: 'openLogs' } }), {
    class: 'secondary',
  });
  private readonly rerun = button('Rerun', () => post({ type: 'action', action: { kind: 'rerun' } }), { class: 'secondary run-rerun' });
  private readonly picker = h('select', { 'aria-label': 'Run of this node to show', title: 'Earlier runs of this node' });
  private readonly pickerLabel = h('label', { class: 'run-picker', hidden: true }, 'Run ', this.picker);
  private run?: RunHeader;
  private runs: RunRef[] = [];
  private failures: readonly FailureView[] = [];

  constructor() {
    this.picker.addEventListener('change', () => {
      if (this.picker.value && this.picker.value !== this.run?.runDir)
        post({ type: 'action', action: { kind: 'showRun', runDir: this.picker.value } });
    });
    this.element = h(
      'header',
      { class: 'run-header' },
      h('div', { class: 'title-row' }, this.title, this.status, this.pickerLabel),
      this.headline,
      this.reason,
      this.debug,
      h('div', { class: 'actions', role: 'toolbar', 'aria-label': 'Run actions' }, this.cancel, this.openOutput, this.openLogs, this.rerun),
      this.meta,
    );
  }

  /** The node's runs, newest first: the picker turns the panel to an earlier one. */
  setHistory(runs: RunRef[]): void {
    this.runs = runs;
    this.renderPicker();
  }

  private renderPicker(): void {
    const current = this.run?.runDir;
    this.pickerLabel.hidden = this.runs.length < 2;
    replaceChildren(
      this.picker,
      ...this.runs.map((r, i) => {
        const when = r.startedAt
          ? new Date(r.startedAt).toLocaleString(undefined, {
              month: 'short',
              day: 'numeric',
              hour: '2-digit',
              minute: '2-digit',
              second: '2-digit',
            })
          : r.runDir.split(/[\\/]/).pop();
        return h('option', { value: r.runDir, selected: r.runDir === current }, `${when} · ${r.status}${i === 0 ? ' (latest)' : ''}`);
      }),
    );
  }

  /** The failures feed the headline; rendering again with the same run shows a changed list. */
  setFailures(failures: readonly FailureView[]): void {
    this.failures = failures;
    if (this.run) this.renderHeadline(this.run);
  }

  render(run: RunHeader): void {
    this.run = run;
    this.title.textContent = run.title;
    // A cloud job says where it is (Queued, Preparing, Finalizing); a local run says Running.
    const statusText = run.phase ?? run.status;
    if (this.status.textContent !== statusText) this.status.textContent = statusText;
    this.status.className = `status status-${run.status.toLowerCase()}`;
    this.renderHeadline(run);
    if (this.picker.value !== run.runDir) this.renderPicker();
    replaceChildren(
      this.meta,
      run.nodeName ? h('span', {}, 'node ', h('code', {}, run.nodeName)) : null,
      run.specFile ? h('span', {}, ' · ', h('code', { title: run.specFile }, shortPath(run.specFile, run.root))) : null,
      // A cloud job's folder is the extension's own bookkeeping: the job's strip says where it runs.
      run.cloud ? null : h('span', {}, ' · run folder ', h('code', { title: run.runDir }, shortPath(run.runDir, run.root))),
    );
    this.debug.hidden = !run.debugListening;
    if (run.debugListening) {
      const d = run.debugListening;
      this.debug.textContent = `Waiting for the debugger on ${d.host}:${d.port} (${d.worker}): set breakpoints in init() or run(), they will hit once it attaches.`;
    }
    const running = run.status === 'Running';
    this.cancel.hidden = !running;
    this.openOutput.disabled = !run.outputFile;
    this.openOutput.title =
      run.outputFile ?? (running ? 'The output file is written when the run ends.' : 'This run has no append_row output.');
    this.rerun.disabled = running;
    this.rerun.title = running ? 'Available once this run has ended.' : 'Run the same spec and sample again, in this panel.';
    this.openLogs.title = run.logsDir;
    // An Azure ML job: its files are in the cloud (the studio link is in its strip); Rerun submits it again.
    this.openOutput.hidden = !!run.cloud;
    this.openLogs.hidden = !!run.cloud;
    this.rerun.textContent = run.cloud ? 'Submit Again' : 'Rerun';
    if (run.cloud)
      this.rerun.title = running ? 'Available once this job has ended.' : 'Submit the same spec again to the same workspace and compute.';
    if (run.cloud) this.cancel.title = 'Cancel this Azure ML job (the service stops its nodes).';
  }

  private renderHeadline(run: RunHeader): void {
    const finals = this.failures.filter((f) => f.final);
    // While retries are pending the run has not failed yet: the headline waits for a final failure.
    const headline =
      finals.length > 0 || run.status === 'Failed'
        ? failureHeadline({ reason: run.reason, failures: this.failures }, { codeDir: run.codeDir, root: run.root })
        : undefined;
    this.headline.hidden = !headline;
    if (headline) {
      const where = headline.frame
        ? button(
            headline.where ?? '',
            () => post({ type: 'action', action: { kind: 'openFile', file: headline.frame!.file, line: headline.frame!.line } }),
            {
              class: 'link where',
              title: `Open ${headline.frame.file} at line ${headline.frame.line}`,
            },
          )
        : null;
      replaceChildren(
        this.headline,
        h('p', { class: 'headline-error' }, headline.error),
        h(
          'p',
          { class: 'headline-where' },
          where,
          where ? ' · ' : '',
          headline.scope,
          headline.distinctErrors > 1 ? ` · ${headline.distinctErrors - 1} other error${headline.distinctErrors > 2 ? 's' : ''} below` : '',
        ),
      );
    }
    // A cloud job's failure comes as it reported it (no mini-batch tracebacks to group): its error, line and log.
    const reported = !headline && run.kind === 'cloud' && run.status === 'Failed' ? run.failure : undefined;
    if (reported) {
      this.headline.hidden = false;
      const where = reported.file ? `${shortPath(reported.file, run.root)}${reported.line ? `:${reported.line}` : ''}` : '';
      replaceChildren(
        this.headline,
        h('p', { class: 'headline-error' }, reported.error),
        h(
          'p',
          { class: 'headline-where' },
          [where, reported.scope, reported.logFile ? `from ${reported.logFile}` : ''].filter(Boolean).join(' · '),
        ),
      );
    }
    const reason = headline
      ? headline.reason
      : reported
        ? (reported.reason ?? (run.reason !== reported.error ? run.reason : undefined))
        : run.reason;
    this.reason.hidden = !reason;
    this.reason.textContent = reason ?? '';
    this.reason.classList.toggle('secondary-reason', !!headline);
  }
}
