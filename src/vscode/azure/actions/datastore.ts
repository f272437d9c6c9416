// Datastore actions: register an Azure Blob container (account key, SAS token or identity-based), set the default.
import type { BlobCredential } from '../../../core/azure/resources/datastores';
import type { Datastore } from '../../../core/azure/resources/types';
import type { WorkspaceTarget } from './target';
import type { Action } from './wizard';

export interface DatastoreAnswers {
  name: string;
  accountName: string;
  containerName: string;
  credentialKind: BlobCredential['kind'];
  /** Account key or SAS token: held only until the request is sent. */
  secret: string;
}

function secretProblem(kind: BlobCredential['kind'] | undefined, v: string): string | undefined {
  const s = v.trim();
  if (!s) return kind === 'sas' ? 'Paste the SAS token (it starts with "sv=" or "?sv=").' : 'Paste the storage account key.';
  if (kind === 'sas' && !/(^|[?&])sig=/.test(s))
    return 'A SAS token holds a "sig=" signature, e.g. "sv=2022-11-02&ss=b&…&sig=…": paste the whole token.';
  if (kind === 'accountKey' && !/^[A-Za-z0-9+/]+={0,2}$/.test(s))
    return 'An account key is base64 (letters, digits, "+", "/", ending in "=" or "=="): paste Key1 or Key2 from the storage account\'s Access keys.';
  return undefined;
}

/** Register blob datastore…: name, storage account, container, credential, and the secret when there is one. */
export function registerDatastoreAction(t: WorkspaceTarget): Action<Partial<DatastoreAnswers>, Datastore> {
  const taken = new Set<string>();
  return {
    title: 'Register blob datastore',
    steps: [
      {
        async prompt(c, ui) {
          for (;;) {
            const v = await ui.input({
              title: '',
              prompt: `Datastore name in workspace ${t.ws.workspace} (letters, digits and underscores)`,
              placeHolder: 'my_blob_data',
              value: c.name,
              validate: (s) =>
                t.api.datastoreNameProblem(s.trim()) ??
                (taken.has(s.trim().toLowerCase()) ? `A datastore named "${s.trim()}" already exists: choose another name.` : undefined),
            });
            c.name = v.trim();
            if (!(await exists(t, c.name))) return;
            taken.add(c.name.toLowerCase());
          }
        },
      },
      {
        async prompt(c, ui) {
          c.accountName = (
            await ui.input({
              title: '',
              prompt: 'Storage account name',
              placeHolder: 'mydatasa',
              value: c.accountName,
              validate: (s) => t.api.storageAccountNameProblem(s.trim()),
            })
          ).trim();
        },
      },
      {
        async prompt(c, ui) {
          c.containerName = (
            await ui.input({
              title: '',
              prompt: `Blob container in account ${c.accountName}`,
              placeHolder: 'data',
              value: c.containerName,
              validate: (s) => t.api.blobContainerNameProblem(s.trim()),
            })
          ).trim();
        },
      },
      {
        async prompt(c, ui) {
          c.credentialKind = await ui.pick<BlobCredential['kind']>(
            [
              { label: 'Account key', description: 'the storage account’s access key', value: 'accountKey' },
              { label: 'SAS token', description: 'a shared access signature for the container', value: 'sas' },
              { label: 'Identity-based', description: 'no secret: jobs read with the identity of the user or compute', value: 'identity' },
            ],
            { title: '', placeHolder: `How the workspace reaches ${c.accountName}/${c.containerName}` },
          );
        },
      },
      {
        when: (c) => c.credentialKind !== 'identity',
        async prompt(c, ui) {
          c.secret = (
            await ui.input({
              title: '',
              prompt: c.credentialKind === 'sas' ? `SAS token for container ${c.containerName}` : `Account key of ${c.accountName}`,
              password: true,
              validate: (s) => secretProblem(c.credentialKind, s),
            })
          ).trim();
        },
      },
    ],
    async execute(c, ui) {
      const credential: BlobCredential =
        c.credentialKind === 'accountKey'
          ? { kind: 'accountKey', key: c.secret! }
          : c.credentialKind === 'sas'
            ? { kind: 'sas', sasToken: c.secret! }
            : { kind: 'identity' };
      c.secret = undefined;
      const d = await ui.progress(`Registering datastore ${c.name}`, false, () =>
        t.api.registerBlobDatastore(t.ml, t.ws, {
          name: c.name!,
          accountName: c.accountName!,
          containerName: c.containerName!,
          credential,
          endpoint: t.storageSuffix,
        }),
      );
      void ui.info(`Registered datastore ${d.name}: container ${c.containerName} of account ${c.accountName}.`);
      return d;
    },
  };
}

async function exists(t: WorkspaceTarget, name: string): Promise<boolean> {
  try {
    await t.api.getDatastore(t.ml, t.ws, name);
    return true;
  } catch (err) {
    if ((err as { status?: number }).status === 404) return false;
    throw err;
  }
}

/** Set as default: the workspace's default datastore becomes `name` (what jobs and uploads use unless told). */
export function setDefaultDatastoreAction(t: WorkspaceTarget, name: string): Action<object, void> {
  return {
    title: `Set ${name} as default`,
    steps: [],
    async execute(_c, ui) {
      await ui.progress(`Making ${name} the default datastore`, false, () => t.api.setDefaultDatastore(t.arm, t.ws, t.discoveryUrl, name));
      void ui.info(`${name} is now the default datastore of ${t.ws.workspace}.`);
    },
  };
}
