/**
 * The read-through loader over both caches: batch shapes (like DataLoader's own tests), metrics,
 * single flight across loaders, negative caching, stale-if-error and tenant separation.
 */
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import DataLoader from 'dataloader';
import { ErrorCode, isUpstreamOutage, UpstreamError } from '../../subgraphs/kit/errors';
import type { EntityCache } from '../../cache/entity-cache';
import { entityKey } from '../../cache/keys';
import { createMemoryEntityCache } from '../../cache/memory-cache';
import { entityCacheMetrics } from '../../cache/metrics';
import type { CachePolicy } from '../../cache/policy';
import { createReadThroughLoader, type ReadThroughOptions, type StaleServe } from '../../cache/read-through';
import { createRedisEntityCache } from '../../cache/redis-cache';
import { invalidateEntities } from '../../cache/invalidation';
import { counterValue, countingFetch, gate, manualClock, scanKeys, SHARED_REDIS_URL, silentLogger, waitFor, tenantsCleanedUpAfterAll } from './helpers';

interface Order {
  id: number;
  name: string;
}

const tenant = tenantsCleanedUpAfterAll();

const POLICY: CachePolicy = { ttlSeconds: 60, maxStaleSeconds: 600, negativeTtlSeconds: 30 };
const ORDERS = new Map<number, Order>([1, 2, 3, 5, 8].map((id) => [id, { id, name: `order ${id}` }]));
const outage = (): UpstreamError => new UpstreamError(ErrorCode.UPSTREAM_UNAVAILABLE, 'odoo', 'Odoo did not answer');
const rejection = (): UpstreamError => new UpstreamError(ErrorCode.UPSTREAM_REJECTED, 'odoo', 'Odoo rejected the call');

let typeSeq = 0;
/** A fresh entity type per test keeps the type-labelled counters of one test apart from the others. */
const freshType = (kind: string): string => `Order${kind}${++typeSeq}`;

const metricsOf = async (type: string) => ({
  hits: await counterValue(entityCacheMetrics.hits, { type }),
  misses: await counterValue(entityCacheMetrics.misses, { type }),
  negativeHits: await counterValue(entityCacheMetrics.negativeHits, { type }),
  staleServes: await counterValue(entityCacheMetrics.staleServes, { type }),
  singleFlightJoins: await counterValue(entityCacheMetrics.singleFlightJoins, { type }),
});

/**
 * Resolves once `n` keys of `type` have missed the cache: every loader has then read the cache and
 * either started or joined a flight (both happen in the same synchronous step as the count).
 */
const missesReach = (type: string, n: number): Promise<void> =>
  waitFor(`${n} misses of ${type}`, async () => (await counterValue(entityCacheMetrics.misses, { type })) >= n, 5_000, 2);

const implementations: Array<[string, () => EntityCache]> = [
  ['memory', () => createMemoryEntityCache({ logger: silentLogger })],
  ['redis', () => createRedisEntityCache({ url: SHARED_REDIS_URL, logger: silentLogger })],
];

