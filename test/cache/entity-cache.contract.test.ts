/**
 * The EntityCache contract, run against both implementations: the in-process LRU (partitioned per
 * tenant) and Redis (the shared test Redis at 127.0.0.1:6379, under this file's own random
 * tenants). Every cache here runs on a clock the tests move by hand: expiry needs no sleep.
 */
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import type { CacheEntry, EntityCache } from '../../cache/entity-cache';
import { entityKey, entityTypePrefix, isEntityCachePrefix } from '../../cache/keys';
import { createMemoryEntityCache } from '../../cache/memory-cache';
import { createRedisEntityCache, redisClientOptions } from '../../cache/redis-cache';
import { Redis } from 'ioredis';
import { entityCacheMetrics } from '../../cache/metrics';
import { entryFor } from '../../cache/service';
import { cleanUpTenants, counterValue, manualClock, randomTenant, scanKeys, SHARED_REDIS_URL, silentLogger, waitFor } from './helpers';

const tenantA = randomTenant('contract-a');
const tenantB = randomTenant('contract-b');
/** Tenants of one test only: a Redis not-found quota lasts its window, past the test that used it. */
const ownTenants: string[] = [];
const ownTenant = (label: string): string => {
  const t = randomTenant(label);
  ownTenants.push(t);
  return t;
};
afterAll(() => cleanUpTenants([tenantA, tenantB, ...ownTenants]));

/** The clock of every cache of this file. */
const clock = manualClock();

const entry = (value: unknown, { freshMs = 60_000, staleMs = 600_000 } = {}): CacheEntry => {
  const now = clock.now();
  return { value, storedAt: now, freshUntil: now + freshMs, staleUntil: now + staleMs };
};

/** A caller-owned client, as a service that shares one connection would inject it; closed in afterAll. */
const injected = new Redis(SHARED_REDIS_URL, redisClientOptions());
const ownersErrorListener = (): void => undefined;
injected.on('error', ownersErrorListener);
afterAll(() => injected.quit());

/** The bound every store puts on one tenant's not-found entries (memory: its own LRU; Redis: a quota per window). */
interface NegativeBounds {
  maxNegativeEntriesPerTenant?: number;
}

const implementations: Array<[label: string, tag: string, create: (bounds?: NegativeBounds) => EntityCache]> = [
  ['memory', 'memory', (bounds = {}) => createMemoryEntityCache({ logger: silentLogger, clock: clock.now, ...bounds })],
  [
    'redis (own client from a URL)',
    'redis',
    (bounds = {}) => createRedisEntityCache({ url: SHARED_REDIS_URL, logger: silentLogger, clock: clock.now, ...bounds }),
  ],
  ['redis (injected client)', 'injected', (bounds = {}) => createRedisEntityCache({ client: injected, logger: silentLogger, clock: clock.now, ...bounds })],
];

