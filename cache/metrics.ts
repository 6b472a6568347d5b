/**
 * Entity cache metrics, in their own prom-client Registry (the gateway exposes it at /metrics).
 * Labelled by entity type only, never by tenant or id, so cardinality stays bounded. The change-event
 * counters below share the registry; their `tenant` label is bounded by the tenant registry.
 */
import { Counter, Registry } from 'prom-client';

/** Every entity cache metric is registered here (and nowhere else: not in prom-client's global registry). */
export const entityCacheRegistry = new Registry();

const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
  new Counter<L>({ name, help, labelNames, registers: [entityCacheRegistry] });

export const entityCacheMetrics = {
  /** Fresh cached records served (not-found entries are counted in `negativeHits`). */
  hits: counter('entity_cache_hits_total', 'Fresh cached entities served', ['type']),
  /** Keys not served fresh from the cache (absent, expired or unreadable), hence asked of the upstream. */
  misses: counter('entity_cache_misses_total', 'Entity cache misses', ['type']),
  /** Expired entries served because the upstream had an outage (stale-if-error). */
  staleServes: counter('entity_cache_stale_serves_total', 'Stale entities served during an upstream outage', ['type']),
  /** Fresh cached not-founds served. */
  negativeHits: counter('entity_cache_negative_hits_total', 'Cached not-found answers served', ['type']),
  /** Cache failures (Redis down, timeouts, undecodable entries), by operation. Never surfaced to callers. */
  errors: counter('entity_cache_errors_total', 'Entity cache failures, absorbed', ['type', 'op']),
  /** Batches whose cache read failed and were answered by the upstream instead. */
  redisFallbacks: counter('entity_cache_redis_fallbacks_total', 'Cache read failures that fell back to the upstream', ['type']),
  /** Keys that joined another request's in-flight upstream fetch (single flight) instead of fetching. */
  singleFlightJoins: counter('entity_cache_single_flight_joins_total', 'Keys served by joining an in-flight upstream fetch', ['type']),
  /**
   * Entries the in-process LRU dropped to stay within a tenant's bounds (`reason`: `entries` or `bytes`
   * for records, `negative` for not-founds evicted from the tenant's own not-found LRU).
   */
  evictions: counter('entity_cache_memory_evictions_total', 'Entries evicted from the in-process LRU', ['reason']),
  /** Not-found answers Redis did not cache because their tenant had used its not-found quota for the window. */
  negativeSkips: counter('entity_cache_negative_skips_total', 'Not-found answers left uncached: tenant over its not-found quota', ['type']),
};

/** Change events, counted by both buses (in-process and Redis). */
export const changeEventMetrics = {
  /** Events appended to their tenant's stream (`type`: the public GraphQL type). */
  published: counter('change_events_published_total', 'Change events published', ['tenant', 'source', 'type']),
  /**
   * Events read but never handed to a handler (`reason`: `unparsable`, `tenant_mismatch`), or whose
   * handler threw (`handler_error`, counted once per handler).
   */
  dropped: counter('change_events_dropped_total', 'Change events dropped instead of delivered', ['reason']),
};
