/**
 * Each subgraph describes its entities once (its entities.ts) and the kit's loaders read that:
 * an entity added in one subgraph folder is cached with its own lifetimes, a tenant's override by
 * its name applies to the types derived from it, and a cache type nobody describes is refused at
 * once (not silently cached with a default). The test-only entity below touches no other folder.
 */
import { describe, expect, it } from '@jest/globals';
import { createMemoryEntityCache, entityKey } from '../../cache';
import { cacheFor, dependentsOf, entityOf, type EntityDescriptions } from '../../subgraphs/kit/entities';
import { keyedLoader } from '../../subgraphs/kit/loaders';
import { ODOO_ENTITIES } from '../../subgraphs/odoo/entities';
import { SALESFORCE_ENTITIES } from '../../subgraphs/salesforce/entities';
import { ZENDESK_ENTITIES } from '../../subgraphs/zendesk/entities';
import { createLogger } from '../../platform/log';
import { loadRegistry } from '../../tenancy/registry';
import { SANDBOX_REGISTRY_PATH } from '../../tenancy/sandbox';

/** A test-only entity, as a subgraph would add one: nothing outside its folder knows it. */
const WARRANTY_ENTITIES: EntityDescriptions = {
  WarrantyClaim: { cache: cacheFor(45, 600, 20), derived: ['WarrantyClaimsOfCustomer'], dependents: [{ type: 'WarrantyClaimsOfCustomer' }] },
};

describe('entity descriptions', () => {
  it('should describe every cached type of the three subgraphs, each in its own subgraph', () => {
    expect(entityOf(ODOO_ENTITIES, 'CustomerOrders')).toEqual({ entity: 'Order', cache: ODOO_ENTITIES['Order']!.cache });
    expect(entityOf(ZENDESK_ENTITIES, 'ZendeskUserByExternalId').entity).toBe('ZendeskUser');
    expect(entityOf(SALESFORCE_ENTITIES, 'AccountsByName').entity).toBe('Account');
    expect(() => entityOf(ODOO_ENTITIES, 'Ticket')).toThrow(/described by no entity of this subgraph/);
    expect(dependentsOf(WARRANTY_ENTITIES)).toEqual({ WarrantyClaim: [{ type: 'WarrantyClaimsOfCustomer' }] });
  });

  it("should cache a new entity with its own lifetimes and the tenant's override, through the kit's loader", async () => {
    const cache = createMemoryEntityCache({ logger: createLogger('entities-test', 'silent') });
    const base = loadRegistry(SANDBOX_REGISTRY_PATH).tenants[0]!;
    const tenant = { ...base, cache: { ttlSeconds: { WarrantyClaim: 10 } } };
    let calls = 0;
    const make = (cacheType: string) =>
      keyedLoader<number, { id: number }>({
        tenant,
        economy: 'batched',
        cache,
        cacheType,
        entities: WARRANTY_ENTITIES,
        maxBatchSize: 50,
        name: cacheType,
        fetchMany: async (ids) => {
          calls += 1;
          return new Map(ids.map((id) => [id, { id }]));
        },
      });
    const before = Date.now();
    expect(await make('WarrantyClaimsOfCustomer').load(7)).toEqual({ id: 7 });
    const [entry] = await cache.getMany([entityKey(tenant.id, 'WarrantyClaimsOfCustomer', 7)]);
    // The tenant's 10 s override of WarrantyClaim applies to the type derived from it; stale window 600 s.
    expect(entry!.freshUntil - entry!.storedAt).toBe(10_000);
    expect(entry!.staleUntil - entry!.freshUntil).toBe(600_000);
    expect(entry!.storedAt).toBeGreaterThanOrEqual(before);
    expect(await make('WarrantyClaimsOfCustomer').load(7)).toEqual({ id: 7 });
    expect(calls).toBe(1);
    expect(() => make('Undescribed')).toThrow(TypeError);
    await cache.close();
  });
});
