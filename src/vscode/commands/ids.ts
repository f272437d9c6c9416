import { commandTable, RUNS_WORKSPACE_CODE } from './declare';

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

/** The run commands as commands/index.ts registers them. */
export const RUN_COMMANDS = commandTable(COMMAND, {
  runLocally: { title: 'Run locally', trust: RUNS_WORKSPACE_CODE },
  debugLocally: { title: 'Debug locally', trust: RUNS_WORKSPACE_CODE },
  runPipelineLocally: { title: 'Run Pipeline Locally', trust: RUNS_WORKSPACE_CODE },
  runStepLocally: { title: 'Run Step Locally', trust: RUNS_WORKSPACE_CODE },
  debugMiniBatch: { title: 'Debug this mini-batch', trust: RUNS_WORKSPACE_CODE },
  rerun: { title: 'Rerun', trust: RUNS_WORKSPACE_CODE },
  cancelRun: { title: 'Cancel the run' },
  openRun: { title: 'Open the run' },
  deleteRun: { title: 'Delete the run' },
  revealLogs: { title: 'Reveal the logs' },
  refreshLocalRuns: { title: 'Refresh Local Runs' },
  showOutput: { title: 'Show the output' },
  openDigitsSample: { title: 'Open the Digits Sample' },
});
