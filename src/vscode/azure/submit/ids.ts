import { RUNS_WORKSPACE_CODE, commandTable } from '../../commands/declare';

/** Command ids of submitting to Azure ML and of the jobs it follows (package.json contributes them). */
export const SUBMIT_COMMAND = {
  submit: 'parallelRun.azure.submit',
  submitToCompute: 'parallelRun.azure.submitToCompute',
  submitAgain: 'parallelRun.azure.submitAgain',
  cancelJob: 'parallelRun.azure.cancelJob',
} as const;

const UPLOADS_WORKSPACE_CODE = `Submitting uploads this workspace's code to Azure ML to run there. ${RUNS_WORKSPACE_CODE}`;

export const SUBMIT_COMMANDS = commandTable(SUBMIT_COMMAND, {
  submit: { title: 'Submit to Azure ML', trust: UPLOADS_WORKSPACE_CODE },
  submitToCompute: { title: 'Submit a Job Here', trust: UPLOADS_WORKSPACE_CODE },
  submitAgain: { title: 'Submit Again', trust: UPLOADS_WORKSPACE_CODE },
  cancelJob: { title: 'Cancel Job' },
});
