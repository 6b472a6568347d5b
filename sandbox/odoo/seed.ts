/**
 * Seed data. `empty`: the records a fresh Odoo 18 database has (company partner 1, admin uid 2
 * with partner 3, warehouse WH with WH/Stock = location 8, picking types, journals, a 15% tax).
 * `world`: that plus the tenant's world (sandbox/world.ts) replayed as history through the same
 * business code the RPC methods use: quotations, orders, deliveries (done, late, backordered,
 * returned, cancelled), invoices (paid, partial, overdue, reversed by a credit note), payments and
 * support-plan entitlements. Deterministic for a tenant name; dates are relative to today.
 */
import { createRng, type Rng } from '../kit/random';
import { buildWorld, type World } from '../world';
import { moveAmounts } from './calc';
import { callKw } from './dispatch';
import { BEHAVIOURS } from './methods';
import { postMove, registerPayment, reverseMoves } from './methods/account';
import { cancelOrder, confirmOrder, invoiceOrder } from './methods/sale';
import { LOCATION, reservePicking, validatePickings } from './methods/stock';
import type { Env } from './methods/types';
import { ormCreate } from './orm';
import { formatDate, type OdooDb, type Row } from './store';

const DAY = 86_400_000;
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

export const CURRENCY = { USD: 1, EUR: 126 } as const;
const COUNTRIES: Record<string, [number, string]> = {
  US: [233, 'United States'], DE: [57, 'Germany'], GB: [231, 'United Kingdom'], FR: [75, 'France'], SE: [205, 'Sweden'], DK: [60, 'Denmark'],
  NL: [165, 'Netherlands'], IT: [109, 'Italy'], FI: [74, 'Finland'], ES: [68, 'Spain'], JP: [113, 'Japan'],
};
const CITIES: Record<string, string[]> = {
  US: ['Chicago', 'Austin', 'Denver'], DE: ['Hamburg', 'München', 'Köln'], GB: ['London', 'Leeds', 'Bristol'], FR: ['Lyon', 'Paris', 'Nantes'], SE: ['Göteborg', 'Malmö', 'Stockholm'],
  DK: ['Aarhus', 'Odense', 'København'], NL: ['Utrecht', 'Rotterdam', 'Eindhoven'], IT: ['Milano', 'Torino', 'Bologna'], FI: ['Espoo', 'Tampere', 'Oulu'], ES: ['Valencia', 'Sevilla', 'Bilbao'], JP: ['Ōsaka', 'Nagoya', 'Sapporo'],
};
const STREETS = ['Harbour Road', 'Main Street', 'Industrieweg', 'Kongensgade', 'Via Roma', 'Calle Mayor', 'Rue de la Paix', 'Storgatan'];

