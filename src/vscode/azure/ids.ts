/** Command ids of the Azure ML view and of the tree framework's rows (package.json contributes them). */
export const AZURE_COMMAND = {
  signIn: 'parallelRun.azure.signIn',
  selectWorkspace: 'parallelRun.azure.selectWorkspace',
  refresh: 'parallelRun.azure.refresh',
  submit: 'parallelRun.azure.submit',
  submitToCompute: 'parallelRun.azure.submitToCompute',
  submitAgain: 'parallelRun.azure.submitAgain',
  cancelJob: 'parallelRun.azure.cancelJob',
} as const;
