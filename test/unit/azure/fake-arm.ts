// Starts the fake ARM for a test file and builds the real SDK clients pointed at it.
import { after, before } from 'node:test';
import type { ServiceClient } from '@azure/core-client';
import type { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import { armClient, mlClient, type ArmEndpoint } from '../../../src/core/azure/client';
import type { WorkspaceRef } from '../../../src/core/azure/resources/types';
import { FakeArm } from '../../fakes/arm/server';
import { FakeCredential } from '../../fakes/arm/token';
import { testResourceGroup, testSubscription, testWorkspace } from '../../fakes/arm/world';

export interface Bed {
  fake: FakeArm;
  endpoint: ArmEndpoint;
  credential: FakeCredential;
  ml: AzureMachineLearningWorkspaces;
  arm: ServiceClient;
  ws: WorkspaceRef;
  discoveryUrl: string;
}

/** Backoff of 1–5 ms: retries happen for real, but tests never wait on a clock. */
export const fastRetry = { retryDelayInMs: 1, maxRetryDelayInMs: 5 };

/** One fake per test file: started before the first test, stopped after the last. */
export function useFakeArm(): Bed {
  const bed = {} as Bed;
  before(async () => {
    bed.fake = await new FakeArm().start();
    bed.endpoint = { resourceManager: bed.fake.endpoint, ca: bed.fake.ca, retry: fastRetry };
    bed.credential = new FakeCredential();
    bed.ml = mlClient(bed.credential, testSubscription.subscriptionId, bed.endpoint);
    bed.arm = armClient(bed.credential, bed.endpoint);
    bed.ws = { subscriptionId: testSubscription.subscriptionId, resourceGroup: testResourceGroup, workspace: testWorkspace };
    bed.discoveryUrl = `${bed.fake.endpoint}/discovery`;
  });
  after(async () => {
    await bed.fake.stop();
  });
  return bed;
}
