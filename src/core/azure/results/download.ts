// Downloads every blob under a prefix into a local folder: in parallel, with progress and cancel, resumable (a file
// already complete with the blob's ETag is skipped; a partial `.part` file continues from its length while the blob
// is unchanged), and with one fresh credential when storage refuses the one it has (an expired SAS token).
import { setMaxListeners } from 'node:events';
import { createWriteStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ContainerClient } from '@azure/storage-blob';
import { AzureError, toAzureError } from '../http/errors';

/** Where the blobs are, and how to get a client again when storage refuses the current one. */
export interface BlobSource {
  /** The container client to start with. */
  container: ContainerClient;
  /**
   * A new client with credentials read again (a datastore's SAS token or key from `listSecrets`, a new token):
   * called once when storage answers 403 AuthenticationFailed. Absent: the 403 ends the download.
   */
  refresh?: () => Promise<ContainerClient>;
  /** For messages: "datastore workspaceblobstore". */
  describe: string;
}

export interface DownloadProgress {
  files: number;
  totalFiles: number;
  bytes: number;
  totalBytes: number;
  /** Files found complete from an earlier download and not fetched again. */
  skippedFiles: number;
}

export interface DownloadOptions {
  /** Requests in flight at once. Default 8. */
  concurrency?: number;
  abortSignal?: AbortSignal;
  onProgress?: (p: DownloadProgress) => void;
}

export interface DownloadedFile {
  /** Blob name relative to the prefix, `/`-separated. */
  name: string;
  file: string;
  size: number;
}

export interface PrefixDownload {
  files: DownloadedFile[];
  /** Bytes transferred by this call (0 when everything was already here). */
  bytes: number;
  skippedFiles: number;
}

/** What the folder remembers about each finished file: the blob's ETag and size when it was fetched. */
export const DOWNLOAD_MANIFEST = '.download.json';
type Manifest = Record<string, { etag: string; size: number }>;

const PART = '.part';

async function readManifest(file: string): Promise<Manifest> {
  try {
    const parsed = JSON.parse(await fs.readFile(file, 'utf8')) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Manifest) : {};
  } catch {
    return {};
  }
}

async function sizeOf(file: string): Promise<number | undefined> {
  try {
    return (await fs.stat(file)).size;
  } catch {
    return undefined;
  }
}

function isAuthFailure(err: unknown): boolean {
  const e = err as { statusCode?: number; code?: string; details?: { errorCode?: string } };
  const code = e.code ?? e.details?.errorCode;
  return e.statusCode === 403 && (code === 'AuthenticationFailed' || code === 'AuthorizationFailure' || code === undefined);
}

/** A blob name that stays inside `dest` on this machine (no `..`, no absolute parts). */
function localPathOf(dest: string, rel: string): string {
  const parts = rel.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..') || parts.length === 0)
    throw new AzureError({
      code: 'UnsafeBlobName',
      message: `Blob name ${rel} would leave the download folder ${dest}; it was not downloaded.`,
    });
  return path.join(dest, ...parts);
}

/**
 * Downloads the blobs under `prefix` (a folder, or one blob's full name) into `dest`, keeping their relative
 * paths. Returns the files in name order; none (and no folder made) when nothing is there. Safe to call again
 * after a failure or cancel: it continues where the last call stopped.
 */
