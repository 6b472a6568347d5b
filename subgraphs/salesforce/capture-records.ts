/**
 * What Salesforce change capture tracks, and how it tells a change from a re-read: the objects the
 * public schema shows (an account, and the contacts and opportunities listed under it), the SOQL
 * that reads their changed rows, and a per-record snapshot (a digest of every tracked field, plus
 * the keys the entity cache files the account under) that is compared with the last one stored.
 *
 * Pure: no I/O here (change-capture.ts reads, stores and publishes).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ErrorCode, UpstreamError } from '../kit/errors';
import type { SoqlRecord } from './client';
import type { SalesforceAccountModel } from './mappers';

/** The Salesforce objects whose changes reach a `SalesforceAccount` event. */
export type TrackedObjectName = 'Account' | 'Contact' | 'Opportunity';

/** One tracked object: which of its fields are fingerprinted, and what they feed. */
export interface TrackedObject {
  readonly name: TrackedObjectName;
  /**
   * Fingerprinted Salesforce fields → the `SalesforceAccount` field a change of it changes (`null`:
   * none of the public schema, e.g. the external-id field, which only moves the customer link).
   */
  readonly fields: Readonly<Record<string, string | null>>;
  /** Whether its rows belong to an account through `AccountId` (contacts, opportunities) rather than being accounts. */
  readonly child: boolean;
}

/** Public `SalesforceAccount` fields an account's own columns feed, in schema order. */
export const ACCOUNT_PUBLIC_FIELDS: Readonly<Record<string, string>> = {
  Name: 'name',
  Type: 'type',
  Industry: 'industry',
  Website: 'website',
  Phone: 'phone',
  OwnerId: 'owner',
};

const allTo = (names: readonly string[], field: string): Record<string, string> => Object.fromEntries(names.map((n) => [n, field]));

/** The tracked objects of a tenant whose accounts hold the ERP customer id in `externalIdField`. */
export function trackedObjects(externalIdField: string): readonly TrackedObject[] {
  return [
    { name: 'Account', fields: { ...ACCOUNT_PUBLIC_FIELDS, [externalIdField]: ACCOUNT_PUBLIC_FIELDS[externalIdField] ?? null }, child: false },
    { name: 'Contact', fields: allTo(['AccountId', 'Name', 'FirstName', 'LastName', 'Email', 'Title'], 'contacts'), child: true },
    {
      name: 'Opportunity',
      fields: allTo(['AccountId', 'Name', 'StageName', 'Amount', 'CloseDate', 'Probability', 'IsClosed', 'IsWon', 'OwnerId'], 'opportunities'),
      child: true,
    },
  ];
}

/** The SELECT ... FROM part of an object's change query (rows carry their account's name and external id). */
export function selectOf(object: TrackedObject, externalIdField: string): string {
  const columns = new Set(['Id', 'CreatedDate', 'SystemModstamp', ...Object.keys(object.fields)]);
  if (object.child) for (const c of ['Account.Name', `Account.${externalIdField}`]) columns.add(c);
  return `SELECT ${[...columns].join(', ')} FROM ${object.name}`;
}

/**
 * What was last seen of one record: a digest per tracked field (`d`), the account it belonged to
 * (`a`, children), and the account's name and external id (`n`, `x`, accounts): the keys its cache
 * entries were filed under, to invalidate when they change.
 */
export interface Snapshot {
  readonly d: Readonly<Record<string, string>>;
  readonly a?: string;
  readonly n?: string;
  readonly x?: string;
}

const ZSnapshot = z.object({ d: z.record(z.string(), z.string()), a: z.string().optional(), n: z.string().optional(), x: z.string().optional() });

/** A stored snapshot, or undefined when absent or unreadable (then the previous state is unknown). */
export function decodeSnapshot(text: string | undefined): Snapshot | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed = ZSnapshot.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Short, stable digest of one field value (the value itself is not stored). */
const digest = (value: unknown): string =>
  createHash('sha256')
    .update(JSON.stringify(value ?? null))
    .digest('base64url')
    .slice(0, 16);

/** One row of a change query, as capture reads it. */
export interface CapturedRow {
  readonly object: TrackedObjectName;
  readonly id: string;
  /** SystemModstamp, epoch ms (whole seconds). */
  readonly stamp: number;
  /** CreatedDate, epoch ms. */
  readonly created: number;
  /** The account the row is (accounts) or belongs to (children); null for a contact without an account. */
  readonly accountId: string | null;
  /** That account's name and external id, where the row carries them (null when empty). */
  readonly account: { readonly name: string | null; readonly externalId: string | null };
  readonly snapshot: Snapshot;
}

