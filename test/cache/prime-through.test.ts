/**
 * The kit's `primeThrough` (records read by another call: a lookup, a list, Zendesk's side-loads)
 * writes through the cache service's invalidation guard, with the policy's TTLs from the cache's
 * clock: never a record read before an invalidation.
 */
import { describe, expect, it } from '@jest/globals';
import { createMemoryEntityCache, entityKey, invalidateEntities } from '../../cache';
import { cacheFor, type EntityDescriptions } from '../../subgraphs/kit/entities';
import { invalidationEpoch, keyedLoader } from '../../subgraphs/kit/loaders';
import { loadRegistry } from '../../tenancy/registry';
import { SANDBOX_REGISTRY_PATH } from '../../tenancy/sandbox';
import { manualClock, silentLogger } from './helpers';

const ENTITIES: EntityDescriptions = { Gadget: { cache: cacheFor(30, 300, 10) } };
const tenant = loadRegistry(SANDBOX_REGISTRY_PATH).tenants[0]!;

describe('primeThrough', () => {
  const setUp = () => {
    const clock = manualClock(1_000_000);
    const cache = createMemoryEntityCache({ logger: silentLogger, clock: clock.now });
    const loader = () =>
      keyedLoader<number, { id: number; v: string }>({
        tenant,
        economy: 'batched',
        cache,
        cacheType: 'Gadget',
        entities: ENTITIES,
        maxBatchSize: 10,
        name: 'Gadget',
        fetchMany: async () => new Map(),
      });
    const stored = async (id: number) => (await cache.getMany([entityKey(tenant.id, 'Gadget', id)]))[0];
    return { clock, cache, loader, stored };
  };

  it('should write a record read with no invalidation since, with the policy TTLs from the cache clock', async () => {
    const { cache, loader, stored } = setUp();
    const l = loader();
    l.primeThrough(1, { id: 1, v: 'read' }, invalidationEpoch(cache));
    expect(await l.load(1)).toEqual({ id: 1, v: 'read' }); // this request's answer, no upstream call
    expect(await stored(1)).toEqual({ value: { id: 1, v: 'read' }, storedAt: 1_000_000, freshUntil: 1_030_000, staleUntil: 1_330_000 });
    await cache.close();
  });

  it('should not write a record read before an invalidation, and write one read after it', async () => {
    const { cache, loader, stored } = setUp();
    const l = loader();
    const readAt = invalidationEpoch(cache);
    await invalidateEntities(cache, tenant.id, [{ type: 'Gadget', id: 2 }]);
    l.primeThrough(2, { id: 2, v: 'read before the change' }, readAt);
    expect(await stored(2)).toBeUndefined();
    expect(await l.load(2)).toEqual({ id: 2, v: 'read before the change' }); // still this request's answer
    loader().primeThrough(3, { id: 3, v: 'read after' }, invalidationEpoch(cache));
    expect((await stored(3))?.value).toEqual({ id: 3, v: 'read after' });
    // What the request already holds from after the invalidation is not replaced by a read from before it.
    const held = loader();
    const before = invalidationEpoch(cache);
    await invalidateEntities(cache, tenant.id, [{ type: 'Gadget', id: 5 }]);
    held.primeThrough(5, { id: 5, v: 'read after the change' }, invalidationEpoch(cache));
    held.primeThrough(5, { id: 5, v: 'read before the change' }, before);
    expect(await held.load(5)).toEqual({ id: 5, v: 'read after the change' });
    await cache.close();
  });

  it('should answer later loads of a key with a record primed while a batch for it still waits (no waiting a hop)', async () => {
    let release: (rows: Map<number, { id: number; v: string }>) => void = () => undefined;
    let fetches = 0;
    const l = keyedLoader<number, { id: number; v: string }>({
      tenant,
      economy: 'batched',
      cache: undefined,
      cacheType: 'Gadget',
      entities: ENTITIES,
      maxBatchSize: 10,
      name: 'Gadget',
      fetchMany: () => {
        fetches += 1;
        return new Promise((resolve) => (release = resolve));
      },
    });
    const waiting = l.load(4); // in a batch that has not answered yet
    await new Promise((resolve) => setImmediate(resolve)); // the batch is dispatched
    expect(fetches).toBe(1);
    l.primeThrough(4, { id: 4, v: 'from a list read' }, 0);
    // The batch is still unanswered: only the primed record can answer this load.
    expect(await l.load(4)).toEqual({ id: 4, v: 'from a list read' });
    release(new Map([[4, { id: 4, v: 'from the batch' }]]));
    expect(await waiting).toEqual({ id: 4, v: 'from the batch' });
    expect(fetches).toBe(1);
  });
});
