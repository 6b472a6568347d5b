/**
 * Zendesk's per-account request budget: a token bucket holding `perMinute` tokens, refilled
 * continuously at `perMinute` per minute. One bucket per tenant.
 */

export interface RateDecision {
  allowed: boolean;
  limit: number;
  /** Whole tokens left after this request. */
  remaining: number;
  /** Seconds until one token is back (only when refused). */
  retryAfterSeconds: number;
}

export class RateLimiter {
  #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly perMinute: number,
    /** Clock in ms; injectable for tests. @default Date.now */
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isInteger(perMinute) || perMinute <= 0)
      throw new RangeError(`zendesk rate limiter: rateLimitPerMinute must be a positive integer, got ${perMinute}`);
  }

  take(tenant: string): RateDecision {
    const now = this.now();
    const perMs = this.perMinute / 60_000;
    const bucket = this.#buckets.get(tenant) ?? { tokens: this.perMinute, at: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.at) * perMs);
    bucket.at = now;
    this.#buckets.set(tenant, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, limit: this.perMinute, remaining: Math.floor(bucket.tokens), retryAfterSeconds: 0 };
    }
    const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
    return { allowed: false, limit: this.perMinute, remaining: 0, retryAfterSeconds };
  }

  reset(): void {
    this.#buckets.clear();
  }
}
