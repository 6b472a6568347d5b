/**
 * Odoo change capture: one poller per tenant reads what changed in Odoo by `write_date` and
 * publishes one {@link ChangeEvent} per changed record on the tenant's bus (cache/events.ts).
 *
 * - One poller per tenant across replicas: each pass first takes or renews the lease
 *   `odoo-poller:<tenant>` (ttl 3 × the interval, at least 5 s). A replica without it only tries to
 *   take it, every interval, so when the holder dies another takes over within the ttl; a clean
 *   stop releases it, and the next replica takes over at its next interval.
 * - A cursor per model (`(write_date, id)` of the last record processed) in `capture.state`. Odoo
 *   answers `write_date` in whole seconds but compares domains against the stored microseconds
 *   (fixtures odoo-capabilities FACTS 18), and a transaction's records carry its start time, so a
 *   pass reads from the cursor minus an overlap window (`write_date >= cursor - 2 s`) and tells a
 *   change from a record read again by its fingerprint (its tracked fields, kept a day): only a
 *   changed fingerprint is published, with the public fields that changed. A record with no
 *   fingerprint yet names every tracked field, unless the entity cache holds it (an agent looked at
 *   it): then the fields that differ from the cached record.
 * - A first start sets the cursor at the newest record the server has (history is not replayed).
 * - What a tenant's Odoo lacks is never asked (capabilities.ts): a missing field is not tracked, a
 *   model the user cannot read is skipped with one warning until its capabilities change.
 * - Before an event is published, the entity-cache entries it makes stale are invalidated, so a
 *   push never shows the old value.
 * - A failing pass (Odoo or Redis down) keeps the cursor, logs once per failure streak and is
 *   retried next interval. Passes of one poller never overlap; none ever rejects.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { entityKey, invalidateEntities, invalidateTypes, type EntityCache, type EntityRef } from '../../cache';
import type { ChangeCapture, ChangeEvent } from '../../cache/events';
import { createLogger } from '../../platform/log';
import type { OdooCapabilities } from './capabilities';
import { OdooRejection, type OdooClient, type OdooDomain, type OdooRecord, type SearchReadOptions } from './client';
import { odooCaptureMetrics, type PassOutcome } from './change-metrics';
import { CHANGE_MODELS, readPlan, type ChangeModelSpec, type ModelReadPlan } from './change-models';
import {
  captureKeys,
  changedPublicFields,
  cursorAt,
  decodeCursor,
  decodeSeen,
  encodeCursor,
  encodeSeen,
  fingerprintOf,
  isAfter,
  isoFromOdoo,
  odooDatetimeMs,
  sameFingerprint,
  toOdooDatetime,
  type Cursor,
  type Fingerprint,
  type Seen,
} from './change-state';
import { ODOO_DEPENDENTS } from './entities';
import { m2oId } from './mappers';
import type { OdooTenantUpstream } from './upstream';

export type { PassOutcome } from './change-metrics';

/** @default 2000 */
export const DEFAULT_CAPTURE_INTERVAL_MS = 2_000;
/** How far before the cursor each pass reads again (late commits, same-second writes). */
export const DEFAULT_OVERLAP_MS = 2_000;
/** Records per `search_read` page (the subgraph's batch bound, loaders.ts MAX_BATCH). */
export const DEFAULT_PAGE_SIZE = 200;
/** Pages read per model and pass at most; the rest follows on the next pass. */
export const DEFAULT_MAX_PAGES = 25;
/** How long a record's fingerprint is kept (a record unseen longer is published as changed when next written). */
export const DEFAULT_SEEN_TTL_MS = 24 * 3_600_000;
/** The lease outlives three intervals, and never less than this. */
export const MIN_LEASE_TTL_MS = 5_000;
/** A failure streak is logged when it starts, then at most this often. */
const STREAK_LOG_EVERY_MS = 10 * 60_000;
/** The cursor of a model with no record yet: every record that appears is new. */
const EMPTY_CURSOR: Cursor = { writeDate: '1970-01-01 00:00:00', id: 0 };

