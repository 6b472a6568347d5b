/**
 * Upstream protection end to end (issue 14, item 2): the ticket-context query through the gateway,
 * the three subgraphs and the three emulators, one stack for the file.
 *
 * - The matrix (tenant acme, upstream budget 500 ms, a breaker that does not open here): each of
 *   Odoo, Salesforce and Zendesk × { down, slow, 429, 5xx, malformed, reset } answers with what the
 *   other systems could give and a documented error code on the failed fields, never a stack trace.
 *   Where the failed system holds the way to the others, what is behind it cannot be asked: the
 *   ticket is Zendesk's (nothing follows without it), the customer Odoo's (its Salesforce account
 *   hangs off it).
 * - The breaker (tenant globex: 3 consecutive outages, 1.5 s before a probe): once open, requests
 *   make no call to the failed upstream and get stale cached data when the cache holds some, else
 *   UPSTREAM_UNAVAILABLE with `breaker: 'open'`; once the upstream is back and the half-open time has
 *   passed, a request succeeds and `upstream_breaker_state` (read at the gateway's /metrics) is 0.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startStack, type RunningStack } from '../../sandbox/stack';
import { ErrorCode } from '../../schema/error-codes';
import type { TenantConfig } from '../../tenancy/registry';
import { bearer } from '../support/http';
import { callsFor, resetStats, SYSTEMS, ticketContext, type System } from '../support/stack';
import { manualClock } from '../cache/helpers';
import { setTimeout as sleep } from 'node:timers/promises';

/** Every upstream call's budget here: short, so that the slow cells are quick, yet far above a healthy call on a loaded CI machine. */
const TIMEOUT_MS = 1_000;
const HALF_OPEN_MS = 1_500;
const CODES = new Set<string>(Object.values(ErrorCode));
const CACHED_TYPES = ['Customer', 'Order', 'OrderLine', 'Invoice', 'Delivery', 'Product', 'Entitlement', 'Ticket', 'SupportUser', 'Organization', 'Account'];

/** The test tenants' upstreams: a short budget each, and the breaker this file needs per tenant. */
function protect(t: TenantConfig): TenantConfig {
  const matrix = t.id === 'acme';
  const edit = <U extends { timeoutMs: number; protection: object }>(u: U): U => ({
    ...u,
    timeoutMs: TIMEOUT_MS,
    protection: {
      ...u.protection,
      breaker: { consecutiveFailures: matrix ? 1_000 : 3, halfOpenAfterMs: HALF_OPEN_MS },
      rateLimitPauseSeconds: 1,
    },
  });
  return {
    ...t,
    upstreams: { odoo: edit(t.upstreams.odoo), salesforce: edit(t.upstreams.salesforce), zendesk: edit(t.upstreams.zendesk) },
    // globex's entries expire after 1 s of the cache's (manual) clock, and may then be served stale.
    cache: matrix ? t.cache : { ttlSeconds: Object.fromEntries(CACHED_TYPES.map((type) => [type, 1])) },
  };
}

let stack: RunningStack;
const cacheClock = manualClock();
beforeAll(async () => {
  stack = await startStack({ cacheClock: cacheClock.now, editRegistry: (r) => ({ tenants: r.tenants.map(protect) }) });
  // The first request of a tenant discovers its Odoo (fields_get of every model) and warms the
  // code paths. On a busy machine that can exceed the short budget, and a failed discovery is only
  // tried again 5 s later (by design): done here, before anything is asserted, until it succeeds.
  for (const tenant of ['acme', 'globex']) {
    for (let attempt = 0; attempt < 3; attempt++) {
      if (!(await ticketContext(stack, tenant, 1)).errors) break;
      await sleep(5_100);
    }
  }
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const flush = (tenant: string) => stack.cache!.deleteByPrefix(`${tenant}:ec:`);

async function fault(system: System, rule: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${stack.emulators[system].url}/__sandbox/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(rule),
  });
  expect(res.ok).toBe(true);
}

/** `upstream_breaker_state{tenant, upstream}` as the gateway's /metrics reports it (the embedded subgraphs report there). */
async function breakerState(tenant: string, upstream: System): Promise<number | undefined> {
  const origin = new URL(stack.gateway.url).origin;
  const res = await fetch(`${origin}/metrics`, { headers: bearer(await stack.token(tenant, 'admin')) });
  expect(res.status).toBe(200);
  for (const line of (await res.text()).split('\n')) {
    if (!line.startsWith('upstream_breaker_state{')) continue;
    if (line.includes(`tenant="${tenant}"`) && line.includes(`upstream="${upstream}"`)) return Number(line.split(' ').pop());
  }
  return undefined;
}

