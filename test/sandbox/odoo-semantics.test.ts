/**
 * The Odoo emulator on the seeded world (tenants acme and globex): domains, ordering, errors,
 * tenant isolation, JSON-2, stats and fault injection, all over HTTP. Both tenants are put on one
 * Odoo 18 server (with the Studio fields) for the JSON-RPC tests, and on one Odoo 19 server for
 * the JSON-2 ones (18 has no JSON-2).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { RunningEmulator } from '../../sandbox/kit/emulator';
import { startOdooEmulator } from '../../sandbox/odoo';
import { ALL_CUSTOM_FIELDS } from '../../sandbox/odoo/profiles';
import { buildWorld } from '../../sandbox/world';
import { call, errorData, executeKw, json2, jsonRpc, type OdooCreds } from '../support/odoo-client';

const acmeKey = randomBytes(20).toString('hex');
const globexKey = randomBytes(20).toString('hex');
const acme: OdooCreds = { db: 'acme', uid: 2, password: acmeKey };
const globex: OdooCreds = { db: 'globex', uid: 2, password: globexKey };
const world = buildWorld('acme');
const globexWorld = buildWorld('globex');

type Rec = Record<string, unknown> & { id: number };
let emulator: RunningEmulator;
let url: string;
let emulator19: RunningEmulator;
/** The Odoo 19 server (JSON-2). */
let url19: string;

beforeAll(async () => {
  const tenants = (version: '18.0' | '19.0') => [
    { tenant: 'acme', db: 'acme', login: 'admin', apiKey: acmeKey, profile: { version, customFields: ALL_CUSTOM_FIELDS } },
    { tenant: 'globex', db: 'globex', login: 'admin', apiKey: globexKey, profile: { version } },
  ];
  emulator = await startOdooEmulator({ port: 0, tenants: tenants('18.0') });
  url = emulator.url;
  emulator19 = await startOdooEmulator({ port: 0, tenants: tenants('19.0') });
  url19 = emulator19.url;
});
afterAll(async () => {
  await emulator?.close();
  await emulator19?.close();
});

describe('authentication and tenant isolation', () => {
  it('should answer authenticate with uid 2, or false for a wrong password', async () => {
    const ok = await jsonRpc(url, { service: 'common', method: 'authenticate', args: ['acme', 'admin', acmeKey, {}] });
    expect(ok.body.result).toBe(2);
    const bad = await jsonRpc(url, { service: 'common', method: 'authenticate', args: ['acme', 'admin', 'nope', {}] });
    expect(bad.body).toHaveProperty('result', false);
  });

  it('should answer execute_kw with a wrong password with an AccessDenied envelope', async () => {
    const a = await executeKw(url, { ...acme, password: 'wrong' }, 'res.partner', 'search', [[]]);
    expect(a.status).toBe(200);
    expect(a.body).not.toHaveProperty('result');
    expect(a.body.error).toMatchObject({ code: 200, message: 'Odoo Server Error', data: { name: 'odoo.exceptions.AccessDenied', message: 'Access Denied' } });
    expect(String(errorData(a)?.name)).toBe('odoo.exceptions.AccessDenied');
  });

  it("should refuse acme's key on globex's database", async () => {
    const a = await executeKw(url, { ...globex, password: acmeKey }, 'res.partner', 'read', [[10]], { fields: ['name'] });
    expect(errorData(a)?.name).toBe('odoo.exceptions.AccessDenied');
  });

  it('should give the same partner id different names in each database', async () => {
    const [a] = await call<Rec[]>(url, acme, 'res.partner', 'read', [[world.anchors.smallCustomer]], { fields: ['name'] });
    const [g] = await call<Rec[]>(url, globex, 'res.partner', 'read', [[world.anchors.smallCustomer]], { fields: ['name'] });
    expect(a?.name).toBe('Northwind Traders Ltd');
    expect(g?.name).toBe('Initech LLC');
  });

  it('should list both databases and report the unknown one as psycopg2.OperationalError', async () => {
    expect((await jsonRpc(url, { service: 'db', method: 'list', args: [] })).body.result).toEqual(['acme', 'globex']);
    const a = await jsonRpc(url, { service: 'common', method: 'authenticate', args: ['nope', 'admin', 'x', {}] });
    expect(errorData(a)?.name).toBe('psycopg2.OperationalError');
  });
});

