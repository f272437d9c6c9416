/** Command ids of the Azure ML view and of the tree framework's rows (package.json contributes them). */
export const AZURE_COMMAND = {
  signIn: 'parallelRun.azure.signIn',
  selectWorkspace: 'parallelRun.azure.selectWorkspace',
  refresh: 'parallelRun.azure.refresh',
  downloadResults: 'parallelRun.azure.downloadResults',
  compareWithLocal: 'parallelRun.azure.compareWithLocal',
  resubmitWith: 'parallelRun.azure.resubmitWith',
} as const;
