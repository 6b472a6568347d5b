/**
 * How long each entity type is cached. Defaults live here, per entity type; a tenant overrides the
 * fresh TTL per type in its registry entry (`cache.ttlSeconds: { "Order": 30 }`).
 */

export interface CachePolicy {
  /** How long an entry is served without asking the upstream. */
  ttlSeconds: number;
  /** How long after `ttlSeconds` an entry may still be served when the upstream has an outage. */
  maxStaleSeconds: number;
  /** How long a not-found is remembered (never longer than `ttlSeconds`). */
  negativeTtlSeconds: number;
}

/** For entity types without an entry in {@link DEFAULT_CACHE_POLICIES}. */
export const DEFAULT_CACHE_POLICY: Readonly<CachePolicy> = Object.freeze({ ttlSeconds: 60, maxStaleSeconds: 900, negativeTtlSeconds: 30 });

const policy = (ttlSeconds: number, maxStaleSeconds: number, negativeTtlSeconds: number): Readonly<CachePolicy> =>
  Object.freeze({ ttlSeconds, maxStaleSeconds, negativeTtlSeconds });

/**
 * Defaults per entity type (GraphQL type names). Fast-moving operational records (stock, tickets,
 * deliveries) are short; master data (customers, accounts, organizations) is longer.
 */
export const DEFAULT_CACHE_POLICIES: Readonly<Record<string, Readonly<CachePolicy>>> = Object.freeze({
  // Odoo
  Customer: policy(300, 3_600, 60),
  Order: policy(60, 900, 30),
  OrderLine: policy(60, 900, 30),
  Invoice: policy(120, 1_800, 30),
  Delivery: policy(60, 900, 30),
  Product: policy(600, 3_600, 60),
  StockLevel: policy(15, 300, 10),
  Entitlement: policy(300, 3_600, 60),
  // Salesforce
  Account: policy(300, 3_600, 60),
  Contact: policy(300, 3_600, 60),
  Opportunity: policy(120, 1_800, 30),
  AccountByExternalId: policy(300, 3_600, 60),
  AccountsByName: policy(300, 3_600, 60),
  // Zendesk
  Ticket: policy(30, 600, 15),
  ZendeskUser: policy(300, 3_600, 60),
  Organization: policy(600, 3_600, 60),
  ZendeskUserByExternalId: policy(300, 3_600, 60),
  OrganizationByExternalId: policy(600, 3_600, 60),
});

/**
 * The policy of one entity type for one tenant: the type's default (or {@link DEFAULT_CACHE_POLICY}),
 * with the tenant's `ttlSeconds` override applied. The negative TTL never exceeds the fresh TTL.
 * Throws a TypeError on an override that is not a positive finite number (the registry validates
 * them at start-up, so this only fires on a programming error).
 */
export function cachePolicyFor(type: string, tenantTtlOverrides?: Readonly<Record<string, number>>): CachePolicy {
  const base = Object.hasOwn(DEFAULT_CACHE_POLICIES, type) ? DEFAULT_CACHE_POLICIES[type] ?? DEFAULT_CACHE_POLICY : DEFAULT_CACHE_POLICY;
  const override = tenantTtlOverrides && Object.hasOwn(tenantTtlOverrides, type) ? tenantTtlOverrides[type] : undefined;
  if (override === undefined) return { ...base };
  if (typeof override !== 'number' || !Number.isFinite(override) || override <= 0) {
    throw new TypeError(`cache.ttlSeconds.${type} must be a positive number of seconds, got ${JSON.stringify(override)}`);
  }
  return { ttlSeconds: override, maxStaleSeconds: base.maxStaleSeconds, negativeTtlSeconds: Math.min(base.negativeTtlSeconds, override) };
}
