/**
 * The Odoo subgraph's guard rails, over HTTP against the sandbox emulator: the gateway identity,
 * the role matrix, a tenant's policy overlay, tenant isolation, upstream failures and bad input.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { INTERNAL_IDENTITY_HEADER, internalAudience, internalKey, signInternalToken, type Role } from '../../tenancy/identity';
import { injectFault, postGraphQL } from '../support/http';
import { opsOf, startOdooHarness, type OdooHarness } from '../support/odoo-subgraph';

let h: OdooHarness;

beforeAll(async () => {
  h = await startOdooHarness({
    // acme hides customer emails from agents (data minimization); globex does not. This file checks
    // how each upstream failure is answered, so reads are not retried and the breaker never opens
    // here (test/subgraphs/upstream-guard.test.ts and test/e2e/fault-matrix.test.ts cover those).
    editRegistry: (registry) => ({
      tenants: registry.tenants.map((t) => ({
        ...(t.id === 'acme' ? { ...t, policy: { hiddenFields: { agent: ['Customer.email'] } } } : t),
        upstreams: {
          ...t.upstreams,
          odoo: {
            ...t.upstreams.odoo,
            protection: { ...t.upstreams.odoo.protection, retries: 0, breaker: { consecutiveFailures: 1_000, halfOpenAfterMs: 30_000 } },
          },
        },
      })),
    }),
  });
});
afterAll(async () => {
  await h?.stop();
});
beforeEach(async () => {
  await h.reset();
});

const SENSITIVE = /* GraphQL */ `
  query ($id: ID!) {
    customer(id: $id) {
      name
      creditLimit {
        amount
        currencyCode
      }
      openBalance {
        amount
        currencyCode
      }
      orders(first: 1, state: SALES_ORDER) {
        edges {
          node {
            name
            margin {
              amount
            }
            marginPercent
            lines {
              quantity
              margin {
                amount
              }
              product {
                name
                cost {
                  amount
                  currencyCode
                }
              }
            }
          }
        }
      }
    }
  }
`;

interface Sensitive {
  customer: {
    name: string;
    creditLimit: { amount: number; currencyCode: string } | null;
    openBalance: { amount: number; currencyCode: string } | null;
    orders: {
      edges: Array<{
        node: {
          name: string;
          margin: { amount: number } | null;
          marginPercent: number | null;
          lines: Array<{ quantity: number; margin: { amount: number } | null; product: { name: string; cost: { amount: number } | null } | null }>;
        };
      }>;
    };
  };
}

const forbiddenPaths = (errors: Array<{ path?: Array<string | number>; extensions?: Record<string, unknown> }> | undefined): string[] =>
  (errors ?? [])
    .filter((e) => e.extensions?.['code'] === 'FORBIDDEN')
    .map((e) => (e.path ?? []).filter((p) => typeof p === 'string').join('.'))
    .sort();

describe('Odoo subgraph: gateway identity', () => {
  it('should refuse a request without the gateway identity with 401 UNAUTHENTICATED, before any Odoo call', async () => {
    const res = await postGraphQL(h.subgraph.url, `{ customer(id: "10") { name } }`);
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    expect(res.data ?? null).toBeNull();
    expect(await h.stats()).toEqual({});
  });

  it('should refuse a forged identity (signed with another key) with 401 UNAUTHENTICATED', async () => {
    const forged = await signInternalToken(
      { tenant: 'acme', subject: 'mallory', roles: ['admin'], scopes: [] },
      internalKey('not-the-gateway-key-but-long-enough-0123'),
      internalAudience('odoo'),
    );
    const res = await postGraphQL(h.subgraph.url, `{ customer(id: "10") { name } }`, {}, { [INTERNAL_IDENTITY_HEADER]: forged });
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    expect(await h.stats()).toEqual({});
  });

  it('should refuse an identity of an unknown tenant with 401 UNAUTHENTICATED', async () => {
    const res = await h.query('umbrella', 'admin', `{ customer(id: "10") { name } }`);
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });
});

