/**
 * The upstream guard (subgraphs/kit/upstream-guard.ts) around the real clients, against the sandbox
 * emulators: every count is the emulator's own, every time the guard reads (breaker, pauses) comes
 * from a manual clock, so nothing here waits for a breaker or a pause to expire.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { resolveSecret } from '../../platform/secrets';
import { startSandboxUpstreams, type SandboxUpstreams } from '../../sandbox/emulators';
import { sandboxCredentials } from '../../sandbox/credentials';
import type { RunningEmulator } from '../../sandbox/kit/emulator';
import { startSalesforceEmulator } from '../../sandbox/salesforce';
import { ErrorCode, UpstreamError } from '../../subgraphs/kit/errors';
import { runInRequestScope, TenantUpstreamGuard, upstreamGuardMetrics, type GuardOptions } from '../../subgraphs/kit/upstream-guard';
import { createTenantOdooClient } from '../../subgraphs/odoo/upstream';
import { createSalesforceClient } from '../../subgraphs/salesforce/client';
import { createZendeskClient } from '../../subgraphs/zendesk/client';
import type { TenantConfig, UpstreamProtectionConfig } from '../../tenancy/registry';

let up: SandboxUpstreams;
let acme: TenantConfig;

beforeAll(async () => {
  up = await startSandboxUpstreams();
  acme = up.registry.tenants.find((t) => t.id === 'acme')!;
});
afterAll(async () => {
  await up?.stop();
});
afterEach(() => {
  for (const e of [up.emulators.odoo, up.emulators.salesforce, up.emulators.zendesk]) {
    e.faults.clear();
    e.stats.reset();
  }
});

/** A clock the test moves. */
function manualClock(start = 1_700_000_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

const PROTECTION: UpstreamProtectionConfig = {
  maxConcurrent: 16,
  queue: 64,
  callsPerMinute: 1_000,
  breaker: { consecutiveFailures: 3, halfOpenAfterMs: 30_000 },
  retries: 0,
  maxCallsPerRequest: 50,
  rateLimitPauseSeconds: 60,
};

function guardOf(upstream: GuardOptions['upstream'], protection: Partial<UpstreamProtectionConfig>, clock = manualClock(), timeoutMs = 2_000) {
  return new TenantUpstreamGuard({ upstream, tenant: 'acme', protection: { ...PROTECTION, ...protection }, timeoutMs, clock: clock.now });
}

function zendeskClient(guard: TenantUpstreamGuard, overrides: { token?: string } = {}) {
  const zd = acme.upstreams.zendesk;
  return createZendeskClient({ url: zd.url, email: zd.email, token: overrides.token ?? resolveSecret(zd.token, up.secrets), timeoutMs: 2_000, guard });
}

const zendeskCalls = (op?: string): number => {
  const ops = up.emulators.zendesk.stats.snapshot().requests['acme'] ?? {};
  return op ? (ops[op] ?? 0) : Object.values(ops).reduce((a, b) => a + b, 0);
};
const callsOf = (emulator: RunningEmulator, op: string, tenant = 'acme'): number => emulator.stats.snapshot().requests[tenant]?.[op] ?? 0;

/** The rejection of `promise`, which must reject. */
async function failureOf(promise: Promise<unknown>): Promise<UpstreamError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(UpstreamError);
    return err as UpstreamError;
  }
  throw new Error('expected a rejection');
}

async function gauge(upstream: string): Promise<number | undefined> {
  const { values } = await upstreamGuardMetrics.breakerState.get();
  return values.find((v) => v.labels['tenant'] === 'acme' && v.labels['upstream'] === upstream)?.value;
}

const SHOW_MANY = 'GET /api/v2/tickets/show_many';

