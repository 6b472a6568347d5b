/**
 * The durable state of Odoo change capture, as it sits in `CaptureState`: one cursor per tenant and
 * model (`(write_date, id)` of the last record processed), and one fingerprint per record seen (the
 * values of its tracked Odoo fields), which tells a change from the same record read again in the
 * overlap window. Pure functions over strings; the poller does the I/O.
 */
import type { OdooRecord } from './client';

/** Where a model's capture stands: the last processed record's `write_date` (Odoo's whole-second string) and id. */
export interface Cursor {
  writeDate: string;
  id: number;
}

/** A record's tracked Odoo field values, normalised (many2one → id, x2many → sorted ids, false → null). */
export type Fingerprint = Readonly<Record<string, unknown>>;

/** Capture-state keys: every one starts with the source and the tenant. */
export const captureKeys = {
  cursor: (tenant: string, model: string): string => `odoo:${tenant}:${model}:cursor`,
  seen: (tenant: string, model: string, id: number): string => `odoo:${tenant}:${model}:seen:${id}`,
  /** The lease a tenant's one poller holds across replicas. */
  lease: (tenant: string): string => `odoo-poller:${tenant}`,
};

const ODOO_DATETIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/;

/** Epoch ms of an Odoo datetime (`YYYY-MM-DD HH:MM:SS`, UTC), or null for anything else. */
export function odooDatetimeMs(v: unknown): number | null {
  if (typeof v !== 'string') return null;
  const m = ODOO_DATETIME.exec(v.slice(0, 19));
  if (!m) return null;
  const ms = Date.parse(`${m[1]}T${m[2]}Z`);
  return Number.isFinite(ms) ? ms : null;
}

/** An instant as Odoo's datetime literal (whole seconds, UTC). */
export const toOdooDatetime = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/** The ISO-8601 UTC form of an Odoo datetime (`...Z`), or null. */
export function isoFromOdoo(v: unknown): string | null {
  const ms = odooDatetimeMs(v);
  return ms === null ? null : new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** The cursor at a record (its `write_date` and id), or null when the record has no usable stamp. */
export function cursorAt(row: OdooRecord): Cursor | null {
  const writeDate = row['write_date'];
  return typeof writeDate === 'string' && odooDatetimeMs(writeDate) !== null ? { writeDate: writeDate.slice(0, 19), id: row.id } : null;
}

/** Whether `a` is after `b` in `(write_date, id)` order. */
export const isAfter = (a: Cursor, b: Cursor): boolean => a.writeDate > b.writeDate || (a.writeDate === b.writeDate && a.id > b.id);

export function encodeCursor(c: Cursor): string {
  return JSON.stringify(c);
}

/** A stored cursor, or undefined when there is none or it cannot be read (capture then starts afresh). */
export function decodeCursor(text: string | undefined): Cursor | undefined {
  if (text === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v !== 'object' || v === null) return undefined;
    const { writeDate, id } = v as Record<string, unknown>;
    if (typeof writeDate !== 'string' || odooDatetimeMs(writeDate) === null || typeof id !== 'number') return undefined;
    return { writeDate, id };
  } catch {
    return undefined;
  }
}

function normalise(v: unknown): unknown {
  if (v === false || v === null || v === undefined) return null;
  if (Array.isArray(v)) {
    // a many2one `[id, "name"]`: the id only (a renamed partner is no change of the order)
    if (v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'string') return v[0];
    return v.filter((x): x is number => typeof x === 'number').sort((a, b) => a - b);
  }
  return v;
}

/** The fingerprint of a record: its values of `fields`. */
export function fingerprintOf(row: OdooRecord, fields: readonly string[]): Fingerprint {
  return Object.fromEntries(fields.map((f) => [f, normalise(row[f])]));
}

/** A stored fingerprint and when it was stored (epoch ms), so a record re-read unchanged for long has it refreshed before it expires. */
export interface Seen {
  fingerprint: Fingerprint;
  storedAt: number;
}

export const encodeSeen = (fingerprint: Fingerprint, storedAt: number): string => JSON.stringify({ f: fingerprint, t: storedAt });

/** A stored fingerprint, or undefined when there is none or it cannot be read (the record then counts as unknown). */
export function decodeSeen(text: string | undefined): Seen | undefined {
  if (text === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
    const { f, t } = v as Record<string, unknown>;
    if (typeof f !== 'object' || f === null || Array.isArray(f) || typeof t !== 'number') return undefined;
    return { fingerprint: f as Fingerprint, storedAt: t };
  } catch {
    return undefined;
  }
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * The public fields whose sources differ between two fingerprints. A source the previous
 * fingerprint lacks (the server gained a field since) is no change: its old value is unknown.
 */
export function changedPublicFields(previous: Fingerprint, next: Fingerprint, tracked: Readonly<Record<string, readonly string[]>>): string[] {
  const differs = (f: string): boolean => Object.hasOwn(previous, f) && Object.hasOwn(next, f) && !same(previous[f], next[f]);
  return Object.entries(tracked)
    .filter(([, sources]) => sources.some(differs))
    .map(([pub]) => pub);
}

/** Whether two fingerprints hold the same fields with the same values (nothing to store). */
export const sameFingerprint = (a: Fingerprint, b: Fingerprint): boolean =>
  Object.keys(a).length === Object.keys(b).length && Object.keys(a).every((k) => Object.hasOwn(b, k) && same(a[k], b[k]));