/** Salesforce's `2026-11-30T05:00:00.000+0000` → epoch ms; undefined when it is not a datetime. */
export function parseSfDateTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? undefined : ms;
}

const textOf = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : typeof v === 'number' ? String(v) : null);

/** A change-query row → what capture needs of it. Throws UPSTREAM_UNAVAILABLE on a row without id or stamps. */
export function toCapturedRow(object: TrackedObject, raw: SoqlRecord, externalIdField: string): CapturedRow {
  const id = raw['Id'];
  const stamp = parseSfDateTime(raw['SystemModstamp']);
  const created = parseSfDateTime(raw['CreatedDate']);
  if (typeof id !== 'string' || stamp === undefined || created === undefined) {
    throw new UpstreamError(ErrorCode.UPSTREAM_UNAVAILABLE, 'salesforce', `Salesforce answered a ${object.name} change query with an unexpected record`);
  }
  const d: Record<string, string> = {};
  for (const field of Object.keys(object.fields)) d[field] = digest(raw[field]);
  if (!object.child) {
    const name = textOf(raw['Name']);
    const externalId = textOf(raw[externalIdField]);
    return {
      object: object.name,
      id,
      stamp,
      created,
      accountId: id,
      account: { name, externalId },
      snapshot: { d, ...(name !== null ? { n: name } : {}), ...(externalId !== null ? { x: externalId } : {}) },
    };
  }
  const accountId = textOf(raw['AccountId']);
  const parent = raw['Account'];
  const parentFields = typeof parent === 'object' && parent !== null ? (parent as Record<string, unknown>) : {};
  return {
    object: object.name,
    id,
    stamp,
    created,
    accountId,
    account: { name: textOf(parentFields['Name']), externalId: textOf(parentFields[externalIdField]) },
    snapshot: { d, ...(accountId !== null ? { a: accountId } : {}) },
  };
}

/** The part of a cached `SalesforceAccountModel` (mappers.ts) the account snapshot is made of. */
const ZCachedAccount = z.object({
  name: z.string(),
  type: z.string().nullable(),
  industry: z.string().nullable(),
  website: z.string().nullable(),
  phone: z.string().nullable(),
  externalId: z.string().nullable(),
  owner: z.object({ id: z.string() }).nullable(),
}) satisfies z.ZodType<Partial<Omit<SalesforceAccountModel, 'owner'>>>;

/**
 * The snapshot an account had as the entity cache last served it (a cached `SalesforceAccountModel`),
 * for the account fields only: what users saw, when capture itself has no snapshot of it.
 */
export function snapshotOfCachedAccount(object: TrackedObject, value: unknown, externalIdField: string): Snapshot | undefined {
  const model = ZCachedAccount.safeParse(value);
  if (!model.success) return undefined;
  const m = model.data;
  const columns: Record<string, unknown> = {
    Name: m.name,
    Type: m.type,
    Industry: m.industry,
    Website: m.website,
    Phone: m.phone,
    OwnerId: m.owner?.id ?? null,
    [externalIdField]: m.externalId,
  };
  const d: Record<string, string> = {};
  for (const field of Object.keys(object.fields)) d[field] = digest(columns[field]);
  return { d, n: m.name, ...(m.externalId !== null ? { x: m.externalId } : {}) };
}

/** How a row differs from what was last seen of it. */
export interface RowChange {
  /** Whether any tracked field (public or not) differs, or nothing was known. */
  readonly changed: boolean;
  /** The `SalesforceAccount` fields that changed, in schema order (all the object feeds when nothing was known). */
  readonly fields: readonly string[];
}

/** Compares a row's snapshot with the previous one (`undefined`: unknown, so everything counts as changed). */
export function compareSnapshots(object: TrackedObject, prior: Snapshot | undefined, current: Snapshot): RowChange {
  const publicOf = (names: readonly string[]): string[] => [...new Set(names.map((n) => object.fields[n]).filter((f): f is string => typeof f === 'string'))];
  const all = Object.keys(object.fields);
  if (!prior) return { changed: true, fields: publicOf(all) };
  const differing = all.filter((f) => prior.d[f] !== current.d[f]);
  return { changed: differing.length > 0 || prior.a !== current.a, fields: publicOf(differing) };
}
