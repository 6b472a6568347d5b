/**
 * Seed data. `empty`: the records a fresh Odoo 18 database has (company partner 1, admin uid 2
 * with partner 3, warehouse WH with WH/Stock = location 8, picking types, journals, a 15% tax).
 * `world`: that plus the tenant's world (sandbox/world.ts) replayed as history through the same
 * business code the RPC methods use: quotations, orders, deliveries (done, late, backordered,
 * returned, cancelled), invoices (paid, partial, overdue, reversed by a credit note), payments and
 * support-plan entitlements. Deterministic for a tenant name; dates are relative to today.
 */
import { createRng, type Rng } from '../kit/random';
import { buildWorld, SERVICE_CASES, type World, type WorldCustomer } from '../world';
import { moveAmounts } from './calc';
import { callKw } from './dispatch';
import { BEHAVIOURS } from './methods';
import { postMove, registerPayment, reverseMoves } from './methods/account';
import { cancelOrder, confirmOrder, invoiceOrder } from './methods/sale';
import { createPicking, LOCATION, PICKING_TYPE, reservePicking, validatePickings } from './methods/stock';
import type { Env } from './methods/types';
import { ormCreate } from './orm';
import { integrationUid, profileFor, type OdooProfile } from './profiles';
import { GROUPS, LEAST_PRIVILEGE_GROUPS, groupId } from './security';
import { formatDate, type OdooDb, type Row } from './store';

const DAY = 86_400_000;
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

export const CURRENCY = { USD: 1, EUR: 126, DKK: 10 } as const;

export interface SeedOptions {
  /** Login of the integration user. @default 'admin' */
  login?: string;
  /** Its password (the tenant's API key). @default 'admin' */
  password?: string;
  /** @default the plain 18 profile */
  profile?: OdooProfile;
}

/** ir.module.module rows: ids as on the recorded server where known (FACTS 3); account_accountant has none. */
const MODULES: Array<[number, string, string, 'always' | 'optional' | 'enterprise']> = [
  [58, 'delivery', 'Delivery Costs', 'optional'],
  [502, 'stock_delivery', 'Delivery - Stock', 'optional'],
  [625, 'helpdesk', 'Helpdesk', 'enterprise'],
  [632, 'sale_subscription', 'Subscriptions', 'enterprise'],
  [463, 'sale_margin', 'Margins in Sales Orders', 'always'],
  [12, 'contacts', 'Contacts', 'always'],
  [372, 'sale_management', 'Sales', 'always'],
  [472, 'sale_stock', 'Sales and Warehouse Management', 'always'],
  [494, 'stock', 'Inventory', 'always'],
  [30, 'account', 'Invoicing', 'always'],
  [1, 'base', 'Base', 'always'],
];
const COUNTRIES: Record<string, [number, string]> = {
  US: [233, 'United States'],
  DE: [57, 'Germany'],
  GB: [231, 'United Kingdom'],
  FR: [75, 'France'],
  SE: [205, 'Sweden'],
  DK: [60, 'Denmark'],
  NL: [165, 'Netherlands'],
  IT: [109, 'Italy'],
  FI: [74, 'Finland'],
  ES: [68, 'Spain'],
  JP: [113, 'Japan'],
};
const CITIES: Record<string, string[]> = {
  US: ['Chicago', 'Austin', 'Denver'],
  DE: ['Hamburg', 'München', 'Köln'],
  GB: ['London', 'Leeds', 'Bristol'],
  FR: ['Lyon', 'Paris', 'Nantes'],
  SE: ['Göteborg', 'Malmö', 'Stockholm'],
  DK: ['Aarhus', 'Odense', 'København'],
  NL: ['Utrecht', 'Rotterdam', 'Eindhoven'],
  IT: ['Milano', 'Torino', 'Bologna'],
  FI: ['Espoo', 'Tampere', 'Oulu'],
  ES: ['Valencia', 'Sevilla', 'Bilbao'],
  JP: ['Ōsaka', 'Nagoya', 'Sapporo'],
};
const STREETS = ['Harbour Road', 'Main Street', 'Industrieweg', 'Kongensgade', 'Via Roma', 'Calle Mayor', 'Rue de la Paix', 'Storgatan'];

