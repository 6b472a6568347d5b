/**
 * The in-process entity cache, the zero-config default of `npm start`: one LRU (lru-cache) per
 * tenant, each bounded both in entries and in bytes, so one tenant flooding the cache evicts only
 * its own entries, never another tenant's. The tenant of a key is its text before `:ec:` (keys.ts).
 * Bytes are approximated by the length of the key plus the stored JSON string. It holds the same
 * encoded string as Redis would, so a cached record comes back as a fresh copy that a caller may
 * mutate without touching the cache. No timers: expiry (`staleUntil`, against the cache's clock)
 * is checked on read, and expired entries are the first to go under pressure from the LRU order anyway.
 */
import { LRUCache } from 'lru-cache';
import { decodeEntry, encodeForStore } from './codec';
import type { CacheEntry, CacheLookup, EntityCache, EntityCacheServiceOptions, EntityStore } from './entity-cache';
import { entityTypeOfKey, isEntityCachePrefix } from './keys';
import { createRateLimitedLog, defaultCacheLogger, type Logger } from './log';
import { entityCacheMetrics } from './metrics';
import { createCacheService } from './service';

export interface MemoryEntityCacheOptions extends EntityCacheServiceOptions {
  /** At most this many entries per tenant. @default 20_000 */
  maxEntriesPerTenant?: number;
  /** At most about this many bytes of keys plus encoded entries per tenant. @default 32 MiB */
  maxBytesPerTenant?: number;
  /** @default a pino logger named 'entity-cache' */
  logger?: Logger;
}

interface Slot {
  raw: string;
  staleUntil: number;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new TypeError(`createMemoryEntityCache: ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

export interface MemoryEntityCache extends EntityCache {
  readonly kind: 'memory';
  /** Entries held now, all tenants (expired ones included until they are read or evicted). */
  readonly size: number;
  /** Approximate bytes held now, all tenants. */
  readonly bytes: number;
  /** Entries and bytes held now for one tenant. */
  usageOf(tenant: string): { entries: number; bytes: number };
}

/** The tenant partition of a key: its text before `:ec:` (`''` for a key that is not an entity key). */
function tenantOf(key: string): string {
  const at = key.indexOf(':ec:');
  return at > 0 ? key.slice(0, at) : '';
}

export function createMemoryEntityCache(opts: MemoryEntityCacheOptions = {}): MemoryEntityCache {
  const maxEntries = positiveInteger('maxEntriesPerTenant', opts.maxEntriesPerTenant ?? 20_000);
  const maxBytes = positiveInteger('maxBytesPerTenant', opts.maxBytesPerTenant ?? 32 * 1024 * 1024);
  const clock = opts.clock ?? Date.now;
  const log = createRateLimitedLog(opts.logger ?? defaultCacheLogger);
  const partitions = new Map<string, LRUCache<string, Slot>>();
  let closed = false;
  /** Evictions the set in progress makes for the entry bound (the rest are for the byte bound). */
  let entryEvictionsPending = 0;

  function partition(tenant: string): LRUCache<string, Slot> {
    let lru = partitions.get(tenant);
    if (!lru) {
      lru = new LRUCache<string, Slot>({
        max: maxEntries,
        maxSize: maxBytes,
        sizeCalculation: (slot, key) => key.length + slot.raw.length,
        dispose: (_slot, _key, reason) => {
          if (reason !== 'evict') return;
          const bound = entryEvictionsPending > 0 ? 'entries' : 'bytes';
          if (entryEvictionsPending > 0) entryEvictionsPending -= 1;
          entityCacheMetrics.evictions.inc({ reason: bound });
        },
      });
      partitions.set(tenant, lru);
    }
    return lru;
  }

  function read(keys: readonly string[]): Array<CacheEntry | undefined> {
    const now = clock();
    return keys.map((key) => {
      const lru = partitions.get(tenantOf(key));
      const slot = lru?.get(key); // a hit moves it to the most recently used end
      if (!lru || !slot) return undefined;
      if (slot.staleUntil <= now) {
        lru.delete(key);
        return undefined;
      }
      const entry = decodeEntry(slot.raw);
      if (!entry) {
        lru.delete(key);
        entityCacheMetrics.errors.inc({ type: entityTypeOfKey(key), op: 'decode' });
      }
      return entry;
    });
  }

  const sum = (of: (lru: LRUCache<string, Slot>) => number): number => [...partitions.values()].reduce((n, lru) => n + of(lru), 0);

  const store: EntityStore = {
    kind: 'memory',
    async getManyWithStatus(keys: readonly string[]): Promise<CacheLookup> {
      if (closed) return { entries: keys.map(() => undefined), ok: false };
      return { entries: read(keys), ok: true };
    },
    async getMany(keys: readonly string[]): Promise<Array<CacheEntry | undefined>> {
      return closed ? keys.map(() => undefined) : read(keys);
    },
    async setMany(entries: ReadonlyArray<{ key: string; entry: CacheEntry }>): Promise<void> {
      if (closed) return;
      const now = clock();
      for (const { key, entry } of entries) {
        const raw = encodeForStore(key, entry, log);
        if (raw === undefined) continue;
        const lru = partition(tenantOf(key));
        // Expired already, or could never fit: not stored, and no other entry is evicted for it.
        if (!(entry.staleUntil > now) || key.length + raw.length > maxBytes) {
          lru.delete(key);
          continue;
        }
        entryEvictionsPending = !lru.has(key) && lru.size >= maxEntries ? 1 : 0;
        lru.set(key, { raw, staleUntil: entry.staleUntil });
        entryEvictionsPending = 0;
      }
    },
    async delete(keys: readonly string[]): Promise<void> {
      for (const key of keys) partitions.get(tenantOf(key))?.delete(key);
    },
    async deleteByPrefix(prefix: string): Promise<void> {
      if (!isEntityCachePrefix(prefix)) throw new TypeError(`deleteByPrefix: not an entity cache prefix: ${JSON.stringify(prefix)}`);
      const tenant = tenantOf(prefix);
      const lru = partitions.get(tenant);
      if (!lru) return;
      for (const key of [...lru.keys()]) if (key.startsWith(prefix)) lru.delete(key);
      if (lru.size === 0) partitions.delete(tenant);
    },
    async close(): Promise<void> {
      closed = true;
      for (const lru of partitions.values()) lru.clear();
      partitions.clear();
    },
  };

  return {
    ...createCacheService(store, clock),
    kind: 'memory',
    get size() {
      return sum((lru) => lru.size);
    },
    get bytes() {
      return sum((lru) => lru.calculatedSize);
    },
    usageOf(tenant: string) {
      const lru = partitions.get(tenant);
      return { entries: lru?.size ?? 0, bytes: lru?.calculatedSize ?? 0 };
    },
  };
}
