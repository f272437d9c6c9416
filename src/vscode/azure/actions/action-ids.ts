import type { AZURE_COMMAND } from '../ids';

/** The actions run on a row of the Azure ML tree (src/vscode/azure/actions/run.ts). */
export type AzureActionId = Exclude<
  keyof typeof AZURE_COMMAND,
  'signIn' | 'selectWorkspace' | 'selectSubscriptions' | 'refresh' | 'downloadResults' | 'compareWithLocal' | 'resubmitWith' | 'showJobLogs'
>;
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
