/**
 * The in-process entity cache, the zero-config default of `npm start`: one LRU (lru-cache) per
 * tenant, each bounded both in entries and in bytes, so one tenant flooding the cache evicts only
 * its own entries, never another tenant's. The tenant of a key is its text before `:ec:` (keys.ts).
 * Bytes are approximated by the length of the key plus the stored JSON string. It holds the same
 * encoded string as Redis would, so a cached record comes back as a fresh copy that a caller may
 * mutate without touching the cache. No timers: expiry (`staleUntil`, against the cache's clock)
 * is checked on read, and expired entries are the first to go under pressure from the LRU order anyway.
 *
 * Not-found entries (`value: null`) live in a second, small LRU of the same tenant: their keys come
 * from client-chosen lookup strings (`orderByName`, `product(sku)`, `customerByEmail`), so a flood of
 * junk lookups churns only that LRU and never evicts the tenant's records (issue 14).
 */
import { LRUCache } from 'lru-cache';
import { decodeEntry, encodeForStore } from './codec';
import type { CacheEntry, CacheLookup, EntityCache, EntityCacheServiceOptions, EntityStore } from './entity-cache';
import { entityTypeOfKey, isEntityCachePrefix, tenantOfKey } from './keys';
import { createRateLimitedLog, defaultCacheLogger, type Logger } from './log';
import { entityCacheMetrics } from './metrics';
import { createCacheService } from './service';

export interface MemoryEntityCacheOptions extends EntityCacheServiceOptions {
  /** At most this many entries per tenant. @default 20_000 */
  maxEntriesPerTenant?: number;
  /** At most about this many bytes of keys plus encoded entries per tenant. @default 32 MiB */
  maxBytesPerTenant?: number;
  /**
   * At most this many not-found entries per tenant, in their own LRU apart from the records (and on
   * top of `maxEntriesPerTenant`): junk lookups evict only other not-founds. @default 2_000
   */
  maxNegativeEntriesPerTenant?: number;
  /** At most about this many bytes of not-found entries (keys plus encoded entries) per tenant. @default 2 MiB */
  maxNegativeBytesPerTenant?: number;
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
  /** What one tenant holds now: entries and bytes of both its LRUs, and how many of those entries are not-founds. */
  usageOf(tenant: string): MemoryTenantUsage;
}

/** One tenant's share of the in-process cache. */
export interface MemoryTenantUsage {
  /** Entries held, records and not-founds. */
  entries: number;
  /** Approximate bytes held, records and not-founds. */
  bytes: number;
  /** Of `entries`, the not-found ones (bounded by `maxNegativeEntriesPerTenant`). */
  negativeEntries: number;
}

/** One tenant's two LRUs: its records, and its not-founds (client-chosen keys) apart. */
interface Partition {
  positive: LRUCache<string, Slot>;
  negative: LRUCache<string, Slot>;
}

