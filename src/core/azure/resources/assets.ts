// Data, model and environment assets: containers → versions; create a data version, register a model version.
import { getContinuationToken, type AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import { AzureError, azureCall } from '../http/errors';
import { sdkPageLoader, type ListOptions, type PageLoader, type SdkPager } from '../http/paging';
import type { AssetContainer, AssetKind, AssetVersion, WorkspaceRef } from './types';

interface RawContainer {
  id?: string;
  name?: string;
  properties: { latestVersion?: string; description?: string };
}
interface RawVersion {
  id?: string;
  name?: string;
  properties: { dataType?: string; dataUri?: string; modelType?: string; modelUri?: string; image?: string; description?: string };
  systemData?: { createdAt?: Date };
}

const noun: Record<AssetKind, string> = { data: 'data assets', models: 'models', environments: 'environments' };

function containerOps(ml: AzureMachineLearningWorkspaces, kind: AssetKind) {
  return kind === 'data' ? ml.dataContainers : kind === 'models' ? ml.modelContainers : ml.environmentContainers;
}

/** Asset names of one kind (`az ml data list` shows the same): the tree's first level under Data/Models/Environments. */
export function assetContainerPages(ml: AzureMachineLearningWorkspaces, ws: WorkspaceRef, kind: AssetKind): PageLoader<AssetContainer> {
  const ops = containerOps(ml, kind) as unknown as { list(rg: string, w: string, o: ListOptions): SdkPager<unknown> };
  const map = (c: RawContainer): AssetContainer => ({
    kind,
    name: c.name ?? '',
    id: c.id ?? '',
    latestVersion: c.properties?.latestVersion,
    description: c.properties?.description,
  });
  const load = sdkPageLoader(
    (o) => ops.list(ws.resourceGroup, ws.workspace, o),
    map as (c: unknown) => AssetContainer,
    getContinuationToken,
  );
  return (c, signal) => azureCall(`list the ${noun[kind]} of workspace ${ws.workspace}`, () => load(c, signal));
}

function toVersion(kind: AssetKind, assetName: string) {
  return (v: RawVersion): AssetVersion => ({
    kind,
    name: assetName,
    version: v.name ?? '',
    id: v.id ?? '',
    type: v.properties?.dataType ?? v.properties?.modelType,
    path: v.properties?.dataUri ?? v.properties?.modelUri ?? v.properties?.image,
    description: v.properties?.description,
    createdAt: v.systemData?.createdAt?.toISOString(),
  });
}

/** Versions of one asset, newest first (`$orderBy=createdtime desc`, as azure-ai-ml lists them). */
export function assetVersionPages(
  ml: AzureMachineLearningWorkspaces,
  ws: WorkspaceRef,
  kind: AssetKind,
  name: string,
): PageLoader<AssetVersion> {
  const orderBy = 'createdtime desc';
  const list =
    kind === 'data'
      ? (o: ListOptions) => ml.dataVersions.list(ws.resourceGroup, ws.workspace, name, { ...o, orderBy })
      : kind === 'models'
        ? (o: ListOptions) => ml.modelVersions.list(ws.resourceGroup, ws.workspace, name, { ...o, orderBy })
        : (o: ListOptions) => ml.environmentVersions.list(ws.resourceGroup, ws.workspace, name, { ...o, orderBy });
  const load = sdkPageLoader(
    list as (o: ListOptions) => SdkPager<unknown>,
    toVersion(kind, name) as (v: unknown) => AssetVersion,
    getContinuationToken,
  );
  return (c, signal) =>
    azureCall(`list the versions of ${kind === 'data' ? 'data asset' : kind === 'models' ? 'model' : 'environment'} ${name}`, () =>
      load(c, signal),
    );
}

/** Asset names and versions as the service accepts them: letters, digits, `-`, `_`, `.`, starting with a letter or digit. */
export function assetNameProblem(name: string, version: string): string | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$/.test(name))
    return `"${name}" is not a valid asset name: start with a letter or digit, then letters, digits, "-", "_" or ".".`;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(version))
    return `"${version}" is not a valid version: letters, digits, "-", "_" or ".", e.g. "1".`;
  return undefined;
}

export type DataType = 'uri_file' | 'uri_folder' | 'mltable';

export interface DataVersionSettings {
  name: string;
  version: string;
  type: DataType;
  /** `azureml://datastores/<ds>/paths/<path>` (or an https/wasbs URL the workspace can read). */
  path: string;
  description?: string;
  tags?: Record<string, string>;
}

/** Creates a data asset version pointing at a datastore path. */
export async function createDataVersion(
  ml: AzureMachineLearningWorkspaces,
  ws: WorkspaceRef,
  s: DataVersionSettings,
): Promise<AssetVersion> {
  const problem = assetNameProblem(s.name, s.version);
  if (problem) throw new AzureError({ code: 'InvalidSettings', message: `Cannot create data asset: ${problem}` });
  // The path goes as given: azure-ai-ml adds a trailing "/" only to local folder paths, never to URLs.
  return azureCall(`create version ${s.version} of data asset ${s.name}`, async () => {
    const r = await ml.dataVersions.createOrUpdate(ws.resourceGroup, ws.workspace, s.name, s.version, {
      properties: { dataType: s.type, dataUri: s.path, description: s.description, tags: s.tags },
    });
    return toVersion('data', s.name)(r as RawVersion);
  });
}

export interface ModelVersionSettings {
  name: string;
  version: string;
  /** `custom_model`, `mlflow_model` or `triton_model`. */
  type?: string;
  /** `azureml://datastores/<ds>/paths/<path>` of the uploaded file or folder. */
  path: string;
  description?: string;
  tags?: Record<string, string>;
}

/** Registers a model version whose files are already at a datastore path. */
export async function registerModelVersion(
  ml: AzureMachineLearningWorkspaces,
  ws: WorkspaceRef,
  s: ModelVersionSettings,
): Promise<AssetVersion> {
  const problem = assetNameProblem(s.name, s.version);
  if (problem) throw new AzureError({ code: 'InvalidSettings', message: `Cannot register model: ${problem}` });
  return azureCall(`register version ${s.version} of model ${s.name}`, async () => {
    const r = await ml.modelVersions.createOrUpdate(ws.resourceGroup, ws.workspace, s.name, s.version, {
      properties: { modelType: s.type ?? 'custom_model', modelUri: s.path, description: s.description, tags: s.tags },
    });
    return toVersion('models', s.name)(r as RawVersion);
  });
}

/** One data asset or model by name (its latest version), or undefined when there is none by that name. */
export async function getAssetContainer(
  ml: AzureMachineLearningWorkspaces,
  ws: WorkspaceRef,
  kind: 'data' | 'models',
  name: string,
): Promise<AssetContainer | undefined> {
  try {
    return await azureCall(`read ${kind === 'data' ? 'data asset' : 'model'} ${name}`, async () => {
      const c = (
        kind === 'data'
          ? await ml.dataContainers.get(ws.resourceGroup, ws.workspace, name)
          : await ml.modelContainers.get(ws.resourceGroup, ws.workspace, name)
      ) as RawContainer;
      return {
        kind,
        name: c.name ?? name,
        id: c.id ?? '',
        latestVersion: c.properties?.latestVersion,
        description: c.properties?.description,
      };
    });
  } catch (err) {
    if ((err as AzureError).status === 404) return undefined;
    throw err;
  }
}

/** The version a new registration proposes: one more than a numeric latest version, else "1" (as azure-ai-ml's auto-increment). */
export function nextVersion(latest: string | undefined): string {
  return latest && /^\d+$/.test(latest) ? String(Number(latest) + 1) : '1';
}
