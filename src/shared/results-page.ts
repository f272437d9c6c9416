/** What a page of the append_row output looks like to its readers (the run panel's page among them). */

export interface ResultsPage {
  file: string;
  /** `table`: DataFrame rows split into columns; `lines`: list elements, one `row` column. */
  layout: 'table' | 'lines';
  columns: string[];
  rows: string[][];
  /** 0-based; clamped to the last page. */
  page: number;
  pageCount: number;
  totalRows: number;
  /** 0-based number of the first row on this page, for row numbers. */
  firstRow: number;
}
