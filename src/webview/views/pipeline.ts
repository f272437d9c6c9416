/**
 * A pipeline run in the panel: its name and status, the failed step with its first real error (the user's
 * `file:line` clickable), the steps in order (status, duration, Open Logs, Open Output; click to show one
 * below), a command step's exit code and output tail, and the notes about cloud-only fields, told once quietly.
 */
import type { LogTail, PipelineStepView, PipelineView, StepStatus } from '../../shared/protocol';
import { button, h, replaceChildren } from '../dom';
import { formatDuration } from '../format';
import { post } from '../vscode-api';

const STATUS_TEXT: Record<StepStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  skipped: 'Skipped',
  canceled: 'Canceled',
  reused: 'Reused',
};

export class PipelineSection {
  readonly element: HTMLElement;
  private readonly title = h('h1');
  private readonly status = h('span', { class: 'status', role: 'status', 'aria-live': 'polite' });
  private readonly headline = h('div', { class: 'headline', role: 'alert', hidden: true });
  private readonly steps = h('ol', { class: 'steps', 'aria-label': 'Steps' });
  private readonly command = h('section', { class: 'command-step', hidden: true });
  private readonly notes = h('details', { class: 'notes', hidden: true });
  private readonly cancel = button('Cancel', () => post({ type: 'action', action: { kind: 'cancel' } }), {
    class: 'secondary',
    title: 'Cancel the pipeline: the running step stops, the steps after it do not run.',
  });
  private readonly rerun = button('Rerun', () => post({ type: 'action', action: { kind: 'rerun' } }), { class: 'secondary' });
  private readonly meta = h('p', { class: 'meta' });
  private logPinnedToEnd = true;

  constructor() {
    this.element = h(
      'header',
      { class: 'run-header pipeline', hidden: true },
      h('div', { class: 'title-row' }, this.title, this.status),
      this.headline,
      h('div', { class: 'actions', role: 'toolbar', 'aria-label': 'Pipeline actions' }, this.cancel, this.rerun),
      this.meta,
      this.steps,
      this.notes,
    );
  }

  /** The command step's section goes below the step list, where a parallel step's run view would be. */
  get commandElement(): HTMLElement {
    return this.command;
  }

  /** True when the selected step's details are a parallel run view (shown by the other sections). */
  render(p: PipelineView): boolean {
    this.element.hidden = false;
    this.title.textContent = `Pipeline ${p.name}`;
    if (this.status.textContent !== p.status) this.status.textContent = p.status;
    this.status.className = `status status-${p.status.toLowerCase()}`;
    const running = p.status === 'Running';
    this.cancel.hidden = !running;
    this.rerun.disabled = running;
    this.rerun.title = running ? 'Available once this run has ended.' : 'Run the pipeline again with the same sample, in this panel.';
    const finished = p.steps.filter((s) => s.status !== 'queued' && s.status !== 'running').length;
    replaceChildren(
      this.meta,
      `${finished}/${p.steps.length} steps · ${formatDuration(p.elapsedMs)} · run folder `,
      h('code', { title: p.runDir }, p.runDir.split(/[\\/]/).pop()),
    );
    this.renderHeadline(p);
    replaceChildren(this.steps, ...p.steps.map((s, i) => this.stepRow(s, i, p.selected === s.name)));
    this.renderNotes(p.notes);
    const selected = p.steps.find((s) => s.name === p.selected);
    const showsRun =
      selected?.type === 'parallel' && selected.status !== 'queued' && selected.status !== 'skipped' && selected.status !== 'reused';
    this.command.hidden = !selected || showsRun;
    if (selected && !showsRun) this.renderCommand(selected);
    return showsRun;
  }

