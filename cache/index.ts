/**
 * The entity cache: pick an implementation from configuration, plus everything a subgraph needs to
 * read through it.
 */
import type { EntityCache } from './entity-cache';
import type { Logger } from './log';
import { createMemoryEntityCache } from './memory-cache';
import { createRedisEntityCache } from './redis-cache';

export type { CacheEntry, CacheLookup, EntityCache, EntityCacheServiceOptions, EntityStore, PrimeEntry } from './entity-cache';
export { CACHE_SCHEMA_VERSION, entityKey, entityTypePrefix } from './keys';
export { cachePolicyFor, DEFAULT_CACHE_POLICY, type CachePolicy } from './policy';
export { createMemoryEntityCache, type MemoryEntityCache, type MemoryEntityCacheOptions, type MemoryTenantUsage } from './memory-cache';
export { createRedisEntityCache, redisClientOptions, type RedisEntityCache, type RedisEntityCacheOptions } from './redis-cache';
export { createReadThroughLoader, type ReadThroughOptions, type StaleServe } from './read-through';
export { entityCacheMetrics, entityCacheRegistry } from './metrics';
export { invalidateEntities, invalidateTypes, type DependentTypes, type EntityRef } from './invalidation';

export interface EntityCacheOptions {
  redisUrl?: string | undefined;
  logger?: Logger | undefined;
  /** Epoch ms now, for every freshness and expiry decision (tests inject a clock they move). @default Date.now */
  clock?: (() => number) | undefined;
}

/** Redis when `redisUrl` is set, else the in-process LRU partitioned per tenant (the zero-config default). */
export function createEntityCache(opts: EntityCacheOptions): EntityCache {
  const { redisUrl, logger, clock } = opts;
  const common = { ...(logger ? { logger } : {}), ...(clock ? { clock } : {}) };
  return redisUrl ? createRedisEntityCache({ url: redisUrl, ...common }) : createMemoryEntityCache(common);
}
