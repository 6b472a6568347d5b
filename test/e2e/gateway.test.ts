/**
 * The gateway's own surface: security limits before planning, health, readiness, metrics, start-up
 * validation of tenant policy, and a subgraph that goes away.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request as httpRequest } from 'node:http';
import { IDLE_SOCKET_MS } from '../../gateway/subgraph-source';
import { supergraphFieldChecker } from '../../gateway/supergraph';
import { SUBGRAPH_KEEP_ALIVE_MS } from '../../subgraphs/kit/server';
import { startStack, type RunningStack } from '../../sandbox/stack';
import { SUPERGRAPH_PATH } from '../../schema/subgraphs';
import { unknownPolicyFields } from '../../tenancy/registry';
import { bearer, postGraphQL } from '../support/http';
import { allStats, query, resetStats, SYSTEMS } from '../support/stack';

let stack: RunningStack;
beforeAll(async () => {
  stack = await startStack({ cache: false });
});
afterAll(async () => {
  await stack?.stop();
});

const base = () => stack.gateway.url.replace(/\/graphql$/, '');

describe('security limits', () => {
  it('should refuse an over-deep query with QUERY_TOO_COMPLEX before any upstream call', async () => {
    await resetStats(stack);
    const res = await query(
      stack,
      'acme',
      'agent',
      `{ ticket(id: "1") { customer { orders(first: 1) { edges { node { customer { orders(first: 1) { edges { node { customer { orders(first: 1) { edges { node { customer { orders(first: 1) { edges { node { id } } } } } } } } } } } } } } } } } }`,
    );
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.['code']).toBe('QUERY_TOO_COMPLEX');
    const stats = await allStats(stack);
    for (const s of SYSTEMS) expect(stats[s]).toEqual({});
  });

  it('should refuse a huge document before parsing it (length limit) and a dense one while parsing it (token limit), before validation and any upstream call', async () => {
    await resetStats(stack);
    // 8,000 root fields: about 150 kB, under the body limit but over the document's 20,000 characters.
    const huge = `{ ${Array.from({ length: 8_000 }, (_, i) => `customer(id: "${i}") { id }`).join(' ')} }`;
    const res = await query(stack, 'acme', 'agent', huge);
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.['code']).toBe('QUERY_TOO_COMPLEX');
    expect(res.errors?.[0]?.message).toMatch(/at most 20000 are allowed/);
    // 600 aliased fields in about 14,000 characters: 6,600 tokens against a limit of 5,000.
    const dense = `{ ${Array.from({ length: 600 }, (_, i) => `c${i}:customer(id:1){id}`).join(' ')} }`;
    expect(dense.length).toBeLessThan(20_000);
    const parsed = await query(stack, 'acme', 'agent', dense);
    expect(parsed.status).toBe(400);
    expect(parsed.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_PARSE_FAILED');
    expect(parsed.errors?.[0]?.message).toMatch(/5000 tokens/);
    const stats = await allStats(stack);
    for (const s of SYSTEMS) expect(stats[s]).toEqual({});
  });

  it('should refuse too many aliases and too many root fields', async () => {
    const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: ticket(id: "1") { id }`).join(' ');
    const manyAliases = await query(stack, 'acme', 'agent', `{ ${aliases} }`);
    expect(manyAliases.errors?.[0]?.extensions?.['code']).toBe('QUERY_TOO_COMPLEX');
    const roots = await query(stack, 'acme', 'agent', `{ ${Array.from({ length: 11 }, () => 'tickets(first: 1) { totalCount }').join(' ')} }`);
    expect(roots.errors?.[0]?.extensions?.['code']).toBe('QUERY_TOO_COMPLEX');
  });

  it('should refuse a query whose lists multiply beyond the cost budget, before any upstream call', async () => {
    await resetStats(stack);
    const level = (inner: string) => `orders(first: 100) { edges { node { id customer { ${inner} } } } }`;
    const nested = `{ customer(id: "11") { ${level(level('orders(first: 100) { edges { node { id name } } }'))} } }`;
    const res = await query(stack, 'acme', 'admin', nested);
    expect(res.status).toBe(400);
    expect(res.errors?.[0]).toMatchObject({ extensions: { code: 'QUERY_TOO_COMPLEX' } });
    expect(res.errors?.[0]?.message).toMatch(/cost/);
    const fanOut = await query(
      stack,
      'acme',
      'agent',
      `{ ${Array.from({ length: 4 }, (_, i) => `t${i}: tickets(first: 100) { edges { node { comments(first: 1) { totalCount } } } }`).join(' ')} }`,
    );
    expect(fanOut.errors?.[0]?.extensions?.['code']).toBe('QUERY_TOO_COMPLEX');
    const stats = await allStats(stack);
    for (const s of SYSTEMS) expect(stats[s]).toEqual({});
    const ordinary = await query(stack, 'acme', 'agent', '{ tickets(first: 100) { edges { node { id subject requester { name } } } } }');
    expect(ordinary.errors).toBeUndefined();
  });

  it('should count root fields inside fragments too', async () => {
    const inline = `{ ... on Query { ${Array.from({ length: 11 }, (_, i) => `r${i}: ticket(id: "1") { id }`).join(' ')} } }`;
    expect((await query(stack, 'acme', 'agent', inline)).errors?.[0]?.extensions?.['code']).toBe('QUERY_TOO_COMPLEX');
    const spread = `query { ...Roots } fragment Roots on Query { ${Array.from({ length: 11 }, (_, i) => `r${i}: ticket(id: "${i + 1}") { id }`).join(' ')} }`;
    expect((await query(stack, 'acme', 'agent', spread)).errors?.[0]?.extensions?.['code']).toBe('QUERY_TOO_COMPLEX');
  });

  it('should measure each fragment once, so a chain of fragments that doubles at every step does not stall the gateway', async () => {
    // F0 spreads F1 twice, F1 spreads F2 twice, ...: 2^40 expansions if walked naively (hours).
    const n = 40;
    const fragments = Array.from({ length: n }, (_, i) =>
      i === n - 1 ? `fragment F${i} on Ticket { id }` : `fragment F${i} on Ticket { ...F${i + 1} ...F${i + 1} }`,
    ).join(' ');
    const res = await query(stack, 'acme', 'agent', `{ ticket(id: "1") { ...F0 } } ${fragments}`);
    expect(res.errors?.[0]?.extensions?.['code']).toBe('QUERY_TOO_COMPLEX');
    const small = Array.from({ length: 3 }, (_, i) => (i === 2 ? `fragment G${i} on Ticket { id }` : `fragment G${i} on Ticket { ...G${i + 1} subject }`)).join(
      ' ',
    );
    const ok = await query(stack, 'acme', 'agent', `{ ticket(id: "1") { ...G0 } } ${small}`);
    expect(ok.errors).toBeUndefined();
    expect(ok.data).toMatchObject({ ticket: { id: '1', subject: expect.any(String) } });
  });

  it('should refuse an oversized body and a malformed one with a coded error, not a stack trace', async () => {
    const token = await stack.token('acme', 'agent');
    const big = await fetch(stack.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(token) },
      body: JSON.stringify({ query: `{ ticket(id: "1") { id } }`, padding: 'x'.repeat(300_000) }),
    });
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ errors: [{ message: 'Request body too large', extensions: { code: 'QUERY_TOO_COMPLEX' } }] });
    const malformed = await fetch(stack.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(token) }, body: '{"query": ' });
    expect(malformed.status).toBe(400);
    const text = await malformed.text();
    expect(JSON.parse(text)).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] });
    expect(text).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it('should answer a syntax error and an unknown field with their codes', async () => {
    const syntax = await query(stack, 'acme', 'agent', '{ ticket(id: "1") { id ');
    expect(syntax.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_PARSE_FAILED');
    const unknown = await query(stack, 'acme', 'agent', '{ ticket(id: "1") { nope } }');
    expect(unknown.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('health, readiness and metrics', () => {
  it('should report health, readiness of every subgraph, and Prometheus metrics (the details to an admin token)', async () => {
    expect(await (await fetch(`${base()}/healthz`)).json()).toEqual({ status: 'ok' });
    const admin = bearer(await stack.token('acme', 'admin'));
    const ready = await fetch(`${base()}/readyz`, { headers: admin });
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { 'subgraph:odoo': 'ok', 'subgraph:salesforce': 'ok', 'subgraph:zendesk': 'ok' } });
    await query(stack, 'acme', 'agent', '{ ticket(id: "1") { id } }');
    const metrics = await (await fetch(`${base()}/metrics`, { headers: admin })).text();
    expect(metrics).toMatch(/gateway_graphql_requests_total\{operation="query",outcome="ok",tenant="acme",operation_name="anonymous"\} [1-9]/);
    expect(metrics).toMatch(/entity_cache_hits_total/);
    // Tenants label metrics (bounded: the registry's ids, else "other"); subjects and tokens never do.
    const tenantLabels = new Set([...metrics.matchAll(/tenant="([^"]*)"/g)].map((m) => m[1]));
    const known = new Set([...stack.registry.tenants.map((t) => t.id), 'other']);
    expect([...tenantLabels].filter((t) => !known.has(t!))).toEqual([]);
    expect(metrics).not.toMatch(/@acme\.example|Bearer|eyJ/);
  });
});

describe('start-up validation', () => {
  it.each(['Customer.emial', 'Customer.matchEmail'])(
    'should find a policy overlay naming %s, which the public schema does not have (the gateway refuses to start on it)',
    (field) => {
      const registry = { tenants: stack.registry.tenants.map((t) => ({ ...t, policy: { hiddenFields: { agent: [field] } } })) };
      const unknown = unknownPolicyFields(registry, supergraphFieldChecker(readFileSync(SUPERGRAPH_PATH, 'utf8')));
      expect(unknown).toEqual(registry.tenants.map((t) => `tenants.${t.id}.policy.hiddenFields.agent: ${field} is not a field of the schema`));
      expect(unknownPolicyFields(stack.registry, supergraphFieldChecker(readFileSync(SUPERGRAPH_PATH, 'utf8')))).toEqual([]);
    },
  );

  it('should keep the fields subgraphs match on out of the public API', async () => {
    const res = await query(stack, 'acme', 'admin', '{ ticket(id: "1") { customerMatch { email } customer { matchEmail } } }');
    expect(res.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('keep-alive between the gateway and the subgraphs', () => {
  it('should have every subgraph keep an idle socket longer than the gateway keeps one, and say so to other callers', async () => {
    expect(SUBGRAPH_KEEP_ALIVE_MS).toBeGreaterThan(IDLE_SOCKET_MS);
    for (const name of SYSTEMS) {
      // Any answer carries the server's keep-alive hint (a 401 here: no identity token).
      const hint = await new Promise<string | undefined>((resolve, reject) => {
        const req = httpRequest(
          stack.subgraphs[name].url,
          { method: 'POST', headers: { 'content-type': 'application/json', connection: 'keep-alive' } },
          (res) => {
            res.resume();
            resolve(String(res.headers['keep-alive']));
          },
        );
        req.on('error', reject);
        req.end('{"query":"{ __typename }"}');
      });
      expect({ name, hint }).toEqual({ name, hint: `timeout=${SUBGRAPH_KEEP_ALIVE_MS / 1000}` });
    }
  });
});

describe('a subgraph that goes away', () => {
  // Its own stack: stopping a subgraph must not change what the other tests of this file see.
  let own: RunningStack;
  beforeAll(async () => {
    own = await startStack({ cache: false });
  });
  afterAll(async () => {
    await own?.stop();
  });

  it('should keep the other subgraphs answering, mark the missing part SUBGRAPH_UNAVAILABLE and report not ready', async () => {
    await own.subgraphs.salesforce.stop();
    const res = await postGraphQL<{ ticket: { subject: string; customer: { name: string; salesforceAccount: unknown } } }>(
      own.gateway.url,
      '{ ticket(id: "1") { subject customer { name salesforceAccount { name } } } }',
      {},
      bearer(await own.token('acme', 'agent')),
    );
    expect(res.data?.ticket.customer.name).toBeTruthy();
    expect(res.data?.ticket.customer.salesforceAccount).toBeNull();
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'salesforce' });
    expect(JSON.stringify(res.errors)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    const ready = await fetch(`${own.gateway.url.replace(/\/graphql$/, '')}/readyz`, { headers: bearer(await own.token('acme', 'admin')) });
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'not ready', checks: { 'subgraph:salesforce': 'unavailable' } });
  });
});