describe.each(implementations)('createReadThroughLoader over %s', (kind, create) => {
  const opened: EntityCache[] = [];
  const open = async (): Promise<EntityCache> => {
    const cache = create();
    opened.push(cache);
    if (cache.kind === 'redis') await waitFor('redis ready', async () => (await cache.getManyWithStatus?.(['probe:ec:x']))?.ok === true, 5_000);
    return cache;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((c) => c.close()));
  });

  /** A loader as one request would build it. */
  const loaderFor = <V>(opts: Omit<ReadThroughOptions<number, V>, 'policy' | 'isOutage'> & Partial<ReadThroughOptions<number, V>>) =>
    createReadThroughLoader<number, V>({ policy: POLICY, isOutage: isUpstreamOutage, ...opts });

  it('should fetch misses in one call, then serve them from the cache (counting hits and misses)', async () => {
    const cache = await open();
    const t = tenant(`rt-${kind}`);
    const type = freshType(kind);
    const upstream = countingFetch(ORDERS);

    const first = loaderFor<Order>({ cache, tenant: t, type, fetchMany: upstream.fetchMany });
    expect(await first.loadMany([1, 2, 4])).toEqual([ORDERS.get(1), ORDERS.get(2), null]);
    expect(upstream.calls).toEqual([[1, 2, 4]]);
    expect(await metricsOf(type)).toMatchObject({ hits: 0, misses: 3, negativeHits: 0 });

    // The next request: 1 and 2 are hits, 4 a negative hit, only 3 goes upstream.
    const second = loaderFor<Order>({ cache, tenant: t, type, fetchMany: upstream.fetchMany });
    expect(await second.loadMany([1, 2, 3, 4])).toEqual([ORDERS.get(1), ORDERS.get(2), ORDERS.get(3), null]);
    expect(upstream.calls).toEqual([[1, 2, 4], [3]]);
    expect(await metricsOf(type)).toMatchObject({ hits: 2, misses: 4, negativeHits: 1 });

    // All cached now: no upstream call at all.
    const third = loaderFor<Order>({ cache, tenant: t, type, fetchMany: upstream.fetchMany });
    expect(await third.loadMany([3, 4])).toEqual([ORDERS.get(3), null]);
    expect(upstream.calls).toHaveLength(2);
  });

  it('should batch one tick of loads into one fetch, de-duplicated, and split by maxBatchSize', async () => {
    const cache = await open();
    const t = tenant(`rt-${kind}`);
    const upstream = countingFetch(ORDERS);
    const loader = loaderFor<Order>({ cache, tenant: t, type: freshType(kind), fetchMany: upstream.fetchMany });
    const [a, b, c] = await Promise.all([loader.load(1), loader.load(2), loader.load(1)]);
    expect([a, b, c]).toEqual([ORDERS.get(1), ORDERS.get(2), ORDERS.get(1)]);
    expect(upstream.calls).toEqual([[1, 2]]);

    const small = countingFetch(ORDERS);
    const split = loaderFor<Order>({ cache, tenant: t, type: freshType(kind), fetchMany: small.fetchMany, maxBatchSize: 2 });
    await split.loadMany([1, 2, 3, 5, 8]);
    expect(small.calls).toEqual([[1, 2], [3, 5], [8]]);
  });

  it('should make 100 concurrent loaders (100 requests) for the same cold keys call the upstream once', async () => {
    const cache = await open();
    const t = tenant(`rt-${kind}`);
    const type = freshType(kind);
    const slow = gate();
    const upstream = countingFetch(ORDERS, { held: slow.promise });
    const loaders = Array.from({ length: 100 }, () => loaderFor<Order>({ cache, tenant: t, type, fetchMany: upstream.fetchMany }));

    const answering = Promise.all(loaders.map((l) => l.loadMany([1, 2, 4])));
    await missesReach(type, 300); // all 100 requests are waiting for the upstream
    slow.open();
    const answers = await answering;

    expect(upstream.calls).toEqual([[1, 2, 4]]);
    for (const answer of answers) expect(answer).toEqual([ORDERS.get(1), ORDERS.get(2), null]);
    expect((await metricsOf(type)).singleFlightJoins).toBe(99 * 3);
  });

  it('should not share a flight or an entry between tenants', async () => {
    const cache = await open();
    const [ta, tb] = [tenant(`rt-${kind}-a`), tenant(`rt-${kind}-b`)];
    const type = freshType(kind);
    const slow = gate();
    const upstreamA = countingFetch(new Map([[1, { id: 1, name: 'A one' }]]), { held: slow.promise });
    const upstreamB = countingFetch(new Map([[1, { id: 1, name: 'B one' }]]), { held: slow.promise });
    const a = () => loaderFor<Order>({ cache, tenant: ta, type, fetchMany: upstreamA.fetchMany });
    const b = () => loaderFor<Order>({ cache, tenant: tb, type, fetchMany: upstreamB.fetchMany });

    const both = Promise.all([a().load(1), b().load(1)]);
    await missesReach(type, 2); // both in flight at once
    slow.open();
    const [fromA, fromB] = await both;
    expect([fromA?.name, fromB?.name]).toEqual(['A one', 'B one']);
    expect([upstreamA.calls, upstreamB.calls]).toEqual([[[1]], [[1]]]);
    // Cached apart, too.
    expect([(await a().load(1))?.name, (await b().load(1))?.name]).toEqual(['A one', 'B one']);
    expect([upstreamA.calls.length, upstreamB.calls.length]).toEqual([1, 1]);
  });

  it("should write back with the policy's TTLs, not-found as a negative entry", async () => {
    const cache = await open();
    const t = tenant(`rt-${kind}`);
    const type = freshType(kind);
    const upstream = countingFetch(ORDERS);
    await loaderFor<Order>({ cache, tenant: t, type, fetchMany: upstream.fetchMany }).loadMany([1, 4]);

    const [found, notFound] = await cache.getMany([entityKey(t, type, 1), entityKey(t, type, 4)]);
    expect(found?.value).toEqual(ORDERS.get(1));
    expect(found && found.freshUntil - found.storedAt).toBe(POLICY.ttlSeconds * 1_000);
    expect(found && found.staleUntil - found.freshUntil).toBe(POLICY.maxStaleSeconds * 1_000);
    expect(notFound?.value).toBeNull();
    expect(notFound && notFound.freshUntil - notFound.storedAt).toBe(POLICY.negativeTtlSeconds * 1_000);
  });

  it('should refetch an entry whose fresh TTL has passed', async () => {
    const cache = await open();
    const t = tenant(`rt-${kind}`);
    const type = freshType(kind);
    const now = Date.now();
    await cache.setMany([
      { key: entityKey(t, type, 1), entry: { value: { id: 1, name: 'old' }, storedAt: now - 90_000, freshUntil: now - 30_000, staleUntil: now + 60_000 } },
    ]);
    const upstream = countingFetch(ORDERS);
    expect(await loaderFor<Order>({ cache, tenant: t, type, fetchMany: upstream.fetchMany }).load(1)).toEqual(ORDERS.get(1));
    expect(upstream.calls).toEqual([[1]]);
    expect((await cache.getMany([entityKey(t, type, 1)]))[0]?.value).toEqual(ORDERS.get(1));
  });

  it('should serve expired entries within maxStaleSeconds when the upstream has an outage, and report them', async () => {
    const cache = await open();
    const t = tenant(`rt-${kind}`);
    const type = freshType(kind);
    const now = Date.now();
    const stale = { id: 1, name: 'stale one' };
    await cache.setMany([
      // expired 60 s ago, well within maxStaleSeconds (600)
      { key: entityKey(t, type, 1), entry: { value: stale, storedAt: now - 120_000, freshUntil: now - 60_000, staleUntil: now + 540_000 } },
      // expired 700 s ago: beyond maxStaleSeconds, though still stored (a longer policy wrote it)
      {
        key: entityKey(t, type, 2),
        entry: { value: { id: 2, name: 'too old' }, storedAt: now - 760_000, freshUntil: now - 700_000, staleUntil: now + 60_000 },
      },
    ]);
    const upstream = countingFetch(ORDERS);
    const err = outage();
    upstream.failWith(err);
    const served: StaleServe[] = [];
    const loader = loaderFor<Order>({ cache, tenant: t, type, fetchMany: upstream.fetchMany, onStale: (s) => served.push(s) });

    const [one, two, three] = await loader.loadMany([1, 2, 3]);

    expect(upstream.calls).toEqual([[1, 2, 3]]);
    expect(one).toEqual(stale);
    expect(two).toBe(err); // beyond maxStaleSeconds: the outage itself
    expect(three).toBe(err); // nothing cached
    expect(served).toEqual([{ type, id: '1', ageSeconds: 120 }]);
    expect((await metricsOf(type)).staleServes).toBe(1);
    // A failed fetch writes nothing: the stale entry is still there for the next request.
    expect((await cache.getMany([entityKey(t, type, 1)]))[0]?.value).toEqual(stale);
  });

  it('should let a non-outage error propagate even with a stale entry at hand', async () => {
    const cache = await open();
    const t = tenant(`rt-${kind}`);
    const type = freshType(kind);
    const now = Date.now();
    await cache.setMany([
      { key: entityKey(t, type, 1), entry: { value: { id: 1 }, storedAt: now - 120_000, freshUntil: now - 60_000, staleUntil: now + 540_000 } },
    ]);
    const upstream = countingFetch(ORDERS);
    const err = rejection();
    upstream.failWith(err);
    const served: StaleServe[] = [];
    const loader = loaderFor<Order>({ cache, tenant: t, type, fetchMany: upstream.fetchMany, onStale: (s) => served.push(s) });

    await expect(loader.load(1)).rejects.toBe(err);
    expect(served).toEqual([]);
  });

  it('should never serve a not-found stale, even one an older version kept past its freshness', async () => {
    const cache = await open();
    const t = tenant(`rt-${kind}`);
    const type = freshType(kind);
    const now = Date.now();
    await cache.setMany([{ key: entityKey(t, type, 4), entry: { value: null, storedAt: now - 120_000, freshUntil: now - 60_000, staleUntil: now + 540_000 } }]);
    const upstream = countingFetch(ORDERS);
    const err = outage();
    upstream.failWith(err);
    const served: StaleServe[] = [];
    await expect(loaderFor<Order>({ cache, tenant: t, type, fetchMany: upstream.fetchMany, onStale: (s) => served.push(s) }).load(4)).rejects.toBe(err);
    expect(served).toEqual([]);
  });

  it('should reject each key with the upstream error, wrapping a non-Error, and cache nothing', async () => {
    const cache = await open();
    const t = tenant(`rt-${kind}`);
    const type = freshType(kind);
    const upstream = countingFetch(ORDERS);
    upstream.failWith('socket hang up');
    const loader = loaderFor<Order>({ cache, tenant: t, type, fetchMany: upstream.fetchMany });
    const results = await loader.loadMany([1, 2]);
    expect(results.map((r) => r instanceof Error)).toEqual([true, true]);
    expect(String(results[0])).toMatch(/socket hang up/);
    expect(await cache.getMany([entityKey(t, type, 1), entityKey(t, type, 2)])).toEqual([undefined, undefined]);

    // The upstream is back: the next request fetches (the failure was not cached).
    upstream.failWith(undefined);
    expect(await loaderFor<Order>({ cache, tenant: t, type, fetchMany: upstream.fetchMany }).load(1)).toEqual(ORDERS.get(1));
  });

  it('should give joiners of a failed flight the same error, or their stale entry on an outage', async () => {
    const cache = await open();
    const t = tenant(`rt-${kind}`);
    const type = freshType(kind);
    const now = Date.now();
    const stale = { id: 10, name: 'stale ten' };
    await cache.setMany([
      { key: entityKey(t, type, 10), entry: { value: stale, storedAt: now - 120_000, freshUntil: now - 60_000, staleUntil: now + 540_000 } },
    ]);
    const slow = gate();
    const upstream = countingFetch(ORDERS, { held: slow.promise });
    const err = outage();
    upstream.failWith(err);
    const served: StaleServe[] = [];
    const loaders = Array.from({ length: 5 }, () =>
      loaderFor<Order>({ cache, tenant: t, type, fetchMany: upstream.fetchMany, onStale: (s) => served.push(s) }),
    );
    const answering = Promise.all(loaders.map((l) => l.loadMany([9, 10])));
    await missesReach(type, 10); // the 4 later requests have joined the first one's flight
    slow.open();
    const results = await answering;
    expect(upstream.calls).toEqual([[9, 10]]);
    for (const r of results) expect(r).toEqual([err, stale]);
    expect(served).toHaveLength(5);
  });

  it('should fail an invalid id alone, as a TypeError', async () => {
    const cache = await open();
    const upstream = countingFetch(new Map<string, string>([['a', 'A']]));
    const loader = createReadThroughLoader<string, string>({
      cache,
      tenant: tenant(`rt-${kind}`),
      type: freshType(kind),
      policy: POLICY,
      isOutage: isUpstreamOutage,
      fetchMany: upstream.fetchMany,
    });
    const [bad, good] = await loader.loadMany(['', 'a']);
    expect(bad).toBeInstanceOf(TypeError);
    expect(good).toBe('A');
    expect(upstream.calls).toEqual([['a']]);
  });

  if (kind === 'redis') {
    it('should store every key under its tenant', async () => {
      const cache = await open();
      const [ta, tb] = [tenant('rt-keys-a'), tenant('rt-keys-b')];
      const type = freshType(kind);
      await Promise.all([ta, tb].map((t) => loaderFor<Order>({ cache, tenant: t, type, fetchMany: countingFetch(ORDERS).fetchMany }).loadMany([1, 2, 4])));
      const keys = await scanKeys(`*:ec:v*:${type}:*`);
      expect(keys.sort()).toEqual([ta, tb].flatMap((t) => [1, 2, 4].map((id) => entityKey(t, type, id))).sort());
      for (const key of keys) expect(key.startsWith(`${ta}:`) || key.startsWith(`${tb}:`)).toBe(true);
    });
  }
});