export async function downloadPrefix(
  source: BlobSource,
  prefix: string,
  dest: string,
  options: DownloadOptions = {},
): Promise<PrefixDownload> {
  let container = source.container;
  let refreshed = false;
  /** Runs `call` with the current client; on the first 403 AuthenticationFailed, gets a fresh one and runs it again. */
  const withAuth = async <T>(what: string, call: (c: ContainerClient) => Promise<T>): Promise<T> => {
    for (;;) {
      const using = container;
      try {
        return await call(using);
      } catch (err) {
        if (!isAuthFailure(err)) throw toAzureError(err, what);
        if (using !== container) continue; // another request already got a fresh client
        if (!source.refresh || refreshed) throw credentialRefused(source, what, refreshed, dest);
        refreshed = true;
        container = await source.refresh();
      }
    }
  };

  const listed = await withAuth(`list ${prefix} in ${source.describe}`, async (c) => {
    const out: { name: string; size: number; etag: string }[] = [];
    for await (const b of c.listBlobsFlat({ prefix, abortSignal: options.abortSignal })) {
      if (b.name.endsWith('/') && (b.properties.contentLength ?? 0) === 0) continue; // a folder marker (hierarchical namespace)
      out.push({ name: b.name, size: b.properties.contentLength ?? 0, etag: b.properties.etag ?? '' });
    }
    return out;
  });
  // `a/b/` is a folder; `a/b` is one blob of that name, or a folder written without its slash (never `a/bc`).
  const folder = prefix.endsWith('/') || prefix === '' ? prefix : `${prefix}/`;
  const relOf = (name: string) => (name === prefix ? name.slice(name.lastIndexOf('/') + 1) : name.slice(folder.length));
  const blobs = listed
    .filter((b) => b.name === prefix || b.name.startsWith(folder))
    .map((b) => ({ ...b, rel: relOf(b.name), file: localPathOf(dest, relOf(b.name)) }))
    .sort((a, b) => a.rel.localeCompare(b.rel));
  if (blobs.length === 0) return { files: [], bytes: 0, skippedFiles: 0 };

  await fs.mkdir(dest, { recursive: true });
  const manifestFile = path.join(dest, DOWNLOAD_MANIFEST);
  const manifest = await readManifest(manifestFile);

  const progress: DownloadProgress = {
    files: 0,
    totalFiles: blobs.length,
    bytes: 0,
    totalBytes: blobs.reduce((n, b) => n + b.size, 0),
    skippedFiles: 0,
  };
  const todo: typeof blobs = [];
  for (const b of blobs) {
    const known = manifest[b.rel];
    if (known && known.etag === b.etag && known.size === b.size && (await sizeOf(b.file)) === b.size) {
      progress.files++;
      progress.bytes += b.size;
      progress.skippedFiles++;
    } else todo.push(b);
  }
  options.onProgress?.({ ...progress });

  const stop = new AbortController();
  setMaxListeners(0, stop.signal);
  const onOuterAbort = () => stop.abort();
  options.abortSignal?.addEventListener('abort', onOuterAbort);
  let transferred = 0;
  let failure: unknown;
  let next = 0;
  // One write at a time, each whole and then renamed into place: a crash never leaves half a manifest.
  let manifestWrite = Promise.resolve();
  const saveManifest = (): Promise<void> => {
    const text = JSON.stringify(manifest);
    manifestWrite = manifestWrite
      .catch(() => undefined)
      .then(async () => {
        await fs.writeFile(`${manifestFile}.tmp`, text);
        await fs.rename(`${manifestFile}.tmp`, manifestFile);
      });
    return manifestWrite;
  };

  const fetchOne = async (b: (typeof blobs)[number]) => {
    await fs.mkdir(path.dirname(b.file), { recursive: true });
    const part = b.file + PART;
    // A partial file from an earlier try continues where it stopped, if the blob is the one it was part of.
    const partEtag = manifest[`${b.rel}${PART}`]?.etag;
    let offset = partEtag === b.etag ? Math.min((await sizeOf(part)) ?? 0, b.size) : 0;
    if (offset === 0) await fs.writeFile(part, '');
    else {
      progress.bytes += offset;
      await fs.truncate(part, offset);
    }
    manifest[`${b.rel}${PART}`] = { etag: b.etag, size: b.size };
    await saveManifest();
    if (offset < b.size) {
      await withAuth(`download ${b.name} from ${source.describe}`, async (c) => {
        // After a failed try, continue from what reached the disk (not what was read off the socket).
        const have = (await sizeOf(part)) ?? 0;
        progress.bytes += have - offset;
        transferred += have - offset;
        offset = have;
        const response = await c
          .getBlobClient(b.name)
          .download(offset, undefined, { abortSignal: stop.signal, conditions: { ifMatch: b.etag } });
        const body = response.readableStreamBody;
        if (!body) throw new Error(`storage sent no body for ${b.name}`);
        body.on('data', (chunk: Buffer) => {
          offset += chunk.length;
          transferred += chunk.length;
          progress.bytes += chunk.length;
          options.onProgress?.({ ...progress });
        });
        await pipeline(body, createWriteStream(part, { flags: 'a' }), { signal: stop.signal });
      });
    }
    await fs.rename(part, b.file);
    delete manifest[`${b.rel}${PART}`];
    manifest[b.rel] = { etag: b.etag, size: b.size };
    saveManifest().catch(() => undefined); // a failed write shows at the final save
    progress.files++;
    options.onProgress?.({ ...progress });
  };

  const worker = async () => {
    while (!stop.signal.aborted && next < todo.length) {
      const b = todo[next++];
      try {
        await fetchOne(b);
      } catch (err) {
        failure ??= err;
        stop.abort();
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 8, todo.length)) }, worker));
  } finally {
    options.abortSignal?.removeEventListener('abort', onOuterAbort);
    await saveManifest();
  }
  if (options.abortSignal?.aborted)
    throw new AzureError({
      code: 'Cancelled',
      message: `Cancelled: the download into ${dest}. Run it again to continue where it stopped.`,
    });
  if (failure) {
    const e = failure instanceof AzureError ? failure : toAzureError(failure, `download from ${source.describe}`);
    throw new AzureError({
      code: e.code,
      status: e.status,
      requestId: e.requestId,
      message: `${e.message} ${progress.files} of ${progress.totalFiles} files are in ${dest}; run the download again to continue where it stopped.`,
    });
  }
  return {
    files: blobs.map((b) => ({ name: b.rel, file: b.file, size: b.size })),
    bytes: transferred,
    skippedFiles: progress.skippedFiles,
  };
}

function credentialRefused(source: BlobSource, what: string, refreshed: boolean, dest: string): AzureError {
  return new AzureError({
    code: 'AuthenticationFailed',
    status: 403,
    message:
      `Could not ${what}: storage refused the credential of ${source.describe} (403 AuthenticationFailed)${refreshed ? ', also after reading it again from the workspace' : ''}. ` +
      `A SAS token registered with the datastore has probably expired, or the account key was rotated. Update the datastore's credentials ` +
      `(Azure ML studio → Data → Datastores → Update authentication, or \`az ml datastore update\`), then download again: files already in ${dest} are kept.`,
  });
}
