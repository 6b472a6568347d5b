/**
 * The stored form of a cache entry: one compact JSON string per key,
 * `{"v":<value>,"s":<storedAt>,"f":<freshUntil>,"x":<staleUntil>}` (times in epoch ms).
 * Both the Redis and the in-process cache store this string, so both behave alike
 * (values are JSON: a cached record comes back as a fresh copy, dates as strings).
 * @private
 */
import type { CacheEntry } from './entity-cache';
import { entityTypeOfKey } from './keys';
import type { RateLimitedLog } from './log';
import { entityCacheMetrics } from './metrics';

/** Throws on a value JSON cannot hold (BigInt, cycles). */
export function encodeEntry(entry: CacheEntry): string {
  return JSON.stringify({ v: entry.value === undefined ? null : entry.value, s: entry.storedAt, f: entry.freshUntil, x: entry.staleUntil });
}

const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** `undefined` for anything that is not an entry this version wrote (throws on nothing). */
export function decodeEntry(raw: string): CacheEntry | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || !('v' in parsed)) return undefined;
  const { v, s, f, x } = parsed as Record<string, unknown>;
  if (!isTime(s) || !isTime(f) || !isTime(x)) return undefined;
  return { value: v, storedAt: s, freshUntil: f, staleUntil: x };
}

/** The stored form of an entry, or `undefined` (counted and logged) for a value JSON cannot hold: it is then not cached. */
export function encodeForStore(key: string, entry: CacheEntry, log: RateLimitedLog): string | undefined {
  try {
    return encodeEntry(entry);
  } catch (err) {
    entityCacheMetrics.errors.inc({ type: entityTypeOfKey(key), op: 'encode' });
    log.warn('value not JSON-serializable, not cached', err, { type: entityTypeOfKey(key) });
    return undefined;
  }
}
