// Uploads a package to a datastore's container: the completion marker is checked first (a complete upload of the
// same hash costs one request and 0 bytes), files go up in parallel with a bound, the marker is written last.
import { setMaxListeners } from 'node:events';
import { readFile } from 'node:fs/promises';
import type { ContainerClient } from '@azure/storage-blob';
import { AzureError, azureCall, toAzureError } from '../http/errors';
import { datastorePathUri } from '../resources/ids';
import { blobNameOf, packageLocalPath, type LocalPackage } from './package';

/** Files up to this size are read whole and sent in one request. */
const smallFileBytes = 4 * 1024 * 1024;

/** Metadata azure-ai-ml puts on the package's first blob once every blob is in: the completion marker. */
export const uploadMarker = { key: 'upload_status', value: 'completed' } as const;

export interface UploadProgress {
  files: number;
  totalFiles: number;
  bytes: number;
  totalBytes: number;
}

export interface UploadOptions {
  /** Requests in flight at once. Default 16. */
  concurrency?: number;
  abortSignal?: AbortSignal;
  onProgress?: (p: UploadProgress) => void;
}

export interface UploadResult {
  /** Blob folder (or file) of the package: `LocalUpload/<hash>/<name>`. */
  blobPath: string;
  /** Nothing was sent: the same hash was already complete in the container. */
  skipped: boolean;
  uploadedFiles: number;
  uploadedBytes: number;
}

function markerBlob(container: ContainerClient, pkg: LocalPackage) {
  return container.getBlockBlobClient(blobNameOf(pkg, pkg.files[0]));
}

/** True when a complete upload of this exact package is already in the container. */
export async function isUploaded(container: ContainerClient, pkg: LocalPackage, abortSignal?: AbortSignal): Promise<boolean> {
  try {
    const props = await markerBlob(container, pkg).getProperties({ abortSignal });
    return props.metadata?.[uploadMarker.key] === uploadMarker.value;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return false;
    throw toAzureError(err, `check whether ${pkg.blobPath} is already uploaded to container ${container.containerName}`);
  }
}

/**
 * Uploads every file of `pkg` under `pkg.blobPath`, unless the marker says it is already complete. A failed or
 * cancelled upload never writes the marker, so the next try uploads again from the start (blobs are overwritten).
 */
export async function uploadPackage(container: ContainerClient, pkg: LocalPackage, options: UploadOptions = {}): Promise<UploadResult> {
  const where = `container ${container.containerName}`;
  if (await isUploaded(container, pkg, options.abortSignal)) {
    options.onProgress?.({ files: pkg.files.length, totalFiles: pkg.files.length, bytes: pkg.bytes, totalBytes: pkg.bytes });
    return { blobPath: pkg.blobPath, skipped: true, uploadedFiles: 0, uploadedBytes: 0 };
  }
  const stop = new AbortController();
  setMaxListeners(0, stop.signal); // one listener per request in flight
  const onOuterAbort = () => stop.abort();
  options.abortSignal?.addEventListener('abort', onOuterAbort);
  const progress: UploadProgress = { files: 0, totalFiles: pkg.files.length, bytes: 0, totalBytes: pkg.bytes };
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (!stop.signal.aborted && next < pkg.files.length) {
      const f = pkg.files[next++];
      const blob = blobNameOf(pkg, f);
      try {
        const client = container.getBlockBlobClient(blob);
        // Small files (most of a code folder) in one Put Blob from memory; large ones streamed in blocks.
        if (f.size <= smallFileBytes) {
          const data = await readFile(f.abs);
          await client.upload(data, data.length, { abortSignal: stop.signal });
        } else {
          await client.uploadFile(f.abs, {
            abortSignal: stop.signal,
            concurrency: 4,
            maxSingleShotSize: smallFileBytes,
            blockSize: smallFileBytes,
          });
        }
      } catch (err) {
        if (failure === undefined)
          failure = options.abortSignal?.aborted ? err : toAzureError(err, `upload ${f.abs} to ${blob} in ${where}`);
        stop.abort();
        return;
      }
      progress.files++;
      progress.bytes += f.size;
      options.onProgress?.({ ...progress });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 16, pkg.files.length)) }, worker));
  } finally {
    options.abortSignal?.removeEventListener('abort', onOuterAbort);
  }
  if (options.abortSignal?.aborted) {
    throw new AzureError({
      code: 'Cancelled',
      message: `Cancelled: upload of ${pkg.source} (${progress.files} of ${pkg.files.length} files sent; the next try starts again).`,
    });
  }
  if (failure !== undefined) throw failure;
  // Last: the marker that makes the next try skip everything.
  await azureCall(`mark ${pkg.blobPath} as completely uploaded in ${where}`, () =>
    markerBlob(container, pkg).setMetadata(
      { [uploadMarker.key]: uploadMarker.value, upload_hash: pkg.hash },
      { abortSignal: options.abortSignal },
    ),
  );
  return { blobPath: pkg.blobPath, skipped: false, uploadedFiles: progress.files, uploadedBytes: progress.bytes };
}

export interface UploadedPath extends UploadResult {
  /** `azureml://datastores/<ds>/paths/LocalUpload/<hash>/<name>`: what a job input or code asset names. */
  uri: string;
  pkg: LocalPackage;
}

/** Packages a local folder or file and uploads it to `datastore` (whose container `container` is). */
export async function uploadLocalPath(
  container: ContainerClient,
  datastore: string,
  localPath: string,
  options: UploadOptions = {},
): Promise<UploadedPath> {
  const pkg = await packageLocalPath(localPath);
  const r = await uploadPackage(container, pkg, options);
  return { ...r, uri: datastorePathUri(datastore, pkg.blobPath), pkg };
}
