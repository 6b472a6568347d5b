/**
 * The Zendesk subgraph's change capture: the signed-webhook receiver (`POST /webhooks/zendesk/:tenant`)
 * and the incremental-export recovery poller, against the Zendesk emulator (its webhooks set up by
 * registerSandboxWebhooks, as the sandbox stack does), on in-process change capture and on the
 * shared test Redis (127.0.0.1:6379, under this run's own key prefix, removed afterwards) with two
 * replicas. No timing assertions: every wait is for an observable outcome.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import express from 'express';
import { Redis } from 'ioredis';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { entityKey } from '../../cache';
import { createMemoryChangeCapture, createRedisChangeCapture } from '../../cache/capture';
import type { EntityCache } from '../../cache/entity-cache';
import type { ChangeCapture, ChangeEvent } from '../../cache/events';
import { createMemoryEntityCache } from '../../cache/memory-cache';
import { mintSandboxSecrets, sandboxCredentials, type ZendeskTenantCredentials } from '../../sandbox/credentials';
import { startZendeskEmulator, type RunningZendeskEmulator } from '../../sandbox/zendesk';
import { registerSandboxWebhooks } from '../../sandbox/zendesk/webhook-setup';
import type { RunningSubgraph } from '../../subgraphs/kit/server';
import { ErrorCode, UpstreamError } from '../../subgraphs/kit/errors';
import { createZendeskExportPoller, exportCursorKey } from '../../subgraphs/zendesk/change-capture';
import { ZTicket, type ZendeskClient } from '../../subgraphs/zendesk/client';
import type { TicketModel } from '../../subgraphs/zendesk/mappers';
import { startZendeskSubgraph } from '../../subgraphs/zendesk/server';
import { TRACKED_TICKET_FIELDS } from '../../subgraphs/zendesk/ticket-change';
import { mountZendeskWebhooks } from '../../subgraphs/zendesk/webhooks';
import { internalKey } from '../../tenancy/identity';
import { loadRegistry, tenantLookup, withUpstreamUrls, type TenantRegistry } from '../../tenancy/registry';
import { SANDBOX_REGISTRY_PATH } from '../../tenancy/sandbox';
import { scanKeys, SHARED_REDIS_URL, waitFor } from '../cache/helpers';

const silent = pino({ level: 'silent' });
const NOWHERE = 'http://127.0.0.1:9';
const WEBHOOK_SECRET_ENV = 'SANDBOX_ACME_ZENDESK_WEBHOOK_SECRET';

/** One replica: its subgraph and what the test observes of its change capture. */
interface Replica {
  subgraph: RunningSubgraph;
  cache: EntityCache;
  /** Whether the ticket's cache entry still existed when each event was handed to the bus. */
  cachedAtPublish: Map<string, boolean>;
  /** Writes of acme's export cursor (one per page the poller handled). */
  cursorWrites: () => number;
}

/** A world: the emulator, the registry, the minted secrets, one or more subgraph replicas, and every acme event seen on the bus. */
interface World {
  zd: RunningZendeskEmulator;
  env: Record<string, string>;
  creds: ZendeskTenantCredentials[];
  replicas: Replica[];
  events: ChangeEvent[];
  bus: ChangeCapture['bus'];
  webhookId: string;
  close(): Promise<void>;
}

