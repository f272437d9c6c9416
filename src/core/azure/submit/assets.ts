// Code and environment versions for a submission, content-addressed: the same code or the same image + conda
// file gives the same name and version, so an unchanged asset costs one GET and is never registered again.
import { createHash } from 'node:crypto';
import type { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import { azureCall } from '../http/errors';
import type { WorkspaceRef } from '../resources/types';

/** The name azure-ai-ml gives environments defined inline in a job (`image` + `conda_file`). */
export const anonymousEnvironmentName = 'CliV2AnonymousEnvironment';

function isNotFound(err: unknown): boolean {
  return (err as { statusCode?: number }).statusCode === 404;
}

async function getOrCreate(
  what: string,
  get: () => Promise<{ id?: string }>,
  create: () => Promise<{ id?: string }>,
): Promise<{ id: string; created: boolean }> {
  try {
    const found = await get();
    return { id: found.id ?? '', created: false };
  } catch (err) {
    if (!isNotFound(err)) return azureCall(what, () => Promise.reject(err));
  }
  const made = await azureCall(what, create);
  return { id: made.id ?? '', created: true };
}

/**
 * The code version of an uploaded folder: name = the upload's content hash, version 1, `codeUri` = the blob
 * folder's URL. Returns `azureml:<ARM id>` as the job's `task.code` names it.
 */
export async function ensureCodeVersion(
  ml: AzureMachineLearningWorkspaces,
  ws: WorkspaceRef,
  hash: string,
  codeUri: string,
): Promise<{ ref: string; created: boolean }> {
  const r = await getOrCreate(
    `register the code folder (${hash}) in workspace ${ws.workspace}`,
    () => ml.codeVersions.get(ws.resourceGroup, ws.workspace, hash, '1'),
    () => ml.codeVersions.createOrUpdate(ws.resourceGroup, ws.workspace, hash, '1', { properties: { codeUri, isAnonymous: true } }),
  );
  return { ref: `azureml:${r.id}`, created: r.created };
}

/** Version of an inline environment: a hash of its image and conda file text (whitespace at the ends ignored). */
export function environmentVersionOf(image: string, condaFile: string | undefined): string {
  return createHash('sha256')
    .update(`${image.trim()}\0${(condaFile ?? '').trim()}`)
    .digest('hex')
    .slice(0, 32);
}

/** Registers (once) the environment of `image` + conda file text as CliV2AnonymousEnvironment/<content hash>. */
export async function ensureEnvironmentVersion(
  ml: AzureMachineLearningWorkspaces,
  ws: WorkspaceRef,
  image: string,
  condaFile: string | undefined,
): Promise<{ ref: string; created: boolean }> {
  const version = environmentVersionOf(image, condaFile);
  const r = await getOrCreate(
    `register the environment (image ${image}) in workspace ${ws.workspace}`,
    () => ml.environmentVersions.get(ws.resourceGroup, ws.workspace, anonymousEnvironmentName, version),
    () =>
      ml.environmentVersions.createOrUpdate(ws.resourceGroup, ws.workspace, anonymousEnvironmentName, version, {
        properties: { image, condaFile, isAnonymous: true },
      }),
  );
  return { ref: `azureml:${r.id}`, created: r.created };
}
