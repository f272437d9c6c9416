// The real @azure/identity (AzureCliCredential, driven by a fake `az` on PATH) and the real ARM client against
// the fake: tokens are asked for the ARM resource and the tenant, and reach the server as bearer tokens.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { AzureCliCredential } from '@azure/identity';
import { mlClient } from '../../../src/core/azure/client';
import { computePages } from '../../../src/core/azure/resources/computes';
import { listSubscriptions } from '../../../src/core/azure/resources/subscriptions';
import { jwtPayload } from '../../fakes/arm/token';
import { installFakeAz } from '../../fakes/az-cli';
import { testSubscription, testTenant } from '../../fakes/arm/world';
import { useFakeArm } from './fake-arm';

const bed = useFakeArm();
const az = installFakeAz(testTenant.tenantId);
after(() => az.remove());

test('AzureCliCredential tokens list subscriptions and computes through the real pipeline', async () => {
  const credential = new AzureCliCredential({ tenantId: testTenant.tenantId });
  const subs = await listSubscriptions(credential, bed.endpoint);
  assert.deepEqual(
    subs.map((s) => s.displayName),
    ['Local test subscription'],
  );
  const ml = mlClient(credential, testSubscription.subscriptionId, bed.endpoint);
  const page = await computePages(ml, bed.ws)();
  assert.ok(page.items.some((c) => c.name === 'cpu-cluster'));

  const call = az.calls()[0];
  assert.deepEqual(call.slice(0, 2), ['account', 'get-access-token']);
  assert.equal(call[call.indexOf('--resource') + 1], 'https://management.azure.com');
  assert.equal(call[call.indexOf('--tenant') + 1], testTenant.tenantId);
  const seen = bed.fake.requests.filter((r) => r.route === 'computes.list').at(-1)!;
  const claims = jwtPayload(seen.authorization!.replace(/^Bearer /, ''))!;
  assert.deepEqual([claims.aud, claims.tid], ['https://management.azure.com', testTenant.tenantId]);
});

test('a token for the wrong audience is refused with a sign-in message', async () => {
  const wrong = {
    getToken: async () => ({
      token: (await bed.credential.getToken('https://storage.azure.com/.default'))!.token,
      expiresOnTimestamp: Date.now() + 3600_000,
    }),
  };
  const ml = mlClient(wrong, testSubscription.subscriptionId, bed.endpoint);
  await assert.rejects(
    computePages(ml, bed.ws)(),
    (e: Error & { status?: number }) =>
      e.status === 401 && /audience https:\/\/storage\.azure\.com/.test(e.message) && /Sign in again/.test(e.message),
  );
});
