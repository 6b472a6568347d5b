/**
 * Salesforce change capture by polling `SystemModstamp` (ARCHITECTURE "Events and subscriptions"):
 * per tenant, one poller across every replica (the lease `salesforce-poller:<tenant>`, renewed on
 * each pass and released on stop) reads the accounts, contacts and opportunities changed since its
 * cursor, invalidates the changed accounts' entity-cache entries, and publishes one
 * `SalesforceAccount` event per changed account on the bus.
 *
 * A pass, for each object: `SELECT ... WHERE SystemModstamp >= <cursor - overlap> ORDER BY
 * SystemModstamp ASC, Id ASC LIMIT 200`, then keyset pages after the last row while pages are full
 * (capture-cursor.ts). Every row's snapshot is compared with the one stored (capture state, with a
 * TTL), so a record re-read in the overlap is not published again; with no stored snapshot, an
 * account's previous state is taken from the entity cache when it holds an entry of the account
 * stored before the change, else it is unknown and every field counts as changed
 * (capture-records.ts, capture-events.ts). Cursors are stored once every event of the pass is out.
 *
 * Failures (Salesforce down, a refused token, REQUEST_LIMIT_EXCEEDED, the bus or the state store
 * down) end the pass: the cursors stay, the next pass reads the same rows again, the failure is
 * logged rate-limited, and nothing rejects. Passes never overlap. While the org's daily API usage
 * (`Sforce-Limit-Info`, as the client last saw it) is above the ceiling, passes are skipped, but one
 * in `THROTTLED_PROBE_EVERY` still runs, so the usage is seen to fall again.
 *
 * Cost: three queries per pass and tenant (one per object), plus one per further page.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { entityKey, type CacheEntry, type EntityCache } from '../../cache';
import type { ChangeCapture } from '../../cache/events';
import { onceOnly } from '../../platform/listen';
import type { TenantConfig } from '../../tenancy/registry';
import { UpstreamError } from '../kit/errors';
import type { SalesforceClient } from './client';
import { createFailureLog } from './capture-log';
import { after, comparePositions, cursorAt, decodeCursor, encodeCursor, firstPageWhere, type Cursor } from './capture-cursor';
import { planCapture, type ObservedRow, type SnapshotWrite } from './capture-events';
import { decodeSnapshot, selectOf, snapshotOfCachedAccount, toCapturedRow, trackedObjects, type CapturedRow, type TrackedObject } from './capture-records';
import { SALESFORCE_CACHE_TYPES } from './loaders';

const DAY_MS = 86_400_000;
/** The shortest lease a poller takes, whatever its interval. */
export const MIN_LEASE_TTL_MS = 5_000;
/** Pages one object's read may take in one pass, overlap included: a bound on a pass's work. */
export const MAX_PAGES_PER_PASS = 100;
/**
 * A cached account is taken as the previous state of a changed one only when it was stored this long
 * before the change's SystemModstamp (the cache's and Salesforce's clocks may differ a little).
 */
export const CACHED_PRIOR_MARGIN_MS = 2_000;
/** While throttled, one pass in this many still runs (and so refreshes the API usage). */
export const THROTTLED_PROBE_EVERY = 30;

/** The lease one tenant's poller holds across replicas. */
export const pollerLeaseName = (tenant: string): string => `salesforce-poller:${tenant}`;
/** Capture-state key of one object's cursor. */
export const cursorStateKey = (tenant: string, object: string): string => `salesforce:cursor:${tenant}:${object}`;
/** Capture-state key of one record's snapshot. */
export const snapshotStateKey = (tenant: string, object: string, id: string): string => `salesforce:seen:${tenant}:${object}:${id}`;

/** What {@link createSalesforcePoller} takes: one tenant, its client, and where to publish. */
export interface SalesforcePollerOptions {
  tenant: TenantConfig;
  /** The tenant's client (the subgraph's own: one token, one view of the API usage). */
  client: SalesforceClient;
  capture: ChangeCapture;
  /** The entity cache the subgraph reads through; none = nothing to invalidate. */
  cache?: EntityCache | undefined;
  log: Logger;
  /** Pause between the end of a pass and the start of the next (ms). @default 2000 */
  intervalMs?: number;
  /** Lease lifetime (ms), at least {@link MIN_LEASE_TTL_MS}. @default max(5000, 3 × intervalMs) */
  leaseTtlMs?: number;
  /** How far before its cursor a pass starts reading again (ms). @default 60_000 */
  overlapMs?: number;
  /** How long a record's snapshot is kept (ms); at least twice the overlap. @default 7 days */
  snapshotTtlMs?: number;
  /** Rows per query (SOQL LIMIT). @default 200 */
  pageSize?: number;
  /**
   * Pages past the cursor per object and pass; a larger backlog is read on by the next passes. Pages
   * of the overlap (before the cursor) do not count, up to {@link MAX_PAGES_PER_PASS} pages in all.
   * @default 10
   */
  maxPagesPerPass?: number;
  /** Share of the daily API limit above which passes are skipped. @default 0.9 */
  apiUsageCeiling?: number;
  /** This replica's name as lease holder. @default `<host>:<pid>:<random>` */
  holder?: string;
  /** Epoch ms now (a fresh cursor starts there). @default Date.now */
  clock?: () => number;
}

