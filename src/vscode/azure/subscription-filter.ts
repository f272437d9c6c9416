/**
 * The subscription filter of the Azure ML view: `parallelRun.azure.subscriptions`, a list of subscription ids
 * (empty or unset: every subscription, as the Azure Account and Azure Resources extensions do). Plain logic
 * over plain data, so the pick and the root filtering are tested without VS Code.
 */
import type { Subscription, Tenant } from '../../core/azure/resources/types';

/** The setting, in the `parallelRun` section. */
export const SUBSCRIPTION_FILTER_KEY = 'azure.subscriptions';

/** The setting's value as a filter: subscription ids, trimmed, lower-cased, duplicates dropped; anything else is no filter. */
export function readSubscriptionFilter(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const ids = value.filter((v): v is string => typeof v === 'string').map((v) => v.trim().toLowerCase());
  return [...new Set(ids.filter((v) => v !== ''))];
}

/** True when the filter shows this subscription (an empty filter shows all). */
export function filterShows(filter: readonly string[], subscriptionId: string): boolean {
  const id = subscriptionId.toLowerCase();
  return filter.length === 0 || filter.some((f) => f.toLowerCase() === id);
}

/** One tenant's listing, as the tree's roots read it: its subscriptions, or why it could not list them. */
export interface TenantListing {
  tenant: Tenant;
  subscriptions: Subscription[];
  /** Set when the tenant could not be listed (needs another sign-in, or failed). */
  problem?: string;
}

export interface SubscriptionPickItem {
  /** A tenant's heading (no subscription), or a subscription to check. */
  kind: 'tenant' | 'subscription';
  label: string;
  description?: string;
  detail?: string;
  subscriptionId?: string;
  picked?: boolean;
}

/**
 * The quick pick's items: each tenant's heading, then its subscriptions (name, id, tenant), those the filter
 * shows checked. A tenant that could not be listed says why under its heading-only entry.
 */
export function subscriptionPickItems(listings: readonly TenantListing[], filter: readonly string[]): SubscriptionPickItem[] {
  const out: SubscriptionPickItem[] = [];
  for (const { tenant, subscriptions, problem } of listings) {
    const tenantName = tenant.displayName ?? tenant.defaultDomain ?? tenant.tenantId;
    out.push({
      kind: 'tenant',
      label: problem ? `${tenantName}: ${problem}` : tenantName,
      description: tenant.tenantId,
    });
    for (const s of [...subscriptions].sort((a, b) => a.displayName.localeCompare(b.displayName)))
      out.push({
        kind: 'subscription',
        label: s.displayName,
        description: s.subscriptionId,
        detail: `Tenant ${tenantName}${s.state !== 'Enabled' ? ` · ${s.state}` : ''}`,
        subscriptionId: s.subscriptionId,
        picked: filterShows(filter, s.subscriptionId),
      });
  }
  return out;
}

/**
 * The new filter from the ids the user checked: every listed subscription checked is no filter (`[]`, so
 * subscriptions added later show too) unless a tenant could not be listed while a filter was set; otherwise the checked ids plus the old filter's ids this listing did not
 * show (a tenant that needs another sign-in keeps its choice). `undefined` when nothing is checked: a filter
 * that hides everything is never stored by the pick.
 */
export function filterFromPick(
  listings: readonly TenantListing[],
  checked: readonly string[],
  previous: readonly string[],
): string[] | undefined {
  const listed = new Set(listings.flatMap((l) => l.subscriptions.map((s) => s.subscriptionId.toLowerCase())));
  const chosen = new Set(checked.map((id) => id.toLowerCase()).filter((id) => listed.has(id)));
  if (chosen.size === 0) return undefined;
  // With a tenant unlisted, "all checked" cannot tell whether its subscriptions were meant: an existing filter stays explicit.
  const partial = listings.some((l) => l.problem !== undefined);
  if (chosen.size === listed.size && (previous.length === 0 || !partial)) return [];
  const kept = previous.filter((id) => !listed.has(id));
  return [...new Set([...[...chosen].sort(), ...kept])];
}
