/**
 * The one way a subgraph builds a keyed loader (per request): through the entity cache when there
 * is one, a plain batching DataLoader without, or, for the benchmark's baseline (`naive`), neither
 * batching nor memoisation (one upstream call per load).
 */
import DataLoader from 'dataloader';
import { cachePolicyFor, createReadThroughLoader, entityKey, invalidationEpoch, type CachePolicy, type EntityCache, type StaleServe } from '../../cache';
import { entityOf, type EntityDescriptions } from './entities';

export { invalidationEpoch };
import type { TenantConfig } from '../../tenancy/registry';
import { isUpstreamOutage } from './errors';
import type { Economy } from './server';

export interface KeyedLoaderOptions<K extends string | number, V> {
  tenant: TenantConfig;
  economy: Economy;
  cache: EntityCache | undefined;
  /** Cache key segment (entity type or lookup name), e.g. `Order` or `CustomerOrders`. */
  cacheType: string;
  /** The subgraph's entity descriptions: `cacheType` is an entity or derived from one, whose lifetimes (and tenant override) apply. */
  entities: EntityDescriptions;
  /** One upstream call for all keys; missing keys are not found. */
  fetchMany: (keys: readonly K[]) => Promise<Map<K, V>>;
  /** The upstream's batch limit (ids per call). */
  maxBatchSize: number;
  onStale?: ((serve: StaleServe) => void) | undefined;
  /** DataLoader name, e.g. `odoo.Order`. */
  name: string;
}

/** A keyed loader that can also take records another call already read (a lookup, a list). */
export type KeyedLoader<K extends string | number, V> = DataLoader<K, V | null> & {
  /**
   * This request's answer for `key` (no upstream call for it), written to the entity cache too so
   * that a later request finds it there, as if this loader had fetched it, unless an invalidation
   * happened since `readAt` (the {@link invalidationEpoch} taken before the read that found it).
   */
  primeThrough(key: K, value: V, readAt: number): void;
};

export function keyedLoader<K extends string | number, V>(o: KeyedLoaderOptions<K, V>): KeyedLoader<K, V> {
  const owner = entityOf(o.entities, o.cacheType);
  const policy = cachePolicyFor(owner.entity, owner.cache, o.tenant.cache.ttlSeconds);
  const loader = plainKeyedLoader(o, policy);
  const cache = o.cache && o.economy !== 'naive' ? o.cache : undefined;
  const primeThrough = (key: K, value: V, readAt: number): void => {
    if (o.economy === 'naive') return;
    loader.prime(key, value);
    if (!cache || invalidationEpoch() !== readAt) return;
    const now = Date.now();
    const freshUntil = now + policy.ttlSeconds * 1_000;
    // Fire and forget: our caches never throw, and an unwritten entry is only a later miss.
    void cache.setMany([{ key: entityKey(o.tenant.id, o.cacheType, key), entry: { value, storedAt: now, freshUntil, staleUntil: freshUntil + policy.maxStaleSeconds * 1_000 } }]);
  };
  return Object.assign(loader, { primeThrough });
}

function plainKeyedLoader<K extends string | number, V>(o: KeyedLoaderOptions<K, V>, policy: CachePolicy): DataLoader<K, V | null> {
  if (o.cache && o.economy !== 'naive') {
    return createReadThroughLoader<K, V>({
      cache: o.cache,
      tenant: o.tenant.id,
      type: o.cacheType,
      policy,
      fetchMany: o.fetchMany,
      isOutage: isUpstreamOutage,
      ...(o.onStale ? { onStale: o.onStale } : {}),
      maxBatchSize: o.maxBatchSize,
      name: o.name,
    });
  }
  const batch = async (keys: readonly K[]): Promise<Array<V | null>> => {
    const found = await o.fetchMany(keys);
    return keys.map((k) => found.get(k) ?? null);
  };
  return new DataLoader<K, V | null>(batch, o.economy === 'naive' ? { batch: false, cache: false, name: o.name } : { maxBatchSize: o.maxBatchSize, name: o.name });
}
