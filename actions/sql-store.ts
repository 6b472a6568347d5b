/**
 * The ActionStore in SQL, once, over a `SqlDriver` (pg or PGlite). Every statement is a single
 * round trip: create is INSERT … ON CONFLICT DO NOTHING RETURNING then (on conflict) a SELECT;
 * transition is one compare-and-set UPDATE … WHERE status = ANY(…) RETURNING.
 */
import { randomUUID } from 'node:crypto';
import { migrate, type MigrationReport } from './migrate';
import type { Row, SqlDriver, StoreKind } from './sql';
import {
  type ActionFilter,
  type ActionPage,
  type ActionPatch,
  type ActionRecord,
  type ActionStatus,
  type ActionStore,
  type AuditEntry,
  type ErpRecordRef,
  FINISHED_STATUSES,
  InvalidCursorError,
  isActionStatus,
  type NewAction,
  type NewAuditEntry,
} from './types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DEFAULT_AUDIT_LIMIT = 100;

export class SqlActionStore<K extends StoreKind = StoreKind> implements ActionStore {
  readonly kind: K;
  #closed: Promise<void> | undefined;

  constructor(
    private readonly driver: SqlDriver<K>,
    private readonly schema?: string | undefined,
  ) {
    this.kind = driver.kind;
  }

  /** Applies the missing migrations; the factories call it before handing the store out. */
  migrate(): Promise<MigrationReport> {
    return migrate(this.driver, { schema: this.schema });
  }

  async create(a: NewAction): Promise<{ action: ActionRecord; created: boolean }> {
    const inserted = await this.driver.query(
      `INSERT INTO actions (id, tenant, kind, idempotency_key, input_hash, input, status, requester, requester_roles,
                            ticket_id, customer_id, amount, currency, request_id, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9::text[], $10, $11, $12::numeric, $13, $14, $15::timestamptz)
       ON CONFLICT (tenant, kind, idempotency_key) DO NOTHING
       RETURNING *`,
      [
        randomUUID(),
        a.tenant,
        a.kind,
        a.idempotencyKey,
        a.inputHash,
        jsonParam(a.input),
        a.status,
        a.requester,
        [...a.requesterRoles],
        a.ticketId,
        a.customerId,
        a.amount,
        a.currency,
        a.requestId,
        a.expiresAt,
      ],
    );
    const row = inserted.rows[0];
    if (row) return { action: toAction(row), created: true };
    // The insert lost to a row with the same key (ON CONFLICT waited for its transaction to commit).
    const existing = await this.getByKey(a.tenant, a.kind, a.idempotencyKey);
    if (!existing) throw new Error(`action store: ${a.kind} key conflicted but no action found (purged meanwhile?)`);
    return { action: existing, created: false };
  }

  async get(tenant: string, id: string): Promise<ActionRecord | null> {
    if (!UUID.test(id)) return null;
    const { rows } = await this.driver.query('SELECT * FROM actions WHERE tenant = $1 AND id = $2::uuid', [tenant, id]);
    return rows[0] ? toAction(rows[0]) : null;
  }

  async getByKey(tenant: string, kind: string, idempotencyKey: string): Promise<ActionRecord | null> {
    const { rows } = await this.driver.query('SELECT * FROM actions WHERE tenant = $1 AND kind = $2 AND idempotency_key = $3', [tenant, kind, idempotencyKey]);
    return rows[0] ? toAction(rows[0]) : null;
  }

