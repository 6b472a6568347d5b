/**
 * Upstream protection, one guard per tenant × upstream (created on first use, kept in a bounded
 * map per subgraph). Every call a subgraph's client makes to its upstream goes through the guard,
 * which composes, from the outside in:
 *
 * 1. **fast refusals**, without touching the network: the request's call budget is spent
 *    (QUERY_TOO_COMPLEX), the upstream asked us to wait (a 429's `Retry-After`, Salesforce's
 *    REQUEST_LIMIT_EXCEEDED, or the org's daily API usage above its share for a non-essential read:
 *    UPSTREAM_RATE_LIMITED with the remaining `retryAfterSeconds`), the breaker is open
 *    (UPSTREAM_UNAVAILABLE with `breaker: 'open'` and `retryAfterSeconds`);
 * 2. a **bulkhead** (cockatiel): at most `maxConcurrent` calls in flight, `queue` waiting, one more
 *    refused at once with UPSTREAM_RATE_LIMITED (`throttledBy: 'bulkhead'`);
 * 3. **retries** (cockatiel, exponential backoff with decorrelated jitter) of idempotent reads only,
 *    at most `retries` times, only after an outage (timeout, unreachable, 5xx, unreadable answer,
 *    reset), and only while the retry fits in what is left of the call's time budget (the
 *    upstream's `timeoutMs`, counted from the first attempt: a call and its retries never take
 *    longer than one call could before);
 * 4. per attempt: the request's **call budget** (`maxCallsPerRequest`, counted per incoming GraphQL
 *    request through {@link runInRequestScope}) and the **calls-per-minute cap** (rate-limiter-flexible);
 * 5. a **circuit breaker** (cockatiel, consecutive failures): only outages count; an answer of the
 *    upstream (a rejection, a missing capability, a misconfiguration, a throttling answer) is the
 *    upstream working and counts as a success. Open, it lets one probe through after
 *    `halfOpenAfterMs` (other calls meanwhile fail at once, `breaker: 'half_open'`); the probe's
 *    success closes it, its failure opens it again.
 *
 * Why UPSTREAM_RATE_LIMITED for the bulkhead and the per-minute cap: the refusal is about one
 * upstream of one tenant (the error names it, and the rest of the answer stands), it is temporary
 * (retry after `retryAfterSeconds`), and it is an outage code for the entity cache, which then
 * serves stale entries; RATE_LIMITED is the gateway's own per-identity admission, which neither
 * names an upstream nor lets cached data stand in.
 *
 * The calls-per-minute windows are in-process (RateLimiterMemory): subgraphs hold no Redis client
 * of their own (the entity cache and change capture keep theirs private), so with N replicas of a
 * subgraph the tenant's upstream sees up to N × `callsPerMinute`; set it to the plan's share per
 * replica. Breaker, bulkhead and pauses are per process too, like the connections they protect.
 *
 * Metrics (in the registry the subgraph serves at `/metrics`; labels bounded by the tenant registry
 * and the clients' own operation names, never an id): `upstream_calls_total`,
 * `upstream_call_duration_seconds`, `upstream_breaker_state`, `upstream_breaker_transitions_total`,
 * `upstream_throttled_total`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  BrokenCircuitError,
  BulkheadRejectedError,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TaskCancelledError,
  bulkhead,
  circuitBreaker,
  handleWhen,
  retry,
  type BulkheadPolicy,
  type CircuitBreakerPolicy,
  type IBackoff,
  type IBackoffFactory,
  type RetryPolicy,
} from 'cockatiel';
import { LRUCache } from 'lru-cache';
import { Counter, Gauge, Histogram } from 'prom-client';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { entityCacheRegistry } from '../../cache/metrics';
import type { TenantConfig, UpstreamProtectionConfig } from '../../tenancy/registry';
import { ErrorCode, UpstreamError, type Upstream } from './errors';

// ---- settings -------------------------------------------------------------------------------------

/** `callsPerMinute` by upstream when a configuration has none (the registry's defaults). */
const DEFAULT_CALLS_PER_MINUTE: Record<Upstream, number> = { odoo: 20_000, salesforce: 1_000, zendesk: 600 };

