/**
 * Smaller real-Odoo defects, proved against the emulated Odoo with calls counted: a lookup that finds
 * a record is that request's read of it (no second read, with the entity cache on too); archived
 * partners are found by every lookup, not by id only; a tenant restricted to some companies sees
 * only their records and figures; Odoo's own message is logged with what was asked, never answered.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import pino from 'pino';
import { createMemoryEntityCache, type EntityCache } from '../../cache';
import { startOdooEmulator, type RunningOdooEmulator } from '../../sandbox/odoo';
import { createLogger } from '../../platform/log';
import { createOdooClient } from '../../subgraphs/odoo/client';
import { call } from '../support/odoo-client';
import { opsOf, startOdooHarness, type OdooHarness } from '../support/odoo-subgraph';

describe('Odoo lookups with the entity cache on', () => {
  let h: OdooHarness;
  let cache: EntityCache;
  beforeAll(async () => {
    cache = createMemoryEntityCache({ logger: createLogger('cache-test', 'silent') });
    h = await startOdooHarness({ cache });
  });
  afterAll(async () => {
    await h?.stop();
    await cache?.close();
  });
  beforeEach(async () => {
    await h.reset();
  });

  it('should read a record found by order name, SKU or email once, and a repeat not at all', async () => {
    const acme = h.world('acme');
    const customer = acme.customers.find((c) => c.odooId === acme.anchors.emailOnlyCustomer)!;
    const product = acme.products[0]!;
    const q = `{ orderByName(name: "S00001") { name } product(sku: "${product.sku}") { name } customerByEmail(email: "${String(customer.email)}") { name } }`;
    const cold = await h.query<{ orderByName: { name: string }; product: { name: string }; customerByEmail: { name: string } }>('acme', 'agent', q);
    expect(cold.errors).toBeUndefined();
    expect(cold.data).toEqual({ orderByName: { name: 'S00001' }, product: { name: product.name }, customerByEmail: { name: customer.name } });
    expect(opsOf(await h.stats(), 'acme')).toEqual({ 'sale.order.search_read': 1, 'product.product.search_read': 1, 'res.partner.search_read': 1 });
    await h.reset();
    const warm = await h.query('acme', 'agent', q);
    expect(warm.data).toEqual(cold.data);
    expect(opsOf(await h.stats(), 'acme')).toEqual({});
  });
});

describe('Odoo lookups of archived partners and company restriction', () => {
  let h: OdooHarness;
  beforeAll(async () => {
    // globex restricted to its Danish company (allowed_company_ids [2] on every call).
    h = await startOdooHarness({
      editRegistry: (r) => ({
        tenants: r.tenants.map((t) => (t.id === 'globex' ? { ...t, upstreams: { ...t.upstreams, odoo: { ...t.upstreams.odoo, companies: [2] } } } : t)),
      }),
    });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('should find an archived partner by email as it does by id', async () => {
    const acme = h.world('acme');
    const emails = [...acme.customers.map((c) => c.email), ...acme.customers.flatMap((c) => c.contacts.map((p) => p.email))];
    // A company whose address no other contact shares (with a shared one, the active contact wins).
    const customer = acme.customers.find((c) => c.isCompany && c.email !== false && emails.filter((e) => e === c.email).length === 1)!;
    const creds = h.credentials('acme');
    // Archived the way an Odoo user would: over the API, as the integration user.
    await call(h.emulator.urlOf('acme'), { db: creds.db, uid: 2, password: creds.apiKey }, 'res.partner', 'write', [[customer.odooId], { active: false }]);
    const res = await h.query<{ byId: { name: string } | null; byEmail: { name: string } | null }>(
      'acme',
      'agent',
      `{ byId: customer(id: "${customer.odooId}") { name } byEmail: customerByEmail(email: "${String(customer.email)}") { name } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ byId: { name: customer.name }, byEmail: { name: customer.name } });
  });

  it("should show a company-restricted tenant only that company's balance, in its currency", async () => {
    const globex = h.world('globex');
    const res = await h.query<{
      customer: { balances: Array<{ company: { id: string; currencyCode: string } }>; creditLimit: { amount: number; currencyCode: string } };
    }>(
      'globex',
      'finance',
      `{ customer(id: "${globex.anchors.smallCustomer}") { balances { company { id currencyCode } } creditLimit { amount currencyCode } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.customer.balances).toEqual([{ company: { id: '2', currencyCode: 'DKK' } }]);
    expect(res.data!.customer.creditLimit).toEqual({ amount: 5000, currencyCode: 'DKK' });
    const db = h.emulator.db('globex');
    const usdInvoice = db.all('account.move').find((m) => m['company_id'] === 1 && m['move_type'] === 'out_invoice');
    const hidden = await h.query<{ invoice: unknown }>('globex', 'agent', `{ invoice(id: "${usdInvoice!.id}") { number } }`);
    expect(hidden.data?.invoice).toBeNull();
  });
});

describe("Odoo's own message", () => {
  let emulator: RunningOdooEmulator;
  beforeAll(async () => {
    emulator = await startOdooEmulator({ port: 0, tenants: [{ tenant: 'acme', db: 'acme', login: 'admin@acme.example', apiKey: 'key' }] });
  });
  afterAll(async () => {
    await emulator?.close();
  });

  it('should be logged with tenant, model, method and the fields asked for, and never reach the caller', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const log = pino({ level: 'warn' }, sink).child({ tenant: 'acme' });
    const client = createOdooClient({ url: emulator.urlOf('acme'), db: 'acme', login: 'admin@acme.example', apiKey: 'key', log });
    // A plain Odoo 18 has no stock_delivery: the field the product used to ask for always.
    const err = await client.searchRead('stock.picking', [], { fields: ['name', 'carrier_tracking_ref'], limit: 1 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ message: 'Odoo rejected stock.picking.search_read', extensions: { code: 'UPSTREAM_REJECTED', upstream: 'odoo' } });
    expect(JSON.stringify(err)).not.toMatch(/carrier_tracking_ref|Invalid field/);
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['msg'] === 'odoo call failed');
    expect(logged).toMatchObject({
      tenant: 'acme',
      model: 'stock.picking',
      method: 'search_read',
      fields: ['name', 'carrier_tracking_ref'],
      odooError: 'builtins.ValueError',
      odooMessage: "Invalid field 'carrier_tracking_ref' on model 'stock.picking'",
    });
  });
});
