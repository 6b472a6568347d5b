/**
 * Admission control: each tenant, and each subject within it, gets its share of the gateway before
 * anything is parsed, planned or sent upstream. Three limits, each per tenant and per subject, from
 * the tenant's `limits` in the registry (tenancy/registry.ts):
 *
 * - requests per minute and query cost per minute: fixed windows in rate-limiter-flexible, on Redis
 *   when the gateway has one (every replica draws from the same budget), in-process otherwise; if
 *   Redis stops answering, each replica falls back to its own in-process window of the same size
 *   (the insurance limiter) instead of refusing everyone or letting everyone through;
 * - requests in flight: counted per replica, the resource it protects (event loop, sockets), and
 *   released when the response is closed.
 *
 * The cost is charged once the operation is known (after validation), not merely capped: a tenant
 * that sends expensive queries runs out of budget sooner than one sending cheap ones.
 *
 * A refusal carries the seconds until the window that refused frees up (`Retry-After`); the caller
 * answers HTTP 429 with RATE_LIMITED.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { Counter, Gauge, type Registry } from 'prom-client';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Identity } from '../tenancy/identity';
import type { TenantConfig, TenantLimits } from '../tenancy/registry';

/** Which limit refused a request. */
export type LimitName = 'requests' | 'concurrency' | 'cost';

export interface Refusal {
  limit: LimitName;
  /** Whose share ran out: the tenant's, or the subject's within it. */
  scope: 'tenant' | 'subject';
  /** Whole seconds, at least 1, until the refusing limit has room again. */
  retryAfterSeconds: number;
}

export type Admission = { ok: true; release: () => void } | { ok: false; refusal: Refusal };

export interface AdmissionOptions {
  /** The shared store of the windows; in-process without it. */
  redis?: Redis;
  /** Prefix of the Redis keys. @default 'rl' */
  keyPrefix?: string;
  /** Where the refusal and in-flight metrics are registered. */
  metricsRegistry?: Registry;
  /** Tenant ids used as metric labels (anything else is counted as `other`). */
  tenants?: readonly string[];
}

const WINDOW_SECONDS = 60;

/** The subject part of a key: fixed length, whatever the token's `sub` holds. */
const subjectKey = (identity: Identity): string => `${identity.tenant}:${createHash('sha256').update(identity.subject).digest('base64url').slice(0, 22)}`;

const retryAfter = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

export class AdmissionControl {
  readonly #redis: Redis | undefined;
  readonly #prefix: string;
  readonly #limiters = new Map<string, RateLimiterAbstract>();
  readonly #inFlight = new Map<string, number>();
  readonly #refused: Counter<'tenant' | 'limit' | 'scope'> | undefined;
  readonly #inFlightGauge: Gauge<'tenant'> | undefined;
  readonly #labelled: ReadonlySet<string>;

