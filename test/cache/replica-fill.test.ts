/**
 * Single flight across replicas (Redis only): a replica that finds another one fetching a missing
 * entry waits for it in the cache instead of calling the upstream too. The "other replica" here is
 * the test itself, holding the claim and writing the answer as a second gateway process would.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { entityKey } from '../../cache/keys';
import type { CachePolicy } from '../../cache/policy';
import { createReadThroughLoader } from '../../cache/read-through';
import { createRedisEntityCache, FILL_CLAIM_SUFFIX, type RedisEntityCache } from '../../cache/redis-cache';
import { isUpstreamOutage } from '../../subgraphs/kit/errors';
import { cleanUpTenants, countingFetch, randomTenant, SHARED_REDIS_URL, silentLogger, sleep, waitFor } from './helpers';

const POLICY: CachePolicy = { ttlSeconds: 60, maxStaleSeconds: 600, negativeTtlSeconds: 30 };
const ORDERS = new Map([1, 2, 3].map((id) => [id, { id, name: `order ${id}` }]));
const tenant = randomTenant('fill');
let cache: RedisEntityCache;
let other: Redis;

beforeAll(async () => {
  cache = createRedisEntityCache({ url: SHARED_REDIS_URL, logger: silentLogger });
  other = new Redis(SHARED_REDIS_URL);
  await waitFor('the cache to connect', () => cache.client.status === 'ready', 5_000);
});
afterAll(async () => {
  await cache.close();
  other.disconnect();
  await cleanUpTenants([tenant]);
});

const loaderWith = (fetchMany: (keys: readonly number[]) => Promise<Map<number, { id: number; name: string }>>, fillWaitMs = 2_000) =>
  createReadThroughLoader({ cache, tenant, type: 'Order', policy: POLICY, isOutage: isUpstreamOutage, fetchMany, fillWaitMs });

describe('single flight across replicas', () => {
  it("should wait for another replica's fetch instead of calling the upstream again", async () => {
    const key = entityKey(tenant, 'Order', 1);
    await other.set(`${key}${FILL_CLAIM_SUFFIX}`, '1', 'PX', 5_000); // the other replica is fetching order 1
    const upstream = countingFetch(ORDERS);
    const answer = loaderWith(upstream.fetchMany).loadMany([1, 2]);
    await sleep(100);
    // The other replica writes its answer (order 1); order 2 was nobody else's and is fetched here.
    const now = Date.now();
    await cache.setMany([{ key, entry: { value: { id: 1, name: 'from the other replica' }, storedAt: now, freshUntil: now + 60_000, staleUntil: now + 600_000 } }]);
    expect(await answer).toEqual([{ id: 1, name: 'from the other replica' }, ORDERS.get(2)]);
    expect(upstream.calls).toEqual([[2]]);
  });

  it('should fetch it itself when the other replica never answers within the wait', async () => {
    const key = entityKey(tenant, 'Order', 3);
    await other.set(`${key}${FILL_CLAIM_SUFFIX}`, '1', 'PX', 5_000);
    const upstream = countingFetch(ORDERS);
    expect(await loaderWith(upstream.fetchMany, 150).load(3)).toEqual(ORDERS.get(3));
    expect(upstream.calls).toEqual([[3]]);
  });

  it('should fetch its own keys at once, and a key another replica gave up on as soon as the claim is gone', async () => {
    const key = entityKey(tenant, 'Order', 4);
    await other.set(`${key}${FILL_CLAIM_SUFFIX}`, 'other-replica', 'PX', 5_000);
    const upstream = countingFetch(new Map([4, 5].map((id) => [id, { id, name: `order ${id}` }])));
    const answer = loaderWith(upstream.fetchMany, 10_000).loadMany([4, 5]);
    await sleep(100);
    expect(upstream.calls).toEqual([[5]]); // ours, not held back by the other replica's key
    await other.del(`${key}${FILL_CLAIM_SUFFIX}`); // the other replica's fetch failed: no answer, claim released
    expect(await answer).toEqual([{ id: 4, name: 'order 4' }, { id: 5, name: 'order 5' }]);
    expect(upstream.calls).toEqual([[5], [4]]);
  });

  it("should never release a claim another replica took after its own expired", async () => {
    const claimKey = `${entityKey(tenant, 'Order', 6)}${FILL_CLAIM_SUFFIX}`;
    const upstream = countingFetch(new Map([[6, { id: 6, name: 'order 6' }]]), { delayMs: 300 });
    const answer = loaderWith(upstream.fetchMany, 100).load(6); // our claim lives 100 ms; the fetch takes 300
    await sleep(200);
    expect(await other.set(claimKey, 'other-replica', 'PX', 5_000, 'NX')).toBe('OK');
    await answer;
    expect(await other.get(claimKey)).toBe('other-replica');
  });

  it('should give its own claims back once the answers are written', async () => {
    const upstream = countingFetch(new Map([[7, { id: 7, name: 'order 7' }]]));
    await loaderWith(upstream.fetchMany).load(7);
    expect(await other.exists(`${entityKey(tenant, 'Order', 7)}${FILL_CLAIM_SUFFIX}`)).toBe(0);
    expect(await other.exists(entityKey(tenant, 'Order', 7))).toBe(1);
  });
});
