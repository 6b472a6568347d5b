/**
 * The ActionStore contract, run against both implementations: PostgreSQL (the shared server on
 * 127.0.0.1:5432, DATABASE_URL to override, in a fresh random schema per run, dropped after) and
 * PGlite (in memory). Each test uses its own random tenants, so tests never see each other's rows
 * (except purge() and due(), which are global by design and assert only about their own tenant).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import {
  type ActionRecord,
  type ActionStatus,
  createActionStore,
  createPgliteActionStore,
  createPostgresActionStore,
  InvalidCursorError,
  loadMigrations,
  type NewAction,
  type PgliteActionStore,
  type PostgresActionStore,
} from '../../actions/index';
import { nativePglite } from './pglite';

const DATABASE_URL = process.env['DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/test';
const suffix = (): string => randomBytes(5).toString('hex');
const tenantOf = (name: string): string => `${name}-${suffix()}`;
const HOUR = 3_600_000;

type Row = Record<string, unknown>;
type Store = PostgresActionStore | PgliteActionStore;

interface Harness {
  /** The store under test (migrated). */
  store(): Store;
  /** SQL straight to the store's database and schema, around the store. */
  raw(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Two stores migrating one fresh database/schema at once; the versions recorded after, and whether both stores work. */
  migrationRace(): Promise<number[]>;
}

