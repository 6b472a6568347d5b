/**
 * From the rows one Salesforce capture pass read (each with what was last seen of it) to what the
 * pass does: one `SalesforceAccount` event per changed account (its own fields, or `contacts` /
 * `opportunities` when one of those changed; a record moved between accounts changes both), the
 * entity-cache entries to invalidate first, and the snapshots to store once each event is out.
 *
 * Pure: change-capture.ts reads, invalidates, publishes and stores.
 */
import { entityKey, entityTypePrefix } from '../../cache';
import type { ChangeEvent } from '../../cache/events';
import { compareSnapshots, type CapturedRow, type Snapshot, type TrackedObject, type TrackedObjectName } from './capture-records';
import { SALESFORCE_CACHE_TYPES } from './loaders';

/** The public type every Salesforce event names. */
export const SALESFORCE_EVENT_TYPE = 'SalesforceAccount';

/** `SalesforceAccount` fields in schema order (the order of `changedFields`). */
const FIELD_ORDER = ['name', 'type', 'industry', 'website', 'phone', 'owner', 'contacts', 'opportunities'];

/** A row read by a pass, with the previous state of its record (`undefined`: unknown). */
export interface ObservedRow {
  readonly object: TrackedObject;
  readonly row: CapturedRow;
  readonly prior: Snapshot | undefined;
  /** When the row was read (epoch ms). */
  readonly capturedAt: number;
}

/** A snapshot to store: what was seen of one record. */
export interface SnapshotWrite {
  readonly object: TrackedObjectName;
  readonly id: string;
  readonly snapshot: Snapshot;
}

/** One event to publish, and what to store once it is out. */
export interface PlannedEvent {
  readonly event: ChangeEvent;
  /** Snapshots to store once this event is published (a record shared by two events waits for the later one). */
  readonly writes: readonly SnapshotWrite[];
}

/** What one pass does with the rows it read ({@link planCapture}). */
export interface CapturePlan {
  /** In publish order: by `at`, then account id. */
  readonly events: readonly PlannedEvent[];
  /** Snapshots of changed records that reach no event (a contact without an account): stored at once. */
  readonly writes: readonly SnapshotWrite[];
  /** Entity-cache entries of the changed accounts, to invalidate before any event is published. */
  readonly invalidate: { readonly keys: readonly string[]; readonly prefixes: readonly string[] };
}

interface Draft {
  readonly accountId: string;
  readonly fields: Set<string>;
  at: number;
  capturedAt: number;
  created: boolean;
  customerId: string | undefined;
  readonly writes: SnapshotWrite[];
}

/** The cache keys an account is filed under by id (both id forms), external id and name. */
function accountKeys(tenant: string, id: string, name: string | null | undefined, externalId: string | null | undefined): string[] {
  const keys = [entityKey(tenant, SALESFORCE_CACHE_TYPES.accountById, id)];
  if (id.length === 18) keys.push(entityKey(tenant, SALESFORCE_CACHE_TYPES.accountById, id.slice(0, 15)));
  if (externalId) keys.push(entityKey(tenant, SALESFORCE_CACHE_TYPES.accountByExternalId, externalId));
  if (name) keys.push(entityKey(tenant, SALESFORCE_CACHE_TYPES.accountsByName, name));
  return keys;
}

/**
 * Plans a pass. Rows of one record read twice (it changed again between two pages) count once, as
 * last read. An account read with no previous state is `created` when it was created at its last
 * modification, else `updated` with every field it feeds; its old name and external id are then
 * unknown, so every by-name and by-external-id entry of the tenant is invalidated (by prefix).
 */
export function planCapture(tenant: string, observed: readonly ObservedRow[]): CapturePlan {
  const latest = new Map<string, ObservedRow>();
  for (const o of observed) {
    const key = `${o.row.object}:${o.row.id}`;
    const seen = latest.get(key);
    if (!seen || o.row.stamp >= seen.row.stamp) latest.set(key, o);
  }

  const drafts = new Map<string, Draft>();
  const keys = new Set<string>();
  let byPrefix = false;
  const orphanWrites: SnapshotWrite[] = [];
  const sharedWrites = new Map<SnapshotWrite, Draft[]>();

  const draftOf = (accountId: string, o: ObservedRow): Draft => {
    let d = drafts.get(accountId);
    if (!d) drafts.set(accountId, (d = { accountId, fields: new Set(), at: 0, capturedAt: o.capturedAt, created: false, customerId: undefined, writes: [] }));
    d.at = Math.max(d.at, o.row.stamp);
    d.capturedAt = Math.min(d.capturedAt, o.capturedAt);
    return d;
  };

  for (const o of latest.values()) {
    const { object, row, prior } = o;
    const change = compareSnapshots(object, prior, row.snapshot);
    if (!change.changed) continue;
    const write: SnapshotWrite = { object: row.object, id: row.id, snapshot: row.snapshot };
    if (!object.child) {
      const d = draftOf(row.id, o);
      for (const f of change.fields) d.fields.add(f);
      if (!prior && row.created === row.stamp) d.created = true;
      d.customerId = row.account.externalId ?? undefined;
      d.writes.push(write);
      for (const k of accountKeys(tenant, row.id, row.account.name, row.account.externalId)) keys.add(k);
      if (prior) for (const k of accountKeys(tenant, row.id, prior.n, prior.x)) keys.add(k);
      else if (!d.created) byPrefix = true;
      continue;
    }
    const targets: Draft[] = [];
    if (row.accountId !== null) {
      const d = draftOf(row.accountId, o);
      d.customerId ??= row.account.externalId ?? undefined;
      for (const k of accountKeys(tenant, row.accountId, row.account.name, row.account.externalId)) keys.add(k);
      targets.push(d);
    }
    if (prior?.a !== undefined && prior.a !== row.accountId) {
      // Moved away from an account whose name and external id this row does not carry.
      targets.push(draftOf(prior.a, o));
      for (const k of accountKeys(tenant, prior.a, undefined, undefined)) keys.add(k);
      byPrefix = true;
    }
    for (const d of targets) for (const f of change.fields) d.fields.add(f);
    if (targets.length === 0) orphanWrites.push(write);
    else sharedWrites.set(write, targets);
  }

  const ordered = [...drafts.values()].sort((a, b) => a.at - b.at || (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0));
  // A record that reaches several events is stored with the last of them.
  for (const [write, targets] of sharedWrites) {
    const last = targets.reduce((x, y) => (ordered.indexOf(y) > ordered.indexOf(x) ? y : x));
    last.writes.push(write);
  }
  const events: PlannedEvent[] = ordered.map((d) => ({
    event: {
      tenant,
      type: SALESFORCE_EVENT_TYPE,
      id: d.accountId,
      kind: d.created ? 'created' : 'updated',
      changedFields: FIELD_ORDER.filter((f) => d.fields.has(f)),
      source: 'salesforce',
      at: new Date(d.at).toISOString(),
      capturedAt: d.capturedAt,
      ...(d.customerId !== undefined ? { customer: { id: d.customerId } } : {}),
    },
    writes: d.writes,
  }));
  const prefixes = byPrefix
    ? [entityTypePrefix(tenant, SALESFORCE_CACHE_TYPES.accountByExternalId), entityTypePrefix(tenant, SALESFORCE_CACHE_TYPES.accountsByName)]
    : [];
  return { events, writes: orphanWrites, invalidate: { keys: [...keys], prefixes } };
}
