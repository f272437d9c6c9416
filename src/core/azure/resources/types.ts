// Domain objects the Azure layer hands out: plain data, no SDK types, so the tree, commands and CLI need no SDK.

export interface Tenant {
  tenantId: string;
  displayName?: string;
  defaultDomain?: string;
}

export interface Subscription {
  subscriptionId: string;
  tenantId: string;
  displayName: string;
  state: string;
}

/** Which workspace: what `config.json` holds and every workspace-level call needs. */
export interface WorkspaceRef {
  subscriptionId: string;
  resourceGroup: string;
  workspace: string;
}

export interface Workspace extends WorkspaceRef {
  id: string;
  location?: string;
  friendlyName?: string;
  discoveryUrl?: string;
  /** ARM id of the workspace's storage account. */
  storageAccount?: string;
}

export interface ComputeCluster {
  kind: 'cluster';
  name: string;
  id: string;
  provisioningState?: string;
  /** Steady or Resizing. */
  allocationState?: string;
  vmSize?: string;
  vmPriority?: string;
  currentNodes?: number;
  targetNodes?: number;
  minNodes?: number;
  maxNodes?: number;
  /** Seconds a node stays idle before scale-down. */
  idleSecondsBeforeScaleDown?: number;
  errors: string[];
}

export interface ComputeInstance {
  kind: 'instance';
  name: string;
  id: string;
  provisioningState?: string;
  state?: string;
  vmSize?: string;
  errors: string[];
}

export interface OtherCompute {
  kind: 'other';
  name: string;
  id: string;
  computeType: string;
  provisioningState?: string;
  errors: string[];
}

export type Compute = ComputeCluster | ComputeInstance | OtherCompute;

export interface Datastore {
  name: string;
  id: string;
  type: string;
  isDefault: boolean;
  accountName?: string;
  containerName?: string;
  endpoint?: string;
  credentialsType?: string;
}

export type AssetKind = 'data' | 'models' | 'environments';

export interface AssetContainer {
  kind: AssetKind;
  name: string;
  id: string;
  latestVersion?: string;
  description?: string;
}

export interface AssetVersion {
  kind: AssetKind;
  name: string;
  version: string;
  id: string;
  /** uri_file, uri_folder, mltable for data; custom_model, mlflow_model… for models. */
  type?: string;
  /** Data/model path, or the environment's image. */
  path?: string;
  description?: string;
  createdAt?: string;
}

export interface Job {
  name: string;
  id: string;
  displayName?: string;
  jobType: string;
  status: string;
  experimentName?: string;
  computeId?: string;
  createdAt?: string;
  studioUrl?: string;
}

/** A run from run history: a pipeline job's step, a parallel step's child. */
export interface RunSummary {
  runId: string;
  parentRunId?: string;
  displayName?: string;
  status: string;
  runType?: string;
  startTimeUtc?: string;
  endTimeUtc?: string;
  error?: string;
}
