/**
 * A per-request DataLoader that reads through the entity cache.
 *
 * One batch = one cache read (MGET) + at most one upstream call (`fetchMany`) for the misses,
 * whose answers are written back (one pipeline) with the policy's TTLs; a not-found is remembered
 * as a negative entry. When `fetchMany` fails with an outage, expired entries still within
 * `maxStaleSeconds` are served (and reported through `onStale`). Across loaders of the same
 * process (other requests), a key that is already being fetched is not fetched again: the later
 * loader joins the in-flight fetch (single flight, keyed by the full tenant-scoped cache key).
 */
import DataLoader from 'dataloader';
import type { CacheEntry, CacheLookup, EntityCache } from './entity-cache';
import { entityKey } from './keys';
import type { CachePolicy } from './policy';
import { entityCacheMetrics } from './metrics';

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
  /**
   * How long another replica's fetch of a key is waited for (polling the cache) before fetching it
   * here anyway; also the lifetime of this replica's own claims. Only with a cache that has
   * `claimFill` (Redis). @default 2000
   */
  fillWaitMs?: number;
}

/** How often a key another replica is fetching is looked for in the cache. */
const FILL_POLL_MS = 25;

/** What one upstream fetch said about one key. */
type Outcome<V> = { found: true; value: V } | { found: false };

interface Flight<V> {
  /** Set when the key was invalidated during the fetch: its answer is not written back. */
  invalidated?: boolean;
  promise: Promise<Outcome<V>>;
  resolve(outcome: Outcome<V>): void;
  reject(err: unknown): void;
}

/**
 * In-flight upstream fetches of this process, by full cache key (tenant first). An entry lives from
 * the start of the fetch until its answer has been written to the cache, so a loader that missed
 * the cache meanwhile always finds either the flight or the cached answer.
 */
const inFlight = new Map<string, Flight<unknown>>();

/**
 * Forgets in-flight fetches of the matching keys (invalidation): later loaders start a new fetch
 * instead of joining one that may predate the change, and the old fetch's answer is not cached.
 */
export function forgetInFlight(matches: (cacheKey: string) => boolean): void {
  epoch += 1;
  for (const [key, f] of inFlight) {
    if (!matches(key)) continue;
    f.invalidated = true;
    inFlight.delete(key);
  }
}

/** Counts this process's invalidations (see {@link invalidationEpoch}). */
let epoch = 0;

/**
 * The number of invalidations this process has seen. A record read by another call (a lookup, a
 * list) is written to the cache only if no invalidation happened since that call started: it may
 * predate the change. Coarse (any invalidation counts) and safe.
 */
export function invalidationEpoch(): number {
  return epoch;
}

