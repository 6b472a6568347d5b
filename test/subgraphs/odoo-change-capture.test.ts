/**
 * Odoo change capture (subgraphs/odoo/change-capture.ts) against the sandbox Odoo emulator, the
 * three sandbox tenants (acme: Odoo 18, globex: Odoo 19 over JSON-2 with stock_delivery, initech:
 * Odoo 17 as the least-privilege user), and real Redis at 127.0.0.1:6379 for the replica tests
 * (under this run's own key prefix, removed afterwards). Changes are made the way any Odoo user
 * makes them, through JSON-RPC `execute_kw ... write`; passes are driven one at a time with
 * `runPass()`, so nothing here waits for a timer.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createMemoryEntityCache, entityKey, type EntityCache } from '../../cache';
import { createMemoryChangeCapture, createRedisChangeCapture, type RedisChangeCapture } from '../../cache/capture';
import type { ChangeCapture, ChangeEvent, EventBus } from '../../cache/events';
import { redisClientOptions } from '../../cache/redis-cache';
import { mintSandboxSecrets, sandboxCredentials } from '../../sandbox/credentials';
import { startOdooEmulator, type RunningOdooEmulator } from '../../sandbox/odoo';
import { createOdooChangePoller, type OdooChangePoller, type OdooChangePollerOptions } from '../../subgraphs/odoo/change-capture';
import { odooCaptureMetrics } from '../../subgraphs/odoo/change-metrics';
import { captureKeys, decodeCursor } from '../../subgraphs/odoo/change-state';
import { startOdooSubgraph } from '../../subgraphs/odoo/server';
import { createOdooUpstream } from '../../subgraphs/odoo/upstream';
import { INTERNAL_IDENTITY_HEADER, internalAudience, internalKey, signInternalToken } from '../../tenancy/identity';
import { loadRegistry, tenantLookup, withUpstreamUrls, type TenantConfig, type TenantRegistry } from '../../tenancy/registry';
import { capturingLogger, counterValue, SHARED_REDIS_URL, silentLogger, waitFor } from '../cache/helpers';
import { emulatorStats, injectFault, postGraphQL, resetEmulator } from '../support/http';
import { call, type OdooCreds } from '../support/odoo-client';
import { SANDBOX_REGISTRY } from '../support/odoo-subgraph';

type Tenant = 'acme' | 'globex' | 'initech';
type Rec = Record<string, unknown> & { id: number };

const base = loadRegistry(SANDBOX_REGISTRY);
const env = mintSandboxSecrets(base, {});
const secrets = { env };
const creds = sandboxCredentials(base, { env });
/** The emulator's clock: the real one, unless a test pins it to keep writes within one second. */
let pinned: Date | undefined;
let emulator: RunningOdooEmulator;
let tenantOf: (id: string) => TenantConfig | undefined;
const pollers: OdooChangePoller[] = [];
const captures: ChangeCapture[] = [];

// A loaded machine must not turn a slow answer into a failed pass: every Odoo call gets a minute.
jest.setTimeout(120_000);

/** The sandbox registry pointing at this file's emulator. */
const upstreamRegistry = (): TenantRegistry => {
  const registry = withUpstreamUrls(base, {
    odoo: (t) => emulator.urlOf(t.upstreams.odoo.db),
    salesforce: 'http://127.0.0.1:9',
    zendesk: 'http://127.0.0.1:9',
  });
  return { ...registry, tenants: registry.tenants.map((t) => ({ ...t, upstreams: { ...t.upstreams, odoo: { ...t.upstreams.odoo, timeoutMs: 60_000 } } })) };
};

beforeAll(async () => {
  emulator = await startOdooEmulator({ port: 0, tenants: creds.odoo, clock: () => pinned ?? new Date() });
  tenantOf = tenantLookup(upstreamRegistry());
});
afterEach(async () => {
  pinned = undefined;
  await Promise.all(pollers.splice(0).map((p) => p.stop()));
  await Promise.all(captures.splice(0).map((c) => c.close()));
  await resetEmulator(emulator.url, { faults: true });
});
afterAll(async () => {
  await emulator?.close();
});