/** The records every fresh database has, shaped by the profile (companies, users, groups, modules). */
function seedBase(db: OdooDb, opts: Required<SeedOptions>, world: World | undefined): void {
  const { profile } = opts;
  const companyName = profile.companies[0]?.name ?? world?.companyName ?? 'My Company';
  const mainCurrency = profile.companies[0]?.currency ?? world?.currency ?? 'USD';
  const currencyId = CURRENCY[mainCurrency];
  const countryId = mainCurrency === 'EUR' ? (COUNTRIES.DE?.[0] ?? 57) : mainCurrency === 'DKK' ? 60 : 233;
  const usedCurrencies = new Set(profile.companies.map((c, i) => (i === 0 ? mainCurrency : (c.currency ?? 'USD'))));
  db.insert('res.currency', { name: 'USD', symbol: '$', position: 'before', full_name: 'United States dollar', active: true }, CURRENCY.USD);
  db.insert('res.currency', { name: 'EUR', symbol: '€', position: 'after', full_name: 'Euro', active: usedCurrencies.has('EUR') }, CURRENCY.EUR);
  db.insert('res.currency', { name: 'DKK', symbol: 'kr', position: 'after', full_name: 'Danish krone', active: usedCurrencies.has('DKK') }, CURRENCY.DKK);
  for (const [code, [id, name]] of Object.entries(COUNTRIES)) db.insert('res.country', { name, code }, id);
  db.insert(
    'res.partner',
    {
      name: companyName,
      is_company: true,
      email: world ? `info@${world.staffDomain}` : false,
      country_id: countryId,
      company_id: 1,
      tz: profile.companies[0]?.tz ?? false,
    },
    1,
  );
  db.insert('res.partner', { name: 'OdooBot', email: 'odoobot@example.com', active: false }, 2);
  db.insert('res.partner', { name: 'Administrator', email: world ? `admin@${world.staffDomain}` : 'admin@yourcompany.example.com', company_id: 1 }, 3);
  db.insert('res.partner', { name: 'Public user', active: false, company_id: 1 }, 4);
  db.insert('res.partner', { name: 'Default User Template', active: false }, 5);
  db.insert('res.partner', { name: 'Portal User Template', active: false }, 6);
  db.insert('res.company', { name: companyName, partner_id: 1, currency_id: currencyId, country_id: countryId, sequence: 0 }, 1);
  seedSecurity(db, opts);
  db.reserveIds('res.users', 6);
  db.insert('uom.uom', { name: 'Units', factor: 1 }, 1);
  db.insert('product.category', { name: 'All', complete_name: 'All' }, 1);
  db.insert('crm.team', { name: 'Sales' }, 1);
  db.insert('account.tax', { name: '15%', amount: 15, amount_type: 'percent', type_tax_use: 'sale' }, 1);
  db.insert('account.tax', { name: '15%', amount: 15, amount_type: 'percent', type_tax_use: 'purchase' }, 2);
  const journals: Array<[string, string, string]> = [
    ['Customer Invoices', 'INV', 'sale'],
    ['Vendor Bills', 'BILL', 'purchase'],
    ['Miscellaneous Operations', 'MISC', 'general'],
    ['Exchange Difference', 'EXCH', 'general'],
    ['Cash Basis Taxes', 'CABA', 'general'],
    ['Bank', 'BNK1', 'bank'],
    ['Cash', 'CSH1', 'cash'],
  ];
  journals.forEach(([name, code, type], i) => db.insert('account.journal', { name, code, type, sequence: i + 1 }, i + 1));
  const locations: Array<[number, string, string, string, number | false]> = [
    [1, 'Physical Locations', 'Physical Locations', 'view', false],
    [2, 'Partners', 'Partners', 'view', false],
    [3, 'Virtual Locations', 'Virtual Locations', 'view', false],
    [4, 'Vendors', 'Partners/Vendors', 'supplier', 2],
    [5, 'Customers', 'Partners/Customers', 'customer', 2],
    [6, 'Inter-company transit', 'Physical Locations/Inter-company transit', 'transit', 1],
    [7, 'WH', 'WH', 'view', 1],
    [8, 'Stock', 'WH/Stock', 'internal', 7],
    [14, 'Inventory adjustment', 'Virtual Locations/Inventory adjustment', 'inventory', 3],
    [15, 'Production', 'Virtual Locations/Production', 'production', 3],
    [16, 'Scrap', 'Virtual Locations/Scrap', 'inventory', 3],
  ];
  for (const [id, name, complete_name, usage, parent] of locations)
    db.insert('stock.location', { name, complete_name, usage, location_id: parent, warehouse_id: id === 7 || id === 8 ? 1 : false }, id);
  db.reserveIds('stock.location', 20);
  db.insert(
    'stock.warehouse',
    { name: companyName, code: 'WH', partner_id: 1, lot_stock_id: LOCATION.stock, view_location_id: 7, in_type_id: 1, out_type_id: 2 },
    1,
  );
  const types: Array<[number, string, string, string, number, number, number | false]> = [
    [1, 'Receipts', 'incoming', 'IN', 4, 8, 2],
    [2, 'Delivery Orders', 'outgoing', 'OUT', 8, 5, 1],
    [3, 'Pick', 'internal', 'PICK', 8, 8, false],
    [4, 'Pack', 'internal', 'PACK', 8, 8, false],
    [5, 'Internal Transfers', 'internal', 'INT', 8, 8, false],
  ];
  for (const [id, name, code, seq, src, dest, ret] of types) {
    db.insert(
      'stock.picking.type',
      {
        name,
        code,
        sequence_code: seq,
        warehouse_id: 1,
        default_location_src_id: src,
        default_location_dest_id: dest,
        return_picking_type_id: ret,
        sequence: id,
        active: id === 1 || id === 2 || id === 5,
      },
      id,
    );
  }
  db.insert('mail.message.subtype', { name: 'Discussions', internal: false }, 1);
  db.insert('mail.message.subtype', { name: 'Note', internal: true }, 2);
  for (const [id, name, shortdesc, kind] of MODULES) {
    const installed = kind === 'always' || (kind === 'optional' && profile.modules.some((m) => m === name));
    db.insert(
      'ir.module.module',
      {
        name,
        shortdesc,
        state: kind === 'enterprise' ? 'uninstallable' : installed ? 'installed' : 'uninstalled',
        latest_version: installed ? `${profile.version}.1.0` : false,
        to_buy: kind === 'enterprise',
      },
      id,
    );
  }
  db.reserveIds('res.partner', 7);
}

