/**
 * The Salesforce subgraph against the Salesforce emulator, over HTTP, with a signed gateway
 * identity. Upstream call counts are read from the emulator's own stats.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import pino from 'pino';
import { createMemoryEntityCache } from '../../cache';
import { seedOrg } from '../../sandbox/salesforce';
import { buildWorld, customerOf } from '../../sandbox/world';
import { callsOf, startSalesforceHarness, statsOf, type Harness } from '../support/sfzd-harness';

const acme = buildWorld('acme');
const globex = buildWorld('globex');

const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id salesforceAccount {
  id name type industry website owner { name email }
  contacts { id name email }
  opportunities(open: true) { id name stageName closeDate isClosed isWon owner { name } }
} } } }`;

const customerRep = (world: typeof acme, id: number) => ({ __typename: 'Customer', id: String(id), matchName: customerOf(world, id).name });

/** Calls other than the (once per tenant) token request. */
function dataCalls(h: Harness, tenant: string): number {
  const stats = statsOf(h.emulator, tenant);
  return Object.entries(stats)
    .filter(([op]) => !op.includes('oauth2'))
    .reduce((n, [, c]) => n + c, 0);
}

describe('Salesforce subgraph', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startSalesforceHarness();
  });
  afterAll(async () => {
    await h?.close();
  });
  afterEach(() => {
    h.emulator.faults.clear();
    h.emulator.stats.reset();
  });

  it("should find a customer's account by its external id, with owner, contacts and open opportunities, in one query", async () => {
    const small = customerOf(acme, acme.anchors.smallCustomer);
    const res = await h.query('acme', ['agent'], ENTITIES, { r: [customerRep(acme, small.odooId)] });
    expect(res.errors).toBeUndefined();
    const account = (res.data?.['_entities'] as any[])[0].salesforceAccount;
    expect(account.name).toBe(small.name);
    expect(account.id).toMatch(/^001[A-Za-z0-9]{15}$/);
    expect(account.owner.name).toBeTruthy();
    expect(account.contacts.map((c: any) => c.name).sort()).toEqual(small.contacts.map((c) => c.name).sort());
    expect(account.opportunities.length).toBeGreaterThan(0);
    for (const o of account.opportunities) expect(o).toMatchObject({ isClosed: false, isWon: false });
    expect(statsOf(h.emulator, 'acme')).toMatchObject({ 'SOQL Account': 1 });
  });

  it('should cost the same number of calls for 1 and for many customers', async () => {
    await h.query('acme', ['agent'], ENTITIES, { r: [customerRep(acme, acme.anchors.smallCustomer)] }); // token
    h.emulator.stats.reset();
    await h.query('acme', ['agent'], ENTITIES, { r: [customerRep(acme, acme.anchors.smallCustomer)] });
    const one = dataCalls(h, 'acme');
    h.emulator.stats.reset();
    const ids = acme.customers.slice(0, 20).map((c) => c.odooId);
    const many = await h.query('acme', ['agent'], ENTITIES, { r: [...ids, ...ids].map((id) => customerRep(acme, id)) });
    expect(many.errors).toBeUndefined();
    expect((many.data?.['_entities'] as unknown[]).length).toBe(40);
    expect(dataCalls(h, 'acme')).toBe(one);
    expect(one).toBe(1);
    // The token was requested once for the tenant and reused.
    expect(statsOf(h.emulator, 'acme')['POST /services/oauth2/token']).toBeUndefined();
  });

  it('should answer null for a customer without an account, and by name only where the tenant allows it', async () => {
    const res = await h.query('acme', ['agent'], ENTITIES, {
      r: [customerRep(acme, acme.anchors.noSalesforceCustomer), customerRep(acme, acme.anchors.unlinkedSalesforceCustomer)],
    });
    expect(res.errors).toBeUndefined();
    const [none, unlinked] = res.data?.['_entities'] as any[];
    expect(none.salesforceAccount).toBeNull();
    // acme matches by external id only: the name-only account stays unlinked.
    expect(unlinked.salesforceAccount).toBeNull();

    const g = await h.query('globex', ['agent'], ENTITIES, {
      r: [
        customerRep(globex, globex.anchors.noSalesforceCustomer),
        customerRep(globex, globex.anchors.unlinkedSalesforceCustomer),
        customerRep(globex, globex.anchors.smallCustomer),
      ],
    });
    expect(g.errors).toBeUndefined();
    const [gNone, gUnlinked, gSmall] = g.data?.['_entities'] as any[];
    expect(gNone.salesforceAccount).toBeNull();
    // globex matches by external id, else by exact name.
    expect(gUnlinked.salesforceAccount.name).toBe(customerOf(globex, globex.anchors.unlinkedSalesforceCustomer).name);
    expect(gSmall.salesforceAccount.name).toBe(customerOf(globex, globex.anchors.smallCustomer).name);
    // One query by external id for the batch, one by name for those it did not find.
    expect(statsOf(h.emulator, 'globex')['SOQL Account']).toBe(2);
  });

  it('should show opportunity amounts and probabilities to supervisors and admins, not to agents or finance', async () => {
    const Q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { salesforceAccount { name opportunities { name amount { amount currencyCode } probability } } } } }`;
    const r = [customerRep(acme, acme.anchors.smallCustomer)];
    const agent = await h.query('acme', ['agent'], Q, { r });
    const opps = (agent.data?.['_entities'] as any[])[0].salesforceAccount.opportunities as any[];
    expect(opps.length).toBeGreaterThan(0);
    for (const o of opps) expect(o).toMatchObject({ amount: null, probability: null });
    expect(agent.errors?.length).toBe(opps.length * 2);
    for (const e of agent.errors ?? []) expect(e.extensions?.['code']).toBe('FORBIDDEN');

    const finance = await h.query('acme', ['finance'], Q, { r });
    expect(finance.errors?.length).toBe(opps.length * 2);
    for (const role of ['supervisor', 'admin'] as const) {
      const seen = await h.query('acme', [role], Q, { r });
      expect(seen.errors).toBeUndefined();
      const o = (seen.data?.['_entities'] as any[])[0].salesforceAccount.opportunities[0];
      expect(typeof o.amount.amount).toBe('number');
      expect(o.amount.currencyCode).toMatch(/^[A-Z]{3}$/);
      expect(typeof o.probability).toBe('number');
    }
  });

  it('should read an account by id, refuse a malformed id and answer null for an unknown one', async () => {
    const first = await h.query('acme', ['agent'], ENTITIES, { r: [customerRep(acme, acme.anchors.bigCustomer)] });
    const id = (first.data?.['_entities'] as any[])[0].salesforceAccount.id as string;
    const Q = `query($id: ID!) { salesforceAccount(id: $id) { id name opportunities { id } } }`;
    const byId = await h.query('acme', ['agent'], Q, { id });
    expect(byId.data?.['salesforceAccount']).toMatchObject({ id, name: customerOf(acme, acme.anchors.bigCustomer).name });
    const seeded = seedOrg(acme)
      .all('Opportunity')
      .filter((o) => o.fields['AccountId'] === id).length;
    expect(seeded).toBeGreaterThan(2);
    expect((byId.data?.['salesforceAccount'] as any).opportunities.length).toBe(seeded);
    const by15 = await h.query('acme', ['agent'], Q, { id: id.slice(0, 15) });
    expect(by15.data?.['salesforceAccount']).toMatchObject({ id });
    const unknown = await h.query('acme', ['agent'], Q, { id: '001000000000000AAA' });
    expect(unknown.errors).toBeUndefined();
    expect(unknown.data?.['salesforceAccount']).toBeNull();
    for (const bad of ["001' OR Name != '", 'abc', '001\\x']) {
      const res = await h.query('acme', ['agent'], Q, { id: bad });
      expect(res.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    }
  });

  it('should escape names in SOQL literals', async () => {
    const res = await h.query('globex', ['agent'], ENTITIES, {
      r: [{ __typename: 'Customer', id: "999' OR Name != '", matchName: "O'Brien \\ Söhne' OR Name != '" }],
    });
    expect(res.errors).toBeUndefined();
    expect((res.data?.['_entities'] as any[])[0].salesforceAccount).toBeNull();
  });

  it('should keep tenants apart: acme never sees globex data, and no call reaches globex', async () => {
    // Same ERP ids in both tenants: each must see its own account names.
    const id = acme.anchors.smallCustomer;
    const a = await h.query('acme', ['agent'], ENTITIES, { r: [customerRep(acme, id)] });
    expect((a.data?.['_entities'] as any[])[0].salesforceAccount.name).toBe(customerOf(acme, id).name);
    expect(callsOf(h.emulator, 'globex')).toBe(0);
    const g = await h.query('globex', ['agent'], ENTITIES, { r: [customerRep(globex, id)] });
    expect((g.data?.['_entities'] as any[])[0].salesforceAccount.name).toBe(customerOf(globex, id).name);
  });

  it('should refuse requests without a valid gateway identity', async () => {
    const none = await h.raw('{ salesforceAccount(id: "001000000000000") { id } }', {});
    expect(none.status).toBe(401);
    expect(none.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    expect(callsOf(h.emulator, 'acme')).toBe(0);
  });

  const FAULTS: Array<['error' | 'rate_limit' | 'down' | 'http5xx' | 'malformed', string]> = [
    ['error', 'UPSTREAM_UNAVAILABLE'],
    ['rate_limit', 'UPSTREAM_RATE_LIMITED'],
    ['down', 'UPSTREAM_UNAVAILABLE'],
    ['http5xx', 'UPSTREAM_UNAVAILABLE'],
    ['malformed', 'UPSTREAM_UNAVAILABLE'],
  ];
  // Each fault on a subgraph of its own: the upstream guard pauses the tenant's Salesforce after
  // REQUEST_LIMIT_EXCEEDED (and counts outages towards its breaker), which would answer the next case.
  it.each(FAULTS)('should turn an upstream %s into %s without upstream text', async (fault, code) => {
    const own = await startSalesforceHarness({ faults: [{ tenant: 'acme', op: 'SOQL Account', fault }] });
    try {
      const res = await own.query('acme', ['agent'], ENTITIES, { r: [customerRep(acme, acme.anchors.smallCustomer)] });
      expect(res.status).toBe(200);
      expect((res.data?.['_entities'] as any[])[0]).toMatchObject({ id: String(acme.anchors.smallCustomer), salesforceAccount: null });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code, upstream: 'salesforce' });
      expect(JSON.stringify(res.errors)).not.toMatch(/REQUEST_LIMIT_EXCEEDED|UNKNOWN_EXCEPTION|ErrorId|errorCode|<html|SELECT/);
    } finally {
      await own.close();
    }
  });
});

describe('Salesforce subgraph sessions and economy', () => {
  it('should request a new token once when the session is refused, and retry', async () => {
    const h = await startSalesforceHarness();
    try {
      const r = [customerRep(acme, acme.anchors.smallCustomer)];
      await h.query('acme', ['agent'], ENTITIES, { r });
      // Restarting the token store: the emulator forgets every token it issued.
      await fetch(`${h.emulator.url}/__sandbox/reset?data=1`, { method: 'POST' });
      h.emulator.stats.reset();
      const res = await h.query('acme', ['agent'], ENTITIES, { r });
      expect(res.errors).toBeUndefined();
      expect((res.data?.['_entities'] as any[])[0].salesforceAccount).not.toBeNull();
    } finally {
      await h.close();
    }
  });

  it('should make one query per resolver in naive mode, and none for a warm cache', async () => {
    const naive = await startSalesforceHarness({ economy: 'naive' });
    try {
      const ids = [acme.anchors.smallCustomer, acme.anchors.bigCustomer, acme.anchors.nonAsciiCustomer];
      await naive.query('acme', ['agent'], ENTITIES, { r: ids.map((id) => customerRep(acme, id)) });
      expect(statsOf(naive.emulator, 'acme')['SOQL Account']).toBe(3);
    } finally {
      await naive.close();
    }
    const cache = createMemoryEntityCache({ logger: pino({ level: 'silent' }) });
    const cached = await startSalesforceHarness({ cache });
    try {
      const r = [customerRep(acme, acme.anchors.smallCustomer), customerRep(acme, acme.anchors.noSalesforceCustomer)];
      const cold = await cached.query('acme', ['agent'], ENTITIES, { r });
      cached.emulator.stats.reset();
      const warm = await cached.query('acme', ['agent'], ENTITIES, { r });
      expect(warm.data).toEqual(cold.data);
      expect(callsOf(cached.emulator, 'acme')).toBe(0);
    } finally {
      await cached.close();
      await cache.close();
    }
  });
});
