/** core/spec: read `az ml` v2 YAML with `type: parallel` nodes into ParallelJobs, with ranged diagnostics. */
export { loadSpec, checkSpecText, checkSpecTextAsync, type SpecReadOptions, type AsyncSpecReadOptions, type SpecCheck } from './load';
export { parseSizeString } from './size';
export { splitArguments, parseDriverArguments, defaultDriverArguments, DRIVER_OPTION_NAMES } from './arguments';
export { bindOutputs, findBindings, wholeBinding, type BindingTarget } from './bindings';
export { entryScriptPath } from './task';
export { FIELD_DOCS, PIPELINE_FIELD_DOCS, fieldDocFor, type FieldDoc } from './fields';
export * from './types';