describe.each(implementations)('EntityCache contract: %s', (_label, kind, create) => {
  const opened: EntityCache[] = [];
  const open = async (bounds?: NegativeBounds): Promise<EntityCache> => {
    const cache = create(bounds);
    opened.push(cache);
    if (cache.kind === 'redis') {
      // The client connects in the background and fails fast until it is ready.
      await waitFor('redis ready', async () => (await cache.getManyWithStatus(['probe:ec:x'])).ok, 5_000);
    }
    return cache;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((c) => c.close()));
  });

  it('should report its kind', async () => {
    expect((await open()).kind).toBe(kind === 'memory' ? 'memory' : 'redis');
  });

  it('should round-trip JSON values in key order, with their times', async () => {
    const cache = await open();
    const a = entityKey(tenantA, `Order${kind}`, 1);
    const b = entityKey(tenantA, `Order${kind}`, 'b-2');
    const ea = entry({ id: 1, name: 'Ada', lines: [{ qty: 2, price: { amount: '9.50', currency: 'EUR' } }], at: '2026-01-01T00:00:00Z' });
    const eb = entry('plain string');
    await cache.setMany([
      { key: a, entry: ea },
      { key: b, entry: eb },
    ]);
    expect(await cache.getMany([b, a, b])).toEqual([eb, ea, eb]);
  });

  if (kind !== 'memory') {
    it('should store one compact JSON string per key, expiring at staleUntil', async () => {
      const cache = await open();
      const k = entityKey(tenantA, `Raw${kind}`, 1);
      const e = entry({ id: 1 }, { freshMs: 60_000, staleMs: 600_000 });
      await cache.setMany([{ key: k, entry: e }]);
      expect(JSON.parse((await injected.get(k)) ?? 'null')).toEqual({ v: { id: 1 }, s: e.storedAt, f: e.freshUntil, x: e.staleUntil });
      const pttl = await injected.pttl(k);
      expect(pttl).toBeGreaterThan(60_000);
      expect(pttl).toBeLessThanOrEqual(600_000);
    });
  }

  it('should hand out copies: mutating a read value does not change the cache', async () => {
    const cache = await open();
    const k = entityKey(tenantA, `Copy${kind}`, 1);
    await cache.setMany([{ key: k, entry: entry({ n: 1 }) }]);
    const [first] = await cache.getMany([k]);
    (first?.value as { n: number }).n = 2;
    const [second] = await cache.getMany([k]);
    expect(second?.value).toEqual({ n: 1 });
  });

  it('should answer undefined for missing keys, in their slots', async () => {
    const cache = await open();
    const present = entityKey(tenantA, `Miss${kind}`, 1);
    await cache.setMany([{ key: present, entry: entry(1) }]);
    const result = await cache.getMany([entityKey(tenantA, `Miss${kind}`, 404), present, entityKey(tenantA, `Miss${kind}`, 405)]);
    expect(result.map((e) => e?.value)).toEqual([undefined, 1, undefined]);
    expect(await cache.getMany([])).toEqual([]);
  });

  it('should keep negative entries (value null) apart from missing ones', async () => {
    const cache = await open();
    const k = entityKey(tenantA, `Neg${kind}`, 7);
    const negative = entry(null);
    await cache.setMany([{ key: k, entry: negative }]);
    const [got] = await cache.getMany([k]);
    expect(got).toEqual(negative);
    expect(got?.value).toBeNull();
  });

  it("should bound a tenant's not-founds on their own: a flood of them evicts no record, of this tenant or another", async () => {
    const cache = await open({ maxNegativeEntriesPerTenant: 10 });
    const [a, b] = [ownTenant('neg-a'), ownTenant('neg-b')];
    const type = `NegFlood${kind}`;
    const recordsA = [1, 2, 3, 4, 5].map((id) => entityKey(a, type, id));
    const recordsB = [1, 2, 3, 4, 5].map((id) => entityKey(b, type, id));
    await cache.setMany([...recordsA, ...recordsB].map((key) => ({ key, entry: entry(`record ${key}`) })));
    const skipped = await counterValue(entityCacheMetrics.negativeSkips, { type });
    // 1,000 client-chosen lookup strings of tenant A that found nothing, in batches as loaders write them.
    const junk = Array.from({ length: 1_000 }, (_, i) => entityKey(a, type, `junk:${i} *?`));
    for (let i = 0; i < junk.length; i += 100)
      await cache.setMany(junk.slice(i, i + 100).map((key) => ({ key, entry: entry(null, { freshMs: 30_000, staleMs: 30_000 }) })));

    expect((await cache.getMany([...recordsA, ...recordsB])).map((e) => e?.value)).toEqual([...recordsA, ...recordsB].map((key) => `record ${key}`));
    const held = (await cache.getMany(junk)).filter((e) => e !== undefined);
    expect(held).toHaveLength(10);
    expect(held.every((e) => e?.value === null)).toBe(true);
    if (cache.kind === 'redis') {
      // Redis keeps the first ones of the window and answers the rest uncached (counted); memory keeps the last ones.
      expect(await counterValue(entityCacheMetrics.negativeSkips, { type })).toBe(skipped + 990);
      expect((await scanKeys(`${entityTypePrefix(a, type)}junk*`)).length).toBe(10);
    }
    // Tenant B's own quota is untouched by A's flood.
    const bJunk = [1, 2, 3].map((i) => entityKey(b, type, `missing-${i}`));
    await cache.setMany(bJunk.map((key) => ({ key, entry: entry(null, { freshMs: 30_000, staleMs: 30_000 }) })));
    expect((await cache.getMany(bJunk)).map((e) => e?.value)).toEqual([null, null, null]);
  });

  it('should never keep an older record under a key whose not-found came over the quota', async () => {
    const cache = await open({ maxNegativeEntriesPerTenant: 3 });
    const t = ownTenant('neg-over');
    const type = `NegOver${kind}`;
    const k = entityKey(t, type, 'deleted-upstream');
    await cache.setMany([{ key: k, entry: entry('record before deletion') }]);
    const junk = [1, 2, 3].map((i) => entityKey(t, type, `junk-${i}`));
    await cache.setMany(junk.map((key) => ({ key, entry: entry(null, { freshMs: 30_000, staleMs: 30_000 }) })));
    // The quota is used up; the record is then found deleted upstream.
    await cache.setMany([{ key: k, entry: entry(null, { freshMs: 30_000, staleMs: 30_000 }) }]);
    expect((await cache.getMany([k]))[0]?.value).not.toBe('record before deletion');
  });

  it('should let a record replace its not-found and the reverse', async () => {
    const cache = await open({ maxNegativeEntriesPerTenant: 10 });
    const k = entityKey(tenantA, `NegSwap${kind}`, 1);
    await cache.setMany([{ key: k, entry: entry(null, { freshMs: 30_000, staleMs: 30_000 }) }]);
    await cache.setMany([{ key: k, entry: entry('found now') }]);
    expect((await cache.getMany([k]))[0]?.value).toBe('found now');
    await cache.setMany([{ key: k, entry: entry(null, { freshMs: 30_000, staleMs: 30_000 }) }]);
    expect((await cache.getMany([k]))[0]?.value).toBeNull();
    await cache.delete([k]);
    expect(await cache.getMany([k])).toEqual([undefined]);
  });

  it("should keep a not-found written with a policy no longer than the policy's negative TTL", async () => {
    const cache = await open();
    const policy = { ttlSeconds: 300, maxStaleSeconds: 3_600, negativeTtlSeconds: 60 };
    const missing = entityKey(tenantA, `NegTtl${kind}`, 'no-such-sku');
    const found = entityKey(tenantA, `NegTtl${kind}`, 'WID-100');
    await cache.setMany([
      { key: missing, entry: entryFor(null, policy, clock.now()) },
      { key: found, entry: entryFor({ sku: 'WID-100' }, policy, clock.now()) },
    ]);
    if (cache.kind === 'redis') {
      // The attack found junk keys living up to an hour: the negative TTL plus the records' staleness.
      const [negativeTtl, recordTtl] = [await injected.pttl(missing), await injected.pttl(found)];
      expect(negativeTtl).toBeGreaterThan(0);
      expect(negativeTtl).toBeLessThanOrEqual(60_000);
      expect(recordTtl).toBeGreaterThan(3_600_000);
    }
    clock.advance(59_999);
    expect((await cache.getMany([missing]))[0]?.value).toBeNull();
    clock.advance(1);
    expect((await cache.getMany([missing, found])).map((e) => e?.value)).toEqual([undefined, { sku: 'WID-100' }]);
  });

  it('should not store an entry already past staleUntil', async () => {
    const cache = await open();
    const k = entityKey(tenantA, `Exp${kind}`, 1);
    const now = clock.now();
    await cache.setMany([{ key: k, entry: { value: 1, storedAt: now - 10_000, freshUntil: now - 5_000, staleUntil: now - 1 } }]);
    expect(await cache.getMany([k])).toEqual([undefined]);
  });

  it('should forget an entry once staleUntil has passed (and keep it while only freshUntil has)', async () => {
    const cache = await open();
    const short = entityKey(tenantA, `Exp${kind}`, 'short');
    const staleButKept = entityKey(tenantA, `Exp${kind}`, 'stale');
    const now = clock.now();
    await cache.setMany([
      { key: short, entry: { value: 1, storedAt: now, freshUntil: now + 50, staleUntil: now + 150 } },
      { key: staleButKept, entry: { value: 2, storedAt: now - 120_000, freshUntil: now - 60_000, staleUntil: now + 600_000 } },
    ]);
    clock.advance(149);
    expect((await cache.getMany([short]))[0]?.value).toBe(1);
    clock.advance(1);
    expect(await cache.getMany([short])).toEqual([undefined]);
    const [kept] = await cache.getMany([staleButKept]);
    expect(kept?.value).toBe(2);
  });

  it('should overwrite an entry on a second set', async () => {
    const cache = await open();
    const k = entityKey(tenantA, `Over${kind}`, 1);
    await cache.setMany([{ key: k, entry: entry('old') }]);
    await cache.setMany([{ key: k, entry: entry('new') }]);
    expect((await cache.getMany([k]))[0]?.value).toBe('new');
  });

  it('should delete exactly the given keys', async () => {
    const cache = await open();
    const keys = [1, 2, 3].map((id) => entityKey(tenantA, `Del${kind}`, id));
    await cache.setMany(keys.map((key) => ({ key, entry: entry(key) })));
    await cache.delete([keys[0] ?? '', keys[2] ?? '']);
    await cache.delete([]);
    expect((await cache.getMany(keys)).map((e) => e?.value)).toEqual([undefined, keys[1], undefined]);
  });

  it('should delete by prefix only that tenant and type', async () => {
    const cache = await open();
    const type = `Pre${kind}`;
    const victims = [1, 2, 3].map((id) => entityKey(tenantA, type, id));
    const sameTypeOtherTenant = entityKey(tenantB, type, 1);
    const otherTypeSameTenant = entityKey(tenantA, `${type}Line`, 1); // shares the type's text as a prefix
    const survivors = [sameTypeOtherTenant, otherTypeSameTenant];
    await cache.setMany([...victims, ...survivors].map((key) => ({ key, entry: entry(key) })));

    await cache.deleteByPrefix(entityTypePrefix(tenantA, type));

    expect((await cache.getMany(victims)).every((e) => e === undefined)).toBe(true);
    expect((await cache.getMany(survivors)).map((e) => e?.value)).toEqual(survivors);
    if (cache.kind === 'redis') expect(await scanKeys(`${entityTypePrefix(tenantA, type)}*`)).toEqual([]);
  });

  it("should refuse a prefix that is not one tenant's entity cache", async () => {
    const cache = await open();
    await expect(cache.deleteByPrefix('')).rejects.toThrow(TypeError);
    await expect(cache.deleteByPrefix('*')).rejects.toThrow(TypeError);
  });

  it('should drop a value JSON cannot hold, without throwing, and keep the rest', async () => {
    const cache = await open();
    const bad = entityKey(tenantA, `Json${kind}`, 1);
    const good = entityKey(tenantA, `Json${kind}`, 2);
    await cache.setMany([
      { key: bad, entry: entry({ n: 1n }) },
      { key: good, entry: entry('ok') },
    ]);
    expect((await cache.getMany([bad, good])).map((e) => e?.value)).toEqual([undefined, 'ok']);
  });

  it('should invalidate through the service: the epoch moves, in-flight fetches of the keys are forgotten', async () => {
    const cache = await open();
    const type = `Inv${kind}`;
    const [k1, k2] = [entityKey(tenantA, type, 1), entityKey(tenantA, type, 2)];
    await cache.setMany([
      { key: k1, entry: entry(1) },
      { key: k2, entry: entry(2) },
    ]);
    const flight = cache.flights.start<number>(k2);
    const epoch = cache.invalidationEpoch();
    await cache.invalidate({ keys: [k1], prefixes: [entityTypePrefix(tenantA, type)] });
    expect(cache.invalidationEpoch()).toBe(epoch + 1);
    expect(flight.invalidated).toBe(true);
    expect(cache.flights.find(k2)).toBeUndefined();
    expect(await cache.getMany([k1, k2])).toEqual([undefined, undefined]);
    await expect(cache.invalidate({ prefixes: ['*'] })).rejects.toThrow(TypeError);
    expect(cache.invalidationEpoch()).toBe(epoch + 1); // a refused call changes nothing
  });

  it('should close idempotently, and answer misses without throwing after close', async () => {
    const cache = await open();
    const k = entityKey(tenantA, `Close${kind}`, 1);
    await cache.setMany([{ key: k, entry: entry(1) }]);
    await Promise.all([cache.close(), cache.close()]);
    await cache.close();
    expect(await cache.getMany([k])).toEqual([undefined]);
    await expect(cache.setMany([{ key: k, entry: entry(2) }])).resolves.toBeUndefined();
    await expect(cache.delete([k])).resolves.toBeUndefined();
    if (kind === 'injected') {
      expect(injected.status).toBe('ready'); // the caller's client stays open, without our listeners
      expect(injected.listeners('error')).toEqual([ownersErrorListener]);
    }
  });
});

