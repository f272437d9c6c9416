/**
 * Failed attempts: mini-batch, attempt, worker, reason, items, error; the traceback opens below, each
 * `File "…", line N` a button that opens the editor there; every row offers "Debug this mini-batch".
 */
import type { FailureReason, FailureView } from '../../vscode/panel/protocol';
import { tracebackLocations } from '../../vscode/panel/panel-state';
import { button, h, type Child } from '../dom';
import { plural } from '../format';
import { post } from '../vscode-api';

const REASONS: Record<FailureReason, string> = {
  exception: 'exception',
  return_type: 'wrong return type',
  timeout: 'timeout',
  crash: 'worker crashed',
  short_return: 'too few results',
};

export class FailuresView {
  readonly element: HTMLElement;
  private readonly heading = h('h2', { id: 'failures-heading' }, 'Failures');
  private readonly empty = h('p', { class: 'empty' }, 'No failures.');
  private readonly body = h('tbody');
  private readonly table = h(
    'table',
    { class: 'failures', 'aria-labelledby': 'failures-heading' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['Mini-batch', 'Last attempt', 'Worker', 'Reason', 'Items', 'Error'].map((c) => h('th', { scope: 'col' }, c)),
        h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')),
      ),
    ),
    this.body,
  );
  private readonly scroll = h('div', { class: 'table-scroll', hidden: true }, this.table);
  private readonly omitted = h('p', { class: 'note', hidden: true });
  /** One row per mini-batch, showing its latest failed attempt. */
  private readonly rows = new Map<number, { row: HTMLTableRowElement; index: number }>();
  private attempts = 0;
  private omittedAttempts = 0;

  /** `expanded` holds the keys of open details (`<mini-batch>:traceback`, `…:items`); toggling calls `onToggle`. */
  constructor(
    private readonly expanded: Set<string>,
    private readonly onToggle: () => void,
  ) {
    this.element = h('section', { class: 'failures-section', 'aria-labelledby': 'failures-heading' }, this.heading, this.empty, this.scroll, this.omitted);
  }

  reset(failures: FailureView[], omitted: number): void {
    this.body.replaceChildren();
    this.rows.clear();
    this.attempts = 0;
    this.add(failures);
    this.setOmitted(omitted);
  }

  /** Adds failed attempts in the order they happened: a later attempt of a mini-batch replaces its row. */
  add(failures: FailureView[]): void {
    for (const f of failures) {
      const row = this.row(f);
      const existing = this.rows.get(f.index);
      if (existing) existing.row.replaceWith(row);
      else {
        const after = [...this.rows.values()].filter((r) => r.index > f.index).sort((a, b) => a.index - b.index)[0];
        this.body.insertBefore(row, after?.row ?? null);
      }
      this.rows.set(f.index, { row, index: f.index });
    }
    this.attempts += failures.length;
    this.renderCounts();
  }

  setOmitted(omitted: number): void {
    this.omittedAttempts = omitted;
    this.omitted.hidden = omitted === 0;
    this.omitted.textContent = `${plural(omitted, 'more failed attempt')} not shown: see logs/job_error.txt.`;
    this.renderCounts();
  }

  private renderCounts(): void {
    const batches = this.rows.size;
    const attempts = this.attempts + this.omittedAttempts;
    this.scroll.hidden = batches === 0;
    this.empty.hidden = batches > 0;
    this.heading.textContent = batches === 0 ? 'Failures' : `Failures: ${plural(batches, 'mini-batch', 'mini-batches')}, ${plural(attempts, 'attempt')}`;
  }

  private row(f: FailureView): HTMLTableRowElement {
    const key = String(f.index);
    const attempt = h('td', {}, String(f.attempt), f.final ? h('span', { class: 'tag final' }, 'final') : h('span', { class: 'tag' }, 'retried'));
    const items = f.itemCount === 0 ? '—' : this.details(`${key}:items`, plural(f.itemCount, 'item'), itemList(f));
    const firstLine = f.error.message.split('\n', 1)[0];
    const error = h(
      'div',
      { class: 'error' },
      h('span', { class: 'error-type' }, f.error.type),
      firstLine ? `: ${firstLine}` : '',
      f.error.traceback || f.error.frames?.length ? this.details(`${key}:traceback`, 'Traceback', traceback(f)) : null,
    );
    const debug = button('Debug this mini-batch', () => post({ type: 'action', action: { kind: 'debugMiniBatch', index: f.index } }), {
      class: 'secondary small',
      title: `Debug this mini-batch: replay mini-batch ${f.index}'s items in one worker under the debugger`,
      'aria-label': `Debug mini-batch ${f.index}`,
    });
    return h(
      'tr',
      { class: f.final ? 'final' : 'retried' },
      h('th', { scope: 'row' }, String(f.index)),
      attempt,
      h('td', {}, h('code', {}, f.worker)),
      h('td', {}, REASONS[f.reason] ?? f.reason),
      h('td', {}, items),
      h('td', {}, error),
      h('td', {}, debug),
    );
  }

  private details(key: string, label: string, content: Child): HTMLDetailsElement {
    const d = h('details', { open: this.expanded.has(key) }, h('summary', {}, label), content);
    d.addEventListener('toggle', () => {
      if (d.open) this.expanded.add(key);
      else this.expanded.delete(key);
      this.onToggle();
    });
    return d;
  }
}

function itemList(f: FailureView): HTMLElement {
  const list = h('ul', { class: 'items' }, ...f.items.map((item) => h('li', {}, h('code', {}, item))));
  if (f.itemCount > f.items.length) list.appendChild(h('li', { class: 'note' }, `and ${plural(f.itemCount - f.items.length, 'more')}`));
  return list;
}

/** The traceback's text with every `File "…", line N` as a button; the frames alone when there is no text. */
function traceback(f: FailureView): HTMLElement {
  const pre = h('pre', { class: 'traceback' });
  const text = f.error.traceback;
  if (text) {
    let at = 0;
    for (const loc of tracebackLocations(text)) {
      pre.append(text.slice(at, loc.start), openFile(text.slice(loc.start, loc.end), loc.file, loc.line));
      at = loc.end;
    }
    pre.append(text.slice(at));
    return pre;
  }
  for (const frame of f.error.frames ?? []) {
    pre.append(openFile(`${frame.file}:${frame.line}`, frame.file, frame.line), ` in ${frame.function}\n`);
  }
  pre.append(`${f.error.type}: ${f.error.message}`);
  return pre;
}

function openFile(label: string, file: string, line: number): HTMLButtonElement {
  return button(label, () => post({ type: 'action', action: { kind: 'openFile', file, line } }), {
    class: 'link',
    title: `Open ${file} at line ${line}`,
  });
}
