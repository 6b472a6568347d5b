/**
 * Issue 5's acceptance at the gateway: the 401 matrix with no upstream call, subgraphs refusing
 * requests that do not come from the gateway, and tenants kept apart on every path.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { SignJWT } from 'jose';
import { startStack, type RunningStack } from '../../sandbox/stack';
import { buildWorld } from '../../sandbox/world';
import { INTERNAL_IDENTITY_HEADER, internalAudience, internalKey, signInternalToken } from '../../tenancy/identity';
import { postGraphQL } from '../support/http';
import { allStats, query, resetStats, SYSTEMS } from '../support/stack';

const AUTH_SECRET = 'test-auth-secret-0123456789abcdef0123456789';
let stack: RunningStack;
beforeAll(async () => {
  stack = await startStack({ cache: false, authSecret: AUTH_SECRET });
});
afterAll(async () => {
  await stack?.stop();
});
beforeEach(async () => {
  await resetStats(stack, { faults: true });
});

const key = new TextEncoder().encode(AUTH_SECRET);
const claims = { tenant: 'acme', roles: ['agent'] };
const signed = (builder: SignJWT) =>
  builder.setProtectedHeader({ alg: 'HS256' }).setSubject('agent@acme.example').setIssuer('support-gateway-local').setAudience('support-gateway');
const Q = '{ ticket(id: "1") { id subject customer { id name } } }';

describe('authentication at the gateway', () => {
  // Every way a token is refused is a unit test of gateway/auth.ts (test/gateway/auth.test.ts); here,
  // one of each kind proves the HTTP answer and that nothing reaches an upstream before it.
  const cases: Array<[string, () => Promise<Record<string, string>>]> = [
    ['no token', async () => ({})],
    [
      'a wrong signature',
      async () => ({
        authorization: `Bearer ${await signed(new SignJWT(claims))
          .setExpirationTime('1h')
          .sign(new TextEncoder().encode('x'.repeat(40)))}`,
      }),
    ],
    [
      'an unknown tenant',
      async () => ({
        authorization: `Bearer ${await signed(new SignJWT({ ...claims, tenant: 'umbrella' }))
          .setExpirationTime('1h')
          .sign(key)}`,
      }),
    ],
  ];
  it.each(cases)('should answer %s with 401 UNAUTHENTICATED and call no upstream', async (_name, headers) => {
    const res = await postGraphQL(stack.gateway.url, Q, {}, await headers());
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    expect(res.data ?? null).toBeNull();
    const stats = await allStats(stack);
    for (const s of SYSTEMS) expect(stats[s]).toEqual({});
  });
});

describe('subgraphs reached around the gateway', () => {
  it.each(['odoo', 'salesforce', 'zendesk'] as const)('should refuse a direct call to the %s subgraph without or with a forged identity', async (name) => {
    const url = stack.subgraphs[name].url;
    const none = await postGraphQL(url, '{ _service { sdl } }');
    expect(none.status).toBe(401);
    expect(none.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    const forged = await signInternalToken({ tenant: 'acme', subject: 'x', roles: ['admin'], scopes: [] }, internalKey('f'.repeat(40)), internalAudience(name));
    const withForged = await postGraphQL(url, '{ _service { sdl } }', {}, { [INTERNAL_IDENTITY_HEADER]: forged });
    expect(withForged.status).toBe(401);
    const clientToken = await stack.token('acme', 'admin');
    const withClientToken = await postGraphQL(
      url,
      '{ _service { sdl } }',
      {},
      { [INTERNAL_IDENTITY_HEADER]: clientToken, authorization: `Bearer ${clientToken}` },
    );
    expect(withClientToken.status).toBe(401);
  });
});

describe('tenants kept apart', () => {
  const globex = buildWorld('globex');
  const acme = buildWorld('acme');

  it('should never return a globex record to an acme token, by id, email or name', async () => {
    await resetStats(stack);
    const globexOnlyEmail = globex.customers.find((c) => typeof c.email === 'string' && !acme.customers.some((a) => a.email === c.email))!.email as string;
    const byEmail = await query(stack, 'acme', 'admin', 'query($e: String!) { customerByEmail(email: $e) { id name } }', { e: globexOnlyEmail });
    expect(byEmail.data?.['customerByEmail']).toBeNull();
    const globexOrder = await query<{ orderByName: { id: string; customer: { name: string } } | null }>(
      stack,
      'acme',
      'admin',
      '{ orderByName(name: "S00001") { id customer { name } } }',
    );
    expect(acme.customers.map((c) => c.name)).toContain(globexOrder.data?.orderByName?.customer.name);

    const id = String(globex.anchors.smallCustomer);
    const byId = await query<{ customer: { name: string } | null }>(stack, 'acme', 'admin', 'query($id: ID!) { customer(id: $id) { name } }', { id });
    expect(byId.data?.customer?.name).toBe(acme.customers.find((c) => c.odooId === globex.anchors.smallCustomer)!.name);

    const ticket = await query<{ ticket: { subject: string } | null }>(stack, 'acme', 'admin', '{ ticket(id: "1") { subject } }');
    expect(ticket.data?.ticket?.subject.startsWith(acme.customers.find((c) => c.odooId === acme.anchors.smallCustomer)!.name)).toBe(true);

    const stats = await allStats(stack);
    for (const s of SYSTEMS) expect(Object.keys(stats[s]).filter((t) => t === 'globex')).toEqual([]);
  });

  it('should take the tenant from the token, never from a header the client sends', async () => {
    const token = await stack.token('acme', 'agent');
    const res = await postGraphQL<{ ticket: { subject: string } }>(
      stack.gateway.url,
      '{ ticket(id: "1") { subject } }',
      {},
      { authorization: `Bearer ${token}`, 'x-tenant': 'globex', [INTERNAL_IDENTITY_HEADER]: 'forged' },
    );
    const acmeOwn = await query<{ ticket: { subject: string } }>(stack, 'acme', 'agent', '{ ticket(id: "1") { subject } }');
    expect(res.data?.ticket.subject).toBe(acmeOwn.data?.ticket.subject);
    const stats = await allStats(stack);
    for (const s of SYSTEMS) expect(stats[s]['globex']).toBeUndefined();
  });
});