  private renderHeadline(p: PipelineView): void {
    const hl = p.headline;
    this.headline.hidden = !hl && !(p.status !== 'Running' && p.status !== 'Completed' && p.reason);
    if (!hl) {
      replaceChildren(this.headline, h('p', { class: 'headline-error' }, p.reason ?? ''));
      return;
    }
    const where = hl.frame
      ? button(hl.where ?? '', () => post({ type: 'action', action: { kind: 'openFile', file: hl.frame!.file, line: hl.frame!.line } }), {
          class: 'link where',
          title: `Open ${hl.frame.file} at line ${hl.frame.line}`,
        })
      : null;
    replaceChildren(
      this.headline,
      h('p', { class: 'headline-step' }, 'Step ', h('code', {}, hl.step), ' failed'),
      h('p', { class: 'headline-error' }, hl.error),
      where || hl.detail ? h('p', { class: 'headline-where' }, where, where && hl.detail ? ' · ' : '', hl.detail ?? '') : null,
    );
  }

  private stepRow(s: PipelineStepView, i: number, selected: boolean): HTMLElement {
    const select = button(`${i + 1}. ${s.name}`, () => post({ type: 'action', action: { kind: 'selectStep', step: s.name } }), {
      class: 'link step-name',
      'aria-current': selected ? 'step' : undefined,
      title: s.type === 'parallel' ? 'Show this step’s run below' : 'Show this command’s output below',
    });
    const logs = button('Open Logs', () => post({ type: 'action', action: { kind: 'openStepLogs', step: s.name } }), {
      class: 'secondary small',
      disabled: !s.hasLogs,
      title: s.type === 'command' ? 'user_logs/std_log.txt' : 'The step’s logs folder',
    });
    const output = button('Open Output', () => post({ type: 'action', action: { kind: 'openStepOutput', step: s.name } }), {
      class: 'secondary small',
      disabled: !s.hasOutput,
      title: s.type === 'command' ? 'The step’s output folder' : 'The append_row file, or the step’s output folder',
    });
    return h(
      'li',
      { class: `step step-${s.status}${selected ? ' selected' : ''}` },
      h('span', { class: `step-icon icon-${s.status}`, 'aria-hidden': 'true' }),
      h(
        'span',
        { class: 'step-main' },
        select,
        h(
          'span',
          { class: 'step-facts' },
          ` ${s.type} · ${STATUS_TEXT[s.status]}${s.durationMs !== undefined && s.status !== 'reused' ? ` · ${formatDuration(s.durationMs)}` : ''}`,
        ),
        s.reason && s.status !== 'completed' ? h('span', { class: 'step-reason' }, s.reason) : null,
      ),
      h('span', { class: 'step-actions' }, logs, output),
    );
  }

  private renderCommand(s: PipelineStepView): void {
    const exit =
      s.exitCode !== undefined ? `exit code ${s.exitCode}` : s.status === 'running' ? 'running…' : STATUS_TEXT[s.status].toLowerCase();
    const log = h('pre', { class: 'log', 'aria-label': `Output of ${s.name}`, tabindex: 0 });
    appendTail(log, s.log);
    replaceChildren(
      this.command,
      h('h2', {}, `${s.name} `, h('span', { class: `exit-code${s.exitCode ? ' nonzero' : ''}` }, exit)),
      s.reason && s.status !== 'completed' ? h('p', { class: 'reason' }, s.reason) : null,
      log,
    );
    log.addEventListener('scroll', () => (this.logPinnedToEnd = log.scrollTop + log.clientHeight >= log.scrollHeight - 4));
    if (this.logPinnedToEnd) log.scrollTop = log.scrollHeight;
  }

  private renderNotes(notes: string[]): void {
    this.notes.hidden = notes.length === 0;
    if (notes.length === 0) return;
    const open = this.notes.open;
    replaceChildren(
      this.notes,
      h('summary', {}, `${notes.length} note${notes.length === 1 ? '' : 's'} on what the local run did differently from the cloud`),
      h('ul', {}, ...notes.map((n) => h('li', {}, n))),
    );
    this.notes.open = open;
  }
}

function appendTail(pre: HTMLElement, tail: LogTail | undefined): void {
  if (!tail || tail.lines.length === 0) {
    pre.append(h('span', { class: 'dropped' }, 'No output yet.'));
    return;
  }
  if (tail.dropped > 0) pre.append(h('span', { class: 'dropped' }, `… ${tail.dropped} earlier line(s) in the log file\n`));
  for (const line of tail.lines) pre.append(h('span', { class: line.stream }, `${line.text}${line.open ? '' : '\n'}`));
}