/** Groups with their xml ids, the superuser, the admin (every group, every company), and a least-privilege integration user. */
function seedSecurity(db: OdooDb, opts: Required<SeedOptions>): void {
  const { login, password, profile } = opts;
  for (const g of GROUPS) {
    db.insert('res.groups', { name: g.name, full_name: `${g.category} / ${g.name}` }, g.id);
    const [module = '', name = ''] = g.xmlid.split('.');
    db.insert('ir.model.data', { module, name, model: 'res.groups', res_id: g.id, noupdate: true });
  }
  const companies = profile.companies.map((_, i) => i + 1);
  const allGroups = GROUPS.map((g) => g.id).filter((id) => companies.length > 1 || id !== groupId('base.group_multi_company'));
  db.insert('res.users', { login: '__system__', partner_id: 2, active: false, password: false, groups_id: allGroups, company_ids: companies }, 1);
  const admin = profile.integrationUser === 'admin';
  db.insert(
    'res.users',
    {
      login: admin ? login : 'admin',
      password: admin ? password : `unknown-${Math.random().toString(36).slice(2)}`,
      partner_id: 3,
      groups_id: allGroups,
      company_ids: companies,
    },
    2,
  );
  if (!admin) {
    // the integration user's partner is created with the world's partners (its id follows theirs)
    db.insert('res.users', { login, password, partner_id: false, groups_id: LEAST_PRIVILEGE_GROUPS.map(groupId), company_ids: companies, company_id: 1 }, 6);
  }
}

/** Companies after the first: a partner, a currency, and the admin in them. */
function seedCompanies(db: OdooDb, profile: OdooProfile): void {
  profile.companies.slice(1).forEach((c, i) => {
    const id = i + 2;
    const currency = CURRENCY[c.currency ?? 'USD'];
    const partner = db.insert('res.partner', {
      name: c.name ?? `Company ${id}`,
      is_company: true,
      company_id: id,
      tz: c.tz,
      country_id: currency === CURRENCY.DKK ? 60 : 233,
    });
    db.insert(
      'res.company',
      { name: c.name ?? `Company ${id}`, partner_id: partner.id, currency_id: currency, country_id: currency === CURRENCY.DKK ? 60 : 233, sequence: id },
      id,
    );
  });
}

