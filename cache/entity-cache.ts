/**
 * The entity cache: one injected service per process (or per test). It owns
 * - a store: Redis (`redis-cache.ts`) or an in-process LRU partitioned per tenant (`memory-cache.ts`);
 * - its clock (`clock` option, default `Date.now`): every freshness and expiry decision reads it,
 *   so a test moves time forward instead of sleeping;
 * - its in-flight upstream fetches (single flight within the process, see `read-through.ts`);
 * - its invalidation epoch, and the writing of records read by another call (`primeIfUnchanged`)
 *   through the guard that skips a record read before an invalidation;
 * - invalidation (`invalidate`, used by `invalidation.ts`).
 * Subgraphs reach it through `createReadThroughLoader` (read-through.ts) and the kit's `keyedLoader`.
 *
 * Failure contract: a cache is an optimisation, so no cache failure ever reaches a caller.
 * Reads that fail are misses, writes that fail are dropped; each failure is logged (rate-limited)
 * and counted in `entity_cache_errors_total`.
 */
import type { CachePolicy } from './policy';
import type { SingleFlight } from './single-flight';

/**
 * One cached upstream record. `value: null` is a cached not-found (negative entry): its key may come
 * from a client-chosen string, so both stores hold not-founds apart from records (memory: a small LRU
 * per tenant; Redis: a quota per tenant and window) and never past `staleUntil`, which `entryFor`
 * sets to `freshUntil` for them. Times are epoch ms (of the cache's clock).
 */
export interface CacheEntry {
  value: unknown;
  storedAt: number;
  /** Served without asking the upstream until then. */
  freshUntil: number;
  /** Kept (and servable when the upstream has an outage) until then; this is the storage expiry. */
  staleUntil: number;
}

/** A batch read that also says whether the cache itself failed. */
export interface CacheLookup {
  /** Same length and order as the keys; `undefined` = absent, expired or unreadable. */
  entries: Array<CacheEntry | undefined>;
  /** `false` when the read failed (every slot is then `undefined`). */
  ok: boolean;
}

/** The storage half of the cache: what Redis and the in-process LRU each implement. */
export interface EntityStore {
  readonly kind: 'redis' | 'memory';
  /** One round trip (MGET) for the whole batch; says whether the read failed, so a caller can tell "not cached" from "cache down". Never throws. */
  getManyWithStatus(keys: readonly string[]): Promise<CacheLookup>;
  /** Same as `getManyWithStatus`, entries only. Never throws: on a cache failure every slot is undefined, the error is logged and counted. */
  getMany(keys: readonly string[]): Promise<Array<CacheEntry | undefined>>;
  /**
   * One round trip (pipeline of SET PX). Expiry = staleUntil. Never throws. Entries already past
   * staleUntil are skipped. Not-founds (`value: null`) never evict records: they are bounded per
   * tenant on their own (see the stores), and one over its tenant's bound may be left unwritten.
   */
  setMany(entries: ReadonlyArray<{ key: string; entry: CacheEntry }>): Promise<void>;
  /** Never throws. */
  delete(keys: readonly string[]): Promise<void>;
  /**
   * Deletes a whole entity type of one tenant (SCAN + UNLINK in Redis, never KEYS).
   * Never throws on a cache failure; rejects with a TypeError when `prefix` is not an entity cache
   * prefix of some tenant (`${tenant}:ec:...`), so a bad call cannot wipe other tenants' data.
   */
  deleteByPrefix(prefix: string): Promise<void>;
  /** Idempotent. After close every read is a miss and every write is dropped. */
  close(): Promise<void>;
}

/** A record read by another call (a lookup, a list, a side-load), to be cached as if its loader had fetched it. */
export interface PrimeEntry {
  key: string;
  /** `null` = not found (a negative entry, with the policy's negative TTL). */
  value: unknown;
  policy: Readonly<CachePolicy>;
}

export interface EntityCache extends EntityStore {
  /** The cache's clock, in epoch ms: freshness, expiry and stale ages all read it. */
  now(): number;
  /** This cache's in-flight upstream fetches, by full cache key (the read-through loader's single flight). */
  readonly flights: SingleFlight;
  /**
   * The number of invalidations this cache has seen. Take it before reading records through
   * another call (a lookup, a list) and hand it to {@link primeIfUnchanged}: those records are
   * written only if no invalidation happened in between, as they may predate the change.
   * Coarse (any invalidation counts) and safe.
   */
  invalidationEpoch(): number;
  /**
   * Writes these records with their policy's TTLs (from the cache's clock), unless an invalidation
   * happened since `readAt` (an {@link invalidationEpoch} value); resolves whether they were written.
   * Never throws.
   */
  primeIfUnchanged(entries: readonly PrimeEntry[], readAt: number): Promise<boolean>;
  /**
   * Invalidation: bumps the epoch, forgets the in-flight fetches of these keys and of keys under
   * these prefixes (their answers, possibly older than the change, are not written back, and later
   * loaders start a new fetch), then deletes the entries (one `delete`, one prefix scan per prefix).
   * Rejects with a TypeError, before doing anything, on a prefix that is not one tenant's entity
   * cache; never throws on a cache failure (the entries then expire with their TTL).
   * `delete` and `deleteByPrefix` of the service are invalidations too.
   */
  invalidate(target: { keys?: readonly string[]; prefixes?: readonly string[] }): Promise<void>;
}

/** Options every cache takes. */
export interface EntityCacheServiceOptions {
  /** Epoch ms now. @default Date.now */
  clock?: () => number;
}