/** The defaults of a tenant's `protection` (tenancy/registry.ts), for configurations built without the registry's parser. */
export const DEFAULT_PROTECTION: Readonly<Required<Omit<UpstreamProtectionConfig, 'breaker'>> & { breaker: UpstreamProtectionConfig['breaker'] }> = {
  maxConcurrent: 16,
  queue: 64,
  callsPerMinute: 600,
  breaker: { consecutiveFailures: 5, halfOpenAfterMs: 30_000 },
  retries: 2,
  maxCallsPerRequest: 50,
  rateLimitPauseSeconds: 60,
  apiUsageShare: 0.95,
  apiUsagePauseSeconds: 60,
};

// ---- metrics --------------------------------------------------------------------------------------

/** How an attempt that reached the network ended. */
export type CallOutcome = 'ok' | 'rejected' | 'rate_limited' | 'timeout' | 'unavailable' | 'cancelled';

/**
 * Why the guard held a call back without a network call: the breaker is open, the upstream asked to
 * wait (`retry_after`), the org's API usage is above its share (`api_usage`), no bulkhead slot,
 * the calls-per-minute cap, or the request's call budget.
 */
export type ThrottleReason = 'breaker_open' | 'retry_after' | 'api_usage' | 'bulkhead' | 'calls_per_minute' | 'request_budget';

