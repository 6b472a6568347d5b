/**
 * Issue 6's acceptance end to end, with the in-process cache and with a real Redis (a redis-server
 * of this file's own, so stopping it disturbs no other test).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { startStack, type RunningStack } from '../../sandbox/stack';
import { withLiftedLimits } from '../../sandbox/lifted-limits';
import { injectFault } from '../support/http';
import { allStats, callsFor, resetStats, ticketContext, type TicketContext } from '../support/stack';
import { freePort, manualClock, OwnRedisServer, sleep } from '../cache/helpers';

const TYPES = [
  'Customer',
  'Order',
  'OrderLine',
  'Invoice',
  'Delivery',
  'Product',
  'Entitlement',
  'Ticket',
  'SupportUser',
  'Organization',
  'SalesforceAccount',
  'Opportunity',
];
const flush = async (stack: RunningStack) => {
  for (const tenant of ['acme', 'globex']) await stack.cache?.deleteByPrefix(`${tenant}:ec:`);
};
const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);

let redis: OwnRedisServer;
beforeAll(async () => {
  redis = new OwnRedisServer(await freePort());
  await redis.start();
});
afterAll(async () => {
  await redis?.kill();
});

describe.each(['memory', 'redis'] as const)('entity cache (%s)', (kind) => {
  let stack: RunningStack;
  beforeAll(async () => {
    // 100 concurrent requests of one user test single flight, not admission control.
    stack = await startStack({ ...(kind === 'redis' ? { redisUrl: redis.url } : {}), editRegistry: withLiftedLimits() });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('should answer a repeated ticket-context query with zero upstream calls', async () => {
    await flush(stack);
    const cold = await ticketContext(stack, 'acme', 1);
    expect(cold.errors).toBeUndefined();
    await resetStats(stack);
    const warm = await ticketContext(stack, 'acme', 1);
    expect(warm.data).toEqual(cold.data);
    expect(await callsFor(stack, 'acme')).toEqual({ odoo: 0, salesforce: 0, zendesk: 0 });
  });

  it('should make 100 concurrent identical cold queries cost what one does', async () => {
    await flush(stack);
    await resetStats(stack);
    await ticketContext(stack, 'acme', 2);
    const one = await callsFor(stack, 'acme');
    await flush(stack);
    await resetStats(stack);
    const answers = await Promise.all(Array.from({ length: 100 }, () => ticketContext(stack, 'acme', 2)));
    expect(answers.every((a) => a.errors === undefined && a.data?.ticket?.id === '2')).toBe(true);
    const hundred = await callsFor(stack, 'acme');
    // Per system and operation on failure (seen once on a fresh clone: 14 calls against 13).
    if (total(hundred) > total(one)) expect({ hundred: (await allStats(stack)).odoo, one }).toBeUndefined();
    expect(total(hundred)).toBeLessThanOrEqual(total(one));
  });

  if (kind === 'redis') {
    it('should keep every key under its tenant', async () => {
      await ticketContext(stack, 'acme', 1);
      await ticketContext(stack, 'globex', 1);
      const client = new Redis(redis.url);
      try {
        const keys = await client.keys('*');
        expect(keys.length).toBeGreaterThan(0);
        expect(keys.filter((k) => !k.startsWith('acme:') && !k.startsWith('globex:'))).toEqual([]);
        expect(keys.some((k) => k.startsWith('acme:'))).toBe(true);
        expect(keys.some((k) => k.startsWith('globex:'))).toBe(true);
      } finally {
        client.disconnect();
      }
    });

    it('should keep answering from the upstreams while Redis is down, and cache again once it is back', async () => {
      await flush(stack);
      const before = await ticketContext(stack, 'acme', 1);
      await redis.kill();
      await resetStats(stack);
      const during = await ticketContext(stack, 'acme', 1);
      expect(during.errors).toBeUndefined();
      expect(during.data).toEqual(before.data);
      expect(total(await callsFor(stack, 'acme'))).toBeGreaterThan(0);
      await redis.start();
      // ioredis reconnects on its own, on its back-off schedule: poll (bounded) until a repeat query
      // is served from the cache. This waits for the client, outside the test's control; it orders nothing.
      let cachedAgain = false;
      for (let i = 0; i < 40 && !cachedAgain; i++) {
        await ticketContext(stack, 'acme', 1);
        await resetStats(stack);
        await ticketContext(stack, 'acme', 1);
        cachedAgain = total(await callsFor(stack, 'acme')) === 0;
        if (!cachedAgain) await sleep(250);
      }
      expect(cachedAgain).toBe(true);
    });
  }
});

describe('stale-if-error', () => {
  let stack: RunningStack;
  const clock = manualClock();
  beforeAll(async () => {
    stack = await startStack({
      cacheClock: clock.now,
      editRegistry: (registry) => ({
        tenants: registry.tenants.map((t) => ({ ...t, cache: { ttlSeconds: Object.fromEntries(TYPES.map((type) => [type, 1])) } })),
      }),
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('should serve expired entries when the upstreams fail, and list them as stale', async () => {
    const fresh = await ticketContext(stack, 'acme', 1);
    expect(fresh.errors).toBeUndefined();
    clock.advance(1_500); // every entry past its 1 s freshness
    for (const system of ['odoo', 'salesforce', 'zendesk'] as const) await injectFault(stack.emulators[system].url, { tenant: 'acme', fault: 'http5xx' });
    const res = await ticketContext(stack, 'acme', 1);
    const ticket = (res.data as TicketContext | undefined)?.ticket;
    expect(ticket?.subject).toBe(fresh.data?.ticket?.subject);
    const stale = res.extensions?.['stale'] as Array<{ type: string; id: string; ageSeconds: number; subgraph: string }> | undefined;
    expect(stale?.some((s) => s.type === 'Ticket' && s.id === '1' && s.ageSeconds >= 1 && s.subgraph === 'zendesk')).toBe(true);
  });
});
