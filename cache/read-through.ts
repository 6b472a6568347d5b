/**
 * A per-request DataLoader that reads through the entity cache.
 *
 * One batch = one cache read (MGET) + at most one upstream call (`fetchMany`) for the misses,
 * whose answers are written back (one pipeline) with the policy's TTLs; a not-found is remembered
 * as a negative entry for the negative TTL only. When `fetchMany` fails with an outage, expired
 * records still within `maxStaleSeconds` are served (and reported through `onStale`); not-founds never are. Across loaders of the same cache
 * (other requests of the process), a key that is already being fetched is not fetched again: the
 * later loader joins the in-flight fetch (single flight, keyed by the full tenant-scoped cache key,
 * owned by the cache service). There is no single flight across replicas. Every time (freshness,
 * stale age, TTLs) comes from the cache's clock.
 */
import DataLoader from 'dataloader';
import type { CacheEntry, CacheLookup, EntityCache } from './entity-cache';
import { entityKey } from './keys';
import type { CachePolicy } from './policy';
import { entityCacheMetrics } from './metrics';
import { entryFor } from './service';
import type { Flight, Outcome } from './single-flight';

export interface StaleServe {
  type: string;
  id: string;
  /** Seconds since the served entry was fetched from the upstream. */
  ageSeconds: number;
}

export interface ReadThroughOptions<K extends string | number, V> {
  cache: EntityCache;
  tenant: string;
  type: string;
  policy: CachePolicy;
  /** One upstream call for all keys; the map holds found records (missing keys = not found). Rejects with the upstream's error. */
  fetchMany(keys: readonly K[]): Promise<Map<K, V>>;
  /** Whether an error from fetchMany is an outage worth serving stale entries for (else it propagates). */
  isOutage(err: unknown): boolean;
  /** Called for each stale entry served (the subgraph reports these in the response). Must not throw (a throw is ignored). */
  onStale?(serve: StaleServe): void;
  /** Keys per batch. @default 200 */
  maxBatchSize?: number;
  /** The DataLoader's name. @default `cache.${type}` */
  name?: string;
}

const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(`fetchMany rejected with ${String(err)}`, { cause: err }));

function validate<K extends string | number, V>(opts: ReadThroughOptions<K, V>): number {
  const { maxBatchSize = 200, policy } = opts;
  if (!Number.isSafeInteger(maxBatchSize) || maxBatchSize < 1) {
    throw new TypeError(`createReadThroughLoader: maxBatchSize must be a positive integer, got ${String(maxBatchSize)}`);
  }
  for (const field of ['ttlSeconds', 'maxStaleSeconds', 'negativeTtlSeconds'] as const) {
    const v = policy[field];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new TypeError(`createReadThroughLoader: policy.${field} must be a non-negative number, got ${String(v)}`);
    }
  }
  if (typeof opts.fetchMany !== 'function' || typeof opts.isOutage !== 'function') {
    throw new TypeError('createReadThroughLoader: fetchMany and isOutage must be functions');
  }
  entityKey(opts.tenant, opts.type, 'probe'); // throws a TypeError on a bad tenant or type
  return maxBatchSize;
}

