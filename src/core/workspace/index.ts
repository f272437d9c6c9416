/** core/workspace: finding things in a user's folders: entry scripts, parallel specs, local runs. */
export { entryScriptRunLine } from './entry-script-shape';
export { parallelNodeLines, mentionsParallelNode, type ParallelNodeLine } from './parallel-yaml-shape';
export { readRunSummary, countsText, countsDetail, durationText, SUMMARY_FILE } from './local-runs';
export { readLocalRun, listLocalRuns, type LocalRun } from './local-runs';
export { pipelineShape, findPipelineSpecs, type PipelineShape, type PipelineStepLine } from './pipeline-yaml-shape';
