/**
 * Failures laid out for a narrow column: one card per distinct error (type, message, the user's `file:line`),
 * with the mini-batches and items it hit, its traceback full width (each `File "…", line N` a link that opens
 * the editor there, paths relative to the workspace), and "Debug this mini-batch" for each mini-batch.
 */
import { groupFailures, type ErrorGroup } from '../../shared/headline';
import type { FailureReason, FailureView, RunHeader } from '../../shared/protocol';
import { tracebackLocations } from '../../shared/panel-state';
import { button, h, type Child } from '../dom';
import { plural, shortPath } from '../format';
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
  private readonly cards = h('div', { class: 'error-cards' });
  private readonly omitted = h('p', { class: 'note', hidden: true });
  private failures: FailureView[] = [];
  private omittedAttempts = 0;
  private run?: RunHeader;

  /** `expanded` holds the keys of open details (`<group>:traceback`, `<group>:batches`); toggling calls `onToggle`. */
  constructor(
    private readonly expanded: Set<string>,
    private readonly onToggle: () => void,
  ) {
    this.element = h(
      'section',
      { class: 'failures-section', 'aria-labelledby': 'failures-heading' },
      this.heading,
      this.empty,
      this.cards,
      this.omitted,
    );
  }

  /** Where the run's files are: paths are shown relative to the workspace. */
  setRun(run: RunHeader): void {
    const changed = run.root !== this.run?.root || run.codeDir !== this.run?.codeDir;
    this.run = run;
    if (changed) this.render();
  }

  reset(failures: FailureView[], omitted: number): void {
    this.failures = [...failures];
    this.omittedAttempts = omitted;
    this.render();
  }

  /** Adds failed attempts in the order they happened. */
  add(failures: FailureView[]): void {
    this.failures.push(...failures);
    this.render();
  }

  setOmitted(omitted: number): void {
    this.omittedAttempts = omitted;
    this.render();
  }

  get all(): readonly FailureView[] {
    return this.failures;
  }

  private render(): void {
    const groups = groupFailures(this.failures, { codeDir: this.run?.codeDir, root: this.run?.root });
    const batches = new Set(this.failures.map((f) => f.index)).size;
    const attempts = this.failures.length + this.omittedAttempts;
    this.empty.hidden = batches > 0;
    this.heading.textContent =
      batches === 0
        ? 'Failures'
        : `Failures: ${plural(groups.length, 'error')} in ${plural(batches, 'mini-batch', 'mini-batches')}, ${plural(attempts, 'attempt')}`;
    this.cards.replaceChildren(...groups.map((g, i) => this.card(g, i)));
    this.omitted.hidden = this.omittedAttempts === 0;
    this.omitted.textContent = `${plural(this.omittedAttempts, 'more failed attempt')} not shown: see logs/job_error.txt.`;
  }

  private card(g: ErrorGroup<FailureView>, position: number): HTMLElement {
    const root = this.run?.root;
    const key = g.key;
    const where = g.frame
      ? h(
          'p',
          { class: 'card-where' },
          'at ',
          openFile(`${shortPath(g.frame.file, root)}:${g.frame.line}`, g.frame.file, g.frame.line),
          g.frame.function ? ` in ${g.frame.function}` : '',
        )
      : null;
    const hit =
      g.miniBatches.length > 0
        ? `${plural(g.miniBatches.length, 'mini-batch', 'mini-batches')} (${listIndexes(g.miniBatches)})`
        : 'retried, no mini-batch lost yet';
    const facts = [hit, g.items > 0 ? plural(g.items, 'item') : '', plural(g.attempts, 'attempt'), REASONS[g.reason] ?? g.reason]
      .filter(Boolean)
      .join(' · ');
    const latest = g.latest;
    const hasTraceback = !!latest.error.traceback || (latest.error.frames?.length ?? 0) > 0;
    return h(
      'article',
      { class: `error-card${g.final ? ' final' : ' retrying'}`, 'aria-label': `Error ${position + 1}: ${g.type}` },
      h('p', { class: 'card-error' }, h('span', { class: 'error-type' }, g.type), g.message ? `: ${g.message}` : ''),
      fullMessage(latest),
      where,
      h('p', { class: 'card-facts' }, facts),
      hasTraceback ? this.details(`${key}:traceback`, 'Traceback', traceback(latest, root), position === 0) : null,
      this.details(`${key}:batches`, `Mini-batches and items (${g.failures.length})`, batchList(g.failures, root)),
    );
  }

  private details(key: string, label: string, content: Child, openByDefault = false): HTMLDetailsElement {
    const open = this.expanded.has(key) || (openByDefault && !this.expanded.has(`${key}:closed`));
    const d = h('details', { open }, h('summary', {}, label), content);
    d.addEventListener('toggle', () => {
      this.expanded.delete(key);
      this.expanded.delete(`${key}:closed`);
      if (d.open && !openByDefault) this.expanded.add(key);
      if (!d.open && openByDefault) this.expanded.add(`${key}:closed`);
      this.onToggle();
    });
    return d;
  }
}

