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

const stores: Array<[string, () => AdmissionControl]> = [
  ['in-process', () => new AdmissionControl()],
  ['redis', () => new AdmissionControl({ redis, keyPrefix: `test-rl-${randomUUID()}` })],
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

  it('should count requests in flight per subject and per tenant and free a slot when released', async () => {
    const admission = make();
    const acme = tenant('acme', { concurrentRequestsPerSubject: 2, concurrentRequests: 3 });
    const [first, second, third] = await admitN(admission, who('acme', 'alice'), acme, 3);
    expect(first?.ok && second?.ok).toBe(true);
    expect(third?.ok ? undefined : third?.refusal).toMatchObject({ limit: 'concurrency', scope: 'subject', retryAfterSeconds: 1 });
    expect((await admission.admit(who('acme', 'bob'), acme)).ok).toBe(true);
    const overTenant = await admission.admit(who('acme', 'carol'), acme);
    expect(overTenant.ok ? undefined : overTenant.refusal).toMatchObject({ limit: 'concurrency', scope: 'tenant' });
    expect(admission.inFlight('acme')).toBe(3);
    if (first?.ok) {
      first.release();
      first.release(); // idempotent
    }
    expect(admission.inFlight('acme')).toBe(2);
    expect((await admission.admit(who('acme', 'alice'), acme)).ok).toBe(true);
  });

  it('should hold a burst to the concurrency limit even when every request of it is checked before any is admitted', async () => {
    const admission = make();
    const acme = tenant('acme', { concurrentRequestsPerSubject: 2 });
    const burst = await Promise.all(Array.from({ length: 6 }, () => admission.admit(who('acme', 'alice'), acme)));
    expect(burst.filter((r) => r.ok)).toHaveLength(2);
    expect(admission.inFlight('acme')).toBe(2);
    for (const r of burst) if (r.ok) r.release();
    expect(admission.inFlight('acme')).toBe(0);
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
