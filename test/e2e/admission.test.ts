/**
 * Admission control through the gateway's HTTP path, with acme's limits made small in the registry:
 * the fan-out attack that exhausted a tenant's Zendesk quota, request rate, requests in flight and
 * the query-cost budget (429 + Retry-After + RATE_LIMITED), the document length limit, and the
 * cache of validated documents.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mintLocalToken } from '../../gateway/local-tokens';
import { TICKET_CONTEXT_QUERY } from '../../sandbox/queries';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, startStack, type RunningStack } from '../../sandbox/stack';
import type { Role } from '../../tenancy/identity';
import { bearer, injectFault } from '../support/http';
import { callsFor, resetStats } from '../support/stack';
import { collect, wsClient } from '../support/ws';

const AUTH_SECRET = 'admission-test-secret-of-at-least-32-characters';
let stack: RunningStack;
beforeAll(async () => {
  stack = await startStack({
    cache: false,
    authSecret: AUTH_SECRET,
    editRegistry: (registry) => ({
      tenants: registry.tenants.map((t) =>
        t.id === 'acme'
          ? {
              ...t,
              limits: {
                requestsPerMinute: 1_000,
                requestsPerMinutePerSubject: 5,
                concurrentRequests: 50,
                concurrentRequestsPerSubject: 1,
                costPerMinute: 1_000_000,
                costPerMinutePerSubject: 3_500,
              },
            }
          : t,
      ),
    }),
  });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

/** A token for one subject of a tenant: each test uses its own subjects, so their windows are apart. */
const tokenOf = (tenant: string, subject: string, role: Role = 'agent') =>
  mintLocalToken({ tenant, role, subject, issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE }, new TextEncoder().encode(AUTH_SECRET));

