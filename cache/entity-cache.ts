/**
 * The entity cache: one interface, two implementations (Redis in `redis-cache.ts`, an in-process
 * LRU in `memory-cache.ts`). Subgraphs reach it through `createReadThroughLoader` (read-through.ts).
 *
 * Failure contract: a cache is an optimisation, so no cache failure ever reaches a caller.
 * Reads that fail are misses, writes that fail are dropped; each failure is logged (rate-limited)
 * and counted in `entity_cache_errors_total`.
 */

/** One cached upstream record. `value: null` is a cached not-found (negative entry). Times are epoch ms. */
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

export interface EntityCache {
  readonly kind: 'redis' | 'memory';
  /** One round trip (MGET) for the whole batch. Never throws: on a cache failure every slot is undefined, the error is logged and counted. */
  getMany(keys: readonly string[]): Promise<Array<CacheEntry | undefined>>;
  /**
   * Same as `getMany`, and says whether the read failed, so a caller can tell "not cached" from
   * "cache down" (the read-through loader counts fallbacks with it). Optional for other
   * implementations; both of ours have it.
   */
  getManyWithStatus?(keys: readonly string[]): Promise<CacheLookup>;
  /** One round trip (pipeline of SET PX / MULTI). Expiry = staleUntil. Never throws. Entries already past staleUntil are skipped. */
  setMany(entries: ReadonlyArray<{ key: string; entry: CacheEntry }>): Promise<void>;
  /** Never throws. */
  delete(keys: readonly string[]): Promise<void>;
  /**
   * Invalidation of a whole entity type of one tenant (SCAN + UNLINK in Redis, never KEYS).
   * Never throws on a cache failure; rejects with a TypeError when `prefix` is not an entity cache
   * prefix of some tenant (`${tenant}:ec:...`), so a bad call cannot wipe other tenants' data.
   */
  deleteByPrefix(prefix: string): Promise<void>;
  /**
   * Single flight across replicas: claims the right to fetch these missing keys from the upstream
   * for `ttlMs` (one `SET NX PX` per key with a random token, pipelined). `claimed[i]`: `true` =
   * this replica fetches it; `false` = another replica is fetching it now. Never throws: when no
   * claim can be made (Redis down) every key is `true` and nothing is held. Absent on the
   * in-process cache, where there are no other replicas.
   */
  claimFill?(keys: readonly string[], ttlMs: number): Promise<{ claimed: boolean[]; token: string }>;
  /** Whether each key is still claimed by some replica. Never throws (failure = not claimed). */
  fillClaimed?(keys: readonly string[]): Promise<boolean[]>;
  /** Gives back the claims made with `token` (never another replica's). Never throws. */
  releaseFill?(keys: readonly string[], token: string): Promise<void>;
  /** Idempotent. After close every read is a miss and every write is dropped. */
  close(): Promise<void>;
}