export function createMemoryEntityCache(opts: MemoryEntityCacheOptions = {}): MemoryEntityCache {
  const maxEntries = positiveInteger('maxEntriesPerTenant', opts.maxEntriesPerTenant ?? 20_000);
  const maxBytes = positiveInteger('maxBytesPerTenant', opts.maxBytesPerTenant ?? 32 * 1024 * 1024);
  const maxNegativeEntries = positiveInteger('maxNegativeEntriesPerTenant', opts.maxNegativeEntriesPerTenant ?? 2_000);
  const maxNegativeBytes = positiveInteger('maxNegativeBytesPerTenant', opts.maxNegativeBytesPerTenant ?? 2 * 1024 * 1024);
  const clock = opts.clock ?? Date.now;
  const log = createRateLimitedLog(opts.logger ?? defaultCacheLogger);
  const partitions = new Map<string, Partition>();
  let closed = false;
  /** Evictions the set in progress makes for the entry bound (the rest are for the byte bound). */
  let entryEvictionsPending = 0;

  const sizeCalculation = (slot: Slot, key: string): number => key.length + slot.raw.length;

  function partition(tenant: string): Partition {
    let p = partitions.get(tenant);
    if (!p) {
      p = {
        positive: new LRUCache<string, Slot>({
          max: maxEntries,
          maxSize: maxBytes,
          sizeCalculation,
          dispose: (_slot, _key, reason) => {
            if (reason !== 'evict') return;
            const bound = entryEvictionsPending > 0 ? 'entries' : 'bytes';
            if (entryEvictionsPending > 0) entryEvictionsPending -= 1;
            entityCacheMetrics.evictions.inc({ reason: bound });
          },
        }),
        negative: new LRUCache<string, Slot>({
          max: maxNegativeEntries,
          maxSize: maxNegativeBytes,
          sizeCalculation,
          dispose: (_slot, _key, reason) => {
            if (reason === 'evict') entityCacheMetrics.evictions.inc({ reason: 'negative' });
          },
        }),
      };
      partitions.set(tenant, p);
    }
    return p;
  }

  function readOne(key: string, now: number): CacheEntry | undefined {
    const p = partitions.get(tenantOfKey(key));
    if (!p) return undefined;
    // A key is in at most one of the two (setMany moves it); a hit moves it to the most recently used end.
    let lru = p.positive;
    let slot = lru.get(key);
    if (!slot) {
      lru = p.negative;
      slot = lru.get(key);
    }
    if (!slot) return undefined;
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
  }

  function read(keys: readonly string[]): Array<CacheEntry | undefined> {
    const now = clock();
    return keys.map((key) => readOne(key, now));
  }

  const both = (p: Partition, of: (lru: LRUCache<string, Slot>) => number): number => of(p.positive) + of(p.negative);
  const sum = (of: (lru: LRUCache<string, Slot>) => number): number => [...partitions.values()].reduce((n, p) => n + both(p, of), 0);

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
        const p = partition(tenantOfKey(key));
        const negative = entry.value === null || entry.value === undefined;
        const [lru, other, bound] = negative ? [p.negative, p.positive, maxNegativeBytes] : [p.positive, p.negative, maxBytes];
        other.delete(key); // a record found again replaces its not-found, and the reverse
        // Expired already, or could never fit: not stored, and no other entry is evicted for it.
        if (!(entry.staleUntil > now) || key.length + raw.length > bound) {
          lru.delete(key);
          continue;
        }
        entryEvictionsPending = !negative && !lru.has(key) && lru.size >= maxEntries ? 1 : 0;
        lru.set(key, { raw, staleUntil: entry.staleUntil });
        entryEvictionsPending = 0;
      }
    },
    async delete(keys: readonly string[]): Promise<void> {
      for (const key of keys) {
        const p = partitions.get(tenantOfKey(key));
        p?.positive.delete(key);
        p?.negative.delete(key);
      }
    },
    async deleteByPrefix(prefix: string): Promise<void> {
      if (!isEntityCachePrefix(prefix)) throw new TypeError(`deleteByPrefix: not an entity cache prefix: ${JSON.stringify(prefix)}`);
      const tenant = tenantOfKey(prefix);
      const p = partitions.get(tenant);
      if (!p) return;
      for (const lru of [p.positive, p.negative]) for (const key of [...lru.keys()]) if (key.startsWith(prefix)) lru.delete(key);
      if (p.positive.size === 0 && p.negative.size === 0) partitions.delete(tenant);
    },
    async close(): Promise<void> {
      closed = true;
      for (const p of partitions.values()) {
        p.positive.clear();
        p.negative.clear();
      }
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
    usageOf(tenant: string): MemoryTenantUsage {
      const p = partitions.get(tenant);
      if (!p) return { entries: 0, bytes: 0, negativeEntries: 0 };
      return { entries: both(p, (lru) => lru.size), bytes: both(p, (lru) => lru.calculatedSize), negativeEntries: p.negative.size };
    },
  };
}
