/** Command ids of the Azure ML view and of the tree framework's rows (package.json contributes them). */
export const AZURE_COMMAND = {
  signIn: 'parallelRun.azure.signIn',
  selectWorkspace: 'parallelRun.azure.selectWorkspace',
  refresh: 'parallelRun.azure.refresh',
  createCluster: 'parallelRun.azure.createCluster',
  resizeCluster: 'parallelRun.azure.resizeCluster',
  deleteCompute: 'parallelRun.azure.deleteCompute',
  registerDatastore: 'parallelRun.azure.registerDatastore',
  setDefaultDatastore: 'parallelRun.azure.setDefaultDatastore',
  createDataAsset: 'parallelRun.azure.createDataAsset',
  registerModel: 'parallelRun.azure.registerModel',
  downloadModel: 'parallelRun.azure.downloadModel',
  copyId: 'parallelRun.azure.copyId',
  copyReference: 'parallelRun.azure.copyReference',
  copyUri: 'parallelRun.azure.copyUri',
  openInStudio: 'parallelRun.azure.openInStudio',
} as const;

/** The actions run on a row of the Azure ML tree (src/vscode/azure/actions/run.ts). */
export type AzureActionId = Exclude<keyof typeof AZURE_COMMAND, 'signIn' | 'selectWorkspace' | 'refresh'>;
export const AZURE_ACTIONS: AzureActionId[] = [
  'createCluster',
  'resizeCluster',
  'deleteCompute',
  'registerDatastore',
  'setDefaultDatastore',
  'createDataAsset',
  'registerModel',
  'downloadModel',
  'copyId',
  'copyReference',
  'copyUri',
  'openInStudio',
];
