// The fake ARM (and, for uploads, Azurite holding the workspace's blob container) behind a WorkspaceTarget.
// One `before` does it all: node:test runs a file's root-level `before` hooks concurrently.
import { after, before } from 'node:test';
import * as azureApi from '../../../../src/core/azure';
import { armClient, mlClient } from '../../../../src/core/azure/client';
import type { WorkspaceTarget } from '../../../../src/vscode/azure/actions/target';
import { FakeArm } from '../../../fakes/arm/server';
import { FakeCredential } from '../../../fakes/arm/token';
import { testResourceGroup, testSubscription, testWorkspace } from '../../../fakes/arm/world';
import { Azurite } from '../../../fakes/azurite';
import { fastRetry, type Bed } from '../fake-arm';

/** The fake ARM's `workspaceblobstore`: account, container, and the key its `listSecrets` answers. */
export const blobstore = { account: 'localtestsa', key: 'ZmFrZS1hY2NvdW50LWtleQ==', container: 'azureml-blobstore-00000000-test' };

export interface ActionBed extends Bed {
  target: WorkspaceTarget;
  azurite?: Azurite;
}

export function useActionBed(options: { blobs?: boolean } = {}): ActionBed {
  const bed = {} as ActionBed;
  before(async () => {
    bed.fake = await new FakeArm().start();
    bed.endpoint = { resourceManager: bed.fake.endpoint, ca: bed.fake.ca, retry: fastRetry };
    bed.credential = new FakeCredential();
    bed.ml = mlClient(bed.credential, testSubscription.subscriptionId, bed.endpoint);
    bed.arm = armClient(bed.credential, bed.endpoint);
    bed.ws = { subscriptionId: testSubscription.subscriptionId, resourceGroup: testResourceGroup, workspace: testWorkspace };
    bed.discoveryUrl = `${bed.fake.endpoint}/discovery`;
    let blobEndpoint: string | undefined;
    if (options.blobs) {
      bed.azurite = await new Azurite({ name: blobstore.account, key: blobstore.key }).start();
      await bed.azurite.container(blobstore.container);
      blobEndpoint = bed.azurite.blobEndpoint;
    }
    bed.target = {
      api: azureApi,
      ml: bed.ml,
      arm: bed.arm,
      ws: bed.ws,
      discoveryUrl: bed.discoveryUrl,
      identity: bed.credential,
      blob: { blobEndpoint, retry: { maxTries: 2, retryDelayInMs: 1, maxRetryDelayInMs: 5 } },
      pollIntervalMs: 1,
    };
  });
  after(async () => {
    await bed.fake?.stop();
    await bed.azurite?.stop();
  });
  return bed;
}
