/**
 * What an emulator served: a count per tenant and operation, as `GET /__sandbox/stats` returns it:
 * `{"requests": {"<tenant>": {"<operation>": <count>}}}`.
 */
export interface StatsSnapshot {
  requests: Record<string, Record<string, number>>;
}

export class RequestStats {
  #counts = new Map<string, Map<string, number>>();

  count(tenant: string, op: string): void {
    let perOp = this.#counts.get(tenant);
    if (!perOp) this.#counts.set(tenant, (perOp = new Map()));
    perOp.set(op, (perOp.get(op) ?? 0) + 1);
  }

  reset(): void {
    this.#counts.clear();
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
