/**
 * The Zendesk emulator's webhooks and incremental export on the wire: the Webhooks API per account,
 * signed deliveries (real headers, event-subscription payloads) when tickets change through the API,
 * deliveries that never block the API, the test-only verbatim replay, and the cursor-based
 * incremental ticket export with its paging, lag and rate limit.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ZendeskTenantCredentials } from '../../sandbox/credentials';
import { startZendeskEmulator, TICKET_EVENT_TYPES, type RunningZendeskEmulator } from '../../sandbox/zendesk';

const acme: ZendeskTenantCredentials = { tenant: 'acme', email: 'integration@acme.example', token: randomBytes(20).toString('hex') };
const globex: ZendeskTenantCredentials = { tenant: 'globex', email: 'integration@globex.example', token: randomBytes(20).toString('hex') };
const basic = (c: ZendeskTenantCredentials): string => `Basic ${Buffer.from(`${c.email}/token:${c.token}`).toString('base64')}`;

/** A webhook endpoint that records what it receives and answers `status` (or never, when `hang`). */
interface Receiver {
  url: string;
  received: Array<{ headers: IncomingHttpHeaders; body: string }>;
  status: number;
  hang: boolean;
  close(): Promise<void>;
}
async function startReceiver(): Promise<Receiver> {
  const r = { received: [], status: 200, hang: false } as unknown as Receiver;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      r.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (r.hang) return;
      res.writeHead(r.status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  r.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return r;
}

/** A clock the test moves (webhook timestamps, `updated_at` of writes, the export's lag). */
let clock = Date.UTC(2026, 5, 1, 12, 0, 0);
let zd: RunningZendeskEmulator;
let receiver: Receiver;

async function api(
  path: string,
  init: { creds?: ZendeskTenantCredentials; method?: string; body?: unknown } = {},
): Promise<{ status: number; json: any; headers: Headers }> {
  const res = await fetch(`${zd.url}/api/v2/${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: basic(init.creds ?? acme),
      accept: 'application/json',
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, headers: res.headers };
}

async function createWebhook(endpoint: string, subscriptions: readonly string[] = TICKET_EVENT_TYPES, creds = acme): Promise<{ id: string; secret: string }> {
  const created = await api('webhooks.json', {
    creds,
    method: 'POST',
    body: { webhook: { name: 'gateway', endpoint, http_method: 'POST', request_format: 'json', status: 'active', subscriptions } },
  });
  expect(created.status).toBe(201);
  const id = created.json.webhook.id as string;
  const secret = await api(`webhooks/${id}/signing_secret.json`, { creds });
  expect(secret.status).toBe(200);
  return { id, secret: secret.json.signing_secret.secret as string };
}

beforeAll(async () => {
  zd = await startZendeskEmulator({ port: 0, tenants: [acme, globex], now: () => clock, exportLagSeconds: 0, exportRateLimitPerMinute: 1000 });
  receiver = await startReceiver();
});
afterAll(async () => {
  await zd.close();
  await receiver.close();
});
afterEach(async () => {
  for (const t of [acme, globex]) {
    const listed = await api('webhooks.json', { creds: t });
    for (const w of listed.json.webhooks as Array<{ id: string }>) await api(`webhooks/${w.id}.json`, { creds: t, method: 'DELETE' });
  }
  await zd.webhooks.settled();
  receiver.received.length = 0;
  receiver.status = 200;
  receiver.hang = false;
});

describe('the Webhooks API', () => {
  it('should create, list, show, update and delete webhooks per account, each with its own signing secret', async () => {
    const created = await api('webhooks.json', {
      method: 'POST',
      body: {
        webhook: {
          name: 'gw',
          endpoint: receiver.url,
          http_method: 'POST',
          request_format: 'json',
          status: 'active',
          subscriptions: ['zen:event-type:ticket.status_changed'],
        },
      },
    });
    expect(created.status).toBe(201);
    const hook = created.json.webhook;
    expect(hook).toMatchObject({
      name: 'gw',
      endpoint: receiver.url,
      http_method: 'POST',
      request_format: 'json',
      status: 'active',
      subscriptions: ['zen:event-type:ticket.status_changed'],
    });
    expect(hook.id).toMatch(/^[0-9A-Z]{26}$/);
    expect(hook).not.toHaveProperty('signing_secret');

    const listed = await api('webhooks.json');
    expect(listed.json.webhooks.map((w: any) => w.id)).toEqual([hook.id]);
    expect(listed.json.meta).toEqual({ has_more: false, after_cursor: null, before_cursor: null });
    expect((await api(`webhooks/${hook.id}.json`)).json.webhook.id).toBe(hook.id);

    const secret = await api(`webhooks/${hook.id}/signing_secret.json`);
    expect(secret.json.signing_secret.algorithm).toBe('SHA256');
    expect(typeof secret.json.signing_secret.secret).toBe('string');
    const second = await createWebhook(receiver.url);
    expect(second.secret).not.toBe(secret.json.signing_secret.secret);

    // Another account sees none of it.
    expect((await api('webhooks.json', { creds: globex })).json.webhooks).toEqual([]);
    expect((await api(`webhooks/${hook.id}.json`, { creds: globex })).status).toBe(404);
    expect((await api(`webhooks/${hook.id}/signing_secret.json`, { creds: globex })).status).toBe(404);

    expect((await api(`webhooks/${hook.id}.json`, { method: 'PATCH', body: { webhook: { status: 'inactive' } } })).status).toBe(204);
    expect((await api(`webhooks/${hook.id}.json`)).json.webhook.status).toBe('inactive');
    expect((await api(`webhooks/${hook.id}.json`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`webhooks/${hook.id}.json`)).status).toBe(404);
  });

  it('should refuse a webhook subscribed to events that does not POST JSON, and one without an http(s) endpoint', async () => {
    const bad = await api('webhooks.json', {
      method: 'POST',
      body: {
        webhook: { name: 'x', endpoint: receiver.url, http_method: 'GET', request_format: 'json', status: 'active', subscriptions: [TICKET_EVENT_TYPES[0]] },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].code).toBe('InvalidInput');
    const noUrl = await api('webhooks.json', {
      method: 'POST',
      body: { webhook: { name: 'x', endpoint: 'ftp://nope', http_method: 'POST', request_format: 'json', status: 'active' } },
    });
    expect(noUrl.status).toBe(400);
    expect((await api('webhooks.json', { creds: { ...acme, token: 'wrong' } })).status).toBe(401);
  });
});

describe('signed deliveries', () => {
  it('should POST a signed ticket.status_changed event to an active webhook when a ticket is updated', async () => {
    const { id, secret } = await createWebhook(receiver.url);
    const before = (await api('tickets/2.json')).json.ticket;
    const put = await api('tickets/2.json', { method: 'PUT', body: { ticket: { status: 'solved' } } });
    expect(put.status).toBe(200);
    await zd.webhooks.settled();

    expect(receiver.received).toHaveLength(1);
    const [{ headers, body }] = receiver.received as [{ headers: IncomingHttpHeaders; body: string }];
    expect(headers['content-type']).toBe('application/json; charset=utf-8');
    expect(headers['x-zendesk-webhook-id']).toBe(id);
    expect(headers['x-zendesk-webhook-invocation-id']).toMatch(/^\d+$/);
    expect(headers['x-zendesk-account-id']).toMatch(/^\d+$/);
    const timestamp = headers['x-zendesk-webhook-signature-timestamp'] as string;
    expect(timestamp).toBe(new Date(clock).toISOString().replace('.000Z', 'Z'));
    // Verifiable exactly as Zendesk documents it: base64(HMAC-SHA256(secret, timestamp + body)).
    expect(headers['x-zendesk-webhook-signature']).toBe(
      createHmac('sha256', secret)
        .update(timestamp + body)
        .digest('base64'),
    );

    const payload = JSON.parse(body);
    expect(payload).toMatchObject({
      type: 'zen:event-type:ticket.status_changed',
      account_id: Number(headers['x-zendesk-account-id']),
      zendesk_event_version: '2022-11-06',
      subject: 'zen:ticket:2',
      detail: { id: '2', status: 'SOLVED', updated_at: put.json.ticket.updated_at, requester_id: String(before.requester_id) },
      event: { current: 'SOLVED', previous: before.status.toUpperCase(), meta: { sequence: { position: 1, total: 1 } } },
    });
    expect(payload.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(zd.webhooks.count('acme')).toBe(1);
    expect(zd.webhooks.last('acme')).toMatchObject({ status: 200, eventType: 'zen:event-type:ticket.status_changed', ticketId: 2, webhookId: id });
  });

  it('should send one event per change of an update (same sequence), only to subscribed, active webhooks of the account', async () => {
    await createWebhook(receiver.url, ['zen:event-type:ticket.priority_changed', 'zen:event-type:ticket.comment_added']);
    const other = await startReceiver();
    try {
      await createWebhook(other.url, TICKET_EVENT_TYPES, globex);
      const put = await api('tickets/3.json', {
        method: 'PUT',
        body: { ticket: { priority: 'urgent', subject: 'Renamed', comment: { body: 'On it', public: false } } },
      });
      expect(put.status).toBe(200);
      await zd.webhooks.settled();
      const types = receiver.received.map((r) => JSON.parse(r.body).type);
      expect(types.sort()).toEqual(['zen:event-type:ticket.comment_added', 'zen:event-type:ticket.priority_changed']);
      const sequences = new Set(receiver.received.map((r) => JSON.parse(r.body).event.meta.sequence.id));
      expect(sequences.size).toBe(1);
      const comment = receiver.received.map((r) => JSON.parse(r.body)).find((p) => p.type.endsWith('comment_added'));
      expect(comment.event.comment).toMatchObject({ body: 'On it', is_public: false, author: { is_staff: true } });
      expect(other.received).toHaveLength(0); // globex's webhook hears nothing of acme's tickets

      const hooks = (await api('webhooks.json')).json.webhooks as Array<{ id: string }>;
      await api(`webhooks/${hooks[0]!.id}.json`, { method: 'PATCH', body: { webhook: { status: 'inactive' } } });
      await api('tickets/3.json', { method: 'PUT', body: { ticket: { priority: 'low' } } });
      await zd.webhooks.settled();
      expect(receiver.received).toHaveLength(2);
    } finally {
      await other.close();
    }
  });

  it('should send ticket.created for a ticket created through the API', async () => {
    await createWebhook(receiver.url);
    const created = await api('tickets.json', { method: 'POST', body: { ticket: { subject: 'New one', comment: { body: 'Hello' }, priority: 'high' } } });
    expect(created.status).toBe(201);
    expect(created.json.ticket).toMatchObject({ subject: 'New one', description: 'Hello', priority: 'high', status: 'new' });
    await zd.webhooks.settled();
    expect(receiver.received.map((r) => JSON.parse(r.body))).toEqual([
      expect.objectContaining({ type: 'zen:event-type:ticket.created', subject: `zen:ticket:${created.json.ticket.id}` }),
    ]);
    expect((await api(`tickets/${created.json.ticket.id}.json`)).json.ticket.subject).toBe('New one');
  });

  it('should never block or fail the API call: a hanging endpoint times out, a failing one is recorded', async () => {
    receiver.hang = true;
    const slow = await startZendeskEmulator({ port: 0, tenants: [acme], webhookTimeoutMs: 1000, exportLagSeconds: 0 });
    try {
      const created = await fetch(`${slow.url}/api/v2/webhooks.json`, {
        method: 'POST',
        headers: { authorization: basic(acme), 'content-type': 'application/json' },
        body: JSON.stringify({
          webhook: { name: 'x', endpoint: receiver.url, http_method: 'POST', request_format: 'json', status: 'active', subscriptions: TICKET_EVENT_TYPES },
        }),
      });
      expect(created.status).toBe(201);
      const put = await fetch(`${slow.url}/api/v2/tickets/4.json`, {
        method: 'PUT',
        headers: { authorization: basic(acme), 'content-type': 'application/json' },
        body: JSON.stringify({ ticket: { status: 'open' } }),
      });
      expect(put.status).toBe(200);
      expect(slow.webhooks.last('acme')?.status).toBe('pending'); // the answer came before the delivery's
      await slow.webhooks.settled();
      expect(slow.webhooks.last('acme')?.status).toBe('timeout');
    } finally {
      await slow.close();
    }

    receiver.hang = false;
    receiver.status = 500;
    await createWebhook(receiver.url);
    expect((await api('tickets/5.json', { method: 'PUT', body: { ticket: { priority: 'high' } } })).status).toBe(200);
    await zd.webhooks.settled();
    expect(zd.webhooks.last('acme')?.status).toBe(500);

    await createWebhook('http://127.0.0.1:9/nothing-listens');
    expect((await api('tickets/5.json', { method: 'PUT', body: { ticket: { priority: 'low' } } })).status).toBe(200);
    await zd.webhooks.settled();
    expect(zd.webhooks.list('acme').at(-1)?.status).toBe('error');
  });

  it('should re-send the last delivery verbatim on request (test-only)', async () => {
    await createWebhook(receiver.url);
    await api('tickets/6.json', { method: 'PUT', body: { ticket: { status: 'pending' } } });
    await zd.webhooks.settled();
    const count = zd.webhooks.count();
    expect(await zd.webhooks.replayLast('acme')).toBe(200);
    expect(receiver.received).toHaveLength(2);
    const [first, again] = receiver.received as [{ headers: IncomingHttpHeaders; body: string }, { headers: IncomingHttpHeaders; body: string }];
    expect(again.body).toBe(first.body);
    for (const h of ['x-zendesk-webhook-signature', 'x-zendesk-webhook-signature-timestamp', 'x-zendesk-webhook-invocation-id'])
      expect(again.headers[h]).toBe(first.headers[h]);
    expect(zd.webhooks.count()).toBe(count);
    await expect(zd.webhooks.replayLast('nobody')).rejects.toThrow();
  });
});

describe('the incremental ticket export (cursor-based)', () => {
  it('should page the tickets changed since start_time in updated_at order, and go on from after_cursor later', async () => {
    clock += 3_600_000;
    const start = Math.floor(clock / 1000);
    for (const id of [9, 8, 10]) {
      expect((await api(`tickets/${id}.json`, { method: 'PUT', body: { ticket: { priority: 'urgent' } } })).status).toBe(200);
      clock += 1_000;
    }
    clock += 1_000;

    const first = await api(`incremental/tickets/cursor.json?start_time=${start}&per_page=2`);
    expect(first.status).toBe(200);
    expect(first.json.tickets.map((t: any) => t.id)).toEqual([9, 8]);
    expect(first.json.end_of_stream).toBe(false);
    expect(first.json.after_url).toBe(`${zd.url}/api/v2/incremental/tickets/cursor.json?cursor=${first.json.after_cursor}&per_page=2`);
    const second = await api(first.json.after_url.slice(`${zd.url}/api/v2/`.length));
    expect(second.json.tickets.map((t: any) => t.id)).toEqual([10]);
    expect(second.json.end_of_stream).toBe(true);
    const idle = await api(`incremental/tickets/cursor.json?cursor=${second.json.after_cursor}`);
    expect(idle.json).toMatchObject({ tickets: [], end_of_stream: true, after_cursor: second.json.after_cursor });

    // A ticket changed again comes again, at its new place; sideloads as asked.
    await api('tickets/8.json', { method: 'PUT', body: { ticket: { priority: 'low' } } });
    const changingNow = await api(`incremental/tickets/cursor.json?cursor=${second.json.after_cursor}`);
    expect(changingNow.json.tickets).toEqual([]); // the current second is not over yet
    clock += 1_000;
    const later = await api(`incremental/tickets/cursor.json?cursor=${second.json.after_cursor}&include=users`);
    expect(later.json.tickets.map((t: any) => [t.id, t.priority])).toEqual([[8, 'low']]);
    expect(later.json.users.map((u: any) => u.id)).toContain(later.json.tickets[0].requester_id);
  });

  it('should refuse a bad or too recent start, a bad cursor and a bad per_page', async () => {
    expect((await api('incremental/tickets/cursor.json')).status).toBe(400);
    expect((await api(`incremental/tickets/cursor.json?start_time=${Math.floor(clock / 1000) + 10}`)).status).toBe(400);
    expect((await api('incremental/tickets/cursor.json?cursor=bm9wZQ')).status).toBe(400);
    expect((await api('incremental/tickets/cursor.json?start_time=0&per_page=1001')).status).toBe(400);
  });

  it('should leave out the last minute of changes and allow 10 export requests per minute, as Zendesk does', async () => {
    let now = Date.UTC(2026, 0, 1);
    const strict = await startZendeskEmulator({ port: 0, tenants: [acme], now: () => now });
    try {
      const call = (q: string) => fetch(`${strict.url}/api/v2/incremental/tickets/cursor.json?${q}`, { headers: { authorization: basic(acme) } });
      const start = Math.floor(now / 1000) - 120;
      expect((await call(`start_time=${Math.floor(now / 1000) - 30}`)).status).toBe(400);
      await fetch(`${strict.url}/api/v2/tickets/1.json`, {
        method: 'PUT',
        headers: { authorization: basic(acme), 'content-type': 'application/json' },
        body: JSON.stringify({ ticket: { priority: 'low' } }),
      });
      now += 30_000;
      expect(((await (await call(`start_time=${start}`)).json()) as any).tickets).toEqual([]);
      now += 31_000;
      expect(((await (await call(`start_time=${start}`)).json()) as any).tickets.map((t: any) => t.id)).toEqual([1]);
      for (let i = 0; i < 9; i++) expect((await call(`start_time=${start}`)).status).toBe(200);
      const throttled = await call(`start_time=${start}`);
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get('retry-after')).toMatch(/^\d+$/);
    } finally {
      await strict.close();
    }
  });
});
