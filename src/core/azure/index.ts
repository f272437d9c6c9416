// The Azure layer's public surface: what dist/azure.js exports to the extension and the CLI.
export { mlClient, armClient, armScope, publicCloud, type ArmEndpoint } from './client';
export { AzureError, toAzureError, azureCall, type AzureFailure } from './http/errors';
export { redactSecrets } from './http/redact';
export { defaultRetrySettings, type RetrySettings } from './http/retry';
export { pages, allItems, type Page, type PageLoader } from './http/paging';
export * from './resources/types';
export { workspaceOfId, workspaceId, datastorePathUri } from './resources/ids';
export { listTenants, listSubscriptions, tenantPages, subscriptionPages } from './resources/subscriptions';
export { workspacePages, getWorkspace } from './resources/workspaces';
export {
  computePages,
  getCompute,
  computeNameProblem,
  clusterSettingsProblems,
  createAmlCluster,
  resizeAmlCluster,
  deleteCompute,
  listVmSizes,
  type VmSize,
  type AmlClusterSettings,
  type FollowOptions,
} from './resources/computes';
export {
  datastorePages,
  getDatastore,
  datastoreNameProblem,
  registerBlobDatastore,
  setDefaultDatastore,
  type BlobCredential,
  type BlobDatastoreSettings,
} from './resources/datastores';
export {
  assetContainerPages,
  assetVersionPages,
  assetNameProblem,
  createDataVersion,
  registerModelVersion,
  type DataType,
  type DataVersionSettings,
  type ModelVersionSettings,
} from './resources/assets';
export { jobPages, getJob, putJob, cancelJob, studioUrl } from './resources/jobs';
export { RunHistory } from './resources/run-history';
export { discoverWorkspaceConfig, findWorkspaceConfigFile, readWorkspaceConfig, type WorkspaceConfig } from './workspace-config';
export { containerUrl, datastoreContainer, type BlobEndpointOptions } from './blob/container';
export { packageLocalPath, type LocalPackage } from './upload/package';
export { uploadLocalPath, uploadPackage, isUploaded, type UploadProgress, type UploadOptions, type UploadedPath } from './upload/upload';
export { pipelineJobBody, type SubmitResolution } from './submit/job-body';
export { submitSpec, jobNameProblem, type SubmitOptions, type SubmitResult } from './submit/submit';
export { SubmitCache, workspaceKey } from './submit/cache';
export { followJob, pollIntervalSeconds, terminalStatuses, statusFollower } from './submit/follow';
export type { CloudJobEvent, CloudJobFollower, CloudJobRef } from './submit/job-events';
export { cliCredential } from './submit/credential';