export interface OdooChangePollerOptions {
  /** The tenant id (events, lease and state keys carry it). */
  tenant: string;
  /** The tenant's Odoo client and discovered capabilities. */
  upstream: OdooTenantUpstream;
  /** Bus, leases and state. */
  capture: ChangeCapture;
  /** The subgraph's entity cache: the changed records' entries are invalidated before each publish. */
  cache?: EntityCache | undefined;
  /** @default 2000 */
  intervalMs?: number;
  /** @default 2000 */
  overlapMs?: number;
  /** @default 200 */
  pageSize?: number;
  /** @default 25 */
  maxPagesPerPass?: number;
  /** @default one day */
  seenTtlMs?: number;
  /** Who holds the lease (unique per poller). @default `<host>:<pid>:<uuid>` */
  holder?: string;
  log?: Logger;
  /** Epoch ms (the events' `capturedAt`, lease bookkeeping). @default Date.now */
  clock?: () => number;
}

/** What one pass did. `stopped`: the poller was stopped, nothing was done. */
export interface PassResult {
  readonly outcome: PassOutcome | 'stopped';
  /** Events published by this pass. */
  readonly published: number;
}

/** One tenant's poller. */
export interface OdooChangePoller {
  readonly tenant: string;
  readonly holder: string;
  /** Whether this poller held the lease after its last pass. */
  readonly holdsLease: boolean;
  /** Runs a pass now and then one every interval (idempotent). */
  start(): void;
  /** One pass, after any pass in progress (passes never overlap). Never rejects. */
  runPass(): Promise<PassResult>;
  /** Stops the timer, waits for the pass in progress, releases the lease. Idempotent. */
  stop(): Promise<void>;
}

/** A record whose fingerprint changed, ready to publish. */
interface Change {
  row: OdooRecord;
  fingerprint: Fingerprint;
  changedFields: string[];
  kind: 'created' | 'updated';
}

/** One model's reading in a pass. */
interface ModelRead {
  spec: ChangeModelSpec;
  plan: ModelReadPlan;
  changes: Change[];
  /** Fingerprints to store without publishing (a first start's baseline, a field set that grew). */
  quiet: Array<{ id: number; fingerprint: Fingerprint }>;
  /** Where the cursor goes once every change is published; undefined: it stays. */
  cursor: Cursor | undefined;
}

/** The lease was lost during a pass: another replica polls now. */
class LeaseLost extends Error {}

const describeError = (err: unknown): Record<string, unknown> => {
  if (err instanceof OdooRejection) return { err: err.message, code: err.code, odooError: err.odooName };
  if (err instanceof Error) return { err: err.message, ...('code' in err && typeof err.code === 'string' ? { code: err.code } : {}) };
  return { err: String(err) };
};

const isRefusal = (err: unknown): err is OdooRejection => err instanceof OdooRejection && err.isCapabilityError;

/** The Odoo datetime `ms` milliseconds before an Odoo datetime. */
const before = (writeDate: string, ms: number): string => toOdooDatetime((odooDatetimeMs(writeDate) ?? 0) - ms);

/** A default lease holder: unique per poller, readable in Redis. */
export const defaultHolder = (): string => `${hostname()}:${process.pid}:${randomUUID()}`;