describe('Odoo subgraph: role matrix', () => {
  const finance = ['Customer.creditLimit', 'Customer.openBalance', 'Order.margin', 'Order.marginPercent', 'OrderLine.margin', 'Product.cost'];

  it.each<[Role, boolean]>([
    ['agent', false],
    ['supervisor', false],
    ['finance', true],
    ['admin', true],
  ])('should give %s exactly what the policy says about margins, costs, credit limit and open balance', async (role, seesFinance) => {
    const w = h.world('globex');
    const res = await h.query<Sensitive>('globex', role, SENSITIVE, { id: String(w.anchors.smallCustomer) });
    const c = res.data?.customer;
    expect(c?.name).toBe('Initech LLC');
    const node = c?.orders.edges[0]?.node;
    expect(node?.name).toEqual(expect.any(String));
    expect(node?.lines.length).toBeGreaterThan(0);
    const denied = new Set(
      forbiddenPaths(res.errors).map((p) =>
        p
          .replace(/^customer\.orders\.edges\.node\./, 'Order.')
          .replace(/^Order\.lines\.product\./, 'Product.')
          .replace(/^Order\.lines\./, 'OrderLine.')
          .replace(/^customer\./, 'Customer.'),
      ),
    );
    if (seesFinance) {
      expect(res.errors).toBeUndefined();
      expect(c?.creditLimit?.currencyCode).toBe('USD');
      expect(c?.openBalance?.currencyCode).toBe('USD');
      expect(node?.margin?.amount).toEqual(expect.any(Number));
      expect(node?.marginPercent).toEqual(expect.any(Number));
      expect(node?.lines[0]?.margin?.amount).toEqual(expect.any(Number));
      expect(node?.lines[0]?.product?.cost?.amount).toEqual(expect.any(Number));
    } else {
      expect([...denied].sort()).toEqual([...finance].sort());
      expect(c?.creditLimit).toBeNull();
      expect(c?.openBalance).toBeNull();
      expect(node?.margin).toBeNull();
      expect(node?.marginPercent).toBeNull();
      for (const line of node?.lines ?? []) {
        expect(line.margin).toBeNull();
        expect(line.quantity).toEqual(expect.any(Number));
        if (line.product) {
          expect(line.product.cost).toBeNull();
          expect(line.product.name).toEqual(expect.any(String));
        }
      }
    }
  });

  it('should apply the tenant overlay: acme hides Customer.email from agents, globex does not, finance still sees it', async () => {
    const q = `query($id: ID!) { customer(id: $id) { name email } }`;
    const acme = h.world('acme');
    const acmeAgent = await h.query<{ customer: { name: string; email: string | null } }>('acme', 'agent', q, { id: String(acme.anchors.smallCustomer) });
    expect(acmeAgent.data?.customer).toEqual({ name: 'Northwind Traders Ltd', email: null });
    expect(forbiddenPaths(acmeAgent.errors)).toEqual(['customer.email']);

    const acmeFinance = await h.query<{ customer: { email: string | null } }>('acme', 'finance', q, { id: String(acme.anchors.smallCustomer) });
    expect(acmeFinance.errors).toBeUndefined();
    expect(acmeFinance.data?.customer.email).toEqual(expect.stringContaining('@'));

    const globex = h.world('globex');
    const globexAgent = await h.query<{ customer: { email: string | null } }>('globex', 'agent', q, { id: String(globex.anchors.smallCustomer) });
    expect(globexAgent.errors).toBeUndefined();
    expect(globexAgent.data?.customer.email).toEqual(expect.stringContaining('@'));
  });
});

describe('Odoo subgraph: tenant isolation', () => {
  it("should answer acme's identity from acme's database only, by id, email, name and _entities", async () => {
    const acme = h.world('acme');
    const globex = h.world('globex');
    const globexSmall = globex.customers.find((c) => c.odooId === globex.anchors.smallCustomer);
    const res = await h.query<{
      byId: { name: string };
      byEmail: { id: string } | null;
      byName: { customer: { name: string } } | null;
      entities: Array<{ name: string } | null>;
    }>(
      'acme',
      'admin',
      `query($id: ID!, $email: String!, $r: [_Any!]!) {
        byId: customer(id: $id) { name }
        byEmail: customerByEmail(email: $email) { id }
        byName: orderByName(name: "S00001") { customer { name } }
        entities: _entities(representations: $r) { ... on Customer { name } }
      }`,
      {
        id: String(acme.anchors.smallCustomer),
        email: globexSmall?.email,
        r: [
          { __typename: 'Customer', id: String(globex.anchors.bigCustomer) },
          { __typename: 'Customer', email: globexSmall?.email },
        ],
      },
    );
    expect(res.errors).toBeUndefined();
    // Same ids in both databases: acme's names come back, never globex's.
    expect(res.data?.byId.name).toBe('Northwind Traders Ltd');
    expect(res.data?.byEmail).toBeNull();
    expect(res.data?.entities).toEqual([{ name: 'Contoso Wholesale GmbH' }, null]);
    const names = JSON.stringify(res.data);
    for (const c of globex.customers) expect(names).not.toContain(c.name);
    const stats = await h.stats();
    expect(opsOf(stats, 'globex')).toEqual({});
    expect(Object.keys(opsOf(stats, 'acme')).length).toBeGreaterThan(0);
  });

  it("should answer globex's identity over JSON-2 from globex's database only", async () => {
    const globex = h.world('globex');
    const res = await h.query<{ customer: { name: string } }>('globex', 'agent', `query($id: ID!) { customer(id: $id) { name } }`, {
      id: String(globex.anchors.bigCustomer),
    });
    expect(res.errors).toBeUndefined();
    expect(res.data?.customer.name).toBe('Umbrella Supply Co.');
    const stats = await h.stats();
    expect(opsOf(stats, 'acme')).toEqual({});
    expect(opsOf(stats, 'globex')).toEqual({ 'res.partner.search_read': 1 });
  });
});