describe('seeded world', () => {
  it('should seed the world partners with their ids, emails and contacts', async () => {
    const big = world.customers.find((c) => c.odooId === world.anchors.bigCustomer)!;
    const [p] = await call<Rec[]>(url, acme, 'res.partner', 'read', [[big.odooId]], {
      fields: ['name', 'email', 'ref', 'is_company', 'child_ids', 'country_id', 'commercial_partner_id'],
    });
    expect(p).toMatchObject({ name: big.name, email: big.email, ref: big.ref, is_company: true, commercial_partner_id: [big.odooId, big.name] });
    expect(new Set(p?.child_ids as number[])).toEqual(new Set(big.contacts.map((c) => c.odooId)));
    const noEmail = await call<Rec[]>(url, acme, 'res.partner', 'read', [[world.anchors.noEmailCustomer]], { fields: ['email'] });
    expect(noEmail[0]?.email).toBe(false);
    const shared = await call<number[]>(url, acme, 'res.partner', 'search', [[['email', '=', world.anchors.sharedEmail.email]]]);
    expect(new Set(shared)).toEqual(new Set(world.anchors.sharedEmail.odooIds));
  });

  it('should hold the order-count anchors', async () => {
    const count = (id: number): Promise<number> => call<number>(url, acme, 'sale.order', 'search_count', [[['partner_id', 'child_of', id]]]);
    expect(await count(world.anchors.bigCustomer)).toBe(150);
    expect(await count(world.anchors.smallCustomer)).toBe(3);
    expect(await call<number>(url, globex, 'sale.order', 'search_count', [[['partner_id', 'child_of', globexWorld.anchors.bigCustomer]]])).toBe(150);
  });

  it('should stock products as the world says', async () => {
    const products = await call<Rec[]>(url, acme, 'product.product', 'read', [world.products.map((p) => p.odooId)], {
      fields: ['default_code', 'qty_available', 'type', 'is_storable', 'x_support_tier', 'display_name'],
    });
    for (const wp of world.products) {
      const p = products.find((x) => x.id === wp.odooId);
      expect(p?.default_code).toBe(wp.sku);
      expect(p?.display_name).toBe(`[${wp.sku}] ${wp.name}`);
      expect(p?.qty_available).toBe(wp.kind === 'storable' ? wp.onHand : 0);
      expect(p?.x_support_tier).toBe(wp.tier ?? false);
    }
    const [oos] = products.filter((p) => p.id === world.anchors.outOfStockProduct);
    expect(oos?.qty_available).toBe(0);
  });

  it('should have orders, deliveries and invoices in every state the flows produce', async () => {
    const orders = await call<Rec[]>(url, acme, 'sale.order', 'read_group', [[], ['amount_total:sum'], ['state']], { lazy: false });
    expect(orders.map((g) => g.state)).toEqual(expect.arrayContaining(['draft', 'sale', 'cancel']));
    const states = await call<Rec[]>(url, acme, 'account.move', 'search_read', [[['move_type', 'in', ['out_invoice', 'out_refund']]]], {
      fields: ['payment_state', 'move_type', 'invoice_date_due', 'state', 'reversed_entry_id'],
    });
    const paymentStates = new Set(states.map((m) => m.payment_state));
    for (const s of ['paid', 'partial', 'not_paid', 'reversed']) expect(paymentStates).toContain(s);
    const today = new Date().toISOString().slice(0, 10);
    expect(states.some((m) => m.payment_state === 'not_paid' && m.move_type === 'out_invoice' && String(m.invoice_date_due) < today)).toBe(true);
    expect(states.some((m) => m.move_type === 'out_refund' && Array.isArray(m.reversed_entry_id))).toBe(true);
    const now = new Date().toISOString().replace('T', ' ').slice(0, 19);
    const late = await call<number>(url, acme, 'stock.picking', 'search_count', [
      [
        ['state', 'in', ['assigned', 'confirmed']],
        ['scheduled_date', '<', now],
        ['picking_type_code', '=', 'outgoing'],
      ],
    ]);
    expect(late).toBeGreaterThan(0);
    const returns = await call<Rec[]>(url, acme, 'stock.picking', 'search_read', [[['return_id', '!=', false]]], {
      fields: ['picking_type_code', 'origin', 'state'],
      limit: 3,
    });
    expect(returns[0]).toMatchObject({ picking_type_code: 'incoming', state: 'done' });
    expect(String(returns[0]?.origin)).toMatch(/^Return of WH\/OUT\/\d{5}$/);
    // tracking numbers come with stock_delivery: globex has it, plain acme has no such field
    expect(await call<number>(url, globex, 'stock.picking', 'search_count', [[['carrier_tracking_ref', '!=', false]]])).toBeGreaterThan(0);
    expect(errorData(await executeKw(url, acme, 'stock.picking', 'search_read', [[]], { fields: ['carrier_tracking_ref'], limit: 1 }))).toMatchObject({
      name: 'builtins.ValueError',
      message: "Invalid field 'carrier_tracking_ref' on model 'stock.picking'",
    });
    expect(await call<number>(url, acme, 'stock.picking', 'search_count', [[['state', '=', 'cancel']]])).toBeGreaterThan(0);
  });

  it('should carry support-plan entitlements, some expired and some active', async () => {
    const lines = await call<Rec[]>(url, acme, 'sale.order.line', 'search_read', [[['x_entitlement_end', '!=', false]]], {
      fields: ['product_id', 'x_entitlement_start', 'x_entitlement_end'],
    });
    const today = new Date().toISOString().slice(0, 10);
    expect(lines.some((l) => String(l.x_entitlement_end) < today)).toBe(true);
    expect(lines.some((l) => String(l.x_entitlement_end) >= today)).toBe(true);
    expect(String((lines[0]?.product_id as [number, string])[1])).toMatch(/^\[SUP-/);
  });
});

describe('domains, order, limit and offset', () => {
  it('should apply prefix |, & and ! and implicit AND', async () => {
    const small = world.customers.find((c) => c.odooId === world.anchors.smallCustomer)!;
    const or = await call<number[]>(url, acme, 'res.partner', 'search', [['|', ['ref', '=', small.ref], ['email', '=', world.anchors.sharedEmail.email]]]);
    expect(new Set(or)).toEqual(new Set([small.odooId, ...world.anchors.sharedEmail.odooIds]));
    const and = await call<number[]>(url, acme, 'res.partner', 'search', [['&', ['is_company', '=', true], ['email', '=', world.anchors.sharedEmail.email]]]);
    const implicit = await call<number[]>(url, acme, 'res.partner', 'search', [
      [
        ['is_company', '=', true],
        ['email', '=', world.anchors.sharedEmail.email],
      ],
    ]);
    expect(and).toEqual(implicit);
    const not = await call<number[]>(url, acme, 'res.partner', 'search', [
      ['!', ['is_company', '=', true], ['parent_id', '=', false], ['customer_rank', '>', 0]],
    ]);
    expect(not).toContain(world.anchors.noEmailCustomer);
    expect(not).not.toContain(world.anchors.smallCustomer);
  });

  it('should follow dotted paths through many2one fields', async () => {
    const big = world.customers.find((c) => c.odooId === world.anchors.bigCustomer)!;
    const contacts = await call<Rec[]>(url, acme, 'res.partner', 'search_read', [[['parent_id.name', '=', big.name]]], { fields: ['parent_id'] });
    expect(contacts.map((c) => c.id).sort()).toEqual(big.contacts.map((c) => c.odooId).sort());
    const orders = await call<number>(url, acme, 'sale.order', 'search_count', [[['partner_id.commercial_partner_id.ref', '=', big.ref]]]);
    expect(orders).toBe(150);
  });

  it('should match ilike case-insensitively on non-ASCII text', async () => {
    const hits = await call<Rec[]>(url, acme, 'res.partner', 'search_read', [[['name', 'ilike', 'ærøSKØBING']]], { fields: ['name'] });
    expect(hits.map((h) => h.name)).toEqual(['Ærøskøbing Trading ApS']);
    const notIlike = await call<number>(url, acme, 'res.partner', 'search_count', [
      [
        ['name', 'not ilike', 'ærøskøbing'],
        ['id', '=', world.anchors.nonAsciiCustomer],
      ],
    ]);
    expect(notIlike).toBe(0);
    expect(await call<number>(url, acme, 'res.partner', 'search_count', [[['name', '=ilike', 'ærøskøbing%']]])).toBe(1);
  });

  it('should honour order, limit and offset', async () => {
    const domain = [['partner_id', 'child_of', world.anchors.bigCustomer]];
    const all = await call<Rec[]>(url, acme, 'sale.order', 'search_read', [domain], { fields: ['date_order', 'name'], order: 'date_order desc, id desc' });
    expect(all).toHaveLength(150);
    const dates = all.map((o) => String(o.date_order));
    expect([...dates].sort().reverse()).toEqual(dates);
    const page = await call<Rec[]>(url, acme, 'sale.order', 'search_read', [domain], {
      fields: ['name'],
      order: 'date_order desc, id desc',
      limit: 10,
      offset: 20,
    });
    expect(page.map((o) => o.id)).toEqual(all.slice(20, 30).map((o) => o.id));
    expect(all.every((o) => /^S\d{5}$/.test(String(o.name)))).toBe(true);
  });

  it('should answer a malformed domain with builtins.ValueError', async () => {
    const a = await executeKw(url, acme, 'res.partner', 'search_read', [[['name', 'bogus', 'x']]], { fields: ['name'] });
    expect(errorData(a)).toMatchObject({ name: 'builtins.ValueError', message: "Invalid leaf ('name', 'bogus', 'x')" });
    const b = await executeKw(url, acme, 'res.partner', 'search', [['|', ['name', '=', 'x']]]);
    expect(errorData(b)).toMatchObject({ name: 'builtins.ValueError', message: "Domain ['|', ['name', '=', 'x']] is syntactically not correct." });
  });
});

describe('errors and records', () => {
  it('should report an unknown model, a missing record and a private method as Odoo does', async () => {
    expect(errorData(await executeKw(url, acme, 'no.model', 'search', [[]]))).toMatchObject({
      name: 'odoo.exceptions.UserError',
      message: "Object no.model doesn't exist",
    });
    expect(await call(url, acme, 'res.partner', 'read', [[987654]], { fields: ['name'] })).toEqual([]);
    expect(errorData(await executeKw(url, acme, 'res.partner', 'write', [[987654], { name: 'x' }]))?.name).toBe('odoo.exceptions.MissingError');
    expect(errorData(await executeKw(url, acme, 'sale.order', '_action_confirm', [[1]]))?.name).toBe('odoo.exceptions.AccessError');
  });

  it('should move write_date on every write and keep the chatter', async () => {
    const id = await call<number>(url, acme, 'res.partner', 'create', [{ name: 'Chatter Test GmbH', is_company: true }]);
    const later = await call<number>(url, acme, 'res.partner', 'create', [{ name: 'Chatter Test Later GmbH', is_company: true }]);
    const [before] = await call<Rec[]>(url, acme, 'res.partner', 'read', [[id], ['write_date']]);
    await call(url, acme, 'res.partner', 'write', [[id], { phone: '+1' }]);
    await call(url, acme, 'res.partner', 'write', [[id], { phone: '+2' }]);
    const [after] = await call<Rec[]>(url, acme, 'res.partner', 'read', [[id], ['write_date', 'phone']]);
    expect(after?.phone).toBe('+2');
    // answered in whole seconds, so the same second reads alike (FACTS 18); the stored value moved
    expect(String(after?.write_date) >= String(before?.write_date)).toBe(true);
    const byWrite = await call<number[]>(url, acme, 'res.partner', 'search', [[['id', 'in', [id, later]]]], { order: 'write_date asc, id asc' });
    expect(byWrite).toEqual([later, id]);
    const messageId = await call<number>(url, acme, 'res.partner', 'message_post', [[id]], {
      body: 'Called <b>them</b>',
      message_type: 'comment',
      subtype_xmlid: 'mail.mt_note',
    });
    expect(typeof messageId).toBe('number');
    const [message] = await call<Rec[]>(
      url,
      acme,
      'mail.message',
      'search_read',
      [
        [
          ['model', '=', 'res.partner'],
          ['res_id', '=', id],
        ],
      ],
      { fields: ['body', 'message_type'] },
    );
    expect(message).toMatchObject({ id: messageId, body: '<p>Called &lt;b&gt;them&lt;/b&gt;</p>', message_type: 'comment' });
  });

  it('should confirm a quotation into a delivery, and ask before cancelling a confirmed order', async () => {
    const product = world.products.find((p) => p.kind === 'storable' && p.onHand > 10)!;
    const orderId = await call<number>(url, acme, 'sale.order', 'create', [
      { partner_id: world.anchors.smallCustomer, order_line: [[0, 0, { product_id: product.odooId, product_uom_qty: 2 }]] },
    ]);
    expect(await call(url, acme, 'sale.order', 'action_confirm', [[orderId]])).toBe(true);
    const [order] = await call<Rec[]>(url, acme, 'sale.order', 'read', [[orderId], ['state', 'picking_ids', 'name']]);
    expect(order?.state).toBe('sale');
    expect(order?.picking_ids).toHaveLength(1);
    const wizard = await call<Rec>(url, acme, 'sale.order', 'action_cancel', [[orderId]]);
    expect(wizard).toMatchObject({ type: 'ir.actions.act_window', res_model: 'sale.order.cancel' });
    expect(await call(url, acme, 'sale.order', 'action_cancel', [[orderId]], { context: { disable_cancel_warning: true } })).toBe(true);
    const again = await executeKw(url, acme, 'sale.order', 'action_confirm', [[orderId]]);
    expect(errorData(again)).toMatchObject({ name: 'odoo.exceptions.UserError', message: 'Some orders are not in a state requiring confirmation.' });
  });
});

describe('transactions and context', () => {
  it('should roll a failed call back entirely, sequence numbers included', async () => {
    const partner = world.anchors.smallCustomer;
    const product = world.products.find((p) => p.kind === 'storable' && p.onHand > 0)!;
    const before = await call<number>(url, acme, 'sale.order', 'search_count', [[]]);
    const failed = await executeKw(url, acme, 'sale.order', 'create', [
      { partner_id: partner, order_line: [[0, 0, { product_id: product.odooId, no_such_field: 1 }]] },
    ]);
    expect(errorData(failed)?.name).toBe('builtins.ValueError');
    expect(await call<number>(url, acme, 'sale.order', 'search_count', [[]])).toBe(before);
    const [last] = await call<Rec[]>(url, acme, 'sale.order', 'search_read', [[]], { fields: ['name'], order: 'id desc', limit: 1 });
    const id = await call<number>(url, acme, 'sale.order', 'create', [{ partner_id: partner }]);
    const [created] = await call<Rec[]>(url, acme, 'sale.order', 'read', [[id], ['name']]);
    expect(Number(String(created?.name).slice(1))).toBe(Number(String(last?.name).slice(1)) + 1);
  });

  it('should compute stock quantities for the location in the context', async () => {
    const product = world.products.find((p) => p.kind === 'storable' && p.onHand > 0)!;
    const at = async (context: Record<string, unknown>): Promise<unknown> =>
      (await call<Rec[]>(url, acme, 'product.product', 'read', [[product.odooId], ['qty_available']], { context }))[0]?.qty_available;
    expect(await at({})).toBe(product.onHand);
    expect(await at({ location: 8 })).toBe(product.onHand);
    expect(await at({ warehouse: 1 })).toBe(product.onHand);
    expect(await at({ location: 14 })).toBe(0);
  });
});

describe('JSON-2', () => {
  it('should answer with bare JSON for a good key', async () => {
    const a = await json2(url19, acmeKey, 'res.partner', 'search_read', { domain: [['id', '=', world.anchors.smallCustomer]], fields: ['name'] }, 'acme');
    expect(a).toEqual({ status: 200, body: [{ id: world.anchors.smallCustomer, name: 'Northwind Traders Ltd' }] });
    const read = await json2(url19, globexKey, 'res.partner', 'read', { ids: [world.anchors.smallCustomer], fields: ['name'] });
    expect(read.body).toEqual([{ id: world.anchors.smallCustomer, name: 'Initech LLC' }]);
  });

  it('should answer 401 for a bad key, 404 for an unknown model, 500 for a bad domain, 422 for ids on a model method', async () => {
    const unauthorized = await json2(url19, 'bad-key', 'res.partner', 'search', { domain: [] });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.body).toMatchObject({ name: 'werkzeug.exceptions.Unauthorized', message: 'Invalid apikey', arguments: ['Invalid apikey', 401] });
    expect((await json2(url19, acmeKey, 'no.model', 'search', { domain: [] })).status).toBe(404);
    const badDomain = await json2(url19, acmeKey, 'res.partner', 'search', { domain: [['nope', '=', 1]] });
    expect(badDomain.status).toBe(500);
    expect(badDomain.body).toMatchObject({ name: 'builtins.ValueError' });
    expect((await json2(url19, acmeKey, 'res.partner', 'search', { ids: [1], domain: [] })).status).toBe(422);
    expect((await json2(url19, acmeKey, 'res.partner', 'write', { ids: [987654], vals: { name: 'x' } })).status).toBe(404);
  });
});