/** Creates a tenant's poller (not started: call `start()`, or drive it with `runPass()`). */
export function createOdooChangePoller(options: OdooChangePollerOptions): OdooChangePoller {
  const { tenant, upstream, capture, cache } = options;
  const intervalMs = options.intervalMs ?? DEFAULT_CAPTURE_INTERVAL_MS;
  const overlapMs = options.overlapMs ?? DEFAULT_OVERLAP_MS;
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const maxPages = options.maxPagesPerPass ?? DEFAULT_MAX_PAGES;
  const seenTtlMs = options.seenTtlMs ?? DEFAULT_SEEN_TTL_MS;
  const holder = options.holder ?? defaultHolder();
  const clock = options.clock ?? Date.now;
  const log = (options.log ?? createLogger('odoo-subgraph')).child({ component: 'odoo-capture', tenant });
  const leaseName = captureKeys.lease(tenant);
  const leaseTtlMs = Math.max(3 * intervalMs, MIN_LEASE_TTL_MS);
  const client: OdooClient = upstream.client;
  const aborter = new AbortController();
  const call = { signal: aborter.signal };

  let held = false;
  let renewedAt = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<unknown> = Promise.resolve();
  let busy = false;
  let stopping: Promise<void> | undefined;
  /** Failure streak: passes failed in a row, when it was last logged. */
  let failures = 0;
  let failureLoggedAt = 0;
  /** Why a model is not watched (warned once per reason). */
  const skipped = new Map<string, string>();
  /** Models Odoo refused to read, with the capabilities they were refused under (retried when those change). */
  const refused = new Map<string, OdooCapabilities>();

  // ---- the lease ---------------------------------------------------------------------------------

  async function takeLease(): Promise<boolean> {
    const had = held;
    if (had && (await capture.leases.renew(leaseName, holder, leaseTtlMs))) {
      renewedAt = clock();
      return true;
    }
    held = await capture.leases.acquire(leaseName, holder, leaseTtlMs);
    if (held) renewedAt = clock();
    if (had && held) log.warn({ lease: leaseName }, 'odoo change capture: the lease had expired (this replica stalled past its ttl); taken again');
    else if (had) log.warn({ lease: leaseName }, 'odoo change capture: lease lost, another replica polls now');
    else if (held) log.info({ lease: leaseName, holder }, 'odoo change capture: lease taken, this replica polls');
    return held;
  }

  /** Renews the lease during a long pass; throws LeaseLost when another replica has it now. */
  async function keepLease(): Promise<void> {
    if (clock() - renewedAt < leaseTtlMs / 3) return;
    if (!(await takeLease())) throw new LeaseLost();
  }

  // ---- reading -----------------------------------------------------------------------------------

  const searchRead = (model: string, domain: OdooDomain, options: SearchReadOptions): Promise<OdooRecord[]> => client.searchRead(model, domain, options, call);

  /** Stored fingerprints of these records (one state read each, in parallel). */
  async function storedFingerprints(model: string, rows: readonly OdooRecord[]): Promise<Array<Seen | undefined>> {
    return Promise.all(rows.map(async (r) => decodeSeen(await capture.state.get(captureKeys.seen(tenant, model, r.id)))));
  }

  /**
   * A first start: the cursor goes to the newest record the server has (one single-field read), and
   * the records the next pass reads again (the overlap window before it) get their fingerprints
   * without being published.
   */
  async function firstRead(spec: ChangeModelSpec, plan: ModelReadPlan): Promise<ModelRead> {
    const [newest] = await searchRead(spec.model, plan.domain, { fields: ['write_date'], order: 'write_date desc, id desc', limit: 1 });
    const top = newest ? cursorAt(newest) : null;
    if (!top) return { spec, plan, changes: [], quiet: [], cursor: EMPTY_CURSOR };
    // The whole window, page by page: a record of it left without a fingerprint would be published
    // by the next pass as if it had just changed (history replayed).
    const window: OdooRecord[] = [];
    for (let offset = 0; ; offset += pageSize) {
      const page = await searchRead(spec.model, [...plan.domain, ['write_date', '>=', before(top.writeDate, overlapMs)]], {
        fields: plan.fields,
        order: 'write_date asc, id asc',
        limit: pageSize,
        offset,
      });
      window.push(...page);
      if (page.length < pageSize) break;
    }
    const sources = Object.values(plan.tracked).flat();
    return { spec, plan, changes: [], quiet: window.map((r) => ({ id: r.id, fingerprint: fingerprintOf(r, sources) })), cursor: top };
  }

  /**
   * The records written since the cursor (minus the overlap), oldest first. When a page is full the
   * next one starts at its last record's second, leaving out the ids already read in that second:
   * a `(write_date, id)` tuple domain cannot be written with whole-second literals, since
   * `write_date = 'S'` matches no stored microsecond value and `write_date > 'S'` matches all of S.
   */
  async function changedRows(spec: ChangeModelSpec, plan: ModelReadPlan, cursor: Cursor): Promise<OdooRecord[]> {
    const order = 'write_date asc, id asc';
    const rows: OdooRecord[] = [];
    let domain: OdooDomain = [...plan.domain, ['write_date', '>=', before(cursor.writeDate, overlapMs)]];
    let boundary = '';
    let idsAtBoundary: number[] = [];
    for (let page = 0; page < maxPages; page++) {
      if (page > 0) await keepLease();
      const got = await searchRead(spec.model, domain, { fields: plan.fields, order, limit: pageSize });
      rows.push(...got);
      const last = got[got.length - 1];
      if (got.length < pageSize || !last) break;
      const second = String(last['write_date']).slice(0, 19);
      if (second !== boundary) {
        boundary = second;
        idsAtBoundary = [];
      }
      idsAtBoundary.push(...got.filter((r) => String(r['write_date']).slice(0, 19) === second).map((r) => r.id));
      domain = [...plan.domain, ['write_date', '>=', second], ['id', 'not in', idsAtBoundary]];
    }
    return rows;
  }

  /**
   * What the entity cache holds of records capture has no fingerprint of (an order an agent looked
   * at before capture first saw it changed): their previous state, so the event names the fields
   * that changed since. Read before the pass invalidates anything.
   */
  async function cachedRecords(spec: ChangeModelSpec, rows: readonly OdooRecord[]): Promise<Map<number, OdooRecord>> {
    const out = new Map<number, OdooRecord>();
    if (!cache || !spec.entityIsRecord || rows.length === 0) return out;
    const entries = await cache.getMany(rows.map((r) => entityKey(tenant, spec.type, r.id)));
    entries.forEach((entry, i) => {
      const value = entry?.value;
      const row = rows[i];
      if (row && typeof value === 'object' && value !== null && (value as { id?: unknown }).id === row.id) out.set(row.id, value as OdooRecord);
    });
    return out;
  }

  async function readModel(spec: ChangeModelSpec, plan: ModelReadPlan): Promise<ModelRead> {
    const stored = decodeCursor(await capture.state.get(captureKeys.cursor(tenant, spec.model)));
    if (!stored) return firstRead(spec, plan);
    const rows = await changedRows(spec, plan, stored);
    const previous = await storedFingerprints(spec.model, rows);
    const cached = await cachedRecords(
      spec,
      rows.filter((_, i) => previous[i] === undefined),
    );
    const sources = Object.values(plan.tracked).flat();
    const allTracked = Object.keys(plan.tracked);
    const changes: Change[] = [];
    const quiet: ModelRead['quiet'] = [];
    let cursor: Cursor | undefined;
    rows.forEach((row, i) => {
      const at = cursorAt(row);
      if (at && isAfter(at, cursor ?? stored)) cursor = at;
      const fingerprint = fingerprintOf(row, sources);
      const prev = previous[i];
      if (!prev) {
        // Unknown before: every tracked field, unless the cached record tells what differs from it.
        const seenByCache = cached.get(row.id);
        const sinceCache = seenByCache
          ? changedPublicFields(
              fingerprintOf(
                seenByCache,
                sources.filter((f) => f in seenByCache),
              ),
              fingerprint,
              plan.tracked,
            )
          : [];
        const created = spec.entityIsRecord && !seenByCache && typeof row['create_date'] === 'string' && row['create_date'] === row['write_date'];
        changes.push({ row, fingerprint, changedFields: sinceCache.length > 0 ? sinceCache : allTracked, kind: created ? 'created' : 'updated' });
        return;
      }
      const changedFields = changedPublicFields(prev.fingerprint, fingerprint, plan.tracked);
      if (changedFields.length > 0) changes.push({ row, fingerprint, changedFields, kind: 'updated' });
      // Stored again when the field set grew, or before it expires under a record re-read unchanged
      // pass after pass (the newest ones of a quiet model): an expired one would read as a change.
      else if (!sameFingerprint(prev.fingerprint, fingerprint) || clock() - prev.storedAt > seenTtlMs / 2) quiet.push({ id: row.id, fingerprint });
    });
    return { spec, plan, changes, quiet, cursor };
  }

  /** Reads every watched model the tenant's Odoo lets us read; a refused model is skipped until the capabilities change. */
  async function readAll(caps: OdooCapabilities): Promise<ModelRead[]> {
    const reads: ModelRead[] = [];
    for (const spec of CHANGE_MODELS) {
      const plan = readPlan(spec, caps);
      if ('skip' in plan) {
        if (skipped.get(spec.model) !== plan.skip) log.warn({ model: spec.model, reason: plan.skip }, 'odoo change capture: model not watched');
        skipped.set(spec.model, plan.skip);
        continue;
      }
      if (refused.get(spec.model) === caps) continue;
      await keepLease();
      try {
        reads.push(await readModel(spec, plan));
      } catch (err) {
        if (!isRefusal(err)) throw err;
        refused.set(spec.model, caps);
        log.warn(
          { model: spec.model, ...describeError(err) },
          'odoo change capture: Odoo refused to read the model; skipped until its capabilities are discovered again',
        );
        // "Invalid field": the server changed since discovery, so discover again (rate-limited by the holder).
        if (err.odooName !== 'odoo.exceptions.AccessError') void upstream.capabilities.afterRefusal().catch(() => undefined);
        continue;
      }
      const wasSkipped = skipped.delete(spec.model);
      if (refused.delete(spec.model) || wasSkipped) log.info({ model: spec.model }, 'odoo change capture: model watched again');
    }
    return reads;
  }

  // ---- customers and stale entries ---------------------------------------------------------------

  let partnerRefusalWarned = false;

  /** Commercial partner of each contact: one batched res.partner read per pass. */
  async function commercialPartners(caps: OdooCapabilities, reads: readonly ModelRead[]): Promise<Map<number, number>> {
    const contacts = new Set<number>();
    for (const { spec, changes } of reads) {
      for (const { row } of changes) {
        const partner = spec.partnerId(row);
        if (partner !== null && spec.commercialId(row) === null) contacts.add(partner);
      }
    }
    const out = new Map<number, number>();
    if (contacts.size === 0 || !caps.has('res.partner', 'commercial_partner_id')) return out;
    try {
      const rows = await searchRead('res.partner', [['id', 'in', [...contacts]]], { fields: ['commercial_partner_id'], context: { active_test: false } });
      for (const r of rows) out.set(r.id, m2oId(r['commercial_partner_id']) ?? r.id);
    } catch (err) {
      if (!(err instanceof OdooRejection)) throw err;
      // A refusal will not pass on the next pass either: the contact itself stands for the customer.
      if (!partnerRefusalWarned) log.warn(describeError(err), 'odoo change capture: cannot read commercial partners; events name the contact');
      partnerRefusalWarned = true;
    }
    return out;
  }

  /**
   * Orders whose plans' invoices changed (`PlanInvoices` is keyed by order): one sale.order read when
   * invoices changed. Where that read fails, every `PlanInvoices` entry of the tenant goes.
   */
  async function planInvoiceRefs(caps: OdooCapabilities, invoiceIds: readonly number[]): Promise<EntityRef[]> {
    if (!cache || invoiceIds.length === 0) return [];
    if (caps.has('sale.order', 'invoice_ids')) {
      try {
        const orders = await searchRead('sale.order', [['invoice_ids', 'in', [...invoiceIds]]], { fields: ['id'], context: { active_test: false } });
        return orders.flatMap((o) => [
          { type: 'PlanInvoices', id: o.id },
          { type: 'Order', id: o.id },
        ]);
      } catch (err) {
        if (!(err instanceof OdooRejection)) throw err;
      }
    }
    await invalidateTypes(cache, tenant, ['PlanInvoices']);
    return [];
  }

  // ---- publishing --------------------------------------------------------------------------------

  interface Outgoing {
    event: ChangeEvent;
    /** The records whose fingerprints are stored once the event is out. */
    records: Change[];
  }

  function eventsOf(read: ModelRead, customers: ReadonlyMap<number, number>): Outgoing[] {
    const byEntity = new Map<number, Outgoing>();
    for (const change of read.changes) {
      const { spec } = read;
      const entity = spec.entityId(change.row);
      const at = isoFromOdoo(change.row['write_date']);
      if (entity === null || at === null) continue;
      const partner = spec.partnerId(change.row);
      const customer = spec.commercialId(change.row) ?? (partner === null ? null : (customers.get(partner) ?? partner));
      const existing = byEntity.get(entity);
      if (existing) {
        // Several plan lines of one order: one event, every changed field, the latest stamp.
        const fields = [...new Set([...existing.event.changedFields, ...change.changedFields])];
        existing.event = { ...existing.event, changedFields: fields, at: at > existing.event.at ? at : existing.event.at };
        existing.records.push(change);
        continue;
      }
      byEntity.set(entity, {
        event: {
          tenant,
          type: spec.type,
          id: String(entity),
          kind: change.kind,
          changedFields: change.changedFields,
          source: 'odoo',
          at,
          capturedAt: clock(),
          ...(customer !== null ? { customer: { id: String(customer) } } : {}),
        },
        records: [change],
      });
    }
    return [...byEntity.values()];
  }

  function staleRefs(read: ModelRead, customers: ReadonlyMap<number, number>): EntityRef[] {
    const refs: EntityRef[] = [];
    for (const { row } of read.changes) {
      refs.push(...read.spec.staleRefs(row));
      const partner = read.spec.partnerId(row);
      const commercial = read.spec.commercialId(row) ?? (partner === null ? undefined : customers.get(partner));
      for (const p of new Set([partner, commercial])) if (typeof p === 'number') refs.push({ type: 'Customer', id: p });
    }
    return refs;
  }

  const storeFingerprint = (model: string, id: number, fingerprint: Fingerprint): Promise<void> =>
    capture.state.set(captureKeys.seen(tenant, model, id), encodeSeen(fingerprint, clock()), seenTtlMs);

  /** Invalidates, publishes, stores fingerprints and moves each cursor, model by model. */
  async function publishAll(caps: OdooCapabilities, reads: readonly ModelRead[]): Promise<number> {
    const customers = await commercialPartners(caps, reads);
    const invoices = reads.filter((r) => r.spec.model === 'account.move').flatMap((r) => r.changes.map((c) => c.row.id));
    const extraRefs = await planInvoiceRefs(caps, invoices);
    let published = 0;
    for (const read of reads) {
      const outgoing = eventsOf(read, customers);
      if (cache && outgoing.length > 0) {
        const refs = [...staleRefs(read, customers), ...(read.spec.model === 'account.move' ? extraRefs : [])];
        await invalidateEntities(cache, tenant, refs, ODOO_DEPENDENTS);
      }
      for (const { event, records } of outgoing) {
        await keepLease();
        await capture.bus.publish(event);
        published += 1;
        odooCaptureMetrics.events.inc({ tenant, type: event.type });
        for (const r of records) await storeFingerprint(read.spec.model, r.row.id, r.fingerprint);
      }
      for (const q of read.quiet) await storeFingerprint(read.spec.model, q.id, q.fingerprint);
      if (read.cursor) await capture.state.set(captureKeys.cursor(tenant, read.spec.model), encodeCursor(read.cursor));
    }
    return published;
  }

  // ---- passes ------------------------------------------------------------------------------------

  function failed(err: unknown): void {
    failures += 1;
    const now = clock();
    if (failures === 1 || now - failureLoggedAt >= STREAK_LOG_EVERY_MS) {
      failureLoggedAt = now;
      log.warn({ ...describeError(err), failedPasses: failures }, 'odoo change capture: pass failed; the cursor stays, retrying every interval');
    }
  }

  async function pass(): Promise<PassResult> {
    if (stopped) return { outcome: 'stopped', published: 0 };
    const startedAt = clock();
    let outcome: PassOutcome = 'error';
    let published = 0;
    try {
      if (!(await takeLease())) {
        outcome = 'standby';
      } else {
        const caps = await upstream.capabilities.get();
        const reads = await readAll(caps);
        published = await publishAll(caps, reads);
        outcome = published > 0 ? 'published' : 'idle';
        odooCaptureMetrics.duration.observe({ tenant }, (clock() - startedAt) / 1000);
      }
      if (failures > 0) log.info({ failedPasses: failures }, 'odoo change capture: passes succeed again');
      failures = 0;
    } catch (err) {
      if (err instanceof LeaseLost) outcome = 'standby';
      else if (stopped && aborter.signal.aborted) return { outcome: 'stopped', published };
      else failed(err);
    }
    odooCaptureMetrics.passes.inc({ tenant, outcome });
    return { outcome, published };
  }

  function runPass(): Promise<PassResult> {
    const next = chain.then(async () => {
      busy = true;
      try {
        return await pass();
      } catch (err) {
        // pass() handles its own failures; this is a last guard against an unhandled rejection.
        failed(err);
        return { outcome: 'error', published: 0 } satisfies PassResult;
      } finally {
        busy = false;
      }
    });
    chain = next;
    return next;
  }

  return {
    tenant,
    holder,
    get holdsLease() {
      return held;
    },
    start() {
      if (timer || stopped) return;
      void runPass();
      timer = setInterval(() => {
        if (!busy && !stopped) void runPass();
      }, intervalMs);
      timer.unref();
    },
    runPass,
    stop() {
      stopping ??= (async () => {
        stopped = true;
        if (timer) clearInterval(timer);
        aborter.abort();
        await chain.catch(() => undefined);
        if (held) {
          held = false;
          try {
            await capture.leases.release(leaseName, holder);
          } catch (err) {
            log.warn(describeError(err), 'odoo change capture: could not release the lease; it expires by itself');
          }
        }
      })();
      return stopping;
    },
  };
}