describe('createReadThroughLoader options', () => {
  const base = {
    cache: createMemoryEntityCache({ logger: silentLogger }),
    tenant: 't-options',
    type: 'Order',
    policy: POLICY,
    fetchMany: async () => new Map<number, Order>(),
    isOutage: () => false,
  };
  afterAll(() => base.cache.close());

  it('should return a DataLoader named after the type', () => {
    const loader = createReadThroughLoader(base);
    expect(loader).toBeInstanceOf(DataLoader);
    expect(loader.name).toBe('cache.Order');
    expect(createReadThroughLoader({ ...base, name: 'odoo.orderById' }).name).toBe('odoo.orderById');
  });

  it('should refuse bad options by name', () => {
    expect(() => createReadThroughLoader({ ...base, maxBatchSize: 0 })).toThrow(/maxBatchSize/);
    expect(() => createReadThroughLoader({ ...base, policy: { ...POLICY, ttlSeconds: Number.NaN } })).toThrow(/ttlSeconds/);
    expect(() => createReadThroughLoader({ ...base, tenant: 'a:b' })).toThrow(/tenant/);
    expect(() => createReadThroughLoader({ ...base, type: '' })).toThrow(/type/);
  });
});

describe('invalidation during a fetch', () => {
  it('should not write back an answer fetched before the entity was invalidated, nor let later loaders join it', async () => {
    const cache = createMemoryEntityCache({ logger: silentLogger });
    const t = tenant('inval');
    const type = freshType('Inval');
    let current = { id: 1, name: 'before the change' };
    const calls: number[][] = [];
    const firstStarted = gate();
    const firstAnswers = gate();
    // Reads the record when called; the first call answers only when the test lets it (a slow upstream).
    const fetchMany = async (keys: readonly number[]) => {
      calls.push([...keys]);
      const seen = current;
      if (calls.length === 1) {
        firstStarted.open();
        await firstAnswers.promise;
      }
      return new Map(keys.map((k) => [k, seen]));
    };
    const make = () => createReadThroughLoader({ cache, tenant: t, type, policy: POLICY, isOutage: isUpstreamOutage, fetchMany });
    const first = make().load(1);
    await firstStarted.promise;
    current = { id: 1, name: 'after the change' };
    await invalidateEntities(cache, t, [{ type, id: 1 }]);
    const second = make().load(1); // must not join the fetch that started before the change
    expect(await second).toEqual({ id: 1, name: 'after the change' });
    firstAnswers.open();
    expect(await first).toEqual({ id: 1, name: 'before the change' }); // answered to its own caller...
    expect(calls).toEqual([[1], [1]]);
    // ...but never written over the newer entry.
    expect((await cache.getMany([entityKey(t, type, 1)]))[0]?.value).toEqual({ id: 1, name: 'after the change' });
    expect(cache.flights.size).toBe(0);
    await cache.close();
  });

  it('should prime a record read by another call only if no invalidation happened since the read', async () => {
    const cache = createMemoryEntityCache({ logger: silentLogger });
    const t = tenant('prime');
    const type = freshType('Prime');
    const key = entityKey(t, type, 1);
    const readAt = cache.invalidationEpoch();
    expect(await cache.primeIfUnchanged([{ key, value: { id: 1, name: 'read' }, policy: POLICY }], readAt)).toBe(true);
    const [primed] = await cache.getMany([key]);
    expect(primed?.value).toEqual({ id: 1, name: 'read' });
    expect(primed && primed.freshUntil - primed.storedAt).toBe(POLICY.ttlSeconds * 1_000);

    const before = cache.invalidationEpoch();
    await invalidateEntities(cache, t, [{ type, id: 1 }]);
    expect(await cache.primeIfUnchanged([{ key, value: { id: 1, name: 'read before the change' }, policy: POLICY }], before)).toBe(false);
    expect(await cache.getMany([key])).toEqual([undefined]);
    await cache.close();
  });

  it('should keep flights and epochs of two caches apart', async () => {
    const [one, two] = [createMemoryEntityCache({ logger: silentLogger }), createMemoryEntityCache({ logger: silentLogger })];
    const t = tenant('apart');
    const type = freshType('Apart');
    const slow = gate();
    const upstream = countingFetch(ORDERS, { held: slow.promise });
    const loads = [one, two].map((cache) =>
      createReadThroughLoader({ cache, tenant: t, type, policy: POLICY, isOutage: isUpstreamOutage, fetchMany: upstream.fetchMany }).load(1),
    );
    await missesReach(type, 2);
    expect(upstream.calls).toEqual([[1], [1]]); // no flight shared between caches
    await invalidateEntities(one, t, [{ type, id: 1 }]);
    expect([one.invalidationEpoch(), two.invalidationEpoch()]).toEqual([1, 0]);
    slow.open();
    expect(await Promise.all(loads)).toEqual([ORDERS.get(1), ORDERS.get(1)]);
    // The invalidated flight of `one` was not written back; `two`'s was.
    expect((await one.getMany([entityKey(t, type, 1)]))[0]).toBeUndefined();
    expect((await two.getMany([entityKey(t, type, 1)]))[0]?.value).toEqual(ORDERS.get(1));
    await Promise.all([one.close(), two.close()]);
  });
});