/** Watches a capture: the cache state at each publish, and the writes of acme's export cursor. */
function observed(inner: ChangeCapture, cache: EntityCache): { capture: ChangeCapture; cachedAtPublish: Map<string, boolean>; cursorWrites: () => number } {
  const cachedAtPublish = new Map<string, boolean>();
  let writes = 0;
  const capture: ChangeCapture = {
    bus: {
      async publish(event) {
        if (event.type === 'Ticket') {
          const [entry] = await cache.getMany([entityKey(event.tenant, 'Ticket', event.id)]);
          cachedAtPublish.set(`${event.id}@${event.at}`, entry !== undefined);
        }
        return inner.bus.publish(event);
      },
      subscribe: (tenants, handler) => inner.bus.subscribe(tenants, handler),
      close: () => inner.bus.close(),
    },
    leases: inner.leases,
    state: {
      get: (key) => inner.state.get(key),
      async set(key, value, ttlMs) {
        if (key === exportCursorKey('acme')) writes++;
        return inner.state.set(key, value, ttlMs);
      },
      setIfAbsent: (key, value, ttlMs) => inner.state.setIfAbsent(key, value, ttlMs),
    },
    close: () => inner.close(),
  };
  return { capture, cachedAtPublish, cursorWrites: () => writes };
}

async function startWorld(captures: ChangeCapture[]): Promise<World> {
  const base = loadRegistry(SANDBOX_REGISTRY_PATH);
  const env = mintSandboxSecrets(base);
  const creds = sandboxCredentials(base, { env }).zendesk;
  const zd = await startZendeskEmulator({ port: 0, tenants: creds, exportLagSeconds: 0, exportRateLimitPerMinute: 100_000 });
  // globex has no webhook secret (so no endpoint); initech is disabled.
  const registry: TenantRegistry = withUpstreamUrls(base, { odoo: NOWHERE, salesforce: NOWHERE, zendesk: zd.url });
  registry.tenants = registry.tenants.map((t) =>
    t.id === 'globex'
      ? { ...t, upstreams: { ...t.upstreams, zendesk: { ...t.upstreams.zendesk, webhookSecret: undefined } } }
      : t.id === 'initech'
        ? { ...t, enabled: false }
        : t,
  );
  const identityKey = internalKey(randomBytes(32).toString('hex'));
  const replicas: Replica[] = [];
  for (const inner of captures) {
    const cache = createMemoryEntityCache({});
    const { capture, cachedAtPublish, cursorWrites } = observed(inner, cache);
    const subgraph = await startZendeskSubgraph({ port: 0, registry, secrets: { env }, identityKey, log: silent, cache, capture, captureIntervalMs: 20 });
    replicas.push({ subgraph, cache, cachedAtPublish, cursorWrites });
  }
  const events: ChangeEvent[] = [];
  const subscription = captures[0]!.bus.subscribe(['acme', 'globex', 'initech'], (e) => events.push(e));
  await (subscription as { ready?: Promise<void> }).ready;
  const [hook] = await registerSandboxWebhooks({
    emulatorUrl: zd.url,
    tenants: registry.tenants,
    credentials: creds,
    endpointFor: (tenant) => `http://127.0.0.1:${replicas[0]!.subgraph.port}/webhooks/zendesk/${tenant}`,
    setSecret: (_tenant, name, value) => {
      env[name] = value;
    },
  });
  return {
    zd,
    env,
    creds,
    replicas,
    events,
    bus: captures[0]!.bus,
    webhookId: hook!.webhookId,
    async close() {
      subscription.dispose();
      for (const r of replicas) {
        await r.subgraph.stop();
        await r.cache.close();
      }
      for (const c of captures) await c.close();
      await zd.close();
    },
  };
}

/** Every event published before this call has reached the observer once this resolves (per-tenant order). */
async function barrier(w: World): Promise<void> {
  const id = randomUUID();
  await w.bus.publish({
    tenant: 'acme',
    type: 'Barrier',
    id,
    kind: 'updated',
    changedFields: [],
    source: 'gateway',
    at: new Date().toISOString(),
    capturedAt: Date.now(),
  });
  await waitFor('the barrier event', () => w.events.some((e) => e.type === 'Barrier' && e.id === id));
}
const ticketEvents = (w: World, id: number): ChangeEvent[] => w.events.filter((e) => e.type === 'Ticket' && e.id === String(id));

