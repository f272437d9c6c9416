/** The model commands' ids, as package.json contributes them. */
export const MODEL_COMMAND = {
  inspectModel: 'parallelRun.inspectModel',
  newEntryScriptFromModel: 'parallelRun.newEntryScriptFromModel',
  previewModel: 'parallelRun.previewModel',
} as const;
