/**
 * One Odoo database in memory: rows per model, id sequences, document-number sequences and the
 * clock. Rows hold raw values; `value()` derives one2many and computed fields on access.
 */
import { emptyValue, type FieldDef, type ModelDef } from './fields';
import { companyValue, currentCompany } from './security';

export interface Row {
  id: number;
  [field: string]: unknown;
}

export type Vals = Record<string, unknown>;

/** `YYYY-MM-DD HH:MM:SS` in UTC, Odoo's datetime wire format. */
export const formatDatetime = (d: Date): string => d.toISOString().slice(0, 19).replace('T', ' ');

/**
 * A microsecond timestamp (µs since the epoch) as Postgres keeps `create_date`/`write_date`:
 * `YYYY-MM-DD HH:MM:SS.ffffff` in UTC. Reads render it in whole seconds (FACTS 18).
 */
export const formatMicros = (us: number): string => `${formatDatetime(new Date(Math.floor(us / 1000)))}.${String(us % 1_000_000).padStart(6, '0')}`;

/**
 * A datetime value in its full stored form `YYYY-MM-DD HH:MM:SS.ffffff`, as Postgres compares a
 * `timestamp` with a literal: a date means midnight, missing fractions are zeros. Undefined for
 * anything that is not a date/datetime string.
 */
export function fullDatetime(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,6}))?)?Z?$/.exec(v.trim());
  if (!m) return undefined;
  const time = m[2] ?? '00:00:00';
  return `${m[1]} ${time.length === 5 ? `${time}:00` : time}.${(m[3] ?? '').padEnd(6, '0')}`;
}

/** A stored datetime as `read` answers it: whole seconds, the fraction dropped (FACTS 18). */
export const secondsOnly = (v: unknown): unknown => (typeof v === 'string' && v.length > 19 && v[19] === '.' ? v.slice(0, 19) : v);
export const formatDate = (d: Date): string => d.toISOString().slice(0, 10);
export const addDays = (day: string, n: number): string => formatDate(new Date(Date.parse(`${day.slice(0, 10)}T00:00:00Z`) + n * 86_400_000));

const isNum = (v: unknown): v is number => typeof v === 'number';

export class OdooDb {
  readonly #tables = new Map<string, Map<number, Row>>();
  readonly #nextIds = new Map<string, number>();
  readonly #sequences = new Map<string, number>();
  /** Pre-images of the rows touched by the running call (undefined: the row did not exist). */
  #journal: Map<string, Map<number, Row | undefined>> | undefined;
  #journalCounters: { nextIds: Map<string, number>; sequences: Map<string, number> } | undefined;
  /** Context of the running call (`location`, `active_test`...), for context-dependent computes. */
  context: Readonly<Record<string, unknown>> = {};
  /** User of the running call (record rules, current company); the admin outside calls. */
  uid = 2;
  /** `cr.now()` of the running call: every create_date/write_date the call sets (µs). */
  #callStamp: number | undefined;
  /** The last stamp handed out on the live clock (µs), so stamps strictly increase across calls. */
  #lastStamp = 0;

  constructor(
    readonly name: string,
    readonly models: ReadonlyMap<string, ModelDef>,
    readonly clock: () => Date,
  ) {}

  /**
   * Runs one RPC call as a transaction: on a throw every row, id counter and sequence it touched is
   * restored, as Odoo rolls back the cursor, and the error propagates.
   */
  transaction<T>(context: Readonly<Record<string, unknown>>, fn: () => T, uid = this.uid): T {
    const outer = this.#journal;
    const outerContext = this.context;
    const outerUid = this.uid;
    this.uid = uid;
    if (!outer) {
      this.#callStamp = this.#frozen ? undefined : this.#nextLiveStamp();
      this.#journal = new Map();
      this.#journalCounters = { nextIds: new Map(this.#nextIds), sequences: new Map(this.#sequences) };
    }
    this.context = context;
    try {
      return fn();
    } catch (err) {
      if (!outer) this.#rollback();
      throw err;
    } finally {
      this.context = outerContext;
      this.uid = outerUid;
      if (!outer) {
        this.#journal = undefined;
        this.#journalCounters = undefined;
        this.#callStamp = undefined;
      }
    }
  }

