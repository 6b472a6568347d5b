/**
 * The Redis entity cache (ioredis). Built to fail fast and recover on its own:
 * - no offline queue, a small per-command timeout and one retry per request, so a command against
 *   a dead or stuck Redis fails in milliseconds (and becomes a miss) instead of queueing;
 * - reconnection with a capped back-off, so caching resumes when Redis comes back;
 * - an 'error' listener that counts and logs (rate-limited), so no 'error' event goes unhandled.
 *
 * No cross-replica fill: single flight is per process (the cache service's flights), so N replicas
 * fetch a missing key at most N times; short Redis claims expired exactly when the upstream was
 * slow, and their keys shared the entries' key space (issues 10 and 14). This store writes no key but
 * entries (`${tenant}:ec:...`) and one counter per tenant (`${tenant}:ecq:negative`, keys.ts).
 *
 * Not-founds (issue 14): their keys may be client-chosen strings, so each tenant may write at most
 * `maxNegativeEntriesPerTenant` of them per `negativeWindowSeconds` (one Lua script per tenant and
 * batch checks and counts them with their SETs, in the same pipeline); past that a not-found is
 * answered but not cached. Each lives its negative TTL (`entryFor`), capped at the window, so a
 * tenant holds at most about twice its quota of them at any time, and a flood of junk lookups cannot
 * fill Redis up to `maxmemory` and push other tenants' records out.
 *
 * Redis Cluster: MGET and pipelines here assume one node; keys of one tenant would need a hash tag
 * (`{tenant}:ec:...`) to share a slot, which is a key-format change (bump CACHE_SCHEMA_VERSION).
 */
import { Redis, type RedisOptions } from 'ioredis';
import { decodeEntry, encodeForStore } from './codec';
import type { CacheLookup, EntityCache, EntityCacheServiceOptions, EntityStore } from './entity-cache';
import { entityTypeOfKey, entityTypeOfKeys, isEntityCachePrefix, negativeQuotaKey, tenantOfKey } from './keys';
import { createRateLimitedLog, defaultCacheLogger, type Logger } from './log';
import { entityCacheMetrics } from './metrics';
import { createCacheService } from './service';

export interface RedisClientTuning {
  /** Budget of one command, in ms; past it the command fails and counts as a miss. @default 500 */
  commandTimeoutMs?: number;
  /** Budget to establish a connection, in ms. @default 2_000 */
  connectTimeoutMs?: number;
  /** Upper bound of the reconnect back-off, in ms (it grows 100, 200, ... up to this). @default 5_000 */
  maxReconnectDelayMs?: number;
}

interface CommonOptions extends RedisClientTuning, EntityCacheServiceOptions {
  /** @default a pino logger named 'entity-cache' */
  logger?: Logger;
  /** Redis logs: at most one line per kind of failure per this many ms. @default 30_000 */
  logIntervalMs?: number;
  /**
   * Not-found entries one tenant may write per window (`negativeWindowSeconds`); past it, not-founds
   * are answered but not cached until the window ends (counted in `entity_cache_negative_skips_total`).
   * @default 2_000
   */
  maxNegativeEntriesPerTenant?: number;
  /** The quota's window, in seconds; also the longest a not-found is kept in Redis. @default 60 */
  negativeWindowSeconds?: number;
}

export type RedisEntityCacheOptions =
  /** The cache creates, owns and closes its client. */
  | (CommonOptions & { url: string; client?: undefined })
  /**
   * A client owned by the caller: `close()` leaves it open. Build it with
   * {@link redisClientOptions} to get the fail-fast behaviour described above.
   */
  | (CommonOptions & { client: Redis; url?: undefined });

