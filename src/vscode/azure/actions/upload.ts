// Uploads a local file or folder to the workspace's default datastore for a new asset, with progress and Cancel.
import type { UploadedPath, UploadProgress } from '../../../core/azure/upload/upload';
import type { Datastore } from '../../../core/azure/resources/types';
import type { WorkspaceTarget } from './target';
import type { ActionUi } from './wizard';

const mb = (n: number) => (n / (1024 * 1024)).toFixed(n < 10 * 1024 * 1024 ? 1 : 0);
export const progressText = (p: UploadProgress) => `${p.files}/${p.totalFiles} files · ${mb(p.bytes)}/${mb(p.totalBytes)} MB`;

/** The workspace's default datastore: where azure-ai-ml uploads local paths of new assets. */
export async function defaultDatastore(t: WorkspaceTarget, signal?: AbortSignal): Promise<Datastore> {
  const all = await t.api.allItems((c) => t.api.datastorePages(t.ml, t.ws)(c, signal));
  const d = all.find((x) => x.isDefault);
  if (!d)
    throw new Error(
      `Workspace ${t.ws.workspace} has no default datastore: set one (right-click a datastore → Set as Default) and try again.`,
    );
  return d;
}

/**
 * Uploads `localPath` to `LocalUpload/<hash>/<name>` of the default datastore. Nothing is sent when that hash is
 * already complete there; a cancelled or failed upload throws (and writes no completion marker), so the caller
 * registers nothing.
 */
export async function uploadForAsset(t: WorkspaceTarget, ui: ActionUi, localPath: string, what: string): Promise<UploadedPath> {
  return ui.progress(`Uploading ${what}`, true, async (p, signal) => {
    const ds = await defaultDatastore(t, signal);
    p.report(`to datastore ${ds.name}…`);
    const container = await t.api.datastoreContainer(t.ml, t.ws, ds, t.identity, t.blob);
    const r = await t.api.uploadLocalPath(container, ds.name, localPath, {
      abortSignal: signal,
      onProgress: (x) => p.report(progressText(x)),
    });
    if (r.skipped) p.report('already uploaded: nothing sent');
    return r;
  });
}
