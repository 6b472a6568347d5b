/**
 * How long an entity is cached. Each subgraph describes its own entities' lifetimes (its
 * entities.ts); a tenant overrides the fresh TTL per entity in its registry entry
 * (`cache.ttlSeconds: { "Order": 30 }`). No entity type is listed here.
 */

export interface CachePolicy {
  /** How long an entry is served without asking the upstream. */
  ttlSeconds: number;
  /** How long after `ttlSeconds` an entry may still be served when the upstream has an outage. */
  maxStaleSeconds: number;
  /** How long a not-found is remembered (never longer than `ttlSeconds`). */
  negativeTtlSeconds: number;
}

/** For a cache type its subgraph gives no lifetimes of its own. */
export const DEFAULT_CACHE_POLICY: Readonly<CachePolicy> = Object.freeze({ ttlSeconds: 60, maxStaleSeconds: 900, negativeTtlSeconds: 30 });

/**
 * The policy of one entity for one tenant: the subgraph's `base` (or {@link DEFAULT_CACHE_POLICY}),
 * with the tenant's `ttlSeconds` override for `entity` applied. The negative TTL never exceeds the
 * fresh TTL. Throws a TypeError on an override that is not a positive finite number (the registry
 * validates them at start-up, so this only fires on a programming error).
 */
export function cachePolicyFor(
  entity: string,
  base: Readonly<CachePolicy> = DEFAULT_CACHE_POLICY,
  tenantTtlOverrides?: Readonly<Record<string, number>>,
): CachePolicy {
  const override = tenantTtlOverrides && Object.hasOwn(tenantTtlOverrides, entity) ? tenantTtlOverrides[entity] : undefined;
  if (override === undefined) return { ...base };
  if (typeof override !== 'number' || !Number.isFinite(override) || override <= 0) {
    throw new TypeError(`cache.ttlSeconds.${entity} must be a positive number of seconds, got ${JSON.stringify(override)}`);
  }
  return { ttlSeconds: override, maxStaleSeconds: base.maxStaleSeconds, negativeTtlSeconds: Math.min(base.negativeTtlSeconds, override) };
}