/** How the tenant's integration user calls its Odoo over JSON-RPC (initech's is uid 6, Own Documents Only). */
function odooUser(tenant: Tenant): { url: string; c: OdooCreds } {
  const o = creds.odoo.find((x) => x.tenant === tenant);
  if (!o) throw new RangeError(tenant);
  return { url: emulator.urlOf(o.db), c: { db: o.db, uid: tenant === 'initech' ? 6 : 2, password: o.apiKey } };
}

const odoo = <T = unknown>(tenant: Tenant, model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}): Promise<T> => {
  const { url, c } = odooUser(tenant);
  return call<T>(url, c, model, method, args, kwargs);
};

const memoryCapture = (clock?: () => number): ChangeCapture => {
  const capture = createMemoryChangeCapture({ logger: silentLogger, ...(clock ? { clock } : {}) });
  captures.push(capture);
  return capture;
};

/** A poller of `tenant` with its own Odoo client, as one replica has. */
function poller(tenant: Tenant, capture: ChangeCapture, extra: Partial<OdooChangePollerOptions> = {}): OdooChangePoller {
  const p = createOdooChangePoller({
    tenant,
    upstream: createOdooUpstream(tenantOf(tenant)!, secrets, silentLogger),
    capture,
    log: silentLogger,
    // No timer runs here (passes are driven); a long interval keeps the lease (3 x interval) from
    // expiring between two driven passes on a loaded machine.
    intervalMs: 60_000,
    ...extra,
  });
  pollers.push(p);
  return p;
}

/** Every event of `tenant` on `bus`, from now on. */
function collect(bus: EventBus, tenant: string): { events: ChangeEvent[]; ready: Promise<void> } {
  const events: ChangeEvent[] = [];
  const sub = bus.subscribe([tenant], (e) => events.push(e)) as { ready?: Promise<void> };
  return { events, ready: sub.ready ?? Promise.resolve() };
}

/** Lets the in-process bus hand out what was published (it delivers on microtasks). */
const delivered = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** An order whose customer is a contact person of a company (so its commercial partner differs). */
async function orderOfContactPerson(tenant: Tenant): Promise<{ order: number; contact: number; company: number }> {
  const people = await odoo<Rec[]>(tenant, 'res.partner', 'search_read', [[['parent_id', '!=', false]]], { fields: ['commercial_partner_id'] });
  const companyOf = new Map(people.map((p) => [p.id, (p['commercial_partner_id'] as [number, string])[0]]));
  const orders = await odoo<Rec[]>(tenant, 'sale.order', 'search_read', [[['partner_id', 'in', [...companyOf.keys()]]]], {
    fields: ['partner_id'],
    order: 'id asc',
    limit: 1,
  });
  const order = orders[0];
  if (!order) throw new Error(`${tenant}: no order of a contact person`);
  const contact = (order['partner_id'] as [number, string])[0];
  return { order: order.id, contact, company: companyOf.get(contact)! };
}

/** Every public Order field acme's Odoo feeds: what a change of an order capture has not seen before names. */
const ORDER_FIELDS = [
  'name',
  'state',
  'orderedAt',
  'customer',
  'lines',
  'invoices',
  'deliveries',
  'amountUntaxed',
  'amountTotal',
  'margin',
  'marginPercent',
  'invoiceStatus',
  'clientOrderRef',
  'locked',
  'company',
];

/** Pins the emulator clock 100 ms into the next whole second: every write until unpinned shares that second. */
function pinToOneSecond(): void {
  pinned = new Date(Math.ceil(Date.now() / 1000) * 1000 + 100);
}

