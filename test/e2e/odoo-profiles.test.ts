/**
 * The product on a customer's Odoo as it is, end to end through the gateway: the ticket-context
 * query on every sandbox profile (acme: plain Odoo 18 community; globex: Odoo 19 with
 * stock_delivery, custom fields and two companies; initech: Odoo 17 with a least-privilege
 * integration user), what a missing capability looks like, companies, returns vs vendor receipts and
 * signed credit notes. Expected values are read from the emulated ERP, not restated.
 */
import { OWN_DOCUMENTS_REASON } from '../../subgraphs/odoo/resolvers';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startStack, type RunningStack } from '../../sandbox/stack';
import { buildWorld } from '../../sandbox/world';
import { query, ticketContext } from '../support/stack';

let stack: RunningStack;

beforeAll(async () => {
  stack = await startStack({ cache: false });
});
afterAll(async () => {
  await stack?.stop();
});

interface Money {
  amount: number;
  currencyCode: string;
}
interface FinanceView {
  customer: {
    name: string;
    creditLimit: Money | null;
    openBalance: Money | null;
    balances: Array<{ company: { id: string; name: string; currencyCode: string }; creditLimit: Money | null; openBalance: Money }> | null;
  } | null;
}

const FINANCE_QUERY = `query($id: ID!) { customer(id: $id) {
  name creditLimit { amount currencyCode } openBalance { amount currencyCode }
  balances { company { id name currencyCode } creditLimit { amount currencyCode } openBalance { amount currencyCode } }
} }`;

describe.each(['acme', 'globex', 'initech'])('the ticket-context query on the %s profile', (tenant) => {
  it('should answer with no error at all: orders, lines, products with stock, deliveries, entitlements', async () => {
    const world = buildWorld(tenant);
    const res = await ticketContext(stack, tenant, world.anchors.tickets.small);
    expect(res.errors).toBeUndefined();
    const customer = res.data!.ticket!.customer!;
    expect(customer.id).toBe(String(world.anchors.smallCustomer));
    expect(customer.orders.edges.length).toBeGreaterThan(0);
    const lines = customer.orders.edges.flatMap((e) => e.node.lines) as Array<{ product: { sku: string; qtyAvailable: number | null } | null }>;
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => typeof l.product?.qtyAvailable === 'number')).toBe(true);
    // Entitlements from the registry's support-plan products (no custom field needed).
    const entitlements = customer.entitlements as unknown as Array<{ tier: string | null; startsOn: string | null; endsOn: string | null }>;
    expect(entitlements.length).toBeGreaterThan(0);
    for (const e of entitlements) {
      expect(e.tier).toMatch(/^(BASIC|STANDARD|PREMIUM)$/);
      expect(e.startsOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(e.endsOn! > e.startsOn!).toBe(true);
    }
    // The verdict says when the integration user cannot see everyone's plans and invoices (initech: own documents only).
    const status = (customer as unknown as { supportStatus: { paymentStanding: string | null; reasons: string[] } }).supportStatus;
    expect(status.reasons.includes(OWN_DOCUMENTS_REASON)).toBe(tenant === 'initech');
    if (tenant === 'initech') expect(status.paymentStanding).toBeNull();
  });
});