describe('the circuit breaker', () => {
  it('should open after N consecutive outages and then answer without a network call', async () => {
    const guard = guardOf('zendesk', {});
    const zd = zendeskClient(guard);
    up.emulators.zendesk.faults.add([{ tenant: 'acme', fault: 'http5xx' }]);
    for (let i = 0; i < 3; i++) expect((await failureOf(zd.ticketsByIds([1], { include: false }))).code).toBe(ErrorCode.UPSTREAM_UNAVAILABLE);
    expect(zendeskCalls(SHOW_MANY)).toBe(3);
    expect(guard.breakerState).toBe('open');
    expect(await gauge('zendesk')).toBe(2);

    const refused = await failureOf(zd.ticketsByIds([1], { include: false }));
    expect(refused.extensions).toMatchObject({ code: ErrorCode.UPSTREAM_UNAVAILABLE, upstream: 'zendesk', breaker: 'open', retryAfterSeconds: 30 });
    // A write is refused the same way: the breaker is the upstream's, not the operation's.
    await failureOf(zd.updateTicket(1, { priority: 'low' }));
    expect(zendeskCalls()).toBe(3);
  });

  it('should let one probe through after halfOpenAfterMs, reopen on its failure and close on its success', async () => {
    const clock = manualClock();
    const guard = guardOf('zendesk', {}, clock);
    const zd = zendeskClient(guard);
    up.emulators.zendesk.faults.add([{ tenant: 'acme', fault: 'reset' }]);
    for (let i = 0; i < 3; i++) await failureOf(zd.ticketsByIds([1], { include: false }));
    expect(guard.breakerState).toBe('open');
    clock.advance(20_000);
    expect((await failureOf(zd.ticketsByIds([1], { include: false }))).extensions['retryAfterSeconds']).toBe(10);
    expect(zendeskCalls()).toBe(3);

    // Half-open while the fault lasts: three callers at once, one probe on the wire; a caller
    // arriving while it probes is refused at once; the probe fails, the breaker opens again.
    clock.advance(10_000);
    up.emulators.zendesk.faults.clear();
    up.emulators.zendesk.faults.add([{ tenant: 'acme', fault: 'http5xx', latencyMs: 100 }]);
    const together = Promise.allSettled([1, 2, 3].map((id) => zd.ticketsByIds([id], { include: false })));
    while (guard.breakerState !== 'half_open') await new Promise((r) => setImmediate(r));
    expect((await failureOf(zd.ticketsByIds([4], { include: false }))).extensions).toMatchObject({ breaker: 'half_open', retryAfterSeconds: 1 });
    const settled = await together;
    expect(settled.every((r) => r.status === 'rejected')).toBe(true);
    expect(zendeskCalls()).toBe(4);
    expect(guard.breakerState).toBe('open');
    const reasons = settled.map((r) => (r.status === 'rejected' ? (r.reason as UpstreamError).extensions['breaker'] : undefined));
    expect(reasons.filter((b) => b === 'open')).toHaveLength(2);

    // The upstream is back: the next probe succeeds and closes the breaker.
    up.emulators.zendesk.faults.clear();
    clock.advance(30_000);
    const back = await zd.ticketsByIds([1], { include: false });
    expect(back.tickets.map((t) => t.id)).toEqual([1]);
    expect(guard.breakerState).toBe('closed');
    expect(await gauge('zendesk')).toBe(0);
    await zd.ticketsByIds([2], { include: false });
    expect(zendeskCalls()).toBe(6);
    const { values } = await upstreamGuardMetrics.breakerTransitions.get();
    const to = (state: string) => values.filter((v) => v.labels['upstream'] === 'zendesk' && v.labels['to'] === state).reduce((n, v) => n + v.value, 0);
    expect(to('half_open')).toBeGreaterThanOrEqual(2);
    expect(to('closed')).toBeGreaterThanOrEqual(1);
  });

  it('should open again, not close, when the half-open probe is abandoned by its caller', async () => {
    const clock = manualClock();
    const guard = guardOf('zendesk', {}, clock);
    const zd = zendeskClient(guard);
    up.emulators.zendesk.faults.add([{ tenant: 'acme', fault: 'http5xx' }]);
    for (let i = 0; i < 3; i++) await failureOf(zd.ticketsByIds([1], { include: false }));
    expect(guard.breakerState).toBe('open');
    clock.advance(30_000);
    // The probe hangs at the upstream; its caller goes away meanwhile.
    up.emulators.zendesk.faults.clear();
    up.emulators.zendesk.faults.add([{ tenant: 'acme', fault: 'slow', latencyMs: 5_000 }]);
    const gone = new AbortController();
    const probe = zd.usersByIds([1], gone.signal).catch((err: unknown) => err);
    // On the wire (the emulator has it) before its caller goes away.
    while (guard.breakerState !== 'half_open' || zendeskCalls() < 4) await new Promise((r) => setTimeout(r, 5));
    gone.abort();
    await probe;
    expect(guard.breakerState).toBe('open');
  });

  it('should never open on the upstream refusing (4xx, error envelopes): that is the upstream working', async () => {
    const guard = guardOf('zendesk', {});
    const refusedCredentials = zendeskClient(guard, { token: 'not-the-token' });
    for (let i = 0; i < 5; i++) expect((await failureOf(refusedCredentials.ticketsByIds([1], { include: false }))).code).toBe(ErrorCode.UPSTREAM_REJECTED);
    expect(zendeskCalls() + (up.emulators.zendesk.stats.snapshot().requests['_anonymous']?.[SHOW_MANY] ?? 0)).toBe(5);
    expect(guard.breakerState).toBe('closed');

    // Outages must be consecutive: an answer of the upstream in between starts the count again.
    const zd = zendeskClient(guard);
    up.emulators.zendesk.faults.add([{ tenant: 'acme', fault: 'http5xx', times: 2 }]);
    await failureOf(zd.ticketsByIds([1], { include: false }));
    await failureOf(zd.ticketsByIds([1], { include: false }));
    await failureOf(refusedCredentials.ticketsByIds([1], { include: false }));
    up.emulators.zendesk.faults.add([{ tenant: 'acme', fault: 'http5xx', times: 2 }]);
    await failureOf(zd.ticketsByIds([1], { include: false }));
    await failureOf(zd.ticketsByIds([1], { include: false }));
    expect(guard.breakerState).toBe('closed');

    // Odoo's own refusals (an AccessError envelope) neither.
    const odooGuard = guardOf('odoo', {});
    const odoo = createTenantOdooClient(acme, up.secrets, undefined, odooGuard);
    up.emulators.odoo.faults.add([{ tenant: 'acme', op: 'res.partner.search_read', fault: 'error', error: 'odoo.exceptions.AccessError' }]);
    for (let i = 0; i < 4; i++)
      expect((await failureOf(odoo.searchRead('res.partner', [], { fields: ['name'], limit: 1 }))).code).toBe(ErrorCode.UPSTREAM_REJECTED);
    expect(odooGuard.breakerState).toBe('closed');
  });
});

