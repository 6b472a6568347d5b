/**
 * Issue 14 (items 4): the entity cache under a tenant that floods it with client-chosen lookup
 * strings, over both stores, through the read-through loader every subgraph lookup uses
 * (`orderByName`, `product(sku)`, `customerByEmail` are keyed loaders over it).
 * - One tenant's 50,000 junk lookups leave another tenant's records cached: its next request makes
 *   no upstream call.
 * - Ids holding `:`, `*`, `?`, `[`, spaces (`S00102:filling`) alias nothing and block nothing: the
 *   cache writes no key but entries (and one quota counter per tenant in Redis), and a cold lookup of
 *   `S00102` by another request fetches once while the odd lookup is still in flight.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import type { EntityCache } from '../../cache/entity-cache';
import { entityKey, entityTypePrefix } from '../../cache/keys';
import { createMemoryEntityCache, type MemoryEntityCache } from '../../cache/memory-cache';
import type { CachePolicy } from '../../cache/policy';
import { createReadThroughLoader } from '../../cache/read-through';
import { createRedisEntityCache } from '../../cache/redis-cache';
import { isUpstreamOutage } from '../../subgraphs/kit/errors';
import { countingFetch, gate, scanKeys, SHARED_REDIS_URL, silentLogger, waitFor, tenantsCleanedUpAfterAll } from './helpers';

const tenant = tenantsCleanedUpAfterAll();

/** The Odoo subgraph's Order lifetimes (subgraphs/odoo/entities.ts). */
const POLICY: CachePolicy = { ttlSeconds: 60, maxStaleSeconds: 900, negativeTtlSeconds: 30 };
/** Odoo's `sale.order` batch limit per lookup call, as the subgraph's loaders use it. */
const BATCH = 200;

interface Order {
  id: number;
  name: string;
}

/** One request's `orderByName` lookup loader (a fresh loader per request, as the subgraph builds them). */
const lookupLoader = (cache: EntityCache, t: string, fetchMany: (keys: readonly string[]) => Promise<Map<string, Order>>) =>
  createReadThroughLoader<string, Order>({ cache, tenant: t, type: 'OrderName', policy: POLICY, fetchMany, isOutage: isUpstreamOutage, maxBatchSize: BATCH });

const implementations: Array<[string, () => EntityCache]> = [
  ['memory', () => createMemoryEntityCache({ logger: silentLogger })],
  ['redis', () => createRedisEntityCache({ url: SHARED_REDIS_URL, logger: silentLogger })],
];