/** What one pass did. */
export type PassOutcome =
  | { readonly status: 'polled'; readonly events: number }
  /** Another replica holds the lease. */
  | { readonly status: 'standby' }
  /** Skipped: the org is above the API usage ceiling. */
  | { readonly status: 'throttled' }
  /** Ended by a failure (logged); the cursors stay. `code`: the UpstreamError code, or `CAPTURE_FAILED`. */
  | { readonly status: 'failed'; readonly code: string }
  | { readonly status: 'stopped' };

/** One tenant's poller (one per tenant and replica; the lease lets one of them poll). */
export interface SalesforcePoller {
  readonly tenant: string;
  /** Runs one pass now, or joins the one running. Never rejects. */
  runPass(): Promise<PassOutcome>;
  /** Starts passes: one at once, then one `intervalMs` after each ends. Idempotent. */
  start(): void;
  /** Stops the passes, waits for the one in flight (its HTTP calls are aborted) and releases the lease. Idempotent. */
  stop(): Promise<void>;
}

/** Thrown inside a pass when the lease was lost between two steps. */
class LeaseLost extends Error {}

interface Fetched {
  readonly object: TrackedObject;
  readonly rows: readonly CapturedRow[];
  readonly capturedAt: number;
  readonly next: Cursor;
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`salesforce change capture: ${name} must be positive, got ${String(value)}`);
  return value;
}

