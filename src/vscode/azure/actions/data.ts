// Create data asset…: from a datastore path, or from a local file or folder uploaded first (uri_file, uri_folder, mltable).
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { DataType } from '../../../core/azure/resources/assets';
import type { AssetVersion, Datastore } from '../../../core/azure/resources/types';
import type { WorkspaceTarget } from './target';
import { uploadForAsset } from './upload';
import type { Action, PickItem } from './wizard';

export type DataSource = 'datastore' | 'file' | 'folder';

export interface DataAnswers {
  source: DataSource;
  datastore: string;
  /** Path inside the datastore, or the local file/folder. */
  path: string;
  type: DataType;
  name: string;
  version: string;
}

const typeItems: Record<DataType, PickItem<DataType>> = {
  uri_folder: { label: 'uri_folder', description: 'a folder: each file is an input of the parallel job', value: 'uri_folder' },
  uri_file: { label: 'uri_file', description: 'one file', value: 'uri_file' },
  mltable: { label: 'mltable', description: 'a folder with an MLTable file saying how to read tabular data', value: 'mltable' },
};

/** A name the service accepts, from a file or folder name: `train data.csv` → `train_data`. */
export function assetNameFrom(p: string): string {
  const base = path.basename(p).replace(/\.[^.]*$/, '');
  const clean = base.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^[^A-Za-z0-9]+/, '');
  return clean || 'data';
}

function datastorePathProblem(p: string): string | undefined {
  const s = p.trim();
  if (!s) return 'Enter a path inside the datastore, e.g. "digits/" for a folder or "tables/train.csv" for a file.';
  if (/^[a-z]+:\/\//i.test(s)) return 'Enter the path inside the datastore only (no "azureml://…" or "https://…" prefix).';
  if (s.split('/').includes('..')) return 'The path may not contain "..".';
  return undefined;
}

/** Versions and names are checked together by the service's rule; a name alone is checked with version "1". */
export function createDataAction(t: WorkspaceTarget): Action<Partial<DataAnswers>, AssetVersion> {
  return {
    title: 'Create data asset',
    steps: [
      {
        async prompt(c, ui) {
          c.source = await ui.pick<DataSource>(
            [
              { label: 'From a datastore path', description: 'azureml://datastores/<datastore>/paths/<path>', value: 'datastore' },
              { label: 'Upload a local folder', description: 'to the default datastore, LocalUpload/<hash>/', value: 'folder' },
              { label: 'Upload a local file', description: 'to the default datastore, LocalUpload/<hash>/', value: 'file' },
            ],
            { title: '', placeHolder: 'Where the data is' },
          );
        },
      },
      {
        async prompt(c, ui) {
          if (c.source === 'datastore') {
            const items = t.api
              .allItems((k) => t.api.datastorePages(t.ml, t.ws)(k))
              .then((all: Datastore[]) =>
                all.map((d) => ({
                  label: d.name,
                  description: [d.isDefault && 'default', d.type, d.containerName].filter(Boolean).join(' · '),
                  value: d.name,
                })),
              );
            c.datastore = await ui.pick(items, { title: '', placeHolder: 'Datastore holding the data' });
            c.path = (
              await ui.input({
                title: '',
                prompt: `Path inside datastore ${c.datastore} (a folder ends with "/")`,
                placeHolder: 'digits/',
                value: c.path,
                validate: datastorePathProblem,
              })
            )
              .trim()
              .replace(/^\/+/, '');
          } else {
            const folder = c.source === 'folder';
            c.path = await ui.open({ title: '', openLabel: 'Upload', files: !folder, folders: folder });
          }
        },
      },
      {
        // A local file can only be uri_file; a folder is uri_folder or mltable; a datastore path any of them.
        async prompt(c, ui) {
          if (c.source === 'file') {
            c.type = 'uri_file';
            return;
          }
          const items =
            c.source === 'folder'
              ? [typeItems.uri_folder, typeItems.mltable]
              : c.path?.endsWith('/')
                ? [typeItems.uri_folder, typeItems.mltable]
                : [typeItems.uri_file, typeItems.uri_folder, typeItems.mltable];
          c.type = await ui.pick(items, { title: '', placeHolder: 'Type of the data asset' });
          if (c.type === 'mltable' && c.source === 'folder' && !existsSync(path.join(c.path!, 'MLTable'))) {
            throw new Error(
              `${c.path} has no MLTable file, so it cannot be an mltable data asset: add an MLTable file to the folder (it says how to read the data, e.g. "paths:\\n  - pattern: ./*.csv\\ntransformations:\\n  - read_delimited: {delimiter: ','}"), or choose uri_folder. Nothing was uploaded.`,
            );
          }
        },
      },
      {
        async prompt(c, ui) {
          const suggested = c.name ?? assetNameFrom(c.path ?? 'data');
          c.name = (
            await ui.input({
              title: '',
              prompt: 'Name of the data asset',
              value: suggested,
              validate: (s) => t.api.assetNameProblem(s.trim(), '1'),
            })
          ).trim();
        },
      },
      {
        async prompt(c, ui) {
          const existing = await t.api.getAssetContainer(t.ml, t.ws, 'data', c.name!);
          const v = await ui.input({
            title: '',
            prompt: existing
              ? `Version of ${c.name} (latest is ${existing.latestVersion}; versions cannot be changed once created)`
              : `Version of the new data asset ${c.name}`,
            value: c.version ?? t.api.nextVersion(existing?.latestVersion),
            validate: (s) => t.api.assetNameProblem(c.name!, s.trim()),
          });
          c.version = v.trim();
        },
      },
    ],
    async execute(c, ui) {
      let uri: string;
      if (c.source === 'datastore') {
        uri = t.api.datastorePathUri(c.datastore!, c.path!);
      } else {
        const up = await uploadForAsset(t, ui, c.path!, path.basename(c.path!));
        // azure-ai-ml gives an uploaded folder a trailing "/" (uri_folder, mltable); a file is named as is.
        uri = c.source === 'folder' ? `${up.uri}/` : up.uri;
      }
      const v = await ui.progress(`Creating data asset ${c.name}:${c.version}`, false, () =>
        t.api.createDataVersion(t.ml, t.ws, { name: c.name!, version: c.version!, type: c.type!, path: uri }),
      );
      void ui.info(`Created data asset ${c.name}:${c.version} (${c.type}) at ${uri}. Use it as an input: azureml:${c.name}:${c.version}`);
      return v;
    },
  };
}