/** The ioredis options this cache relies on: fail fast while Redis is down, reconnect for ever with a capped back-off. */
export function redisClientOptions({ commandTimeoutMs = 500, connectTimeoutMs = 2_000, maxReconnectDelayMs = 5_000 }: RedisClientTuning = {}): RedisOptions {
  return {
    enableOfflineQueue: false,
    commandTimeout: commandTimeoutMs,
    connectTimeout: connectTimeoutMs,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt: number) => Math.min(attempt * 100, maxReconnectDelayMs),
    // Never reconnect-and-resend writes of a dead connection: a late cache write is worse than none.
    autoResendUnfulfilledCommands: false,
    // A socket to a Redis that died is destroyed soon after close() instead of lingering 2 s.
    disconnectTimeout: 200,
  };
}

export interface RedisEntityCache extends EntityCache {
  readonly kind: 'redis';
  /** The ioredis client (for health checks and tests). */
  readonly client: Redis;
}

/**
 * Writes a tenant's not-founds while its quota lasts, and counts them, atomically.
 * KEYS[1]: the tenant's quota counter; KEYS[2..n]: the not-found entries' keys.
 * ARGV[1]: the quota; ARGV[2]: the window in ms; then, per entry, its encoded value and PX.
 * Returns how many it wrote (the first ones: a batch is cut, never reordered).
 */
const WRITE_NEGATIVES = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local quota = tonumber(ARGV[1])
local written = 0
for i = 2, #KEYS do
  if used + written >= quota then
    -- Over the quota the not-found is not kept, but neither is an older record under its key.
    redis.call('DEL', KEYS[i])
  else
    redis.call('SET', KEYS[i], ARGV[2 * i - 1], 'PX', ARGV[2 * i])
    written = written + 1
  end
end
if written > 0 then
  redis.call('INCRBY', KEYS[1], written)
  if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