/** The records every fresh database has. */
function seedBase(db: OdooDb, login: string, world: World | undefined): void {
  const companyName = world?.companyName ?? 'My Company';
  const currencyId = world?.currency === 'EUR' ? CURRENCY.EUR : CURRENCY.USD;
  const countryId = world?.currency === 'EUR' ? COUNTRIES.DE?.[0] ?? 57 : 233;
  db.insert('res.currency', { name: 'USD', symbol: '$', position: 'before', full_name: 'United States dollar', active: true }, CURRENCY.USD);
  db.insert('res.currency', { name: 'EUR', symbol: '€', position: 'after', full_name: 'Euro', active: currencyId === CURRENCY.EUR }, CURRENCY.EUR);
  for (const [code, [id, name]] of Object.entries(COUNTRIES)) db.insert('res.country', { name, code }, id);
  db.insert('res.partner', { name: companyName, is_company: true, email: world ? `info@${world.staffDomain}` : false, country_id: countryId, company_id: 1 }, 1);
  db.insert('res.partner', { name: 'OdooBot', email: 'odoobot@example.com', active: false }, 2);
  db.insert('res.partner', { name: 'Administrator', email: world ? `admin@${world.staffDomain}` : 'admin@yourcompany.example.com', company_id: 1 }, 3);
  db.insert('res.partner', { name: 'Public user', active: false, company_id: 1 }, 4);
  db.insert('res.partner', { name: 'Default User Template', active: false }, 5);
  db.insert('res.partner', { name: 'Portal User Template', active: false }, 6);
  db.insert('res.company', { name: companyName, partner_id: 1, currency_id: currencyId, country_id: countryId, sequence: 0 }, 1);
  db.insert('res.users', { login: '__system__', partner_id: 2, active: false }, 1);
  db.insert('res.users', { login, partner_id: 3 }, 2);
  db.reserveIds('res.users', 6);
  db.insert('uom.uom', { name: 'Units', factor: 1 }, 1);
  db.insert('product.category', { name: 'All', complete_name: 'All' }, 1);
  db.insert('crm.team', { name: 'Sales' }, 1);
  db.insert('account.tax', { name: '15%', amount: 15, amount_type: 'percent', type_tax_use: 'sale' }, 1);
  db.insert('account.tax', { name: '15%', amount: 15, amount_type: 'percent', type_tax_use: 'purchase' }, 2);
  const journals: Array<[string, string, string]> = [['Customer Invoices', 'INV', 'sale'], ['Vendor Bills', 'BILL', 'purchase'], ['Miscellaneous Operations', 'MISC', 'general'], ['Exchange Difference', 'EXCH', 'general'], ['Cash Basis Taxes', 'CABA', 'general'], ['Bank', 'BNK1', 'bank'], ['Cash', 'CSH1', 'cash']];
  journals.forEach(([name, code, type], i) => db.insert('account.journal', { name, code, type, sequence: i + 1 }, i + 1));
  const locations: Array<[number, string, string, string, number | false]> = [
    [1, 'Physical Locations', 'Physical Locations', 'view', false], [2, 'Partners', 'Partners', 'view', false], [3, 'Virtual Locations', 'Virtual Locations', 'view', false],
    [4, 'Vendors', 'Partners/Vendors', 'supplier', 2], [5, 'Customers', 'Partners/Customers', 'customer', 2], [6, 'Inter-company transit', 'Physical Locations/Inter-company transit', 'transit', 1],
    [7, 'WH', 'WH', 'view', 1], [8, 'Stock', 'WH/Stock', 'internal', 7], [14, 'Inventory adjustment', 'Virtual Locations/Inventory adjustment', 'inventory', 3],
    [15, 'Production', 'Virtual Locations/Production', 'production', 3], [16, 'Scrap', 'Virtual Locations/Scrap', 'inventory', 3],
  ];
  for (const [id, name, complete_name, usage, parent] of locations) db.insert('stock.location', { name, complete_name, usage, location_id: parent, warehouse_id: id === 7 || id === 8 ? 1 : false }, id);
  db.reserveIds('stock.location', 20);
  db.insert('stock.warehouse', { name: companyName, code: 'WH', partner_id: 1, lot_stock_id: LOCATION.stock, view_location_id: 7, in_type_id: 1, out_type_id: 2 }, 1);
  const types: Array<[number, string, string, string, number, number, number | false]> = [
    [1, 'Receipts', 'incoming', 'IN', 4, 8, 2], [2, 'Delivery Orders', 'outgoing', 'OUT', 8, 5, 1], [3, 'Pick', 'internal', 'PICK', 8, 8, false],
    [4, 'Pack', 'internal', 'PACK', 8, 8, false], [5, 'Internal Transfers', 'internal', 'INT', 8, 8, false],
  ];
  for (const [id, name, code, seq, src, dest, ret] of types) {
    db.insert('stock.picking.type', { name, code, sequence_code: seq, warehouse_id: 1, default_location_src_id: src, default_location_dest_id: dest, return_picking_type_id: ret, sequence: id, active: id === 1 || id === 2 || id === 5 }, id);
  }
  db.insert('mail.message.subtype', { name: 'Discussions', internal: false }, 1);
  db.insert('mail.message.subtype', { name: 'Note', internal: true }, 2);
  db.reserveIds('res.partner', 7);
}

const at = (base: number, days: number, rng: Rng): Date => new Date(base + days * DAY + rng.int(8 * 3600, 17 * 3600) * 1000);

function setQuantitiesDone(env: Env, pickingId: number, fraction = 1): void {
  for (const m of env.db.all('stock.move')) {
    if (m.picking_id !== pickingId || m.state === 'done' || m.state === 'cancel') continue;
    const demand = num(m.product_uom_qty);
    const qty = fraction >= 1 ? demand : Math.max(1, Math.floor(demand * fraction));
    env.db.update('stock.move', m.id, { quantity: qty, picked: true });
  }
}

