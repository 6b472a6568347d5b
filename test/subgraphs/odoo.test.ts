/**
 * The Odoo subgraph against the sandbox Odoo emulator, over HTTP: data, entities by both keys,
 * pagination, and upstream economy read from the emulator's own stats.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { opsOf, startOdooHarness, type OdooHarness } from '../support/odoo-subgraph';

const CUSTOMER_CONTEXT = /* GraphQL */ `
  fragment CustomerContext on Customer {
    id
    name
    email
    orders(first: 5) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
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
`;

const ENTITIES = /* GraphQL */ `
  query Entities($representations: [_Any!]!) {
    _entities(representations: $representations) {
      __typename
      ...CustomerContext
    }
  }
  ${CUSTOMER_CONTEXT}
`;

interface CustomerData {
  id: string;
  name: string;
  email: string | null;
  orders: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: Array<{ node: { id: string; name: string; state: string; invoiceStatus: string; lines: unknown[] } }>;
  };
  entitlements: Array<{ tier: string | null; active: boolean; startsOn: string | null }>;
}

let h: OdooHarness;

beforeAll(async () => {
  h = await startOdooHarness();
});
afterAll(async () => {
  await h?.stop();
});

describe('Odoo subgraph: data', () => {
  it('should answer a customer by id with its orders, lines, invoices and deliveries', async () => {
    const w = h.world('acme');
    const res = await h.query<{ customer: CustomerData }>('acme', 'agent', `query($id: ID!) { customer(id: $id) { ...CustomerContext } } ${CUSTOMER_CONTEXT}`, {
      id: String(w.anchors.smallCustomer),
    });
    expect(res.errors).toBeUndefined();
    const c = res.data?.customer;
    expect(c?.id).toBe(String(w.anchors.smallCustomer));
    expect(c?.name).toBe('Northwind Traders Ltd');
    expect(c?.orders.totalCount).toBe(3);
    expect(c?.orders.edges).toHaveLength(3);
    expect(c?.orders.pageInfo.hasNextPage).toBe(false);
    for (const { node } of c?.orders.edges ?? []) {
      // Amounts are finance's (README "Derived values"): an agent's context shows how far each order is invoiced.
      expect(['UPSELLING', 'INVOICED', 'TO_INVOICE', 'NOTHING_TO_INVOICE']).toContain(node.invoiceStatus);
      expect(['QUOTATION', 'QUOTATION_SENT', 'SALES_ORDER', 'CANCELLED']).toContain(node.state);
    }
  });

  it('should page through 150 orders with cursors, newest first, without repeats', async () => {
    const w = h.world('acme');
    const q = `query($id: ID!, $after: String) { customer(id: $id) { orders(first: 40, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { id orderedAt } } } } }`;
    const seen: string[] = [];
    const dates: string[] = [];
    let after: string | null = null;
    for (let pageNo = 0; pageNo < 5; pageNo++) {
      const res: {
        data?: {
          customer: {
            orders: {
              totalCount: number;
              pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
              edges: Array<{ node: { id: string; orderedAt: string } }>;
            };
          };
        } | null;
        errors?: unknown;
      } = await h.query('acme', 'agent', q, { id: String(w.anchors.bigCustomer), after });
      expect(res.errors).toBeUndefined();
      const orders = res.data?.customer.orders;
      expect(orders?.totalCount).toBe(150);
      expect(orders?.pageInfo.hasPreviousPage).toBe(pageNo > 0);
      for (const e of orders?.edges ?? []) {
        seen.push(e.node.id);
        dates.push(e.node.orderedAt);
      }
      after = orders?.pageInfo.endCursor ?? null;
      if (!orders?.pageInfo.hasNextPage) break;
    }
    expect(seen).toHaveLength(150);
    expect(new Set(seen).size).toBe(150);
    expect([...dates].sort().reverse()).toEqual(dates);
    for (const d of dates) expect(d).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });

  it('should refuse a cursor of another list', async () => {
    const w = h.world('acme');
    const q = `query($id: ID!, $after: String, $state: OrderState) { customer(id: $id) { orders(first: 2, after: $after, state: $state) { pageInfo { endCursor } } } }`;
    const first = await h.query<{ customer: { orders: { pageInfo: { endCursor: string } } } }>('acme', 'agent', q, { id: String(w.anchors.bigCustomer) });
    const res = await h.query('acme', 'agent', q, {
      id: String(w.anchors.bigCustomer),
      after: first.data?.customer.orders.pageInfo.endCursor,
      state: 'CANCELLED',
    });
    expect(res.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });

  it('should filter orders by state', async () => {
    const w = h.world('acme');
    const q = `query($id: ID!) { customer(id: $id) { all: orders(first: 100) { totalCount } sold: orders(first: 100, state: SALES_ORDER) { totalCount edges { node { state } } } } }`;
    const res = await h.query<{ customer: { all: { totalCount: number }; sold: { totalCount: number; edges: Array<{ node: { state: string } }> } } }>(
      'acme',
      'agent',
      q,
      {
        id: String(w.anchors.bigCustomer),
      },
    );
    expect(res.errors).toBeUndefined();
    const sold = res.data?.customer.sold;
    expect(sold?.totalCount).toBeGreaterThan(0);
    expect(sold?.totalCount).toBeLessThanOrEqual(res.data?.customer.all.totalCount ?? 0);
    for (const e of sold?.edges ?? []) expect(e.node.state).toBe('SALES_ORDER');
  });

  it('should answer order, orderByName, invoice and product lookups', async () => {
    const w = h.world('acme');
    const list = await h.query<{ customer: { orders: { edges: Array<{ node: { id: string; name: string; invoices: Array<{ id: string }> } }> } } }>(
      'acme',
      'agent',
      `query($id: ID!) { customer(id: $id) { orders(first: 100, state: SALES_ORDER) { edges { node { id name invoices { id } } } } } }`,
      { id: String(w.anchors.bigCustomer) },
    );
    const orders = list.data?.customer.orders.edges.map((e) => e.node) ?? [];
    const some = orders[0];
    expect(some).toBeDefined();
    const invoiced = orders.find((o) => o.invoices.length > 0);
    expect(invoiced).toBeDefined();
    const storable = w.products.find((p) => p.kind === 'storable' && p.onHand > 0);
    const res = await h.query<{
      order: { id: string; name: string; customer: { id: string } };
      byName: { id: string };
      invoice: {
        id: string;
        number: string | null;
        kind: string;
        state: string;
        paymentState: string;
        amountTotal: { amount: number; currencyCode: string };
        customer: { id: string } | null;
      };
      product: {
        id: string;
        sku: string;
        name: string;
        kind: string;
        inStock: boolean;
        qtyAvailable: number;
        listPrice: { amount: number; currencyCode: string };
      };
      service: { kind: string; inStock: boolean };
    }>(
      'acme',
      // The invoice's amount is finance's (README "Derived values").
      'finance',
      `query($id: ID!, $name: String!, $inv: ID!, $sku: String!) {
        order(id: $id) { id name customer { id } }
        byName: orderByName(name: $name) { id }
        invoice(id: $inv) { id number kind state paymentState amountTotal { amount currencyCode } customer { id } }
        product(sku: $sku) { id sku name kind inStock qtyAvailable listPrice { amount currencyCode } }
        service: product(sku: "SUP-PREMIUM") { kind inStock }
      }`,
      { id: some?.id, name: some?.name, inv: invoiced?.invoices[0]?.id, sku: storable?.sku },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.order).toMatchObject({ id: some?.id, name: some?.name, customer: { id: String(w.anchors.bigCustomer) } });
    expect(res.data?.byName.id).toBe(some?.id);
    expect(res.data?.invoice).toMatchObject({ id: invoiced?.invoices[0]?.id, kind: 'INVOICE', amountTotal: { currencyCode: 'EUR' } });
    expect(res.data?.invoice.number).toEqual(expect.any(String));
    expect(res.data?.product).toMatchObject({
      sku: storable?.sku,
      name: storable?.name,
      kind: 'STORABLE',
      inStock: true,
      listPrice: { amount: storable?.listPrice, currencyCode: 'EUR' },
    });
    expect(res.data?.service).toEqual({ kind: 'SERVICE', inStock: true });
  });

  it('should answer null for an unknown id, sku, name or email, and BAD_USER_INPUT for a malformed id', async () => {
    const unknown = await h.query(
      'acme',
      'agent',
      `{ customer(id: "999999") { id } order(id: "999999") { id } invoice(id: "999999") { id } product(sku: "NOPE-000") { id } orderByName(name: "S99999") { id } customerByEmail(email: "nobody@nowhere.example") { id } }`,
    );
    expect(unknown.errors).toBeUndefined();
    expect(unknown.data).toEqual({ customer: null, order: null, invoice: null, product: null, orderByName: null, customerByEmail: null });
    const empty = await h.query('acme', 'agent', `{ product(sku: "  ") { id } customerByEmail(email: "") { id } }`);
    expect(empty.data).toEqual({ product: null, customerByEmail: null });
    expect(empty.errors?.map((e) => e.extensions?.['code'])).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
    for (const bad of ['abc', '-1', '0', '1.5', '99999999999']) {
      const res = await h.query('acme', 'agent', `query($id: ID!) { customer(id: $id) { id } }`, { id: bad });
      expect(res.data).toEqual({ customer: null });
      expect(res.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    }
  });

  it('should resolve customerByEmail to a company first, then the lowest id, when an email is shared', async () => {
    const w = h.world('acme');
    const res = await h.query<{ customerByEmail: { id: string; email: string } }>(
      'acme',
      'agent',
      `query($e: String!) { customerByEmail(email: $e) { id email } }`,
      {
        e: w.anchors.sharedEmail.email.toUpperCase(),
      },
    );
    expect(res.errors).toBeUndefined();
    const [a, b] = w.anchors.sharedEmail.odooIds;
    const companies = w.customers.filter((c) => (c.odooId === a || c.odooId === b) && c.isCompany).map((c) => c.odooId);
    const expected = companies.length === 1 ? companies[0] : Math.min(a, b);
    expect(res.data?.customerByEmail).toEqual({ id: String(expected), email: w.anchors.sharedEmail.email });
  });
  it("should resolve a contact person's email to their company (the commercial entity)", async () => {
    const w = h.world('acme');
    const small = w.customers.find((c) => c.odooId === w.anchors.smallCustomer);
    const contact = small?.contacts.find((c) => typeof c.email === 'string');
    expect(contact).toBeDefined();
    const res = await h.query<{ byEmail: { id: string } | null; entities: Array<{ id: string } | null> }>(
      'acme',
      'agent',
      `query($e: String!, $r: [_Any!]!) { byEmail: customerByEmail(email: $e) { id } entities: _entities(representations: $r) { ... on Customer { id } } }`,
      { e: contact?.email, r: [{ __typename: 'Customer', email: contact?.email }] },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ byEmail: { id: String(w.anchors.smallCustomer) }, entities: [{ id: String(w.anchors.smallCustomer) }] });
  });
});

describe('Odoo subgraph: entities and upstream economy', () => {
  beforeEach(async () => {
    // A first call per tenant authenticates (one common.authenticate per client); keep it out of the counts.
    await h.query('acme', 'agent', `{ customer(id: "1") { id } }`);
    await h.reset();
  });

  it('should resolve both key shapes, and a duplicate representation costs nothing', async () => {
    const w = h.world('acme');
    const small = w.customers.find((c) => c.odooId === w.anchors.smallCustomer);
    const representations = [
      { __typename: 'Customer', id: String(w.anchors.smallCustomer) },
      { __typename: 'Customer', id: String(w.anchors.smallCustomer) },
      { __typename: 'Customer', email: small?.email },
      { __typename: 'Customer', id: String(w.anchors.smallCustomer) },
      { __typename: 'Customer', id: '999999' },
      { __typename: 'Customer', email: 'nobody@nowhere.example' },
    ];
    const res = await h.query<{ _entities: Array<{ __typename: string; id: string; name: string } | null> }>(
      'acme',
      'agent',
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id name } } }`,
      { r: representations },
    );
    expect(res.errors).toBeUndefined();
    const id = String(w.anchors.smallCustomer);
    expect(res.data?._entities).toEqual([
      { id, name: 'Northwind Traders Ltd' },
      { id, name: 'Northwind Traders Ltd' },
      { id, name: 'Northwind Traders Ltd' },
      { id, name: 'Northwind Traders Ltd' },
      null,
      null,
    ]);
    // One read by id (all ids of the tick) + one lookup by email (all emails of the tick).
    expect(opsOf(await h.stats(), 'acme')).toEqual({ 'res.partner.search_read': 2 });
  });

  it('should cost the same number of Odoo calls for a customer with 3 orders and one with 150', async () => {
    const w = h.world('acme');
    const counts: Array<Record<string, number>> = [];
    for (const id of [w.anchors.smallCustomer, w.anchors.bigCustomer]) {
      await h.reset();
      const res = await h.query<{ _entities: CustomerData[] }>('acme', 'agent', ENTITIES, { representations: [{ __typename: 'Customer', id: String(id) }] });
      expect(res.errors).toBeUndefined();
      expect(res.data?._entities[0]?.orders.edges.length).toBe(Math.min(5, id === w.anchors.smallCustomer ? 3 : 150));
      counts.push(opsOf(await h.stats(), 'acme'));
    }
    const [small, big] = counts;
    expect(big).toEqual(small);
    const total = Object.values(small ?? {}).reduce((a, b) => a + b, 0);
    // partner, order ids, orders, lines, invoices, pickings, products, entitlement ids, entitlement lines, plan orders, plan invoices
    expect(total).toBeLessThanOrEqual(11);
  });

  it('should batch two customers of one request into the same calls as one customer', async () => {
    const w = h.world('acme');
    await h.reset();
    await h.query('acme', 'agent', ENTITIES, { representations: [{ __typename: 'Customer', id: String(w.anchors.bigCustomer) }] });
    const one = Object.values(opsOf(await h.stats(), 'acme')).reduce((a, b) => a + b, 0);
    await h.reset();
    const res = await h.query<{ _entities: CustomerData[] }>('acme', 'agent', ENTITIES, {
      representations: [
        { __typename: 'Customer', id: String(w.anchors.bigCustomer) },
        { __typename: 'Customer', id: String(w.anchors.smallCustomer) },
      ],
    });
    expect(res.errors).toBeUndefined();
    expect(res.data?._entities.map((c) => c.orders.totalCount)).toEqual([150, 3]);
    const two = Object.values(opsOf(await h.stats(), 'acme')).reduce((a, b) => a + b, 0);
    expect(two).toBe(one);
  });
});

describe('Odoo subgraph: a page in one wave', () => {
  beforeEach(async () => {
    await h.query('acme', 'agent', `{ customer(id: "1") { id } }`);
    await h.reset();
  });

  type Page = { totalCount?: number; pageInfo: { hasNextPage: boolean }; edges: Array<{ node: { id: string; name: string } }> };

  it('should read a page of orders whole in one call, with one row more to tell the next page, and no count unless asked', async () => {
    const w = h.world('acme');
    const q = `query($id: ID!, $n: Int) { customer(id: $id) { orders(first: $n) { pageInfo { hasNextPage } edges { node { id name } } } } }`;
    const big = await h.query<{ customer: { orders: Page } }>('acme', 'agent', q, { id: String(w.anchors.bigCustomer), n: 5 });
    expect(big.errors).toBeUndefined();
    expect(big.data?.customer.orders.edges).toHaveLength(5);
    expect(big.data?.customer.orders.pageInfo.hasNextPage).toBe(true);
    // The customer, then the page with its records: no read of ids first, no count.
    expect(opsOf(await h.stats(), 'acme')).toEqual({ 'res.partner.search_read': 1, 'sale.order.search_read': 1 });

    await h.reset();
    const small = await h.query<{ customer: { orders: Page } }>('acme', 'agent', q, { id: String(w.anchors.smallCustomer), n: 3 });
    expect(small.data?.customer.orders.edges).toHaveLength(3);
    expect(small.data?.customer.orders.pageInfo.hasNextPage).toBe(false);
    const none = await h.query<{ customer: { orders: Page } }>('acme', 'agent', q, { id: String(w.anchors.bigCustomer), n: 0 });
    expect(none.errors).toBeUndefined();
    expect(none.data?.customer.orders).toEqual({ pageInfo: { hasNextPage: true }, edges: [] });
  });

  it('should count the list, in the same wave, when totalCount is asked through a fragment', async () => {
    const w = h.world('acme');
    const q = `query($id: ID!) { customer(id: $id) { orders(first: 2) { ...Size edges { node { id name } } } } }
      fragment Size on OrderConnection { ... on OrderConnection { totalCount } }`;
    const res = await h.query<{ customer: { orders: Page } }>('acme', 'agent', q, { id: String(w.anchors.bigCustomer) });
    expect(res.errors).toBeUndefined();
    expect(res.data?.customer.orders.totalCount).toBe(150);
    expect(opsOf(await h.stats(), 'acme')).toEqual({ 'res.partner.search_read': 1, 'sale.order.search_read': 1, 'sale.order.search_count': 1 });
  });

  it('should give the same pages one customer at a time as for several customers in one request', async () => {
    const w = h.world('acme');
    const q = `query($r: [_Any!]!, $after: String) { _entities(representations: $r) { ... on Customer {
      orders(first: 4, after: $after) { totalCount pageInfo { hasNextPage } edges { node { id name } } }
      invoices(first: 3) { totalCount pageInfo { hasNextPage } edges { node { id number } } }
      deliveries(first: 3) { totalCount pageInfo { hasNextPage } edges { node { id name } } } } } }`;
    const one = (id: number) => ({ __typename: 'Customer', id: String(id) });
    const first = await h.query<{ _entities: Array<{ orders: { edges: Array<{ cursor: string }> } }> }>('acme', 'agent', q, {
      r: [one(w.anchors.bigCustomer)],
    });
    const after = (
      await h.query<{ _entities: Array<{ orders: { pageInfo: { endCursor: string } } }> }>(
        'acme',
        'agent',
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { orders(first: 4) { pageInfo { endCursor } } } } }`,
        { r: [one(w.anchors.bigCustomer)] },
      )
    ).data?._entities[0]?.orders.pageInfo.endCursor;
    expect(first.errors).toBeUndefined();
    for (const cursor of [undefined, after]) {
      const alone = await Promise.all(
        [w.anchors.bigCustomer, w.anchors.smallCustomer].map((id) => h.query<{ _entities: unknown[] }>('acme', 'agent', q, { r: [one(id)], after: cursor })),
      );
      await h.reset();
      const together = await h.query<{ _entities: unknown[] }>('acme', 'agent', q, {
        r: [one(w.anchors.bigCustomer), one(w.anchors.smallCustomer)],
        after: cursor,
      });
      expect(together.errors).toBeUndefined();
      expect(together.data?._entities).toEqual(alone.map((r) => r.data?._entities[0]));
      // Both customers' pages came from one ids read per list and one by-id read (no count: the ids give the size).
      const ops = opsOf(await h.stats(), 'acme');
      expect([ops['sale.order.search_read'], ops['sale.order.search_count']]).toEqual([2, undefined]);
    }
  });

  it("should find a contact person's company in the same call as the contact", async () => {
    const w = h.world('acme');
    const small = w.customers.find((c) => c.odooId === w.anchors.smallCustomer);
    const contact = small?.contacts.find((c) => typeof c.email === 'string');
    const res = await h.query<{ customerByEmail: { id: string; name: string } | null }>(
      'acme',
      'agent',
      `query($e: String!) { customerByEmail(email: $e) { id name } }`,
      {
        e: contact?.email,
      },
    );
    expect(res.data?.customerByEmail).toEqual({ id: String(w.anchors.smallCustomer), name: 'Northwind Traders Ltd' });
    expect(opsOf(await h.stats(), 'acme')).toEqual({ 'res.partner.search_read': 1 });
  });
});
