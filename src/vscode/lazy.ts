/**
 * Everything the extension needs only once the user runs something: the engine, the spec reader, the run
 * panel, the spec writer. esbuild.mjs bundles this file on its own (dist/lazy.js) and turns `import('./lazy')`
 * in the main bundle into a require of it, so activation never parses or evaluates any of it.
 * Load it through `lazy()` (./load.ts), never with a static import.
 */
export * as local from '../core/local';
export * as spec from '../core/spec';
export { findSpecsForEntryScript } from '../core/workspace/find-spec';
export { specFileFor, writeSpec } from '../core/scaffold/spec-writer';
export { renderEntryScript, entryScriptNameProblem } from '../core/scaffold/templates';
export { RunPanel } from './panel/run-panel';
export * as model from './model/commands';
export { migrateFile } from '../core/scaffold/migrate';
export { pipelineShape, findPipelineSpecs } from '../core/workspace/pipeline-yaml-shape';
export { launchPipeline, showLivePipeline, type PipelineHost } from './run/launch-pipeline';
export { showPastPipeline } from './run/pipeline-panel-link';
export { submitToAzure } from './azure/submit/submit-command';
export { CloudJobs, setCloudFollower } from './azure/submit/cloud-jobs';