type Delivery = 'done' | 'late' | 'backorder' | 'returned' | 'pending';
type Payment = 'paid' | 'in_payment' | 'partial' | 'overdue' | 'open' | 'reversed' | 'none';

/** One customer's order history replayed at its own dates. */
function replayOrder(env: Env, rng: Rng, today0: number, spec: { partnerId: number; ageDays: number; lines: unknown[]; forced?: [Delivery, Payment] | 'quotation' }): void {
  const { db } = env;
  const start = at(today0, -spec.ageDays, rng);
  db.setTime(start);
  const [orderId] = ormCreate(env, 'sale.order', [{ partner_id: spec.partnerId, client_order_ref: rng.chance(0.35) ? `PO-${rng.int(10000, 99999)}` : false, order_line: spec.lines }]);
  if (orderId === undefined) return;
  const r = rng.next();
  if (spec.forced === 'quotation' || (!spec.forced && ((spec.ageDays < 25 && r < 0.3) || r > 0.97))) {
    if (rng.chance(0.5)) db.update('sale.order', orderId, { state: 'sent' });
    return;
  }
  if (!spec.forced && r < 0.06) {
    cancelOrder(env, orderId);
    return;
  }
  confirmOrder(env, orderId);
  const picking = db.all('stock.picking').find((p) => p.sale_id === orderId);
  if (picking) {
    const scheduled = new Date(start.getTime() + 2 * DAY);
    db.update('stock.picking', picking.id, { scheduled_date: formatDate(scheduled) + ' ' + (db.now().slice(11)) });
  }
  if (!spec.forced && r < 0.1) {
    db.setTime(new Date(start.getTime() + DAY));
    cancelOrder(env, orderId);
    return;
  }
  const d = rng.next();
  let delivery: Delivery = spec.forced?.[0] ?? (spec.ageDays <= 3 ? 'pending' : d < 0.08 ? 'late' : d < 0.14 ? 'backorder' : d < 0.2 && spec.ageDays > 14 ? 'returned' : 'done');
  let deliveredAt = start.getTime();
  if (picking && delivery !== 'pending' && delivery !== 'late') {
    deliveredAt = start.getTime() + rng.int(1, Math.min(5, Math.max(1, spec.ageDays - 1))) * DAY;
    db.setTime(new Date(deliveredAt));
    setQuantitiesDone(env, picking.id, delivery === 'backorder' ? 0.5 : 1);
    validatePickings(env, [picking.id], true);
    if (rng.chance(0.6)) db.update('stock.picking', picking.id, { carrier_tracking_ref: rng.chance(0.5) ? `1Z${rng.int(100000, 999999)}${rng.int(100000, 999999)}` : `JD01460000${rng.int(10000000, 99999999)}` });
    if (delivery === 'backorder' && spec.ageDays > 30) {
      const back = db.all('stock.picking').find((p) => p.backorder_id === picking.id);
      if (back) {
        db.setTime(new Date(deliveredAt + 10 * DAY));
        setQuantitiesDone(env, back.id);
        validatePickings(env, [back.id], true);
        delivery = 'done';
      }
    }
    if (delivery === 'returned') {
      db.setTime(new Date(deliveredAt + rng.int(2, 8) * DAY));
      const ctx = { active_id: picking.id, active_ids: [picking.id], active_model: 'stock.picking' };
      const wizardId = callKw({ db, uid: 2, model: 'stock.return.picking', method: 'create', args: [{}], kwargs: { context: ctx } });
      const line = db.all('stock.return.picking.line').find((l) => l.wizard_id === wizardId);
      if (line) {
        db.update('stock.return.picking.line', line.id, { quantity: 1 });
        const action = callKw({ db, uid: 2, model: 'stock.return.picking', method: 'action_create_returns', args: [[wizardId]], kwargs: { context: ctx } });
        const returnId = typeof action === 'object' && action !== null && 'res_id' in action ? num((action as { res_id: unknown }).res_id) : 0;
        if (returnId) {
          setQuantitiesDone(env, returnId);
          validatePickings(env, [returnId], false);
        }
      }
    }
  }
  if (spec.ageDays < 4 && !spec.forced) return;
  const invoicedAt = Math.min(deliveredAt + DAY, today0 - DAY);
  db.setTime(new Date(invoicedAt));
  const invoiceId = invoiceOrder(env, orderId);
  if (invoiceId === undefined) return;
  postMove(env, invoiceId);
  const due = new Date(invoicedAt + 30 * DAY);
  db.update('account.move', invoiceId, { invoice_date_due: formatDate(due) });
  const invoiceAge = (today0 - invoicedAt) / DAY;
  const p = rng.next();
  const payment: Payment = spec.forced?.[1] ?? (invoiceAge > 45 ? (p < 0.74 ? 'paid' : p < 0.83 ? 'partial' : p < 0.92 ? 'overdue' : 'reversed') : p < 0.4 ? 'paid' : p < 0.55 ? 'in_payment' : 'open');
  const invoice = db.get('account.move', invoiceId);
  const total = invoice ? moveAmounts(db, invoice).total : 0;
  const payDay = (maxDays: number): Date => new Date(Math.min(invoicedAt + rng.int(2, maxDays) * DAY, today0 - DAY / 2));
  switch (payment) {
    case 'paid':
      db.setTime(payDay(28));
      registerPayment(env, [invoiceId], total, db.today(), 'paid');
      break;
    case 'in_payment':
      db.setTime(payDay(6));
      registerPayment(env, [invoiceId], total, db.today(), 'in_process');
      break;
    case 'partial':
      db.setTime(payDay(28));
      registerPayment(env, [invoiceId], Math.round(total * 0.4 * 100) / 100, db.today(), 'paid');
      break;
    case 'reversed': {
      db.setTime(payDay(20));
      const [refund] = reverseMoves(env, [invoiceId], rng.pick(['Damaged goods', 'Pricing error', 'Goodwill credit']), db.today(), undefined);
      if (refund !== undefined) postMove(env, refund);
      break;
    }
    default:
      break;
  }
}

