/**
 * Per-profile truth of the sandbox tenants: one server per version, modules and Studio fields only
 * where installed, Odoo 17's product type, the least-privilege user's rules, two companies.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startOdooEmulator, type RunningOdooEmulator } from '../../sandbox/odoo';
import { buildWorld } from '../../sandbox/world';
import { call, errorData, executeKw, json2, jsonRpc, type OdooCreds } from '../support/odoo-client';

let emulator: RunningOdooEmulator;
const tenants = [
  { tenant: 'acme', db: 'acme', login: 'admin@acme.example', apiKey: 'acme-key' },
  { tenant: 'globex', db: 'globex', login: 'admin@globex.example', apiKey: 'globex-key' },
  { tenant: 'initech', db: 'initech', login: 'gw-sales@initech.example', apiKey: 'initech-key' },
];
const acme: OdooCreds = { db: 'acme', uid: 2, password: 'acme-key' };
const globex: OdooCreds = { db: 'globex', uid: 2, password: 'globex-key' };
const initech: OdooCreds = { db: 'initech', uid: 6, password: 'initech-key' };
type Rec = Record<string, unknown> & { id: number };

beforeAll(async () => {
  emulator = await startOdooEmulator({ port: 0, tenants });
});
afterAll(async () => {
  await emulator?.close();
});

describe('one server per version', () => {
  it('should host each database on the server of its version only', async () => {
    expect(emulator.servers.map((s) => [s.version, s.dbs])).toEqual([
      ['18.0', ['acme']],
      ['19.0', ['globex']],
      ['17.0', ['initech']],
    ]);
    for (const [db, serie] of [
      ['acme', '18.0'],
      ['globex', '19.0'],
      ['initech', '17.0'],
    ] as const) {
      const v = await jsonRpc(emulator.urlOf(db), { service: 'common', method: 'version', args: [] });
      expect(v.body.result).toMatchObject({ server_serie: serie });
      expect((await jsonRpc(emulator.urlOf(db), { service: 'db', method: 'list', args: [] })).body.result).toEqual([db]);
    }
    const other = await executeKw(emulator.urlOf('acme'), globex, 'res.partner', 'search', [[]]);
    expect(errorData(other)?.name).toBe('psycopg2.OperationalError');
  });

  it('should answer /json/2 on 18.0 with the login redirect (one db) and serve it on 19.0', async () => {
    const on18 = await fetch(`${emulator.urlOf('acme')}/json/2/sale.order/search_read`, {
      method: 'POST',
      redirect: 'manual',
      headers: { authorization: 'bearer acme-key', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(on18.status).toBe(303);
    expect(on18.headers.get('location')).toBe('/web/login?redirect=%2Fjson%2F2%2Fsale.order%2Fsearch_read%3F');
    expect((await json2(emulator.urlOf('globex'), 'globex-key', 'res.partner', 'search_count', { domain: [] })).status).toBe(200);
  });
});

describe('models per profile', () => {
  it('should have stock_delivery, delivery and Studio fields only on globex', async () => {
    const plain = await executeKw(emulator.urlOf('acme'), acme, 'stock.picking', 'read', [[1]], { fields: ['carrier_tracking_ref'] });
    expect(errorData(plain)).toMatchObject({ name: 'builtins.ValueError', message: "Invalid field 'carrier_tracking_ref' on model 'stock.picking'" });
    const fields = await call<Record<string, unknown>>(emulator.urlOf('acme'), acme, 'sale.order.line', 'fields_get', [], { attributes: ['type'] });
    expect(Object.keys(fields).filter((f) => f.startsWith('x_') || f === 'is_delivery')).toEqual([]);
    const g = await call<Record<string, Record<string, unknown>>>(emulator.urlOf('globex'), globex, 'sale.order.line', 'fields_get', [], {
      attributes: ['type', 'string', 'store'],
    });
    expect(g.x_entitlement_start).toEqual({ store: true, string: 'Entitlement Start', type: 'date' });
    expect(g.is_delivery).toBeDefined();
    const modules = await call<Rec[]>(
      emulator.urlOf('globex'),
      globex,
      'ir.module.module',
      'search_read',
      [[['name', 'in', ['delivery', 'stock_delivery', 'account_accountant']]]],
      { fields: ['name', 'state'], order: 'name' },
    );
    expect(modules.map((m) => [m.name, m.state])).toEqual([
      ['delivery', 'installed'],
      ['stock_delivery', 'installed'],
    ]);
  });

  it('should give Odoo 17 its product type and no is_storable', async () => {
    const f = await call<Record<string, { selection?: unknown }>>(emulator.urlOf('initech'), initech, 'product.product', 'fields_get', [], {
      attributes: ['selection'],
    });
    expect(f.type?.selection).toEqual([
      ['consu', 'Consumable'],
      ['service', 'Service'],
      ['product', 'Storable Product'],
    ]);
    expect(f.detailed_type).toBeDefined();
    expect(f.is_storable).toBeUndefined();
  });
});

describe('least privilege (initech, uid 6)', () => {
  it('should hide accounting fields from fields_get and refuse them in a read', async () => {
    const f = await call<Record<string, unknown>>(emulator.urlOf('initech'), initech, 'res.partner', 'fields_get', [], { attributes: ['type'] });
    expect(f.credit_limit).toBeUndefined();
    const a = await executeKw(emulator.urlOf('initech'), initech, 'res.partner', 'search_read', [[]], { fields: ['name', 'credit_limit'], limit: 1 });
    expect(errorData(a)?.message).toBe(
      "You do not have enough rights to access the fields \"credit_limit\" on Contact (res.partner). Please contact your system administrator.\n\nOperation: read\nUser: 6\nFields:\n- credit_limit (allowed for groups 'Technical / Show Accounting Features - Readonly', 'Invoicing / Invoicing')",
    );
  });

  it("should see its own orders only, keep one per anchor, and refuse reading another salesperson's", async () => {
    const url = emulator.urlOf('initech');
    const mine = await call<Rec[]>(url, initech, 'sale.order', 'search_read', [[]], { fields: ['user_id', 'partner_id'] });
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((o) => o.user_id === false || (o.user_id as [number, string])[0] === 6)).toBe(true);
    const world = buildWorld('initech');
    expect(await call<number>(url, initech, 'sale.order', 'search_count', [[['partner_id', 'child_of', world.anchors.smallCustomer]]])).toBeGreaterThan(0);
    const all = emulator.db('initech').all('sale.order');
    const other = all.find((o) => o.user_id === 2);
    expect(other).toBeDefined();
    expect(all.length).toBeGreaterThan(mine.length);
    const hidden = await executeKw(url, initech, 'sale.order', 'read', [[other?.id ?? 0]], { fields: ['name'] });
    expect(errorData(hidden)?.name).toBe('odoo.exceptions.AccessError');
    expect(String(errorData(hidden)?.message)).toMatch(
      /^Uh-oh! Looks like you have stumbled upon some top-secret records\.\n\nSorry, .* \(id=6\) doesn't have 'read' access to:\n- Sales Order, S\d+ \(sale\.order: \d+\)\n\nBlame the following rules:\n- Personal Orders/,
    );
    const me = await call<Rec[]>(url, initech, 'res.users', 'read', [[6]], { fields: ['groups_id'] });
    const xmlids = await call<Rec[]>(
      url,
      initech,
      'ir.model.data',
      'search_read',
      [
        [
          ['model', '=', 'res.groups'],
          ['res_id', 'in', me[0]?.groups_id as number[]],
        ],
      ],
      { fields: ['module', 'name'] },
    );
    expect(xmlids.map((x) => `${String(x.module)}.${String(x.name)}`).sort()).toEqual([
      'base.group_no_one',
      'base.group_user',
      'sales_team.group_sale_salesman',
      'stock.group_stock_user',
    ]);
  });
});

describe('two companies (globex)', () => {
  it('should filter by allowed_company_ids, number per company and keep credit limits per company', async () => {
    const url = emulator.urlOf('globex');
    const companies = await call<Rec[]>(url, globex, 'res.company', 'search_read', [[]], { fields: ['name', 'currency_id'], order: 'id' });
    expect(companies.map((c) => (c.currency_id as [number, string])[1])).toEqual(['USD', 'DKK']);
    const c2 = await call<Rec[]>(url, globex, 'account.move', 'search_read', [[['move_type', '=', 'out_invoice']]], {
      fields: ['name', 'company_id'],
      context: { allowed_company_ids: [2] },
    });
    expect(c2.length).toBeGreaterThan(0);
    expect(c2.every((m) => (m.company_id as [number, string])[0] === 2)).toBe(true);
    const c1 = await call<Rec[]>(url, globex, 'account.move', 'search_read', [[['move_type', '=', 'out_invoice']]], {
      fields: ['name'],
      context: { allowed_company_ids: [1] },
    });
    const year = String(c2[0]?.name).slice(4, 8);
    expect(c1.some((m) => m.name === `INV/${year}/00001`) && c2.some((m) => m.name === `INV/${year}/00001`)).toBe(true);
    const world = buildWorld('globex');
    const limit = async (company: number): Promise<unknown> =>
      (
        await call<Rec[]>(url, globex, 'res.partner', 'read', [[world.anchors.smallCustomer]], {
          fields: ['credit_limit'],
          context: { allowed_company_ids: [company] },
        })
      )[0]?.credit_limit;
    expect([await limit(1), await limit(2)]).toEqual([1000, 5000]);
    const refunds = await call<Rec[]>(
      url,
      globex,
      'account.move',
      'search_read',
      [
        [
          ['move_type', '=', 'out_refund'],
          ['state', '=', 'posted'],
        ],
      ],
      { fields: ['amount_total', 'amount_total_signed'], limit: 1 },
    );
    expect(Number(refunds[0]?.amount_total_signed)).toBe(-Number(refunds[0]?.amount_total));
  });

  it('should seed a customer return and a vendor receipt from an anchor customer', async () => {
    const url = emulator.urlOf('acme');
    const returns = await call<Rec[]>(url, acme, 'stock.picking', 'search_read', [[['return_id', '!=', false]]], {
      fields: ['origin', 'picking_type_code'],
      limit: 1,
    });
    expect(returns[0]).toMatchObject({ picking_type_code: 'incoming', origin: expect.stringMatching(/^Return of WH\/OUT\//) });
    const receipts = await call<Rec[]>(
      url,
      acme,
      'stock.picking',
      'search_read',
      [
        [
          ['picking_type_code', '=', 'incoming'],
          ['return_id', '=', false],
        ],
      ],
      { fields: ['partner_id', 'location_id'] },
    );
    expect(receipts[0]?.partner_id).toEqual([buildWorld('acme').anchors.bigCustomer, expect.any(String)]);
    expect((receipts[0]?.location_id as [number, string])[1]).toBe('Partners/Vendors');
  });
});