describe('a plain Odoo 18 community (acme: no stock_delivery, no custom fields)', () => {
  it('should give every delivery a null tracking reference without an error, and tell returns from vendor receipts', async () => {
    const acme = buildWorld('acme');
    const res = await query<{ customer: { deliveries: { edges: Array<{ node: { id: string; kind: string; trackingRef: string | null } }> } } }>(
      stack,
      'acme',
      'agent',
      `{ customer(id: "${acme.anchors.bigCustomer}") { deliveries(first: 100) { edges { node { id kind trackingRef } } } } }`,
    );
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.customer.deliveries.edges.map((e) => e.node);
    expect(nodes.every((d) => d.trackingRef === null)).toBe(true);
    const db = stack.emulators.odoo.db('acme');
    for (const d of nodes.filter((n) => n.kind === 'RETURN' || n.kind === 'RECEIPT')) {
      const picking = db.get('stock.picking', Number(d.id));
      // A return returns a delivery (return_id); a vendor receipt returns none.
      expect(typeof picking?.['return_id'] === 'number').toBe(d.kind === 'RETURN');
    }
    expect(nodes.some((d) => d.kind === 'RECEIPT')).toBe(true);
    expect(nodes.some((d) => d.kind === 'RETURN')).toBe(true);
  });

  it('should sign credit notes negative, as Odoo signs them', async () => {
    const acme = buildWorld('acme');
    const res = await query<{ customer: { invoices: { edges: Array<{ node: { id: string; kind: string; amountTotal: Money } }> } } }>(
      stack,
      'acme',
      'finance',
      `{ customer(id: "${acme.anchors.bigCustomer}") { invoices(first: 100) { edges { node { id kind amountTotal { amount currencyCode } } } } } }`,
    );
    expect(res.errors).toBeUndefined();
    const notes = res.data!.customer.invoices.edges.map((e) => e.node).filter((n) => n.kind === 'CREDIT_NOTE');
    expect(notes.length).toBeGreaterThan(0);
    const db = stack.emulators.odoo.db('acme');
    // The emulated ERP's own signed amount (a computed field, read as Odoo reads it).
    for (const n of notes) expect(n.amountTotal.amount).toBe(db.value('account.move', db.get('account.move', Number(n.id))!, 'amount_total_signed'));
    expect(notes.every((n) => n.amountTotal.amount < 0)).toBe(true);
  });
});

