/** Command ids, as package.json contributes them. */
export const COMMAND = {
  runLocally: 'parallelRun.runLocally',
  debugLocally: 'parallelRun.debugLocally',
  runPipelineLocally: 'parallelRun.runPipelineLocally',
  runStepLocally: 'parallelRun.runStepLocally',
  debugMiniBatch: 'parallelRun.debugMiniBatch',
  rerun: 'parallelRun.rerun',
  cancelRun: 'parallelRun.cancelRun',
  openRun: 'parallelRun.openRun',
  deleteRun: 'parallelRun.deleteRun',
  revealLogs: 'parallelRun.revealLogs',
  refreshLocalRuns: 'parallelRun.refreshLocalRuns',
  showOutput: 'parallelRun.showOutput',
  openDigitsSample: 'parallelRun.openDigitsSample',
} as const;