async function post(tenant: string, subject: string, query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(stack.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer(await tokenOf(tenant, subject)) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
  return { status: res.status, retryAfter: res.headers.get('retry-after'), ...body };
}

describe('admission control on /graphql', () => {
  it('should refuse the fan-out attack (3 x 100 tickets x comments) before planning, and another acme user still gets the ticket context', async () => {
    await resetStats(stack);
    const attack = `{ ${['a', 'b', 'c'].map((a) => `${a}: tickets(first: 100) { edges { node { comments(first: 0) { totalCount } } } }`).join(' ')} }`;
    const answers = await Promise.all(Array.from({ length: 4 }, (_, i) => post('acme', `attacker-${i}`, attack)));
    for (const res of answers) {
      expect(res.status).toBe(400);
      expect(res.errors?.[0]?.extensions?.['code']).toBe('QUERY_TOO_COMPLEX');
      expect(res.errors?.[0]?.message).toMatch(/about 300 upstream calls.*at most 40/);
    }
    expect((await callsFor(stack, 'acme')).zendesk).toBe(0);
    const agent = await post('acme', 'fanout-bystander', TICKET_CONTEXT_QUERY, { id: '1' });
    expect(agent.status).toBe(200);
    expect(agent.errors).toBeUndefined();
    expect(agent.data).toMatchObject({ ticket: { id: '1', customer: { id: expect.any(String) } } });
  });

  it("should answer 429 RATE_LIMITED with Retry-After once a subject's requests per minute are spent, before any upstream call, leaving other users and tenants served", async () => {
    const ok = [];
    for (let i = 0; i < 5; i++) ok.push(await post('acme', 'rate-alice', '{ ticket(id: "1") { id } }'));
    expect(ok.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    await resetStats(stack);
    const refused = await post('acme', 'rate-alice', '{ ticket(id: "1") { id } }');
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: Number(refused.retryAfter) });
    expect(refused.errors?.[0]?.message).toMatch(/requests per minute for this user/);
    expect(await callsFor(stack, 'acme')).toEqual({ odoo: 0, salesforce: 0, zendesk: 0 });
    expect((await post('acme', 'rate-bob', '{ ticket(id: "1") { id } }')).status).toBe(200);
    // globex keeps the default limits.
    for (let i = 0; i < 8; i++) expect((await post('globex', 'rate-alice', '{ tickets(first: 1) { totalCount } }')).status).toBe(200);
  });

  it('should hold a second request of one subject until the first is answered, and refuse a third at once (the line is full)', async () => {
    // Hold the first request at Zendesk so it is still in flight when the others arrive.
    await injectFault(stack.emulators.zendesk.url, { tenant: 'acme', op: '*', fault: 'slow', latencyMs: 1_500, times: 1 });
    const first = post('acme', 'inflight-carol', '{ ticket(id: "1") { id subject } }');
    await waitFor(() => stack.gateway.admission.inFlight('acme') === 1);
    const second = post('acme', 'inflight-carol', '{ ticket(id: "1") { id } }');
    await waitFor(() => stack.gateway.admission.waiting('acme') === 1);
    const third = await post('acme', 'inflight-carol', '{ ticket(id: "1") { id } }');
    expect(third.status).toBe(429);
    expect(third.errors?.[0]?.extensions?.['code']).toBe('RATE_LIMITED');
    expect(third.errors?.[0]?.message).toMatch(/requests in flight/);
    expect((await first).status).toBe(200);
    const answered = await second;
    expect(answered.status).toBe(200);
    expect(answered.data).toEqual({ ticket: { id: '1' } });
    await waitFor(() => stack.gateway.admission.inFlight('acme') === 0);
  });

  it("should charge each operation's cost: the third ticket context of a subject within the minute is refused with 429 before any upstream call", async () => {
    // The ticket-context query costs about 1,500 against acme's 3,500 per subject here.
    expect((await post('acme', 'cost-dave', TICKET_CONTEXT_QUERY, { id: '1' })).status).toBe(200);
    expect((await post('acme', 'cost-dave', TICKET_CONTEXT_QUERY, { id: '1' })).status).toBe(200);
    await resetStats(stack);
    const refused = await post('acme', 'cost-dave', TICKET_CONTEXT_QUERY, { id: '1' });
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('RATE_LIMITED');
    expect(refused.errors?.[0]?.message).toMatch(/query cost per minute/);
    expect(refused.data).toBeUndefined();
    expect(await callsFor(stack, 'acme')).toEqual({ odoo: 0, salesforce: 0, zendesk: 0 });
    // The subject's budget is now closed for the rest of the minute: even a cheap query is refused,
    // before it is parsed; another agent of acme is served.
    const closed = await post('acme', 'cost-dave', '{ ticket(id: "1") { id } }');
    expect(closed.status).toBe(429);
    expect(closed.errors?.[0]?.message).toMatch(/query cost per minute/);
    expect((await post('acme', 'cost-erin', '{ ticket(id: "1") { id } }')).status).toBe(200);
  });

  it('should apply the same limits to queries sent over graphql-ws', async () => {
    const client = wsClient(stack.gateway.wsUrl, await tokenOf('acme', 'ws-heidi'));
    try {
      const statuses: string[] = [];
      for (let i = 0; i < 6; i++) {
        const c = collect<{ ticket: { id: string } }>(client, '{ ticket(id: "1") { id } }');
        const result = await c.nth(1);
        statuses.push(result.errors?.[0]?.extensions?.['code'] === 'RATE_LIMITED' ? 'RATE_LIMITED' : result.data?.ticket?.id === '1' ? 'ok' : 'other');
        c.dispose();
      }
      expect(statuses).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'RATE_LIMITED']);
    } finally {
      await client.dispose();
    }
  });

  it('should refuse a document over the length limit before parsing it, and a long-but-short-enough one over the token limit while parsing', async () => {
    const long = `{ ${Array.from({ length: 2_000 }, (_, i) => `customer(id: "${i}") { id }`).join(' ')} }`;
    const tooLong = await post('globex', 'doc-erin', long);
    expect(tooLong.status).toBe(400);
    expect(tooLong.errors?.[0]?.extensions?.['code']).toBe('QUERY_TOO_COMPLEX');
    expect(tooLong.errors?.[0]?.message).toMatch(/at most 20000 are allowed/);
    // 6,000 one-letter fields: 12,000 characters, 6,002 tokens.
    const manyTokens = await post('globex', 'doc-erin', `{ ${Array.from({ length: 6_000 }, () => 'a').join(' ')} }`);
    expect(manyTokens.status).toBe(400);
    expect(manyTokens.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('should validate a repeated document once (the validated-document cache), whoever sends it', async () => {
    const before = await validations();
    const text = '{ tickets(first: 2) { totalCount edges { node { id status } } } }';
    for (const subject of ['cache-frank', 'cache-grace', 'cache-frank']) expect((await post('globex', subject, text)).status).toBe(200);
    expect((await validations()) - before).toBe(1);
  });
});

async function validations(): Promise<number> {
  const token = await tokenOf('globex', 'metrics-reader', 'admin');
  const res = await fetch(new URL('/metrics', stack.gateway.url), { headers: bearer(token) });
  const match = /^gateway_documents_validated_total (\d+)/m.exec(await res.text());
  return Number(match?.[1] ?? 0);
}

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!condition()) throw new Error('condition not reached');
}
