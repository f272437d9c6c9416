/** The append_row output, one page of 100 rows at a time, asked of the host (which never loads it whole). */
import type { HostMessage, ResultsPage, ResultsStatus } from '../../shared/protocol';
import { button, h, replaceChildren } from '../dom';
import { formatCount, plural, shortPath } from '../format';
import { post } from '../vscode-api';

export type ResultsMessage = Extract<HostMessage, { type: 'resultsPage' | 'resultsStatus' }>;

export class ResultsView {
  readonly element: HTMLElement;
  private readonly file = h('p', { class: 'meta', hidden: true });
  private readonly status = h('p', { class: 'empty', role: 'status' });
  private readonly head = h('thead');
  private readonly body = h('tbody');
  private readonly table = h('table', { class: 'results', 'aria-labelledby': 'results-heading' }, this.head, this.body);
  private readonly scroll = h('div', { class: 'table-scroll', hidden: true }, this.table);
  private readonly pageLabel = h('span', { class: 'page-label', 'aria-live': 'polite' });
  private readonly first = button('First', () => this.request(0), { class: 'secondary small', 'aria-label': 'First page' });
  private readonly prev = button('Previous', () => this.request((this.page?.page ?? 1) - 1), {
    class: 'secondary small',
    'aria-label': 'Previous page',
  });
  private readonly next = button('Next', () => this.request((this.page?.page ?? -1) + 1), {
    class: 'secondary small',
    'aria-label': 'Next page',
  });
  private readonly last = button('Last', () => this.request((this.page?.pageCount ?? 1) - 1), {
    class: 'secondary small',
    'aria-label': 'Last page',
  });
  private readonly layoutToggle = button('', () => this.toggleLayout(), { class: 'secondary small' });
  private readonly pager = h(
    'nav',
    { class: 'pager', 'aria-label': 'Results pages', hidden: true },
    this.first,
    this.prev,
    this.pageLabel,
    this.next,
    this.last,
  );
  private page?: ResultsPage;
  /** The workspace folder: the file is shown relative to it. */
  root?: string;

  constructor() {
    this.element = h(
      'section',
      { class: 'results-section', 'aria-labelledby': 'results-heading' },
      h('h2', { id: 'results-heading' }, 'Results'),
      h('div', { class: 'results-meta' }, this.file, this.layoutToggle),
      this.status,
      this.scroll,
      this.pager,
    );
    this.show({ type: 'resultsStatus', status: { kind: 'waiting' } });
  }

  show(message: ResultsMessage): void {
    if (message.type === 'resultsStatus') this.showStatus(message.status);
    else this.showPage(message.page);
  }

  private showStatus(status: ResultsStatus): void {
    // While a page loads, the current one stays (the pager says what is coming).
    if (status.kind === 'loading' && this.page) {
      this.pageLabel.textContent = 'Loading…';
      return;
    }
    this.page = undefined;
    this.scroll.hidden = true;
    this.pager.hidden = true;
    this.file.hidden = status.kind !== 'loading';
    this.layoutToggle.hidden = true;
    if (status.kind === 'loading') this.file.textContent = status.file;
    this.status.hidden = false;
    this.status.classList.toggle('error-text', status.kind === 'error');
    this.status.textContent =
      status.kind === 'waiting'
        ? 'The append_row output is assembled when the run ends; its rows show here then.'
        : status.kind === 'loading'
          ? 'Reading the output file…'
          : status.message;
  }

  private showPage(page: ResultsPage): void {
    this.page = page;
    this.file.hidden = false;
    replaceChildren(
      this.file,
      h('code', { title: page.file }, shortPath(page.file, this.root)),
      ` · ${plural(page.totalRows, 'row')}`,
      page.layout === 'lines' ? ' (list output: one line per row)' : '',
    );
    // The file does not say whether run() returned lists or DataFrames: the user can correct the guess.
    this.layoutToggle.hidden = page.totalRows === 0;
    this.layoutToggle.textContent = page.layout === 'lines' ? 'Split into Columns' : 'Show Whole Lines';
    if (page.totalRows === 0) {
      this.status.hidden = false;
      this.status.textContent = 'The output file is empty: no mini-batch returned rows.';
      this.scroll.hidden = true;
      this.pager.hidden = true;
      return;
    }
    this.status.hidden = true;
    this.scroll.hidden = false;
    this.scroll.scrollTop = 0;
    replaceChildren(
      this.head,
      h('tr', {}, h('th', { scope: 'col', class: 'row-number' }, '#'), ...page.columns.map((c) => h('th', { scope: 'col' }, c))),
    );
    const rows = page.rows.map((cells, i) =>
      h(
        'tr',
        {},
        h('th', { scope: 'row', class: 'row-number' }, formatCount(page.firstRow + i + 1)),
        ...page.columns.map((_, c) => h('td', {}, cells[c] ?? '')),
        // A row with more fields than columns: shown, not dropped.
        ...cells.slice(page.columns.length).map((extra) => h('td', { class: 'extra' }, extra)),
      ),
    );
    replaceChildren(this.body, ...rows);
    this.pager.hidden = page.pageCount <= 1;
    this.pageLabel.textContent = `Page ${formatCount(page.page + 1)} of ${formatCount(page.pageCount)}`;
    this.first.disabled = this.prev.disabled = page.page === 0;
    this.next.disabled = this.last.disabled = page.page >= page.pageCount - 1;
  }

  private toggleLayout(): void {
    if (this.page) post({ type: 'requestResultsPage', page: 0, layout: this.page.layout === 'lines' ? 'table' : 'lines' });
  }

  private request(page: number): void {
    if (!this.page || page < 0 || page >= this.page.pageCount || page === this.page.page) return;
    post({ type: 'requestResultsPage', page });
  }
}
