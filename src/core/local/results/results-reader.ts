/** Pages of one append_row output as rows of cells, indexed once and re-indexed if the file changes. */
import type { AppendRowDialect } from './dialect';
import { detectLayout, type ResultsLayout } from './layout';
import { indexLines, isIndexCurrent, readPage, type LineIndex } from './line-index';
import { parseRow } from './parse-row';
import type { ResultsPage } from '../../../shared/results-page';

export const RESULTS_PAGE_SIZE = 100;

export class ResultsReader {
  private opened?: Promise<{ layout: ResultsLayout; index: LineIndex }>;

  /**
   * `layout` forces a layout (the user chose one); otherwise it is guessed, leaning to a table when
   * `preferTable` (the run's input was tabular).
   */
  constructor(
    readonly file: string,
    private readonly dialect: AppendRowDialect,
    private readonly options: { layout?: ResultsLayout['kind']; preferTable?: boolean; columns?: string[]; pageSize?: number } = {},
  ) {}

  private get pageSize(): number {
    return this.options.pageSize ?? RESULTS_PAGE_SIZE;
  }

  /** Page `page` (clamped into range); the first call scans the file once. */
  async page(page: number): Promise<ResultsPage> {
    let { layout, index } = await this.open();
    if (!(await isIndexCurrent(index))) {
      this.opened = undefined;
      ({ layout, index } = await this.open());
    }
    const pageCount = Math.max(1, Math.ceil(index.totalRows / this.pageSize));
    const clamped = Math.min(Math.max(0, Math.floor(page)), pageCount - 1);
    const records = await readPage(this.file, index, clamped, this.pageSize);
    const rows =
      layout.kind === 'table' ? records.map((r) => parseRow(r, this.dialect.sep, this.dialect.quoteChar)) : records.map((r) => [r]);
    return {
      file: this.file,
      layout: layout.kind,
      columns: layout.columns,
      rows,
      page: clamped,
      pageCount,
      totalRows: index.totalRows,
      firstRow: clamped * this.pageSize,
    };
  }

  private open(): Promise<{ layout: ResultsLayout; index: LineIndex }> {
    if (this.opened) return this.opened;
    const opening = (async () => {
      const layout = await detectLayout(this.file, this.dialect, {
        force: this.options.layout,
        preferTable: this.options.preferTable,
        columns: this.options.columns,
      });
      const index =
        layout.kind === 'table'
          ? await indexLines(this.file, { quoteChar: this.dialect.quoteChar, start: layout.start, every: this.pageSize })
          : await indexLines(this.file, { every: this.pageSize });
      return { layout, index };
    })();
    this.opened = opening;
    // A failed scan is not kept: the next request tries again.
    opening.catch(() => {
      if (this.opened === opening) this.opened = undefined;
    });
    return opening;
  }
}