const isoSeconds = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** A ticket event payload as Zendesk sends it (event subscription shape). */
function ticketPayload(
  ticketId: number,
  fields: { type?: string; status?: string; priority?: string | null; subject?: string; requesterId?: number; updatedAt?: string },
) {
  return {
    type: `zen:event-type:ticket.${fields.type ?? 'status_changed'}`,
    account_id: 12345678,
    id: randomUUID(),
    time: isoSeconds(Date.now()),
    zendesk_event_version: '2022-11-06',
    subject: `zen:ticket:${ticketId}`,
    detail: {
      actor_id: '5001',
      assignee_id: null,
      brand_id: '3001',
      created_at: '2025-01-06T08:00:00Z',
      custom_status: null,
      description: 'Something broke',
      external_id: null,
      form_id: '4001',
      group_id: null,
      id: String(ticketId),
      is_public: true,
      organization_id: null,
      priority: fields.priority === undefined ? 'LOW' : fields.priority,
      requester_id: fields.requesterId === undefined ? null : String(fields.requesterId),
      status: fields.status ?? 'SOLVED',
      subject: fields.subject ?? 'Broken',
      submitter_id: '5001',
      tags: [],
      type: null,
      updated_at: fields.updatedAt ?? isoSeconds(Date.now()),
      via: { channel: 'web_service' },
    },
    event: { current: fields.status ?? 'SOLVED', previous: 'OPEN' },
  };
}