  async transition(tenant: string, id: string, from: readonly ActionStatus[], patch: ActionPatch): Promise<ActionRecord | null> {
    if (!UUID.test(id) || from.length === 0) return null;
    const params: unknown[] = [tenant, id, [...from]];
    const sets = ['updated_at = now()'];
    const set = (column: string, value: unknown, cast = ''): void => {
      params.push(value);
      sets.push(`${column} = $${params.length}${cast}`);
    };
    if (patch.status !== undefined) set('status', patch.status);
    if (patch.approver !== undefined) set('approver', patch.approver);
    if (patch.reason !== undefined) set('reason', patch.reason);
    if (patch.result !== undefined) set('result', jsonParam(patch.result), '::jsonb');
    if (patch.erpRecords !== undefined) set('erp_records', JSON.stringify(patch.erpRecords), '::jsonb');
    if (patch.expiresAt !== undefined) set('expires_at', patch.expiresAt, '::timestamptz');
    if (patch.attempts !== undefined || patch.incrementAttempts) {
      let base = 'attempts';
      if (patch.attempts !== undefined) {
        params.push(patch.attempts);
        base = `$${params.length}::integer`;
      }
      sets.push(`attempts = ${base}${patch.incrementAttempts ? ' + 1' : ''}`);
    }
    const { rows } = await this.driver.query(
      `UPDATE actions SET ${sets.join(', ')} WHERE tenant = $1 AND id = $2::uuid AND status = ANY($3::text[]) RETURNING *`,
      params,
    );
    return rows[0] ? toAction(rows[0]) : null;
  }

  async list(tenant: string, filter: ActionFilter, page: { first: number; after?: string | undefined }): Promise<ActionPage> {
    if (!Number.isInteger(page.first) || page.first < 0) throw new RangeError(`action store: first must be a non-negative integer, got ${page.first}`);
    const params: unknown[] = [tenant];
    const where = ['tenant = $1'];
    const add = (condition: (p: string) => string, value: unknown): void => {
      params.push(value);
      where.push(condition(`$${params.length}`));
    };
    if (filter.status?.length) add((p) => `status = ANY(${p}::text[])`, [...filter.status]);
    if (filter.kind?.length) add((p) => `kind = ANY(${p}::text[])`, [...filter.kind]);
    if (filter.ticketId !== undefined) add((p) => `ticket_id = ${p}`, filter.ticketId);
    if (filter.customerId !== undefined) add((p) => `customer_id = ${p}`, filter.customerId);
    if (filter.requester !== undefined) add((p) => `requester = ${p}`, filter.requester);
    const filtered = where.join(' AND ');
    const countParams = [...params];

    if (page.after !== undefined) {
      const [createdAt, id] = decodeCursor(page.after);
      params.push(createdAt, id);
      where.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(page.first + 1);
    const [items, count] = await Promise.all([
      this.driver.query(`SELECT * FROM actions WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`, params),
      this.driver.query(`SELECT count(*) AS n FROM actions WHERE ${filtered}`, countParams),
    ]);
    const actions = items.rows.slice(0, page.first).map(toAction);
    const last = actions[actions.length - 1];
    return {
      items: actions,
      totalCount: Number(count.rows[0]?.['n'] ?? 0),
      hasNextPage: items.rows.length > page.first,
      endCursor: last ? encodeCursor(last) : null,
    };
  }

  async due(status: ActionStatus, before: Date, by: 'updatedAt' | 'expiresAt', limit: number): Promise<ActionRecord[]> {
    const column = by === 'expiresAt' ? 'expires_at' : 'updated_at';
    const { rows } = await this.driver.query(`SELECT * FROM actions WHERE status = $1 AND ${column} < $2::timestamptz ORDER BY ${column}, id LIMIT $3`, [
      status,
      before.toISOString(),
      limit,
    ]);
    return rows.map(toAction);
  }

  async audit(entry: NewAuditEntry): Promise<void> {
    await this.driver.query(`INSERT INTO action_audit (tenant, action_id, kind, actor, event, outcome, detail) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)`, [
      entry.tenant,
      entry.actionId,
      entry.kind,
      entry.actor,
      entry.event,
      entry.outcome,
      jsonParam(entry.detail),
    ]);
  }

  async auditTrail(tenant: string, opts: { actionId?: string; limit?: number } = {}): Promise<AuditEntry[]> {
    const params: unknown[] = [tenant];
    let where = 'tenant = $1';
    if (opts.actionId !== undefined) {
      params.push(opts.actionId);
      where += ` AND action_id = $2`;
    }
    params.push(opts.limit ?? DEFAULT_AUDIT_LIMIT);
    const { rows } = await this.driver.query(`SELECT * FROM action_audit WHERE ${where} ORDER BY at DESC, id DESC LIMIT $${params.length}`, params);
    return rows.map(toAuditEntry);
  }

  async purge(before: Date): Promise<number> {
    const { rowCount } = await this.driver.query('DELETE FROM actions WHERE status = ANY($1::text[]) AND updated_at < $2::timestamptz', [
      [...FINISHED_STATUSES],
      before.toISOString(),
    ]);
    return rowCount;
  }

  /** Idempotent; concurrent callers share one close. */
  close(): Promise<void> {
    this.#closed ??= this.driver.close();
    return this.#closed;
  }
}

/** JSON for a jsonb parameter; undefined and null become SQL NULL. */
const jsonParam = (value: unknown): string | null => (value === undefined || value === null ? null : JSON.stringify(value));

const encodeCursor = (a: ActionRecord): string => Buffer.from(JSON.stringify([a.createdAt, a.id])).toString('base64url');

function decodeCursor(cursor: string): [string, string] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError(cursor);
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw new InvalidCursorError(cursor);
  const [createdAt, id] = parsed as unknown[];
  if (typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt)) || typeof id !== 'string' || !UUID.test(id)) throw new InvalidCursorError(cursor);
  return [createdAt, id];
}

