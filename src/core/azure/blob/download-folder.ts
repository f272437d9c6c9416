// Downloads what a datastore path holds (one blob, or every blob under a folder) into a local folder, with
// progress and cancel. Files land in a staging folder renamed into place at the end, so an interrupted download
// never leaves a half model where a complete one is expected.
import { setMaxListeners } from 'node:events';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ContainerClient } from '@azure/storage-blob';
import { AzureError, toAzureError } from '../http/errors';

export interface RemoteFile {
  /** Blob name in the container. */
  blob: string;
  /** Path under the download folder, `/`-separated. */
  rel: string;
  size: number;
}

export interface DownloadProgress {
  files: number;
  totalFiles: number;
  bytes: number;
  totalBytes: number;
}

export interface DownloadOptions {
  abortSignal?: AbortSignal;
  onProgress?: (p: DownloadProgress) => void;
  /** Downloads in flight at once. Default 8. */
  concurrency?: number;
}

/**
 * The blobs a datastore path names: every blob under `<path>/` when it is a folder, else the blob itself.
 * `rel` keeps the folder's own name (`models/digits/` → `digits/model.onnx`), as `az ml model download` does.
 */
export async function listRemoteFiles(container: ContainerClient, blobPath: string, abortSignal?: AbortSignal): Promise<RemoteFile[]> {
  const trimmed = blobPath.replace(/^\/+/, '').replace(/\/+$/, '');
  const base = trimmed.split('/').pop() ?? '';
  const out: RemoteFile[] = [];
  try {
    for await (const b of container.listBlobsFlat({ prefix: trimmed ? `${trimmed}/` : '', abortSignal })) {
      out.push({
        blob: b.name,
        rel: `${base}/${b.name.slice(trimmed.length + 1)}`.replace(/^\//, ''),
        size: b.properties.contentLength ?? 0,
      });
    }
    if (out.length === 0 && trimmed && !blobPath.endsWith('/')) {
      const props = await container.getBlobClient(trimmed).getProperties({ abortSignal });
      out.push({ blob: trimmed, rel: base, size: props.contentLength ?? 0 });
    }
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return out;
    throw toAzureError(err, `list ${blobPath} in container ${container.containerName}`);
  }
  return out;
}

/** Where a remote file goes under `folder`; refuses names that would leave it (`..`, absolute). */
function localPathOf(folder: string, rel: string): string {
  const target = path.resolve(folder, ...rel.split('/'));
  if (target !== folder && !target.startsWith(folder + path.sep)) {
    throw new AzureError({ code: 'UnsafeBlobName', message: `Blob ${rel} would be written outside ${folder}; nothing was downloaded.` });
  }
  return target;
}

/**
 * Downloads `files` into `folder` (which must not exist yet: it is created). Files go to a staging folder
 * next to it first; a failure or cancel removes the staging folder and leaves `folder` absent.
 */
export async function downloadFiles(
  container: ContainerClient,
  files: RemoteFile[],
  folder: string,
  options: DownloadOptions = {},
): Promise<DownloadProgress> {
  const target = path.resolve(folder);
  if (
    await fs.stat(target).then(
      () => true,
      () => false,
    )
  ) {
    throw new AzureError({
      code: 'TargetExists',
      message: `${target} already exists: choose another folder, or remove it and download again.`,
    });
  }
  const staging = `${target}.download-${process.pid}`;
  await fs.rm(staging, { recursive: true, force: true });
  const stop = new AbortController();
  setMaxListeners(0, stop.signal);
  const onOuterAbort = () => stop.abort();
  options.abortSignal?.addEventListener('abort', onOuterAbort);
  const progress: DownloadProgress = { files: 0, totalFiles: files.length, bytes: 0, totalBytes: files.reduce((s, f) => s + f.size, 0) };
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (!stop.signal.aborted && next < files.length) {
      const f = files[next++];
      try {
        const local = localPathOf(staging, f.rel);
        await fs.mkdir(path.dirname(local), { recursive: true });
        await container.getBlobClient(f.blob).downloadToFile(local, 0, undefined, { abortSignal: stop.signal });
      } catch (err) {
        if (failure === undefined)
          failure = err instanceof AzureError ? err : toAzureError(err, `download ${f.blob} from container ${container.containerName}`);
        stop.abort();
        return;
      }
      progress.files++;
      progress.bytes += f.size;
      options.onProgress?.({ ...progress });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 8, files.length)) }, worker));
    if (options.abortSignal?.aborted) {
      throw new AzureError({
        code: 'Cancelled',
        message: `Cancelled: download to ${target} (${progress.files} of ${files.length} files were in; nothing was kept).`,
      });
    }
    if (failure !== undefined) throw failure;
    await fs.mkdir(staging, { recursive: true }); // an empty folder still becomes the target
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.rename(staging, target);
  } finally {
    options.abortSignal?.removeEventListener('abort', onOuterAbort);
    await fs.rm(staging, { recursive: true, force: true });
  }
  return progress;
}