describe('memory LRU bounds (per tenant)', () => {
  const memory = (opts: Parameters<typeof createMemoryEntityCache>[0] = {}) => createMemoryEntityCache({ logger: silentLogger, clock: clock.now, ...opts });

  it('should evict the least recently used entry beyond maxEntriesPerTenant', async () => {
    const cache = memory({ maxEntriesPerTenant: 3 });
    const [k1, k2, k3, k4] = [1, 2, 3, 4].map((id) => entityKey(tenantA, 'Lru', id)) as [string, string, string, string];
    const evictions = await counterValue(entityCacheMetrics.evictions, { reason: 'entries' });
    await cache.setMany([k1, k2, k3].map((key) => ({ key, entry: entry(key) })));
    await cache.getMany([k1]); // k1 is now the most recently used; k2 the least
    await cache.setMany([{ key: k4, entry: entry(k4) }]);
    expect(cache.size).toBe(3);
    expect((await cache.getMany([k1, k2, k3, k4])).map((e) => e?.value)).toEqual([k1, undefined, k3, k4]);
    expect(await counterValue(entityCacheMetrics.evictions, { reason: 'entries' })).toBe(evictions + 1);
    await cache.close();
  });

  it('should evict least recently used entries beyond maxBytesPerTenant (key + serialized length)', async () => {
    const value = 'x'.repeat(100);
    const k = (id: number) => entityKey(tenantA, 'LruBytes', id);
    const t = clock.now();
    const one = k(10).length + JSON.stringify({ v: value, s: t, f: t, x: t }).length; // one entry, as the cache counts it
    const cache = memory({ maxEntriesPerTenant: 1_000, maxBytesPerTenant: Math.floor(one * 3.5) });
    const evictions = await counterValue(entityCacheMetrics.evictions, { reason: 'bytes' });
    for (let id = 1; id <= 10; id++) await cache.setMany([{ key: k(id), entry: entry(value) }]);
    expect(cache.bytes).toBeLessThanOrEqual(Math.floor(one * 3.5));
    expect(cache.size).toBeLessThanOrEqual(3);
    const values = await cache.getMany([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(k));
    expect(values.slice(0, 7).every((e) => e === undefined)).toBe(true);
    expect(values.slice(7).every((e) => e?.value === value)).toBe(true);
    expect(await counterValue(entityCacheMetrics.evictions, { reason: 'bytes' })).toBe(evictions + 7);
    await cache.close();
  });

  it('should not store an entry larger than maxBytesPerTenant, nor evict others for it', async () => {
    const cache = memory({ maxBytesPerTenant: 500 });
    const small = entityKey(tenantA, 'LruBig', 1);
    const big = entityKey(tenantA, 'LruBig', 2);
    await cache.setMany([
      { key: small, entry: entry('s') },
      { key: big, entry: entry('b'.repeat(1_000)) },
    ]);
    expect((await cache.getMany([small, big])).map((e) => e?.value)).toEqual(['s', undefined]);
    await cache.close();
  });

  it('should free the bytes of deleted and overwritten entries', async () => {
    const cache = memory();
    const key = entityKey(tenantA, 'LruFree', 1);
    await cache.setMany([{ key, entry: entry('a'.repeat(100)) }]);
    const big = cache.bytes;
    await cache.setMany([{ key, entry: entry('b') }]);
    const afterOverwrite = cache.bytes;
    await cache.delete([key]);
    expect(afterOverwrite).toBe(big - 99);
    expect(cache.bytes).toBe(0);
    expect(cache.size).toBe(0);
    await cache.close();
  });

  it('should keep tenant B readable while tenant A floods far beyond its quota (entries and bytes)', async () => {
    const cache = memory({ maxEntriesPerTenant: 50, maxBytesPerTenant: 20_000 });
    const bKeys = [1, 2, 3, 4, 5].map((id) => entityKey(tenantB, 'Part', id));
    await cache.setMany(bKeys.map((key) => ({ key, entry: entry(`b-${key}`) })));
    // A writes 100 times its entry quota, in big and small entries: only its own LRU churns.
    for (let round = 0; round < 50; round++) {
      await cache.setMany(
        Array.from({ length: 100 }, (_, i) => ({ key: entityKey(tenantA, 'Part', round * 100 + i), entry: entry(i % 2 ? 'a'.repeat(900) : i) })),
      );
    }
    expect((await cache.getMany(bKeys)).map((e) => e?.value)).toEqual(bKeys.map((key) => `b-${key}`));
    const a = cache.usageOf(tenantA);
    expect(a.entries).toBeLessThanOrEqual(50);
    expect(a.bytes).toBeLessThanOrEqual(20_000);
    expect(cache.usageOf(tenantB).entries).toBe(5);
    expect(cache.size).toBe(a.entries + 5);
    // Invalidating all of A leaves B alone too.
    await cache.deleteByPrefix(`${tenantA}:ec:`);
    expect(cache.usageOf(tenantA)).toEqual({ entries: 0, bytes: 0, negativeEntries: 0 });
    expect((await cache.getMany(bKeys)).every((e) => e !== undefined)).toBe(true);
    await cache.close();
  });

  it('should refuse bounds that are not positive integers', () => {
    expect(() => createMemoryEntityCache({ maxEntriesPerTenant: 0 })).toThrow(/maxEntriesPerTenant/);
    expect(() => createMemoryEntityCache({ maxBytesPerTenant: -1 })).toThrow(/maxBytesPerTenant/);
    expect(() => createMemoryEntityCache({ maxNegativeEntriesPerTenant: 0 })).toThrow(/maxNegativeEntriesPerTenant/);
    expect(() => createMemoryEntityCache({ maxNegativeBytesPerTenant: 1.5 })).toThrow(/maxNegativeBytesPerTenant/);
  });

  it("should hold not-founds in the tenant's own small LRU, on top of its records, bounded in entries and bytes", async () => {
    const cache = memory({ maxEntriesPerTenant: 5, maxNegativeEntriesPerTenant: 3, maxNegativeBytesPerTenant: 100_000 });
    const records = [1, 2, 3, 4, 5].map((id) => entityKey(tenantA, 'NegLru', id));
    await cache.setMany(records.map((key) => ({ key, entry: entry(key) })));
    const evicted = await counterValue(entityCacheMetrics.evictions, { reason: 'negative' });
    const evictedRecords = await counterValue(entityCacheMetrics.evictions, { reason: 'entries' });
    const junk = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => entityKey(tenantA, 'NegLru', `junk-${i}`));
    await cache.setMany(junk.map((key) => ({ key, entry: entry(null) })));
    expect(cache.usageOf(tenantA)).toMatchObject({ entries: 8, negativeEntries: 3 });
    expect((await cache.getMany(records)).map((e) => e?.value)).toEqual(records);
    expect((await cache.getMany(junk)).map((e) => e?.value)).toEqual([undefined, undefined, undefined, undefined, undefined, null, null, null]);
    expect(await counterValue(entityCacheMetrics.evictions, { reason: 'negative' })).toBe(evicted + 5);
    expect(await counterValue(entityCacheMetrics.evictions, { reason: 'entries' })).toBe(evictedRecords);
    // Long client-chosen strings: the byte bound of not-founds holds too.
    const small = memory({ maxNegativeBytesPerTenant: 2_000 });
    for (let i = 0; i < 20; i++) await small.setMany([{ key: entityKey(tenantA, 'NegBytes', `${'x'.repeat(400)}-${i}`), entry: entry(null) }]);
    expect(small.usageOf(tenantA).bytes).toBeLessThanOrEqual(2_000);
    expect(small.usageOf(tenantA).negativeEntries).toBeLessThan(5);
    await Promise.all([cache.close(), small.close()]);
  });
});