describe('the bulkhead', () => {
  it('should refuse a call at once with UPSTREAM_RATE_LIMITED when the slots and the queue are full', async () => {
    const guard = guardOf('zendesk', { maxConcurrent: 1, queue: 1 });
    const zd = zendeskClient(guard);
    up.emulators.zendesk.faults.add([{ tenant: 'acme', fault: 'slow', latencyMs: 300 }]);
    const [a, b, c] = await Promise.allSettled([1, 2, 3].map((id) => zd.ticketsByIds([id], { include: false })));
    expect(a?.status).toBe('fulfilled');
    expect(b?.status).toBe('fulfilled');
    expect(c?.status).toBe('rejected');
    expect(c?.status === 'rejected' && (c.reason as UpstreamError).extensions).toMatchObject({
      code: ErrorCode.UPSTREAM_RATE_LIMITED,
      upstream: 'zendesk',
      throttledBy: 'bulkhead',
      retryAfterSeconds: 1,
    });
    expect(zendeskCalls()).toBe(2);
  });
});

describe("the upstream's own limits", () => {
  it("should pause the tenant's upstream until Retry-After, answering UPSTREAM_RATE_LIMITED with the seconds left and no call", async () => {
    const clock = manualClock();
    const guard = guardOf('zendesk', {}, clock);
    const zd = zendeskClient(guard);
    up.emulators.zendesk.faults.add([{ tenant: 'acme', fault: 'rate_limit', retryAfterSeconds: 30, times: 1 }]);
    expect((await failureOf(zd.ticketsByIds([1], { include: false }))).extensions).toMatchObject({
      code: ErrorCode.UPSTREAM_RATE_LIMITED,
      retryAfterSeconds: 30,
    });
    expect(zendeskCalls()).toBe(1);
    clock.advance(18_000);
    const paused = await failureOf(zd.usersByIds([1]));
    expect(paused.extensions).toMatchObject({ code: ErrorCode.UPSTREAM_RATE_LIMITED, throttledBy: 'retry_after', retryAfterSeconds: 12 });
    expect(zendeskCalls()).toBe(1);
    expect(guard.breakerState).toBe('closed');
    clock.advance(12_000);
    expect((await zd.ticketsByIds([1], { include: false })).tickets).toHaveLength(1);
    expect(zendeskCalls()).toBe(2);
  });

  it('should pause after REQUEST_LIMIT_EXCEEDED, and keep non-essential reads away from the last of the daily API share', async () => {
    const creds = sandboxCredentials(up.registry, up.secrets);
    const emulator = await startSalesforceEmulator({ port: 0, tenants: creds.salesforce, dailyApiLimit: 10 });
    try {
      const clock = manualClock();
      const guard = guardOf('salesforce', { apiUsageShare: 0.5, apiUsagePauseSeconds: 60 }, clock);
      const sf = acme.upstreams.salesforce;
      const client = createSalesforceClient({
        loginUrl: emulator.url,
        clientId: resolveSecret(sf.clientId, up.secrets),
        clientSecret: resolveSecret(sf.clientSecret, up.secrets),
        apiVersion: sf.apiVersion,
        timeoutMs: 2_000,
        guard,
      });
      const soql = 'SELECT Id FROM Account LIMIT 1';
      // Change capture's reads (no request scope) stop once the org has used half its day.
      let background = 0;
      for (; background < 10; background++) {
        const out = await client.query(soql).catch((err: unknown) => err);
        if (out instanceof UpstreamError) {
          expect(out.extensions).toMatchObject({ code: ErrorCode.UPSTREAM_RATE_LIMITED, throttledBy: 'api_usage', retryAfterSeconds: 60 });
          break;
        }
      }
      expect(client.apiUsage?.()).toEqual({ used: 5, limit: 10 });
      expect(callsOf(emulator, 'SOQL Account')).toBe(5);
      // An agent's read (inside a request) still goes out, up to the limit itself; then the org says no, and everything pauses.
      await runInRequestScope(async () => {
        for (let i = 0; i < 5; i++) await client.query(soql);
        const limited = await failureOf(client.query(soql));
        expect(limited.extensions).toMatchObject({ code: ErrorCode.UPSTREAM_RATE_LIMITED });
        const paused = await failureOf(client.query(soql));
        expect(paused.extensions).toMatchObject({ throttledBy: 'retry_after', retryAfterSeconds: PROTECTION.rateLimitPauseSeconds });
      });
      expect(callsOf(emulator, 'SOQL Account')).toBe(11);
    } finally {
      await emulator.close();
    }
  });

  it('should cap the calls per minute below the plan, refusing the next at once', async () => {
    const guard = guardOf('zendesk', { callsPerMinute: 2 });
    const zd = zendeskClient(guard);
    await zd.ticketsByIds([1], { include: false });
    await zd.ticketsByIds([2], { include: false });
    const capped = await failureOf(zd.ticketsByIds([3], { include: false }));
    expect(capped.extensions).toMatchObject({ code: ErrorCode.UPSTREAM_RATE_LIMITED, throttledBy: 'calls_per_minute' });
    expect(capped.extensions['retryAfterSeconds']).toBeGreaterThanOrEqual(1);
    expect(zendeskCalls()).toBe(2);
  });
});

