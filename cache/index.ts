/**
 * The entity cache: pick an implementation from configuration, plus everything a subgraph needs to
 * read through it. The event bus lives beside it in cache/ with its own entry point.
 */
import type { EntityCache } from './entity-cache';
import type { Logger } from './log';
import { createMemoryEntityCache } from './memory-cache';
import { createRedisEntityCache } from './redis-cache';

export type { CacheEntry, CacheLookup, EntityCache } from './entity-cache';
export { CACHE_SCHEMA_VERSION, entityKey, entityTypePrefix } from './keys';
export { cachePolicyFor, DEFAULT_CACHE_POLICY, type CachePolicy } from './policy';
export { createMemoryEntityCache, type MemoryEntityCache, type MemoryEntityCacheOptions } from './memory-cache';
export { createRedisEntityCache, redisClientOptions, type RedisEntityCache, type RedisEntityCacheOptions } from './redis-cache';
export { createReadThroughLoader, invalidationEpoch, type ReadThroughOptions, type StaleServe } from './read-through';
export { entityCacheMetrics, entityCacheRegistry } from './metrics';
export { invalidateEntities, invalidateTypes, type DependentTypes, type EntityRef } from './invalidation';

/** Redis when `redisUrl` is set, else the in-process LRU (the zero-config default). */
export function createEntityCache(opts: { redisUrl?: string | undefined; logger?: Logger }): EntityCache {
  const { redisUrl, logger } = opts;
  return redisUrl ? createRedisEntityCache({ url: redisUrl, ...(logger ? { logger } : {}) }) : createMemoryEntityCache(logger ? { logger } : {});
}