/** POSTs a delivery to a replica's receiver, signed with `secret` at `timestamp` unless headers are given. */
async function deliver(
  replica: Replica,
  tenant: string,
  body: string,
  opts: { secret?: string; timestamp?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; json: any }> {
  const timestamp = opts.timestamp ?? isoSeconds(Date.now());
  const headers = opts.headers ?? {
    'content-type': 'application/json',
    'x-zendesk-webhook-signature-timestamp': timestamp,
    'x-zendesk-webhook-signature': createHmac('sha256', opts.secret ?? '')
      .update(timestamp + body)
      .digest('base64'),
  };
  const res = await fetch(`http://127.0.0.1:${replica.subgraph.port}/webhooks/zendesk/${tenant}`, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

async function zendeskApi(w: World, path: string, init: { method?: string; body?: unknown } = {}): Promise<any> {
  const c = w.creds.find((x) => x.tenant === 'acme')!;
  const res = await fetch(`${w.zd.url}/api/v2/${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Basic ${Buffer.from(`${c.email}/token:${c.token}`).toString('base64')}`, 'content-type': 'application/json' },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  expect(res.ok).toBe(true);
  const text = await res.text();
  return text ? JSON.parse(text) : undefined;
}

describe('the Zendesk webhook receiver (in-process change capture)', () => {
  let w: World;
  let replica: Replica;
  const secret = (): string => w.env[WEBHOOK_SECRET_ENV]!;
  beforeAll(async () => {
    w = await startWorld([createMemoryChangeCapture()]);
    replica = w.replicas[0]!;
  });
  afterAll(() => w.close());

  it('should have armed the tenant webhook through the emulator API and handed its signing secret over', async () => {
    expect(secret()).toEqual(expect.any(String));
    const shown = await zendeskApi(w, `webhooks/${w.webhookId}.json`);
    expect(shown.webhook).toMatchObject({ status: 'active', endpoint: `http://127.0.0.1:${replica.subgraph.port}/webhooks/zendesk/acme` });
    expect((await zendeskApi(w, `webhooks/${w.webhookId}/signing_secret.json`)).signing_secret.secret).toBe(secret());
  });

  it('should publish one event with the public field names, the change time and the requester as customer for a valid delivery', async () => {
    const ticket = (await zendeskApi(w, 'tickets/1.json')).ticket;
    const requester = (await zendeskApi(w, `users/${ticket.requester_id}.json`)).user;
    const updatedAt = isoSeconds(Date.now());
    const answer = await deliver(replica, 'acme', JSON.stringify(ticketPayload(1, { requesterId: requester.id, updatedAt })), { secret: secret() });
    expect(answer).toEqual({ status: 200, json: { status: 'accepted' } });
    await barrier(w);
    const events = ticketEvents(w, 1);
    expect(events).toHaveLength(1);
    expect(events[0]).toEqual({
      tenant: 'acme',
      type: 'Ticket',
      id: '1',
      kind: 'updated',
      changedFields: ['status', 'updatedAt'],
      source: 'zendesk',
      at: new Date(updatedAt).toISOString(),
      capturedAt: expect.any(Number),
      customer: { ...(requester.email ? { email: requester.email } : {}), ...(requester.external_id ? { id: requester.external_id } : {}) },
    });
    expect(requester.external_id).toEqual(expect.any(String)); // ticket 1's requester is linked to the ERP
  });

  it('should invalidate the cached ticket before publishing, and name the fields that differ from it', async () => {
    const key = entityKey('acme', 'Ticket', 12);
    const cachedModel: TicketModel = {
      id: 12,
      subject: 'Broken',
      description: 'Something broke',
      status: 'OPEN',
      priority: 'HIGH',
      type: null,
      tags: [],
      createdAt: '2025-01-06T08:00:00.000Z',
      updatedAt: '2025-01-07T08:00:00.000Z',
      requesterId: null,
      assigneeId: null,
      organizationId: null,
    };
    const now = Date.now();
    await replica.cache.setMany([{ key, entry: { value: cachedModel, storedAt: now, freshUntil: now + 60_000, staleUntil: now + 600_000 } }]);
    expect((await replica.cache.getMany([key]))[0]).toBeDefined();
    const updatedAt = isoSeconds(now);
    const answer = await deliver(replica, 'acme', JSON.stringify(ticketPayload(12, { status: 'SOLVED', priority: 'LOW', updatedAt })), { secret: secret() });
    expect(answer.status).toBe(200);
    await barrier(w);
    expect(replica.cachedAtPublish.get(`12@${new Date(updatedAt).toISOString()}`)).toBe(false);
    expect((await replica.cache.getMany([key]))[0]).toBeUndefined();
    expect(ticketEvents(w, 12).map((e) => e.changedFields)).toEqual([['status', 'priority', 'updatedAt']]);
  });

  it('should refuse a forged signature, a tampered body and missing headers with 401, publishing nothing', async () => {
    const body = JSON.stringify(ticketPayload(13, {}));
    expect((await deliver(replica, 'acme', body, { secret: 'not-the-secret' })).status).toBe(401);
    const timestamp = isoSeconds(Date.now());
    const signedOther = createHmac('sha256', secret())
      .update(timestamp + JSON.stringify(ticketPayload(13, { status: 'OPEN' })))
      .digest('base64');
    const tampered = await deliver(replica, 'acme', body, {
      headers: { 'content-type': 'application/json', 'x-zendesk-webhook-signature-timestamp': timestamp, 'x-zendesk-webhook-signature': signedOther },
    });
    expect(tampered).toEqual({ status: 401, json: { error: 'invalid signature' } });
    expect((await deliver(replica, 'acme', body, { headers: { 'content-type': 'application/json' } })).status).toBe(401);
    expect(
      (await deliver(replica, 'acme', body, { headers: { 'x-zendesk-webhook-signature': 'AAAA', 'x-zendesk-webhook-signature-timestamp': timestamp } })).status,
    ).toBe(401);
    await barrier(w);
    expect(ticketEvents(w, 13)).toEqual([]);
  });

  it('should refuse a correctly signed delivery whose timestamp is more than 5 minutes off, publishing nothing', async () => {
    const body = JSON.stringify(ticketPayload(14, {}));
    const stale = await deliver(replica, 'acme', body, { secret: secret(), timestamp: isoSeconds(Date.now() - 6 * 60_000) });
    expect(stale).toEqual({ status: 401, json: { error: 'stale timestamp' } });
    expect((await deliver(replica, 'acme', body, { secret: secret(), timestamp: isoSeconds(Date.now() + 6 * 60_000) })).status).toBe(401);
    await barrier(w);
    expect(ticketEvents(w, 14)).toEqual([]);
  });

  it('should answer 200 to a replayed delivery without publishing it again', async () => {
    const body = JSON.stringify(ticketPayload(15, {}));
    const timestamp = isoSeconds(Date.now());
    expect((await deliver(replica, 'acme', body, { secret: secret(), timestamp })).json).toEqual({ status: 'accepted' });
    expect(await deliver(replica, 'acme', body, { secret: secret(), timestamp })).toEqual({ status: 200, json: { status: 'duplicate' } });
    await barrier(w);
    expect(ticketEvents(w, 15)).toHaveLength(1);
  });

  it('should refuse the emulator re-sending its last delivery verbatim', async () => {
    await zendeskApi(w, 'tickets/2.json', { method: 'PUT', body: { ticket: { priority: 'low' } } });
    await w.zd.webhooks.settled();
    expect(w.zd.webhooks.last('acme')).toMatchObject({ ticketId: 2, status: 200 });
    await waitFor('the event of ticket 2', () => ticketEvents(w, 2).length > 0);
    expect(await w.zd.webhooks.replayLast('acme')).toBe(200);
    await barrier(w);
    expect(ticketEvents(w, 2)).toHaveLength(1);
    expect(ticketEvents(w, 2)[0]).toMatchObject({ kind: 'updated', source: 'zendesk' });
    expect(ticketEvents(w, 2)[0]!.changedFields).toContain('priority');
  });

  it('should answer 404 for an unknown tenant, a disabled one and one without a webhook secret', async () => {
    const body = JSON.stringify(ticketPayload(16, {}));
    for (const tenant of ['nobody', 'initech', 'globex']) expect((await deliver(replica, tenant, body, { secret: secret() })).status).toBe(404);
  });

  it('should read the signing secret at verification time: 503 until it is set', async () => {
    const saved = secret();
    delete w.env[WEBHOOK_SECRET_ENV];
    try {
      expect((await deliver(replica, 'acme', JSON.stringify(ticketPayload(17, {})), { secret: saved })).status).toBe(503);
    } finally {
      w.env[WEBHOOK_SECRET_ENV] = saved;
    }
    expect((await deliver(replica, 'acme', JSON.stringify(ticketPayload(17, {})), { secret: saved })).status).toBe(200);
  });

  it('should publish, exactly once, a change whose webhook was lost, from the incremental export', async () => {
    // A change the webhook carries: published once, the export does not publish it again.
    await zendeskApi(w, 'tickets/8.json', { method: 'PUT', body: { ticket: { status: 'hold' } } });
    await waitFor('the event of ticket 8', () => ticketEvents(w, 8).length > 0);
    // The webhook goes quiet; the next change reaches no endpoint.
    await zendeskApi(w, `webhooks/${w.webhookId}.json`, { method: 'PATCH', body: { webhook: { status: 'inactive' } } });
    const deliveries = w.zd.webhooks.count('acme');
    const changed = (await zendeskApi(w, 'tickets/7.json', { method: 'PUT', body: { ticket: { status: 'pending', priority: 'urgent' } } })).ticket;
    await w.zd.webhooks.settled();
    expect(w.zd.webhooks.count('acme')).toBe(deliveries);

    await waitFor('the recovered event of ticket 7', () => ticketEvents(w, 7).length > 0, 20_000);
    // Two more full passes of the poller, then everything published has reached the observer.
    const writes = replica.cursorWrites();
    await waitFor('two more export passes', () => replica.cursorWrites() >= writes + 2, 20_000);
    await barrier(w);
    expect(ticketEvents(w, 7)).toHaveLength(1);
    expect(ticketEvents(w, 7)[0]).toMatchObject({
      tenant: 'acme',
      kind: 'updated',
      source: 'zendesk',
      at: new Date(changed.updated_at).toISOString(),
      changedFields: [...TRACKED_TICKET_FIELDS], // nothing cached: the previous state is unknown
    });
    expect(ticketEvents(w, 8)).toHaveLength(1);
    await zendeskApi(w, `webhooks/${w.webhookId}.json`, { method: 'PATCH', body: { webhook: { status: 'active' } } });
  });
});

describe('the Zendesk webhook receiver and export poller on Redis, two replicas', () => {
  const prefix = `test-zdwh-${randomBytes(4).toString('hex')}:`;
  const clients = [0, 1].map(() => new Redis(SHARED_REDIS_URL, { keyPrefix: prefix, maxRetriesPerRequest: 1 }));
  let w: World;
  beforeAll(async () => {
    w = await startWorld(clients.map((client) => createRedisChangeCapture({ client, logger: silent })));
  });
  afterAll(async () => {
    await w.close();
    const keys = await scanKeys(`${prefix}*`);
    const cleaner = new Redis(SHARED_REDIS_URL, { maxRetriesPerRequest: 1 });
    try {
      if (keys.length > 0) await cleaner.unlink(...keys);
    } finally {
      cleaner.disconnect();
      for (const c of clients) c.disconnect();
    }
  });

  it('should publish a delivery once even when it reaches both replicas', async () => {
    const [a, b] = w.replicas as [Replica, Replica];
    const body = JSON.stringify(ticketPayload(21, {}));
    const timestamp = isoSeconds(Date.now());
    const secret = w.env[WEBHOOK_SECRET_ENV]!;
    expect((await deliver(a, 'acme', body, { secret, timestamp })).json).toEqual({ status: 'accepted' });
    expect((await deliver(b, 'acme', body, { secret, timestamp })).json).toEqual({ status: 'duplicate' });
    expect((await deliver(b, 'acme', body, { secret: 'forged', timestamp })).status).toBe(401);
    await barrier(w);
    expect(ticketEvents(w, 21)).toHaveLength(1);
  });

  it('should recover a lost webhook exactly once while both replicas run their poller (one holds the lease)', async () => {
    await zendeskApi(w, `webhooks/${w.webhookId}.json`, { method: 'PATCH', body: { webhook: { status: 'inactive' } } });
    const changed = (await zendeskApi(w, 'tickets/9.json', { method: 'PUT', body: { ticket: { status: 'solved' } } })).ticket;
    await waitFor('the recovered event of ticket 9', () => ticketEvents(w, 9).length > 0, 20_000);
    const writes = w.replicas.reduce((n, r) => n + r.cursorWrites(), 0);
    await waitFor('two more export passes', () => w.replicas.reduce((n, r) => n + r.cursorWrites(), 0) >= writes + 2, 20_000);
    await barrier(w);
    expect(ticketEvents(w, 9)).toHaveLength(1);
    expect(ticketEvents(w, 9)[0]).toMatchObject({ kind: 'updated', source: 'zendesk', at: new Date(changed.updated_at).toISOString() });
    // Only one replica polled: the other never got the lease.
    expect(w.replicas.filter((r) => r.cursorWrites() > 0)).toHaveLength(1);
  });
});

describe('the export poller on its own', () => {
  const tenant = loadRegistry(SANDBOX_REGISTRY_PATH).tenants[0]!;
  const ticket = (id: number, updatedAt: string): ZTicket =>
    ZTicket.parse({ id, subject: 'S', description: 'D', status: 'open', created_at: '2025-01-06T08:00:00Z', updated_at: updatedAt, requester_id: null });

  it('should keep its cursor where it was when publishing fails, and publish the change once on the next pass', async () => {
    const inner = createMemoryChangeCapture();
    let failNext = true;
    const capture: ChangeCapture = {
      ...inner,
      bus: {
        ...inner.bus,
        publish: async (e) => {
          if (failNext) {
            failNext = false;
            throw new Error('bus down');
          }
          return inner.bus.publish(e);
        },
        subscribe: (t, h) => inner.bus.subscribe(t, h),
      },
    };
    const events: ChangeEvent[] = [];
    inner.bus.subscribe([tenant.id], (e) => events.push(e));
    const asked: unknown[] = [];
    const client = {
      exportTickets: async (from: unknown) => {
        asked.push(from);
        return { tickets: [ticket(31, '2026-01-01T10:00:00Z')], users: [], afterCursor: 'c1', endOfStream: true };
      },
    } as unknown as ZendeskClient;
    const poller = createZendeskExportPoller({ tenants: [tenant], clients: new Map([[tenant.id, client]]), capture, intervalMs: 1_000, log: silent });
    try {
      await poller.runOnce();
      expect(await inner.state.get(exportCursorKey(tenant.id))).toBeUndefined();
      await poller.runOnce();
      await poller.runOnce();
      expect(asked.map((a) => Object.keys(a as object)[0])).toEqual(['startTime', 'startTime', 'cursor']);
      await waitFor('the event', () => events.length > 0);
      expect(events.map((e) => [e.id, e.at, e.kind])).toEqual([['31', '2026-01-01T10:00:00.000Z', 'updated']]);
    } finally {
      await poller.stop();
      await inner.close();
    }
  });

  it("should not ask a throttled tenant again before Zendesk's Retry-After", async () => {
    const capture = createMemoryChangeCapture();
    let calls = 0;
    const client = {
      exportTickets: async () => {
        calls++;
        throw new UpstreamError(ErrorCode.UPSTREAM_RATE_LIMITED, 'zendesk', 'throttled', { status: 429, retryAfterSeconds: 60 });
      },
    } as unknown as ZendeskClient;
    let now = Date.UTC(2026, 0, 1);
    const poller = createZendeskExportPoller({
      tenants: [tenant],
      clients: new Map([[tenant.id, client]]),
      capture,
      intervalMs: 1_000,
      log: silent,
      now: () => now,
    });
    try {
      await poller.runOnce();
      await poller.runOnce();
      expect(calls).toBe(1);
      now += 61_000;
      await poller.runOnce();
      expect(calls).toBe(2);
    } finally {
      await poller.stop();
      await capture.close();
    }
  });
});

describe('the receiver when the bus refuses an event', () => {
  it("should answer 503 and process Zendesk's retry of the same delivery", async () => {
    const registry = loadRegistry(SANDBOX_REGISTRY_PATH);
    const secret = randomBytes(24).toString('base64url');
    const env: Record<string, string> = { [WEBHOOK_SECRET_ENV]: secret };
    const inner = createMemoryChangeCapture();
    let failNext = true;
    const capture: ChangeCapture = {
      ...inner,
      bus: {
        ...inner.bus,
        publish: async (e) => {
          if (failNext) {
            failNext = false;
            throw new Error('bus down');
          }
          return inner.bus.publish(e);
        },
        subscribe: (t, h) => inner.bus.subscribe(t, h),
      },
    };
    const events: ChangeEvent[] = [];
    inner.bus.subscribe(['acme'], (e) => events.push(e));
    const app = express();
    mountZendeskWebhooks(app, { tenantOf: tenantLookup(registry), secrets: { env }, capture, clients: new Map(), log: silent });
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const replica = { subgraph: { port: (server.address() as AddressInfo).port } } as unknown as Replica;
    try {
      const body = JSON.stringify(ticketPayload(41, {}));
      const timestamp = isoSeconds(Date.now());
      expect((await deliver(replica, 'acme', body, { secret, timestamp })).status).toBe(503);
      expect(await deliver(replica, 'acme', body, { secret, timestamp })).toEqual({ status: 200, json: { status: 'accepted' } });
      await waitFor('the event', () => events.length > 0);
      expect(events.map((e) => e.id)).toEqual(['41']);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await inner.close();
    }
  });
});