describe('retries', () => {
  it('should retry an idempotent read after resets, at most twice', async () => {
    const guard = guardOf('zendesk', { retries: 2, breaker: { consecutiveFailures: 10, halfOpenAfterMs: 30_000 } });
    const zd = zendeskClient(guard);
    up.emulators.zendesk.faults.add([{ tenant: 'acme', op: SHOW_MANY, fault: 'reset', times: 2 }]);
    expect((await zd.ticketsByIds([1], { include: false })).tickets).toHaveLength(1);
    expect(zendeskCalls(SHOW_MANY)).toBe(3);
    up.emulators.zendesk.stats.reset();
    up.emulators.zendesk.faults.add([{ tenant: 'acme', op: SHOW_MANY, fault: 'reset' }]);
    expect((await failureOf(zd.ticketsByIds([1], { include: false }))).code).toBe(ErrorCode.UPSTREAM_UNAVAILABLE);
    expect(zendeskCalls(SHOW_MANY)).toBe(3);
  });

  it('should attempt a write exactly once, whatever the fault', async () => {
    const zdGuard = guardOf('zendesk', { retries: 2 });
    up.emulators.zendesk.faults.add([{ tenant: 'acme', op: 'PUT /api/v2/tickets/{id}', fault: 'reset' }]);
    expect((await failureOf(zendeskClient(zdGuard).updateTicket(1, { priority: 'low' }))).code).toBe(ErrorCode.UPSTREAM_UNAVAILABLE);
    expect(zendeskCalls('PUT /api/v2/tickets/{id}')).toBe(1);

    const odoo = createTenantOdooClient(acme, up.secrets, undefined, guardOf('odoo', { retries: 2 }));
    const [order] = await odoo.searchRead('sale.order', [], { fields: ['name'], limit: 1 });
    up.emulators.odoo.faults.add([{ tenant: 'acme', op: 'sale.order.message_post', fault: 'reset' }]);
    const write = await failureOf(odoo.call('sale.order', 'message_post', [[order!.id]], { body: 'once', message_type: 'comment' }));
    expect(write.code).toBe(ErrorCode.UPSTREAM_UNAVAILABLE);
    expect(callsOf(up.emulators.odoo, 'sale.order.message_post')).toBe(1);
    // The same fault on a read of the same client: retried.
    up.emulators.odoo.faults.add([{ tenant: 'acme', op: 'sale.order.read', fault: 'reset', times: 1 }]);
    expect(await odoo.read('sale.order', [order!.id], ['name'])).toHaveLength(1);
    expect(callsOf(up.emulators.odoo, 'sale.order.read')).toBe(2);
  });

  it('should not retry a read that used up its time budget', async () => {
    // The budget is measured on the guard's clock: a real one here, since the attempt itself spends it.
    const timed = new TenantUpstreamGuard({ upstream: 'zendesk', tenant: 'acme', protection: { ...PROTECTION, retries: 2 }, timeoutMs: 300 });
    const zd = createZendeskClient({
      url: acme.upstreams.zendesk.url,
      email: acme.upstreams.zendesk.email,
      token: resolveSecret(acme.upstreams.zendesk.token, up.secrets),
      timeoutMs: 300,
      guard: timed,
    });
    up.emulators.zendesk.faults.add([{ tenant: 'acme', op: SHOW_MANY, fault: 'slow', latencyMs: 600 }]);
    expect((await failureOf(zd.ticketsByIds([1], { include: false }))).code).toBe(ErrorCode.UPSTREAM_TIMEOUT);
    expect(zendeskCalls(SHOW_MANY)).toBe(1);
  });
});

