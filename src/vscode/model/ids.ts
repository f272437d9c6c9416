import { commandTable } from '../commands/declare';

/** The model commands' ids, as package.json contributes them. */
export const MODEL_COMMAND = {
  inspectModel: 'parallelRun.inspectModel',
  newEntryScriptFromModel: 'parallelRun.newEntryScriptFromModel',
  previewModel: 'parallelRun.previewModel',
} as const;

// Preview Model checks trust itself: it refuses with an error that says how to trust the folder.
export const MODEL_COMMANDS = commandTable(MODEL_COMMAND, {
  inspectModel: { title: 'Inspect Model' },
  newEntryScriptFromModel: { title: 'New Entry Script from Model' },
  previewModel: { title: 'Preview Model on Sample' },
});