describe('redis not-found quota (per tenant)', () => {
  it('should count one window per tenant on a key of its own, outside every entity prefix, expiring with the window', async () => {
    const t = ownTenant('quota');
    const cache = createRedisEntityCache({
      client: injected,
      logger: silentLogger,
      clock: clock.now,
      maxNegativeEntriesPerTenant: 50,
      negativeWindowSeconds: 20,
    });
    const keys = [1, 2, 3].map((i) => entityKey(t, 'Quota', `nope-${i}`));
    await cache.setMany(keys.map((key) => ({ key, entry: entry(null, { freshMs: 30_000, staleMs: 30_000 }) })));
    const counter = `${t}:ecq:negative`;
    expect(await injected.get(counter)).toBe('3');
    const ttl = await injected.pttl(counter);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(20_000);
    // The entry's PX is capped at the window (20 s), though the entry asked for 30 s.
    const entryTtl = await injected.pttl(keys[0]!);
    expect(entryTtl).toBeGreaterThan(0);
    expect(entryTtl).toBeLessThanOrEqual(20_000);
    expect(isEntityCachePrefix(counter)).toBe(false);
    expect(counter.startsWith(`${t}:ec:`)).toBe(false);
    // Invalidating all of the tenant's entries leaves the count (the window still bounds what it wrote).
    await cache.deleteByPrefix(`${t}:ec:`);
    expect(await scanKeys(`${t}:*`)).toEqual([counter]);
    await cache.close();
  });

  it('should refuse a quota or window that is not a positive integer', () => {
    expect(() => createRedisEntityCache({ client: injected, maxNegativeEntriesPerTenant: 0 })).toThrow(/maxNegativeEntriesPerTenant/);
    expect(() => createRedisEntityCache({ client: injected, negativeWindowSeconds: -5 })).toThrow(/negativeWindowSeconds/);
  });
});
