import { commandTable } from '../commands/declare';

/** Command ids of the Azure ML view (package.json contributes them; the tree framework's rows: tree/framework/ids.ts). */
export const AZURE_COMMAND = {
  signIn: 'parallelRun.azure.signIn',
  selectWorkspace: 'parallelRun.azure.selectWorkspace',
  refresh: 'parallelRun.azure.refresh',
} as const;

export const AZURE_COMMANDS = commandTable(AZURE_COMMAND, {
  signIn: { title: 'Sign in to Azure' },
  selectWorkspace: { title: 'Select an Azure ML workspace' },
  refresh: { title: 'Refresh the Azure ML view' },
});