describe.each(implementations)('entity cache fairness over %s', (kind, create) => {
  const opened: EntityCache[] = [];
  const open = async (): Promise<EntityCache> => {
    const cache = create();
    opened.push(cache);
    if (cache.kind === 'redis') await waitFor('redis ready', async () => (await cache.getManyWithStatus(['probe:ec:x'])).ok, 5_000);
    return cache;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((c) => c.close()));
  });

  it("should keep tenant B's records cached while tenant A looks up 50,000 distinct junk strings", async () => {
    const cache = await open();
    const [a, b] = [tenant(`flood-a-${kind}`), tenant(`flood-b-${kind}`)];
    const names = Array.from({ length: 100 }, (_, i) => `S${String(i + 1).padStart(5, '0')}`);
    const bOrders = new Map(names.map((name, i) => [name, { id: i + 1, name }]));
    const bUpstream = countingFetch(bOrders);
    expect(await lookupLoader(cache, b, bUpstream.fetchMany).loadMany(names)).toEqual(names.map((n) => bOrders.get(n)));
    expect(bUpstream.calls).toHaveLength(1);

    // Tenant A: 250 requests of 200 random-looking names each, none of which exists.
    const aUpstream = countingFetch(new Map<string, Order>());
    for (let request = 0; request < 250; request++) {
      const junk = Array.from({ length: BATCH }, (_, i) => `S${request}-${i}:${Math.random().toString(36).slice(2)}`);
      const answers = await lookupLoader(cache, a, aUpstream.fetchMany).loadMany(junk);
      expect(answers.every((x) => x === null)).toBe(true);
    }
    expect(aUpstream.calls).toHaveLength(250);
    expect(aUpstream.calls.flat()).toHaveLength(50_000);

    // B's next request: every record from the cache, no upstream call.
    expect(await lookupLoader(cache, b, bUpstream.fetchMany).loadMany(names)).toEqual(names.map((n) => bOrders.get(n)));
    expect(bUpstream.calls).toHaveLength(1);

    // A's junk is bounded by A's own not-found bound (2,000 by default), whatever it sent.
    if (cache.kind === 'memory') {
      expect((cache as MemoryEntityCache).usageOf(a).negativeEntries).toBe(2_000);
      expect((cache as MemoryEntityCache).usageOf(b)).toMatchObject({ entries: 100, negativeEntries: 0 });
    } else {
      expect((await scanKeys(`${entityTypePrefix(a, 'OrderName')}*`)).length).toBe(2_000);
      expect((await scanKeys(`${entityTypePrefix(b, 'OrderName')}*`)).length).toBe(100);
    }
  });

  it('should let an id like S00102:filling alias and block nothing: a cold S00102 by another request fetches once, at once', async () => {
    const cache = await open();
    const t = tenant(`claims-${kind}`);
    const odd = [
      'S00102:filling',
      'S00102*',
      'S0010?',
      '[S00102]',
      'S00102 ',
      ' S00102',
      'S00102\\',
      'S00102:ec:v3:OrderName:S00102',
      `${t}:ec:v3:OrderName:S00102`,
    ];
    const order = { id: 102, name: 'S00102' };

    // Request X looks the odd ids up; its upstream call hangs until the test releases it.
    const held = gate();
    const xUpstream = countingFetch(new Map<string, Order>(), { held: held.promise });
    let xSettled = false;
    const x = lookupLoader(cache, t, xUpstream.fetchMany)
      .loadMany(odd)
      .finally(() => {
        xSettled = true;
      });
    await waitFor('X in flight', () => xUpstream.calls.length === 1, 5_000, 1);

    // Request Y (another identity of the tenant) looks up S00102 cold: one call of its own, answered
    // while X is still waiting: nothing of X's in flight or in the cache stands for S00102.
    const yUpstream = countingFetch(new Map([['S00102', order]]));
    expect(await lookupLoader(cache, t, yUpstream.fetchMany).load('S00102')).toEqual(order);
    expect(yUpstream.calls).toEqual([['S00102']]);
    expect(xSettled).toBe(false);
    held.open();
    expect(await x).toEqual(odd.map(() => null));

    // And the reverse: with S00102 itself in flight, an odd id joins nothing and fetches at once.
    const held2 = gate();
    const zUpstream = countingFetch(new Map([['S00102', order]]), { held: held2.promise });
    await cache.delete([entityKey(t, 'OrderName', 'S00102')]);
    const z = lookupLoader(cache, t, zUpstream.fetchMany).load('S00102');
    await waitFor('Z in flight', () => zUpstream.calls.length === 1, 5_000, 1);
    await cache.delete([entityKey(t, 'OrderName', 'S00102:filling')]);
    const wUpstream = countingFetch(new Map<string, Order>());
    expect(await lookupLoader(cache, t, wUpstream.fetchMany).load('S00102:filling')).toBeNull();
    expect(wUpstream.calls).toEqual([['S00102:filling']]);

    held2.open();
    expect(await z).toEqual(order);
    // One entry per id, each its own: S00102 found, every odd id a not-found.
    const stored = await cache.getMany(['S00102', ...odd].map((id) => entityKey(t, 'OrderName', id)));
    expect(stored.map((e) => e?.value)).toEqual([order, ...odd.map(() => null)]);
    if (cache.kind === 'redis') {
      // Nothing but entries under the tenant's entity prefix, and its not-found quota counter: no claim, lock or marker key.
      const keys = await scanKeys(`${t}:*`);
      expect(keys.filter((k) => !k.startsWith(entityTypePrefix(t, 'OrderName')))).toEqual([`${t}:ecq:negative`]);
      expect(keys).toHaveLength(1 + 1 + odd.length);
    }
  });
});
