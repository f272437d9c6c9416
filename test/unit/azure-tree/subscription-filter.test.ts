// The subscription filter's plain logic: reading the setting, the quick pick's items, and the new filter a pick makes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  filterFromPick,
  filterShows,
  readSubscriptionFilter,
  subscriptionPickItems,
  type TenantListing,
} from '../../../src/vscode/azure/subscription-filter';

const home = { tenantId: 'tenant-home', displayName: 'Contoso' };
const other = { tenantId: 'tenant-other', defaultDomain: 'fabrikam.example' };
const sub = (subscriptionId: string, displayName: string, tenantId: string, state = 'Enabled') => ({
  subscriptionId,
  displayName,
  tenantId,
  state,
});
const listings: TenantListing[] = [
  { tenant: home, subscriptions: [sub('BBBB-2', 'Prod', home.tenantId), sub('aaaa-1', 'Dev', home.tenantId)] },
  { tenant: other, subscriptions: [sub('cccc-3', 'Research', other.tenantId, 'Warned')] },
];

test('the setting reads as lower-cased ids; unset, empty or malformed is no filter (every subscription)', () => {
  assert.deepEqual(readSubscriptionFilter(undefined), []);
  assert.deepEqual(readSubscriptionFilter('aaaa-1'), []);
  assert.deepEqual(readSubscriptionFilter([' AAAA-1 ', 'aaaa-1', 3, '', 'cccc-3']), ['aaaa-1', 'cccc-3']);
  assert.equal(filterShows([], 'anything'), true);
  assert.equal(filterShows(['bbbb-2'], 'BBBB-2'), true, 'ids compare without case');
  assert.equal(filterShows(['bbbb-2'], 'aaaa-1'), false);
});

test('the pick lists each tenant then its subscriptions by name, with id and tenant, the filtered ones checked', () => {
  const items = subscriptionPickItems(listings, ['bbbb-2']);
  assert.deepEqual(
    items.map((i) => [i.kind, i.label, i.description, i.picked]),
    [
      ['tenant', 'Contoso', 'tenant-home', undefined],
      ['subscription', 'Dev', 'aaaa-1', false],
      ['subscription', 'Prod', 'BBBB-2', true],
      ['tenant', 'fabrikam.example', 'tenant-other', undefined],
      ['subscription', 'Research', 'cccc-3', false],
    ],
  );
  assert.equal(items[4].detail, 'Tenant fabrikam.example · Warned');
  assert.ok(
    subscriptionPickItems(listings, []).every((i) => i.kind === 'tenant' || i.picked),
    'no filter: every subscription checked',
  );
});

test('a tenant that could not be listed says why in its heading', () => {
  const items = subscriptionPickItems(
    [{ tenant: home, subscriptions: [], problem: 'sign in to this tenant to see its subscriptions' }],
    [],
  );
  assert.deepEqual(
    items.map((i) => i.label),
    ['Contoso: sign in to this tenant to see its subscriptions'],
  );
});

test('checking some subscriptions makes a filter of their ids', () => {
  assert.deepEqual(filterFromPick(listings, ['cccc-3', 'BBBB-2'], []), ['bbbb-2', 'cccc-3']);
});

test('checking every listed subscription is no filter, so subscriptions added later show too', () => {
  assert.deepEqual(filterFromPick(listings, ['aaaa-1', 'BBBB-2', 'cccc-3'], ['aaaa-1']), []);
});

test('checking nothing changes nothing (undefined), never a filter that hides everything', () => {
  assert.equal(filterFromPick(listings, [], ['aaaa-1']), undefined);
});

test('ids of subscriptions this listing could not show (a tenant that needs sign-in) stay in the filter', () => {
  assert.deepEqual(filterFromPick(listings, ['aaaa-1'], ['bbbb-2', 'mfa-9']), ['aaaa-1', 'mfa-9']);
});

test('with a tenant unlisted, checking every listed subscription keeps an existing filter explicit', () => {
  const partial: TenantListing[] = [...listings, { tenant: { tenantId: 'tenant-mfa' }, subscriptions: [], problem: 'sign in' }];
  assert.deepEqual(filterFromPick(partial, ['aaaa-1', 'bbbb-2', 'cccc-3'], ['aaaa-1', 'mfa-9']), ['aaaa-1', 'bbbb-2', 'cccc-3', 'mfa-9']);
  assert.deepEqual(filterFromPick(partial, ['aaaa-1', 'bbbb-2', 'cccc-3'], []), [], 'no filter before: still none');
});