  #touch(model: string, id: number): void {
    if (!this.#journal) return;
    let perModel = this.#journal.get(model);
    if (!perModel) this.#journal.set(model, (perModel = new Map()));
    if (perModel.has(id)) return;
    const row = this.#tables.get(model)?.get(id);
    perModel.set(id, row ? structuredClone(row) : undefined);
  }

  #rollback(): void {
    for (const [model, rows] of this.#journal ?? []) {
      const table = this.#table(model);
      for (const [id, before] of rows) {
        if (before === undefined) table.delete(id);
        else table.set(id, before);
      }
    }
    if (this.#journalCounters) {
      this.#nextIds.clear();
      for (const [k, v] of this.#journalCounters.nextIds) this.#nextIds.set(k, v);
      this.#sequences.clear();
      for (const [k, v] of this.#journalCounters.sequences) this.#sequences.set(k, v);
    }
  }

  model(name: string): ModelDef | undefined {
    return this.models.get(name);
  }

  #table(model: string): Map<number, Row> {
    let t = this.#tables.get(model);
    if (!t) this.#tables.set(model, (t = new Map()));
    return t;
  }

  #frozen: Date | undefined;

  /** Current time of the database: the clock, or the time the seed has set. */
  time(): Date {
    return this.#frozen ?? this.clock();
  }

  /** Pins the database time (the seed replays history); `undefined` returns to the clock. */
  setTime(at: Date | undefined): void {
    this.#frozen = at;
  }

  now(): string {
    return formatDatetime(this.time());
  }

