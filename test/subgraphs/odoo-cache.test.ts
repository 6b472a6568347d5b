/**
 * The Odoo subgraph reading through the entity cache (in-process implementation), the naive
 * economy baseline, and the client's own contract (one authentication per client, bad credentials).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { createMemoryEntityCache, type EntityCache } from '../../cache';
import { createLogger } from '../../platform/log';
import { manualClock } from '../cache/helpers';
import { UpstreamError } from '../../subgraphs/kit/errors';
import { createOdooClient } from '../../subgraphs/odoo/client';
import { injectFault } from '../support/http';
import { opsOf, startOdooHarness, type OdooHarness } from '../support/odoo-subgraph';

const CONTEXT = /* GraphQL */ `
  query ($r: [_Any!]!) {
    _entities(representations: $r) {
      ... on Customer {
        id
        name
        email
        orders(first: 5) {
          totalCount
          edges {
            node {
              id
              name
              state
              invoiceStatus
              lines {
                product {
                  sku
                  name
                  qtyAvailable
                }
                quantity
                quantityDelivered
              }
              invoices {
                id
                number
                paymentState
                overdue
              }
              deliveries {
                id
                name
                state
                trackingRef
              }
            }
          }
        }
        entitlements {
          product {
            name
          }
          tier
          startsOn
          endsOn
          active
        }
      }
    }
  }
`;

const total = (ops: Record<string, number>): number => Object.values(ops).reduce((a, b) => a + b, 0);