describe('the cache clock', () => {
  it.each(implementations)('should decide freshness, staleness and expiry by the injected clock (%s)', async (kind, _create) => {
    const clock = manualClock();
    const cache =
      kind === 'memory'
        ? createMemoryEntityCache({ logger: silentLogger, clock: clock.now })
        : createRedisEntityCache({ url: SHARED_REDIS_URL, logger: silentLogger, clock: clock.now });
    try {
      if (cache.kind === 'redis') await waitFor('redis ready', async () => (await cache.getManyWithStatus(['probe:ec:x'])).ok, 5_000);
      const t = tenant(`clock-${kind}`);
      const type = freshType(`Clock${kind}`);
      const upstream = countingFetch(ORDERS);
      const served: StaleServe[] = [];
      const load = () => loaderWith(cache, t, type, upstream.fetchMany, (s) => served.push(s)).load(1);

      expect(await load()).toEqual(ORDERS.get(1));
      clock.advance(POLICY.ttlSeconds * 1_000 - 1);
      expect(await load()).toEqual(ORDERS.get(1));
      expect(upstream.calls).toHaveLength(1); // still fresh

      clock.advance(1);
      expect(await load()).toEqual(ORDERS.get(1));
      expect(upstream.calls).toHaveLength(2); // fresh TTL passed: fetched again (and rewritten at the clock's time)

      clock.advance(POLICY.ttlSeconds * 1_000 + 120_000);
      upstream.failWith(outage());
      expect(await load()).toEqual(ORDERS.get(1)); // stale, served during the outage
      expect(served).toEqual([{ type, id: '1', ageSeconds: POLICY.ttlSeconds + 120 }]);

      clock.advance(POLICY.maxStaleSeconds * 1_000);
      expect(await cache.getMany([entityKey(t, type, 1)])).toEqual([undefined]); // past staleUntil: gone
      await expect(load()).rejects.toBeInstanceOf(UpstreamError);
    } finally {
      await cache.close();
    }
  });
});

function loaderWith(
  cache: EntityCache,
  t: string,
  type: string,
  fetchMany: (keys: readonly number[]) => Promise<Map<number, Order>>,
  onStale: (s: StaleServe) => void,
) {
  return createReadThroughLoader<number, Order>({ cache, tenant: t, type, policy: POLICY, isOutage: isUpstreamOutage, fetchMany, onStale });
}