/** The poller of one tenant. Nothing runs until `start()` or `runPass()`. */
export function createSalesforcePoller(opts: SalesforcePollerOptions): SalesforcePoller {
  const { tenant, client, capture, cache, log } = opts;
  const intervalMs = positive('intervalMs', opts.intervalMs ?? 2_000);
  const leaseTtlMs = Math.max(MIN_LEASE_TTL_MS, Math.ceil(positive('leaseTtlMs', opts.leaseTtlMs ?? 3 * intervalMs)));
  const overlapMs = positive('overlapMs', opts.overlapMs ?? 60_000);
  const snapshotTtlMs = Math.ceil(Math.max(positive('snapshotTtlMs', opts.snapshotTtlMs ?? 7 * DAY_MS), 2 * overlapMs));
  const pageSize = Math.floor(positive('pageSize', opts.pageSize ?? 200));
  const maxPages = Math.floor(positive('maxPagesPerPass', opts.maxPagesPerPass ?? 10));
  const ceiling = positive('apiUsageCeiling', opts.apiUsageCeiling ?? 0.9);
  const holder = opts.holder ?? `${hostname()}:${process.pid}:${randomUUID()}`;
  const clock = opts.clock ?? Date.now;
  const externalIdField = tenant.upstreams.salesforce.accountExternalIdField;
  const objects = trackedObjects(externalIdField);
  const lease = pollerLeaseName(tenant.id);
  const failures = createFailureLog(log);
  const abort = new AbortController();

  let held = false;
  let stopped = false;
  let started = false;
  let inFlight: Promise<PassOutcome> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let throttle = { active: false, skipped: 0 };

  /** Takes or renews the lease; false when another replica has it. */
  async function holdLease(): Promise<boolean> {
    const was = held;
    held = false;
    held = was ? await capture.leases.renew(lease, holder, leaseTtlMs) : await capture.leases.acquire(lease, holder, leaseTtlMs);
    if (held !== was) log.info({ holder }, held ? 'salesforce change capture: this replica polls' : 'salesforce change capture: lease lost to another replica');
    return held;
  }

  async function keepLease(): Promise<void> {
    if (!(await holdLease())) throw new LeaseLost();
  }

  /** Whether to skip this pass for the org's API usage (logged once per stretch). */
  function throttled(): boolean {
    const usage = client.apiUsage?.();
    if (!usage || usage.used / usage.limit < ceiling) {
      if (throttle.active) log.info({ used: usage?.used, limit: usage?.limit }, 'salesforce change capture: API usage below the ceiling again, polling');
      throttle = { active: false, skipped: 0 };
      return false;
    }
    if (!throttle.active) {
      log.warn({ used: usage.used, limit: usage.limit, ceiling }, 'salesforce change capture: org above its API usage ceiling, skipping passes');
      throttle = { active: true, skipped: 0 };
    }
    throttle.skipped += 1;
    if (throttle.skipped < THROTTLED_PROBE_EVERY) return true;
    throttle.skipped = 0;
    return false;
  }

  /** One object's rows since its cursor (first page with the overlap, then keyset pages), and the cursor after them. */
  async function fetchObject(object: TrackedObject): Promise<Fetched> {
    const key = cursorStateKey(tenant.id, object.name);
    let cursor = decodeCursor(await capture.state.get(key));
    if (!cursor) {
      // First start (or an unreadable cursor): begin now, replay nothing.
      cursor = cursorAt(clock());
      await capture.state.set(key, encodeCursor(cursor));
    }
    const select = selectOf(object, externalIdField);
    const rows: CapturedRow[] = [];
    let where = firstPageWhere(cursor, overlapMs);
    let full = false;
    // The whole overlap is re-read (a late commit is likeliest just before the cursor); only pages
    // reaching past the cursor count against the pass's budget.
    for (let pages = 0, beyond = 0; pages < MAX_PAGES_PER_PASS && beyond < maxPages; pages++) {
      if (pages > 0) await keepLease();
      const records = await client.query(`${select} WHERE ${where} ORDER BY SystemModstamp ASC, Id ASC LIMIT ${pageSize}`, abort.signal);
      const parsed = records.map((r) => toCapturedRow(object, r, externalIdField));
      rows.push(...parsed);
      const tail = parsed.at(-1);
      full = tail !== undefined && records.length >= pageSize;
      if (!tail || !full) break;
      if (comparePositions({ at: tail.stamp, id: tail.id }, cursor) > 0) beyond += 1;
      where = after(tail.stamp, tail.id);
    }
    const tail = rows.at(-1);
    const position = tail && comparePositions({ at: tail.stamp, id: tail.id }, cursor) > 0 ? { at: tail.stamp, id: tail.id } : cursor;
    return { object, rows, capturedAt: clock(), next: { at: position.at, id: position.id, floor: cursor.floor, behind: full } };
  }

  /** What was last seen of each row: the stored snapshot, else (accounts) the entity cache's entry. */
  async function observe(fetched: readonly Fetched[]): Promise<ObservedRow[]> {
    const observed: ObservedRow[] = [];
    for (const f of fetched) {
      const stored = await Promise.all(f.rows.map((r) => capture.state.get(snapshotStateKey(tenant.id, r.object, r.id))));
      f.rows.forEach((row, i) => observed.push({ object: f.object, row, prior: decodeSnapshot(stored[i]), capturedAt: f.capturedAt }));
    }
    const unknown = observed.filter((o) => !o.prior && !o.object.child);
    if (!cache || unknown.length === 0) return observed;
    // The account as last cached, by id or (the customer's link) by external id: what users saw. Only
    // an entry stored before the change (by a margin for clock skew) is its previous state: one
    // stored after it already holds the change, and comparing with it would hide the change.
    const keys = unknown.flatMap((o) => [
      entityKey(tenant.id, SALESFORCE_CACHE_TYPES.accountById, o.row.id),
      o.row.account.externalId === null ? undefined : entityKey(tenant.id, SALESFORCE_CACHE_TYPES.accountByExternalId, o.row.account.externalId),
    ]);
    const present = keys.filter((k): k is string => k !== undefined);
    const entries = await cache.getMany(present);
    const entryOf = (key: string | undefined): CacheEntry | undefined => (key === undefined ? undefined : entries[present.indexOf(key)]);
    const fromCache = new Map(
      unknown.map((o, i) => {
        const entry = [entryOf(keys[2 * i]), entryOf(keys[2 * i + 1])].find(
          (e) => e !== undefined && e.storedAt + CACHED_PRIOR_MARGIN_MS <= o.row.stamp && (e.value as { id?: unknown } | null)?.id === o.row.id,
        );
        return [o, snapshotOfCachedAccount(o.object, entry?.value, externalIdField)] as const;
      }),
    );
    return observed.map((o) => {
      const prior = fromCache.get(o);
      return prior ? { ...o, prior } : o;
    });
  }

  const store = (w: SnapshotWrite): Promise<void> => capture.state.set(snapshotStateKey(tenant.id, w.object, w.id), JSON.stringify(w.snapshot), snapshotTtlMs);

  /** Invalidates, publishes, stores; returns the number of events published. */
  async function publish(fetched: readonly Fetched[]): Promise<number> {
    const plan = planCapture(tenant.id, await observe(fetched));
    if (plan.events.length === 0 && plan.writes.length === 0) return 0;
    await keepLease();
    if (cache && (plan.invalidate.keys.length > 0 || plan.invalidate.prefixes.length > 0)) await cache.invalidate(plan.invalidate);
    await Promise.all(plan.writes.map(store));
    for (const { event, writes } of plan.events) {
      await capture.bus.publish(event);
      await Promise.all(writes.map(store));
    }
    return plan.events.length;
  }

  async function pass(): Promise<PassOutcome> {
    if (stopped) return { status: 'stopped' };
    try {
      if (!(await holdLease())) return { status: 'standby' };
      if (throttled()) return { status: 'throttled' };
      const fetched: Fetched[] = [];
      for (const object of objects) {
        if (fetched.length > 0) await keepLease();
        fetched.push(await fetchObject(object));
      }
      const events = await publish(fetched);
      await Promise.all(fetched.map((f) => capture.state.set(cursorStateKey(tenant.id, f.object.name), encodeCursor(f.next))));
      failures.recovered({ tenant: tenant.id });
      return { status: 'polled', events };
    } catch (err) {
      if (stopped) return { status: 'stopped' };
      if (err instanceof LeaseLost) return { status: 'standby' };
      const code = err instanceof UpstreamError ? err.code : 'CAPTURE_FAILED';
      failures.failed(code, err, { tenant: tenant.id });
      return { status: 'failed', code };
    }
  }

  function runPass(): Promise<PassOutcome> {
    inFlight ??= pass()
      .catch((err: unknown): PassOutcome => {
        // pass() catches everything; this only guards against a bug turning into an unhandled rejection.
        failures.failed('CAPTURE_FAILED', err, { tenant: tenant.id });
        return { status: 'failed', code: 'CAPTURE_FAILED' };
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  }

  function schedule(delayMs: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = undefined;
      void runPass().then(() => schedule(intervalMs));
    }, delayMs);
    timer.unref();
  }

  return {
    tenant: tenant.id,
    runPass,
    start() {
      if (started || stopped) return;
      started = true;
      schedule(0);
    },
    stop: onceOnly(async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      abort.abort();
      await inFlight;
      if (!held) return;
      held = false;
      try {
        await capture.leases.release(lease, holder);
      } catch (err) {
        failures.failed('LEASE_RELEASE_FAILED', err, { tenant: tenant.id });
      }
    }),
  };
}

