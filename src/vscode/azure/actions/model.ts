// Register model… from a local file or folder (uploaded first); Download… a model version's files.
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { AssetVersion } from '../../../core/azure/resources/types';
import { assetNameFrom } from './data';
import type { WorkspaceTarget } from './target';
import { uploadForAsset } from './upload';
import type { Action } from './wizard';

export type ModelType = 'custom_model' | 'mlflow_model' | 'triton_model';

export interface ModelAnswers {
  kind: 'file' | 'folder';
  path: string;
  type: ModelType;
  name: string;
  version: string;
}

/** What a model type needs of the local path, or undefined when it fits (checked before anything is uploaded). */
export function modelPathProblem(type: ModelType, p: string): string | undefined {
  const isDir = statSync(p).isDirectory();
  if (type === 'mlflow_model' && (!isDir || !existsSync(path.join(p, 'MLmodel')))) {
    return `${p} is not an MLflow model: an mlflow_model is a folder with an MLmodel file (what mlflow.save_model writes). Choose that folder, or register it as custom_model. Nothing was uploaded.`;
  }
  if (type === 'triton_model' && !isDir) {
    return `${p} is a file: a triton_model is a Triton model repository folder (<model>/<version>/model.onnx with config.pbtxt). Choose the folder, or register the file as custom_model. Nothing was uploaded.`;
  }
  return undefined;
}

export function registerModelAction(t: WorkspaceTarget): Action<Partial<ModelAnswers>, AssetVersion> {
  return {
    title: 'Register model',
    steps: [
      {
        async prompt(c, ui) {
          c.kind = await ui.pick<'file' | 'folder'>(
            [
              { label: 'A model file', description: 'e.g. model.onnx, model.pkl', value: 'file' },
              { label: 'A model folder', description: 'e.g. an MLflow model or a Triton repository', value: 'folder' },
            ],
            { title: '', placeHolder: 'What to upload' },
          );
          c.path = await ui.open({ title: '', openLabel: 'Register', files: c.kind === 'file', folders: c.kind === 'folder' });
        },
      },
      {
        async prompt(c, ui) {
          c.type = await ui.pick<ModelType>(
            [
              { label: 'custom_model', description: 'any files your scoring script loads', value: 'custom_model' },
              { label: 'mlflow_model', description: 'a folder with an MLmodel file', value: 'mlflow_model' },
              { label: 'triton_model', description: 'a Triton model repository folder', value: 'triton_model' },
            ],
            { title: '', placeHolder: 'Model type' },
          );
          const problem = modelPathProblem(c.type, c.path!);
          if (problem) throw new Error(problem);
        },
      },
      {
        async prompt(c, ui) {
          c.name = (
            await ui.input({
              title: '',
              prompt: 'Name of the model',
              value: c.name ?? assetNameFrom(c.path!),
              validate: (s) => t.api.assetNameProblem(s.trim(), '1'),
            })
          ).trim();
        },
      },
      {
        async prompt(c, ui) {
          const existing = await t.api.getAssetContainer(t.ml, t.ws, 'models', c.name!);
          c.version = (
            await ui.input({
              title: '',
              prompt: existing ? `Version of ${c.name} (latest is ${existing.latestVersion})` : `Version of the new model ${c.name}`,
              value: c.version ?? t.api.nextVersion(existing?.latestVersion),
              validate: (s) => t.api.assetNameProblem(c.name!, s.trim()),
            })
          ).trim();
        },
      },
    ],
    async execute(c, ui) {
      const up = await uploadForAsset(t, ui, c.path!, path.basename(c.path!));
      const v = await ui.progress(`Registering model ${c.name}:${c.version}`, false, () =>
        t.api.registerModelVersion(t.ml, t.ws, { name: c.name!, version: c.version!, type: c.type, path: up.uri }),
      );
      void ui.info(`Registered model ${c.name}:${c.version} (${c.type}). Use it as an input: azureml:${c.name}:${c.version}`);
      return v;
    },
  };
}

export interface DownloadedModel {
  folder: string;
  files: number;
  bytes: number;
  /** ONNX files downloaded, for "Inspect Model". */
  onnx: string[];
}

export const INSPECT_MODEL = 'Inspect Model';

/** Download…: the version's files (listed under its path in the datastore) into `<chosen folder>/<model name>/`. */
export function downloadModelAction(
  t: WorkspaceTarget,
  model: Pick<AssetVersion, 'name' | 'version' | 'path'>,
  /** Runs when the user picks "Inspect Model" on the closing message (the downloaded model holds a .onnx file). */
  inspect?: (onnxFile: string) => unknown,
): Action<{ parent?: string }, DownloadedModel> {
  return {
    title: `Download ${model.name}:${model.version}`,
    steps: [
      {
        async prompt(c, ui) {
          c.parent = await ui.open({ title: '', openLabel: 'Download here', files: false, folders: true });
        },
      },
    ],
    async execute(c, ui) {
      const where = model.path ? t.api.parseDatastoreUri(model.path) : undefined;
      if (!where) {
        throw new Error(
          `Model ${model.name}:${model.version} is stored at ${model.path ?? 'no path'}, not on a datastore of this workspace, so it cannot be downloaded here. Open it in Azure ML studio to download it.`,
        );
      }
      const folder = path.join(c.parent!, model.name);
      const done = await ui.progress(`Downloading ${model.name}:${model.version}`, true, async (p, signal) => {
        const ds = await t.api.getDatastore(t.ml, t.ws, where.datastore);
        const container = await t.api.datastoreContainer(t.ml, t.ws, ds, t.identity, t.blob);
        const files = await t.api.listRemoteFiles(container, where.path, signal);
        if (files.length === 0) {
          throw new Error(
            `Model ${model.name}:${model.version} has no files at ${where.path} in datastore ${where.datastore}: it may have been deleted from storage.`,
          );
        }
        const r = await t.api.downloadFiles(container, files, folder, {
          abortSignal: signal,
          onProgress: (x) =>
            p.report(`${x.files}/${x.totalFiles} files · ${(x.bytes / 1048576).toFixed(1)}/${(x.totalBytes / 1048576).toFixed(1)} MB`),
        });
        return {
          files: r.files,
          bytes: r.bytes,
          onnx: files.filter((f) => /\.onnx$/i.test(f.rel)).map((f) => path.join(folder, ...f.rel.split('/'))),
        };
      });
      const result: DownloadedModel = { folder, ...done };
      const said = `Downloaded ${model.name}:${model.version} to ${folder} (${done.files} file${done.files === 1 ? '' : 's'}).`;
      // The message stays until dismissed: the action ends now, the choice acts whenever it is made.
      if (done.onnx.length > 0 && inspect)
        void ui.info(said, INSPECT_MODEL).then((choice) => choice === INSPECT_MODEL && inspect(done.onnx[0]));
      else void ui.info(said);
      return result;
    },
  };
}
