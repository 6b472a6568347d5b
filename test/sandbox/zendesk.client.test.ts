/**
 * The Zendesk emulator as node-zendesk 6.0.1 sees it: every call goes through the real client,
 * so pagination links, URL encoding, sideloads and error mapping are checked against its code.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { createClient } from 'node-zendesk';
import type { ZendeskTenantCredentials } from '../../sandbox/credentials';
import type { RunningEmulator } from '../../sandbox/kit/emulator';
import { buildWorld } from '../../sandbox/world';
import { SEED_TICKET_COUNT, startZendeskEmulator } from '../../sandbox/zendesk';

const acme: ZendeskTenantCredentials = { tenant: 'acme', email: 'integration@acme.example', token: randomBytes(20).toString('hex') };
const globex: ZendeskTenantCredentials = { tenant: 'globex', email: 'integration@globex.example', token: randomBytes(20).toString('hex') };

function asRecord(value: unknown): Record<string, unknown> {
  expect(typeof value === 'object' && value !== null && !Array.isArray(value)).toBe(true);
  return value as Record<string, unknown>;
}
function asArray(value: unknown): unknown[] {
  expect(Array.isArray(value)).toBe(true);
  return value as unknown[];
}
/** What a node-zendesk call settled with: its result, or the message it was rejected with. */
async function outcome(call: Promise<unknown>): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> {
  try {
    return { ok: true, value: await call };
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}

let zd: RunningEmulator;
const clientFor = (creds: ZendeskTenantCredentials, baseUrl = zd.url) =>
  createClient({ username: creds.email, token: creds.token, endpointUri: `${baseUrl}/api/v2` });

beforeAll(async () => {
  zd = await startZendeskEmulator({ port: 0, tenants: [acme, globex] });
});
afterAll(async () => {
  await zd?.close();
});

describe('node-zendesk against the emulator', () => {
  it('should list every ticket across cursor pages, each once', async () => {
    const tickets = asArray(await clientFor(acme).tickets.list());
    expect(tickets).toHaveLength(SEED_TICKET_COUNT);
    const ids = tickets.map((t) => asRecord(t).id);
    expect(new Set(ids).size).toBe(SEED_TICKET_COUNT);
    expect(ids[0]).toBe(1);
    // node-zendesk asked with page[size]=100: one page per hundred tickets.
    expect(zd.stats.snapshot().requests.acme?.['GET /api/v2/tickets']).toBe(Math.ceil(SEED_TICKET_COUNT / 100));
  });

  it('should show a ticket', async () => {
    const { result } = await clientFor(acme).tickets.show(1);
    const ticket = asRecord(result);
    expect(ticket).toMatchObject({ id: 1, status: 'open', url: `${zd.url}/api/v2/tickets/1.json` });
    expect(typeof ticket.subject).toBe('string');
  });

  it('should show many tickets (ids sent URL-encoded as 1%2C2)', async () => {
    const { result } = await clientFor(acme).tickets.showMany([1, 2, 999_999]);
    expect(asArray(result).map((t) => asRecord(t).id)).toEqual([1, 2]);
  });

  it('should attach sideloaded requester and organization objects', async () => {
    const client = clientFor(acme);
    client.tickets.sideLoad = ['users', 'organizations'];
    const { result } = await client.tickets.show(1);
    const ticket = asRecord(result);
    const world = buildWorld('acme');
    const small = world.customers.find((c) => c.odooId === world.anchors.smallCustomer)!;
    expect(asRecord(ticket.requester)).toMatchObject({ id: ticket.requester_id, external_id: String(small.contacts[0]!.odooId) });
    expect(asRecord(ticket.organization)).toMatchObject({ id: ticket.organization_id, name: small.name, external_id: String(small.odooId) });
  });

  it('should show a user and an organization', async () => {
    const client = clientFor(acme);
    const ticket = asRecord((await client.tickets.show(2)).result);
    const user = asRecord((await client.users.show(Number(ticket.requester_id))).result);
    expect(user).toMatchObject({ id: ticket.requester_id, role: 'end-user', organization_id: ticket.organization_id });
    const org = asRecord((await client.organizations.show(Number(ticket.organization_id))).result);
    expect(org).toMatchObject({ id: ticket.organization_id, external_id: String(buildWorld('acme').anchors.bigCustomer) });
  });

  it('should search tickets', async () => {
    const { result } = await clientFor(acme).search.query('type:ticket status:open');
    const results = asArray(result).map(asRecord);
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((r) => r.result_type === 'ticket' && r.status === 'open')).toBe(true);
  });

  it('should follow next_page through every search page (queryAll)', async () => {
    const all = asArray(await clientFor(acme).search.queryAll('type:ticket')).map(asRecord);
    expect(all).toHaveLength(SEED_TICKET_COUNT);
    expect(new Set(all.map((r) => r.id)).size).toBe(SEED_TICKET_COUNT);
  });

  it('should search users by external_id and show many users and organizations', async () => {
    const client = clientFor(globex);
    const world = buildWorld('globex');
    const small = world.customers.find((c) => c.odooId === world.anchors.smallCustomer)!;
    const contact = small.contacts[0]!;
    const found = asArray(await client.users.search({ external_id: String(contact.odooId) })).map(asRecord);
    expect(found.map((u) => u.email)).toEqual([contact.email]);
    const many = asArray((await client.users.showMany([Number(found[0]!.id)])).result).map(asRecord);
    expect(many.map((u) => u.id)).toEqual([found[0]!.id]);
    const orgs = asArray(await client.organizations.showManyByExternalIds([String(small.odooId)])).map(asRecord);
    expect(orgs.map((o) => o.name)).toEqual([small.name]);
  });

  it('should list the tickets of a requester and of an organization', async () => {
    const client = clientFor(acme);
    const ticket = asRecord((await client.tickets.show(2)).result);
    const byUser = asArray(await client.tickets.listByUserRequested(Number(ticket.requester_id))).map(asRecord);
    expect(byUser.map((t) => t.id)).toContain(2);
    expect(byUser.every((t) => t.requester_id === ticket.requester_id)).toBe(true);
    const byOrg = asArray(await client.tickets.listByOrganization(Number(ticket.organization_id))).map(asRecord);
    expect(byOrg.length).toBeGreaterThan(0);
    expect(new Set(byOrg.map((t) => t.id)).size).toBe(byOrg.length);
    expect(byOrg.every((t) => t.organization_id === ticket.organization_id)).toBe(true);
  });

  it('should accept an OAuth client (Bearer token)', async () => {
    const client = createClient({ token: acme.token, useOAuth: true, endpointUri: `${zd.url}/api/v2` });
    expect(asRecord((await client.users.me()).result)).toMatchObject({ email: acme.email, role: 'admin' });
  });

  it('should list the comments of a ticket', async () => {
    const comments = asArray(await clientFor(acme).tickets.getComments(1)).map(asRecord);
    expect(comments.length).toBeGreaterThan(0);
    expect(comments[0]).toMatchObject({ type: 'Comment', public: true, attachments: [] });
  });

  it('should update a ticket and return the ticket with its audit', async () => {
    const client = clientFor(globex);
    const { result } = await client.tickets.update(6, {
      ticket: { status: 'pending', tags: ['Needs Info', 'vip'], comment: { body: 'Waiting for the order number.', public: false } },
    });
    expect(asRecord(result)).toMatchObject({ id: 6, status: 'pending', tags: ['needs_info', 'vip'] });
    const comments = asArray(await client.tickets.getComments(6)).map(asRecord);
    expect(comments.at(-1)).toMatchObject({ body: 'Waiting for the order number.', public: false });
  });
});

