/** Reading the append_row output for people: its dialect, its layout, and pages of it from a streamed index. */
export { type AppendRowDialect, type RunOutputFormat, DEFAULT_DIALECT, dialectFromToCsv, readRunOutputFormat } from './dialect';
export { parseRow, splitRecord, type SplitRecord } from './parse-row';
export { indexLines, readPage, isIndexCurrent, type LineIndex, type IndexOptions, type PageOptions } from './line-index';
export { detectLayout, type ResultsLayout, type DetectOptions } from './layout';
export { ResultsReader, RESULTS_PAGE_SIZE } from './results-reader';
export type { ResultsPage } from '../../../shared/results-page';