function postgresHarness(): Harness & { setUp(): Promise<void>; tearDown(): Promise<void> } {
  const schema = `actions_test_${suffix()}`;
  const raceSchema = `${schema}_race`;
  const admin = new pg.Pool({ connectionString: DATABASE_URL, max: 2, options: `-c search_path=${schema}` });
  let store: PostgresActionStore | undefined;
  return {
    async setUp() {
      store = await createPostgresActionStore({ databaseUrl: DATABASE_URL, schema });
    },
    async tearDown() {
      await store?.close();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; DROP SCHEMA IF EXISTS ${raceSchema} CASCADE`);
      await admin.end();
    },
    store: () => store ?? fail('not set up'),
    raw: async (sql, params = []) => (await admin.query(sql, params)).rows as Row[],
    async migrationRace() {
      const stores = await Promise.all([0, 1].map(() => createPostgresActionStore({ databaseUrl: DATABASE_URL, schema: raceSchema })));
      try {
        await Promise.all(stores.map((s) => s.create(newAction({ tenant: tenantOf('race'), idempotencyKey: suffix() }))));
        const rows = (await admin.query(`SELECT version FROM ${raceSchema}.schema_migrations ORDER BY version`)).rows as Row[];
        return rows.map((r) => Number(r['version']));
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
    },
  };
}

function pgliteHarness(): Harness & { setUp(): Promise<void>; tearDown(): Promise<void> } {
  let store: PgliteActionStore | undefined;
  let db: PGlite | undefined;
  return {
    async setUp() {
      db = await nativePglite();
      store = await createPgliteActionStore({ db });
    },
    async tearDown() {
      await store?.close();
      await db?.close();
    },
    store: () => store ?? fail('not set up'),
    raw: async (sql, params = []) => (await (db ?? fail('not set up')).query<Row>(sql, params)).rows,
    async migrationRace() {
      // Two stores over one fresh PGlite (one connection: the transactions queue, the second finds the work done).
      const fresh = await nativePglite();
      try {
        const stores = await Promise.all([0, 1].map(() => createPgliteActionStore({ db: fresh })));
        await Promise.all(stores.map((s) => s.create(newAction({ tenant: tenantOf('race'), idempotencyKey: suffix() }))));
        await Promise.all(stores.map((s) => s.close()));
        return (await fresh.query<Row>('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => Number(r['version']));
      } finally {
        await fresh.close();
      }
    },
  };
}

function fail(message: string): never {
  throw new Error(message);
}

function newAction(over: Partial<NewAction> = {}): NewAction {
  return {
    tenant: 'acme',
    kind: 'issueCreditNote',
    idempotencyKey: randomUUID(),
    inputHash: 'sha256:aaaa',
    input: { invoiceId: 7, lines: [{ id: 1, quantity: 2 }], note: 'ü "quoted"' },
    status: 'EXECUTING',
    requester: 'agent-1',
    requesterRoles: ['agent'],
    ticketId: '4711',
    customerId: '42',
    amount: 125.5,
    currency: 'EUR',
    requestId: 'req-1',
    expiresAt: null,
    ...over,
  };
}

const implementations: Array<['postgres' | 'pglite', () => Harness & { setUp(): Promise<void>; tearDown(): Promise<void> }]> = [
  ['postgres', postgresHarness],
  ['pglite', pgliteHarness],
];

describe.each(implementations)('ActionStore contract: %s', (kind, makeHarness) => {
  const h = makeHarness();
  beforeAll(() => h.setUp());
  afterAll(() => h.tearDown());

  it('should say which implementation it is', () => {
    expect(h.store().kind).toBe(kind);
  });

  it('should create an action once per (tenant, kind, key): 50 concurrent identical creates, one created=true, one id', async () => {
    const tenant = tenantOf('dedupe');
    const a = newAction({ tenant, expiresAt: '2031-02-03T04:05:06.789Z' });
    const results = await Promise.all(Array.from({ length: 50 }, () => h.store().create(a)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.action.id)).size).toBe(1);

    const action = results[0]?.action ?? fail('no result');
    expect(action.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(action).toEqual({
      ...a,
      id: action.id,
      approver: null,
      reason: null,
      result: null,
      erpRecords: [],
      attempts: 0,
      createdAt: action.createdAt,
      updatedAt: action.updatedAt,
    });
    expect(action.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(action.updatedAt).toBe(action.createdAt);
    expect(Math.abs(Date.parse(action.createdAt) - Date.now())).toBeLessThan(60_000);
    expect((await h.raw('SELECT count(*) AS n FROM actions WHERE tenant = $1', [tenant]))[0]?.['n']).toEqual(kind === 'postgres' ? '1' : 1);

    // The same key under another kind or another tenant is another action; a replay returns the stored one, input and all.
    const otherKind = await h.store().create({ ...a, kind: 'cancelOrder' });
    const otherTenant = await h.store().create({ ...a, tenant: tenantOf('dedupe-b') });
    expect([otherKind.created, otherTenant.created]).toEqual([true, true]);
    expect(new Set([action.id, otherKind.action.id, otherTenant.action.id]).size).toBe(3);
    const replay = await h.store().create({ ...a, inputHash: 'sha256:bbbb', input: { other: true } });
    expect(replay).toEqual({ created: false, action });
  });

  it('should find an action by id and by key, and nothing for unknown or malformed ids', async () => {
    const tenant = tenantOf('get');
    const { action } = await h
      .store()
      .create(newAction({ tenant, amount: null, currency: null, ticketId: null, customerId: null, requestId: null, input: null }));
    expect(await h.store().get(tenant, action.id)).toEqual(action);
    expect(await h.store().getByKey(tenant, action.kind, action.idempotencyKey)).toEqual(action);
    expect(action).toMatchObject({ amount: null, currency: null, ticketId: null, customerId: null, requestId: null, input: null });
    expect(await h.store().get(tenant, randomUUID())).toBeNull();
    expect(await h.store().get(tenant, 'not-a-uuid')).toBeNull();
    expect(await h.store().getByKey(tenant, action.kind, 'other-key')).toBeNull();
    expect(await h.store().getByKey(tenant, 'cancelOrder', action.idempotencyKey)).toBeNull();
    expect(await h.store().transition(tenant, 'not-a-uuid', ['EXECUTING'], { status: 'FAILED' })).toBeNull();
  });

  it('should transition by compare-and-set: of two concurrent transitions from EXECUTING exactly one wins', async () => {
    const tenant = tenantOf('cas');
    const { action } = await h.store().create(newAction({ tenant }));
    const erp = [{ system: 'odoo' as const, model: 'account.move', id: 91, name: 'RINV/2025/00001' }];
    const [a, b] = await Promise.all([
      h.store().transition(tenant, action.id, ['EXECUTING'], { status: 'SUCCEEDED', result: { creditNoteId: 91 }, erpRecords: erp, incrementAttempts: true }),
      h.store().transition(tenant, action.id, ['EXECUTING'], { status: 'FAILED', reason: 'lost the race', incrementAttempts: true }),
    ]);
    const winners = [a, b].filter((x): x is ActionRecord => x !== null);
    expect(winners).toHaveLength(1);
    const won = winners[0] ?? fail('no winner');
    expect(won.attempts).toBe(1);
    expect(Date.parse(won.updatedAt)).toBeGreaterThanOrEqual(Date.parse(action.createdAt));
    expect(won.createdAt).toBe(action.createdAt);
    if (won.status === 'SUCCEEDED') expect(won).toMatchObject({ result: { creditNoteId: 91 }, erpRecords: erp, reason: null });
    else expect(won).toMatchObject({ status: 'FAILED', reason: 'lost the race', result: null, erpRecords: [] });
    expect(await h.store().get(tenant, action.id)).toEqual(won);

    // From a status it is not in: nothing changes. An empty `from` never matches.
    expect(await h.store().transition(tenant, action.id, ['EXECUTING', 'APPROVED'], { status: 'DEAD' })).toBeNull();
    expect(await h.store().transition(tenant, action.id, [], { status: 'DEAD' })).toBeNull();
    expect((await h.store().get(tenant, action.id))?.status).toBe(won.status);

    // Fields absent from a patch stay; null clears; attempts can be set and incremented in one step.
    const pending = (await h.store().create(newAction({ tenant, status: 'PENDING_APPROVAL', expiresAt: '2030-01-01T00:00:00.000Z' }))).action;
    const approved = await h.store().transition(tenant, pending.id, ['PENDING_APPROVAL'], { status: 'APPROVED', approver: 'finance-1', expiresAt: null });
    expect(approved).toMatchObject({ status: 'APPROVED', approver: 'finance-1', expiresAt: null, attempts: 0, input: pending.input });
    const executing = await h.store().transition(tenant, pending.id, ['APPROVED', 'DEAD'], { status: 'EXECUTING', attempts: 4, incrementAttempts: true });
    expect(executing).toMatchObject({ status: 'EXECUTING', approver: 'finance-1', attempts: 5 });
    const cleared = await h.store().transition(tenant, pending.id, ['EXECUTING'], { approver: null, result: { partial: [1, 2] } });
    expect(cleared).toMatchObject({ status: 'EXECUTING', approver: null, result: { partial: [1, 2] }, attempts: 5 });
  });

  it('should list newest first with filters and stable cursor pages (no duplicates, nothing skipped)', async () => {
    const tenant = tenantOf('list');
    const specs: Array<[ActionStatus, string, string, string, string]> = [
      ['PENDING_APPROVAL', 'issueCreditNote', 't1', 'c1', 'agent-1'],
      ['SUCCEEDED', 'requestReturn', 't1', 'c1', 'agent-2'],
      ['FAILED', 'issueCreditNote', 't2', 'c2', 'agent-1'],
      ['PENDING_APPROVAL', 'cancelOrder', 't2', 'c1', 'agent-2'],
      ['SUCCEEDED', 'issueCreditNote', 't3', 'c2', 'agent-1'],
      ['DEAD', 'addOrderNote', 't1', 'c3', 'agent-3'],
      ['EXECUTING', 'issueCreditNote', 't3', 'c3', 'agent-1'],
    ];
    const created: ActionRecord[] = [];
    // Partly in one burst (equal created_at is likely: the id breaks the tie), partly one by one.
    created.push(
      ...(
        await Promise.all(
          specs
            .slice(0, 4)
            .map(([status, k, ticketId, customerId, requester]) => h.store().create(newAction({ tenant, status, kind: k, ticketId, customerId, requester }))),
        )
      ).map((r) => r.action),
    );
    for (const [status, k, ticketId, customerId, requester] of specs.slice(4))
      created.push((await h.store().create(newAction({ tenant, status, kind: k, ticketId, customerId, requester }))).action);

    const all = await h.store().list(tenant, {}, { first: 100 });
    expect(all.totalCount).toBe(7);
    expect(all.hasNextPage).toBe(false);
    expect(new Set(all.items.map((a) => a.id))).toEqual(new Set(created.map((a) => a.id)));
    const order = [...all.items].sort((x, y) => (x.createdAt === y.createdAt ? (x.id < y.id ? 1 : -1) : x.createdAt < y.createdAt ? 1 : -1));
    expect(all.items.map((a) => a.id)).toEqual(order.map((a) => a.id));
    // Newest first: the last created leads (ties within one millisecond are ordered by id).
    const newest = created.reduce((a, b) => (b!.createdAt > a!.createdAt ? b : a));
    expect(all.items[0]?.createdAt).toBe(newest?.createdAt);

    const ids = async (filter: Parameters<Store['list']>[1]): Promise<string[]> =>
      (await h.store().list(tenant, filter, { first: 100 })).items.map((a) => a.id).sort();
    const expected = (pred: (s: (typeof specs)[number]) => boolean): string[] =>
      created
        .filter((_, i) => pred(specs[i] ?? fail('spec')))
        .map((a) => a.id)
        .sort();
    expect(await ids({ status: ['PENDING_APPROVAL'] })).toEqual(expected((s) => s[0] === 'PENDING_APPROVAL'));
    expect(await ids({ status: ['SUCCEEDED', 'FAILED'] })).toEqual(expected((s) => s[0] === 'SUCCEEDED' || s[0] === 'FAILED'));
    expect(await ids({ kind: ['issueCreditNote'] })).toEqual(expected((s) => s[1] === 'issueCreditNote'));
    expect(await ids({ ticketId: 't1' })).toEqual(expected((s) => s[2] === 't1'));
    expect(await ids({ customerId: 'c2' })).toEqual(expected((s) => s[3] === 'c2'));
    expect(await ids({ requester: 'agent-1', kind: ['issueCreditNote'], status: ['SUCCEEDED', 'EXECUTING'] })).toEqual(
      expected((s) => s[4] === 'agent-1' && s[1] === 'issueCreditNote' && (s[0] === 'SUCCEEDED' || s[0] === 'EXECUTING')),
    );
    expect(await ids({ status: [], kind: [] })).toHaveLength(7);
    expect(await ids({ ticketId: 'nope' })).toEqual([]);
    const filtered = await h.store().list(tenant, { kind: ['issueCreditNote'] }, { first: 2 });
    expect([filtered.totalCount, filtered.items.length, filtered.hasNextPage]).toEqual([4, 2, true]);

    // Pages of 3: 3 + 3 + 1, in the order of the whole list, even with an action created between pages.
    const p1 = await h.store().list(tenant, {}, { first: 3 });
    expect([p1.items.length, p1.hasNextPage, p1.totalCount]).toEqual([3, true, 7]);
    const late = (await h.store().create(newAction({ tenant }))).action;
    const p2 = await h.store().list(tenant, {}, { first: 3, after: p1.endCursor ?? fail('cursor') });
    const p3 = await h.store().list(tenant, {}, { first: 3, after: p2.endCursor ?? fail('cursor') });
    expect([p2.items.length, p2.hasNextPage, p3.items.length, p3.hasNextPage, p3.totalCount]).toEqual([3, true, 1, false, 8]);
    expect([...p1.items, ...p2.items, ...p3.items].map((a) => a.id)).toEqual(all.items.map((a) => a.id));
    expect(p3.endCursor).not.toBeNull();
    const beyond = await h.store().list(tenant, {}, { first: 3, after: p3.endCursor ?? fail('cursor') });
    expect([beyond.items, beyond.hasNextPage, beyond.endCursor]).toEqual([[], false, null]);
    expect((await h.store().list(tenant, {}, { first: 1 })).items[0]?.id).toBe(late.id);

    const none = await h.store().list(tenant, {}, { first: 0 });
    expect([none.items, none.hasNextPage, none.totalCount, none.endCursor]).toEqual([[], true, 8, null]);
    await expect(h.store().list(tenant, {}, { first: 3, after: 'garbage' })).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(h.store().list(tenant, {}, { first: 3, after: Buffer.from('["x","y"]').toString('base64url') })).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(h.store().list(tenant, {}, { first: -1 })).rejects.toBeInstanceOf(RangeError);
  });

  it('should list actions due by updatedAt (stuck EXECUTING) and by expiresAt (expired approvals), across tenants', async () => {
    const [t1, t2] = [tenantOf('due-a'), tenantOf('due-b')];
    const stuck1 = (await h.store().create(newAction({ tenant: t1 }))).action;
    const stuck2 = (await h.store().create(newAction({ tenant: t2 }))).action;
    const done = (await h.store().create(newAction({ tenant: t1, status: 'SUCCEEDED' }))).action;
    const expired = (await h.store().create(newAction({ tenant: t1, status: 'PENDING_APPROVAL', expiresAt: new Date(Date.now() - HOUR).toISOString() })))
      .action;
    const fresh = (await h.store().create(newAction({ tenant: t2, status: 'PENDING_APPROVAL', expiresAt: new Date(Date.now() + HOUR).toISOString() }))).action;
    const noExpiry = (await h.store().create(newAction({ tenant: t2, status: 'PENDING_APPROVAL' }))).action;
    const mine = (list: ActionRecord[]): string[] => list.filter((a) => a.tenant === t1 || a.tenant === t2).map((a) => a.id);

    const soon = new Date(Date.now() + 60_000);
    expect(new Set(mine(await h.store().due('EXECUTING', soon, 'updatedAt', 1000)))).toEqual(new Set([stuck1.id, stuck2.id]));
    expect(mine(await h.store().due('EXECUTING', new Date(Date.parse(stuck1.updatedAt) - 60_000), 'updatedAt', 1000))).toEqual([]);
    expect(mine(await h.store().due('SUCCEEDED', soon, 'updatedAt', 1000))).toEqual([done.id]);
    expect(mine(await h.store().due('PENDING_APPROVAL', new Date(), 'expiresAt', 1000))).toEqual([expired.id]);
    expect(new Set(mine(await h.store().due('PENDING_APPROVAL', new Date(Date.now() + 2 * HOUR), 'expiresAt', 1000)))).toEqual(new Set([expired.id, fresh.id]));
    expect(mine(await h.store().due('PENDING_APPROVAL', new Date(Date.now() + 2 * HOUR), 'expiresAt', 1000))).not.toContain(noExpiry.id);
    expect(await h.store().due('EXECUTING', soon, 'updatedAt', 1)).toHaveLength(1);

    // A transition moves an action out of (or later into) what is due.
    await h.store().transition(t1, stuck1.id, ['EXECUTING'], { status: 'SUCCEEDED' });
    expect(mine(await h.store().due('EXECUTING', soon, 'updatedAt', 1000))).toEqual([stuck2.id]);
  });

  it("should keep an audit trail per tenant, newest first, never returning another tenant's entries", async () => {
    const [a, b] = [tenantOf('audit-a'), tenantOf('audit-b')];
    const actionId = randomUUID();
    await h
      .store()
      .audit({ tenant: a, actionId: null, kind: 'cancelOrder', actor: 'agent-1', event: 'denied', outcome: 'FORBIDDEN', detail: { role: 'agent' } });
    await h
      .store()
      .audit({ tenant: a, actionId, kind: 'issueCreditNote', actor: 'agent-1', event: 'requested', outcome: 'PENDING_APPROVAL', detail: { amount: 900 } });
    await h.store().audit({ tenant: b, actionId, kind: 'issueCreditNote', actor: 'intruder', event: 'requested', outcome: 'SUCCEEDED', detail: null });
    await h
      .store()
      .audit({ tenant: a, actionId, kind: 'issueCreditNote', actor: 'finance-1', event: 'approved', outcome: 'SUCCEEDED', detail: { creditNoteId: 91 } });

    const trail = await h.store().auditTrail(a);
    expect(trail.map((e) => e.event)).toEqual(['approved', 'requested', 'denied']);
    expect(trail.every((e) => e.tenant === a)).toBe(true);
    expect(trail[0]).toEqual({
      id: expect.any(Number),
      tenant: a,
      actionId,
      kind: 'issueCreditNote',
      actor: 'finance-1',
      event: 'approved',
      outcome: 'SUCCEEDED',
      detail: { creditNoteId: 91 },
      at: expect.stringMatching(/Z$/),
    });
    expect(trail[2]).toMatchObject({ actionId: null, detail: { role: 'agent' } });
    expect((await h.store().auditTrail(a, { actionId })).map((e) => e.actor)).toEqual(['finance-1', 'agent-1']);
    expect((await h.store().auditTrail(a, { limit: 1 })).map((e) => e.event)).toEqual(['approved']);
    expect((await h.store().auditTrail(b)).map((e) => e.actor)).toEqual(['intruder']);
    expect(await h.store().auditTrail(tenantOf('audit-none'))).toEqual([]);
  });

  it("should never let tenant A get, find, list or transition tenant B's row with the same id", async () => {
    const [a, b] = [tenantOf('iso-a'), tenantOf('iso-b')];
    const mineA = (await h.store().create(newAction({ tenant: a, status: 'PENDING_APPROVAL', idempotencyKey: 'shared-key' }))).action;
    // Tenant B's row with the very same id (the key is (tenant, id)), written around the store.
    await h.raw(
      `INSERT INTO actions (id, tenant, kind, idempotency_key, input_hash, status, requester) VALUES ($1, $2, 'issueCreditNote', 'shared-key', 'sha256:b', 'PENDING_APPROVAL', 'agent-b')`,
      [mineA.id, b],
    );
    expect((await h.store().get(a, mineA.id))?.requester).toBe('agent-1');
    expect((await h.store().get(b, mineA.id))?.requester).toBe('agent-b');
    expect((await h.store().getByKey(b, 'issueCreditNote', 'shared-key'))?.inputHash).toBe('sha256:b');
    expect((await h.store().list(a, {}, { first: 10 })).items.map((x) => x.tenant)).toEqual([a]);

    const rejected = await h.store().transition(b, mineA.id, ['PENDING_APPROVAL'], { status: 'REJECTED', reason: 'b rejects' });
    expect(rejected).toMatchObject({ tenant: b, status: 'REJECTED' });
    expect(await h.store().get(a, mineA.id)).toEqual(mineA);
    expect(await h.store().transition(tenantOf('iso-c'), mineA.id, ['PENDING_APPROVAL'], { status: 'APPROVED' })).toBeNull();
    expect(await h.store().get(tenantOf('iso-c'), mineA.id)).toBeNull();
  });

  it('should purge finished actions older than the cut-off, keep the rest and the audit, and free their keys', async () => {
    const tenant = tenantOf('purge');
    const statuses: ActionStatus[] = ['SUCCEEDED', 'FAILED', 'REJECTED', 'EXPIRED', 'DEAD', 'PENDING_APPROVAL', 'APPROVED', 'EXECUTING'];
    const created = await Promise.all(statuses.map((status) => h.store().create(newAction({ tenant, status, idempotencyKey: `key-${status}` }))));
    await h.store().audit({
      tenant,
      actionId: created[0]?.action.id ?? null,
      kind: 'issueCreditNote',
      actor: 'agent-1',
      event: 'executed',
      outcome: 'SUCCEEDED',
      detail: null,
    });

    expect(await h.store().purge(new Date(Date.now() - HOUR))).toBe(0);
    expect((await h.store().list(tenant, {}, { first: 100 })).totalCount).toBe(8);
    expect(await h.store().purge(new Date(Date.now() + 60_000))).toBeGreaterThanOrEqual(4);
    const left = await h.store().list(tenant, {}, { first: 100 });
    expect(left.items.map((a) => a.status).sort()).toEqual(['APPROVED', 'DEAD', 'EXECUTING', 'PENDING_APPROVAL']);
    expect(await h.store().auditTrail(tenant)).toHaveLength(1);
    expect((await h.store().create(newAction({ tenant, idempotencyKey: 'key-SUCCEEDED' }))).created).toBe(true);
    expect((await h.store().create(newAction({ tenant, idempotencyKey: 'key-DEAD' }))).created).toBe(false);
  });

  it('should migrate idempotently, and two stores migrating one fresh database at once should not collide', async () => {
    const versions = (await loadMigrations()).map((m) => m.version);
    expect(versions[0]).toBe(1);
    expect(await h.store().migrate()).toEqual({ applied: [], current: versions[versions.length - 1] });
    expect(await Promise.all([h.store().migrate(), h.store().migrate()])).toEqual([
      { applied: [], current: versions[versions.length - 1] },
      { applied: [], current: versions[versions.length - 1] },
    ]);
    expect((await h.raw('SELECT version FROM schema_migrations ORDER BY version')).map((r) => Number(r['version']))).toEqual(versions);
    expect(await h.migrationRace()).toEqual(versions);
  });
});

describe('createActionStore', () => {
  it('should choose Postgres for a URL, in the given schema', async () => {
    const schema = `actions_test_${suffix()}`;
    const store = await createActionStore({ databaseUrl: DATABASE_URL, schema });
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    try {
      expect(store.kind).toBe('postgres');
      const { action } = await store.create(newAction({ tenant: 'factory' }));
      expect((await admin.query(`SELECT tenant FROM ${schema}.actions WHERE id = $1`, [action.id])).rows).toEqual([{ tenant: 'factory' }]);
    } finally {
      await store.close();
      await store.close();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  });

  it('should refuse a schema name that is not a plain identifier', async () => {
    await expect(createActionStore({ databaseUrl: DATABASE_URL, schema: 'x"; DROP TABLE actions; --' })).rejects.toBeInstanceOf(TypeError);
    await expect(createActionStore({ schema: 'Public' })).rejects.toBeInstanceOf(TypeError);
  });

  it('should keep a PGlite data directory across restarts, in its schema, without migrating twice', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'actions-pglite-'));
    try {
      // createActionStore({ pgliteDir }) is createPgliteActionStore({ dataDir }); under jest the PGlite comes from nativePglite (see ./pglite).
      const db1 = await nativePglite({ dataDir: dir });
      const first = await createPgliteActionStore({ db: db1, schema: 'log' });
      const saved = (await first.create(newAction({ tenant: 'factory' }))).action;
      await first.close();
      expect((await db1.query('SELECT count(*)::int AS n FROM log.actions')).rows).toEqual([{ n: 1 }]);
      await db1.close();

      const db2 = await nativePglite({ dataDir: dir });
      const reopened = await createPgliteActionStore({ db: db2, schema: 'log' });
      try {
        expect(await reopened.get('factory', saved.id)).toEqual(saved);
        expect((await reopened.create(newAction({ tenant: 'factory', idempotencyKey: saved.idempotencyKey }))).created).toBe(false);
        expect(await reopened.migrate()).toEqual({ applied: [], current: 1 });
      } finally {
        await reopened.close();
        await db2.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