describe('sandbox admin: stats and faults', () => {
  const admin = (path: string, init?: RequestInit): Promise<Response> => fetch(`${url}/__sandbox/${path}`, init);
  const postJson = (path: string, body: unknown): Promise<Response> =>
    admin(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('should count requests per tenant and operation', async () => {
    await admin('reset', { method: 'POST' });
    await call(url, acme, 'sale.order', 'search_read', [[]], { fields: ['name'], limit: 1 });
    await call(url, acme, 'sale.order', 'search_read', [[]], { fields: ['name'], limit: 1 });
    await call(url, globex, 'res.partner', 'search_count', [[]]);
    await executeKw(url, globex, 'res.partner', 'search', [[]], { limit: 1 });
    await executeKw(url, { ...acme, password: 'bad' }, 'res.partner', 'search', [[]]);
    const stats = (await (await admin('stats')).json()) as { requests: Record<string, Record<string, number>> };
    expect(stats.requests.acme?.['sale.order.search_read']).toBe(2);
    expect(stats.requests.globex).toEqual({ 'res.partner.search_count': 1, 'res.partner.search': 1 });
    expect(stats.requests._anonymous?.['res.partner.search']).toBe(1);
  });

  it('should inject an Odoo error envelope, a 5xx, a 429, a reset and a slow answer', async () => {
    await postJson('faults', { tenant: 'acme', op: 'res.partner.search_read', fault: 'error', times: 1 });
    const failed = await executeKw(url, acme, 'res.partner', 'search_read', [[]], { fields: ['name'], limit: 1 });
    expect(failed.status).toBe(200);
    expect(failed.body.error).toMatchObject({ code: 200, message: 'Odoo Server Error', data: { name: 'psycopg2.OperationalError' } });
    expect(await call(url, acme, 'res.partner', 'search_count', [[['id', '=', 1]]])).toBe(1);

    await fetch(`${url19}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: 'acme', op: 'res.partner.search', fault: 'error', times: 1 }),
    });
    expect((await json2(url19, acmeKey, 'res.partner', 'search', { domain: [] })).status).toBe(500);

    await postJson('faults', { tenant: 'globex', op: '*', fault: 'http5xx', status: 502, times: 1 });
    expect((await executeKw(url, globex, 'res.partner', 'search', [[]])).status).toBe(502 as number);
  });

  it('should throttle with 429 and Retry-After, drop connections on reset, and still answer when slow', async () => {
    await postJson('faults', { tenant: 'acme', fault: 'rate_limit', retryAfterSeconds: 7, times: 1 });
    const res = await fetch(`${url}/jsonrpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        params: { service: 'object', method: 'execute_kw', args: ['acme', 2, acmeKey, 'res.partner', 'search', [[]]] },
      }),
    });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    await res.text();

    await postJson('faults', { tenant: 'acme', op: 'res.partner.search', fault: 'reset', times: 1 });
    await expect(executeKw(url, acme, 'res.partner', 'search', [[]])).rejects.toThrow();

    await postJson('faults', { tenant: 'acme', op: 'res.partner.search', fault: 'slow', latencyMs: 50, times: 1 });
    expect(Array.isArray(await call(url, acme, 'res.partner', 'search', [[['id', '=', 1]]]))).toBe(true);
  });

  it('should reseed on reset?data=1', async () => {
    const id = await call<number>(url, globex, 'res.partner', 'create', [{ name: 'Temporary' }]);
    await admin('reset?data=1&faults=1', { method: 'POST' });
    expect(await call(url, globex, 'res.partner', 'read', [[id], ['name']])).toEqual([]);
  });
});

