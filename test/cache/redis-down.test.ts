/**
 * Redis dying and coming back, on this file's own redis-server (the shared one on 6379 is never
 * touched): nothing reaches a caller, the loader answers from the upstream, failures are counted
 * and logged without flooding, and caching resumes on its own once Redis is back.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { ErrorCode, isUpstreamOutage, UpstreamError } from '../../subgraphs/kit/errors';
import { entityKey } from '../../cache/keys';
import { entityCacheMetrics } from '../../cache/metrics';
import type { CachePolicy } from '../../cache/policy';
import { createReadThroughLoader } from '../../cache/read-through';
import { createRedisEntityCache, type RedisEntityCache } from '../../cache/redis-cache';
import { capturingLogger, counterValue, countingFetch, freePort, OwnRedisServer, randomTenant, waitFor } from './helpers';

const POLICY: CachePolicy = { ttlSeconds: 60, maxStaleSeconds: 600, negativeTtlSeconds: 30 };
const TYPE = 'OrderRedisDown';
const tenant = randomTenant('down');
const ORDERS = new Map([1, 2, 3].map((id) => [id, { id, name: `order ${id}` }]));

let server: OwnRedisServer;
let cache: RedisEntityCache;
const { logger, lines } = capturingLogger();
const consoleError = jest.spyOn(console, 'error');

const loader = (fetchMany: (keys: readonly number[]) => Promise<Map<number, { id: number; name: string }>>) =>
  createReadThroughLoader({ cache, tenant, type: TYPE, policy: POLICY, isOutage: isUpstreamOutage, fetchMany });
const errorsOf = (op: string) => counterValue(entityCacheMetrics.errors, { type: TYPE, op });
const ready = async (): Promise<boolean> => (await cache.getManyWithStatus([entityKey(tenant, TYPE, 'probe')])).ok;

beforeAll(async () => {
  server = new OwnRedisServer(await freePort());
  await server.start();
  cache = createRedisEntityCache({ url: server.url, logger, commandTimeoutMs: 200, maxReconnectDelayMs: 200 });
  await waitFor('the cache to connect', ready, 5_000);
});

afterAll(async () => {
  await cache?.close();
  await server?.kill(); // a throw-away server without persistence: killing it is its clean-up
  consoleError.mockRestore();
});

describe('Redis entity cache while Redis is down', () => {
  it('should cache while Redis is up', async () => {
    const upstream = countingFetch(ORDERS);
    expect(await loader(upstream.fetchMany).loadMany([1, 2])).toEqual([ORDERS.get(1), ORDERS.get(2)]);
    expect(await loader(upstream.fetchMany).loadMany([1, 2])).toEqual([ORDERS.get(1), ORDERS.get(2)]);
    expect(upstream.calls).toEqual([[1, 2]]);
  });

  it('should absorb every failure once Redis is killed, and answer from the upstream', async () => {
    await server.kill();
    await waitFor('the client to notice', async () => !(await ready()), 5_000);
    const [getErrors, setErrors, fallbacks] = [
      await errorsOf('get'),
      await errorsOf('set'),
      await counterValue(entityCacheMetrics.redisFallbacks, { type: TYPE }),
    ];

    const key = entityKey(tenant, TYPE, 1);
    await expect(cache.getMany([key])).resolves.toEqual([undefined]);
    await expect(
      cache.setMany([{ key, entry: { value: 1, storedAt: Date.now(), freshUntil: Date.now() + 1_000, staleUntil: Date.now() + 2_000 } }]),
    ).resolves.toBeUndefined();
    await expect(cache.delete([key])).resolves.toBeUndefined();
    await expect(cache.deleteByPrefix(`${tenant}:ec:`)).resolves.toBeUndefined();

    const upstream = countingFetch(ORDERS);
    expect(await loader(upstream.fetchMany).loadMany([1, 2, 3])).toEqual([ORDERS.get(1), ORDERS.get(2), ORDERS.get(3)]);
    expect(await loader(upstream.fetchMany).loadMany([1, 2, 3])).toEqual([ORDERS.get(1), ORDERS.get(2), ORDERS.get(3)]);
    expect(upstream.calls).toEqual([
      [1, 2, 3],
      [1, 2, 3],
    ]); // nothing cached, every request goes upstream

    expect(await errorsOf('get')).toBe(getErrors + 3);
    expect(await errorsOf('set')).toBe(setErrors + 3);
    expect(await counterValue(entityCacheMetrics.redisFallbacks, { type: TYPE })).toBe(fallbacks + 2);
  });

  it('should still propagate an upstream outage when nothing could be read from the cache', async () => {
    const upstream = countingFetch(ORDERS);
    const err = new UpstreamError(ErrorCode.UPSTREAM_TIMEOUT, 'odoo', 'Odoo did not answer');
    upstream.failWith(err);
    await expect(loader(upstream.fetchMany).load(1)).rejects.toBe(err);
  });

  it('should log failures rate-limited, without secrets, and never leave an error event unhandled', async () => {
    const before = lines.length;
    for (let i = 0; i < 50; i++) await cache.getMany([entityKey(tenant, TYPE, i + 100)]);
    expect(lines.length - before).toBeLessThanOrEqual(1); // 50 failures, at most one line (once per interval)
    const warnings = lines.filter((l) => l.event === 'redis get failed');
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(lines)).not.toMatch(/order \d|"value"/);
    expect(consoleError.mock.calls.flat().join(' ')).not.toMatch(/Unhandled error event/);
  });

  it('should resume caching on its own once Redis is back on the same port', async () => {
    await server.start();
    await waitFor('the client to reconnect', ready, 10_000);

    const upstream = countingFetch(ORDERS);
    expect(await loader(upstream.fetchMany).load(1)).toEqual(ORDERS.get(1)); // the restarted Redis is empty
    const hits = await counterValue(entityCacheMetrics.hits, { type: TYPE });
    expect(await loader(upstream.fetchMany).load(1)).toEqual(ORDERS.get(1));
    expect(upstream.calls).toEqual([[1]]);
    expect(await counterValue(entityCacheMetrics.hits, { type: TYPE })).toBe(hits + 1);
    expect(lines.some((l) => l.event === 'redis connection ready, caching resumes')).toBe(true);
  });
});
