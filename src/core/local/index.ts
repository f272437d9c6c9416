/** The local engine: run a parallel node on this machine exactly as Azure ML's driver would. */
export { runLocal, defaultRunDir, type RunLocalOptions } from './run-local';
export { resolvePython, workerPackageDir, detectGpus } from './environment';
export { progressLine } from './logs/run-logs';
export { describeItems } from './items';
export { locationLines, userFrame } from './failure-location';
export { EXCEEDED, NO_SUCCEEDED_ITEM, thresholdBreach, finalVerdict, explainShortReturns } from './thresholds';
export type * from './types';
export type { MiniBatch, MiniBatchData, SampleOptions } from './partition/types';
