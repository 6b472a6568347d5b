/**
 * The service anchor's stories (issue 13) as each sandbox tenant's integration user reads them over
 * RPC: a support plan expiring in 10 days, an expired plan renewed with an overdue invoice, a late
 * delivery, a backorder, a return and an item delivered over two years ago. Dates are relative to
 * the emulator's today.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startOdooEmulator, type RunningOdooEmulator } from '../../sandbox/odoo';
import { planEnd } from '../../sandbox/odoo/seed';
import { buildWorld, SERVICE_CASES } from '../../sandbox/world';
import { call, type OdooCreds } from '../support/odoo-client';

type Rec = Record<string, unknown> & { id: number };

const NOW = new Date('2026-03-10T12:00:00Z');
const DAY = 86_400_000;
const today0 = Date.UTC(NOW.getUTCFullYear(), NOW.getUTCMonth(), NOW.getUTCDate());
const dayOf = (daysAgo: number): string => new Date(today0 - daysAgo * DAY).toISOString().slice(0, 10);
const daysAgo = (day: unknown): number => Math.round((today0 - Date.parse(`${String(day).slice(0, 10)}T00:00:00Z`)) / DAY);
const m2o = (v: unknown): number | false => (Array.isArray(v) && typeof v[0] === 'number' ? v[0] : false);

const tenants = [
  { tenant: 'acme', db: 'acme', login: 'admin@acme.example', apiKey: 'acme-key' },
  { tenant: 'globex', db: 'globex', login: 'admin@globex.example', apiKey: 'globex-key' },
  { tenant: 'initech', db: 'initech', login: 'gw-sales@initech.example', apiKey: 'initech-key' },
];
const creds: Record<string, OdooCreds> = {
  acme: { db: 'acme', uid: 2, password: 'acme-key' },
  globex: { db: 'globex', uid: 2, password: 'globex-key' },
  initech: { db: 'initech', uid: 6, password: 'initech-key' },
};

let emulator: RunningOdooEmulator;
beforeAll(async () => {
  emulator = await startOdooEmulator({ port: 0, tenants, clock: () => NOW });
});
afterAll(async () => {
  await emulator?.close();
});

describe('world anchor', () => {
  it('should add the service customer after the others, linked everywhere by external id', () => {
    for (const tenant of ['acme', 'globex', 'initech']) {
      const world = buildWorld(tenant);
      const service = world.customers.find((c) => c.odooId === world.anchors.serviceCustomer)!;
      expect(service).toMatchObject({ isCompany: true, zendesk: 'external_id', salesforce: 'external_id', email: expect.stringContaining('@') });
      expect(world.customers.at(-1)).toBe(service);
      expect(service.contacts).toHaveLength(1);
      const otherIds = world.customers.filter((c) => c !== service).flatMap((c) => [c.odooId, ...c.contacts.map((p) => p.odooId)]);
      expect(otherIds).not.toContain(service.odooId);
      expect(otherIds).not.toContain(service.contacts[0]!.odooId);
    }
  });
});

describe.each(['acme', 'globex', 'initech'])('service cases in %s', (tenant) => {
  const world = buildWorld(tenant);
  const partnerId = world.anchors.serviceCustomer;
  const sku = new Map(world.products.map((p) => [p.odooId, p.sku]));
  let url: string;
  let c: OdooCreds;
  let orders: Rec[];
  let lines: Rec[];
  let pickings: Rec[];
  let invoices: Rec[];
  const read = (model: string, domain: unknown[], fields: string[]): Promise<Rec[]> => call<Rec[]>(url, c, model, 'search_read', [domain], { fields });
  const planOrder = (code: string): Rec[] => orders.filter((o) => lines.some((l) => m2o(l.order_id) === o.id && sku.get(m2o(l.product_id) || 0) === code));
  const invoiceOf = (order: Rec): Rec[] => invoices.filter((i) => i.invoice_origin === order.name);

  beforeAll(async () => {
    url = emulator.urlOf(tenant);
    c = creds[tenant]!;
    orders = await read('sale.order', [['partner_id', '=', partnerId]], ['name', 'state', 'date_order']);
    lines = await read('sale.order.line', [['order_id', 'in', orders.map((o) => o.id)]], ['order_id', 'product_id', 'product_uom_qty']);
    pickings = await read(
      'stock.picking',
      [['partner_id', '=', partnerId]],
      ['name', 'state', 'scheduled_date', 'date_done', 'backorder_id', 'return_id', 'sale_id', 'picking_type_code'],
    );
    invoices = await read(
      'account.move',
      [
        ['partner_id', '=', partnerId],
        ['move_type', '=', 'out_invoice'],
      ],
      ['name', 'state', 'payment_state', 'invoice_date', 'invoice_date_due', 'invoice_origin', 'amount_residual'],
    );
  });

  it('should have the partner and seven confirmed orders', async () => {
    const [partner] = await call<Rec[]>(url, c, 'res.partner', 'read', [[partnerId]], { fields: ['name', 'email', 'is_company', 'ref', 'child_ids'] });
    expect(partner).toMatchObject({ is_company: true, email: expect.stringContaining('@'), ref: `C${String(partnerId).padStart(5, '0')}` });
    expect(partner?.child_ids).toHaveLength(1);
    expect(orders).toHaveLength(7);
    expect(orders.every((o) => o.state === 'sale')).toBe(true);
  });

  it('should have a SUP-STANDARD plan, paid, whose 12-month term ends in 10 days', () => {
    const [order] = planOrder(SERVICE_CASES.expiringPlan.sku);
    expect(order).toBeDefined();
    const start = String(order!.date_order).slice(0, 10);
    expect(planEnd(start, 12)).toBe(dayOf(-10));
    expect(daysAgo(start)).toBeGreaterThanOrEqual(353);
    expect(daysAgo(start)).toBeLessThanOrEqual(356);
    expect(invoiceOf(order!)).toEqual([expect.objectContaining({ state: 'posted', payment_state: 'paid' })]);
  });

  it('should have an expired SUP-BASIC plan and its SUP-PREMIUM renewal with an overdue invoice', () => {
    const [expired] = planOrder('SUP-BASIC');
    expect(daysAgo(expired!.date_order)).toBe(400);
    expect(planEnd(String(expired!.date_order).slice(0, 10), 12) < dayOf(0)).toBe(true);
    expect(invoiceOf(expired!)).toEqual([expect.objectContaining({ state: 'posted', payment_state: 'paid' })]);

    const [renewal] = planOrder('SUP-PREMIUM');
    expect(daysAgo(renewal!.date_order)).toBe(30);
    const [invoice] = invoiceOf(renewal!);
    expect(invoice).toMatchObject({ state: 'posted', payment_state: 'not_paid', invoice_date_due: dayOf(12) });
    expect(invoice?.amount_residual).toBeGreaterThan(0);
  });

  it('should have a late delivery: scheduled 5 days ago, not done', () => {
    const late = pickings.filter((p) => p.picking_type_code === 'outgoing' && p.state !== 'done' && p.state !== 'cancel' && p.backorder_id === false);
    expect(late).toHaveLength(1);
    expect(daysAgo(late[0]!.scheduled_date)).toBe(SERVICE_CASES.lateDelivery.scheduledDaysAgo);
  });

  it('should have a backorder: the first delivery done, the backorder open', () => {
    const backorders = pickings.filter((p) => p.backorder_id !== false);
    expect(backorders).toHaveLength(1);
    expect(backorders[0]!.state).not.toMatch(/^(done|cancel)$/);
    const first = pickings.find((p) => p.id === m2o(backorders[0]!.backorder_id));
    expect(first).toMatchObject({ state: 'done', sale_id: backorders[0]!.sale_id });
    expect(daysAgo(first!.date_done)).toBe(SERVICE_CASES.backorder.deliveredDaysAgo);
  });

  it('should have an item delivered over two years ago (out of any 12- or 24-month warranty)', () => {
    const old = pickings.filter((p) => p.picking_type_code === 'outgoing' && p.state === 'done' && daysAgo(p.date_done) > 730);
    expect(old).toHaveLength(1);
    expect(daysAgo(old[0]!.date_done)).toBe(SERVICE_CASES.outOfWarranty.deliveredDaysAgo);
  });

  it('should have a delivery partly returned: a done return picking with return_id set', () => {
    const returns = pickings.filter((p) => p.return_id !== false);
    expect(returns).toHaveLength(1);
    expect(returns[0]).toMatchObject({ state: 'done', picking_type_code: 'incoming' });
    expect(daysAgo(returns[0]!.date_done)).toBe(SERVICE_CASES.returned.returnedDaysAgo);
    const delivery = pickings.find((p) => p.id === m2o(returns[0]!.return_id));
    expect(delivery).toMatchObject({ state: 'done', picking_type_code: 'outgoing' });
    const line = lines.find((l) => m2o(l.order_id) === m2o(delivery!.sale_id));
    expect(line?.product_uom_qty).toBeGreaterThan(1);
  });
});