describe('node-zendesk error paths', () => {
  it('should reject an unknown ticket with 404', async () => {
    const res = await outcome(clientFor(acme).tickets.show(999_999));
    expect(res).toEqual({ ok: false, message: 'Request processing failed: Zendesk Error (404): Item not found' });
  });

  it('should reject wrong credentials with 401', async () => {
    const res = await outcome(clientFor({ ...acme, token: 'wrong' }).tickets.show(1));
    expect(res).toEqual({ ok: false, message: 'Request processing failed: Zendesk Error (401): Not Authorized' });
  });

  it('should reject an invalid update with 422', async () => {
    const res = await outcome(clientFor(acme).tickets.update(1, { ticket: { status: 'bogus' } } as never));
    expect(res).toEqual({ ok: false, message: 'Request processing failed: Zendesk Error (422): Unprocessable Entity' });
  });

  it('should answer 429 with Retry-After once the per-minute budget is spent', async () => {
    const limited = await startZendeskEmulator({ port: 0, tenants: [acme, globex], rateLimitPerMinute: 2 });
    try {
      const client = clientFor(acme, limited.url);
      await client.tickets.show(1);
      await client.tickets.show(1);
      // node-zendesk does not throw on a response with Retry-After: it resolves with an Error as the
      // result (helpers.js checkRequestResponse), and list() resolves with [Error].
      const { result } = await client.tickets.show(1);
      expect(result).toBeInstanceOf(Error);
      expect(result).toMatchObject({ statusCode: 429 });
      const listed = asArray(await client.tickets.list());
      expect(listed).toHaveLength(1);
      expect(listed[0]).toMatchObject({ statusCode: 429 });
      // The other account keeps its own budget.
      expect(asRecord((await clientFor(globex, limited.url).tickets.show(1)).result).id).toBe(1);
    } finally {
      await limited.close();
    }
  });
});