describe('Odoo subgraph: upstream failures and bad input', () => {
  const ORDERS = `query($id: ID!) { customer(id: $id) { name orders(first: 3) { totalCount } } }`;

  it.each(['acme', 'globex'] as const)('should turn an Odoo database-outage envelope into UPSTREAM_UNAVAILABLE without Odoo text (%s)', async (tenant) => {
    const w = h.world(tenant);
    await injectFault(h.emulator.url, { tenant, op: 'sale.order.search_read', fault: 'error', times: 1 });
    const res = await h.query<{ customer: { name: string; orders: unknown } }>(tenant, 'agent', ORDERS, { id: String(w.anchors.smallCustomer) });
    expect(res.data?.customer.orders).toBeNull();
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstream: 'odoo' });
    expect(JSON.stringify(res)).not.toMatch(/Traceback|psycopg2|OperationalError|File "|\.py/);
  });

  it.each(['acme', 'globex'] as const)('should turn an Odoo access-error envelope into UPSTREAM_REJECTED without Odoo text (%s)', async (tenant) => {
    const w = h.world(tenant);
    await injectFault(h.emulator.url, { tenant, op: 'sale.order.search_read', fault: 'error', error: 'odoo.exceptions.AccessError' });
    const res = await h.query<{ customer: { name: string; orders: unknown } }>(tenant, 'agent', ORDERS, { id: String(w.anchors.smallCustomer) });
    // The customer still arrives; only its orders failed.
    expect(res.data?.customer.name).toEqual(expect.any(String));
    expect(res.data?.customer.orders).toBeNull();
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_REJECTED', upstream: 'odoo' });
    expect(res.errors?.[0]?.path).toEqual(['customer', 'orders']);
    const text = JSON.stringify(res);
    expect(text).not.toMatch(/Traceback|odoo\.exceptions|File "|\.py/);
  });

  it.each(['acme', 'globex'] as const)('should answer UPSTREAM_UNAVAILABLE when Odoo is down, with data null and no hang (%s)', async (tenant) => {
    const w = h.world(tenant);
    await injectFault(h.emulator.url, { tenant, op: '*', fault: 'down' });
    const res = await h.query(tenant, 'agent', ORDERS, { id: String(w.anchors.smallCustomer) });
    expect(res.data).toEqual({ customer: null });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstream: 'odoo' });
    expect(JSON.stringify(res)).not.toMatch(/ECONNRESET|socket|fetch failed|stack/i);
  });

  it('should answer UPSTREAM_UNAVAILABLE for a 5xx or an unreadable body, and UPSTREAM_RATE_LIMITED for a 429', async () => {
    const w = h.world('acme');
    const q = `query($id: ID!) { customer(id: $id) { name } }`;
    const id = String(w.anchors.smallCustomer);
    await injectFault(h.emulator.url, { tenant: 'acme', op: 'res.partner.search_read', fault: 'http5xx', times: 1 });
    expect((await h.query('acme', 'agent', q, { id })).errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_UNAVAILABLE');
    await injectFault(h.emulator.url, { tenant: 'acme', op: 'res.partner.search_read', fault: 'malformed', times: 1 });
    expect((await h.query('acme', 'agent', q, { id })).errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_UNAVAILABLE');
    // It recovers once the faults are spent.
    const ok = await h.query<{ customer: { name: string } }>('acme', 'agent', q, { id });
    expect(ok.errors).toBeUndefined();
    expect(ok.data?.customer.name).toBe('Northwind Traders Ltd');
    await injectFault(h.emulator.url, { tenant: 'acme', op: 'res.partner.search_read', fault: 'rate_limit', retryAfterSeconds: 30, times: 1 });
    expect((await h.query('acme', 'agent', q, { id })).errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', retryAfterSeconds: 30 });
    // Odoo said when to come back: until then the tenant's calls are answered at once, not sent.
    await h.reset();
    const paused = await h.query('acme', 'agent', q, { id });
    expect(paused.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', upstream: 'odoo' });
    expect(opsOf(await h.stats(), 'acme')).toEqual({});
  });
});