// Row mapping. pg and PGlite parse columns a little differently (int8 and numeric are strings in pg,
// numbers in PGlite; timestamptz is a Date in both); these normalise both to the API's shapes.

const text = (v: unknown): string => (typeof v === 'string' ? v : String(v));
const textOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : text(v));
const numberOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
/** A Date (tested by tag, not instanceof: a driver loaded in another realm, as under jest, makes other Dates) or a timestamp string. */
const isDate = (v: unknown): v is Date => Object.prototype.toString.call(v) === '[object Date]';
const iso = (v: unknown): string => new Date(isDate(v) ? v.getTime() : text(v)).toISOString();
const isoOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : iso(v));

function status(v: unknown): ActionStatus {
  if (!isActionStatus(v)) throw new Error(`action store: unknown status ${JSON.stringify(v)} in the database`);
  return v;
}

function erpRecords(v: unknown): ErpRecordRef[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((r: unknown): ErpRecordRef[] => {
    if (typeof r !== 'object' || r === null) return [];
    const o = r as Record<string, unknown>;
    if ((o['system'] !== 'odoo' && o['system'] !== 'zendesk') || typeof o['model'] !== 'string' || typeof o['id'] !== 'number') return [];
    const ref: ErpRecordRef = { system: o['system'], model: o['model'], id: o['id'] };
    if (o['name'] !== undefined) ref.name = textOrNull(o['name']);
    return [ref];
  });
}

function toAction(r: Row): ActionRecord {
  const roles = r['requester_roles'];
  return {
    id: text(r['id']),
    tenant: text(r['tenant']),
    kind: text(r['kind']),
    idempotencyKey: text(r['idempotency_key']),
    inputHash: text(r['input_hash']),
    input: r['input'] ?? null,
    status: status(r['status']),
    requester: text(r['requester']),
    requesterRoles: Array.isArray(roles) ? roles.map(text) : [],
    approver: textOrNull(r['approver']),
    reason: textOrNull(r['reason']),
    ticketId: textOrNull(r['ticket_id']),
    customerId: textOrNull(r['customer_id']),
    amount: numberOrNull(r['amount']),
    currency: textOrNull(r['currency']),
    result: r['result'] ?? null,
    erpRecords: erpRecords(r['erp_records']),
    attempts: Number(r['attempts']),
    requestId: textOrNull(r['request_id']),
    createdAt: iso(r['created_at']),
    updatedAt: iso(r['updated_at']),
    expiresAt: isoOrNull(r['expires_at']),
  };
}

function toAuditEntry(r: Row): AuditEntry {
  return {
    id: Number(r['id']),
    tenant: text(r['tenant']),
    actionId: textOrNull(r['action_id']),
    kind: text(r['kind']),
    actor: text(r['actor']),
    event: text(r['event']),
    outcome: text(r['outcome']),
    detail: r['detail'] ?? null,
    at: iso(r['at']),
  };
}