describe('a least-privilege integration user on Odoo 17 (initech)', () => {
  it('should null only the fields the user cannot read or would get partially, with the capability code and a reason', async () => {
    const initech = buildWorld('initech');
    const res = await query<FinanceView>(stack, 'initech', 'finance', FINANCE_QUERY, { id: String(initech.anchors.smallCustomer) });
    const customer = res.data!.customer!;
    expect(customer.name).toBe(initech.customers.find((c) => c.odooId === initech.anchors.smallCustomer)!.name);
    expect(customer.creditLimit).toBeNull();
    expect(customer.openBalance).toBeNull();
    expect(customer.balances).toEqual([{ company: { id: '1', name: 'initech Ltd', currencyCode: 'USD' }, creditLimit: null, openBalance: null }]);
    const reasons = Object.fromEntries(
      (res.errors ?? []).map((e) => [e.path?.join('.'), { code: e.extensions?.['code'], reason: String(e.extensions?.['reason']) }]),
    );
    expect(Object.keys(reasons).sort()).toEqual([
      'customer.balances.0.creditLimit',
      'customer.balances.0.openBalance',
      'customer.creditLimit',
      'customer.openBalance',
    ]);
    for (const path of ['customer.creditLimit', 'customer.balances.0.creditLimit']) {
      expect(reasons[path]).toEqual({
        code: 'UPSTREAM_CAPABILITY_MISSING',
        reason: expect.stringMatching(/cannot read res\.partner\.credit_limit .*Invoicing \/ Invoicing/),
      });
    }
    // Odoo's "Personal Invoices" rule hides other salespeople's invoices: a sum would be wrong, so none is given.
    for (const path of ['customer.openBalance', 'customer.balances.0.openBalance']) {
      expect(reasons[path]).toEqual({ code: 'UPSTREAM_CAPABILITY_MISSING', reason: expect.stringMatching(/sees only its own customer invoices/) });
    }
  });

  it("should see only the user's own orders: another salesperson's order is null, as Odoo's record rule decides", async () => {
    const orders = stack.emulators.odoo.db('initech').all('sale.order');
    const own = orders.find((o) => o['user_id'] === 6);
    const others = orders.find((o) => o['user_id'] === 2);
    const res = await query<{ own: { name: string } | null; others: { name: string } | null }>(
      stack,
      'initech',
      'agent',
      `{ own: order(id: "${own!.id}") { name } others: order(id: "${others!.id}") { name } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.own?.name).toBe(own!['name']);
    expect(res.data!.others).toBeNull();
  });
});

describe('two companies in different currencies (globex)', () => {
  it('should give balances and credit limits per company, each in its own currency', async () => {
    const globex = buildWorld('globex');
    const res = await query<FinanceView>(stack, 'globex', 'finance', FINANCE_QUERY, { id: String(globex.anchors.smallCustomer) });
    expect(res.errors).toBeUndefined();
    const customer = res.data!.customer!;
    const db = stack.emulators.odoo.db('globex');
    const currencies = customer.balances!.map((b) => b.company.currencyCode);
    expect(currencies).toEqual(['USD', 'DKK']);
    for (const b of customer.balances!) expect(b.creditLimit?.currencyCode).toBe(b.company.currencyCode);
    expect(customer.balances!.map((b) => b.creditLimit?.amount)).toEqual([1000, 5000]);
    // Each company's balance is what the ERP holds open there, in that company's currency, never a sum across them.
    const open = db
      .all('account.move')
      .filter(
        (m) =>
          db.value('account.move', m, 'commercial_partner_id') === globex.anchors.smallCustomer &&
          m['state'] === 'posted' &&
          ['out_invoice', 'out_refund'].includes(String(m['move_type'])),
      )
      .filter((m) => ['not_paid', 'partial', 'in_payment'].includes(String(db.value('account.move', m, 'payment_state'))));
    const expected = [1, 2].map(
      (c) =>
        Math.round(open.filter((m) => m['company_id'] === c).reduce((sum, m) => sum + Number(db.value('account.move', m, 'amount_residual_signed')), 0) * 100) /
        100,
    );
    expect(customer.balances!.map((b) => b.openBalance.amount)).toEqual(expected);
    // The main company's figures are the first company's, never a sum across currencies.
    expect(customer.creditLimit).toEqual(customer.balances![0]!.creditLimit);
    expect(customer.openBalance).toEqual(customer.balances![0]!.openBalance);
    expect(db.all('res.company').map((c) => c['name'])).toEqual(customer.balances!.map((b) => b.company.name));
  });

  it("should tell two companies' same-numbered invoices apart by their company, amounts in each currency", async () => {
    const db = stack.emulators.odoo.db('globex');
    const moves = db.all('account.move').filter((m) => m['move_type'] === 'out_invoice' && m['state'] === 'posted');
    const byCompany = [1, 2].map((c) => moves.filter((m) => m['company_id'] === c).sort((a, b) => a.id - b.id)[0]);
    expect(byCompany.every((m) => m !== undefined)).toBe(true);
    const res = await query<Record<'a' | 'b', { number: string; company: { name: string; currencyCode: string }; amountTotal: Money }>>(
      stack,
      'globex',
      'finance',
      `{ a: invoice(id: "${byCompany[0]!.id}") { number company { name currencyCode } amountTotal { amount currencyCode } }
         b: invoice(id: "${byCompany[1]!.id}") { number company { name currencyCode } amountTotal { amount currencyCode } } }`,
    );
    expect(res.errors).toBeUndefined();
    const { a, b } = res.data!;
    expect(a.number).toMatch(/00001$/);
    expect(b.number).toBe(a.number);
    expect([a.company.currencyCode, b.company.currencyCode]).toEqual(['USD', 'DKK']);
    expect(b.amountTotal.currencyCode).toBe('DKK');
    expect(a.company.name).not.toBe(b.company.name);
  });

  it('should read tracking references where stock_delivery is installed', async () => {
    const globex = buildWorld('globex');
    const res = await query<{ customer: { deliveries: { edges: Array<{ node: { trackingRef: string | null } }> } } }>(
      stack,
      'globex',
      'agent',
      `{ customer(id: "${globex.anchors.bigCustomer}") { deliveries(first: 100) { edges { node { trackingRef } } } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.customer.deliveries.edges.some((e) => typeof e.node.trackingRef === 'string')).toBe(true);
  });
});