/** What {@link startSalesforceChangeCapture} takes: every tenant to capture, with its client. */
export interface SalesforceChangeCaptureOptions {
  /** The tenants to capture (each needs a client in `clients`). */
  tenants: readonly TenantConfig[];
  clients: ReadonlyMap<string, SalesforceClient>;
  capture: ChangeCapture;
  cache?: EntityCache | undefined;
  log: Logger;
  /** @default 2000 */
  intervalMs?: number | undefined;
  /** This replica's name as lease holder (one for all its pollers). @default `<host>:<pid>:<random>` */
  holder?: string;
}

/** The running pollers of a subgraph process. */
export interface SalesforceChangeCapture {
  /** The poller of each tenant. */
  readonly pollers: ReadonlyMap<string, SalesforcePoller>;
  /** Runs one pass of every tenant's poller now (or joins the ones running). Never rejects. */
  pollOnce(): Promise<Map<string, PassOutcome>>;
  /** Stops every poller and releases its lease. Idempotent. */
  stop(): Promise<void>;
}

/** Creates one poller per tenant and starts them. */
export function startSalesforceChangeCapture(opts: SalesforceChangeCaptureOptions): SalesforceChangeCapture {
  const holder = opts.holder ?? `${hostname()}:${process.pid}:${randomUUID()}`;
  const pollers = new Map<string, SalesforcePoller>();
  for (const tenant of opts.tenants) {
    const client = opts.clients.get(tenant.id);
    if (!client) continue;
    pollers.set(
      tenant.id,
      createSalesforcePoller({
        tenant,
        client,
        capture: opts.capture,
        cache: opts.cache,
        log: opts.log.child({ tenant: tenant.id, component: 'change-capture' }),
        holder,
        ...(opts.intervalMs !== undefined ? { intervalMs: opts.intervalMs } : {}),
      }),
    );
  }
  for (const poller of pollers.values()) poller.start();
  return {
    pollers,
    async pollOnce() {
      const outcomes = await Promise.all([...pollers.values()].map(async (p) => [p.tenant, await p.runPass()] as const));
      return new Map(outcomes);
    },
    stop: onceOnly(async () => {
      await Promise.all([...pollers.values()].map((p) => p.stop()));
    }),
  };
}