describe('publishing what changed', () => {
  it('should start at the newest record without replaying history, then publish each write once with its public fields and the commercial customer', async () => {
    const capture = memoryCapture();
    const { events } = collect(capture.bus, 'acme');
    const p = poller('acme', capture);
    expect(await p.runPass()).toEqual({ outcome: 'idle', published: 0 });
    const { order, contact, company } = await orderOfContactPerson('acme');
    expect(contact).not.toBe(company);

    // A record capture has not seen before: its previous state is unknown, so every tracked field.
    await odoo('acme', 'sale.order', 'write', [[order], { client_order_ref: 'PO-CAPTURE-0' }]);
    expect(await p.runPass()).toEqual({ outcome: 'published', published: 1 });
    await delivered();
    expect(events[0]).toMatchObject({ type: 'Order', id: String(order), kind: 'updated', changedFields: ORDER_FIELDS });

    await odoo('acme', 'sale.order', 'write', [[order], { client_order_ref: 'PO-CAPTURE-1' }]);
    expect(await p.runPass()).toEqual({ outcome: 'published', published: 1 });
    await delivered();
    const [written] = await odoo<Rec[]>('acme', 'sale.order', 'read', [[order], ['write_date']]);
    expect(events[1]).toEqual({
      tenant: 'acme',
      type: 'Order',
      id: String(order),
      kind: 'updated',
      changedFields: ['clientOrderRef'],
      source: 'odoo',
      at: `${String(written?.['write_date']).replace(' ', 'T')}Z`,
      capturedAt: expect.any(Number),
      customer: { id: String(company) },
    });

    // The next pass reads the same record again (the overlap window) and publishes nothing.
    const cursor = decodeCursor(await capture.state.get(captureKeys.cursor('acme', 'sale.order')));
    expect(cursor).toEqual({ writeDate: written?.['write_date'], id: order });
    expect(await p.runPass()).toEqual({ outcome: 'idle', published: 0 });
    await delivered();
    expect(events).toHaveLength(2);
  });

  it('should publish again a second write within the same second (stored microseconds, answered in seconds)', async () => {
    const capture = memoryCapture();
    const { events } = collect(capture.bus, 'acme');
    const p = poller('acme', capture);
    await p.runPass();
    const { order } = await orderOfContactPerson('acme');
    pinToOneSecond();
    await odoo('acme', 'sale.order', 'write', [[order], { client_order_ref: 'SAME-SECOND-1' }]);
    const [first] = await odoo<Rec[]>('acme', 'sale.order', 'read', [[order], ['write_date']]);
    expect(await p.runPass()).toEqual({ outcome: 'published', published: 1 });
    await odoo('acme', 'sale.order', 'write', [[order], { client_order_ref: 'SAME-SECOND-2', note: 'not tracked' }]);
    const [second] = await odoo<Rec[]>('acme', 'sale.order', 'read', [[order], ['write_date']]);
    expect(second?.['write_date']).toBe(first?.['write_date']);
    expect(await p.runPass()).toEqual({ outcome: 'published', published: 1 });
    await delivered();
    expect(events.map((e) => [e.id, e.changedFields])).toEqual([
      [String(order), expect.arrayContaining(['clientOrderRef'])],
      [String(order), ['clientOrderRef']],
    ]);
  });

  it('should not publish a write of an untracked field, and publish a new record as created with every tracked field', async () => {
    const capture = memoryCapture();
    const { events } = collect(capture.bus, 'acme');
    const p = poller('acme', capture);
    await p.runPass();
    const { order, company } = await orderOfContactPerson('acme');
    await odoo('acme', 'sale.order', 'write', [[order], { note: 'internal remark, no public field' }]);
    expect(await p.runPass()).toEqual({ outcome: 'idle', published: 0 });

    const created = await odoo<number>('acme', 'sale.order', 'create', [{ partner_id: company }]);
    expect(await p.runPass()).toEqual({ outcome: 'published', published: 1 });
    await delivered();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'Order', id: String(created), kind: 'created', customer: { id: String(company) } });
    expect(events[0]?.changedFields).toEqual(ORDER_FIELDS);
  });

  it('should publish invoices and deliveries under their public names, never asking this Odoo 18 for a field it lacks', async () => {
    const capture = memoryCapture();
    const { events } = collect(capture.bus, 'acme');
    const p = poller('acme', capture);
    await p.runPass();
    const [invoice] = await odoo<Rec[]>('acme', 'account.move', 'search_read', [[['move_type', '=', 'out_invoice']]], {
      fields: ['commercial_partner_id'],
      limit: 1,
    });
    const [picking] = await odoo<Rec[]>('acme', 'stock.picking', 'search_read', [[['picking_type_code', '=', 'outgoing']]], {
      fields: ['partner_id'],
      limit: 1,
    });
    for (const origin of ['S-CAPTURE-1', 'S-CAPTURE-2']) {
      await odoo('acme', 'account.move', 'write', [[invoice!.id], { invoice_origin: origin }]);
      await odoo('acme', 'stock.picking', 'write', [[picking!.id], { origin }]);
      expect(await p.runPass()).toEqual({ outcome: 'published', published: 2 });
    }
    await delivered();
    expect(events.slice(0, 2).map((e) => [e.type, e.id])).toEqual([
      ['Invoice', String(invoice!.id)],
      ['Delivery', String(picking!.id)],
    ]);
    // Without stock_delivery, the transfer's tracking reference is no tracked field here.
    expect(events[1]?.changedFields).not.toContain('trackingRef');
    const [partner] = await odoo<Rec[]>('acme', 'res.partner', 'read', [[(picking!['partner_id'] as [number])[0]], ['commercial_partner_id']]);
    expect(events.slice(2).map((e) => [e.type, e.id, e.changedFields, e.customer?.id])).toEqual([
      ['Invoice', String(invoice!.id), ['origin'], String((invoice!['commercial_partner_id'] as [number])[0])],
      ['Delivery', String(picking!.id), ['origin'], String((partner!['commercial_partner_id'] as [number])[0])],
    ]);
    // acme has no stock_delivery: carrier_tracking_ref was never asked for (Odoo would refuse the whole read).
    const stats = await emulatorStats(emulator.url);
    expect(stats['acme']?.['stock.picking.search_read']).toBeGreaterThan(0);
  });

  it('should fingerprint the whole overlap window on a first start, however small the page, so nothing of it is replayed', async () => {
    const { company } = await orderOfContactPerson('acme');
    pinToOneSecond();
    for (let i = 0; i < 3; i++) await odoo<number>('acme', 'sale.order', 'create', [{ partner_id: company, client_order_ref: `HISTORY-${i}` }]);
    const capture = memoryCapture();
    const { events } = collect(capture.bus, 'acme');
    const p = poller('acme', capture, { pageSize: 1 });
    expect(await p.runPass()).toEqual({ outcome: 'idle', published: 0 });
    expect(await p.runPass()).toEqual({ outcome: 'idle', published: 0 });
    expect(events).toEqual([]);
  });

  it('should page through a full second without missing or repeating a record', async () => {
    const capture = memoryCapture();
    const { events } = collect(capture.bus, 'acme');
    const p = poller('acme', capture, { pageSize: 2 });
    await p.runPass();
    const { company } = await orderOfContactPerson('acme');
    pinToOneSecond();
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push(await odoo<number>('acme', 'sale.order', 'create', [{ partner_id: company, client_order_ref: `BULK-${i}` }]));
    await resetEmulator(emulator.url);
    expect(await p.runPass()).toEqual({ outcome: 'published', published: 5 });
    await delivered();
    expect(events.map((e) => Number(e.id)).sort((a, b) => a - b)).toEqual(ids);
    expect((await emulatorStats(emulator.url))['acme']?.['sale.order.search_read']).toBeGreaterThanOrEqual(3);
  });
});

