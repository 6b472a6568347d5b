/**
 * Fault injection shared by the three emulators: a list of rules, each matching a tenant and an
 * operation, that make an upstream misbehave on purpose (slow, error envelope, 5xx, 429, malformed
 * body, connection reset before or after the work, down).
 *
 * Rules are set from configuration at start-up and replaced or extended at run time through the
 * admin endpoint `/__sandbox/faults`.
 */
import { z } from 'zod';

/**
 * - `slow`: answer normally after `latencyMs`.
 * - `error`: answer with the upstream's own error envelope (Odoo JSON-RPC error, Salesforce error
 *   array, Zendesk error object); each emulator decides what its real system would send.
 * - `http5xx`: answer `status` (default 503) with a short non-JSON body, as a proxy in front would.
 * - `rate_limit`: the upstream's own throttling answer (Zendesk 429 + Retry-After, Salesforce 403
 *   REQUEST_LIMIT_EXCEEDED, Odoo 429 from its rate limiter).
 * - `malformed`: HTTP 200 with a truncated JSON body.
 * - `reset`: the TCP connection is destroyed before any answer; the request is not handled.
 * - `reset_after`: the request is handled in full (a write is applied: the emulated data changes),
 *   then the TCP connection is destroyed instead of the answer, as a proxy timing out after the
 *   upstream committed. The client cannot tell it from `reset`; only the data can.
 * - `down`: every matching request has its connection destroyed at once, as a stopped server would.
 */
export const FaultKind = z.enum(['slow', 'error', 'http5xx', 'rate_limit', 'malformed', 'reset', 'reset_after', 'down']);
export type FaultKind = z.infer<typeof FaultKind>;

export const FaultRule = z.object({
  /** Tenant the rule applies to; `*` for every tenant. */
  tenant: z.string().min(1).default('*'),
  /** Operation as counted in the stats (e.g. `sale.order.search_read`); `*` for every operation. */
  op: z.string().min(1).default('*'),
  fault: FaultKind,
  /** Delay before the answer (any fault kind); required for `slow`. */
  latencyMs: z.number().int().min(0).max(600_000).optional(),
  /** HTTP status for `http5xx`. @default 503 */
  status: z.number().int().min(500).max(599).optional(),
  /**
   * For `error`: which of the upstream's own errors to answer with (Odoo's exception class, e.g.
   * `odoo.exceptions.AccessError`; Salesforce's `errorCode`; Zendesk's `error`). Each emulator has a
   * default: a transient server-side failure.
   */
  error: z.string().min(1).max(200).optional(),
  /** Seconds announced in `Retry-After` for `rate_limit`. @default 1 */
  retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
  /** How many matching requests the rule fires for before it retires itself; unlimited if absent. */
  times: z.number().int().positive().optional(),
});
export type FaultRule = z.infer<typeof FaultRule>;
export type FaultRuleInput = z.input<typeof FaultRule>;

export const FaultRules = z.array(FaultRule);

/** What a request meets: extra latency, and possibly a failure instead of the real answer. */
export interface FaultDecision {
  latencyMs: number;
  failure?: FaultRule;
}

const matches = (pattern: string, value: string): boolean =>
  pattern === '*' || pattern === value || (pattern.endsWith('*') && value.startsWith(pattern.slice(0, -1)));

/** Holds the active rules; `decide` consumes `times` as rules fire. */
export class FaultTable {
  #rules: Array<FaultRule & { remaining?: number }> = [];

  /**
   * @param baseLatencyMs latency added to every call of every tenant (e.g. 20 for benchmarks).
   */
  constructor(
    rules: readonly FaultRuleInput[] = [],
    public baseLatencyMs = 0,
  ) {
    this.add(rules);
  }

  /** Validates and appends rules; throws a ZodError naming the bad field. */
  add(rules: readonly FaultRuleInput[]): void {
    for (const rule of FaultRules.parse(rules)) this.#rules.push({ ...rule, remaining: rule.times });
  }

  clear(): void {
    this.#rules = [];
  }

  list(): FaultRule[] {
    return this.#rules.map(({ remaining, ...rule }) => ({ ...rule, ...(remaining !== undefined ? { times: remaining } : {}) }));
  }

  decide(tenant: string, op: string): FaultDecision {
    let latencyMs = this.baseLatencyMs;
    let failure: FaultRule | undefined;
    for (const rule of this.#rules) {
      if (!matches(rule.tenant, tenant) || !matches(rule.op, op)) continue;
      if (rule.remaining !== undefined) {
        if (rule.remaining <= 0) continue;
        rule.remaining -= 1;
      }
      latencyMs += rule.latencyMs ?? 0;
      if (rule.fault !== 'slow' && !failure) failure = rule;
    }
    this.#rules = this.#rules.filter((r) => r.remaining === undefined || r.remaining > 0);
    return failure ? { latencyMs, failure } : { latencyMs };
  }
}
