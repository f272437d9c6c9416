// config.json discovery: the workspace that `Workspace.from_config()` / `MLClient.from_config()` would pick.
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { WorkspaceRef } from './resources/types';

/** Where azure-ai-ml looks, in priority order: each pair is searched up to 20 folders up before the next pair. */
const candidates: Array<[string | undefined, string]> = [
  ['.azureml', 'config.json'],
  ['.azureml', 'project.json'],
  ['aml_config', 'config.json'],
  ['aml_config', 'project.json'],
  [undefined, 'config.json'],
  [undefined, 'project.json'],
];
const levels = 20;

export interface WorkspaceConfig extends WorkspaceRef {
  /** The file it came from. */
  file: string;
}

/** The config file azure-ai-ml would read starting from `start` (a folder or a file), or undefined. */
export function findWorkspaceConfigFile(start: string): string | undefined {
  const abs = path.resolve(start);
  if (existsSync(abs) && statSync(abs).isFile()) return abs;
  for (const [dir, file] of candidates) {
    let current = abs;
    for (let i = 0; i < levels; i++) {
      const candidate = dir ? path.join(current, dir, file) : path.join(current, file);
      if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
      const parent = path.dirname(current);
      if (parent === current) break;
      current = parent;
    }
  }
  return undefined;
}

/** Reads a workspace config file: `subscription_id`, `resource_group`, `workspace_name` (or `project_name`), or an ARM `Scope`. */
export function readWorkspaceConfig(file: string): WorkspaceConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new Error(
      `${file}: not valid JSON (${(e as Error).message}). Download it again from the workspace's page in Azure ML studio ("Download config.json").`,
    );
  }
  const c = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const str = (k: string): string | undefined =>
    typeof c[k] === 'string' && (c[k] as string).trim() ? (c[k] as string).trim() : undefined;
  const scope = str('Scope');
  if (scope) {
    const p = scope.split('/');
    if (p.length < 9 || !p[2] || !p[4] || !p[8]) {
      throw new Error(
        `${file}: "Scope" is not a workspace id. Expected "/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.MachineLearningServices/workspaces/<name>".`,
      );
    }
    return { file, subscriptionId: p[2], resourceGroup: p[4], workspace: p[8] };
  }
  const subscriptionId = str('subscription_id');
  const resourceGroup = str('resource_group');
  const workspace = str('project_name') ?? str('workspace_name');
  if (!subscriptionId || !resourceGroup || !workspace) {
    const missing = [!subscriptionId && 'subscription_id', !resourceGroup && 'resource_group', !workspace && 'workspace_name']
      .filter(Boolean)
      .join(', ');
    throw new Error(
      `${file}: missing ${missing}. A workspace config holds {"subscription_id": "<id>", "resource_group": "<group>", "workspace_name": "<name>"}.`,
    );
  }
  return { file, subscriptionId, resourceGroup, workspace };
}

/** The workspace config that applies to `start` (folder or file), or undefined when there is none. */
export function discoverWorkspaceConfig(start: string): WorkspaceConfig | undefined {
  const file = findWorkspaceConfigFile(start);
  return file ? readWorkspaceConfig(file) : undefined;
}