/** A DataLoader (per request!) that reads through the cache; see the module comment. Resolves null for not found. */
export function createReadThroughLoader<K extends string | number, V>(opts: ReadThroughOptions<K, V>): DataLoader<K, V | null> {
  const maxBatchSize = validate(opts);
  const { cache, tenant, type, policy, fetchMany, isOutage, onStale } = opts;
  const labels = { type };

  /**
   * Fetches these keys in one upstream call, answers their flights, writes the answers back (not
   * for invalidated flights), then lands the flights.
   */
  async function fly(keys: readonly K[], cacheKeys: readonly string[], flights: ReadonlyArray<Flight<V>>): Promise<void> {
    try {
      let found: Map<K, V>;
      try {
        found = await fetchMany(keys);
        if (!(found instanceof Map)) throw new TypeError(`fetchMany of ${type} must resolve to a Map, got ${typeof found}`);
      } catch (err) {
        for (const f of flights) f.reject(err);
        return;
      }
      const now = cache.now();
      const writes: Array<{ key: string; entry: CacheEntry }> = [];
      keys.forEach((key, i) => {
        const value = found.get(key);
        const outcome: Outcome<V> = value === undefined || value === null ? { found: false } : { found: true, value };
        const f = flights[i];
        f?.resolve(outcome);
        // An entry invalidated while it was being fetched may predate the change: never write it back.
        if (f && !f.invalidated) writes.push({ key: cacheKeys[i] ?? '', entry: entryFor(outcome.found ? outcome.value : null, policy, now) });
      });
      try {
        await cache.setMany(writes); // ours never throw; a foreign store might
      } catch {
        // the answers are already out; an unwritten cache entry is only a later miss
      }
    } finally {
      cacheKeys.forEach((key, i) => {
        const f = flights[i];
        if (f) cache.flights.finish(key, f);
      });
    }
  }

  function serveStale(key: K, entry: CacheEntry | undefined, now: number): V | null | undefined {
    // A not-found is never served stale (entryFor expires it with its freshness); an older entry may still say otherwise.
    if (!entry || entry.value === null) return undefined;
    const servableUntil = Math.min(entry.staleUntil, entry.freshUntil + policy.maxStaleSeconds * 1_000);
    if (now >= servableUntil) return undefined;
    entityCacheMetrics.staleServes.inc(labels);
    if (onStale) {
      try {
        onStale({ type, id: String(key), ageSeconds: Math.max(0, Math.floor((now - entry.storedAt) / 1_000)) });
      } catch {
        // a reporting hook must not turn a served answer into an error
      }
    }
    return entry.value as V | null;
  }

  async function batch(allKeys: readonly K[]): Promise<Array<V | null | Error>> {
    const results: Array<V | null | Error> = new Array<V | null | Error>(allKeys.length).fill(null);
    /** Position in `allKeys` of each valid key; an invalid id fails alone, as a TypeError. */
    const positions: number[] = [];
    const keys: K[] = [];
    const cacheKeys: string[] = [];
    allKeys.forEach((key, position) => {
      try {
        cacheKeys.push(entityKey(tenant, type, key));
        keys.push(key);
        positions.push(position);
      } catch (err) {
        results[position] = asError(err);
      }
    });
    if (keys.length === 0) return results;
    let lookedUp: CacheLookup;
    try {
      lookedUp = await cache.getManyWithStatus(cacheKeys);
    } catch {
      lookedUp = { entries: [], ok: false }; // a foreign store that broke its never-throws contract
    }
    const { entries, ok } = lookedUp;
    const now = cache.now();
    /** Index of each key that needs the upstream, with the flight that will answer it. */
    const waits: Array<{ index: number; flight: Flight<V> }> = [];
    const own: { keys: K[]; cacheKeys: string[]; flights: Array<Flight<V>> } = { keys: [], cacheKeys: [], flights: [] };
    const ownByCacheKey = new Map<string, Flight<V>>();

    keys.forEach((key, index) => {
      const cacheKey = cacheKeys[index] ?? '';
      const entry = entries[index];
      if (entry && entry.freshUntil > now) {
        (entry.value === null ? entityCacheMetrics.negativeHits : entityCacheMetrics.hits).inc(labels);
        results[positions[index] ?? -1] = entry.value as V | null;
        return;
      }
      entityCacheMetrics.misses.inc(labels);
      let f = ownByCacheKey.get(cacheKey);
      if (!f) {
        const other = cache.flights.find<V>(cacheKey);
        if (other) {
          entityCacheMetrics.singleFlightJoins.inc(labels);
          f = other;
        } else {
          f = cache.flights.start<V>(cacheKey);
          ownByCacheKey.set(cacheKey, f);
          own.keys.push(key);
          own.cacheKeys.push(cacheKey);
          own.flights.push(f);
        }
      }
      waits.push({ index, flight: f });
    });

    if (waits.length === 0) return results;
    if (!ok) entityCacheMetrics.redisFallbacks.inc(labels);
    const flying = own.keys.length > 0 ? fly(own.keys, own.cacheKeys, own.flights) : Promise.resolve();

    const settled = await Promise.allSettled(waits.map((w) => w.flight.promise));
    const failedAt = cache.now();
    settled.forEach((s, i) => {
      const { index } = waits[i] ?? { index: -1 };
      const key = keys[index];
      if (key === undefined) return;
      const position = positions[index] ?? -1;
      if (s.status === 'fulfilled') {
        results[position] = s.value.found ? s.value.value : null;
        return;
      }
      let outage: boolean;
      try {
        outage = isOutage(s.reason);
      } catch {
        outage = false;
      }
      const stale = outage ? serveStale(key, entries[index], failedAt) : undefined;
      results[position] = stale === undefined ? asError(s.reason) : stale;
    });
    await flying; // the write-back, so this request's answers are cached when it completes
    return results;
  }

  return new DataLoader<K, V | null>(batch, { maxBatchSize, name: opts.name ?? `cache.${type}` });
}
