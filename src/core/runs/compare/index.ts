/** Comparing two append_row outputs (a cloud job's with a local run's), row by row. */
export {
  compareResults,
  normaliseCell,
  splitListRow,
  type Comparison,
  type CompareOptions,
  type ResultsSource,
  type RowDifference,
} from './compare';
export { latestLocalResults, localResultsIn, type LocalResults } from './local-side';
export { comparisonHeadline, comparisonMarkdown, comparisonText, sameResults } from './report';
