/**
 * The one way a subgraph builds a keyed loader (per request): through the entity cache when there
 * is one, a plain batching DataLoader without, or, for the benchmark's baseline (`naive`), neither
 * batching nor memoisation (one upstream call per load).
 */
import DataLoader from 'dataloader';
import { cachePolicyFor, createReadThroughLoader, entityKey, type CachePolicy, type EntityCache, type StaleServe } from '../../cache';
import { entityOf, type EntityDescriptions } from './entities';
import type { TenantConfig } from '../../tenancy/registry';
import { isUpstreamOutage } from './errors';
import type { Economy } from './server';

/**
 * The invalidation epoch of `cache` (`EntityCache.invalidationEpoch`), to take before a read whose
 * records are then handed to {@link KeyedLoader.primeThrough} as `readAt` (0 without a cache:
 * nothing is written then).
 */
export function invalidationEpoch(cache: EntityCache | undefined): number {
  return cache ? cache.invalidationEpoch() : 0;
}

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
   * This request's answer for `key` from now on (no upstream call for it, even where a load of it
   * already waits in a batch), written to the entity cache too so
   * that a later request finds it there, as if this loader had fetched it, unless an invalidation
   * happened since `readAt` (the {@link invalidationEpoch} of the same cache, taken before the read
   * that found it). The write goes through the cache service's guard (`primeIfUnchanged`).
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
    // Read before an invalidation: it answers only where this request has nothing yet, and is never cached.
    if (cache && cache.invalidationEpoch() !== readAt) {
      loader.prime(key, value);
      return;
    }
    // Replaces a load of `key` still waiting in a batch: its callers get the batch's answer, later
    // ones this record now, without waiting a hop for a read that already came.
    loader.clear(key).prime(key, value);
    if (!cache) return;
    // Fire and forget: it never throws, and an unwritten entry is only a later miss.
    void cache.primeIfUnchanged([{ key: entityKey(o.tenant.id, o.cacheType, key), value, policy }], readAt);
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
  return new DataLoader<K, V | null>(
    batch,
    o.economy === 'naive' ? { batch: false, cache: false, name: o.name } : { maxBatchSize: o.maxBatchSize, name: o.name },
  );
}