  #nextLiveStamp(): number {
    this.#lastStamp = Math.max(this.clock().getTime() * 1000, this.#lastStamp + 1);
    return this.#lastStamp;
  }

  /**
   * The `create_date`/`write_date` stamp of a change made now, with microseconds as Postgres stores
   * it. One RPC call is one transaction and Odoo stamps with `cr.now()`, the transaction's start:
   * everything a call creates or writes shares one stamp, and stamps of later calls are strictly
   * greater (the live clock, made monotonic). While the seed pins the time, the pinned time, but
   * never later than the clock: a row is never written in the server's future.
   */
  stamp(): string {
    const pinned = this.#frozen ? this.#frozen.getTime() * 1000 : undefined;
    if (pinned !== undefined && pinned < this.clock().getTime() * 1000) return formatMicros(pinned);
    return formatMicros(this.#callStamp ?? this.#nextLiveStamp());
  }

  today(): string {
    return formatDate(this.time());
  }

  /** Makes the next generated id of a model at least `id` (a fresh database's reserved ids). */
  reserveIds(model: string, next: number): void {
    this.#nextIds.set(model, Math.max(this.#nextIds.get(model) ?? 1, next));
  }

  /** Next number of a document sequence (`sale.order`, `INV/2026`, ...), from 1. */
  nextNumber(key: string): number {
    const n = (this.#sequences.get(key) ?? 0) + 1;
    this.#sequences.set(key, n);
    return n;
  }

  /** Inserts a row as is (defaults applied, no business logic). */
  insert(model: string, vals: Vals, id?: number): Row {
    const def = this.models.get(model);
    const table = this.#table(model);
    const newId = id ?? this.#nextIds.get(model) ?? 1;
    this.#nextIds.set(model, Math.max(this.#nextIds.get(model) ?? 1, newId + 1));
    const stamp = fullDatetime(vals.create_date) ?? this.stamp();
    this.#touch(model, newId);
    const row: Row = { id: newId };
    if (def) {
      for (const [name, f] of Object.entries(def.fields)) {
        if (f.compute || f.type === 'one2many' || name === 'id') continue;
        if (f.default !== undefined) row[name] = typeof f.default === 'function' ? (f.default as (db: OdooDb) => unknown)(this) : structuredClone(f.default);
      }
    }
    Object.assign(row, vals, { id: newId });
    row.create_date = stamp;
    row.write_date = fullDatetime(vals.write_date) ?? stamp;
    row.create_uid ??= 2;
    row.write_uid ??= 2;
    table.set(newId, row);
    return row;
  }

  /**
   * Writes raw values and stamps `write_date` with the call's microsecond stamp (`stamp()`): two
   * writes in one second get two different stored values that read back alike (FACTS 18).
   */
  update(model: string, id: number, vals: Vals): void {
    const row = this.get(model, id);
    if (!row) return;
    this.#touch(model, id);
    Object.assign(row, vals);
    row.write_date = this.stamp();
    row.write_uid = 2;
  }

  remove(model: string, id: number): void {
    this.#touch(model, id);
    this.#table(model).delete(id);
  }

  get(model: string, id: number): Row | undefined {
    return this.#tables.get(model)?.get(id);
  }

  all(model: string): Row[] {
    return [...(this.#tables.get(model)?.values() ?? [])];
  }

  /** Rows of `model` whose many2one `field` points at `id`. */
  children(model: string, field: string, id: number): Row[] {
    return this.all(model).filter((r) => r[field] === id);
  }

  field(model: string, name: string): FieldDef | undefined {
    return this.models.get(model)?.fields[name];
  }

  /** The raw value of a field: stored, or derived for one2many and computed fields. */
  value(model: string, row: Row, name: string): unknown {
    if (name === 'id') return row.id;
    const f = this.field(model, name);
    if (!f) return row[name] ?? false;
    if (f.compute) return f.compute(this, row);
    if (f.type === 'one2many' && f.relation && f.inverse) {
      return this.sortRows(f.relation, this.children(f.relation, f.inverse, row.id)).map((r) => r.id);
    }
    const v = f.companyDependent ? companyValue(row[name], currentCompany(this)) : row[name];
    return v === undefined || v === null ? emptyValue(f.type) : v;
  }

  /** Raw value of a record by id (false for a missing record). */
  valueOf(model: string, id: number, name: string): unknown {
    const row = this.get(model, id);
    return row ? this.value(model, row, name) : false;
  }

  /** Many2one target id of a row, or undefined. */
  ref(model: string, row: Row | undefined, name: string): number | undefined {
    if (!row) return undefined;
    const v = this.value(model, row, name);
    return isNum(v) ? v : undefined;
  }

  displayName(model: string, id: number): string {
    const def = this.models.get(model);
    const row = this.get(model, id);
    if (!def || !row) return `${model},${id}`;
    if (def.displayName) return def.displayName(this, row);
    const v = row[def.recName ?? 'name'];
    return typeof v === 'string' ? v : `${model},${id}`;
  }

  /** Sorts rows by an SQL-like order (`"date_order desc, id desc"`), defaulting to the model's `_order`; datetimes on their full stored value. */
  sortRows(model: string, rows: Row[], order?: string): Row[] {
    const spec = parseOrder(order ?? this.models.get(model)?.order ?? 'id');
    const keyOf = (row: Row, field: string): unknown => {
      const f = this.field(model, field);
      const v = this.value(model, row, field);
      if (f?.type === 'many2one' && isNum(v) && f.relation) return this.displayName(f.relation, v).toLowerCase();
      // on the stored value, microseconds included: two writes of one second keep their order
      if (f?.type === 'datetime') return fullDatetime(v) ?? v;
      return v;
    };
    return [...rows].sort((a, b) => {
      for (const { field, desc } of spec) {
        const va = keyOf(a, field);
        const vb = keyOf(b, field);
        const c = compareNullable(va, vb, desc);
        if (c !== 0) return c;
      }
      return 0;
    });
  }
}

export interface OrderTerm {
  field: string;
  desc: boolean;
}

export function parseOrder(order: string): OrderTerm[] {
  return order
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
    .map((t) => {
      const [field = 'id', dir = 'asc'] = t.split(/\s+/);
      return { field, desc: dir.toLowerCase() === 'desc' };
    });
}

const isEmpty = (v: unknown): boolean => v === false || v === null || v === undefined;

/** Postgres order: NULLs last ascending, first descending. */
function compareNullable(a: unknown, b: unknown, desc: boolean): number {
  const ea = isEmpty(a);
  const eb = isEmpty(b);
  if (ea || eb) {
    if (ea && eb) return 0;
    return (ea ? 1 : -1) * (desc ? -1 : 1);
  }
  let c: number;
  if (typeof a === 'number' && typeof b === 'number') c = a - b;
  else if (typeof a === 'boolean' && typeof b === 'boolean') c = Number(a) - Number(b);
  else c = String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0; // Postgres C collation: code points
  return desc ? -c : c;
}
