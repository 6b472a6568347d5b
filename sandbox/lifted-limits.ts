/**
 * Admission limits out of reach, for load that one token drives on purpose (the benchmarks) and for
 * tests of something else (cache single flight, idempotency) that send one user's 50 or 100
 * requests at once. `npm run bench:fairness` and test/e2e/admission.test.ts measure the real limits.
 */
import type { TenantLimits, TenantRegistry } from '../tenancy/registry';

export const LIFTED_LIMITS: Readonly<TenantLimits> = Object.freeze({
  requestsPerMinute: 1e9,
  requestsPerMinutePerSubject: 1e9,
  concurrentRequests: 1e6,
  concurrentRequestsPerSubject: 1e6,
  costPerMinute: 1e12,
  costPerMinutePerSubject: 1e12,
});

/** The registry with the given tenants' limits lifted (every tenant when none is named). */
export const withLiftedLimits =
  (...tenantIds: string[]) =>
  (registry: TenantRegistry): TenantRegistry => ({
    tenants: registry.tenants.map((t) => (tenantIds.length === 0 || tenantIds.includes(t.id) ? { ...t, limits: { ...LIFTED_LIMITS } } : t)),
  });
