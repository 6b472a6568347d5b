/**
 * The CaptureState contract, run against both stores as change capture builds them: in-process, and
 * Redis on the shared test Redis at 127.0.0.1:6379 under this run's own keys (removed in afterAll).
 * Also how createChangeCapture picks and closes its implementation.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import {
  createChangeCapture,
  createMemoryChangeCapture,
  createRedisChangeCapture,
  type MemoryChangeCapture,
  type RedisChangeCapture,
} from '../../cache/capture';
import { createMemoryCaptureState } from '../../cache/memory-events';
import { redisClientOptions } from '../../cache/redis-cache';
import { CAPTURE_KEY_PREFIX } from '../../cache/redis-events';
import { manualClock, SHARED_REDIS_URL, silentLogger, waitFor } from './helpers';

const run = randomBytes(4).toString('hex');
const usedKeys: string[] = [];
const stateKey = (label: string): string => {
  const key = `test-${run}:${label}:${usedKeys.length}`;
  usedKeys.push(key);
  return key;
};

afterAll(async () => {
  const redis = new Redis(SHARED_REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    if (usedKeys.length > 0) await redis.unlink(...usedKeys.map((k) => CAPTURE_KEY_PREFIX + k));
  } finally {
    redis.disconnect();
  }
});

const implementations: Array<[label: string, create: () => MemoryChangeCapture | RedisChangeCapture]> = [
  ['memory', () => createMemoryChangeCapture({ logger: silentLogger })],
  ['redis', () => createRedisChangeCapture({ url: SHARED_REDIS_URL, logger: silentLogger })],
];

describe.each(implementations)('CaptureState contract: %s', (kind, create) => {
  const capture = create();
  const { state } = capture;
  beforeAll(async () => {
    if (capture.kind === 'redis') await waitFor('redis ready', () => capture.client.status === 'ready', 5_000);
  });
  afterAll(() => capture.close());

  it('should answer undefined for a key never set', async () => {
    expect(await state.get(stateKey('missing'))).toBeUndefined();
  });

  it('should round-trip a value and overwrite it', async () => {
    const key = stateKey('cursor');
    await state.set(key, '2026-01-01T00:00:00Z|41');
    expect(await state.get(key)).toBe('2026-01-01T00:00:00Z|41');
    await state.set(key, '2026-01-01T00:05:00Z|42', 60_000);
    expect(await state.get(key)).toBe('2026-01-01T00:05:00Z|42');
  });

  it('should set if absent only once, keeping the first value', async () => {
    const key = stateKey('seen');
    expect(await state.setIfAbsent(key, 'first', 60_000)).toBe(true);
    expect(await state.setIfAbsent(key, 'second', 60_000)).toBe(false);
    expect(await state.get(key)).toBe('first');
  });

  it('should not set if absent over a value set plainly', async () => {
    const key = stateKey('plain');
    await state.set(key, 'there');
    expect(await state.setIfAbsent(key, 'other', 60_000)).toBe(false);
    expect(await state.get(key)).toBe('there');
  });

  it('should forget a value once its ttl has passed', async () => {
    const key = stateKey('ttl');
    await state.set(key, 'short-lived', 300);
    expect(await state.get(key)).toBe('short-lived');
    await waitFor('the value to expire', async () => (await state.get(key)) === undefined, 10_000);
  });

  it('should set if absent again once the marker expired', async () => {
    const key = stateKey('marker');
    expect(await state.setIfAbsent(key, 'delivery-1', 300)).toBe(true);
    await waitFor('the marker to expire', () => state.setIfAbsent(key, 'delivery-2', 60_000), 10_000);
    expect(await state.get(key)).toBe('delivery-2');
  });

  it('should reject a ttl that is not a positive integer', async () => {
    const key = stateKey('bad-ttl');
    await expect(state.set(key, 'v', 0)).rejects.toThrow(TypeError);
    await expect(state.setIfAbsent(key, 'v', 2.5)).rejects.toThrow(TypeError);
    expect(await state.get(key)).toBeUndefined();
  });

  if (kind === 'redis') {
    it('should store capture:<key>, without a ttl unless given one', async () => {
      const client = (capture as RedisChangeCapture).client;
      const key = stateKey('raw');
      await state.set(key, 'v', 60_000);
      expect(await client.get(`capture:${key}`)).toBe('v');
      expect(await client.pttl(`capture:${key}`)).toBeGreaterThan(30_000);
      await state.set(key, 'w');
      expect(await client.pttl(`capture:${key}`)).toBe(-1);
    });
  }
});

describe('in-process CaptureState', () => {
  it('should expire on its injected clock, and keep values set without a ttl', async () => {
    const clock = manualClock();
    const state = createMemoryCaptureState({ clock: clock.now });
    await state.set('cursor', 'c1');
    await state.set('short', 's', 1_000);
    expect(await state.setIfAbsent('seen', 'd1', 1_000)).toBe(true);
    clock.advance(1_000);
    expect(await state.get('short')).toBeUndefined();
    expect(await state.setIfAbsent('seen', 'd2', 1_000)).toBe(true);
    clock.advance(365 * 24 * 3_600_000);
    expect(await state.get('cursor')).toBe('c1');
  });

  it('should keep live keys while sweeping expired ones', async () => {
    const clock = manualClock();
    const state = createMemoryCaptureState({ clock: clock.now });
    for (let i = 0; i < 3_000; i += 1) await state.setIfAbsent(`short:${i}`, 'x', 10);
    await state.set('long', 'kept', 60_000);
    clock.advance(10);
    for (let i = 0; i < 3_000; i += 1) expect(await state.setIfAbsent(`short:${i}`, 'y', 10)).toBe(true);
    expect(await state.get('long')).toBe('kept');
  });
});

describe('createChangeCapture', () => {
  it('should be in-process without a Redis URL', async () => {
    const capture = createChangeCapture({ logger: silentLogger });
    expect(capture.kind).toBe('memory');
    await capture.close();
    await capture.close();
  });

  it('should be on Redis with a URL, and quit its own client on close (idempotently)', async () => {
    const capture = createChangeCapture({ redisUrl: SHARED_REDIS_URL, logger: silentLogger });
    if (capture.kind !== 'redis') throw new Error(`expected redis, got ${capture.kind}`);
    await waitFor('redis ready', () => capture.client.status === 'ready', 5_000);
    const sub = capture.bus.subscribe([`t-capture-${run}`], () => undefined);
    await sub.ready;
    await Promise.all([capture.close(), capture.close()]);
    expect(capture.client.status).toBe('end');
  });

  it('should leave an injected client open on close', async () => {
    const client = new Redis(SHARED_REDIS_URL, redisClientOptions());
    client.on('error', () => undefined);
    try {
      await waitFor('redis ready', () => client.status === 'ready', 5_000);
      const capture = createRedisChangeCapture({ client, logger: silentLogger });
      expect(capture.client).toBe(client);
      await capture.close();
      expect(await client.ping()).toBe('PONG');
    } finally {
      await client.quit();
    }
  });
});