type Errors = NonNullable<Awaited<ReturnType<typeof ticketContext>>['errors']>;
const errorsOf = (errors: Errors | undefined, upstream: System) => (errors ?? []).filter((e) => e.extensions?.['upstream'] === upstream);

const FAULTS = [
  { name: 'down', rule: { fault: 'down' }, code: ErrorCode.UPSTREAM_UNAVAILABLE },
  { name: 'slow', rule: { fault: 'slow', latencyMs: 3 * TIMEOUT_MS }, code: ErrorCode.UPSTREAM_TIMEOUT },
  { name: '429', rule: { fault: 'rate_limit', retryAfterSeconds: 1 }, code: ErrorCode.UPSTREAM_RATE_LIMITED },
  { name: '5xx', rule: { fault: 'http5xx' }, code: ErrorCode.UPSTREAM_UNAVAILABLE },
  { name: 'malformed', rule: { fault: 'malformed' }, code: ErrorCode.UPSTREAM_UNAVAILABLE },
  { name: 'reset', rule: { fault: 'reset' }, code: ErrorCode.UPSTREAM_UNAVAILABLE },
] as const;

const CELLS = (['salesforce', 'odoo', 'zendesk'] as const).flatMap((system) => FAULTS.map((f) => [system, f.name, f] as const));