function flight<V>(): Flight<V> {
  let resolve!: (outcome: Outcome<V>) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<Outcome<V>>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined); // its owner and joiners handle the rejection; never "unhandled"
  return { promise, resolve, reject };
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
  const { cache, tenant, type, policy, fetchMany, isOutage, onStale, fillWaitMs = 2_000 } = opts;
  const labels = { type };

  async function lookup(keys: readonly string[]): Promise<CacheLookup> {
    if (cache.getManyWithStatus) return cache.getManyWithStatus(keys);
    return { entries: await cache.getMany(keys), ok: true };
  }

  function entryFor(outcome: Outcome<V>, now: number): CacheEntry {
    const ttlMs = (outcome.found ? policy.ttlSeconds : policy.negativeTtlSeconds) * 1_000;
    const freshUntil = now + ttlMs;
    return { value: outcome.found ? outcome.value : null, storedAt: now, freshUntil, staleUntil: freshUntil + policy.maxStaleSeconds * 1_000 };
  }

  /** Fetches these keys in one upstream call, answers their flights, and writes the answers back (not for invalidated flights). */
  async function fetchAndWrite(keys: readonly K[], cacheKeys: readonly string[], flights: ReadonlyArray<Flight<V>>): Promise<void> {
    if (keys.length === 0) return;
    let found: Map<K, V>;
    try {
      found = await fetchMany(keys);
      if (!(found instanceof Map)) throw new TypeError(`fetchMany of ${type} must resolve to a Map, got ${typeof found}`);
    } catch (err) {
      for (const f of flights) f.reject(err);
      return;
    }
    const now = Date.now();
    const writes: Array<{ key: string; entry: CacheEntry }> = [];
    keys.forEach((key, i) => {
      const value = found.get(key);
      const outcome: Outcome<V> = value === undefined || value === null ? { found: false } : { found: true, value };
      const f = flights[i];
      f?.resolve(outcome);
      // An entry invalidated while it was being fetched may predate the change: never write it back.
      if (f && !f.invalidated) writes.push({ key: cacheKeys[i] ?? '', entry: entryFor(outcome, now) });
    });
    try {
      await cache.setMany(writes); // ours never throw; a foreign EntityCache might
    } catch {
      // the answers are already out; an unwritten cache entry is only a later miss
    }
  }

  /**
   * Keys another replica claimed: answered from the cache as soon as its answer lands there. Those
   * whose claim goes away without an answer (its fetch failed), or still unanswered after
   * `fillWaitMs`, are returned to be fetched here.
   */
  async function waitForOtherReplicas(indexes: number[], cacheKeys: readonly string[], flights: ReadonlyArray<Flight<V>>): Promise<number[]> {
    let pending = indexes;
    const deadline = Date.now() + fillWaitMs;
    const leftovers: number[] = [];
    while (pending.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, FILL_POLL_MS));
      const keys = pending.map((i) => cacheKeys[i] ?? '');
      const [{ entries }, held] = await Promise.all([
        lookup(keys).catch(() => ({ entries: [] as Array<CacheEntry | undefined> })),
        cache.fillClaimed ? cache.fillClaimed(keys).catch(() => keys.map(() => false)) : Promise.resolve(keys.map(() => true)),
      ]);
      const now = Date.now();
      pending = pending.filter((i, j) => {
        const entry = entries[j];
        if (entry && entry.freshUntil > now) {
          entityCacheMetrics.replicaFillJoins.inc(labels);
          flights[i]?.resolve(entry.value === null ? { found: false } : { found: true, value: entry.value as V });
          return false;
        }
        if (held[j] === false) {
          leftovers.push(i);
          return false;
        }
        return true;
      });
    }
    return [...leftovers, ...pending];
  }

  /**
   * Answers the flights this loader registered. With a cache that supports claims (Redis), the keys
   * this replica claims are fetched at once; the ones another replica is fetching are waited for
   * (see waitForOtherReplicas) and fetched here only if that replica does not deliver.
   */
  async function fly(keys: readonly K[], cacheKeys: readonly string[], flights: ReadonlyArray<Flight<V>>): Promise<void> {
    let claim: { claimed: boolean[]; token: string } | undefined;
    try {
      if (cache.claimFill) {
        try {
          claim = await cache.claimFill(cacheKeys, fillWaitMs);
        } catch {
          claim = undefined;
        }
      }
      const mine = keys.map((_, i) => i).filter((i) => claim?.claimed[i] !== false);
      const theirs = keys.map((_, i) => i).filter((i) => claim?.claimed[i] === false);
      const pick = (idx: number[]) => [idx.map((i) => keys[i] as K), idx.map((i) => cacheKeys[i] ?? ''), idx.map((i) => flights[i] as Flight<V>)] as const;
      const own = fetchAndWrite(...pick(mine));
      const late = theirs.length > 0 ? waitForOtherReplicas(theirs, cacheKeys, flights).then((rest) => fetchAndWrite(...pick(rest))) : Promise.resolve();
      await Promise.all([own, late]);
    } finally {
      cacheKeys.forEach((key, i) => {
        if (inFlight.get(key) === flights[i]) inFlight.delete(key);
      });
      if (claim && cache.releaseFill) {
        const owned = cacheKeys.filter((_, i) => claim?.claimed[i] === true);
        if (owned.length > 0) await cache.releaseFill(owned, claim.token);
      }
    }
  }

  function serveStale(key: K, entry: CacheEntry | undefined, now: number): V | null | undefined {
    if (!entry) return undefined;
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
      lookedUp = await lookup(cacheKeys);
    } catch {
      lookedUp = { entries: [], ok: false }; // a foreign EntityCache that broke its never-throws contract
    }
    const { entries, ok } = lookedUp;
    const now = Date.now();
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
        const other = inFlight.get(cacheKey) as Flight<V> | undefined;
        if (other) {
          entityCacheMetrics.singleFlightJoins.inc(labels);
          f = other;
        } else {
          f = flight<V>();
          inFlight.set(cacheKey, f as Flight<unknown>);
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
    const failedAt = Date.now();
    settled.forEach((s, i) => {
      const { index } = waits[i] ?? { index: -1 };
      const key = keys[index];
      if (key === undefined) return;
      const position = positions[index] ?? -1;
      if (s.status === 'fulfilled') {
        results[position] = s.value.found ? s.value.value : null;
        return;
      }
      let outage = false;
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
