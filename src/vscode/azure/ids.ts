import { commandTable } from '../commands/declare';

/** Command ids of the Azure ML view (package.json contributes them; the tree framework's rows: tree/framework/ids.ts). */
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
  downloadResults: 'parallelRun.azure.downloadResults',
  compareWithLocal: 'parallelRun.azure.compareWithLocal',
  resubmitWith: 'parallelRun.azure.resubmitWith',
} as const;

export const AZURE_COMMANDS = commandTable(AZURE_COMMAND, {
  signIn: { title: 'Sign in to Azure' },
  selectWorkspace: { title: 'Select an Azure ML workspace' },
  refresh: { title: 'Refresh the Azure ML view' },
  createCluster: { title: 'Create compute cluster' },
  resizeCluster: { title: 'Resize compute cluster' },
  deleteCompute: { title: 'Delete compute' },
  registerDatastore: { title: 'Register blob datastore' },
  setDefaultDatastore: { title: 'Set default datastore' },
  createDataAsset: { title: 'Create data asset' },
  registerModel: { title: 'Register model' },
  downloadModel: { title: 'Download model' },
  copyId: { title: 'Copy ID' },
  copyReference: { title: 'Copy azureml: reference' },
  copyUri: { title: 'Copy URI' },
  openInStudio: { title: 'Open in Azure ML studio' },
  downloadResults: { title: 'Download results' },
  compareWithLocal: { title: 'Compare with the local run' },
  resubmitWith: { title: 'Resubmit the job' },
});
