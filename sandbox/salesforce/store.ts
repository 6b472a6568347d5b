/**
 * One org's records, indexed by object and by id, plus what the org remembers between calls:
 * open query cursors and the daily API counter.
 */
import { normalizeId, recordId } from './ids';

export type FieldValue = string | number | boolean | null;

export interface SfRecord {
  readonly type: string;
  /** Canonical field name → value; every field of the object is present (null when empty). */
  readonly fields: Readonly<Record<string, FieldValue>>;
}

/** A query's remaining rows, served page by page through `query/<locator>`. */
export interface QueryCursor {
  readonly id: string;
  readonly rows: readonly Record<string, unknown>[];
  readonly batchSize: number;
}

/** How many cursors an org keeps open; the oldest is dropped first (real orgs cap open cursors too). */
const MAX_OPEN_CURSORS = 200;

export class OrgStore {
  readonly #byType = new Map<string, SfRecord[]>();
  readonly #byId = new Map<string, SfRecord>();
  readonly #cursors = new Map<string, QueryCursor>();
  #cursorSeq = 0;
  /** REST calls served today. */
  apiUsage = 0;

  constructor(
    readonly tenant: string,
    readonly orgId: string,
    /** The user the client-credentials flow runs as. */
    readonly integrationUserId: string,
    records: readonly SfRecord[],
  ) {
    for (const record of records) {
      const list = this.#byType.get(record.type) ?? [];
      list.push(record);
      this.#byType.set(record.type, list);
      this.#byId.set(String(record.fields.Id).slice(0, 15), record);
    }
  }

  /** Every record of one object, in id order. */
  all(type: string): readonly SfRecord[] {
    return this.#byType.get(type) ?? [];
  }

  /** A record by 15- or 18-character id. */
  byId(id: string): SfRecord | undefined {
    const id15 = normalizeId(id);
    return id15 === undefined ? undefined : this.#byId.get(id15);
  }

  /**
   * Replaces a record's field values (same id, same type); the caller has validated them. Open
   * cursors keep the rows they were opened with, as Salesforce's do.
   */
  replace(id: string, fields: Readonly<Record<string, FieldValue>>): SfRecord | undefined {
    const current = this.byId(id);
    if (!current) return undefined;
    const next: SfRecord = { type: current.type, fields: { ...current.fields, ...fields, Id: current.fields.Id ?? null } };
    const list = this.#byType.get(current.type)!;
    list[list.indexOf(current)] = next;
    this.#byId.set(String(current.fields.Id).slice(0, 15), next);
    return next;
  }

  /**
   * A fresh 18-character id for a new record of `type` (key prefix `keyPrefix`): numbered after the
   * object's records, as the seed numbers them, skipping any id already taken.
   */
  mintId(type: string, keyPrefix: string): string {
    for (let n = this.all(type).length + 1; ; n++) {
      const id = recordId(keyPrefix, n);
      if (!this.byId(id)) return id;
    }
  }

  /** Adds a new record (its `Id` minted by {@link mintId}); the caller has validated its fields. */
  insert(record: SfRecord): void {
    const list = this.#byType.get(record.type) ?? [];
    list.push(record);
    this.#byType.set(record.type, list);
    this.#byId.set(String(record.fields.Id).slice(0, 15), record);
  }

  openCursor(rows: readonly Record<string, unknown>[], batchSize: number): QueryCursor {
    this.#cursorSeq += 1;
    const id = `01g${this.orgId.slice(3, 5)}${String(this.#cursorSeq).padStart(10, '0')}`;
    const cursor: QueryCursor = { id, rows, batchSize };
    this.#cursors.set(id, cursor);
    if (this.#cursors.size > MAX_OPEN_CURSORS) {
      const oldest = this.#cursors.keys().next().value;
      if (oldest !== undefined) this.#cursors.delete(oldest);
    }
    return cursor;
  }

  cursor(id: string): QueryCursor | undefined {
    return this.#cursors.get(id);
  }

  closeCursor(id: string): void {
    this.#cursors.delete(id);
  }
}