  constructor(options: AdmissionOptions = {}) {
    this.#redis = options.redis;
    this.#prefix = options.keyPrefix ?? 'rl';
    this.#labelled = new Set(options.tenants ?? []);
    if (options.metricsRegistry) {
      this.#refused = new Counter({
        name: 'gateway_admission_refused_total',
        help: 'Requests refused with RATE_LIMITED by admission control, by tenant, limit and scope',
        labelNames: ['tenant', 'limit', 'scope'],
        registers: [options.metricsRegistry],
      });
      this.#inFlightGauge = new Gauge({
        name: 'gateway_requests_in_flight',
        help: 'GraphQL requests admitted and not yet answered on this replica, by tenant',
        labelNames: ['tenant'],
        registers: [options.metricsRegistry],
      });
    }
  }

  /** Rate and concurrency, before the request is parsed. On success, `release` must be called once the response is done. */
  async admit(identity: Identity, tenant: TenantConfig): Promise<Admission> {
    const limits = tenant.limits;
    const tenantSlot = `t:${tenant.id}`;
    const subjectSlot = `s:${subjectKey(identity)}`;
    if ((this.#inFlight.get(tenantSlot) ?? 0) >= limits.concurrentRequests)
      return this.#refuse(tenant, { limit: 'concurrency', scope: 'tenant', retryAfterSeconds: 1 });
    if ((this.#inFlight.get(subjectSlot) ?? 0) >= limits.concurrentRequestsPerSubject)
      return this.#refuse(tenant, { limit: 'concurrency', scope: 'subject', retryAfterSeconds: 1 });

    // The slots are taken before anything is awaited, so a burst cannot slip past the check.
    this.#add(tenantSlot, 1);
    this.#add(subjectSlot, 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.#add(tenantSlot, -1);
      this.#add(subjectSlot, -1);
    };
    let refusal: Refusal | undefined;
    try {
      refusal = await this.#consume(limits, 'requests', identity, 1);
    } catch (err) {
      release();
      throw err;
    }
    if (refusal) {
      release();
      return this.#refuse(tenant, refusal);
    }
    this.#inFlightGauge?.inc({ tenant: this.#label(tenant.id) });
    return {
      ok: true,
      release: () => {
        if (released) return;
        release();
        this.#inFlightGauge?.dec({ tenant: this.#label(tenant.id) });
      },
    };
  }

  /** Charges an admitted operation's cost against the subject's and the tenant's budgets; a refusal charges nothing. */
  async charge(identity: Identity, tenant: TenantConfig, cost: number): Promise<Refusal | undefined> {
    if (!(cost > 0)) return undefined;
    const refusal = await this.#consume(tenant.limits, 'cost', identity, Math.ceil(cost));
    if (refusal) this.#count(tenant, refusal);
    return refusal;
  }

  /** Requests in flight on this replica for a tenant (tests and the bench). */
  inFlight(tenantId: string): number {
    return this.#inFlight.get(`t:${tenantId}`) ?? 0;
  }

  /** Consumes from the subject's window first, then the tenant's; a refusal leaves both windows as they were. */
  async #consume(limits: TenantLimits, kind: 'requests' | 'cost', identity: Identity, points: number): Promise<Refusal | undefined> {
    const perSubject = kind === 'requests' ? limits.requestsPerMinutePerSubject : limits.costPerMinutePerSubject;
    const perTenant = kind === 'requests' ? limits.requestsPerMinute : limits.costPerMinute;
    const subject = this.#limiter(`${kind}-subject`, perSubject);
    const tenantLimiter = this.#limiter(`${kind}-tenant`, perTenant);
    const sKey = subjectKey(identity);
    const limit: LimitName = kind;
    if (points > perSubject) return { limit, scope: 'subject', retryAfterSeconds: WINDOW_SECONDS };
    // A window counts a refused consumption too: it is given back, so what was refused costs nothing.
    const subjectRefusal = await consumeOrRefusal(subject, sKey, points);
    if (subjectRefusal !== undefined) {
      await subject.reward(sKey, points).catch(() => undefined);
      return { limit, scope: 'subject', retryAfterSeconds: subjectRefusal };
    }
    const tenantRefusal = await consumeOrRefusal(tenantLimiter, identity.tenant, points);
    if (tenantRefusal !== undefined) {
      await Promise.all([subject.reward(sKey, points), tenantLimiter.reward(identity.tenant, points)]).catch(() => undefined);
      return { limit, scope: 'tenant', retryAfterSeconds: tenantRefusal };
    }
    return undefined;
  }

  #limiter(kind: string, points: number): RateLimiterAbstract {
    const id = `${kind}:${points}`;
    let limiter = this.#limiters.get(id);
    if (!limiter) {
      const keyPrefix = `${this.#prefix}:${kind}:${points}`;
      const local = new RateLimiterMemory({ keyPrefix, points, duration: WINDOW_SECONDS });
      limiter = this.#redis
        ? new RateLimiterRedis({ storeClient: this.#redis, keyPrefix, points, duration: WINDOW_SECONDS, rejectIfRedisNotReady: true, insuranceLimiter: local })
        : local;
      this.#limiters.set(id, limiter);
    }
    return limiter;
  }

  #add(slot: string, delta: number): void {
    const next = (this.#inFlight.get(slot) ?? 0) + delta;
    if (next <= 0) this.#inFlight.delete(slot);
    else this.#inFlight.set(slot, next);
  }

  #label(tenantId: string): string {
    return this.#labelled.has(tenantId) ? tenantId : 'other';
  }

  #count(tenant: TenantConfig, refusal: Refusal): void {
    this.#refused?.inc({ tenant: this.#label(tenant.id), limit: refusal.limit, scope: refusal.scope });
  }

  #refuse(tenant: TenantConfig, refusal: Refusal): Admission {
    this.#count(tenant, refusal);
    return { ok: false, refusal };
  }
}

/** `undefined` when consumed; the seconds to wait when the window is full. Store errors (no insurance left) admit: availability over strictness. */
async function consumeOrRefusal(limiter: RateLimiterAbstract, key: string, points: number): Promise<number | undefined> {
  try {
    await limiter.consume(key, points);
    return undefined;
  } catch (res) {
    if (res instanceof RateLimiterRes) return retryAfter(res.msBeforeNext);
    return undefined;
  }
}
