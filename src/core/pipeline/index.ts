/** core/pipeline: whole pipelines on this machine — node order, command nodes, output binding. */
export { runPipeline, PipelineInputError, type RunPipelineOptions } from './run-pipeline';
export { runOrder, dependantsOf } from './graph';
export { bindCommand } from './command-line';
export { readPipelineSummary, pipelineRunsOf, latestNodeRun } from './earlier-runs';
export { createFreshFolder, ignoreRunsRoot, occupiedRunFolder, runsFolder } from './run-folder';
export type * from './types';