/** The upstream guards' metrics (in `entityCacheRegistry`, the registry every subgraph serves at `/metrics`). */
export const upstreamGuardMetrics = {
  /** Attempts that reached the upstream (retries included), by operation and outcome. */
  calls: new Counter<'tenant' | 'upstream' | 'operation' | 'outcome'>({
    name: 'upstream_calls_total',
    help: 'Upstream calls that reached the network (retries included), by tenant, upstream, operation and outcome (ok, rejected, rate_limited, timeout, unavailable, cancelled)',
    labelNames: ['tenant', 'upstream', 'operation', 'outcome'],
    registers: [entityCacheRegistry],
  }),
  /** Duration of those attempts. */
  duration: new Histogram<'tenant' | 'upstream' | 'operation'>({
    name: 'upstream_call_duration_seconds',
    help: 'Duration of upstream calls that reached the network, by tenant, upstream and operation',
    labelNames: ['tenant', 'upstream', 'operation'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [entityCacheRegistry],
  }),
  /** 0 closed, 1 half-open, 2 open. */
  breakerState: new Gauge<'tenant' | 'upstream'>({
    name: 'upstream_breaker_state',
    help: 'Circuit breaker state per tenant and upstream: 0 closed, 1 half-open, 2 open',
    labelNames: ['tenant', 'upstream'],
    registers: [entityCacheRegistry],
  }),
  /** Breaker transitions, by the state entered (`closed`, `half_open`, `open`). */
  breakerTransitions: new Counter<'tenant' | 'upstream' | 'to'>({
    name: 'upstream_breaker_transitions_total',
    help: 'Circuit breaker transitions per tenant and upstream, by the state entered (closed, half_open, open)',
    labelNames: ['tenant', 'upstream', 'to'],
    registers: [entityCacheRegistry],
  }),
  /** Calls held back without a network call, by {@link ThrottleReason}. */
  throttled: new Counter<'tenant' | 'upstream' | 'reason'>({
    name: 'upstream_throttled_total',
    help: 'Upstream calls refused by the guard without a network call, by tenant, upstream and reason (breaker_open, retry_after, api_usage, bulkhead, calls_per_minute, request_budget)',
    labelNames: ['tenant', 'upstream', 'reason'],
    registers: [entityCacheRegistry],
  }),
};

// ---- the per-request scope ------------------------------------------------------------------------

interface RequestScope {
  /** Upstream calls started so far, per upstream. */
  readonly calls: Map<Upstream, number>;
  /** Upstreams whose budget this request has spent: nothing more is called. */
  readonly spent: Set<Upstream>;
}

const requestScopes = new AsyncLocalStorage<RequestScope>();

/**
 * Runs `fn` (and everything it starts: resolvers, loaders, their upstream calls) as one incoming
 * request, whose upstream calls count against each upstream's `maxCallsPerRequest`. The subgraph
 * server wraps each GraphQL request in one; calls outside any (change capture, warm-up) have no
 * per-request budget and are the non-essential ones.
 */
export function runInRequestScope<T>(fn: () => T): T {
  return requestScopes.run({ calls: new Map(), spent: new Set() }, fn);
}

// ---- the guard ------------------------------------------------------------------------------------

/** What the guard needs to know of one call. */
export interface GuardedCall {
  /** The operation as the emulators' stats name it (`sale.order.search_read`, `GET /api/v2/tickets/{id}`, `SOQL Account`): bounded, never an id. */
  operation: string;
  /** Safe to repeat (reads, token requests): only these are retried. */
  idempotent: boolean;
  /** The caller's signal: no retry once it is aborted, and an abort is no failure of the upstream. */
  signal?: AbortSignal | undefined;
  /** An operation the upstream limits on its own (Zendesk's incremental export): its 429 pauses only this group. */
  limitGroup?: string;
  /** Whether the call may spend the last of the org's API share. @default true inside a request scope, false outside */
  essential?: boolean;
}

/** What one attempt gets from the guard. */
export interface AttemptContext {
  /** This attempt's time budget in ms: what is left of the call's. */
  readonly timeoutMs: number;
  /** 0 for the first attempt, then 1, 2. */
  readonly attempt: number;
}

/** One tenant's upstream, as its client sees it. */
export interface UpstreamGuard {
  /** Runs `attempt` (one HTTP exchange and the reading of its answer, throwing coded UpstreamErrors) under the guard. */
  run<T>(call: GuardedCall, attempt: (ctx: AttemptContext) => Promise<T>): Promise<T>;
  /** The org's API usage, as the latest answer said (Salesforce `Sforce-Limit-Info`). */
  observeApiUsage(used: number, limit: number): void;
}

/** A refusal of the guard: a coded UpstreamError with the guard's own extensions (`breaker`, `throttledBy`, `maxCallsPerRequest`). */
export class GuardRefusal extends UpstreamError {
  constructor(
    code: ErrorCode,
    upstream: Upstream,
    message: string,
    readonly reason: ThrottleReason,
    extra: Record<string, unknown>,
    retryAfterSeconds?: number,
  ) {
    super(code, upstream, message, retryAfterSeconds !== undefined ? { retryAfterSeconds } : {});
    Object.assign(this.extensions, extra);
    this.name = 'GuardRefusal';
  }
}

/** The breaker counts these: the upstream did not answer usefully (timeout, unreachable, 5xx, unreadable, reset). */
const isOutage = (err: unknown): boolean =>
  err instanceof UpstreamError && !(err instanceof GuardRefusal) && (err.code === ErrorCode.UPSTREAM_TIMEOUT || err.code === ErrorCode.UPSTREAM_UNAVAILABLE);

function outcomeOf(err: unknown): CallOutcome {
  if (!(err instanceof UpstreamError)) return 'rejected';
  switch (err.code) {
    case ErrorCode.UPSTREAM_TIMEOUT:
      return 'timeout';
    case ErrorCode.UPSTREAM_UNAVAILABLE:
      return 'unavailable';
    case ErrorCode.UPSTREAM_RATE_LIMITED:
      return 'rate_limited';
    default:
      return 'rejected';
  }
}

/** The caller went away during an attempt: neither a failure nor a success of the upstream (a half-open probe's counts as a failure). */
class CallerGone extends Error {
  constructor(readonly original: unknown) {
    super('the caller went away');
  }
}

const seconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

export interface GuardOptions {
  upstream: Upstream;
  tenant: string;
  protection: UpstreamProtectionConfig;
  /** The upstream's budget per call (its `timeoutMs`). */
  timeoutMs: number;
  /** Epoch ms for pauses and the breaker's open time. @default Date.now */
  clock?: () => number;
  /** Whether calls count against the request's `maxCallsPerRequest`. @default true */
  perRequestBudget?: boolean;
}

const STATE_VALUE: Record<'closed' | 'half_open' | 'open', number> = { closed: 0, half_open: 1, open: 2 };

/** One tenant × upstream. Built by {@link UpstreamGuards}; exported for tests. */
export class TenantUpstreamGuard implements UpstreamGuard {
  readonly upstream: Upstream;
  readonly tenant: string;
  readonly #p: Required<Omit<UpstreamProtectionConfig, 'breaker'>> & { breaker: UpstreamProtectionConfig['breaker'] };
  readonly #timeoutMs: number;
  readonly #clock: () => number;
  readonly #budgeted: boolean;
  readonly #bulkhead: BulkheadPolicy;
  readonly #breaker: CircuitBreakerPolicy;
  readonly #retry: RetryPolicy;
  readonly #perMinute: RateLimiterMemory;
  /** The longest back-off before a retry (a quarter of the budget, at most 1 s). */
  readonly #maxDelay: number;
  /** When the breaker last opened (our clock), for its half-open time and `retryAfterSeconds`. */
  #openedAt = 0;
  /** Pauses the upstream asked for, by limit group (`*`: the whole upstream), until (our clock). */
  readonly #pausedUntil = new Map<string, number>();
  #usagePausedUntil = 0;
  /** The breaker's state, as the metrics report it. */
  #state: 'closed' | 'half_open' | 'open' = 'closed';
  readonly #labels: { tenant: string; upstream: Upstream };

  constructor(options: GuardOptions) {
    const { upstream, tenant, protection, timeoutMs, clock = Date.now, perRequestBudget = true } = options;
    this.#budgeted = perRequestBudget;
    this.upstream = upstream;
    this.tenant = tenant;
    this.#p = { ...DEFAULT_PROTECTION, ...protection, breaker: { ...DEFAULT_PROTECTION.breaker, ...protection.breaker } };
    this.#timeoutMs = timeoutMs;
    this.#clock = clock;
    this.#labels = { tenant, upstream };
    this.#bulkhead = bulkhead(this.#p.maxConcurrent, this.#p.queue);
    this.#perMinute = new RateLimiterMemory({ points: this.#p.callsPerMinute, duration: 60 });

    // The half-open time on our clock (cockatiel compares `Date.now() - openedAt` with this
    // duration each time a call meets the open breaker): 0 once due, infinite before.
    const halfOpenAfterMs = this.#p.breaker.halfOpenAfterMs;
    const halfOpenAfter: IBackoffFactory<unknown> = {
      next: (): IBackoff<unknown> => {
        const openedAt = clock();
        this.#openedAt = openedAt;
        return {
          get duration() {
            return clock() - openedAt >= halfOpenAfterMs ? 0 : Number.POSITIVE_INFINITY;
          },
          next: halfOpenAfter.next,
        };
      },
    };
    // A probe whose caller went away proved nothing: counted as a failure (the breaker opens again)
    // rather than as a success, which is what cockatiel makes of an error its filter does not take.
    this.#breaker = circuitBreaker(
      handleWhen((err) => isOutage(err) || (err instanceof CallerGone && this.#breaker.state === CircuitState.HalfOpen)),
      {
        halfOpenAfter,
        breaker: new ConsecutiveBreaker(this.#p.breaker.consecutiveFailures),
      },
    );
    this.#breaker.onStateChange((state) => {
      const to = state === CircuitState.Closed ? 'closed' : state === CircuitState.HalfOpen ? 'half_open' : 'open';
      if (to === this.#state) return;
      this.#state = to;
      upstreamGuardMetrics.breakerState.set(this.#labels, STATE_VALUE[to]);
      upstreamGuardMetrics.breakerTransitions.inc({ ...this.#labels, to });
    });
    upstreamGuardMetrics.breakerState.set(this.#labels, 0);

    const initialDelay = Math.min(100, Math.max(1, Math.floor(timeoutMs / 20)));
    const maxDelay = Math.min(1_000, Math.max(initialDelay, Math.floor(timeoutMs / 4)));
    this.#retry = retry(
      handleWhen((err) => isOutage(err)),
      { maxAttempts: this.#p.retries, backoff: new ExponentialBackoff({ initialDelay, maxDelay }) },
    );
    this.#maxDelay = maxDelay;
  }

  /** The breaker's state: `closed`, `half_open` or `open`. */
  get breakerState(): 'closed' | 'half_open' | 'open' {
    return this.#state;
  }

  observeApiUsage(used: number, limit: number): void {
    if (!(limit > 0)) return;
    if (used / limit >= this.#p.apiUsageShare) {
      if (this.#usagePausedUntil <= this.#clock()) this.#usagePausedUntil = this.#clock() + this.#p.apiUsagePauseSeconds * 1000;
    } else {
      this.#usagePausedUntil = 0;
    }
  }

  async run<T>(call: GuardedCall, attempt: (ctx: AttemptContext) => Promise<T>): Promise<T> {
    const inRequest = requestScopes.getStore();
    const essential = call.essential ?? inRequest !== undefined;
    const scope = this.#budgeted ? inRequest : undefined;
    this.#refuseEarly(call, scope, essential);
    // The call's budget starts with its first attempt (time waiting for a bulkhead slot is not the upstream's).
    let deadline: number | undefined;
    const remaining = (): number => (deadline ?? this.#clock() + this.#timeoutMs) - this.#clock();
    // A retry needs its backoff and a useful attempt window left in the call's budget.
    const minAttemptMs = Math.min(1_000, Math.floor(this.#timeoutMs / 4));
    let lastError: unknown;

    const once = async ({ attempt: n }: { attempt: number }): Promise<T> => {
      deadline ??= this.#clock() + this.#timeoutMs;
      if (n > 0) this.#refuseEarly(call, scope, essential);
      this.#spendBudget(scope);
      try {
        await this.#perMinute.consume('calls', 1);
      } catch (err) {
        this.#refund(scope);
        if (err instanceof RateLimiterRes) {
          throw this.#refusal(
            ErrorCode.UPSTREAM_RATE_LIMITED,
            'calls_per_minute',
            `${this.tenant}'s ${this.upstream} calls are at their cap of ${this.#p.callsPerMinute} a minute`,
            { throttledBy: 'calls_per_minute' },
            seconds(err.msBeforeNext),
          );
        }
        throw err;
      }
      let answer: { ok: true; value: T } | { ok: false; error: unknown };
      try {
        answer = await this.#breaker.execute(() => this.#exchange(call, attempt, { timeoutMs: Math.max(1, remaining()), attempt: n }));
      } catch (err) {
        if (err instanceof BrokenCircuitError) {
          this.#refund(scope);
          throw this.#breakerOpen();
        }
        throw err instanceof CallerGone ? err.original : err;
      }
      if (!answer.ok) throw answer.error;
      return answer.value;
    };

    try {
      return await this.#bulkhead.execute(
        () =>
          this.#retry.execute(async (ctx) => {
            // Retry only reads, only while the caller waits, only within the call's budget.
            if (ctx.attempt > 0 && (call.signal?.aborted || remaining() < minAttemptMs)) throw new NoRetry(lastError);
            try {
              return await once(ctx);
            } catch (err) {
              lastError = err;
              if (!call.idempotent || remaining() < this.#maxDelay + minAttemptMs) throw new NoRetry(err);
              throw err;
            }
          }, call.signal),
        call.signal,
      );
    } catch (err) {
      if (err instanceof NoRetry) throw err.original;
      if (err instanceof BulkheadRejectedError) {
        throw this.#refusal(
          ErrorCode.UPSTREAM_RATE_LIMITED,
          'bulkhead',
          `${this.tenant}'s ${this.upstream} has ${this.#p.maxConcurrent} calls in flight and ${this.#p.queue} waiting`,
          { throttledBy: 'bulkhead' },
          1,
        );
      }
      if (err instanceof TaskCancelledError)
        throw new UpstreamError(ErrorCode.UPSTREAM_UNAVAILABLE, this.upstream, 'the request went away before the call was made');
      throw err;
    }
  }

  /** One attempt on the network, measured; an outage is thrown (the breaker counts it), anything else comes back as a value. */
  async #exchange<T>(
    call: GuardedCall,
    attempt: (ctx: AttemptContext) => Promise<T>,
    ctx: AttemptContext,
  ): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
    const labels = { ...this.#labels, operation: call.operation };
    const end = upstreamGuardMetrics.duration.startTimer(labels);
    try {
      const value = await attempt(ctx);
      end();
      upstreamGuardMetrics.calls.inc({ ...labels, outcome: 'ok' });
      return { ok: true, value };
    } catch (err) {
      end();
      const gone = call.signal?.aborted === true;
      upstreamGuardMetrics.calls.inc({ ...labels, outcome: gone ? 'cancelled' : outcomeOf(err) });
      if (gone) throw new CallerGone(err);
      if (err instanceof UpstreamError && err.code === ErrorCode.UPSTREAM_RATE_LIMITED) this.#pause(call, err);
      if (isOutage(err)) throw err;
      return { ok: false, error: err };
    }
  }

  /** The upstream throttled us: later calls wait until the time it announced (or `rateLimitPauseSeconds`). */
  #pause(call: GuardedCall, err: UpstreamError): void {
    const announced = err.extensions['retryAfterSeconds'];
    const waitSeconds = typeof announced === 'number' && Number.isFinite(announced) && announced >= 0 ? announced : this.#p.rateLimitPauseSeconds;
    const key = call.limitGroup ?? '*';
    const until = this.#clock() + waitSeconds * 1000;
    if ((this.#pausedUntil.get(key) ?? 0) < until) this.#pausedUntil.set(key, until);
  }

  /** Refusals that need no network call: the request's budget, a pause, the org's usage, an open breaker. */
  #refuseEarly(call: GuardedCall, scope: RequestScope | undefined, essential: boolean): void {
    if (scope?.spent.has(this.upstream)) throw this.#budgetSpent();
    const now = this.#clock();
    for (const key of call.limitGroup ? ['*', call.limitGroup] : ['*']) {
      const until = this.#pausedUntil.get(key) ?? 0;
      if (until > now) {
        throw this.#refusal(
          ErrorCode.UPSTREAM_RATE_LIMITED,
          'retry_after',
          `${this.upstream} asked ${this.tenant}'s calls to wait`,
          { throttledBy: 'retry_after' },
          seconds(until - now),
        );
      }
    }
    if (!essential && this.#usagePausedUntil > now) {
      throw this.#refusal(
        ErrorCode.UPSTREAM_RATE_LIMITED,
        'api_usage',
        `${this.tenant}'s ${this.upstream} API usage is above ${Math.round(this.#p.apiUsageShare * 100)} % of its daily limit: non-essential reads wait`,
        { throttledBy: 'api_usage' },
        seconds(this.#usagePausedUntil - now),
      );
    }
    if (this.#breaker.state === CircuitState.Open && now - this.#openedAt < this.#p.breaker.halfOpenAfterMs) throw this.#breakerOpen();
    // One probe at a time: the others fail at once instead of waiting for its answer.
    if (this.#breaker.state === CircuitState.HalfOpen) throw this.#breakerOpen('half_open');
  }

  #spendBudget(scope: RequestScope | undefined): void {
    if (!scope) return;
    if (scope.spent.has(this.upstream)) throw this.#budgetSpent();
    const calls = scope.calls.get(this.upstream) ?? 0;
    if (calls >= this.#p.maxCallsPerRequest) {
      scope.spent.add(this.upstream);
      throw this.#budgetSpent();
    }
    scope.calls.set(this.upstream, calls + 1);
  }

  #refund(scope: RequestScope | undefined): void {
    if (!scope) return;
    const calls = scope.calls.get(this.upstream) ?? 0;
    if (calls > 0) scope.calls.set(this.upstream, calls - 1);
  }

  #budgetSpent(): GuardRefusal {
    return this.#refusal(
      ErrorCode.QUERY_TOO_COMPLEX,
      'request_budget',
      `This request needs more than ${this.#p.maxCallsPerRequest} ${this.upstream} calls (maxCallsPerRequest): ask for less at once`,
      { maxCallsPerRequest: this.#p.maxCallsPerRequest },
    );
  }

  #breakerOpen(state: 'open' | 'half_open' = 'open'): GuardRefusal {
    const left = this.#openedAt + this.#p.breaker.halfOpenAfterMs - this.#clock();
    return this.#refusal(
      ErrorCode.UPSTREAM_UNAVAILABLE,
      'breaker_open',
      state === 'open'
        ? `${this.upstream} is failing for ${this.tenant}: calls are suspended for a while`
        : `${this.upstream} is failing for ${this.tenant}: one call is probing whether it is back`,
      { breaker: state },
      seconds(left),
    );
  }

  #refusal(code: ErrorCode, reason: ThrottleReason, message: string, extra: Record<string, unknown>, retryAfterSeconds?: number): GuardRefusal {
    upstreamGuardMetrics.throttled.inc({ ...this.#labels, reason });
    return new GuardRefusal(code, this.upstream, message, reason, extra, retryAfterSeconds);
  }
}

/** Ends the retries with this error (a write, or no time left for another attempt). */
class NoRetry extends Error {
  constructor(readonly original: unknown) {
    super('not retried');
  }
}

// ---- one subgraph's guards ------------------------------------------------------------------------

export interface UpstreamGuardsOptions {
  upstream: Upstream;
  /** Whether calls count against each request's `maxCallsPerRequest` (off only for the benchmark's naive economy). @default true */
  perRequestBudget?: boolean;
  /** Guards kept at most (least recently used dropped first; one per tenant). @default 1024 */
  max?: number;
  /** @default Date.now */
  clock?: () => number;
}

/** The protection settings and time budget of a tenant's upstream, from its registry entry. */
function settingsOf(tenant: TenantConfig, upstream: Upstream): { protection: UpstreamProtectionConfig; timeoutMs: number } {
  const config = tenant.upstreams[upstream] as { protection?: UpstreamProtectionConfig; timeoutMs?: number };
  return {
    protection: config.protection ?? { ...DEFAULT_PROTECTION, callsPerMinute: DEFAULT_CALLS_PER_MINUTE[upstream] },
    timeoutMs: config.timeoutMs ?? 10_000,
  };
}

/** The guards of one subgraph's upstream, one per tenant, created on first use. */
export class UpstreamGuards {
  readonly upstream: Upstream;
  readonly #clock: (() => number) | undefined;
  readonly #budgeted: boolean;
  readonly #guards: LRUCache<string, TenantUpstreamGuard>;

  constructor(options: UpstreamGuardsOptions) {
    this.upstream = options.upstream;
    this.#clock = options.clock;
    this.#budgeted = options.perRequestBudget ?? true;
    this.#guards = new LRUCache({ max: options.max ?? 1024 });
  }

  /** The tenant's guard, created on first use. */
  get(tenant: TenantConfig): TenantUpstreamGuard {
    let guard = this.#guards.get(tenant.id);
    if (!guard) {
      guard = new TenantUpstreamGuard({
        upstream: this.upstream,
        tenant: tenant.id,
        ...settingsOf(tenant, this.upstream),
        ...(this.#clock ? { clock: this.#clock } : {}),
        perRequestBudget: this.#budgeted,
      });
      this.#guards.set(tenant.id, guard);
    }
    return guard;
  }

  /** What a tenant's client holds: every call looks its guard up (created then, or again after being dropped from the map). */
  for(tenant: TenantConfig): UpstreamGuard {
    return {
      run: (call, attempt) => this.get(tenant).run(call, attempt),
      observeApiUsage: (used, limit) => this.get(tenant).observeApiUsage(used, limit),
    };
  }
}

/** A client without a guard (tools, tests): one attempt with the client's own budget. */
export const unguarded = (timeoutMs: number): UpstreamGuard => ({
  run: (_call, attempt) => attempt({ timeoutMs, attempt: 0 }),
  observeApiUsage: () => undefined,
});