/** The rest of a multi-line message (the first line is the card's title). */
function fullMessage(f: FailureView): HTMLElement | null {
  const rest = f.error.message.split('\n').slice(1).join('\n').trim();
  return rest ? h('pre', { class: 'card-message' }, rest) : null;
}

function batchList(failures: FailureView[], root: string | undefined): HTMLElement {
  return h(
    'ul',
    { class: 'batches' },
    ...failures.map((f) => {
      const items = h('ul', { class: 'items' }, ...f.items.map((item) => h('li', {}, h('code', { title: item }, shortPath(item, root)))));
      if (f.itemCount > f.items.length)
        items.appendChild(h('li', { class: 'note' }, `and ${plural(f.itemCount - f.items.length, 'more')}`));
      const debug = button('Debug This Mini-Batch', () => post({ type: 'action', action: { kind: 'debugMiniBatch', index: f.index } }), {
        class: 'secondary small',
        title: `Replay mini-batch ${f.index}'s items in one worker under the debugger`,
        'aria-label': `Debug mini-batch ${f.index}`,
      });
      return h(
        'li',
        { class: 'batch' },
        h(
          'div',
          { class: 'batch-row' },
          h(
            'span',
            {},
            h('strong', {}, `Mini-batch ${f.index}`),
            ` · attempt ${f.attempt}`,
            f.final ? h('span', { class: 'tag final' }, 'final') : h('span', { class: 'tag' }, 'retrying'),
            ' · ',
            h('code', {}, f.worker),
            ` · ${plural(f.failedItems ?? f.itemCount, 'item')} failed`,
          ),
          debug,
        ),
        f.items.length > 0 ? items : null,
      );
    }),
  );
}

/** The traceback's text with every `File "…", line N` as a link (relative path, full path on hover). */
function traceback(f: FailureView, root: string | undefined): HTMLElement {
  const pre = h('pre', { class: 'traceback' });
  const text = f.error.traceback;
  if (text) {
    let at = 0;
    for (const loc of tracebackLocations(text)) {
      pre.append(text.slice(at, loc.start), openFile(`File "${shortPath(loc.file, root)}", line ${loc.line}`, loc.file, loc.line));
      at = loc.end;
    }
    pre.append(text.slice(at));
    return pre;
  }
  for (const frame of f.error.frames ?? []) {
    pre.append(openFile(`${shortPath(frame.file, root)}:${frame.line}`, frame.file, frame.line), ` in ${frame.function}\n`);
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

/** `0, 1, 4–7`. */
function listIndexes(indexes: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < indexes.length; i++) {
    let j = i;
    while (j + 1 < indexes.length && indexes[j + 1] === indexes[j] + 1) j++;
    parts.push(j - i >= 2 ? `${indexes[i]}–${indexes[j]}` : j > i ? `${indexes[i]}, ${indexes[j]}` : String(indexes[i]));
    i = j;
  }
  return parts.length > 8 ? `${parts.slice(0, 8).join(', ')}, …` : parts.join(', ');
}
