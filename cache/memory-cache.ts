/**
 * The in-process entity cache: an LRU bounded both in entries and in bytes, the zero-config default
 * of `npm start`. Bytes are approximated by the length of the key plus the stored JSON string.
 * It holds the same encoded string as Redis would, so a cached record comes back as a fresh copy
 * that a caller may mutate without touching the cache. No timers: expiry is checked on read, and
 * expired entries are the first to go under pressure from the LRU order anyway.
 */
import { decodeEntry, encodeForStore } from './codec';
import type { CacheEntry, CacheLookup, EntityCache } from './entity-cache';
import { entityTypeOfKey, isEntityCachePrefix } from './keys';
import { createRateLimitedLog, defaultCacheLogger, type Logger } from './log';
import { entityCacheMetrics } from './metrics';

export interface MemoryEntityCacheOptions {
  /** At most this many entries. @default 50_000 */
  maxEntries?: number;
  /** At most about this many bytes of keys plus encoded entries. @default 64 MiB */
  maxBytes?: number;
  /** @default a pino logger named 'entity-cache' */
  logger?: Logger;
}

interface Slot {
  raw: string;
  staleUntil: number;
  bytes: number;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new TypeError(`createMemoryEntityCache: ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

export interface MemoryEntityCache extends EntityCache {
  readonly kind: 'memory';
  getManyWithStatus(keys: readonly string[]): Promise<CacheLookup>;
  /** Entries held now (expired ones included until they are read or evicted). */
  readonly size: number;
  /** Approximate bytes held now. */
  readonly bytes: number;
}

export function createMemoryEntityCache(opts: MemoryEntityCacheOptions = {}): MemoryEntityCache {
  const maxEntries = positiveInteger('maxEntries', opts.maxEntries ?? 50_000);
  const maxBytes = positiveInteger('maxBytes', opts.maxBytes ?? 64 * 1024 * 1024);
  const log = createRateLimitedLog(opts.logger ?? defaultCacheLogger);
  /** Map iteration order is insertion order: the first key is the least recently used. */
  const slots = new Map<string, Slot>();
  let bytes = 0;
  let closed = false;

  function remove(key: string): void {
    const slot = slots.get(key);
    if (slot) {
      slots.delete(key);
      bytes -= slot.bytes;
    }
  }

  function evict(): void {
    while (slots.size > maxEntries || bytes > maxBytes) {
      const oldest = slots.keys().next();
      if (oldest.done) return;
      entityCacheMetrics.evictions.inc({ reason: slots.size > maxEntries ? 'entries' : 'bytes' });
      remove(oldest.value);
    }
  }

  function read(keys: readonly string[]): Array<CacheEntry | undefined> {
    const now = Date.now();
    return keys.map((key) => {
      const slot = slots.get(key);
      if (!slot) return undefined;
      if (slot.staleUntil <= now) {
        remove(key);
        return undefined;
      }
      slots.delete(key); // touch: move to the most recently used end
      slots.set(key, slot);
      const entry = decodeEntry(slot.raw);
      if (!entry) {
        remove(key);
        entityCacheMetrics.errors.inc({ type: entityTypeOfKey(key), op: 'decode' });
      }
      return entry;
    });
  }

  const cache: MemoryEntityCache = {
    kind: 'memory',
    get size() {
      return slots.size;
    },
    get bytes() {
      return bytes;
    },
    async getManyWithStatus(keys: readonly string[]): Promise<CacheLookup> {
      if (closed) return { entries: keys.map(() => undefined), ok: false };
      return { entries: read(keys), ok: true };
    },
    async getMany(keys: readonly string[]): Promise<Array<CacheEntry | undefined>> {
      return closed ? keys.map(() => undefined) : read(keys);
    },
    async setMany(entries: ReadonlyArray<{ key: string; entry: CacheEntry }>): Promise<void> {
      if (closed) return;
      const now = Date.now();
      for (const { key, entry } of entries) {
        const raw = encodeForStore(key, entry, log);
        if (raw === undefined) continue;
        remove(key);
        const size = key.length + raw.length;
        if (!(entry.staleUntil > now) || size > maxBytes) continue; // expired, or could never fit
        slots.set(key, { raw, staleUntil: entry.staleUntil, bytes: size });
        bytes += size;
      }
      evict();
    },
    async delete(keys: readonly string[]): Promise<void> {
      for (const key of keys) remove(key);
    },
    async deleteByPrefix(prefix: string): Promise<void> {
      if (!isEntityCachePrefix(prefix)) throw new TypeError(`deleteByPrefix: not an entity cache prefix: ${JSON.stringify(prefix)}`);
      for (const key of [...slots.keys()]) if (key.startsWith(prefix)) remove(key);
    },
    async close(): Promise<void> {
      closed = true;
      slots.clear();
      bytes = 0;
    },
  };
  return cache;
}