end
return written
`;

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new TypeError(`createRedisEntityCache: ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/** Resolves with `promise`, or rejects after `ms`; the timer never outlives the race. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

export function createRedisEntityCache(opts: RedisEntityCacheOptions): RedisEntityCache {
  const { logger = defaultCacheLogger, logIntervalMs = 30_000, clock = Date.now } = opts;
  const negativeQuota = positiveInteger('maxNegativeEntriesPerTenant', opts.maxNegativeEntriesPerTenant ?? 2_000);
  const negativeWindowMs = positiveInteger('negativeWindowSeconds', opts.negativeWindowSeconds ?? 60) * 1_000;
  const log = createRateLimitedLog(logger, { intervalMs: logIntervalMs });
  const owned = opts.client === undefined;
  const client: Redis = opts.client ?? new Redis(opts.url, redisClientOptions(opts));
  let failing = false;
  let closing: Promise<void> | undefined;

  function fail(op: string, keys: readonly string[], err: unknown): void {
    failing = true;
    entityCacheMetrics.errors.inc({ type: entityTypeOfKeys(keys), op });
    log.warn(`redis ${op} failed`, err, { op, keys: keys.length });
  }
  const onError = (err: unknown): void => {
    failing = true;
    entityCacheMetrics.errors.inc({ type: 'none', op: 'connection' });
    log.warn('redis connection error', err, { op: 'connection' });
  };
  const onReady = (): void => {
    if (failing) log.info('redis connection ready, caching resumes');
    failing = false;
  };
  client.on('error', onError);
  client.on('ready', onReady);

  async function getManyWithStatus(keys: readonly string[]): Promise<CacheLookup> {
    if (keys.length === 0) return { entries: [], ok: true };
    if (closing) return { entries: keys.map(() => undefined), ok: false };
    let raws: Array<string | null>;
    try {
      raws = await client.mget(keys as string[]);
    } catch (err) {
      fail('get', keys, err);
      return { entries: keys.map(() => undefined), ok: false };
    }
    const now = clock();
    const entries = keys.map((key, i) => {
      const raw = raws[i];
      if (raw === null || raw === undefined) return undefined;
      const entry = decodeEntry(raw);
      if (!entry) {
        entityCacheMetrics.errors.inc({ type: entityTypeOfKey(key), op: 'decode' });
        return undefined;
      }
      return entry.staleUntil > now ? entry : undefined;
    });
    return { entries, ok: true };
  }

  const store: EntityStore = {
    kind: 'redis',
    getManyWithStatus,
    async getMany(keys) {
      return (await getManyWithStatus(keys)).entries;
    },
    async setMany(entries) {
      if (entries.length === 0 || closing) return;
      const now = clock();
      const pipeline = client.pipeline();
      const written: string[] = [];
      /** Per tenant: its not-founds' keys and `[raw, PX]` pairs, for one quota script each. */
      const negatives = new Map<string, { keys: string[]; args: Array<string | number> }>();
      for (const { key, entry } of entries) {
        const ttlMs = Math.ceil(entry.staleUntil - now);
        if (!(ttlMs > 0)) continue;
        const raw = encodeForStore(key, entry, log);
        if (raw === undefined) continue;
        written.push(key);
        const negative = entry.value === null || entry.value === undefined;
        // A key of no tenant's entity cache (none of ours) has no quota to charge: written as is.
        if (!negative || !isEntityCachePrefix(key)) {
          pipeline.set(key, raw, 'PX', negative ? Math.min(ttlMs, negativeWindowMs) : ttlMs);
          continue;
        }
        const tenant = tenantOfKey(key);
        let batch = negatives.get(tenant);
        if (!batch) negatives.set(tenant, (batch = { keys: [], args: [] }));
        batch.keys.push(key);
        batch.args.push(raw, Math.min(ttlMs, negativeWindowMs));
      }
      if (written.length === 0) return;
      /** Pipeline positions of the quota scripts, with how many not-founds each was given. */
      const scripts: Array<{ at: number; keys: string[] }> = [];
      for (const [tenant, batch] of negatives) {
        scripts.push({ at: pipeline.length, keys: batch.keys });
        pipeline.eval(WRITE_NEGATIVES, 1 + batch.keys.length, negativeQuotaKey(tenant), ...batch.keys, negativeQuota, negativeWindowMs, ...batch.args);
      }
      try {
        const results = await pipeline.exec();
        if (!results) throw new Error('pipeline discarded');
        const failed = results.find(([err]) => err);
        if (failed) throw failed[0];
        for (const { at, keys } of scripts) {
          const count = Number(results[at]?.[1]);
          for (const key of keys.slice(Number.isFinite(count) ? count : 0)) entityCacheMetrics.negativeSkips.inc({ type: entityTypeOfKey(key) });
        }
      } catch (err) {
        fail('set', written, err);
      }
    },
    async delete(keys) {
      if (keys.length === 0 || closing) return;
      try {
        await client.unlink(...keys);
      } catch (err) {
        fail('delete', keys, err);
      }
    },
    async deleteByPrefix(prefix) {
      if (!isEntityCachePrefix(prefix)) throw new TypeError(`deleteByPrefix: not an entity cache prefix: ${JSON.stringify(prefix)}`);
      if (closing) return;
      // Tenant and type segments hold no glob characters (keys.ts); escape anyway, cheaply.
      const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
      try {
        let cursor = '0';
        do {
          const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1_000);
          if (keys.length > 0) await client.unlink(...keys);
          cursor = next;
        } while (cursor !== '0');
      } catch (err) {
        fail('deleteByPrefix', [prefix], err);
      }
    },
    close() {
      closing ??= (async () => {
        client.off('ready', onReady);
        if (!owned) {
          client.off('error', onError);
          return;
        }
        // Our own client: keep the error listener until it is gone, so a late error is still handled.
        if (client.status === 'ready') {
          try {
            await within(client.quit(), 1_000);
            return;
          } catch {
            // fall through to a hard disconnect
          }
        }
        client.disconnect(false);
      })();
      return closing;
    },
  };
  return { ...createCacheService(store, clock), kind: 'redis', client };
}
