/** What an entry script needs to change for v2: Model.get_model_path → a model input, Run.get_context uses. */
import type { ScriptChange } from './plan';
import type { At, V1Source } from './source';

export interface ModelUse {
  name: string;
  version?: string;
  at: At;
  code: string;
}

export interface EntryScriptFindings {
  models: ModelUse[];
  changes: ScriptChange[];
}

const CHANGES: [RegExp, string][] = [
  [
    /(^|\.)Run\.get_context$/,
    'v2 jobs log with MLflow: replace `run.log(name, value)` with `mlflow.log_metric(name, value)` (azureml-mlflow in the environment); read inputs from arguments, not `run.input_datasets`. Locally, Run.get_context() is an offline run.',
  ],
  [
    /(^|\.)Workspace\.from_config$/,
    'An entry script has no config.json in a v2 job: pass what it reads from the workspace (data, models) as inputs instead.',
  ],
  [
    /(^|\.)Dataset\.get_by_name$/,
    'Pass the dataset as an input of the node (`type: uri_folder` / `mltable`, `path: azureml:<name>@latest`) and read its path from an argument.',
  ],
  [/(^|\.)Model\.get_model_path$/, ''],
];

/** The v1-only calls of one entry script, with the change each needs. */
export function entryScriptChanges(source: V1Source, script: string): EntryScriptFindings {
  const models: ModelUse[] = [];
  const changes: ScriptChange[] = [];
  for (const call of source.calls) {
    const rule = CHANGES.find(([re]) => re.test(call.func));
    if (!rule) continue;
    if (rule[1] === '') {
      const c = call.call.k === 'call' ? call.call : undefined;
      const nameArg = c?.kwargs.model_name ?? c?.args[0];
      const versionArg = c?.kwargs.version ?? c?.args[2];
      if (nameArg?.k === 'const' && typeof nameArg.v === 'string') {
        models.push({
          name: nameArg.v,
          ...(versionArg?.k === 'const' && versionArg.v !== null ? { version: String(versionArg.v) } : {}),
          at: call.at,
          code: call.src,
        });
      } else {
        changes.push({
          script,
          at: call.at,
          code: call.src,
          change: 'The model name is computed at run time: add a `type: custom_model` input and pass its path as an argument.',
        });
      }
      continue;
    }
    changes.push({ script, at: call.at, code: call.src, change: rule[1] });
  }
  return { models, changes };
}