describe('cursor and replicas', () => {
  it('should keep its cursor across a restart: nothing published again, nothing missed', async () => {
    const capture = memoryCapture();
    const { events } = collect(capture.bus, 'acme');
    const first = poller('acme', capture);
    await first.runPass();
    const { order } = await orderOfContactPerson('acme');
    await odoo('acme', 'sale.order', 'write', [[order], { client_order_ref: 'BEFORE-RESTART' }]);
    expect(await first.runPass()).toEqual({ outcome: 'published', published: 1 });
    await first.stop();
    expect(await first.runPass()).toEqual({ outcome: 'stopped', published: 0 });

    // Written while no poller runs.
    await odoo('acme', 'sale.order', 'write', [[order], { client_order_ref: 'WHILE-DOWN' }]);
    const second = poller('acme', capture);
    expect(await second.runPass()).toEqual({ outcome: 'published', published: 1 });
    expect(await second.runPass()).toEqual({ outcome: 'idle', published: 0 });
    await delivered();
    // The second event names only the field written while down: the fingerprint survived too.
    expect(events.map((e) => [e.id, e.changedFields])).toEqual([
      [String(order), expect.arrayContaining(['clientOrderRef'])],
      [String(order), ['clientOrderRef']],
    ]);
  });

  describe('on one Redis', () => {
    const prefix = `odoo-capture-test-${randomBytes(4).toString('hex')}:`;
    const clients: Redis[] = [];
    const redisCapture = (): RedisChangeCapture => {
      const client = new Redis(SHARED_REDIS_URL, { ...redisClientOptions(), keyPrefix: prefix });
      client.on('error', () => undefined);
      clients.push(client);
      const capture = createRedisChangeCapture({ client, logger: silentLogger });
      captures.push(capture);
      return capture;
    };
    afterAll(async () => {
      const admin = new Redis(SHARED_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await admin.connect();
      let cursor = '0';
      do {
        const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        cursor = next;
        if (keys.length) await admin.unlink(...keys);
      } while (cursor !== '0');
      await admin.quit();
      await Promise.all(clients.map((c) => c.quit()));
    });

    it('should let one replica poll a tenant; when it stops, the other takes over and publishes the next change', async () => {
      const a = redisCapture();
      const b = redisCapture();
      const { events, ready } = collect(a.bus, 'acme');
      await ready;
      const pa = poller('acme', a, { holder: 'replica-a' });
      const pb = poller('acme', b, { holder: 'replica-b' });
      expect((await pa.runPass()).outcome).toBe('idle');
      expect(await pb.runPass()).toEqual({ outcome: 'standby', published: 0 });
      const { order } = await orderOfContactPerson('acme');
      await odoo('acme', 'sale.order', 'write', [[order], { client_order_ref: 'BEFORE-HANDOVER' }]);
      expect(await pa.runPass()).toEqual({ outcome: 'published', published: 1 });
      expect((await pb.runPass()).outcome).toBe('standby');

      await resetEmulator(emulator.url);
      for (let i = 0; i < 3; i++) {
        expect((await pa.runPass()).outcome).toBe('idle');
        expect((await pb.runPass()).outcome).toBe('standby');
      }
      // Three passes read orders once each: the standby replica asked Odoo nothing.
      expect((await emulatorStats(emulator.url))['acme']?.['sale.order.search_read']).toBe(3);
      expect([pa.holdsLease, pb.holdsLease]).toEqual([true, false]);

      await odoo('acme', 'sale.order', 'write', [[order], { client_order_ref: 'AFTER-HANDOVER' }]);
      await pa.stop();
      expect(await pb.runPass()).toEqual({ outcome: 'published', published: 1 });
      expect(pb.holdsLease).toBe(true);
      await waitFor('the events on the Redis bus', () => events.length >= 2);
      // Cursor and fingerprints are shared: the other replica publishes just what changed since.
      expect(events.map((e) => [e.type, e.id, e.changedFields])).toEqual([
        ['Order', String(order), expect.arrayContaining(['clientOrderRef'])],
        ['Order', String(order), ['clientOrderRef']],
      ]);
      expect(await pb.runPass()).toEqual({ outcome: 'idle', published: 0 });
    });
  });

  it('should let another replica take over within the lease ttl when the holder dies without releasing', async () => {
    let now = Date.now();
    const capture = memoryCapture(() => now);
    const { events } = collect(capture.bus, 'acme');
    const holder = poller('acme', capture, { holder: 'dies', clock: () => now, intervalMs: 2_000 });
    const other = poller('acme', capture, { holder: 'survives', clock: () => now, intervalMs: 2_000 });
    expect((await holder.runPass()).outcome).toBe('idle');
    // The holder dies here: it never runs (nor releases) again.
    expect((await other.runPass()).outcome).toBe('standby');
    const { order } = await orderOfContactPerson('acme');
    await odoo('acme', 'sale.order', 'write', [[order], { client_order_ref: 'AFTER-CRASH' }]);
    now += 4_000;
    expect((await other.runPass()).outcome).toBe('standby');
    now += 2_000; // past the lease ttl: 3 x 2 s, at least 5 s
    expect(await other.runPass()).toEqual({ outcome: 'published', published: 1 });
    await delivered();
    expect(events.map((e) => e.id)).toEqual([String(order)]);
  });
});

describe('the entity cache', () => {
  it('should invalidate the changed order before the event is handed out (the push shows the new value), naming the fields changed since it was cached', async () => {
    const cache: EntityCache = createMemoryEntityCache();
    const inner = createMemoryChangeCapture({ logger: silentLogger });
    captures.push(inner);
    const atPublish: Array<{ id: string; cached: boolean }> = [];
    const capture: ChangeCapture = {
      ...inner,
      bus: {
        ...inner.bus,
        async publish(event) {
          const [entry] = await cache.getMany([entityKey(event.tenant, event.type, event.id)]);
          atPublish.push({ id: event.id, cached: entry !== undefined });
          return inner.bus.publish(event);
        },
      },
    };
    const identityKey = internalKey('test-internal-secret-0123456789-abcdefghij');
    const registry = upstreamRegistry();
    const subgraph = await startOdooSubgraph({ port: 0, registry, secrets, identityKey, cache, capture, captureIntervalMs: 3_600_000, log: silentLogger });
    try {
      expect(subgraph.capture?.pollers.size).toBe(3);
      const query = async (id: number) => {
        const token = await signInternalToken({ tenant: 'acme', subject: 'agent-1', roles: ['agent'], scopes: [] }, identityKey, internalAudience('odoo'));
        return postGraphQL<{ order: { clientOrderRef: string | null } }>(
          subgraph.url,
          'query($id: ID!) { order(id: $id) { id clientOrderRef } }',
          { id: String(id) },
          {
            [INTERNAL_IDENTITY_HEADER]: token,
          },
        );
      };
      await subgraph.capture?.runPass('acme'); // after the start's own first pass: cursors set
      const { order, company } = await orderOfContactPerson('acme');
      const before = await query(order);
      expect(before.errors).toBeUndefined();
      const key = entityKey('acme', 'Order', order);
      expect((await cache.getMany([key]))[0]).toBeDefined();

      await odoo('acme', 'sale.order', 'write', [[order], { client_order_ref: 'PUSHED-FRESH' }]);
      expect(await subgraph.capture?.runPass('acme')).toEqual({ outcome: 'published', published: 1 });
      expect(atPublish).toEqual([{ id: String(order), cached: false }]);
      expect((await cache.getMany([entityKey('acme', 'Customer', company)]))[0]).toBeUndefined();
      expect((await query(order)).data?.order.clientOrderRef).toBe('PUSHED-FRESH');
    } finally {
      await subgraph.stop();
      await cache.close();
    }
    // stop() released the lease: a new replica takes it at once.
    expect(await inner.leases.acquire(captureKeys.lease('acme'), 'next-replica', 5_000)).toBe(true);
  });
});

describe('every kind of tenant', () => {
  it('should capture as the least-privilege user of an Odoo 17 (own documents only) without an error', async () => {
    const capture = memoryCapture();
    const { events } = collect(capture.bus, 'initech');
    const p = poller('initech', capture);
    expect((await p.runPass()).outcome).toBe('idle');
    const mine = await odoo<Rec[]>('initech', 'sale.order', 'search_read', [[]], { fields: ['partner_id'], limit: 1, order: 'id asc' });
    const order = mine[0]!;
    for (const ref of ['INITECH-CAPTURE-1', 'INITECH-CAPTURE-2']) {
      await odoo('initech', 'sale.order', 'write', [[order.id], { client_order_ref: ref }]);
      expect(await p.runPass()).toEqual({ outcome: 'published', published: 1 });
    }
    await delivered();
    const [partner] = await odoo<Rec[]>('initech', 'res.partner', 'read', [[(order['partner_id'] as [number])[0]], ['commercial_partner_id']]);
    expect(events.map((e) => [e.type, e.id, e.customer?.id])).toEqual([
      ['Order', String(order.id), String((partner!['commercial_partner_id'] as [number])[0])],
      ['Order', String(order.id), String((partner!['commercial_partner_id'] as [number])[0])],
    ]);
    expect(events[1]?.changedFields).toEqual(['clientOrderRef']);
    expect(await counterValue(odooCaptureMetrics.passes, { tenant: 'initech', outcome: 'error' })).toBe(0);
  });

  it('should capture an Odoo 19 over JSON-2, with the tracking reference its stock_delivery has', async () => {
    const capture = memoryCapture();
    const { events } = collect(capture.bus, 'globex');
    const p = poller('globex', capture);
    expect((await p.runPass()).outcome).toBe('idle');
    const [picking] = await odoo<Rec[]>('globex', 'stock.picking', 'search_read', [[['picking_type_code', '=', 'outgoing']]], { fields: ['id'], limit: 1 });
    for (const ref of ['1Z999AA10123456784', '1Z999AA10123456785']) {
      await odoo('globex', 'stock.picking', 'write', [[picking!.id], { carrier_tracking_ref: ref }]);
      expect(await p.runPass()).toEqual({ outcome: 'published', published: 1 });
    }
    await delivered();
    expect(events[0]?.changedFields).toContain('trackingRef');
    expect(events.map((e) => [e.type, e.id])).toEqual([
      ['Delivery', String(picking!.id)],
      ['Delivery', String(picking!.id)],
    ]);
    expect(events[1]?.changedFields).toEqual(['trackingRef']);
    expect((await emulatorStats(emulator.url))['globex']?.['stock.picking.search_read']).toBeGreaterThan(0);
  });
});

describe('support plans', () => {
  it("should publish a change of a plan line (what entitlements are read from) as its order's `lines`", async () => {
    const capture = memoryCapture();
    const { events } = collect(capture.bus, 'globex');
    const p = poller('globex', capture);
    expect((await p.runPass()).outcome).toBe('idle');
    const [line] = await odoo<Rec[]>('globex', 'sale.order.line', 'search_read', [[['x_entitlement_start', '!=', false]]], {
      fields: ['order_id', 'order_partner_id'],
      limit: 1,
    });
    const order = (line!['order_id'] as [number])[0];
    for (const end of ['2031-12-31', '2032-12-31']) {
      await odoo('globex', 'sale.order.line', 'write', [[line!.id], { x_entitlement_end: end }]);
      expect(await p.runPass()).toEqual({ outcome: 'published', published: 1 });
    }
    await delivered();
    const [partner] = await odoo<Rec[]>('globex', 'res.partner', 'read', [[(line!['order_partner_id'] as [number])[0]], ['commercial_partner_id']]);
    const customer = String((partner!['commercial_partner_id'] as [number])[0]);
    expect(events.map((e) => [e.type, e.id, e.kind, e.changedFields, e.customer?.id])).toEqual([
      ['Order', String(order), 'updated', ['lines'], customer],
      ['Order', String(order), 'updated', ['lines'], customer],
    ]);
  });
});

describe('failures', () => {
  it('should skip a model Odoo refuses to read with one warning, not ask again every pass', async () => {
    const capture = memoryCapture();
    const { logger, lines } = capturingLogger();
    const p = poller('acme', capture, { log: logger });
    await p.runPass();
    await injectFault(emulator.url, { tenant: 'acme', op: 'account.move.search_read', fault: 'error', error: 'odoo.exceptions.AccessError' });
    await resetEmulator(emulator.url);
    for (let i = 0; i < 3; i++) expect((await p.runPass()).outcome).toBe('idle');
    const ops = (await emulatorStats(emulator.url))['acme'] ?? {};
    expect(ops['account.move.search_read']).toBe(1);
    expect(ops['sale.order.search_read']).toBe(3);
    expect(lines.filter((l) => String(l['msg']).includes('refused to read')).map((l) => l['model'])).toEqual(['account.move']);
  });

  it('should keep its cursor while Odoo is down, log the streak once, and publish what changed once Odoo is back', async () => {
    const capture = memoryCapture();
    const { events } = collect(capture.bus, 'acme');
    const { logger, lines } = capturingLogger();
    const p = poller('acme', capture, { log: logger });
    await p.runPass();
    const cursor = await capture.state.get(captureKeys.cursor('acme', 'sale.order'));
    const errorsBefore = await counterValue(odooCaptureMetrics.passes, { tenant: 'acme', outcome: 'error' });
    await injectFault(emulator.url, { tenant: 'acme', op: '*', fault: 'down' });
    expect(await p.runPass()).toEqual({ outcome: 'error', published: 0 });
    expect(await p.runPass()).toEqual({ outcome: 'error', published: 0 });
    expect(await counterValue(odooCaptureMetrics.passes, { tenant: 'acme', outcome: 'error' })).toBe(errorsBefore + 2);
    expect(await capture.state.get(captureKeys.cursor('acme', 'sale.order'))).toBe(cursor);
    expect(lines.filter((l) => String(l['msg']).includes('pass failed'))).toHaveLength(1);

    await resetEmulator(emulator.url, { faults: true });
    const { order } = await orderOfContactPerson('acme');
    await odoo('acme', 'sale.order', 'write', [[order], { client_order_ref: 'AFTER-OUTAGE' }]);
    expect(await p.runPass()).toEqual({ outcome: 'published', published: 1 });
    await delivered();
    expect(events.map((e) => e.id)).toEqual([String(order)]);
    expect(lines.filter((l) => String(l['msg']).includes('succeed again'))).toHaveLength(1);
  });
});