describe('web session and versions', () => {
  it('should serve /web/dataset/call_kw with the session cookie of /web/session/authenticate', async () => {
    const auth = await fetch(`${url}/web/session/authenticate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, params: { db: 'globex', login: 'admin', password: globexKey } }),
    });
    const cookie = auth.headers.get('set-cookie')?.split(';')[0] ?? '';
    expect(((await auth.json()) as { result?: { uid?: unknown } }).result?.uid).toBe(2);
    const a = await jsonRpc(
      url,
      { model: 'res.partner', method: 'read', args: [[world.anchors.smallCustomer], ['name']], kwargs: {} },
      '/web/dataset/call_kw/res.partner/read',
      { cookie },
    );
    expect(a.body.result).toEqual([{ id: world.anchors.smallCustomer, name: 'Initech LLC' }]);
    const expired = await jsonRpc(url, { model: 'res.partner', method: 'read', args: [[1]], kwargs: {} }, '/web/dataset/call_kw', {
      cookie: 'session_id=nope',
    });
    expect(expired.body).toMatchObject({
      id: null,
      error: { code: 100, message: 'Odoo Session Expired', data: { name: 'odoo.http.SessionExpiredException' } },
    });
  });

  it('should answer JSON-2 create and message_post with id lists', async () => {
    const created = await json2(url19, acmeKey, 'res.partner', 'create', { vals_list: [{ name: 'JSON-2 Partner' }] });
    expect(created.status).toBe(200);
    const [id] = created.body as number[];
    const posted = await json2(url19, acmeKey, 'res.partner', 'message_post', { ids: [id], body: 'hello', message_type: 'comment' });
    expect(posted.status).toBe(200);
    expect(posted.body).toEqual([expect.any(Number)]);
  });

  it('should speak Odoo 19 when configured: /web/version and error code 0', async () => {
    const v19 = await startOdooEmulator({
      port: 0,
      tenants: [{ tenant: 'acme', db: 'acme', login: 'admin', apiKey: acmeKey, seed: 'empty', version: '19.0' }],
    });
    try {
      const version = (await (await fetch(`${v19.url}/web/version`)).json()) as unknown;
      expect(version).toEqual({ version_info: [19, 0, 0, 'final', 0, ''], version: '19.0' });
      const common = await jsonRpc(v19.url, { service: 'common', method: 'version', args: [] });
      expect(common.body.result).toMatchObject({ server_serie: '19.0', protocol_version: 1 });
      const failed = await executeKw(v19.url, { db: 'acme', uid: 2, password: 'bad' }, 'res.partner', 'search', [[]]);
      expect(failed.body.error).toMatchObject({ code: 0, data: { name: 'odoo.exceptions.AccessDenied' } });
    } finally {
      await v19.close();
    }
  });

  it('should seed the same world every time', async () => {
    const again = await startOdooEmulator({ port: 0, tenants: [{ tenant: 'acme', db: 'acme', login: 'admin', apiKey: acmeKey }] });
    try {
      const fields = ['name', 'state', 'amount_total', 'partner_id', 'invoice_status'];
      const domain = [['partner_id', 'child_of', world.anchors.bigCustomer]];
      const first = await call<Rec[]>(again.url, acme, 'sale.order', 'search_read', [domain], { fields, order: 'id' });
      await fetch(`${again.url}/__sandbox/reset?data=1`, { method: 'POST' });
      expect(await call<Rec[]>(again.url, acme, 'sale.order', 'search_read', [domain], { fields, order: 'id' })).toEqual(first);
    } finally {
      await again.close();
    }
  });
});
