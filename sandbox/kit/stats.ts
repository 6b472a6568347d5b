/**
 * What an emulator served: a count per tenant and operation, as `GET /__sandbox/stats` returns it:
 * `{"requests": {"<tenant>": {"<operation>": <count>}}}`.
 */
export interface StatsSnapshot {
  requests: Record<string, Record<string, number>>;
}

/** One served request on the timeline (for counting sequential hops in benchmarks). */
export interface TimelineEntry {
  tenant: string;
  op: string;
  /** Arrival, ms since the emulator started (monotonic). */
  at: number;
}

/** How many arrivals the timeline keeps (oldest dropped first). */
const TIMELINE_CAPACITY = 10_000;

export class RequestStats {
  #counts = new Map<string, Map<string, number>>();
  #timeline: TimelineEntry[] = [];

  count(tenant: string, op: string): void {
    let perOp = this.#counts.get(tenant);
    if (!perOp) this.#counts.set(tenant, (perOp = new Map()));
    perOp.set(op, (perOp.get(op) ?? 0) + 1);
    if (this.#timeline.length >= TIMELINE_CAPACITY) this.#timeline.shift();
    this.#timeline.push({ tenant, op, at: Math.round(performance.now() * 10) / 10 });
  }

  reset(): void {
    this.#counts.clear();
    this.#timeline = [];
  }

  /** Arrivals since the last reset, oldest first (at most the last 10,000). */
  timeline(): TimelineEntry[] {
    return [...this.#timeline];
  }

  snapshot(): StatsSnapshot {
    const requests: StatsSnapshot['requests'] = {};
    for (const [tenant, perOp] of this.#counts) requests[tenant] = Object.fromEntries(perOp);
    return { requests };
  }

  /** Total calls for a tenant (all operations), or for every tenant when none is given. */
  total(tenant?: string): number {
    let sum = 0;
    for (const [t, perOp] of this.#counts) {
      if (tenant !== undefined && t !== tenant) continue;
      for (const n of perOp.values()) sum += n;
    }
    return sum;
  }
}
