// The Azure layer's public surface: what dist/azure.js exports to the extension and the CLI.
export { mlClient, armClient, armScope, publicCloud, type ArmEndpoint } from './client';
export { AzureError, toAzureError, azureCall, type AzureFailure } from './http/errors';
export { redactSecrets } from './http/redact';
export { defaultRetrySettings, type RetrySettings } from './http/retry';
export { pages, allItems, type Page, type PageLoader } from './http/paging';
export * from './resources/types';
export { workspaceOfId, workspaceId, datastorePathUri, parseDatastoreUri } from './resources/ids';
export { studioResourceUrl, type StudioResource } from './resources/studio';
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
  storageAccountNameProblem,
  blobContainerNameProblem,
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
  getAssetContainer,
  nextVersion,
  type DataType,
  type DataVersionSettings,
  type ModelVersionSettings,
} from './resources/assets';
export { jobPages, getJob, putJob, cancelJob, studioUrl } from './resources/jobs';
export { RunHistory } from './resources/run-history';
export { discoverWorkspaceConfig, findWorkspaceConfigFile, readWorkspaceConfig, type WorkspaceConfig } from './workspace-config';
export { containerUrl, datastoreContainer, type BlobEndpointOptions } from './blob/container';
export { listRemoteFiles, downloadFiles, type RemoteFile, type DownloadProgress, type DownloadOptions } from './blob/download-folder';
export { packageLocalPath, type LocalPackage } from './upload/package';
export { uploadLocalPath, uploadPackage, isUploaded, type UploadProgress, type UploadOptions, type UploadedPath } from './upload/upload';
export { pipelineJobBody, type SubmitResolution } from './submit/job-body';
export { submitSpec, jobNameProblem, type SubmitOptions, type SubmitResult } from './submit/submit';
export {
  followCloudJob,
  followIntervalSeconds,
  CloudJobFollower as CloudJobStream,
  type FollowCloudJobOptions,
  type CloudJobEvent as FollowEvent,
  type CloudJobError,
  type CloudProgress,
} from './follow';
export { fullFollower } from './follow/seam';
export { JobLogs, findLogFile, stepsNamed, type JobLogFile, type JobLogList, type JobLogStep } from './logs';
export { SubmitCache, workspaceKey } from './submit/cache';
export { terminalStatuses, type CloudJobEvent, type CloudJobFollower, type CloudJobRef } from './submit/job-events';
export { cliCredential } from './submit/credential';
export { downloadJobResults, type DownloadResultsOptions } from './results/results';
export { CLOUD_RUN_FILE, readCloudRun, cloudResultsSource, type CloudRunRecord } from './results/record';
export { downloadPrefix, type DownloadProgress as PrefixDownloadProgress, type BlobSource } from './results/download';
export { getRawJob, parallelStepResults, type RawJob } from './results/locate';
export { resubmitJob, type ResubmitOptions, type ResubmitResult } from './submit/resubmit';
export { ResubmitInputError, parseResubmitChanges, specOverridesOf, PARAMETER_NAMES } from './submit/resubmit-changes';