describe('the per-request call budget', () => {
  it('should refuse the call over maxCallsPerRequest with QUERY_TOO_COMPLEX, and every later one of the request', async () => {
    const guard = guardOf('zendesk', { maxCallsPerRequest: 3 });
    const zd = zendeskClient(guard);
    await runInRequestScope(async () => {
      for (const id of [1, 2, 3]) await zd.ticketsByIds([id], { include: false });
      const over = await failureOf(zd.ticketsByIds([4], { include: false }));
      expect(over.extensions).toMatchObject({ code: ErrorCode.QUERY_TOO_COMPLEX, upstream: 'zendesk', maxCallsPerRequest: 3 });
      expect(over.message).toMatch(/more than 3 zendesk calls/);
      expect((await failureOf(zd.usersByIds([1]))).code).toBe(ErrorCode.QUERY_TOO_COMPLEX);
    });
    expect(zendeskCalls()).toBe(3);
    // Another request has its own budget; calls outside any request have none.
    await runInRequestScope(() => zd.ticketsByIds([5], { include: false }));
    for (const id of [6, 7, 8, 9]) await zd.ticketsByIds([id], { include: false });
    expect(zendeskCalls()).toBe(8);
    const { values } = await upstreamGuardMetrics.throttled.get();
    expect(values.find((v) => v.labels['upstream'] === 'zendesk' && v.labels['reason'] === 'request_budget')?.value).toBeGreaterThanOrEqual(2);
  });
});
