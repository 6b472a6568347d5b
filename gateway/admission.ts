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
 *   released when the response is closed; a request over the limit waits its turn (gateway/slots.ts)
 *   for up to 5 s, at most as many waiting as the limit, before it is refused: a flood of retries
 *   becomes back-pressure instead of a storm of refusals;
 * - once a charge is refused, its scope's budget stays closed on this replica for the rest of the
 *   window (even to a query that would fit), and requests are refused with the rate, before the
 *   body is read: no store round trip on the way in for it.
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
import { LRUCache } from 'lru-cache';
import { Slots } from './slots';

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
  /** Longest wait for an in-flight slot before RATE_LIMITED (ms). @default 5000 */
  queueTimeoutMs?: number;
  /** @default Date.now */
  now?: () => number;
}

const WINDOW_SECONDS = 60;

/** The subject part of a key: fixed length, whatever the token's `sub` holds. */
const subjectKey = (identity: Identity): string => `${identity.tenant}:${createHash('sha256').update(identity.subject).digest('base64url').slice(0, 22)}`;

const retryAfter = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

export class AdmissionControl {
  readonly #redis: Redis | undefined;
  readonly #prefix: string;
  readonly #limiters = new Map<string, RateLimiterAbstract>();
  readonly #slots = new Slots();
  /** Cost windows closed by a refused charge, until they reset (epoch ms), per `s:`/`t:` key. */
  readonly #costClosed = new LRUCache<string, number>({ max: 10_000 });
  readonly #now: () => number;
  readonly #queueTimeoutMs: number;
  readonly #refused: Counter<'tenant' | 'limit' | 'scope'> | undefined;
  readonly #inFlightGauge: Gauge<'tenant'> | undefined;
  readonly #labelled: ReadonlySet<string>;

  constructor(options: AdmissionOptions = {}) {
    this.#redis = options.redis;
    this.#prefix = options.keyPrefix ?? 'rl';
    this.#labelled = new Set(options.tenants ?? []);
    this.#queueTimeoutMs = options.queueTimeoutMs ?? 5_000;
    this.#now = options.now ?? Date.now;
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

  /**
   * Concurrency, rate and a spent cost budget, before the request is parsed. Over its in-flight
   * limit a request waits its turn (at most as many waiting as the limit, for at most
   * `queueTimeoutMs`) instead of being refused at once. On success, `release` must be called once
   * the response is done.
   */
  async admit(identity: Identity, tenant: TenantConfig, signal?: AbortSignal): Promise<Admission> {
    const limits = tenant.limits;
    const tenantSlot = `t:${tenant.id}`;
    const subjectSlot = `s:${subjectKey(identity)}`;
    // One deadline for both waits: the subject's slot, then the tenant's.
    const deadline = this.#now() + this.#queueTimeoutMs;
    if (!(await this.#slots.acquire(subjectSlot, limits.concurrentRequestsPerSubject, limits.concurrentRequestsPerSubject, this.#queueTimeoutMs, signal)))
      return this.#refuse(tenant, { limit: 'concurrency', scope: 'subject', retryAfterSeconds: 1 });
    if (!(await this.#slots.acquire(tenantSlot, limits.concurrentRequests, limits.concurrentRequests, deadline - this.#now(), signal))) {
      this.#slots.release(subjectSlot);
      return this.#refuse(tenant, { limit: 'concurrency', scope: 'tenant', retryAfterSeconds: 1 });
    }
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.#slots.release(tenantSlot);
      this.#slots.release(subjectSlot);
    };
    let refusal: Refusal | undefined;
    try {
      // A cost window a refused charge closed is refused here, before the body is read and parsed.
      refusal = this.#spent(identity) ?? (await this.#consume(limits, 'requests', identity, 1));
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
    if (refusal) {
      this.#count(tenant, refusal);
      // A refused request charges nothing: its request point is given back too.
      await Promise.all([
        this.#limiter('requests-subject', tenant.limits.requestsPerMinutePerSubject).reward(subjectKey(identity), 1),
        this.#limiter('requests-tenant', tenant.limits.requestsPerMinute).reward(identity.tenant, 1),
      ]).catch(() => undefined);
      // The scope's budget is closed for the rest of its window: later requests are refused before
      // they are parsed, instead of each being parsed and validated to learn it does not fit.
      // A tenant-scope refusal closes only the asker's own budget unless the tenant's is truly spent:
      // one user's dear query must not shut out the tenant's other users.
      const tenantSpent =
        refusal.scope === 'tenant' &&
        ((
          await this.#limiter('cost-tenant', tenant.limits.costPerMinute)
            .get(identity.tenant)
            .catch(() => null)
        )?.consumedPoints ?? 0) >= tenant.limits.costPerMinute;
      const key = tenantSpent ? `t:${identity.tenant}` : `s:${subjectKey(identity)}`;
      this.#costClosed.set(key, this.#now() + refusal.retryAfterSeconds * 1000);
    }
    return refusal;
  }

  /** Requests in flight on this replica for a tenant (tests and the bench). */
  inFlight(tenantId: string): number {
    return this.#slots.held(`t:${tenantId}`);
  }

  /** Requests of a tenant waiting for an in-flight slot (the tenant's or their subject's) on this replica. */
  waiting(tenantId: string): number {
    return this.#slots.waiting(`t:${tenantId}`) + this.#slots.waiting(`s:${tenantId}:`);
  }

  /**
   * A refusal when a refused charge closed the subject's or the tenant's cost window on this replica
   * (local state only: no store round trip on the way in; another replica learns at its own first refusal).
   */
  #spent(identity: Identity): Refusal | undefined {
    for (const [key, scope] of [
      [`s:${subjectKey(identity)}`, 'subject'],
      [`t:${identity.tenant}`, 'tenant'],
    ] as const) {
      const until = this.#costClosed.get(key);
      if (until === undefined) continue;
      if (until > this.#now()) return { limit: 'cost', scope, retryAfterSeconds: retryAfter(until - this.#now()) };
      this.#costClosed.delete(key);
    }
    return undefined;
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
