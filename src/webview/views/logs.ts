/** The last lines each worker printed (stdout, stderr, EntryScript logger), one worker at a time. */
import type { LogTail, WorkerView } from '../../shared/protocol';
import { h, replaceChildren } from '../dom';
import { formatCount } from '../format';

export class LogsView {
  readonly element: HTMLElement;
  private readonly select = h('select', { id: 'worker-select' });
  private readonly workerState = h('span', { class: 'meta' });
  private readonly pre = h('pre', { class: 'log', tabindex: 0, 'aria-label': 'Worker output' });
  private readonly empty = h('p', { class: 'empty' }, 'No worker has started yet.');
  private workers: WorkerView[] = [];
  private logs: Record<string, LogTail> = {};

  constructor(
    private selected: string | undefined,
    private readonly onSelect: (worker: string) => void,
  ) {
    this.element = h(
      'section',
      { class: 'logs-section', 'aria-labelledby': 'logs-heading' },
      h('h2', { id: 'logs-heading' }, 'Worker output'),
      this.empty,
      h('div', { class: 'log-controls' }, h('label', { for: 'worker-select' }, 'Worker '), this.select, this.workerState),
      this.pre,
    );
    this.select.addEventListener('change', () => {
      this.selected = this.select.value;
      this.onSelect(this.selected);
      this.renderLog(true);
      this.renderWorkerState();
    });
  }

  /** Shows `workers` and their tails; `changed` names the workers whose tail changed (all when undefined). */
  render(workers: WorkerView[], logs: Record<string, LogTail>, changed?: Set<string>): void {
    this.workers = workers;
    this.logs = logs;
    const names = [...new Set([...workers.map((w) => w.name), ...Object.keys(logs)])].sort();
    if (!this.selected || !names.includes(this.selected)) this.selected = names[0];
    const options = names.map((name) => h('option', { value: name, selected: name === this.selected }, name));
    if (this.select.options.length !== names.length || names.some((n, i) => this.select.options[i]?.value !== n)) {
      replaceChildren(this.select, ...options);
    }
    this.select.value = this.selected ?? '';
    const none = names.length === 0;
    this.empty.hidden = !none;
    this.select.parentElement!.hidden = none;
    this.pre.hidden = none;
    this.renderWorkerState();
    if (!changed || (this.selected && changed.has(this.selected))) this.renderLog(!changed);
  }

  private renderWorkerState(): void {
    const w = this.workers.find((x) => x.name === this.selected);
    if (!w) {
      this.workerState.textContent = '';
      return;
    }
    const parts = [w.state.replace('_', ' ')];
    if (w.pid) parts.push(`pid ${w.pid}`);
    if (w.busyWith !== undefined) parts.push(`running mini-batch ${w.busyWith}`);
    if (w.detail) parts.push(w.detail);
    this.workerState.textContent = ` ${parts.join(' · ')}`;
  }

  private renderLog(jumpToEnd: boolean): void {
    const tail = this.selected ? this.logs[this.selected] : undefined;
    const pre = this.pre;
    // Follow the output only when the reader is at its end already.
    const atEnd = jumpToEnd || pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
    const lines = tail?.lines ?? [];
    replaceChildren(
      pre,
      tail && tail.dropped > 0 ? h('span', { class: 'dropped' }, `… ${formatCount(tail.dropped)} earlier lines in logs/user/\n`) : null,
      ...lines.map((l) => h('span', { class: `line ${l.stream}` }, `${l.text}\n`)),
      lines.length === 0 ? h('span', { class: 'dropped' }, 'No output yet.') : null,
    );
    if (atEnd) pre.scrollTop = pre.scrollHeight;
  }
}