export interface OdooChangeCaptureOptions {
  /** Every enabled tenant's Odoo (the subgraph's upstreams). */
  upstreams: ReadonlyMap<string, OdooTenantUpstream>;
  capture: ChangeCapture;
  cache?: EntityCache | undefined;
  /** @default 2000 */
  intervalMs?: number | undefined;
  log?: Logger | undefined;
  /** The lease holder prefix of this replica. @default `<host>:<pid>:<uuid>` */
  holder?: string | undefined;
}

/** Every tenant's poller of one subgraph replica. */
export interface OdooChangeCapture {
  readonly pollers: ReadonlyMap<string, OdooChangePoller>;
  /** One pass of one tenant's poller now (tests drive capture with it). */
  runPass(tenant: string): Promise<PassResult>;
  /** Stops every poller (each releases its lease). Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts one poller per tenant (startOdooSubgraph does, when given `capture`): each runs a pass at
 * once and then every `intervalMs`.
 */
export function startOdooChangeCapture(options: OdooChangeCaptureOptions): OdooChangeCapture {
  const replica = options.holder ?? defaultHolder();
  const pollers = new Map<string, OdooChangePoller>();
  for (const [tenant, upstream] of options.upstreams) {
    pollers.set(
      tenant,
      createOdooChangePoller({
        tenant,
        upstream,
        capture: options.capture,
        cache: options.cache,
        holder: `${replica}:${tenant}`,
        ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
        ...(options.log ? { log: options.log } : {}),
      }),
    );
  }
  for (const poller of pollers.values()) poller.start();
  let stopping: Promise<void> | undefined;
  return {
    pollers,
    runPass(tenant) {
      const poller = pollers.get(tenant);
      if (!poller) return Promise.reject(new RangeError(`odoo change capture: no tenant ${tenant}`));
      return poller.runPass();
    },
    stop() {
      stopping ??= Promise.all([...pollers.values()].map((p) => p.stop())).then(() => undefined);
      return stopping;
    },
  };
}
