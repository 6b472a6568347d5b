/**
 * The durable action log's public types: one record per ERP-writing action (idempotency, approval,
 * execution state, the ERP records it created) and an audit trail of every attempt. Two stores
 * implement `ActionStore` (PostgreSQL and embedded PGlite) and pass the same contract tests.
 */

export type ActionStatus = 'PENDING_APPROVAL' | 'APPROVED' | 'EXECUTING' | 'SUCCEEDED' | 'FAILED' | 'REJECTED' | 'EXPIRED' | 'DEAD';

/** Every status, in lifecycle order. */
export const ACTION_STATUSES: readonly ActionStatus[] = ['PENDING_APPROVAL', 'APPROVED', 'EXECUTING', 'SUCCEEDED', 'FAILED', 'REJECTED', 'EXPIRED', 'DEAD'];

/** The statuses `purge` may delete (DEAD is kept: an admin may still retry it). */
export const FINISHED_STATUSES: readonly ActionStatus[] = ['SUCCEEDED', 'FAILED', 'REJECTED', 'EXPIRED'];

export const isActionStatus = (value: unknown): value is ActionStatus => typeof value === 'string' && (ACTION_STATUSES as readonly string[]).includes(value);

export interface ErpRecordRef {
  system: 'odoo' | 'zendesk';
  model: string;
  id: number;
  name?: string | null;
}

export interface ActionRecord {
  id: string;
  tenant: string;
  kind: string;
  idempotencyKey: string;
  inputHash: string;
  input: unknown;
  status: ActionStatus;
  requester: string;
  requesterRoles: string[];
  approver: string | null;
  reason: string | null;
  ticketId: string | null;
  customerId: string | null;
  amount: number | null;
  currency: string | null;
  result: unknown;
  erpRecords: ErpRecordRef[];
  attempts: number;
  requestId: string | null;
  createdAt: string;
  updatedAt: string;
  expiresAt: string | null;
}

export type NewAction = Pick<
  ActionRecord,
  | 'tenant'
  | 'kind'
  | 'idempotencyKey'
  | 'inputHash'
  | 'input'
  | 'status'
  | 'requester'
  | 'requesterRoles'
  | 'ticketId'
  | 'customerId'
  | 'amount'
  | 'currency'
  | 'requestId'
  | 'expiresAt'
>;

/**
 * What `transition` may change. An absent (undefined) field is left as it is; `null` clears it.
 * `incrementAttempts` adds one to `attempts` (to the patched value when `attempts` is given too).
 */
export type ActionPatch = Partial<Pick<ActionRecord, 'status' | 'approver' | 'reason' | 'result' | 'erpRecords' | 'attempts' | 'expiresAt'>> & {
  incrementAttempts?: boolean;
};

/** Conditions are ANDed; an absent or empty list does not filter. */
export interface ActionFilter {
  status?: ActionStatus[];
  kind?: string[];
  ticketId?: string;
  customerId?: string;
  requester?: string;
}

export interface AuditEntry {
  id: number;
  tenant: string;
  actionId: string | null;
  kind: string;
  actor: string;
  event: string;
  outcome: string;
  detail: unknown;
  at: string;
}

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at'>;

export interface ActionPage {
  items: ActionRecord[];
  totalCount: number;
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface ActionStore {
  readonly kind: 'postgres' | 'pglite';
  /** Inserts the action unless (tenant, kind, idempotencyKey) exists (INSERT … ON CONFLICT DO NOTHING RETURNING, then SELECT): exactly one concurrent caller gets created=true. */
  create(a: NewAction): Promise<{ action: ActionRecord; created: boolean }>;
  /** The action, or null (also for an id that is not a UUID, and for another tenant's action). */
  get(tenant: string, id: string): Promise<ActionRecord | null>;
  getByKey(tenant: string, kind: string, idempotencyKey: string): Promise<ActionRecord | null>;
  /** Compare-and-set: applies `patch` only if the row's status is one of `from` (one UPDATE … WHERE status = ANY); the updated row, or null when another transition won. updatedAt set to now. */
  transition(tenant: string, id: string, from: readonly ActionStatus[], patch: ActionPatch): Promise<ActionRecord | null>;
  /**
   * Newest first (createdAt desc, id desc), cursor = opaque string of the last item's (createdAt, id).
   * `first` is a non-negative integer (RangeError otherwise); a cursor this store did not issue throws InvalidCursorError.
   */
  list(tenant: string, filter: ActionFilter, page: { first: number; after?: string | undefined }): Promise<ActionPage>;
  /** Across tenants: actions in `status` whose updatedAt (or expiresAt, with `by: 'expiresAt'`) is before `before`; for the reconciler and expiry. Oldest first. */
  due(status: ActionStatus, before: Date, by: 'updatedAt' | 'expiresAt', limit: number): Promise<ActionRecord[]>;
  audit(entry: NewAuditEntry): Promise<void>;
  /** A tenant's audit trail, newest first; optionally of one action. `limit` defaults to 100. */
  auditTrail(tenant: string, opts?: { actionId?: string; limit?: number }): Promise<AuditEntry[]>;
  /** Deletes finished actions (SUCCEEDED, FAILED, REJECTED, EXPIRED) older than `before` (idempotency keys are kept at least 24 h by the caller choosing `before`). Returns how many. The audit trail is kept. */
  purge(before: Date): Promise<number>;
  close(): Promise<void>;
}

/** `list` was given an `after` cursor that no store issued (a client's typo or tampering): a bad input, not a server fault. */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
  constructor(readonly cursor: string) {
    super('invalid cursor');
  }
}
