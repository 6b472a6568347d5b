/**
 * The service half of the entity cache, over either store: clock, single flight, invalidation
 * epoch, guarded priming and invalidation (see entity-cache.ts). One per cache object, never
 * process-wide, so two caches (two tests, two stacks in one process) share nothing.
 * @private
 */
import type { CacheEntry, EntityCache, EntityStore, PrimeEntry } from './entity-cache';
import { isEntityCachePrefix } from './keys';
import type { CachePolicy } from './policy';
import { createSingleFlight } from './single-flight';

/**
 * The entry a fetched (or primed) value is stored as: a record is fresh for the policy's TTL, then
 * kept `maxStaleSeconds` more for stale-if-error; a not-found is fresh for the negative TTL and
 * expires right then (`staleUntil = freshUntil`): it is never served stale, and no store keeps it
 * longer (in Redis its PX is the negative TTL, never the record's hour of staleness).
 */
export function entryFor(value: unknown, policy: Readonly<CachePolicy>, now: number): CacheEntry {
  const found = value !== null && value !== undefined;
  const freshUntil = now + (found ? policy.ttlSeconds : policy.negativeTtlSeconds) * 1_000;
  return { value: found ? value : null, storedAt: now, freshUntil, staleUntil: found ? freshUntil + policy.maxStaleSeconds * 1_000 : freshUntil };
}

export function createCacheService(store: EntityStore, clock: () => number): EntityCache {
  const flights = createSingleFlight();
  let epoch = 0;

  async function invalidate({ keys = [], prefixes = [] }: { keys?: readonly string[]; prefixes?: readonly string[] }): Promise<void> {
    for (const p of prefixes) if (!isEntityCachePrefix(p)) throw new TypeError(`invalidate: not an entity cache prefix: ${JSON.stringify(p)}`);
    epoch += 1;
    const exact = new Set(keys);
    flights.forget((key) => exact.has(key) || prefixes.some((p) => key.startsWith(p)));
    await store.delete(keys);
    await Promise.all(prefixes.map((p) => store.deleteByPrefix(p)));
  }

  return {
    kind: store.kind,
    flights,
    now: clock,
    getManyWithStatus: (keys) => store.getManyWithStatus(keys),
    getMany: (keys) => store.getMany(keys),
    setMany: (entries) => store.setMany(entries),
    delete: (keys) => invalidate({ keys }),
    deleteByPrefix: (prefix) => invalidate({ prefixes: [prefix] }),
    invalidate,
    invalidationEpoch: () => epoch,
    async primeIfUnchanged(entries: readonly PrimeEntry[], readAt: number): Promise<boolean> {
      if (epoch !== readAt || entries.length === 0) return false;
      const now = clock();
      try {
        // Checked and sent in the same tick: an invalidation can only come after, and deletes it.
        await store.setMany(entries.map(({ key, value, policy }) => ({ key, entry: entryFor(value, policy, now) })));
      } catch {
        // ours never throw; a foreign store might: an unwritten entry is only a later miss
        return false;
      }
      return true;
    },
    close: () => store.close(),
  };
}
