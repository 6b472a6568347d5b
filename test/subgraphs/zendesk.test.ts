/**
 * The Zendesk subgraph against the Zendesk emulator, over HTTP, with a signed gateway identity.
 * Upstream call counts are read from the emulator's own stats.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import pino from 'pino';
import { createMemoryEntityCache } from '../../cache';
import { buildWorld, customerOf } from '../../sandbox/world';
import { SEED_TICKET_COUNT } from '../../sandbox/zendesk';
import { callsOf, startZendeskHarness, statsOf, type Harness } from '../support/sfzd-harness';

const acme = buildWorld('acme');
const globex = buildWorld('globex');
const T = acme.anchors.tickets;

const TICKET = `query($id: ID!) { ticket(id: $id) {
  id subject status priority type tags createdAt updatedAt
  requester { id name email role externalId }
  assignee { id role }
  organization { id name externalId domainNames }
} }`;

const CUSTOMER_OF_TICKET = `query($id: ID!) { ticket(id: $id) { id customerMatch { externalId email } } }`;

describe('Zendesk subgraph', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startZendeskHarness();
  });
  afterAll(async () => {
    await h?.close();
  });
  afterEach(() => {
    h.emulator.faults.clear();
    h.emulator.stats.reset();
  });

  it('should answer ticket(1) with its requester and organization in one upstream call', async () => {
    const res = await h.query('acme', ['agent'], TICKET, { id: String(T.small) });
    expect(res.errors).toBeUndefined();
    const ticket = res.data?.['ticket'];
    const small = customerOf(acme, acme.anchors.smallCustomer);
    expect(ticket).toMatchObject({ id: '1', status: 'OPEN', priority: 'HIGH' });
    expect(ticket.subject).toMatch(new RegExp(`^${small.name}: `));
    expect(Date.parse(ticket.createdAt)).not.toBeNaN();
    expect(ticket.requester).toMatchObject({ role: 'END_USER', externalId: String(small.contacts[0]!.odooId), email: small.contacts[0]!.email });
    expect(ticket.organization).toMatchObject({ name: small.name, externalId: String(small.odooId) });
    expect(ticket.assignee.role).toMatch(/AGENT|ADMIN/);
    // show_many with include=users,organizations: the requester, assignee and organization come with it.
    expect(statsOf(h.emulator, 'acme')).toEqual({ 'GET /api/v2/tickets/show_many': 1 });
  });

  it('should answer null for an unknown ticket and BAD_USER_INPUT for a malformed id', async () => {
    const unknown = await h.query('acme', ['agent'], TICKET, { id: '999999' });
    expect(unknown.errors).toBeUndefined();
    expect(unknown.data?.['ticket']).toBeNull();
    for (const id of ['abc', '-1', '0', '1; DROP', '1.5']) {
      const bad = await h.query('acme', ['agent'], TICKET, { id });
      expect(bad.data?.['ticket']).toBeNull();
      expect(bad.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    }
  });

  it('should page through tickets with cursors', async () => {
    const Q = `query($after: String, $status: TicketStatus) { tickets(first: 5, after: $after, status: $status) {
      totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id status requester { id } } } } }`;
    const first = await h.query('acme', ['agent'], Q);
    expect(first.errors).toBeUndefined();
    const c1 = first.data?.['tickets'];
    expect(c1.edges.map((e: any) => e.node.id)).toEqual(['1', '2', '3', '4', '5']);
    expect(c1.totalCount).toBe(SEED_TICKET_COUNT);
    expect(c1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = await h.query('acme', ['agent'], Q, { after: c1.pageInfo.endCursor });
    const c2 = second.data?.['tickets'];
    expect(c2.edges.map((e: any) => e.node.id)).toEqual(['6', '7', '8', '9', '10']);
    expect(c2.pageInfo.hasPreviousPage).toBe(true);
    // Pages and their requesters: one list call each (requesters sideloaded), whatever the page size.
    expect(statsOf(h.emulator, 'acme')).toEqual({ 'GET /api/v2/tickets': 2 });

    const open = await h.query('acme', ['agent'], Q, { status: 'OPEN' });
    const c3 = open.data?.['tickets'];
    expect(c3.edges.length).toBe(5);
    expect(c3.edges.every((e: any) => e.node.status === 'OPEN')).toBe(true);
    expect(c3.totalCount).toBeGreaterThan(5);
    const bad = await h.query('acme', ['agent'], Q, { after: 'not-a-cursor' });
    expect(bad.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });

  it("should page through a ticket's comments", async () => {
    const Q = `query($after: String) { ticket(id: "2") { comments(first: 1, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { id body public createdAt author { id } } } } } }`;
    const res = await h.query('acme', ['agent'], Q);
    expect(res.errors).toBeUndefined();
    const conn = res.data?.['ticket'].comments;
    expect(conn.edges).toHaveLength(1);
    expect(conn.edges[0].node.body.length).toBeGreaterThan(0);
    expect(conn.totalCount).toBeGreaterThanOrEqual(1);
    if (conn.totalCount > 1) {
      const next = await h.query('acme', ['agent'], Q, { after: conn.pageInfo.endCursor });
      expect(next.data?.['ticket'].comments.edges[0].node.id).not.toBe(conn.edges[0].node.id);
    }
  });

  it("should hand the ERP each anchor ticket's external id and email match", async () => {
    const answers: Record<number, any> = {};
    for (const id of [T.small, T.big, T.unknownRequester, T.emailOnly, T.noSalesforce]) {
      const res = await h.query('acme', ['agent'], CUSTOMER_OF_TICKET, { id: String(id) });
      expect(res.errors).toBeUndefined();
      answers[id] = res.data?.['ticket'];
    }
    const small = customerOf(acme, acme.anchors.smallCustomer);
    const emailOnly = customerOf(acme, acme.anchors.emailOnlyCustomer);
    // The organization (the commercial partner) wins over the requester's own external id (a contact's).
    expect(answers[T.small]).toMatchObject({ customerMatch: { externalId: String(small.odooId), email: small.contacts[0]!.email } });
    expect(answers[T.big].customerMatch.externalId).toBe(String(acme.anchors.bigCustomer));
    expect(answers[T.noSalesforce].customerMatch.externalId).toBe(String(acme.anchors.noSalesforceCustomer));
    // Email-only and unknown requesters: no external id; the email is what the ERP can match.
    expect(answers[T.emailOnly]).toEqual({ id: String(T.emailOnly), customerMatch: { externalId: null, email: emailOnly.contacts[0]!.email } });
    expect(answers[T.unknownRequester]).toMatchObject({
      customerMatch: { externalId: null, email: expect.stringMatching(/@(freemail|inbox|postbox)\.example$/) },
    });
  });

  it("should follow the tenant's matching rules", async () => {
    const h2 = await startZendeskHarness({
      editRegistry: (r) => ({ tenants: r.tenants.map((t) => ({ ...t, matching: { ...t.matching, zendesk: ['email'] } })) }),
    });
    try {
      const res = await h2.query('acme', ['agent'], CUSTOMER_OF_TICKET, { id: String(T.small) });
      expect(res.data?.['ticket']).toMatchObject({ customerMatch: { externalId: null, email: expect.stringMatching(/@/) } });
    } finally {
      await h2.close();
    }
  });

  it('should resolve Ticket representations in one call however many there are', async () => {
    const Q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Ticket { id subject requester { name } organization { name } } } }`;
    const reps = [1, 2, 3, 4, 5, 6, 7, 8, 1, 2].map((id) => ({ __typename: 'Ticket', id: String(id) }));
    const res = await h.query('acme', ['agent'], Q, { r: reps });
    expect(res.errors).toBeUndefined();
    expect((res.data?.['_entities'] as unknown[]).length).toBe(10);
    expect(statsOf(h.emulator, 'acme')).toEqual({ 'GET /api/v2/tickets/show_many': 1 });
  });

  it("should read Zendesk's SLA sideload in the same show_many call, for any number of tickets", async () => {
    const SLA = `zendeskSla { policy firstResponseDueAt resolutionDueAt breached metrics { metric stage breachAt } }`;
    const Q = (fields: string): string =>
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Ticket { id createdAt priority requester { name } ${fields} } } }`;
    const reps = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((id) => ({ __typename: 'Ticket', id: String(id) }));
    const before = await h.query('acme', ['agent'], Q(''), { r: reps });
    expect(before.errors).toBeUndefined();
    const baseline = statsOf(h.emulator, 'acme');
    h.emulator.stats.reset();
    const res = await h.query('acme', ['agent'], Q(SLA), { r: reps });
    expect(res.errors).toBeUndefined();
    // The ticket batch costs what it cost without SLA (one show_many); the policy names add one
    // slas/policies call, remembered by the client for the next requests.
    expect(statsOf(h.emulator, 'acme')).toEqual({ ...baseline, 'GET /api/v2/slas/policies': 1 });
    const tickets = res.data?.['_entities'] as Array<Record<string, unknown> & { zendeskSla: Record<string, unknown> | null }>;
    const t1 = tickets[0]!;
    const created = Date.parse(String(t1['createdAt']));
    expect(t1.zendeskSla).toEqual({
      policy: 'Premium support',
      firstResponseDueAt: new Date(created + 60 * 60_000).toISOString(),
      resolutionDueAt: new Date(created + 480 * 60_000).toISOString(),
      breached: expect.any(Boolean),
      metrics: [
        { metric: 'first_reply_time', stage: expect.stringMatching(/^(active|achieved)$/), breachAt: new Date(created + 60 * 60_000).toISOString() },
        { metric: 'requester_wait_time', stage: 'active', breachAt: new Date(created + 480 * 60_000).toISOString() },
      ],
    });
    // The seeded tickets are from 2025: an open ticket's requester wait is long past.
    expect(t1.zendeskSla?.['breached']).toBe(true);
    // Ticket 3 (normal priority) falls under the other policy; ticket 4 is solved: nothing breached.
    expect(tickets[2]!.zendeskSla?.['policy']).toBe('Standard support');
    expect(tickets[3]!.zendeskSla?.['breached']).toBe(false);
    for (const t of tickets) if (t['priority'] === null) expect(t.zendeskSla).toBeNull();

    h.emulator.stats.reset();
    const again = await h.query('acme', ['agent'], Q(SLA), { r: reps });
    expect(again.errors).toBeUndefined();
    expect(statsOf(h.emulator, 'acme')).toEqual(baseline);
  });

  it('should answer zendeskSla null for an account without SLA data, at no extra call', async () => {
    const Q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Ticket { id zendeskSla { policy breached } } } }`;
    const reps = [1, 2, 3, 4, 5].map((id) => ({ __typename: 'Ticket', id: String(id) }));
    const res = await h.query('globex', ['agent'], Q, { r: reps });
    expect(res.errors).toBeUndefined();
    for (const t of res.data?.['_entities'] as Array<Record<string, unknown>>) expect(t['zendeskSla']).toBeNull();
    expect(statsOf(h.emulator, 'globex')).toEqual({ 'GET /api/v2/tickets/show_many': 1 });
  });

  it("should read the SLA of a customer's tickets (search results) in one batched call", async () => {
    const Q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id tickets(first: 5) { edges { node { id zendeskSla { resolutionDueAt breached } } } } } } }`;
    const ids = [acme.anchors.smallCustomer, acme.anchors.bigCustomer];
    const without = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id tickets(first: 5) { edges { node { id } } } } } }`;
    await h.query('acme', ['agent'], without, { r: ids.map((id) => ({ __typename: 'Customer', id: String(id) })) });
    const baseline = statsOf(h.emulator, 'acme');
    h.emulator.stats.reset();
    const res = await h.query('acme', ['agent'], Q, { r: ids.map((id) => ({ __typename: 'Customer', id: String(id) })) });
    expect(res.errors).toBeUndefined();
    // Search results carry no sideload: one show_many?include=slas for all of them.
    expect(statsOf(h.emulator, 'acme')).toEqual({ ...baseline, 'GET /api/v2/tickets/show_many': (baseline['GET /api/v2/tickets/show_many'] ?? 0) + 1 });
  });

  it("should list a customer's tickets through _entities with batched look-ups", async () => {
    const Q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id tickets(first: 3) { totalCount edges { node { id organization { externalId } requester { externalId } } } } } } }`;
    const ids = [acme.anchors.smallCustomer, acme.anchors.bigCustomer, acme.anchors.noSalesforceCustomer];
    const res = await h.query('acme', ['agent'], Q, { r: [...ids, ...ids].map((id) => ({ __typename: 'Customer', id: String(id) })) });
    expect(res.errors).toBeUndefined();
    const entities = res.data?.['_entities'] as any[];
    expect(entities).toHaveLength(6);
    for (const [i, id] of ids.entries()) {
      const conn = entities[i].tickets;
      expect(conn.totalCount).toBeGreaterThan(0);
      for (const e of conn.edges) expect(e.node.organization.externalId).toBe(String(id));
    }
    expect(entities[1].tickets.totalCount).toBeGreaterThan(entities[0].tickets.totalCount);
    const stats = statsOf(h.emulator, 'acme');
    // One show_many per model for the identity look-ups and the requesters, whatever the number of
    // representations; Zendesk has no multi-requester ticket query, so one search per distinct customer.
    expect(stats['GET /api/v2/organizations/show_many']).toBe(1);
    expect(stats['GET /api/v2/users/show_many']).toBe(2);
    expect(stats['GET /api/v2/search']).toBe(ids.length);

    // By email (an ERP customer whose email is a requester's, with no external-id link).
    const byEmail = await h.query(
      'acme',
      ['agent'],
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id tickets { totalCount edges { node { id } } } } } }`,
      {
        r: [{ __typename: 'Customer', id: '99999', matchEmail: customerOf(acme, acme.anchors.emailOnlyCustomer).contacts[0]!.email }],
      },
    );
    expect(byEmail.errors).toBeUndefined();
    expect((byEmail.data?.['_entities'] as any[])[0].tickets.edges.map((e: any) => e.node.id)).toContain(String(T.emailOnly));
  });

  it('should keep tenants apart: acme never sees globex data, and no call reaches globex', async () => {
    const a = await h.query('acme', ['agent'], TICKET, { id: '1' });
    const g = await h.query('globex', ['agent'], TICKET, { id: '1' });
    expect(a.data?.['ticket'].subject).toMatch(new RegExp(`^${customerOf(acme, acme.anchors.smallCustomer).name}`));
    expect(g.data?.['ticket'].subject).toMatch(new RegExp(`^${customerOf(globex, globex.anchors.smallCustomer).name}`));
    h.emulator.stats.reset();
    await h.query('acme', ['agent'], TICKET, { id: '2' });
    await h.query('acme', ['agent'], `{ tickets(first: 3) { edges { node { id customerMatch { externalId } } } } }`);
    expect(callsOf(h.emulator, 'acme')).toBeGreaterThan(0);
    expect(callsOf(h.emulator, 'globex')).toBe(0);
  });

  it('should refuse requests without a valid gateway identity and make no upstream call', async () => {
    const none = await h.raw('{ ticket(id: "1") { id } }', {});
    expect(none.status).toBe(401);
    expect(none.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    const forged = await h.raw('{ ticket(id: "1") { id } }', {
      'x-gateway-identity': 'eyJhbGciOiJIUzI1NiJ9.eyJ0aWQiOiJhY21lIiwicm9sZXMiOlsiYWRtaW4iXSwic3ViIjoieCJ9.c2lnbmF0dXJl',
    });
    expect(forged.status).toBe(401);
    expect(callsOf(h.emulator, 'acme') + callsOf(h.emulator, '_anonymous')).toBe(0);
  });

  const FAULTS: Array<['error' | 'rate_limit' | 'down' | 'http5xx' | 'malformed', string]> = [
    ['error', 'UPSTREAM_UNAVAILABLE'],
    ['rate_limit', 'UPSTREAM_RATE_LIMITED'],
    ['down', 'UPSTREAM_UNAVAILABLE'],
    ['http5xx', 'UPSTREAM_UNAVAILABLE'],
    ['malformed', 'UPSTREAM_UNAVAILABLE'],
  ];
  // Each fault on a subgraph of its own: the upstream guard remembers a 429's Retry-After (and
  // counts outages towards its breaker), which would answer the next case in its place.
  it.each(FAULTS)('should turn an upstream %s into %s without upstream text', async (fault, code) => {
    const own = await startZendeskHarness({ faults: [{ tenant: 'acme', fault, retryAfterSeconds: 7 }] });
    try {
      const res = await own.query('acme', ['agent'], TICKET, { id: '1' });
      expect(res.status).toBe(200);
      expect(res.data?.['ticket']).toBeNull();
      const err = res.errors?.[0];
      expect(err?.extensions).toMatchObject({ code, upstream: 'zendesk' });
      if (fault === 'rate_limit') expect(err?.extensions?.['retryAfterSeconds']).toBe(7);
      const text = JSON.stringify(res.errors);
      expect(text).not.toMatch(/InternalError|Something went wrong|Number of allowed|<html|stack/i);
    } finally {
      await own.close();
    }
  });

  it('should keep the rest of the answer when one part of it fails', async () => {
    h.emulator.faults.add([{ tenant: 'acme', op: 'GET /api/v2/tickets/{id}/comments', fault: 'error' }]);
    const res = await h.query('acme', ['agent'], `{ ticket(id: "1") { id subject comments { totalCount } } }`);
    expect(res.data?.['ticket']).toMatchObject({ id: '1', comments: null });
    expect(res.data?.['ticket'].subject).toBeTruthy();
    expect(res.errors?.[0]).toMatchObject({ path: ['ticket', 'comments'], extensions: { code: 'UPSTREAM_UNAVAILABLE' } });
  });
});

describe('Zendesk subgraph economy', () => {
  it('should make one call per resolver in naive mode (the benchmark baseline)', async () => {
    const h = await startZendeskHarness({ economy: 'naive' });
    try {
      const res = await h.query('acme', ['agent'], TICKET, { id: '1' });
      expect(res.errors).toBeUndefined();
      const stats = statsOf(h.emulator, 'acme');
      expect(stats['GET /api/v2/tickets/show_many']).toBe(1);
      expect(stats['GET /api/v2/users/show_many']).toBe(2); // requester and assignee, one call each
      expect(stats['GET /api/v2/organizations/show_many']).toBe(1);
    } finally {
      await h.close();
    }
  });

  it('should answer a repeated query from the entity cache without upstream calls', async () => {
    const cache = createMemoryEntityCache({ logger: pino({ level: 'silent' }) });
    const h = await startZendeskHarness({ cache });
    try {
      const Q = `{ ticket(id: "1") { id subject requester { name } organization { name } customerMatch { externalId } } }`;
      const cold = await h.query('acme', ['agent'], Q);
      expect(cold.errors).toBeUndefined();
      expect(callsOf(h.emulator, 'acme')).toBe(1);
      h.emulator.stats.reset();
      const warm = await h.query('acme', ['agent'], Q);
      expect(warm.data).toEqual(cold.data);
      expect(callsOf(h.emulator, 'acme')).toBe(0);
      // Another tenant's identical question is not answered from acme's entries.
      await h.query('globex', ['agent'], Q);
      expect(callsOf(h.emulator, 'globex')).toBe(1);
    } finally {
      await h.close();
      await cache.close();
    }
  });

  it('should serve expired cached records, marked stale, when Zendesk is down', async () => {
    let now = Date.now();
    const cache = createMemoryEntityCache({ logger: pino({ level: 'silent' }), clock: () => now });
    const h = await startZendeskHarness({
      cache,
      editRegistry: (r) => ({ tenants: r.tenants.map((t) => ({ ...t, cache: { ttlSeconds: { Ticket: 1, ZendeskUser: 1, Organization: 1 } } })) }),
    });
    try {
      const Q = `{ ticket(id: "2") { id subject requester { name } } }`;
      const fresh = await h.query('acme', ['agent'], Q);
      expect(fresh.errors).toBeUndefined();
      now += 1_100; // past the 1 s freshness: expired, still servable as stale
      h.emulator.faults.add([{ tenant: 'acme', fault: 'down' }]);
      const stale = await h.query('acme', ['agent'], Q);
      expect(stale.errors).toBeUndefined();
      expect(stale.data).toEqual(fresh.data);
      expect(stale.extensions?.['stale']).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'Ticket', id: '2', ageSeconds: 1 })]));
    } finally {
      await h.close();
      await cache.close();
    }
  });
});
