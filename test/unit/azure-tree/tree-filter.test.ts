// The Azure ML tree's root under the subscription filter, with the real Azure layer against the fake ARM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as api from '../../../src/core/azure';
import { Clients, type AzureAccess } from '../../../src/vscode/azure/access';
import { azureRoots, listSubscriptions, type TreeContext } from '../../../src/vscode/azure/nodes';
import { filterFromPick, subscriptionPickItems } from '../../../src/vscode/azure/subscription-filter';
import { TreeModel } from '../../../src/vscode/tree/framework/tree-model';
import type { TreeNode } from '../../../src/vscode/tree/framework/node';
import { FakeCredential } from '../../fakes/arm/token';
import { mfaSubscription, testResourceGroup, testSubscription, testWorkspace } from '../../fakes/arm/world';
import { useFakeArm } from '../azure/fake-arm';

const bed = useFakeArm();

function tree(opts: { mfa?: boolean; filter?: string[]; preselect?: TreeContext['preselect'] } = {}) {
  const access: AzureAccess = {
    api: async () => api,
    endpoint: bed.endpoint,
    signedIn: async () => true,
    credential: (tenantId) => new FakeCredential(tenantId ?? bed.credential.tenantId, opts.mfa ?? false),
  };
  const ctx: TreeContext = { clients: new Clients(access), preselect: opts.preselect, subscriptionFilter: opts.filter };
  const model = new TreeModel({ roots: (signal) => azureRoots(ctx, signal), signIn: { command: 'parallelRun.azure.signIn' } });
  return { model, ctx };
}
const labels = (nodes: TreeNode[]) => nodes.map((n) => n.view().label);

test('the root shows only the subscriptions the filter names (ids compared without case)', async () => {
  const rows = await tree({ mfa: true, filter: [mfaSubscription.subscriptionId.toUpperCase()] }).model.children();
  assert.deepEqual(labels(rows), [mfaSubscription.displayName]);
  assert.equal(rows[0].view().description, undefined);
});

test('an empty filter shows every subscription of every tenant', async () => {
  const rows = await tree({ mfa: true, filter: [] }).model.children();
  assert.deepEqual(labels(rows).sort(), [testSubscription.displayName, mfaSubscription.displayName].sort());
});

test('a filter that hides every subscription shows a row that says so and opens Select Subscriptions…', async () => {
  const rows = await tree({ filter: ['99999999-0000-0000-0000-000000000000'] }).model.children();
  const first = rows[0].view();
  assert.equal(first.label, 'No subscriptions selected');
  assert.match(first.description ?? '', /The only subscription is hidden by the filter/);
  assert.equal(first.command?.command, 'parallelRun.azure.selectSubscriptions');
  // The MFA tenant still asks for its sign-in below it: hiding a subscription never hides why a tenant is missing.
  assert.deepEqual(labels(rows.slice(1)), ['Local MFA tenant: Sign in to this tenant…']);
});

test("the selected workspace's subscription shows even when filtered out, and says so", async () => {
  const preselect = { subscriptionId: testSubscription.subscriptionId, resourceGroup: testResourceGroup, workspace: testWorkspace };
  const rows = await tree({ mfa: true, filter: [mfaSubscription.subscriptionId], preselect }).model.children();
  assert.deepEqual(labels(rows), [testSubscription.displayName, mfaSubscription.displayName]);
  assert.equal(rows[0].view().description, 'not in the subscription filter');
  assert.equal(rows[0].view().collapsible, 'expanded');
  assert.equal(rows[1].view().description, undefined);
});

test('the pick lists every signed-in tenant, and a pick of one subscription filters the root to it', async () => {
  const { ctx } = tree({ mfa: true });
  const listings = await listSubscriptions(ctx, new AbortController().signal);
  const items = subscriptionPickItems(listings, []);
  assert.deepEqual(
    items.filter((i) => i.kind === 'subscription').map((i) => [i.label, i.picked]),
    [
      [testSubscription.displayName, true],
      [mfaSubscription.displayName, true],
    ],
  );
  const filter = filterFromPick(listings, [testSubscription.subscriptionId], []);
  assert.deepEqual(filter, [testSubscription.subscriptionId]);
  assert.deepEqual(labels(await tree({ mfa: true, filter }).model.children()), [testSubscription.displayName]);
});

test("without MFA the pick names the tenant that needs a sign-in, and keeps that tenant's filtered ids", async () => {
  const { ctx } = tree();
  const listings = await listSubscriptions(ctx, new AbortController().signal);
  const heading = subscriptionPickItems(listings, []).find((i) => i.kind === 'tenant' && /MFA/.test(i.label));
  assert.equal(heading?.label, 'Local MFA tenant: sign in to this tenant to see its subscriptions');
  assert.deepEqual(filterFromPick(listings, [testSubscription.subscriptionId], [mfaSubscription.subscriptionId]), [
    testSubscription.subscriptionId,
    mfaSubscription.subscriptionId,
  ]);
});
