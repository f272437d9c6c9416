// Tenants and subscriptions the signed-in account sees (ARM, api-version 2022-12-01).
import type { TokenCredential } from '@azure/core-auth';
import { armClient, type ArmEndpoint } from '../client';
import { allItems, type PageLoader } from '../http/paging';
import { jsonPage } from '../http/rest';
import type { Subscription, Tenant } from './types';

const apiVersion = '2022-12-01';

interface RawTenant {
  tenantId: string;
  displayName?: string;
  defaultDomain?: string;
}
interface RawSubscription {
  subscriptionId: string;
  tenantId: string;
  displayName: string;
  state: string;
}

export function tenantPages(credential: TokenCredential, endpoint: ArmEndpoint): PageLoader<Tenant> {
  const client = armClient(credential, endpoint);
  const url = `${endpoint.resourceManager.replace(/\/+$/, '')}/tenants?api-version=${apiVersion}`;
  return (c, signal) =>
    jsonPage<RawTenant, Tenant>(
      client,
      'list your tenants',
      url,
      c,
      (t) => ({ tenantId: t.tenantId, displayName: t.displayName, defaultDomain: t.defaultDomain }),
      signal,
    );
}

export function subscriptionPages(credential: TokenCredential, endpoint: ArmEndpoint): PageLoader<Subscription> {
  const client = armClient(credential, endpoint);
  const url = `${endpoint.resourceManager.replace(/\/+$/, '')}/subscriptions?api-version=${apiVersion}`;
  return (c, signal) =>
    jsonPage<RawSubscription, Subscription>(
      client,
      'list your subscriptions',
      url,
      c,
      (s) => ({
        subscriptionId: s.subscriptionId,
        tenantId: s.tenantId,
        displayName: s.displayName,
        state: s.state,
      }),
      signal,
    );
}

/** Every tenant (a short list: accounts see a handful). */
export function listTenants(credential: TokenCredential, endpoint: ArmEndpoint): Promise<Tenant[]> {
  return allItems(tenantPages(credential, endpoint));
}

/** Every subscription the credential's tenant shows, in ARM's order. */
export function listSubscriptions(credential: TokenCredential, endpoint: ArmEndpoint): Promise<Subscription[]> {
  return allItems(subscriptionPages(credential, endpoint));
}
