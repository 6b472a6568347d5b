/**
 * The Zendesk emulator on the wire, with plain fetch: exact bodies, headers, pagination meta and
 * links, sideloads, tenant isolation, the world's anchors, stats and fault injection.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { ZendeskTenantCredentials } from '../../sandbox/credentials';
import type { RunningEmulator } from '../../sandbox/kit/emulator';
import { buildWorld, customerOf } from '../../sandbox/world';
import { SEED_TICKET_COUNT, seedAccount, startZendeskEmulator } from '../../sandbox/zendesk';
import { RateLimiter } from '../../sandbox/zendesk/rate-limit';
import { parseSearchQuery } from '../../sandbox/zendesk/search';

const acme: ZendeskTenantCredentials = { tenant: 'acme', email: 'integration@acme.example', token: randomBytes(20).toString('hex') };
const globex: ZendeskTenantCredentials = { tenant: 'globex', email: 'integration@globex.example', token: randomBytes(20).toString('hex') };

type Json = Record<string, unknown>;
function asRecord(value: unknown): Json {
  expect(typeof value === 'object' && value !== null && !Array.isArray(value)).toBe(true);
  return value as Json;
}
function asArray(value: unknown): unknown[] {
  expect(Array.isArray(value)).toBe(true);
  return value as unknown[];
}
const records = (value: unknown): Json[] => asArray(value).map(asRecord);

let zd: RunningEmulator;
const basic = (c: ZendeskTenantCredentials): string => `Basic ${Buffer.from(`${c.email}/token:${c.token}`).toString('base64')}`;

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}
async function call(
  path: string,
  init: { creds?: ZendeskTenantCredentials | null; authorization?: string; method?: string; body?: unknown } = {},
): Promise<Answer> {
  const { creds = acme, method = 'GET' } = init;
  const headers: Record<string, string> = { accept: 'application/json' };
  const authorization = init.authorization ?? (creds ? basic(creds) : undefined);
  if (authorization) headers.authorization = authorization;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path.startsWith('http') ? path : `${zd.url}${path}`, {
    method,
    headers,
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}
const get = async (path: string, creds: ZendeskTenantCredentials = acme): Promise<Json> => {
  const res = await call(path, { creds });
  expect(res.status).toBe(200);
  return asRecord(res.json);
};

beforeAll(async () => {
  zd = await startZendeskEmulator({ port: 0, tenants: [acme, globex] });
});
afterAll(async () => {
  await zd?.close();
});

describe('authentication', () => {
  it('should answer 401 with Zendesk body without credentials or with wrong ones', async () => {
    for (const res of [await call('/api/v2/tickets/1.json', { creds: null }), await call('/api/v2/tickets/1.json', { creds: { ...acme, token: 'nope' } })]) {
      expect(res.status).toBe(401);
      expect(res.json).toEqual({ error: "Couldn't authenticate you" });
      expect(res.headers.get('retry-after')).toBeNull();
    }
    // One tenant's email with the other's token is not a login either.
    expect((await call('/api/v2/tickets/1.json', { creds: { ...acme, token: globex.token } })).status).toBe(401);
  });

  it('should accept an OAuth bearer token for the same account', async () => {
    const res = await call('/api/v2/tickets/1.json', { authorization: `Bearer ${globex.token}` });
    expect(res.status).toBe(200);
    const viaBasic = await get('/api/v2/tickets/1.json', globex);
    expect(asRecord(asRecord(res.json).ticket).subject).toBe(asRecord(viaBasic.ticket).subject);
  });

  it('should know the integration user as an admin (users/me)', async () => {
    const body = await get('/api/v2/users/me.json');
    expect(asRecord(body.user)).toMatchObject({ email: 'integration@acme.example', role: 'admin', external_id: null });
  });
});

describe('shapes and headers', () => {
  it('should carry rate-limit headers and never Retry-After on success', async () => {
    const res = await call('/api/v2/tickets/1.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.headers.get('x-rate-limit')).toBe('700');
    expect(Number(res.headers.get('x-rate-limit-remaining'))).toBeLessThan(700);
    expect(res.headers.get('retry-after')).toBeNull();
  });

  it('should render a ticket as the Tickets API does', async () => {
    const ticket = asRecord((await get('/api/v2/tickets/1.json')).ticket);
    expect(ticket).toMatchObject({ id: 1, url: `${zd.url}/api/v2/tickets/1.json`, satisfaction_rating: null, raw_subject: ticket.subject, external_id: null });
    for (const key of [
      'type',
      'subject',
      'description',
      'priority',
      'status',
      'recipient',
      'requester_id',
      'submitter_id',
      'assignee_id',
      'organization_id',
      'group_id',
      'collaborator_ids',
      'tags',
      'custom_fields',
      'via',
    ]) {
      expect(ticket).toHaveProperty(key);
    }
    expect(ticket.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(ticket.updated_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(asRecord(ticket.via).channel).toEqual(expect.any(String));
  });

  it('should render users, organizations and comments', async () => {
    const ticket = asRecord((await get('/api/v2/tickets/2.json')).ticket);
    const user = asRecord((await get(`/api/v2/users/${String(ticket.requester_id)}.json`)).user);
    expect(Object.keys(user)).toEqual(
      expect.arrayContaining([
        'id',
        'url',
        'name',
        'email',
        'role',
        'external_id',
        'organization_id',
        'time_zone',
        'locale',
        'active',
        'created_at',
        'updated_at',
      ]),
    );
    const org = asRecord((await get(`/api/v2/organizations/${String(ticket.organization_id)}.json`)).organization);
    expect(Object.keys(org)).toEqual(expect.arrayContaining(['id', 'url', 'name', 'external_id', 'domain_names', 'details', 'created_at', 'updated_at']));
    const comments = await get('/api/v2/tickets/2/comments.json');
    expect(comments).toMatchObject({ next_page: null, previous_page: null });
    const first = records(comments.comments)[0]!;
    expect(Object.keys(first)).toEqual(
      expect.arrayContaining(['id', 'type', 'author_id', 'body', 'html_body', 'plain_body', 'public', 'attachments', 'audit_id', 'via', 'created_at']),
    );
    expect(first.body).toBe(ticket.description);
  });

  it('should answer 404 RecordNotFound for unknown ids and InvalidEndpoint for unknown routes', async () => {
    for (const path of [
      '/api/v2/tickets/999999.json',
      '/api/v2/users/999999.json',
      '/api/v2/organizations/999999.json',
      '/api/v2/tickets/999999/comments.json',
    ]) {
      const res = await call(path);
      expect(res.status).toBe(404);
      expect(res.json).toEqual({ error: 'RecordNotFound', description: 'Not found' });
    }
    const res = await call('/api/v2/nothing_here.json');
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error: 'InvalidEndpoint', description: 'Not found' });
  });

  it('should accept paths without .json', async () => {
    expect(asRecord((await get('/api/v2/tickets/3')).ticket).id).toBe(3);
  });
});

describe('pagination', () => {
  it('should page tickets by cursor with absolute links and null next on the last page', async () => {
    const first = await get('/api/v2/tickets.json?page[size]=2');
    expect(records(first.tickets).map((t) => t.id)).toEqual([1, 2]);
    const meta = asRecord(first.meta);
    expect(meta.has_more).toBe(true);
    expect(meta.after_cursor).toEqual(expect.any(String));
    expect(meta.before_cursor).toEqual(expect.any(String));
    const links = asRecord(first.links);
    expect(links.next).toBe(`${zd.url}/api/v2/tickets.json?page[size]=2&page[after]=${String(meta.after_cursor)}`);
    expect(links.prev).toBeNull();

    const second = await get(String(links.next));
    expect(records(second.tickets).map((t) => t.id)).toEqual([3, 4]);
    const back = await get(String(asRecord(second.links).prev));
    expect(records(back.tickets).map((t) => t.id)).toEqual([1, 2]);

    // URL-encoded brackets, as node-zendesk sends them, and the last page.
    const lastAfter = Buffer.from(`zd:${SEED_TICKET_COUNT - 1}`).toString('base64url');
    const last = await get(`/api/v2/tickets.json?page%5Bsize%5D=100&page%5Bafter%5D=${lastAfter}`);
    expect(records(last.tickets).map((t) => t.id)).toEqual([SEED_TICKET_COUNT]);
    expect(last.meta).toMatchObject({ has_more: false });
    expect(asRecord(last.links).next).toBeNull();
  });

  it('should reject a page size over 100 and a forged cursor', async () => {
    expect((await call('/api/v2/tickets.json?page[size]=101')).status).toBe(400);
    expect((await call('/api/v2/tickets.json?page[size]=10&page[after]=garbage')).status).toBe(400);
  });

  it('should carry include= over to the next link', async () => {
    const first = await get('/api/v2/tickets.json?page[size]=3&include=users,organizations');
    expect(String(asRecord(first.links).next)).toContain('include=users%2Corganizations');
    expect(asArray(first.users).length).toBeGreaterThan(0);
  });

  it('should use offset pagination without page[size]', async () => {
    const body = await get('/api/v2/tickets.json?per_page=50&page=2');
    expect(records(body.tickets).map((t) => t.id)[0]).toBe(51);
    expect(body).toMatchObject({
      count: SEED_TICKET_COUNT,
      next_page: `${zd.url}/api/v2/tickets.json?page=3&per_page=50`,
      previous_page: `${zd.url}/api/v2/tickets.json?page=1&per_page=50`,
    });
    expect(body).not.toHaveProperty('meta');
    const last = await get(`/api/v2/tickets.json?per_page=100&page=${Math.ceil(SEED_TICKET_COUNT / 100)}`);
    expect(last.next_page).toBeNull();
  });
});

describe('show_many and sideloads', () => {
  it('should show many tickets from URL-encoded ids, with users and organizations side by side', async () => {
    const body = await get('/api/v2/tickets/show_many.json?ids=1%2C2%2C3&include=users%2Corganizations');
    const tickets = records(body.tickets);
    expect(tickets.map((t) => t.id)).toEqual([1, 2, 3]);
    const userIds = new Set(records(body.users).map((u) => u.id));
    for (const t of tickets) expect(userIds.has(t.requester_id)).toBe(true);
    const orgIds = records(body.organizations).map((o) => o.id);
    expect(orgIds).toEqual([tickets[0]!.organization_id, tickets[1]!.organization_id]);
  });

  it('should sideload on a single ticket and not without include', async () => {
    const withInclude = await get('/api/v2/tickets/1.json?include=users');
    expect(records(withInclude.users).some((u) => u.id === asRecord(withInclude.ticket).requester_id)).toBe(true);
    expect(withInclude).not.toHaveProperty('organizations');
    expect(await get('/api/v2/tickets/1.json')).not.toHaveProperty('users');
  });

  it('should show many users by id and by external id, and organizations', async () => {
    const world = buildWorld('acme');
    const small = customerOf(world, world.anchors.smallCustomer);
    const ext = String(small.contacts[0]!.odooId);
    const byExt = records((await get(`/api/v2/users/show_many.json?external_ids=${ext},nope`)).users);
    expect(byExt.map((u) => u.external_id)).toEqual([ext]);
    const byId = records((await get(`/api/v2/users/show_many.json?ids=${String(byExt[0]!.id)}%2C1`)).users);
    expect(byId.map((u) => u.id)).toEqual([byExt[0]!.id]);
    const orgs = records((await get(`/api/v2/organizations/show_many.json?external_ids=${small.odooId}`)).organizations);
    expect(orgs).toHaveLength(1);
    expect(orgs[0]).toMatchObject({ name: small.name });
    const orgsById = records((await get(`/api/v2/organizations/show_many.json?ids=${String(orgs[0]!.id)}`)).organizations);
    expect(orgsById.map((o) => o.name)).toEqual([small.name]);
  });

  it('should find users by external_id and by query', async () => {
    const world = buildWorld('globex');
    const big = customerOf(world, world.anchors.bigCustomer);
    const contact = big.contacts[0]!;
    const byExt = await get(`/api/v2/users/search.json?external_id=${contact.odooId}`, globex);
    expect(records(byExt.users).map((u) => u.email)).toEqual([contact.email]);
    expect(byExt).toMatchObject({ count: 1, next_page: null });
    const byQuery = await get(`/api/v2/users/search.json?query=${encodeURIComponent(String(contact.email))}`, globex);
    expect(records(byQuery.users).map((u) => u.external_id)).toEqual([String(contact.odooId)]);
  });
});

describe('search', () => {
  const results = async (query: string, creds = acme): Promise<Json[]> =>
    records((await get(`/api/v2/search.json?query=${encodeURIComponent(query)}`, creds)).results);

  it('should answer the documented envelope', async () => {
    const body = await get(`/api/v2/search.json?query=${encodeURIComponent('type:ticket status:open')}&per_page=5`);
    expect(body).toMatchObject({ facets: null, previous_page: null });
    expect(body.count).toEqual(expect.any(Number));
    expect(String(body.next_page)).toBe(`${zd.url}/api/v2/search.json?page=2&per_page=5&query=type%3Aticket+status%3Aopen`);
    expect(records(body.results).every((r) => r.result_type === 'ticket' && r.status === 'open')).toBe(true);
  });

  it('should filter on status order, requester email and organization', async () => {
    const unsolved = await results('type:ticket status<solved');
    expect(unsolved.length).toBeGreaterThan(0);
    expect(new Set(unsolved.map((t) => t.status))).toEqual(new Set(['new', 'open', 'pending', 'hold']));

    const ticket1 = asRecord((await get('/api/v2/tickets/1.json')).ticket);
    const requester = asRecord((await get(`/api/v2/users/${String(ticket1.requester_id)}.json`)).user);
    const mine = await results(`type:ticket requester:${String(requester.email)}`);
    expect(mine.map((t) => t.id)).toContain(1);
    expect(mine.every((t) => t.requester_id === requester.id)).toBe(true);

    const world = buildWorld('acme');
    const small = customerOf(world, world.anchors.smallCustomer);
    const inOrg = await results(`type:ticket organization:"${small.name}"`);
    expect(inOrg.every((t) => t.organization_id === ticket1.organization_id)).toBe(true);
    expect(inOrg.map((t) => t.id)).toContain(1);
  });

  it('should find users by email and external_id, and match free text on subjects', async () => {
    const world = buildWorld('acme');
    const small = customerOf(world, world.anchors.smallCustomer);
    const contact = small.contacts[0]!;
    const byEmail = await results(`type:user email:${String(contact.email)}`);
    expect(byEmail).toHaveLength(1);
    expect(byEmail[0]).toMatchObject({ result_type: 'user', external_id: String(contact.odooId) });
    expect((await results(`external_id:${contact.odooId}`)).map((r) => r.result_type)).toEqual(['user']);
    const orgs = await results(`type:organization external_id:${small.odooId}`);
    expect(orgs.map((o) => o.name)).toEqual([small.name]);

    const subject = String(asRecord((await get('/api/v2/tickets/1.json')).ticket).subject);
    const word = subject.split(':')[0]!;
    const byText = await results(`type:ticket "${word}"`);
    expect(byText.map((t) => t.id)).toContain(1);
  });

  it('should parse the query language', () => {
    expect(parseSearchQuery('type:ticket status<solved -tags:vip "late order" requester:a@b.example')).toEqual([
      { key: 'type', op: ':', value: 'ticket', negate: false },
      { key: 'status', op: '<', value: 'solved', negate: false },
      { key: 'tags', op: ':', value: 'vip', negate: true },
      { key: null, op: ':', value: 'late order', negate: false },
      { key: 'requester', op: ':', value: 'a@b.example', negate: false },
    ]);
  });
});

describe('updates', () => {
  beforeEach(async () => {
    await fetch(`${zd.url}/__sandbox/reset?data=1&faults=1`, { method: 'POST' });
  });

  it('should apply an update and answer the ticket with its audit', async () => {
    const res = await call('/api/v2/tickets/7.json', {
      method: 'PUT',
      body: { ticket: { status: 'solved', priority: 'low', tags: ['a', 'B c'], comment: { body: 'Fixed.', public: true } } },
    });
    expect(res.status).toBe(200);
    const body = asRecord(res.json);
    expect(asRecord(body.ticket)).toMatchObject({ id: 7, status: 'solved', priority: 'low', tags: ['a', 'b_c'] });
    const audit = asRecord(body.audit);
    expect(audit).toMatchObject({ ticket_id: 7 });
    const events = records(audit.events);
    expect(events.find((e) => e.type === 'Comment')).toMatchObject({ body: 'Fixed.', public: true });
    expect(events.find((e) => e.field_name === 'status')).toMatchObject({ type: 'Change', value: 'solved' });
    expect(asRecord((await get('/api/v2/tickets/7.json')).ticket).status).toBe('solved');
  });

  it('should apply status, priority, tags and assignee and add an internal note in one PUT', async () => {
    const users = records((await get('/api/v2/users.json?role=agent')).users);
    const agent = users.find((u) => u.role === 'agent')!;
    const before = records((await get('/api/v2/tickets/9/comments.json')).comments).length;
    const res = await call('/api/v2/tickets/9.json', {
      method: 'PUT',
      body: {
        ticket: {
          status: 'pending',
          priority: 'high',
          tags: ['erp_action', 'Return Requested'],
          assignee_id: agent.id,
          comment: { body: 'Return WH/IN/00003 created [action:a-1]', public: false },
        },
      },
    });
    expect(res.status).toBe(200);
    const body = asRecord(res.json);
    expect(asRecord(body.ticket)).toMatchObject({
      id: 9,
      status: 'pending',
      priority: 'high',
      tags: ['erp_action', 'return_requested'],
      assignee_id: agent.id,
    });
    const events = records(asRecord(body.audit).events);
    expect(events.filter((e) => e.type === 'Change').map((e) => e.field_name)).toEqual(expect.arrayContaining(['status', 'priority', 'tags', 'assignee_id']));
    expect(events.find((e) => e.type === 'Comment')).toMatchObject({ body: 'Return WH/IN/00003 created [action:a-1]', public: false });
    const comments = records((await get('/api/v2/tickets/9/comments.json')).comments);
    expect(comments).toHaveLength(before + 1);
    expect(comments.at(-1)).toMatchObject({ body: 'Return WH/IN/00003 created [action:a-1]', public: false, type: 'Comment' });
    expect(asRecord((await get('/api/v2/tickets/9.json')).ticket)).toMatchObject({ status: 'pending', priority: 'high', assignee_id: agent.id });
  });

  it('should add a public reply when the comment is public or says nothing', async () => {
    for (const comment of [{ body: 'We are on it.', public: true }, { body: 'Shipped again.' }]) {
      const res = await call('/api/v2/tickets/10.json', { method: 'PUT', body: { ticket: { comment } } });
      expect(res.status).toBe(200);
      expect(records((await get('/api/v2/tickets/10/comments.json')).comments).at(-1)).toMatchObject({ body: comment.body, public: true });
    }
  });

  it('should refuse an end-user as assignee and a blank comment with 422, changing nothing', async () => {
    const ticket = asRecord((await get('/api/v2/tickets/1.json')).ticket);
    const res = await call('/api/v2/tickets/1.json', {
      method: 'PUT',
      body: { ticket: { status: 'solved', assignee_id: ticket.requester_id, comment: { body: ' ', public: false } } },
    });
    expect(res.status).toBe(422);
    const body = asRecord(res.json);
    expect(body).toMatchObject({ error: 'RecordInvalid', description: 'Record validation errors' });
    expect(Object.keys(asRecord(body.details)).sort()).toEqual(['assignee', 'comment']);
    expect(asRecord((await get('/api/v2/tickets/1.json')).ticket)).toMatchObject({ status: ticket.status, assignee_id: ticket.assignee_id });
  });

  it('should answer 422 RecordInvalid with details for an invalid status', async () => {
    const res = await call('/api/v2/tickets/1.json', { method: 'PUT', body: { ticket: { status: 'bogus' } } });
    expect(res.status).toBe(422);
    const body = asRecord(res.json);
    expect(body).toMatchObject({ error: 'RecordInvalid', description: 'Record validation errors' });
    expect(records(asRecord(body.details).status)[0]).toMatchObject({ error: 'InvalidValue' });
    expect(asRecord((await get('/api/v2/tickets/1.json')).ticket).status).toBe('open');
  });

  it('should refuse to update a closed ticket and answer 400 for a body without ticket', async () => {
    const closed = records((await get(`/api/v2/search.json?query=${encodeURIComponent('type:ticket status:closed')}`)).results)[0]!;
    const res = await call(`/api/v2/tickets/${String(closed.id)}.json`, { method: 'PUT', body: { ticket: { status: 'open' } } });
    expect(res.status).toBe(422);
    expect(asRecord(asRecord(res.json).details)).toHaveProperty('status');
    expect((await call('/api/v2/tickets/1.json', { method: 'PUT', body: { status: 'open' } })).status).toBe(400);
    expect((await call('/api/v2/tickets/1.json', { method: 'PUT', body: '{not json' })).status).toBe(400);
  });

  it('should restore seeded data on reset', async () => {
    await call('/api/v2/tickets/1.json', { method: 'PUT', body: { ticket: { status: 'pending' } } });
    await fetch(`${zd.url}/__sandbox/reset?data=1`, { method: 'POST' });
    expect(asRecord((await get('/api/v2/tickets/1.json')).ticket).status).toBe('open');
  });
});

describe('seed, anchors and isolation', () => {
  it('should seed about 300 tickets per tenant in every status, deterministically', () => {
    for (const tenant of ['acme', 'globex']) {
      const account = seedAccount(tenant);
      expect(account.tickets.size).toBe(SEED_TICKET_COUNT);
      expect(new Set([...account.tickets.values()].map((t) => t.status))).toEqual(new Set(['new', 'open', 'pending', 'hold', 'solved', 'closed']));
      expect(JSON.stringify(account.ticketList())).toBe(JSON.stringify(seedAccount(tenant).ticketList()));
      for (const t of account.tickets.values()) expect(account.comments.get(t.id)?.length).toBeGreaterThan(0);
    }
  });

  it.each(['acme', 'globex'] as const)('should hold the world anchors for %s', async (tenant) => {
    const creds = tenant === 'acme' ? acme : globex;
    const world = buildWorld(tenant);
    const a = world.anchors;
    const requesterOf = async (id: number): Promise<{ ticket: Json; user: Json; org: Json | null }> => {
      const body = await get(`/api/v2/tickets/${id}.json?include=users,organizations`, creds);
      const ticket = asRecord(body.ticket);
      const user = records(body.users).find((u) => u.id === ticket.requester_id)!;
      const org = records(body.organizations).find((o) => o.id === ticket.organization_id) ?? null;
      return { ticket, user, org };
    };
    const contactIds = (odooId: number): string[] => customerOf(world, odooId).contacts.map((c) => String(c.odooId));

    const small = await requesterOf(a.tickets.small);
    expect(contactIds(a.smallCustomer)).toContain(small.user.external_id);
    expect(small.org).toMatchObject({ external_id: String(a.smallCustomer), name: customerOf(world, a.smallCustomer).name });

    const big = await requesterOf(a.tickets.big);
    expect(contactIds(a.bigCustomer)).toContain(big.user.external_id);
    expect(big.org).toMatchObject({ external_id: String(a.bigCustomer) });

    const unknown = await requesterOf(a.tickets.unknownRequester);
    const worldEmails = world.customers.flatMap((c) => [c.email, ...c.contacts.map((p) => p.email)]);
    expect(unknown.user.external_id).toBeNull();
    expect(worldEmails).not.toContain(unknown.user.email);
    expect(unknown.ticket.organization_id).toBeNull();

    const emailOnly = await requesterOf(a.tickets.emailOnly);
    const emailOnlyCustomer = customerOf(world, a.emailOnlyCustomer);
    expect(emailOnlyCustomer.zendesk).toBe('email');
    expect(emailOnly.user.external_id).toBeNull();
    expect([emailOnlyCustomer.email, ...emailOnlyCustomer.contacts.map((c) => c.email)]).toContain(emailOnly.user.email);
    expect(emailOnly.org).toMatchObject({ external_id: null, name: emailOnlyCustomer.name });

    const noSf = await requesterOf(a.tickets.noSalesforce);
    expect(customerOf(world, a.noSalesforceCustomer).salesforce).toBe('none');
    expect(contactIds(a.noSalesforceCustomer)).toContain(noSf.user.external_id);
  });

  it('should show the same ticket id with different content per tenant', async () => {
    const a = asRecord((await get('/api/v2/tickets/1.json', acme)).ticket);
    const g = asRecord((await get('/api/v2/tickets/1.json', globex)).ticket);
    expect(a.subject).not.toBe(g.subject);
    // acme's credentials never reach globex's content.
    const globexRequester = asRecord((await get(`/api/v2/users/${String(g.requester_id)}.json`, globex)).user);
    const seen = await get(`/api/v2/search.json?query=${encodeURIComponent(`email:${String(globexRequester.email)}`)}`, acme);
    expect(seen.count).toBe(0);
    const acmeList = records((await get('/api/v2/tickets.json?page[size]=100', acme)).tickets);
    expect(acmeList.some((t) => t.subject === g.subject)).toBe(false);
  });
});

describe('stats and faults', () => {
  beforeEach(async () => {
    await fetch(`${zd.url}/__sandbox/reset?faults=1`, { method: 'POST' });
  });

  it('should count requests per tenant and operation', async () => {
    await get('/api/v2/tickets/1.json', acme);
    await get('/api/v2/tickets/2.json', acme);
    await get('/api/v2/tickets/show_many.json?ids=1', globex);
    await call('/api/v2/tickets/1.json', { method: 'PUT', body: { ticket: { status: 'bogus' } } });
    await call('/api/v2/users/5.json', { creds: null });
    const stats = asRecord(asRecord((await call('/__sandbox/stats', { creds: null })).json).requests);
    expect(stats.acme).toEqual({ 'GET /api/v2/tickets/{id}': 2, 'PUT /api/v2/tickets/{id}': 1 });
    expect(stats.globex).toEqual({ 'GET /api/v2/tickets/show_many': 1 });
    expect(stats._anonymous).toEqual({ 'GET /api/v2/users/{id}': 1 });
  });

  it('should inject Zendesk errors and 429s for one tenant and operation', async () => {
    const rules = [
      { tenant: 'acme', op: 'GET /api/v2/tickets/{id}', fault: 'error', times: 1 },
      { tenant: 'acme', op: 'GET /api/v2/search', fault: 'rate_limit', retryAfterSeconds: 7, times: 1 },
    ];
    const res = await fetch(`${zd.url}/__sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(rules) });
    expect(res.status).toBe(200);

    expect((await call('/api/v2/tickets/1.json', { creds: globex })).status).toBe(200);
    const failed = await call('/api/v2/tickets/1.json');
    expect(failed.status).toBe(500);
    expect(asRecord(failed.json)).toMatchObject({ error: 'InternalError' });
    expect((await call('/api/v2/tickets/1.json')).status).toBe(200);

    const limited = await call('/api/v2/search.json?query=type:ticket');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(limited.headers.get('content-type')).toContain('text/plain');
    expect(limited.text).toBe('Number of allowed API requests per minute exceeded');
  });
});

describe('rate limiter', () => {
  it('should refuse over budget, name the wait, and refill over the minute', async () => {
    let now = 1_000_000;
    const limiter = new RateLimiter(60, () => now);
    for (let i = 0; i < 60; i++) expect(limiter.take('acme').allowed).toBe(true);
    expect(limiter.take('acme')).toEqual({ allowed: false, limit: 60, remaining: 0, retryAfterSeconds: 1 });
    expect(limiter.take('globex').allowed).toBe(true);
    now += 30_000;
    expect(limiter.take('acme')).toMatchObject({ allowed: true, remaining: 29 });
  });

  it('should answer 429 over HTTP with Retry-After and keep success headers clean', async () => {
    const limited = await startZendeskEmulator({ port: 0, tenants: [acme], rateLimitPerMinute: 2 });
    try {
      const auth = { authorization: basic(acme) };
      const ok = await fetch(`${limited.url}/api/v2/tickets/1.json`, { headers: auth });
      expect(ok.headers.get('x-rate-limit')).toBe('2');
      expect(ok.headers.get('x-rate-limit-remaining')).toBe('1');
      await fetch(`${limited.url}/api/v2/tickets/1.json`, { headers: auth });
      const refused = await fetch(`${limited.url}/api/v2/tickets/1.json`, { headers: auth });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await refused.text()).toBe('Number of allowed API requests per minute exceeded');
    } finally {
      await limited.close();
    }
  });
});