describe('Odoo subgraph with the entity cache', () => {
  let h: OdooHarness;
  let cache: EntityCache;
  const clock = manualClock();

  beforeAll(async () => {
    cache = createMemoryEntityCache({ logger: createLogger('cache-test', 'silent'), clock: clock.now });
    h = await startOdooHarness({
      cache,
      // Short freshness for customers in acme, so a stale serve can be shown with a small step of the clock.
      editRegistry: (r) => ({ tenants: r.tenants.map((t) => (t.id === 'acme' ? { ...t, cache: { ttlSeconds: { Customer: 1 } } } : t)) }),
    });
  });
  afterAll(async () => {
    await h?.stop();
    await cache?.close();
  });

  it('should answer a repeated ticket-context query, by id and by email, with zero Odoo calls', async () => {
    const w = h.world('globex');
    const small = w.customers.find((c) => c.odooId === w.anchors.smallCustomer);
    const r = [
      { __typename: 'Customer', id: String(w.anchors.bigCustomer) },
      { __typename: 'Customer', email: small?.email },
    ];
    const cold = await h.query('globex', 'agent', CONTEXT, { r });
    expect(cold.errors).toBeUndefined();
    await h.reset();
    const warm = await h.query('globex', 'agent', CONTEXT, { r });
    expect(warm.errors).toBeUndefined();
    expect(warm.data).toEqual(cold.data);
    expect(opsOf(await h.stats(), 'globex')).toEqual({});
  });

  it('should apply authorization after the cache: a finance answer cached does not leak to an agent', async () => {
    const w = h.world('globex');
    const q = `query($id: ID!) { customer(id: $id) { name creditLimit { amount } } }`;
    const fin = await h.query<{ customer: { creditLimit: { amount: number } | null } }>('globex', 'finance', q, { id: String(w.anchors.smallCustomer) });
    expect(fin.data?.customer.creditLimit).not.toBeNull();
    const agent = await h.query<{ customer: { creditLimit: unknown } }>('globex', 'agent', q, { id: String(w.anchors.smallCustomer) });
    expect(agent.data?.customer.creditLimit).toBeNull();
    expect(agent.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });

  it('should serve an expired entry, marked stale, when Odoo is down', async () => {
    const w = h.world('acme');
    const q = `query($id: ID!) { customer(id: $id) { name } }`;
    const id = String(w.anchors.smallCustomer);
    const first = await h.query('acme', 'agent', q, { id });
    expect(first.errors).toBeUndefined();
    clock.advance(1_100); // past the 1 s freshness of acme's customers
    await injectFault(h.emulator.url, { tenant: 'acme', op: '*', fault: 'down' });
    try {
      const res = await h.query<{ customer: { name: string } }>('acme', 'agent', q, { id });
      expect(res.errors).toBeUndefined();
      expect(res.data?.customer.name).toBe('Northwind Traders Ltd');
      expect(res.extensions?.['stale']).toEqual([{ type: 'Customer', id, ageSeconds: 1 }]);
    } finally {
      await h.reset();
    }
  });
});

describe('Odoo subgraph, naive economy (benchmark baseline)', () => {
  let h: OdooHarness;
  beforeAll(async () => {
    h = await startOdooHarness({ economy: 'naive' });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('should make one call per load: more calls for more orders, same answer', async () => {
    const w = h.world('acme');
    await h.query('acme', 'agent', `{ customer(id: "1") { id } }`);
    await h.reset();
    const r = [
      { __typename: 'Customer', id: String(w.anchors.bigCustomer) },
      { __typename: 'Customer', id: String(w.anchors.bigCustomer) },
    ];
    const res = await h.query<{ _entities: Array<{ orders: { totalCount: number } }> }>('acme', 'agent', CONTEXT, { r });
    expect(res.errors).toBeUndefined();
    expect(res.data?._entities.map((c) => c.orders.totalCount)).toEqual([150, 150]);
    const ops = opsOf(await h.stats(), 'acme');
    // Both representations read (no dedup), plus a read of the customer's contacts per list.
    expect(ops['res.partner.search_read']).toBeGreaterThanOrEqual(2);
    expect(total(ops)).toBeGreaterThan(20);
  });
});

describe('Odoo client', () => {
  let h: OdooHarness;
  beforeAll(async () => {
    h = await startOdooHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const optionsOf = (tenant: 'acme' | 'globex', apiKey: string) => {
    const t = h.registry.tenants.find((x) => x.id === tenant);
    if (!t) throw new Error(tenant);
    return { url: t.upstreams.odoo.url, db: t.upstreams.odoo.db, login: t.upstreams.odoo.login, apiKey, protocol: t.upstreams.odoo.protocol, timeoutMs: 5_000 };
  };

  it('should authenticate once per client over /jsonrpc and reuse the uid', async () => {
    const res = await h.query('acme', 'agent', `{ a: customer(id: "10") { id } }`);
    expect(res.errors).toBeUndefined();
    await h.query('acme', 'agent', `{ b: customer(id: "11") { id } }`);
    await h.query('acme', 'agent', `{ c: customer(id: "12") { id } }`);
    const ops = opsOf(await h.stats(), 'acme');
    expect(ops['common.authenticate']).toBe(1);
    expect(ops['res.partner.search_read']).toBe(3);
  });

  it.each(['acme', 'globex'] as const)('should answer UPSTREAM_REJECTED for a wrong API key, without Odoo text (%s)', async (tenant) => {
    const client = createOdooClient(optionsOf(tenant, 'wrong-key'));
    const err = await client.searchRead('res.partner', [], { fields: ['name'], limit: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect((err as UpstreamError).code).toBe('UPSTREAM_REJECTED');
    expect((err as UpstreamError).message).not.toMatch(/Access Denied|Invalid apikey|Traceback/);
  });

  it('should answer UPSTREAM_UNAVAILABLE when nothing listens', async () => {
    const client = createOdooClient({ ...optionsOf('acme', 'x'), url: 'http://127.0.0.1:9' });
    const err = await client.searchCount('res.partner', []).catch((e: unknown) => e);
    expect((err as UpstreamError).code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('should answer UPSTREAM_TIMEOUT when Odoo is slower than the budget', async () => {
    await injectFault(h.emulator.url, { tenant: '*', op: '*', fault: 'slow', latencyMs: 300, times: 1 });
    const client = createOdooClient({ ...optionsOf('acme', 'x'), timeoutMs: 100 });
    const err = await client.searchCount('res.partner', []).catch((e: unknown) => e);
    expect((err as UpstreamError).code).toBe('UPSTREAM_TIMEOUT');
    // A bounded wait, the one left: the emulator holds the abandoned call for its injected 300 ms
    // and exposes no signal for its end (the client gave up on it, so no response arrives either);
    // waiting lets it finish so nothing outlives the suite. It orders no event of the test.
    await sleep(350);
    await h.reset();
  });
});