describe('the fault matrix (acme)', () => {
  let baseline: Awaited<ReturnType<typeof ticketContext>>;

  beforeAll(async () => {
    await flush('acme');
    await resetStats(stack, { faults: true });
    baseline = await ticketContext(stack, 'acme', 1);
  });

  it('should answer the ticket-context query within every upstream budget when nothing fails', async () => {
    expect(baseline.errors).toBeUndefined();
    const calls = await callsFor(stack, 'acme');
    // The whole query, every subgraph request together, stays far below the default budget of 50 calls per request.
    for (const system of SYSTEMS) {
      expect(calls[system]).toBeGreaterThan(0);
      expect(calls[system]).toBeLessThan(50);
    }
  });

  it.each(CELLS)('%s %s: partial data and a typed error on the failed fields, no stack trace', async (system, _name, f) => {
    await resetStats(stack, { faults: true });
    await flush('acme');
    await fault(system, { tenant: 'acme', ...f.rule });
    const res = await ticketContext(stack, 'acme', 1);
    expect(res.status).toBe(200);
    const text = JSON.stringify(res);
    expect(text).not.toMatch(/stacktrace|Traceback|ECONNRESET|UND_ERR|at [^"]*\.ts:\d+|<html/);
    for (const e of res.errors ?? []) expect(CODES.has(String(e.extensions?.['code']))).toBe(true);
    const failed = errorsOf(res.errors, system);
    expect(failed.length).toBeGreaterThan(0);
    for (const e of failed) expect(e.extensions?.['code']).toBe(f.code);
    // Only the failed upstream's fields fail.
    expect((res.errors ?? []).every((e) => e.extensions?.['upstream'] === system)).toBe(true);

    const ticket = res.data?.ticket ?? null;
    const calls = await callsFor(stack, 'acme');
    if (system === 'salesforce') {
      // Zendesk's ticket and Odoo's customer and orders stand; the account is null.
      expect(ticket?.subject).toBe(baseline.data?.ticket?.subject);
      expect(ticket?.customer?.name).toBe(baseline.data?.ticket?.customer?.name);
      expect(ticket?.customer?.orders.edges.length).toBe(baseline.data?.ticket?.customer?.orders.edges.length);
      expect(ticket?.customer?.salesforceAccount).toBeNull();
      expect(failed.every((e) => e.path?.includes('salesforceAccount'))).toBe(true);
    } else if (system === 'odoo') {
      // Zendesk's ticket and requester stand; the customer (and what hangs off it) is null.
      expect(ticket?.subject).toBe(baseline.data?.ticket?.subject);
      expect(ticket?.requester?.email).toBe(baseline.data?.ticket?.requester?.email);
      expect(ticket?.customer).toBeNull();
      expect(calls.zendesk).toBeGreaterThan(0);
    } else {
      // The ticket is the root: without Zendesk nothing else is asked.
      expect(ticket).toBeNull();
      expect(calls.odoo + calls.salesforce).toBe(0);
    }

    if (f.name === '429') {
      // The upstream asked to wait: the next request makes no call to it until Retry-After has passed.
      await resetStats(stack);
      await flush('acme');
      const paused = await ticketContext(stack, 'acme', 1);
      expect((await callsFor(stack, 'acme'))[system]).toBe(0);
      const held = errorsOf(paused.errors, system);
      expect(held.length).toBeGreaterThan(0);
      for (const e of held) expect(e.extensions).toMatchObject({ code: ErrorCode.UPSTREAM_RATE_LIMITED, throttledBy: 'retry_after', retryAfterSeconds: 1 });
      await sleep(1_100);
    }
  });
});

describe('the circuit breaker (globex)', () => {
  /** Where each system's fields start in the ticket-context query (Odoo also answers the ticket's `sla`). */
  const FIELDS_OF: Record<System, string[]> = { zendesk: ['ticket'], odoo: ['customer', 'sla'], salesforce: ['salesforceAccount'] };

  beforeAll(async () => {
    await resetStats(stack, { faults: true });
    await flush('globex');
  });

  // Salesforce first, Zendesk last: an open breaker of a system closer to the root would hide the next one.
  it.each(['salesforce', 'odoo', 'zendesk'] as const)(
    '%s: once open, no call to it; stale data where cached, else UPSTREAM_UNAVAILABLE (breaker open)',
    async (system) => {
      const warm = await ticketContext(stack, 'globex', 1);
      expect(errorsOf(warm.errors, system)).toEqual([]);
      cacheClock.advance(1_500); // every entry expired, still servable stale
      await fault(system, { tenant: 'globex', fault: 'down' });

      // The failing calls open the breaker (3 outages: one read and its two retries), stale data stands in.
      const opening = await ticketContext(stack, 'globex', 1);
      expect(await breakerState('globex', system)).toBe(2);
      expect(opening.data).toEqual(warm.data);
      expect(errorsOf(opening.errors, system)).toEqual([]);

      // Open: no call to it, stale data again (the cache held it).
      await resetStats(stack);
      const stale = await ticketContext(stack, 'globex', 1);
      expect((await callsFor(stack, 'globex'))[system]).toBe(0);
      expect(stale.data).toEqual(warm.data);
      expect(errorsOf(stale.errors, system)).toEqual([]);
      expect((stale.extensions?.['stale'] as Array<{ subgraph: string }> | undefined)?.some((s) => s.subgraph === system)).toBe(true);

      // Open, nothing cached: no call to it, UPSTREAM_UNAVAILABLE with the breaker's word on it.
      await resetStats(stack);
      await flush('globex');
      const bare = await ticketContext(stack, 'globex', 1);
      expect((await callsFor(stack, 'globex'))[system]).toBe(0);
      const refused = errorsOf(bare.errors, system);
      expect(refused.length).toBeGreaterThan(0);
      for (const e of refused) {
        expect(e.extensions).toMatchObject({ code: ErrorCode.UPSTREAM_UNAVAILABLE, upstream: system, breaker: 'open' });
        expect(e.extensions?.['retryAfterSeconds']).toBeGreaterThanOrEqual(1);
        expect(FIELDS_OF[system].some((field) => e.path?.includes(field))).toBe(true);
      }
      expect(JSON.stringify(bare)).not.toMatch(/stacktrace|at [^"]*\.ts:\d+/);
    },
  );

  it('should close every breaker with a successful probe once the upstreams are back and the half-open time has passed', async () => {
    await resetStats(stack, { faults: true });
    for (const system of SYSTEMS) expect(await breakerState('globex', system)).toBe(2);
    await sleep(HALF_OPEN_MS + 100);
    await flush('globex');
    const back = await ticketContext(stack, 'globex', 1);
    expect(back.errors).toBeUndefined();
    expect(back.data?.ticket?.customer?.salesforceAccount?.name).toBeTruthy();
    const calls = await callsFor(stack, 'globex');
    for (const system of SYSTEMS) {
      expect(calls[system]).toBeGreaterThan(0);
      expect(await breakerState('globex', system)).toBe(0);
    }
  });
});