/** Partners the seed creates after the world's: company partners, the least-privilege user's partner. */
function seedLatePartners(db: OdooDb, profile: OdooProfile, staffDomain: string | undefined): void {
  seedCompanies(db, profile);
  const user = db.get('res.users', 6);
  if (user && typeof user.partner_id !== 'number') {
    const partner = db.insert('res.partner', {
      name: 'Gateway Sales (own docs)',
      email: String(user.login).includes('@') ? String(user.login) : `gw-sales@${staffDomain ?? 'example.com'}`,
      company_id: false,
    });
    db.update('res.users', 6, { partner_id: partner.id });
  }
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

/** A customer returns one unit of the first line of a done delivery: the return wizard, then the return validated. */
function returnOneUnit(env: Env, pickingId: number): number | undefined {
  const { db } = env;
  const ctx = { active_id: pickingId, active_ids: [pickingId], active_model: 'stock.picking' };
  const wizardId = callKw({ db, uid: 2, model: 'stock.return.picking', method: 'create', args: [{}], kwargs: { context: ctx } });
  const line = db.all('stock.return.picking.line').find((l) => l.wizard_id === wizardId);
  if (!line) return undefined;
  db.update('stock.return.picking.line', line.id, { quantity: 1 });
  const action = callKw({ db, uid: 2, model: 'stock.return.picking', method: 'action_create_returns', args: [[wizardId]], kwargs: { context: ctx } });
  const returnId = typeof action === 'object' && action !== null && 'res_id' in action ? num((action as { res_id: unknown }).res_id) : 0;
  if (!returnId) return undefined;
  setQuantitiesDone(env, returnId);
  validatePickings(env, [returnId], false);
  return returnId;
}

type Delivery = 'done' | 'late' | 'backorder' | 'returned' | 'pending';
type Payment = 'paid' | 'in_payment' | 'partial' | 'overdue' | 'open' | 'reversed' | 'none';

/** One customer's order history replayed at its own dates. */
function replayOrder(
  env: Env,
  rng: Rng,
  today0: number,
  spec: { partnerId: number; ageDays: number; lines: unknown[]; forced?: [Delivery, Payment] | 'quotation'; companyId: number; userId: number },
): void {
  const { db } = env;
  const start = at(today0, -spec.ageDays, rng);
  db.setTime(start);
  const [orderId] = ormCreate(env, 'sale.order', [
    {
      partner_id: spec.partnerId,
      client_order_ref: rng.chance(0.35) ? `PO-${rng.int(10000, 99999)}` : false,
      order_line: spec.lines,
      company_id: spec.companyId,
      user_id: spec.userId,
    },
  ]);
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
    db.update('stock.picking', picking.id, { scheduled_date: formatDate(scheduled) + ' ' + db.now().slice(11) });
  }
  if (!spec.forced && r < 0.1) {
    db.setTime(new Date(start.getTime() + DAY));
    cancelOrder(env, orderId);
    return;
  }
  const d = rng.next();
  let delivery: Delivery =
    spec.forced?.[0] ?? (spec.ageDays <= 3 ? 'pending' : d < 0.08 ? 'late' : d < 0.14 ? 'backorder' : d < 0.2 && spec.ageDays > 14 ? 'returned' : 'done');
  let deliveredAt = start.getTime();
  if (picking && delivery !== 'pending' && delivery !== 'late') {
    deliveredAt = start.getTime() + rng.int(1, Math.min(5, Math.max(1, spec.ageDays - 1))) * DAY;
    db.setTime(new Date(deliveredAt));
    setQuantitiesDone(env, picking.id, delivery === 'backorder' ? 0.5 : 1);
    validatePickings(env, [picking.id], true);
    if (rng.chance(0.6)) {
      const ref = rng.chance(0.5) ? `1Z${rng.int(100000, 999999)}${rng.int(100000, 999999)}` : `JD01460000${rng.int(10000000, 99999999)}`;
      // the tracking number is a stock_delivery field: without the module the database has no such column
      if (db.field('stock.picking', 'carrier_tracking_ref')) db.update('stock.picking', picking.id, { carrier_tracking_ref: ref });
    }
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
      returnOneUnit(env, picking.id);
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
  const payment: Payment =
    spec.forced?.[1] ??
    (invoiceAge > 45 ? (p < 0.74 ? 'paid' : p < 0.83 ? 'partial' : p < 0.92 ? 'overdue' : 'reversed') : p < 0.4 ? 'paid' : p < 0.55 ? 'in_payment' : 'open');
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

/** A customer partner and its contacts, at the ids the world gives them; returns the highest id. */
function insertCustomer(db: OdooDb, c: WorldCustomer, rng: Rng): number {
  const [countryId] = COUNTRIES[c.country] ?? [233];
  const address = {
    street: `${rng.int(1, 180)} ${rng.pick(STREETS)}`,
    city: rng.pick(CITIES[c.country] ?? ['Springfield']),
    zip: String(rng.int(10000, 99999)),
    country_id: countryId,
  };
  db.insert(
    'res.partner',
    {
      name: c.name,
      email: c.email,
      ref: c.ref,
      is_company: c.isCompany,
      phone: `+${rng.int(1, 99)} ${rng.int(100, 999)} ${rng.int(1000, 9999)}`,
      ...address,
      customer_rank: 1,
      credit_limit: c.isCompany ? rng.pick([0, 5000, 10000, 25000, 50000]) : 0,
      type: 'contact',
      lang: 'en_US',
    },
    c.odooId,
  );
  let maxId = c.odooId;
  for (const contact of c.contacts) {
    db.insert(
      'res.partner',
      {
        name: contact.name,
        email: contact.email,
        parent_id: c.odooId,
        type: 'contact',
        function: rng.pick(['Purchasing', 'Accounts Payable', 'Operations', 'CEO', 'Warehouse']),
        phone: `+${rng.int(1, 99)} ${rng.int(100, 999)} ${rng.int(1000, 9999)}`,
        ...address,
      },
      contact.odooId,
    );
    maxId = Math.max(maxId, contact.odooId);
  }
  return maxId;
}

/** The tenant's customers, contacts, products, stock and order history. */
function seedWorld(db: OdooDb, world: World, profile: OdooProfile): void {
  const env: Env = { db, uid: 2, context: {}, behaviours: BEHAVIOURS };
  const rng = createRng(`odoo:${world.tenant}`);
  const real = db.clock();
  const today0 = Date.UTC(real.getUTCFullYear(), real.getUTCMonth(), real.getUTCDate());
  db.setTime(new Date(today0 - 760 * DAY));
  let maxPartner = 7;
  // the service anchor's partner and history come after everyone else's, from its own random stream
  const customers = world.customers.filter((c) => c.odooId !== world.anchors.serviceCustomer);
  for (const c of customers) {
    maxPartner = Math.max(maxPartner, insertCustomer(db, c, rng));
    // company-dependent: the small anchor has its own limit in every company (FACTS 15)
    if (profile.companies.length > 1 && c.odooId === world.anchors.smallCustomer)
      db.update('res.partner', c.odooId, { credit_limit: Object.fromEntries(profile.companies.map((_, i) => [String(i + 1), i + 1 === 1 ? 1000 : 5000])) });
  }
  db.reserveIds('res.partner', maxPartner + 1);
  seedLatePartners(db, profile, world.staffDomain);
  const v17 = profile.version === '17.0';
  const tiers = profile.customFields.includes('product.product.x_support_tier');
  for (const p of world.products) {
    const type = p.kind === 'storable' ? (v17 ? 'product' : 'consu') : 'service';
    const vals = {
      name: p.name,
      default_code: p.sku,
      type,
      ...(v17 ? { detailed_type: type } : { is_storable: p.kind === 'storable' }),
      list_price: p.listPrice,
      standard_price: p.standardPrice,
      invoice_policy: p.kind === 'storable' ? 'delivery' : 'order',
      ...(tiers ? { x_support_tier: p.tier ?? false } : {}),
      barcode: p.kind === 'storable' ? `400${String(p.odooId).padStart(9, '0')}0` : false,
      taxes_id: [1],
    };
    db.insert('product.product', { ...vals, product_tmpl_id: p.odooId }, p.odooId);
    db.insert('product.template', vals, p.odooId);
    if (p.kind === 'storable')
      db.insert('stock.quant', { product_id: p.odooId, location_id: LOCATION.stock, quantity: 100_000, inventory_quantity: 0, inventory_quantity_set: false });
  }
  const goods = world.products.filter((p) => p.kind === 'storable' && p.onHand > 0);
  const entitlements = profile.customFields.includes('sale.order.line.x_entitlement_start');
  const anchorIds = new Set<number>([
    world.anchors.smallCustomer,
    world.anchors.bigCustomer,
    world.anchors.emailOnlyCustomer,
    world.anchors.noSalesforceCustomer,
    world.anchors.unlinkedSalesforceCustomer,
    world.anchors.noEmailCustomer,
    world.anchors.nonAsciiCustomer,
    ...world.anchors.sharedEmail.odooIds,
  ]);
  // a second company sells to the Nordic customers (never an anchor, so the anchors' stories stay in company 1)
  const companyOf = (c: World['customers'][number]): number =>
    profile.companies.length > 1 && (c.country === 'DK' || c.country === 'SE') && !anchorIds.has(c.odooId) ? 2 : 1;
  const plans = world.products.filter((p) => p.kind === 'service');
  type Spec = Parameters<typeof replayOrder>[3] & { seq: number };
  const specs: Spec[] = [];
  let seq = 0;
  for (const c of customers) {
    const partners = [c.odooId, ...c.contacts.map((x) => x.odooId)];
    const withPlan = rng.chance(0.4) || c.odooId === world.anchors.smallCustomer || c.odooId === world.anchors.bigCustomer;
    const planIndex = withPlan ? rng.int(0, c.orderCount - 1) : -1;
    for (let k = 0; k < c.orderCount; k++) {
      const ageDays = c.odooId === world.anchors.smallCustomer ? ([400, 90, 12][k] ?? 30) : rng.int(0, 729);
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
        lines.push([
          0,
          0,
          { product_id: plan.odooId, product_uom_qty: 1, ...(entitlements ? { x_entitlement_start: startDay, x_entitlement_end: endDay } : {}) },
        ]);
      }
      const forced: Spec['forced'] =
        c.odooId === world.anchors.smallCustomer
          ? ((
              [
                ['done', 'paid'],
                ['done', 'overdue'],
                ['late', 'none'],
              ] as const
            )[k] as [Delivery, Payment] | undefined)
          : undefined;
      // least privilege: every other order belongs to another salesperson, the first one of each customer to the integration user
      const userId = profile.integrationUser === 'least-privilege' && k % 2 === 1 ? 2 : profile.integrationUser === 'least-privilege' ? 6 : 2;
      specs.push({
        partnerId: c.contacts.length && rng.chance(0.3) ? rng.pick(partners) : c.odooId,
        ageDays,
        lines,
        seq: seq++,
        companyId: companyOf(c),
        userId,
        ...(forced ? { forced } : {}),
      });
    }
  }
  specs.sort((a, b) => b.ageDays - a.ageDays || a.seq - b.seq);
  for (const spec of specs) replayOrder(env, rng, today0, spec);

  seedVendorReceipt(env, world, today0);
  const serviceOrders = seedServiceCustomer(env, world, profile, today0);
  // stock on hand as the world says, then reserve what is still to deliver, oldest first
  db.setTime(new Date(today0 - DAY / 2));
  for (const p of world.products.filter((x) => x.kind === 'storable')) {
    const quants = db.all('stock.quant').filter((q) => q.product_id === p.odooId && q.location_id === LOCATION.stock);
    quants.forEach((q, i) => db.update('stock.quant', q.id, { quantity: i === 0 ? p.onHand : 0 }));
  }
  const pending = db.all('stock.picking').filter((pk) => pk.state !== 'done' && pk.state !== 'cancel' && pk.location_id === LOCATION.stock);
  for (const m of db.all('stock.move'))
    if (pending.some((pk) => pk.id === m.picking_id) && m.state !== 'done' && m.state !== 'cancel')
      db.update('stock.move', m.id, { quantity: 0, state: 'confirmed' });
  // the service anchor's pickings take what is left, so no other customer's reservation moved
  const isService = (pk: Row): boolean => typeof pk.sale_id === 'number' && serviceOrders.has(pk.sale_id);
  for (const group of [pending.filter((pk) => !isService(pk)), pending.filter(isService)])
    for (const pk of db.sortRows('stock.picking', group, 'scheduled_date asc, id asc') as Row[]) reservePicking(env, pk.id);
  db.setTime(undefined);
}

/**
 * A vendor receipt from a customer who is also a supplier (the big anchor): incoming like a
 * customer return, but from Partners/Vendors and with no `return_id` (FACTS 29).
 */
function seedVendorReceipt(env: Env, world: World, today0: number): void {
  const { db } = env;
  const partnerId = world.anchors.bigCustomer;
  db.update('res.partner', partnerId, { supplier_rank: 1 });
  db.setTime(new Date(today0 - 20 * DAY + 10 * 3600 * 1000));
  const goods = world.products.filter((p) => p.kind === 'storable').slice(0, 2);
  const receiptId = createPicking(
    env,
    { typeId: PICKING_TYPE.receipts, from: LOCATION.vendors, to: LOCATION.stock, partnerId, origin: 'P00001', scheduled: db.now() },
    goods.map((p) => ({ productId: p.odooId, qty: 10 })),
  );
  setQuantitiesDone(env, receiptId);
  validatePickings(env, [receiptId], false);
}

/** The last day of a plan that starts on `start` (YYYY-MM-DD) and runs `months`, the last day included. */
export function planEnd(start: string, months: number): string {
  const [y = 0, m = 1, d = 1] = start.split('-').map(Number);
  const end = new Date(Date.UTC(y, m - 1 + months, d));
  if (end.getUTCDate() !== d) end.setUTCDate(0);
  end.setUTCDate(end.getUTCDate() - 1);
  return formatDate(end);
}

/**
 * The service anchor's history (world SERVICE_CASES), replayed after everyone else's through the
 * same business code: its partner, three support plans (expiring in 10 days; expired; renewed with
 * an overdue invoice) and four goods orders (late, backordered, delivered over two years ago,
 * partly returned). Its own random stream: nothing here moves another record. Returns its order ids.
 */
function seedServiceCustomer(env: Env, world: World, profile: OdooProfile, today0: number): Set<number> {
  const { db } = env;
  const orders = new Set<number>();
  const customer = world.customers.find((c) => c.odooId === world.anchors.serviceCustomer);
  if (!customer) return orders;
  const rng = createRng(`odoo:${world.tenant}:service`);
  db.setTime(new Date(today0 - 760 * DAY));
  insertCustomer(db, customer, rng);
  const partnerId = customer.odooId;
  const userId = integrationUid(profile);
  const entitlements = profile.customFields.includes('sale.order.line.x_entitlement_start');
  const bySku = (sku: string): number => world.products.find((p) => p.sku === sku)?.odooId ?? 0;
  const goods = world.products.filter((p) => p.kind === 'storable' && p.onHand > 0);
  const dayOf = (daysAgo: number): string => formatDate(new Date(today0 - daysAgo * DAY));
  /** 10:00 UTC `days` before today: the same calendar day in every tenant's time zone. */
  const moment = (daysAgo: number, hours = 10): Date => new Date(today0 - daysAgo * DAY + hours * 3600 * 1000);

  const order = (daysAgo: number, lines: unknown[]): number => {
    db.setTime(moment(daysAgo, 9));
    const [orderId] = ormCreate(env, 'sale.order', [{ partner_id: partnerId, order_line: lines, company_id: 1, user_id: userId }]);
    if (orderId === undefined) throw new Error(`odoo seed: no service order for ${world.tenant}`);
    db.setTime(moment(daysAgo));
    confirmOrder(env, orderId);
    orders.add(orderId);
    return orderId;
  };
  const planLine = (sku: string, daysAgo: number): unknown[] => {
    const start = dayOf(daysAgo);
    return [
      0,
      0,
      { product_id: bySku(sku), product_uom_qty: 1, ...(entitlements ? { x_entitlement_start: start, x_entitlement_end: planEnd(start, 12) } : {}) },
    ];
  };
  const goodsLine = (index: number, qty: number): unknown[] => [0, 0, { product_id: goods[index % goods.length]!.odooId, product_uom_qty: qty }];
  const invoice = (orderId: number, daysAgo: number, paidDaysAgo: number | undefined, dueDaysAgo = daysAgo - 30): void => {
    db.setTime(moment(daysAgo, 11));
    const invoiceId = invoiceOrder(env, orderId);
    if (invoiceId === undefined) throw new Error(`odoo seed: nothing to invoice on service order ${orderId}`);
    postMove(env, invoiceId);
    db.update('account.move', invoiceId, { invoice_date_due: dayOf(dueDaysAgo) });
    if (paidDaysAgo === undefined) return;
    const move = db.get('account.move', invoiceId);
    db.setTime(moment(paidDaysAgo, 12));
    registerPayment(env, [invoiceId], move ? moveAmounts(db, move).total : 0, db.today(), 'paid');
  };
  const deliver = (orderId: number, daysAgo: number, fraction = 1): number => {
    const picking = db.all('stock.picking').find((p) => p.sale_id === orderId && p.state !== 'done' && p.state !== 'cancel');
    if (!picking) throw new Error(`odoo seed: service order ${orderId} has no delivery`);
    db.setTime(moment(daysAgo, 14));
    setQuantitiesDone(env, picking.id, fraction);
    validatePickings(env, [picking.id], true);
    return picking.id;
  };
  const schedule = (orderId: number, daysAgo: number): void => {
    for (const p of db.all('stock.picking')) if (p.sale_id === orderId) db.update('stock.picking', p.id, { scheduled_date: `${dayOf(daysAgo)} 10:00:00` });
  };

  const c = SERVICE_CASES;
  // oldest first, as it happened
  // goods delivered over two years ago: out of any 12- or 24-month warranty
  const old = order(c.outOfWarranty.confirmedDaysAgo, [goodsLine(1, 2)]);
  schedule(old, c.outOfWarranty.confirmedDaysAgo - 2);
  deliver(old, c.outOfWarranty.deliveredDaysAgo);
  invoice(old, c.outOfWarranty.deliveredDaysAgo - 1, c.outOfWarranty.deliveredDaysAgo - 12);
  // the plan that expired (paid)
  const expired = order(c.expiredPlan.confirmedDaysAgo, [planLine(c.expiredPlan.sku, c.expiredPlan.confirmedDaysAgo)]);
  invoice(expired, c.expiredPlan.confirmedDaysAgo, c.expiredPlan.confirmedDaysAgo - 10);
  // the plan expiring in 10 days (paid): confirmed on the day whose 12-month term ends today + 10
  const endsOn = dayOf(-c.expiringPlan.endsInDays);
  let expiringAge = 360;
  while (expiringAge > 350 && planEnd(dayOf(expiringAge), 12) !== endsOn) expiringAge--;
  const expiring = order(expiringAge, [planLine(c.expiringPlan.sku, expiringAge)]);
  invoice(expiring, expiringAge, expiringAge - 10);
  // goods delivered, then one unit returned
  const returned = order(c.returned.confirmedDaysAgo, [goodsLine(2, 3)]);
  schedule(returned, c.returned.confirmedDaysAgo - 2);
  const delivered = deliver(returned, c.returned.deliveredDaysAgo);
  invoice(returned, c.returned.deliveredDaysAgo - 1, c.returned.deliveredDaysAgo - 12);
  db.setTime(moment(c.returned.returnedDaysAgo, 15));
  if (returnOneUnit(env, delivered) === undefined) throw new Error(`odoo seed: no return for service order ${returned}`);
  // the renewal of the expired plan: invoice posted, unpaid, overdue
  const renewal = order(c.renewalPlan.confirmedDaysAgo, [planLine(c.renewalPlan.sku, c.renewalPlan.confirmedDaysAgo)]);
  invoice(renewal, c.renewalPlan.confirmedDaysAgo, undefined, c.renewalPlan.invoiceDueDaysAgo);
  // goods half delivered (invoiced and paid for that half), the backorder open
  const backorder = order(c.backorder.confirmedDaysAgo, [goodsLine(3, 4)]);
  schedule(backorder, c.backorder.confirmedDaysAgo - 2);
  deliver(backorder, c.backorder.deliveredDaysAgo, 0.5);
  invoice(backorder, c.backorder.deliveredDaysAgo - 1, c.backorder.deliveredDaysAgo - 7);
  // goods late: scheduled 5 days ago, not delivered, nothing to invoice yet
  const late = order(c.lateDelivery.confirmedDaysAgo, [goodsLine(4, 2)]);
  schedule(late, c.lateDelivery.scheduledDaysAgo);
  return orders;
}

export function seedDatabase(db: OdooDb, mode: 'world' | 'empty', tenant: string, options: SeedOptions = {}): OdooDb {
  const opts: Required<SeedOptions> = {
    login: options.login ?? 'admin',
    password: options.password ?? 'admin',
    profile: options.profile ?? profileFor(tenant),
  };
  const world = mode === 'world' ? buildWorld(tenant) : undefined;
  if (world) {
    const real = db.clock();
    db.setTime(new Date(Date.UTC(real.getUTCFullYear(), real.getUTCMonth(), real.getUTCDate()) - 800 * DAY));
  }
  seedBase(db, opts, world);
  if (world) seedWorld(db, world, opts.profile);
  else seedLatePartners(db, opts.profile, undefined);
  db.setTime(undefined);
  return db;
}
