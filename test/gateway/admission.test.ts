/**
 * Admission control's limits against both stores: in-process (the embedded start) and the real
 * Redis (replicas sharing one budget), plus the fall-back to per-replica windows when Redis is gone.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { AdmissionControl } from '../../gateway/admission';
import type { Identity } from '../../tenancy/identity';
import { DEFAULT_TENANT_LIMITS, loadRegistry, type TenantConfig, type TenantLimits } from '../../tenancy/registry';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
// As the gateway holds it (gateway/main.ts): no offline queue, so a Redis outage answers at once.
const redis = new Redis(REDIS_URL, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
beforeAll(async () => {
  await redis.connect();
});
afterAll(async () => {
  await redis.quit();
});

const base = loadRegistry('tenancy/sandbox.tenants.json').tenants;
const tenant = (id: 'acme' | 'globex', limits: Partial<TenantLimits>): TenantConfig => ({
  ...base.find((t) => t.id === id)!,
  limits: { ...DEFAULT_TENANT_LIMITS, ...limits },
});
const who = (tenantId: string, subject: string): Identity => ({ tenant: tenantId, subject, roles: ['agent'], scopes: [] });

async function admitN(admission: AdmissionControl, identity: Identity, t: TenantConfig, n: number) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(await admission.admit(identity, t));
  return out;
}

const stores: Array<[string, (options?: { queueTimeoutMs?: number }) => AdmissionControl]> = [
  ['in-process', (options = {}) => new AdmissionControl(options)],
  ['redis', (options = {}) => new AdmissionControl({ ...options, redis, keyPrefix: `test-rl-${randomUUID()}` })],
];

describe.each(stores)('admission control (%s)', (_name, make) => {
  it('should refuse a subject over its requests per minute, with a Retry-After within the window, and leave other subjects and tenants alone', async () => {
    const admission = make();
    const acme = tenant('acme', { requestsPerMinutePerSubject: 3 });
    const results = await admitN(admission, who('acme', 'alice'), acme, 4);
    expect(results.slice(0, 3).every((r) => r.ok)).toBe(true);
    const refused = results[3]!;
    if (refused.ok) throw new Error('the fourth request was admitted');
    expect(refused.refusal).toMatchObject({ limit: 'requests', scope: 'subject' });
    expect(refused.refusal.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.refusal.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect((await admission.admit(who('acme', 'bob'), acme)).ok).toBe(true);
    expect((await admission.admit(who('globex', 'alice'), tenant('globex', { requestsPerMinutePerSubject: 3 }))).ok).toBe(true);
  });

  it("should refuse the tenant's requests once its own window is full, whoever asks", async () => {
    const admission = make();
    const acme = tenant('acme', { requestsPerMinute: 4 });
    for (const s of ['a', 'b', 'c', 'd']) expect((await admission.admit(who('acme', s), acme)).ok).toBe(true);
    const refused = await admission.admit(who('acme', 'e'), acme);
    expect(refused.ok ? undefined : refused.refusal).toMatchObject({ limit: 'requests', scope: 'tenant' });
    expect((await admission.admit(who('globex', 'a'), tenant('globex', { requestsPerMinute: 4 }))).ok).toBe(true);
  });

  it('should hold a request over the in-flight limit until a slot is released, refuse one more than the line holds, and count per tenant too', async () => {
    const admission = make();
    const acme = tenant('acme', { concurrentRequestsPerSubject: 1, concurrentRequests: 2 });
    const first = await admission.admit(who('acme', 'alice'), acme);
    expect(first.ok).toBe(true);
    let secondDone = false;
    const second = admission.admit(who('acme', 'alice'), acme).then((r) => ((secondDone = true), r));
    await new Promise((r) => setImmediate(r));
    expect(secondDone).toBe(false); // waiting its turn
    // The line of one is full: the third is refused at once.
    const third = await admission.admit(who('acme', 'alice'), acme);
    expect(third.ok ? undefined : third.refusal).toMatchObject({ limit: 'concurrency', scope: 'subject', retryAfterSeconds: 1 });
    // bob takes the tenant's second slot; carol waits for the tenant.
    expect((await admission.admit(who('acme', 'bob'), acme)).ok).toBe(true);
    expect(admission.inFlight('acme')).toBe(2);
    const carol = admission.admit(who('acme', 'carol'), acme);
    await new Promise((r) => setImmediate(r));
    expect(admission.waiting('acme')).toBe(2); // alice's second (for her slot) and carol (for the tenant's)
    if (first.ok) {
      first.release();
      first.release(); // idempotent
    }
    // alice's slot went to her waiting request, which then waits for the tenant's slot behind carol.
    const [c] = await Promise.all([carol]);
    expect(c.ok).toBe(true);
    if (c.ok) c.release();
    const s2 = await second;
    expect(s2.ok).toBe(true);
    if (s2.ok) s2.release();
    expect(admission.inFlight('acme')).toBe(1); // bob's
  });

  it('should take a waiting request out of the line when its client goes away, so the slot goes to the next', async () => {
    const admission = make();
    const acme = tenant('acme', { concurrentRequestsPerSubject: 1 });
    const first = await admission.admit(who('acme', 'alice'), acme);
    const gone = new AbortController();
    const leaving = admission.admit(who('acme', 'alice'), acme, gone.signal);
    await new Promise((r) => setImmediate(r));
    expect(admission.waiting('acme')).toBe(1);
    gone.abort();
    expect((await leaving).ok).toBe(false);
    expect(admission.waiting('acme')).toBe(0);
    const next = admission.admit(who('acme', 'alice'), acme);
    if (first.ok) first.release();
    const granted = await next;
    expect(granted.ok).toBe(true);
    if (granted.ok) granted.release();
    expect(admission.inFlight('acme')).toBe(0);
  });

  it("should close only the asker's budget when the tenant's refuses a query that does not fit but the tenant's is not spent", async () => {
    const admission = make();
    const acme = tenant('acme', { costPerMinute: 10_000, costPerMinutePerSubject: 100_000 });
    expect(await admission.charge(who('acme', 'alice'), acme, 2_000)).toBeUndefined();
    expect(await admission.charge(who('acme', 'bob'), acme, 9_000)).toMatchObject({ limit: 'cost', scope: 'tenant' });
    expect((await admission.admit(who('acme', 'carol'), acme)).ok).toBe(true);
    const bob = await admission.admit(who('acme', 'bob'), acme);
    expect(bob.ok ? undefined : bob.refusal).toMatchObject({ limit: 'cost' });
  });

  it('should refuse a waiting request once its wait is over', async () => {
    const admission = make({ queueTimeoutMs: 20 });
    const acme = tenant('acme', { concurrentRequestsPerSubject: 1 });
    const first = await admission.admit(who('acme', 'alice'), acme);
    const waited = await admission.admit(who('acme', 'alice'), acme);
    expect(waited.ok ? undefined : waited.refusal).toMatchObject({ limit: 'concurrency', scope: 'subject' });
    if (first.ok) first.release();
    expect((await admission.admit(who('acme', 'alice'), acme)).ok).toBe(true);
  });

  it('should hold a burst to the concurrency limit: the limit runs, as many wait, the rest are refused at once', async () => {
    const admission = make();
    const acme = tenant('acme', { concurrentRequestsPerSubject: 2 });
    const settled: boolean[] = [];
    const burst = Array.from({ length: 6 }, () => admission.admit(who('acme', 'alice'), acme).then((r) => (settled.push(r.ok), r)));
    await new Promise((r) => setTimeout(r, 20));
    expect(settled.sort()).toEqual([false, false, true, true]);
    expect(admission.inFlight('acme')).toBe(2);
    const running = (await Promise.all(burst.slice(0, 2))).filter((r) => r.ok);
    for (const r of running) if (r.ok) r.release();
    const rest = await Promise.all(burst);
    expect(rest.filter((r) => r.ok)).toHaveLength(4);
    for (const r of rest.slice(2)) if (r.ok) r.release();
    expect(admission.inFlight('acme')).toBe(0);
  });

  it('should refuse a request before it is parsed once a refused charge has closed the cost budget', async () => {
    const admission = make();
    const acme = tenant('acme', { costPerMinutePerSubject: 1_000 });
    expect(await admission.charge(who('acme', 'alice'), acme, 1_000)).toBeUndefined();
    // The window is full; the next charge is refused, which closes it on this replica.
    expect(await admission.charge(who('acme', 'alice'), acme, 1)).toMatchObject({ limit: 'cost', scope: 'subject' });
    const refused = await admission.admit(who('acme', 'alice'), acme);
    expect(refused.ok ? undefined : refused.refusal).toMatchObject({ limit: 'cost', scope: 'subject' });
    expect((await admission.admit(who('acme', 'bob'), acme)).ok).toBe(true);
  });

  it("should close a scope's cost budget once a charge is refused: later requests are refused before parsing until the window resets", async () => {
    let clock = Date.now();
    const admission = new AdmissionControl({ now: () => clock });
    const acme = tenant('acme', { costPerMinutePerSubject: 2_000 });
    expect(await admission.charge(who('acme', 'alice'), acme, 1_500)).toBeUndefined();
    const refused = await admission.charge(who('acme', 'alice'), acme, 1_481);
    expect(refused).toMatchObject({ limit: 'cost', scope: 'subject' });
    // 500 points are left, but the window is closed to alice: even a cheap request is refused at admission.
    const closed = await admission.admit(who('acme', 'alice'), acme);
    expect(closed.ok ? undefined : closed.refusal).toMatchObject({ limit: 'cost', scope: 'subject' });
    expect((await admission.admit(who('acme', 'bob'), acme)).ok).toBe(true);
    clock += refused!.retryAfterSeconds * 1000 + 1;
    const reopened = await admission.admit(who('acme', 'alice'), acme);
    expect(reopened.ok).toBe(true);
  });

  it('should charge query cost against the budget and refuse once it is spent; a refused charge leaves the subject its points', async () => {
    const admission = make();
    const acme = tenant('acme', { costPerMinutePerSubject: 3_000, costPerMinute: 4_000 });
    expect(await admission.charge(who('acme', 'alice'), acme, 1_481)).toBeUndefined();
    expect(await admission.charge(who('acme', 'alice'), acme, 1_481)).toBeUndefined();
    expect(await admission.charge(who('acme', 'alice'), acme, 1_481)).toMatchObject({ limit: 'cost', scope: 'subject' });
    // 2,962 of the tenant's 4,000 spent: bob's 1,481 would pass his share but not the tenant's.
    expect(await admission.charge(who('acme', 'bob'), acme, 1_481)).toMatchObject({ limit: 'cost', scope: 'tenant' });
    // ...and was not kept against bob: 1,000 still fits both.
    expect(await admission.charge(who('acme', 'bob'), acme, 1_000)).toBeUndefined();
    // A single operation dearer than the whole share is refused without touching the window.
    expect(await admission.charge(who('acme', 'carol'), acme, 3_001)).toMatchObject({ limit: 'cost', scope: 'subject', retryAfterSeconds: 60 });
  });
});

describe('admission control shared through Redis', () => {
  it('should make two replicas draw from one budget when they share the key prefix, and from separate ones when not', async () => {
    const prefix = `test-rl-${randomUUID()}`;
    const replicaA = new AdmissionControl({ redis, keyPrefix: prefix });
    const replicaB = new AdmissionControl({ redis, keyPrefix: prefix });
    const elsewhere = new AdmissionControl({ redis, keyPrefix: `${prefix}-other` });
    const acme = tenant('acme', { requestsPerMinutePerSubject: 3 });
    expect((await admitN(replicaA, who('acme', 'alice'), acme, 2)).every((r) => r.ok)).toBe(true);
    expect((await replicaB.admit(who('acme', 'alice'), acme)).ok).toBe(true);
    expect((await replicaB.admit(who('acme', 'alice'), acme)).ok).toBe(false);
    expect((await replicaA.admit(who('acme', 'alice'), acme)).ok).toBe(false);
    expect((await elsewhere.admit(who('acme', 'alice'), acme)).ok).toBe(true);
  });

  it("should keep limiting on each replica's own window while Redis does not answer", async () => {
    const down = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    down.on('error', () => undefined);
    try {
      const admission = new AdmissionControl({ redis: down, keyPrefix: `test-rl-${randomUUID()}` });
      const acme = tenant('acme', { requestsPerMinutePerSubject: 2 });
      const results = await admitN(admission, who('acme', 'alice'), acme, 3);
      expect(results.map((r) => r.ok)).toEqual([true, true, false]);
    } finally {
      down.disconnect();
    }
  });
});
