/**
 * Invalidation by entity (cache/invalidation.ts) against the Odoo subgraph: after a write in Odoo,
 * the cached customer keeps answering until it is invalidated, then the next read asks Odoo again.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createMemoryEntityCache, invalidateEntities, invalidateTypes, type EntityCache } from '../../cache';
import { ODOO_DEPENDENTS } from '../../subgraphs/odoo/loaders';
import { call } from '../support/odoo-client';
import { opsOf, startOdooHarness, type OdooHarness } from '../support/odoo-subgraph';

const Q = 'query($id: ID!) { customer(id: $id) { name orders(first: 2) { totalCount edges { node { name } } } } }';
let cache: EntityCache;
let h: OdooHarness;
beforeAll(async () => {
  cache = createMemoryEntityCache();
  h = await startOdooHarness({ cache });
});
afterAll(async () => {
  await h?.stop();
  await cache?.close();
});
beforeEach(async () => {
  await h.reset();
});

const total = (ops: Record<string, number>) => Object.values(ops).reduce((a, b) => a + b, 0);

describe('invalidation by entity', () => {
  it("should serve the cached customer until it is invalidated, then read Odoo's new state", async () => {
    const id = h.world('acme').anchors.smallCustomer;
    const before = await h.query<{ customer: { name: string; orders: { totalCount: number } } }>('acme', 'agent', Q, { id: String(id) });
    expect(before.errors).toBeUndefined();

    const c = h.credentials('acme');
    await call(h.emulator.url, { db: c.db, uid: 2, password: c.apiKey }, 'res.partner', 'write', [[id], { name: 'Northwind Traders (renamed)' }]);
    await h.reset();
    const cached = await h.query<{ customer: { name: string } }>('acme', 'agent', Q, { id: String(id) });
    expect(cached.data?.customer.name).toBe(before.data?.customer.name);
    expect(total(opsOf(await h.stats(), 'acme'))).toBe(0);

    await invalidateEntities(cache, 'acme', [{ type: 'Customer', id }], ODOO_DEPENDENTS);
    const fresh = await h.query<{ customer: { name: string; orders: { totalCount: number } } }>('acme', 'agent', Q, { id: String(id) });
    expect(fresh.data?.customer.name).toBe('Northwind Traders (renamed)');
    expect(fresh.data?.customer.orders.totalCount).toBe(before.data?.customer.orders.totalCount);
    const ops = opsOf(await h.stats(), 'acme');
    // The customer and its order list were read again; the orders themselves were still cached.
    expect(ops['res.partner.search_read']).toBe(1);
    expect(ops['sale.order.search_read']).toBe(1);
  });

  it("should leave other tenants' entries alone, and drop a whole type on request", async () => {
    const id = h.world('globex').anchors.smallCustomer;
    await h.query('globex', 'agent', Q, { id: String(id) });
    await invalidateEntities(cache, 'acme', [{ type: 'Customer', id }], ODOO_DEPENDENTS);
    await h.reset();
    await h.query('globex', 'agent', Q, { id: String(id) });
    expect(total(opsOf(await h.stats(), 'globex'))).toBe(0);
    await invalidateTypes(cache, 'globex', ['Order']);
    await h.query('globex', 'agent', Q, { id: String(id) });
    expect(opsOf(await h.stats(), 'globex')).toEqual({ 'sale.order.search_read': 1 });
  });
});
