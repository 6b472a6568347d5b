/**
 * The change-event contract shared by change capture (the subgraphs, the action pipeline) and the
 * gateway's subscriptions: one canonical event per captured change, on a tenant-scoped bus, plus
 * the small coordination primitives change capture needs across replicas (leases, cursors,
 * delivery de-duplication). Implementations: Redis (ioredis) and in-process, behind one interface
 * each and one contract test suite each.
 */

/** Which system a change was captured from. `gateway`: the gateway's own ERP actions. */
export type ChangeSource = 'odoo' | 'salesforce' | 'zendesk' | 'gateway';

/** What happened to the entity. */
export type ChangeKind = 'created' | 'updated' | 'deleted';

/** One captured change. JSON-serialisable; `tenant` names its tenant, always. */
export interface ChangeEvent {
  readonly tenant: string;
  /** The public GraphQL type of the entity: `Order`, `Invoice`, `Delivery`, `Ticket`, `Action`, `SalesforceAccount`... */
  readonly type: string;
  /** The entity's id as the public schema spells it (an Odoo id `"7"`, a Zendesk id `"301"`). */
  readonly id: string;
  readonly kind: ChangeKind;
  /** Public GraphQL field names of `type` whose value changed (all tracked fields when the previous state is unknown). */
  readonly changedFields: readonly string[];
  readonly source: ChangeSource;
  /** When the upstream recorded the change (ISO-8601, UTC): its write_date / updated_at / SystemModstamp. */
  readonly at: string;
  /** When it was captured here (epoch ms): the start of the change → push latency. */
  readonly capturedAt: number;
  /** The customer the entity concerns, as far as the capturing side knows it: the ERP id, and/or an email. */
  readonly customer?: { readonly id?: string; readonly email?: string };
}

/** Stops a subscription; idempotent. */
export interface Disposable {
  dispose(): void;
}

export interface EventBus {
  /** Appends an event to its tenant's stream. Rejects when the bus cannot take it (the caller logs; capture retries on its next pass). */
  publish(event: ChangeEvent): Promise<void>;
  /**
   * Hands `handler` every event published from now on for one of `tenants`, in publish order per
   * tenant, and never an event of another tenant. The handler must not throw (a throw is logged and
   * dropped).
   */
  subscribe(tenants: readonly string[], handler: (event: ChangeEvent) => void): Disposable;
  /** Idempotent: stops every subscription and closes connections the bus opened. */
  close(): Promise<void>;
}

/** Exclusive, expiring ownership of a named job (one poller per tenant across replicas). */
export interface LeaseStore {
  /** Takes the lease when it is free or already `holder`'s; true when `holder` now holds it for `ttlMs`. */
  acquire(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Extends the lease only while `holder` still holds it; false when it was lost. */
  renew(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Frees the lease if `holder` holds it (so another replica can take over at once). */
  release(name: string, holder: string): Promise<void>;
}

/** Small durable state for change capture: cursors and seen-delivery markers, shared by replicas. */
export interface CaptureState {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Sets `key` only when absent; true when this call set it (first delivery), false when it was there (a replay). */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
}

/** What change capture is given: the bus to publish on, leases and state. */
export interface ChangeCapture {
  readonly bus: EventBus;
  readonly leases: LeaseStore;
  readonly state: CaptureState;
  /** Idempotent. */
  close(): Promise<void>;
}
