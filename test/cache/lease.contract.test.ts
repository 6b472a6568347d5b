/**
 * The LeaseStore contract, run against both stores as change capture builds them: in-process, and
 * Redis on the shared test Redis at 127.0.0.1:6379 under this run's own lease names (removed in
 * afterAll). Expiry is awaited by polling, never asserted against a stopwatch.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { createMemoryChangeCapture, createRedisChangeCapture, type MemoryChangeCapture, type RedisChangeCapture } from '../../cache/capture';
import { createMemoryLeaseStore } from '../../cache/memory-events';
import { LEASE_KEY_PREFIX } from '../../cache/redis-events';
import { manualClock, SHARED_REDIS_URL, silentLogger, sleep, waitFor } from './helpers';

const run = randomBytes(4).toString('hex');
const usedNames: string[] = [];
const leaseName = (label: string): string => {
  const name = `test-${run}-${label}-${usedNames.length}`;
  usedNames.push(name);
  return name;
};

afterAll(async () => {
  const redis = new Redis(SHARED_REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    if (usedNames.length > 0) await redis.unlink(...usedNames.map((n) => LEASE_KEY_PREFIX + n));
  } finally {
    redis.disconnect();
  }
});

const implementations: Array<[label: string, create: () => MemoryChangeCapture | RedisChangeCapture]> = [
  ['memory', () => createMemoryChangeCapture({ logger: silentLogger })],
  ['redis', () => createRedisChangeCapture({ url: SHARED_REDIS_URL, logger: silentLogger })],
];

describe.each(implementations)('LeaseStore contract: %s', (kind, create) => {
  const capture = create();
  const { leases } = capture;
  beforeAll(async () => {
    if (capture.kind === 'redis') await waitFor('redis ready', () => capture.client.status === 'ready', 5_000);
  });
  afterAll(() => capture.close());

  it('should give a free lease to one holder only', async () => {
    const name = leaseName('exclusive');
    expect(await leases.acquire(name, 'replica-1', 60_000)).toBe(true);
    expect(await leases.acquire(name, 'replica-2', 60_000)).toBe(false);
  });

  it('should let its holder acquire it again, extending it', async () => {
    const name = leaseName('reacquire');
    expect(await leases.acquire(name, 'replica-1', 300)).toBe(true);
    expect(await leases.acquire(name, 'replica-1', 60_000)).toBe(true);
    await sleep(600); // well past the first ttl: the second one holds
    expect(await leases.acquire(name, 'replica-2', 60_000)).toBe(false);
  });

  it('should keep leases of different names apart', async () => {
    const [first, second] = [leaseName('apart'), leaseName('apart')];
    expect(await leases.acquire(first, 'replica-1', 60_000)).toBe(true);
    expect(await leases.acquire(second, 'replica-2', 60_000)).toBe(true);
  });

  it('should renew for its holder only', async () => {
    const name = leaseName('renew');
    await leases.acquire(name, 'replica-1', 60_000);
    expect(await leases.renew(name, 'replica-2', 60_000)).toBe(false);
    expect(await leases.renew(name, 'replica-1', 60_000)).toBe(true);
    expect(await leases.acquire(name, 'replica-2', 60_000)).toBe(false);
  });

  it('should not renew a lease that is not held', async () => {
    expect(await leases.renew(leaseName('never'), 'replica-1', 60_000)).toBe(false);
  });

  it('should let another holder take an expired lease, and tell the old holder on renew', async () => {
    const name = leaseName('expiry');
    expect(await leases.acquire(name, 'replica-1', 300)).toBe(true);
    await waitFor('the lease to expire', () => leases.acquire(name, 'replica-2', 60_000), 10_000, 50);
    expect(await leases.renew(name, 'replica-1', 60_000)).toBe(false);
    expect(await leases.renew(name, 'replica-2', 60_000)).toBe(true);
  });

  it('should free a released lease at once', async () => {
    const name = leaseName('release');
    await leases.acquire(name, 'replica-1', 60_000);
    await leases.release(name, 'replica-1');
    expect(await leases.acquire(name, 'replica-2', 60_000)).toBe(true);
    expect(await leases.renew(name, 'replica-1', 60_000)).toBe(false);
  });

  it('should ignore a release by another holder', async () => {
    const name = leaseName('foreign-release');
    await leases.acquire(name, 'replica-1', 60_000);
    await leases.release(name, 'replica-2');
    expect(await leases.acquire(name, 'replica-2', 60_000)).toBe(false);
    expect(await leases.renew(name, 'replica-1', 60_000)).toBe(true);
  });

  it('should reject a ttl that is not a positive integer', async () => {
    const name = leaseName('ttl');
    await expect(leases.acquire(name, 'replica-1', 0)).rejects.toThrow(TypeError);
    await expect(leases.acquire(name, 'replica-1', 1.5)).rejects.toThrow(TypeError);
    await expect(leases.renew(name, 'replica-1', -1)).rejects.toThrow(TypeError);
    expect(await leases.acquire(name, 'replica-2', 60_000)).toBe(true);
  });

  if (kind === 'redis') {
    it('should store lease:<name> holding its holder, with the ttl in ms', async () => {
      const name = leaseName('raw');
      await leases.acquire(name, 'replica-1', 60_000);
      const client = (capture as RedisChangeCapture).client;
      expect(await client.get(`lease:${name}`)).toBe('replica-1');
      expect(await client.pttl(`lease:${name}`)).toBeGreaterThan(30_000);
      await leases.renew(name, 'replica-1', 600_000);
      expect(await client.pttl(`lease:${name}`)).toBeGreaterThan(300_000);
    });
  }
});

describe('in-process LeaseStore', () => {
  it('should expire on its injected clock', async () => {
    const clock = manualClock();
    const leases = createMemoryLeaseStore({ clock: clock.now });
    expect(await leases.acquire('poll', 'replica-1', 1_000)).toBe(true);
    clock.advance(999);
    expect(await leases.acquire('poll', 'replica-2', 1_000)).toBe(false);
    clock.advance(1);
    expect(await leases.renew('poll', 'replica-1', 1_000)).toBe(false);
    expect(await leases.acquire('poll', 'replica-2', 1_000)).toBe(true);
  });
});
