/** The run's title, status (announced to screen readers), reason, and the run-wide actions. */
import type { RunHeader } from '../../vscode/panel/protocol';
import { button, h, replaceChildren } from '../dom';
import { post } from '../vscode-api';

export class HeaderView {
  readonly element: HTMLElement;
  private readonly title = h('h1');
  private readonly status = h('span', { class: 'status', role: 'status', 'aria-live': 'polite' });
  private readonly reason = h('p', { class: 'reason', hidden: true });
  private readonly meta = h('p', { class: 'meta' });
  private readonly debug = h('p', { class: 'banner', role: 'status', hidden: true });
  private readonly openOutput = button('Open output file', () => post({ type: 'action', action: { kind: 'openOutput' } }));
  private readonly openLogs = button('Open logs folder', () => post({ type: 'action', action: { kind: 'openLogs' } }), { class: 'secondary' });
  private readonly rerun = button('Rerun', () => post({ type: 'action', action: { kind: 'rerun' } }), { class: 'secondary' });

  constructor() {
    this.element = h(
      'header',
      { class: 'run-header' },
      h('div', { class: 'title-row' }, this.title, this.status),
      this.reason,
      this.meta,
      this.debug,
      h('div', { class: 'actions', role: 'toolbar', 'aria-label': 'Run actions' }, this.openOutput, this.openLogs, this.rerun),
    );
  }

  render(run: RunHeader): void {
    this.title.textContent = run.title;
    if (this.status.textContent !== run.status) this.status.textContent = run.status;
    this.status.className = `status status-${run.status.toLowerCase()}`;
    this.reason.hidden = !run.reason;
    this.reason.textContent = run.reason ?? '';
    replaceChildren(
      this.meta,
      run.nodeName ? h('span', {}, 'node ', h('code', {}, run.nodeName)) : null,
      run.specFile ? h('span', {}, ' · ', h('code', {}, run.specFile)) : null,
      h('span', {}, ' · run folder ', h('code', {}, run.runDir)),
    );
    this.debug.hidden = !run.debugListening;
    if (run.debugListening) {
      const d = run.debugListening;
      this.debug.textContent = `Waiting for the debugger on ${d.host}:${d.port} (${d.worker}): set breakpoints in init() or run(), they will hit once it attaches.`;
    }
    const running = run.status === 'Running';
    this.openOutput.disabled = !run.outputFile;
    this.openOutput.title = run.outputFile ?? (running ? 'The output file is written when the run ends.' : 'This run has no append_row output.');
    this.rerun.disabled = running;
    this.rerun.title = running ? 'Available once this run has ended.' : 'Run the same spec and sample again.';
    this.openLogs.title = run.logsDir;
  }
}