/** The tenant's customers, contacts, products, stock and order history. */
function seedWorld(db: OdooDb, world: World): void {
  const env: Env = { db, uid: 2, context: {}, behaviours: BEHAVIOURS };
  const rng = createRng(`odoo:${world.tenant}`);
  const real = db.clock();
  const today0 = Date.UTC(real.getUTCFullYear(), real.getUTCMonth(), real.getUTCDate());
  db.setTime(new Date(today0 - 760 * DAY));
  let maxPartner = 7;
  for (const c of world.customers) {
    const [countryId] = COUNTRIES[c.country] ?? [233];
    const address = { street: `${rng.int(1, 180)} ${rng.pick(STREETS)}`, city: rng.pick(CITIES[c.country] ?? ['Springfield']), zip: String(rng.int(10000, 99999)), country_id: countryId };
    db.insert('res.partner', {
      name: c.name, email: c.email, ref: c.ref, is_company: c.isCompany, phone: `+${rng.int(1, 99)} ${rng.int(100, 999)} ${rng.int(1000, 9999)}`, ...address,
      customer_rank: 1, credit_limit: c.isCompany ? rng.pick([0, 5000, 10000, 25000, 50000]) : 0, type: 'contact', lang: 'en_US',
    }, c.odooId);
    maxPartner = Math.max(maxPartner, c.odooId);
    for (const contact of c.contacts) {
      db.insert('res.partner', { name: contact.name, email: contact.email, parent_id: c.odooId, type: 'contact', function: rng.pick(['Purchasing', 'Accounts Payable', 'Operations', 'CEO', 'Warehouse']), phone: `+${rng.int(1, 99)} ${rng.int(100, 999)} ${rng.int(1000, 9999)}`, ...address }, contact.odooId);
      maxPartner = Math.max(maxPartner, contact.odooId);
    }
  }
  db.reserveIds('res.partner', maxPartner + 1);
  for (const p of world.products) {
    const vals = {
      name: p.name, default_code: p.sku, type: p.kind === 'storable' ? 'consu' : 'service', is_storable: p.kind === 'storable', list_price: p.listPrice, standard_price: p.standardPrice,
      invoice_policy: p.kind === 'storable' ? 'delivery' : 'order', x_support_tier: p.tier ?? false, barcode: p.kind === 'storable' ? `400${String(p.odooId).padStart(9, '0')}0` : false, taxes_id: [1],
    };
    db.insert('product.product', { ...vals, product_tmpl_id: p.odooId }, p.odooId);
    db.insert('product.template', vals, p.odooId);
    if (p.kind === 'storable') db.insert('stock.quant', { product_id: p.odooId, location_id: LOCATION.stock, quantity: 100_000, inventory_quantity: 0, inventory_quantity_set: false });
  }
  const goods = world.products.filter((p) => p.kind === 'storable' && p.onHand > 0);
  const plans = world.products.filter((p) => p.kind === 'service');
  type Spec = Parameters<typeof replayOrder>[3] & { seq: number };
  const specs: Spec[] = [];
  let seq = 0;
  for (const c of world.customers) {
    const partners = [c.odooId, ...c.contacts.map((x) => x.odooId)];
    const withPlan = rng.chance(0.4) || c.odooId === world.anchors.smallCustomer || c.odooId === world.anchors.bigCustomer;
    const planIndex = withPlan ? rng.int(0, c.orderCount - 1) : -1;
    for (let k = 0; k < c.orderCount; k++) {
      const ageDays = c.odooId === world.anchors.smallCustomer ? [400, 90, 12][k] ?? 30 : rng.int(0, 729);
      const lines: unknown[] = [];
      const n = rng.int(1, 3);
      for (let i = 0; i < n; i++) {
        const product = rng.pick(goods);
        lines.push([0, 0, { product_id: product.odooId, product_uom_qty: rng.int(1, 12), discount: rng.chance(0.2) ? rng.pick([5, 10, 15]) : 0 }]);
      }
      if (ageDays < 20 && rng.chance(0.3)) lines.push([0, 0, { product_id: world.anchors.outOfStockProduct, product_uom_qty: rng.int(1, 5) }]);
      if (k === planIndex) {
        const plan = rng.pick(plans);
        const startDay = formatDate(new Date(today0 - ageDays * DAY));
        const endDay = formatDate(new Date(today0 - ageDays * DAY + 364 * DAY));
        lines.push([0, 0, { product_id: plan.odooId, product_uom_qty: 1, x_entitlement_start: startDay, x_entitlement_end: endDay }]);
      }
      const forced: Spec['forced'] = c.odooId === world.anchors.smallCustomer ? ([['done', 'paid'], ['done', 'overdue'], ['late', 'none']] as const)[k] as [Delivery, Payment] | undefined : undefined;
      specs.push({ partnerId: c.contacts.length && rng.chance(0.3) ? rng.pick(partners) : c.odooId, ageDays, lines, seq: seq++, ...(forced ? { forced } : {}) });
    }
  }
  specs.sort((a, b) => b.ageDays - a.ageDays || a.seq - b.seq);
  for (const spec of specs) replayOrder(env, rng, today0, spec);

  // stock on hand as the world says, then reserve what is still to deliver, oldest first
  db.setTime(new Date(today0 - DAY / 2));
  for (const p of world.products.filter((x) => x.kind === 'storable')) {
    const quants = db.all('stock.quant').filter((q) => q.product_id === p.odooId && q.location_id === LOCATION.stock);
    quants.forEach((q, i) => db.update('stock.quant', q.id, { quantity: i === 0 ? p.onHand : 0 }));
  }
  const pending = db.all('stock.picking').filter((pk) => pk.state !== 'done' && pk.state !== 'cancel' && pk.location_id === LOCATION.stock);
  for (const m of db.all('stock.move')) if (pending.some((pk) => pk.id === m.picking_id) && m.state !== 'done' && m.state !== 'cancel') db.update('stock.move', m.id, { quantity: 0, state: 'confirmed' });
  for (const pk of db.sortRows('stock.picking', pending, 'scheduled_date asc, id asc') as Row[]) reservePicking(env, pk.id);
  db.setTime(undefined);
}

export function seedDatabase(db: OdooDb, mode: 'world' | 'empty', tenant: string, login = 'admin'): OdooDb {
  const world = mode === 'world' ? buildWorld(tenant) : undefined;
  if (world) {
    const real = db.clock();
    db.setTime(new Date(Date.UTC(real.getUTCFullYear(), real.getUTCMonth(), real.getUTCDate()) - 800 * DAY));
  }
  seedBase(db, login, world);
  if (world) seedWorld(db, world);
  db.setTime(undefined);
  return db;
}
