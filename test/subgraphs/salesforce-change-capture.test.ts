/**
 * Salesforce change capture against the Salesforce emulator (port 0): records changed through the
 * emulator's REST API become `SalesforceAccount` events, on the in-process capture and on the shared
 * test Redis (127.0.0.1:6379, under a key prefix of its own per test). Passes are run by hand
 * (`runPass`), except where the subgraph's own timer is under test; nothing here measures time.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import pino from 'pino';
import { createMemoryEntityCache, entityKey, type EntityCache } from '../../cache';
import { createMemoryChangeCapture, createRedisChangeCapture } from '../../cache/capture';
import type { ChangeCapture, ChangeEvent, EventBus } from '../../cache/events';
import { sandboxCredentials, mintSandboxSecrets, type SandboxCredentials } from '../../sandbox/credentials';
import type { RunningEmulator } from '../../sandbox/kit/emulator';
import { seedOrg, startSalesforceEmulator } from '../../sandbox/salesforce';
import { buildWorld, customerOf } from '../../sandbox/world';
import { resolveSecret } from '../../platform/secrets';
import { decodeCursor } from '../../subgraphs/salesforce/capture-cursor';
import {
  createSalesforcePoller,
  cursorStateKey,
  pollerLeaseName,
  type PassOutcome,
  type SalesforcePoller,
  type SalesforcePollerOptions,
} from '../../subgraphs/salesforce/change-capture';
import { createSalesforceClient, type SalesforceClient, type SoqlRecord } from '../../subgraphs/salesforce/client';
import { createSalesforceLoaders } from '../../subgraphs/salesforce/loaders';
import { startSalesforceSubgraph } from '../../subgraphs/salesforce/server';
import { INTERNAL_IDENTITY_HEADER, internalAudience, internalKey, signInternalToken } from '../../tenancy/identity';
import { loadRegistry, withUpstreamUrls, type TenantConfig, type TenantRegistry } from '../../tenancy/registry';
import { capturingLogger } from '../cache/helpers';
import { postGraphQL } from '../support/http';

const REDIS_URL = 'redis://127.0.0.1:6379';
const NOWHERE = 'http://127.0.0.1:9';
const silent = pino({ level: 'silent' });
const ACCOUNT_FIELDS = ['name', 'type', 'industry', 'website', 'phone', 'owner'];

const acmeWorld = buildWorld('acme');
const acmeOrg = seedOrg(acmeWorld);
/** The seeded account linked to an ERP customer by external id (the emulator seeds the same org). */
const linkedAccount = (odooId: number): { id: string; name: string; ext: string } => {
  const a = acmeOrg.all('Account').find((r) => r.fields.Odoo_Partner_Id__c === String(odooId))!;
  return { id: String(a.fields.Id), name: String(a.fields.Name), ext: String(odooId) };
};
const small = linkedAccount(acmeWorld.anchors.smallCustomer);
const big = linkedAccount(acmeWorld.anchors.bigCustomer);
const contactOf = (accountId: string): string => String(acmeOrg.all('Contact').find((c) => c.fields.AccountId === accountId)!.fields.Id);
const opportunityOf = (accountId: string): string => String(acmeOrg.all('Opportunity').find((o) => o.fields.AccountId === accountId)!.fields.Id);

let emulator: RunningEmulator;
let registry: TenantRegistry;
let env: Record<string, string>;
let creds: SandboxCredentials;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  const base = loadRegistry(resolve(__dirname, '../../tenancy/sandbox.tenants.json'));
  env = mintSandboxSecrets(base);
  creds = sandboxCredentials(base, { env });
  emulator = await startSalesforceEmulator({ port: 0, tenants: creds.salesforce });
  registry = withUpstreamUrls(base, { odoo: NOWHERE, salesforce: emulator.url, zendesk: NOWHERE });
});
afterAll(async () => {
  await emulator?.close();
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});

const tenantOf = (id: string): TenantConfig => registry.tenants.find((t) => t.id === id)!;

function clientOf(tenant: string, over: { loginUrl?: string; clientSecret?: string } = {}): SalesforceClient {
  const sf = tenantOf(tenant).upstreams.salesforce;
  return createSalesforceClient({
    loginUrl: over.loginUrl ?? sf.loginUrl,
    clientId: resolveSecret(sf.clientId, { env }),
    clientSecret: over.clientSecret ?? resolveSecret(sf.clientSecret, { env }),
    apiVersion: sf.apiVersion,
    timeoutMs: 5_000,
  });
}

/** A client that also remembers what each query answered. */
function recording(client: SalesforceClient): SalesforceClient & { answers: Array<{ soql: string; records: SoqlRecord[] }> } {
  const answers: Array<{ soql: string; records: SoqlRecord[] }> = [];
  return {
    answers,
    async query(soql, signal) {
      const records = await client.query(soql, signal);
      answers.push({ soql, records });
      return records;
    },
    queryMore: (url, signal) => client.queryMore(url, signal),
    apiUsage: () => client.apiUsage?.(),
  };
}

/** Writes through the emulator's REST API with a token of its own (as a CRM user would). */
async function sfWrite(method: 'PATCH' | 'POST', path: string, body: unknown, tenant = 'acme', base = emulator.url): Promise<Record<string, unknown>> {
  const c = creds.salesforce.find((t) => t.tenant === tenant)!;
  const token = await fetch(`${base}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.clientSecret }).toString(),
  }).then(async (r) => ((await r.json()) as { access_token: string }).access_token);
  const res = await fetch(`${base}/services/data/v62.0/${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** SOQL calls served for a tenant since the last stats reset. */
const soqlCalls = (tenant = 'acme', on: RunningEmulator = emulator): number =>
  Object.entries(on.stats.snapshot().requests[tenant] ?? {})
    .filter(([op]) => op.startsWith('SOQL'))
    .reduce((n, [, count]) => n + count, 0);

async function waitFor(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

type Variant = 'memory' | 'redis';
interface TestCapture extends ChangeCapture {
  /** Redis only: the client (with this test's key prefix). */
  readonly redis?: Redis;
}

/** A capture of its own: in-process, or on the shared Redis under `prefix` (two captures with one prefix are two replicas). */
function newCapture(variant: Variant, prefix: string): TestCapture {
  if (variant === 'memory') return createMemoryChangeCapture({ logger: silent });
  const client = new Redis(REDIS_URL, { keyPrefix: prefix, maxRetriesPerRequest: 1 });
  client.on('error', () => undefined);
  const capture = createRedisChangeCapture({ client, logger: silent });
  return {
    bus: capture.bus,
    leases: capture.leases,
    state: capture.state,
    redis: client,
    async close() {
      await capture.close();
      await client.quit();
    },
  };
}

/** Every event of `tenant` on a bus from now on; `settle()` returns once everything published before it was delivered. */
async function collect(bus: EventBus, tenant = 'acme'): Promise<{ events: ChangeEvent[]; settle(): Promise<ChangeEvent[]>; dispose(): void }> {
  const events: ChangeEvent[] = [];
  const sentinels = new Set<string>();
  const sub = bus.subscribe([tenant], (e) => (e.type === 'TestSentinel' ? sentinels.add(e.id) : events.push(e)));
  await (sub as { ready?: Promise<void> }).ready;
  return {
    events,
    async settle() {
      const id = randomUUID();
      await bus.publish({
        tenant,
        type: 'TestSentinel',
        id,
        kind: 'updated',
        changedFields: [],
        source: 'salesforce',
        at: new Date().toISOString(),
        capturedAt: 0,
      });
      await waitFor('the sentinel event', () => sentinels.has(id));
      return [...events];
    },
    dispose: () => sub.dispose(),
  };
}

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
  emulator.faults.clear();
  emulator.stats.reset();
  // Fresh seeded records (old SystemModstamps): one test's changes are not the next one's.
  await fetch(`${emulator.url}/__sandbox/reset?data=1`, { method: 'POST' });
});

function poller(opts: Partial<SalesforcePollerOptions> & { capture: ChangeCapture }): SalesforcePoller {
  const p = createSalesforcePoller({ tenant: tenantOf('acme'), client: clientOf('acme'), log: silent, ...opts });
  cleanup.push(() => p.stop());
  return p;
}

const polled = (events: number): PassOutcome => ({ status: 'polled', events });

describe.each<Variant>(['memory', 'redis'])('Salesforce change capture (%s)', (variant) => {
  let capture: TestCapture;
  const fresh = (): TestCapture => {
    const c = newCapture(variant, `t-sfcc-${randomBytes(4).toString('hex')}:`);
    cleanup.push(() => c.close());
    return c;
  };

  it('should publish an account updated through the REST API once, with the fields that changed and its customer id', async () => {
    capture = fresh();
    const bus = await collect(capture.bus);
    cleanup.push(async () => bus.dispose());
    const client = recording(clientOf('acme'));
    const p = poller({ capture, client });
    // First start: the cursor begins now, nothing before is replayed.
    expect(await p.runPass()).toEqual(polled(0));

    await sfWrite('PATCH', `sobjects/Account/${small.id}`, { Phone: '+44 20 7946 0000', Industry: 'Retail' });
    expect(await p.runPass()).toEqual(polled(1));
    const [first] = await bus.settle();
    expect(first).toEqual({
      tenant: 'acme',
      type: 'SalesforceAccount',
      id: small.id,
      kind: 'updated',
      // Nothing was known of the account before: every field it feeds.
      changedFields: ACCOUNT_FIELDS,
      source: 'salesforce',
      at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/) as unknown as string,
      capturedAt: expect.any(Number) as unknown as number,
      customer: { id: small.ext },
    });

    // The next pass reads the account again (overlap) and publishes nothing.
    client.answers.length = 0;
    expect(await p.runPass()).toEqual(polled(0));
    const accountQuery = client.answers.find((a) => a.soql.includes('FROM Account'))!;
    expect(accountQuery.soql).toMatch(
      /^SELECT Id, CreatedDate, SystemModstamp, Name, .* FROM Account WHERE SystemModstamp >= \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z ORDER BY SystemModstamp ASC, Id ASC LIMIT 200$/,
    );
    expect(accountQuery.records.map((r) => r.Id)).toContain(small.id);

    // A second change: now the previous state is known, only what changed is named.
    await sfWrite('PATCH', `sobjects/Account/${small.id}`, { Website: 'https://northwind.example' });
    expect(await p.runPass()).toEqual(polled(1));
    expect(await p.runPass()).toEqual(polled(0));
    const events = await bus.settle();
    expect(events).toHaveLength(2);
    expect(events[1]).toMatchObject({ id: small.id, kind: 'updated', changedFields: ['website'], customer: { id: small.ext } });
  });

  it("should publish a contact's or an opportunity's change as its account's, and a new account as created", async () => {
    capture = fresh();
    const bus = await collect(capture.bus);
    cleanup.push(async () => bus.dispose());
    const p = poller({ capture });
    expect(await p.runPass()).toEqual(polled(0));

    await sfWrite('PATCH', `sobjects/Contact/${contactOf(small.id)}`, { Title: 'Chief Buyer' });
    expect(await p.runPass()).toEqual(polled(1));
    await sfWrite('PATCH', `sobjects/Opportunity/${opportunityOf(big.id)}`, { StageName: 'Closed Lost' });
    await sfWrite('POST', 'sobjects/Contact', { AccountId: big.id, LastName: 'Newcomer' });
    expect(await p.runPass()).toEqual(polled(1));
    const created = await sfWrite('POST', 'sobjects/Account', { Name: 'Express Logistics and Transport' });
    expect(await p.runPass()).toEqual(polled(1));
    expect(await p.runPass()).toEqual(polled(0));

    const events = await bus.settle();
    expect(events.map(({ id, kind, changedFields, customer }) => ({ id, kind, changedFields, customer }))).toEqual([
      { id: small.id, kind: 'updated', changedFields: ['contacts'], customer: { id: small.ext } },
      // Two records of one account in one pass: one event.
      { id: big.id, kind: 'updated', changedFields: ['contacts', 'opportunities'], customer: { id: big.ext } },
      { id: created.id, kind: 'created', changedFields: ACCOUNT_FIELDS, customer: undefined },
    ]);
  });

  it('should publish a contact moved to another account for both accounts', async () => {
    capture = fresh();
    const bus = await collect(capture.bus);
    cleanup.push(async () => bus.dispose());
    const p = poller({ capture });
    expect(await p.runPass()).toEqual(polled(0));
    const contact = contactOf(small.id);
    await sfWrite('PATCH', `sobjects/Contact/${contact}`, { Title: 'Buyer' });
    expect(await p.runPass()).toEqual(polled(1));
    await sfWrite('PATCH', `sobjects/Contact/${contact}`, { AccountId: big.id });
    expect(await p.runPass()).toEqual(polled(2));
    const events = await bus.settle();
    expect(events.slice(1).map((e) => [e.id, e.changedFields])).toEqual(
      expect.arrayContaining([
        [small.id, ['contacts']],
        [big.id, ['contacts']],
      ]),
    );
  });

  it('should keep its cursor across a restart', async () => {
    capture = fresh();
    const bus = await collect(capture.bus);
    cleanup.push(async () => bus.dispose());
    const first = poller({ capture });
    expect(await first.runPass()).toEqual(polled(0));
    const started = decodeCursor(await capture.state.get(cursorStateKey('acme', 'Account')));
    expect(started).toMatchObject({ id: '', behind: false });
    await first.stop();

    // Changed while no poller runs. The next one (its clock an hour ahead: were it to start from its
    // own "now", it would miss the change) reads on from the stored cursor.
    await sfWrite('PATCH', `sobjects/Account/${small.id}`, { Phone: '+44 20 0000 0000' });
    const second = poller({ capture, clock: () => Date.now() + 3_600_000 });
    expect(await second.runPass()).toEqual(polled(1));
    expect((await bus.settle()).map((e) => e.id)).toEqual([small.id]);
    expect(decodeCursor(await capture.state.get(cursorStateKey('acme', 'Account')))).toMatchObject({ id: small.id, floor: started!.floor });
  });

  it('should replay nothing on a first start', async () => {
    capture = fresh();
    const bus = await collect(capture.bus);
    cleanup.push(async () => bus.dispose());
    // Changed before capture ever started (here: the poller's clock is ahead of the change).
    await sfWrite('PATCH', `sobjects/Account/${big.id}`, { Phone: '+49 89 000 000' });
    const p = poller({ capture, clock: () => Date.now() + 10_000 });
    expect(await p.runPass()).toEqual(polled(0));
    expect(await p.runPass()).toEqual(polled(0));
    expect(await bus.settle()).toEqual([]);
  });

  it('should keep the cursor on failures (down, refused token, REQUEST_LIMIT_EXCEEDED), log them rate-limited, never reject', async () => {
    capture = fresh();
    const bus = await collect(capture.bus);
    cleanup.push(async () => bus.dispose());
    const { logger, lines } = capturingLogger();
    const p = poller({ capture, log: logger });
    expect(await p.runPass()).toEqual(polled(0));
    const cursorBefore = await capture.state.get(cursorStateKey('acme', 'Account'));
    await sfWrite('PATCH', `sobjects/Account/${small.id}`, { Phone: '+44 20 1111 1111' });

    emulator.faults.add([{ tenant: 'acme', op: 'SOQL Account', fault: 'down' }]);
    expect(await p.runPass()).toEqual({ status: 'failed', code: 'UPSTREAM_UNAVAILABLE' });
    expect(await p.runPass()).toEqual({ status: 'failed', code: 'UPSTREAM_UNAVAILABLE' });
    emulator.faults.clear();
    emulator.faults.add([{ tenant: 'acme', op: 'SOQL Contact', fault: 'rate_limit' }]);
    expect(await p.runPass()).toEqual({ status: 'failed', code: 'UPSTREAM_RATE_LIMITED' });
    emulator.faults.clear();
    expect(await capture.state.get(cursorStateKey('acme', 'Account'))).toBe(cursorBefore);

    // A client whose token is refused, and one whose Salesforce is not there.
    const refused = poller({ capture: fresh(), client: clientOf('acme', { clientSecret: 'wrong' }), log: logger });
    expect(await refused.runPass()).toEqual({ status: 'failed', code: 'UPSTREAM_REJECTED' });
    const down = poller({ capture: fresh(), client: clientOf('acme', { loginUrl: NOWHERE }), log: logger });
    expect(await down.runPass()).toEqual({ status: 'failed', code: 'UPSTREAM_UNAVAILABLE' });

    // Back: the change is published, once.
    expect(await p.runPass()).toEqual(polled(1));
    expect((await bus.settle()).map((e) => e.id)).toEqual([small.id]);
    const warnings = lines.filter((l) => l['msg'] === 'salesforce change capture: pass failed (UPSTREAM_UNAVAILABLE)');
    // Two failing passes of one poller, one line; the other poller's own line.
    expect(warnings).toHaveLength(2);
    expect(lines.some((l) => l['msg'] === 'salesforce change capture: passes succeed again')).toBe(true);
    expect(JSON.stringify(lines)).not.toContain('wrong');
  });

  it('should invalidate the changed account in the entity cache before its event is handed out', async () => {
    capture = fresh();
    // Entries read before a change count as its previous state when stored well before it: this
    // cache's clock runs 10 s behind, so what `fill()` stores is "before" the changes that follow.
    const cache = createMemoryEntityCache({ clock: () => Date.now() - 10_000 });
    cleanup.push(() => cache.close());
    const keys = (a: { id: string; name: string; ext: string }): string[] => [
      entityKey('acme', 'Account', a.id),
      entityKey('acme', 'AccountByExternalId', a.ext),
      entityKey('acme', 'AccountsByName', a.name),
    ];
    const fill = async (): Promise<void> => {
      const loaders = createSalesforceLoaders({
        client: clientOf('acme'),
        tenant: tenantOf('acme'),
        signal: undefined,
        economy: 'batched',
        cache,
        onStale: () => undefined,
      });
      for (const a of [small, big])
        await Promise.all([loaders.accountById.load(a.id), loaders.accountByExternalId.load(a.ext), loaders.accountsByName.load(a.name)]);
      expect((await cache.getMany([...keys(small), ...keys(big)])).every((e) => e !== undefined)).toBe(true);
    };
    /** What the cache held of the event's account when each event reached the bus. */
    const seenAtPublish: Array<{ id: string; cached: boolean[]; other: boolean[] }> = [];
    const checking: ChangeCapture = {
      ...capture,
      bus: {
        ...capture.bus,
        async publish(event) {
          const mine = event.id === small.id ? small : big;
          const other = mine === small ? big : small;
          seenAtPublish.push({
            id: event.id,
            cached: (await cache.getMany(keys(mine))).map((e) => e !== undefined),
            other: (await cache.getMany(keys(other))).map((e) => e !== undefined),
          });
          await capture.bus.publish(event);
        },
        subscribe: (tenants, handler) => capture.bus.subscribe(tenants, handler),
        close: () => capture.bus.close(),
      },
    };
    const bus = await collect(capture.bus);
    cleanup.push(async () => bus.dispose());
    const p = poller({ capture: checking, cache });
    expect(await p.runPass()).toEqual(polled(0));

    // The account as cached is its previous state: only the phone changed.
    await fill();
    await sfWrite('PATCH', `sobjects/Account/${small.id}`, { Phone: '+44 20 2222 2222' });
    expect(await p.runPass()).toEqual(polled(1));
    // Its old state known, exactly its own entries go; the other account's stay.
    expect(seenAtPublish).toEqual([{ id: small.id, cached: [false, false, false], other: [true, true, true] }]);
    expect((await bus.settle())[0]).toMatchObject({ id: small.id, changedFields: ['phone'] });

    // A contact of the other account: that account's entries go (its contacts are cached in them).
    await fill();
    await sfWrite('PATCH', `sobjects/Contact/${contactOf(big.id)}`, { Email: 'new@contoso.example' });
    expect(await p.runPass()).toEqual(polled(1));
    expect(seenAtPublish[1]).toEqual({ id: big.id, cached: [false, false, false], other: [true, true, true] });
  });

  it('should not take an entry cached after a change for its previous state (that would hide the change)', async () => {
    capture = fresh();
    const cache = createMemoryEntityCache({});
    cleanup.push(() => cache.close());
    const bus = await collect(capture.bus);
    cleanup.push(async () => bus.dispose());
    const p = poller({ capture, cache });
    expect(await p.runPass()).toEqual(polled(0));
    await sfWrite('PATCH', `sobjects/Account/${small.id}`, { Phone: '+44 20 5555 5555' });
    // Someone reads the account after the change, before the pass: the cache holds the new state.
    const loaders = createSalesforceLoaders({
      client: clientOf('acme'),
      tenant: tenantOf('acme'),
      signal: undefined,
      economy: 'batched',
      cache,
      onStale: () => undefined,
    });
    expect((await loaders.accountById.load(small.id))?.phone).toBe('+44 20 5555 5555');
    expect(await p.runPass()).toEqual(polled(1));
    expect((await bus.settle())[0]).toMatchObject({ id: small.id, changedFields: ACCOUNT_FIELDS });
  });
});

describe('Salesforce change capture across replicas (Redis)', () => {
  it('should let only the lease holder poll, and the other take over when it stops', async () => {
    const prefix = `t-sfcc-${randomBytes(4).toString('hex')}:`;
    const one = newCapture('redis', prefix);
    const two = newCapture('redis', prefix);
    cleanup.push(
      () => one.close(),
      () => two.close(),
    );
    const bus = await collect(one.bus);
    cleanup.push(async () => bus.dispose());
    const holder = poller({ capture: one, holder: 'replica-1' });
    const standby = poller({ capture: two, holder: 'replica-2' });

    expect(await holder.runPass()).toEqual(polled(0));
    const ttl = await one.redis!.pttl(`lease:${pollerLeaseName('acme')}`);
    expect(ttl).toBeGreaterThan(4_000);
    emulator.stats.reset();
    for (let i = 0; i < 3; i++) {
      expect(await standby.runPass()).toEqual({ status: 'standby' });
      expect(await holder.runPass()).toEqual(polled(0));
    }
    // Three objects a pass, three passes: all from the holder.
    expect(soqlCalls()).toBe(9);

    await sfWrite('PATCH', `sobjects/Account/${small.id}`, { Phone: '+44 20 3333 3333' });
    await holder.stop();
    expect(await standby.runPass()).toEqual(polled(1));
    expect(await standby.runPass()).toEqual(polled(0));
    expect(await holder.runPass()).toEqual({ status: 'stopped' });
    const events = await bus.settle();
    expect(events.map((e) => [e.id, e.source])).toEqual([[small.id, 'salesforce']]);
  });
});

describe('Salesforce change capture of a backlog', () => {
  it('should read a backlog larger than one pass over the next passes, publishing each change once', async () => {
    const capture = newCapture('memory', '');
    cleanup.push(() => capture.close());
    const bus = await collect(capture.bus);
    cleanup.push(async () => bus.dispose());
    const client = recording(clientOf('acme'));
    // Two rows a page, two pages past the cursor a pass.
    const p = poller({ capture, client, pageSize: 2, maxPagesPerPass: 2 });
    expect(await p.runPass()).toEqual(polled(0));
    const changed = acmeOrg
      .all('Account')
      .slice(0, 7)
      .map((a) => String(a.fields.Id));
    for (const id of changed) await sfWrite('PATCH', `sobjects/Account/${id}`, { Website: `https://${id}.example` });

    expect(await p.runPass()).toEqual(polled(4));
    // Behind: the next pass reads on from the cursor (keyset), not from the overlap.
    client.answers.length = 0;
    expect(await p.runPass()).toEqual(polled(3));
    expect(client.answers.find((a) => a.soql.includes('FROM Account'))!.soql).toMatch(
      /WHERE SystemModstamp >= \S+ AND \(SystemModstamp > \S+ OR Id > '001\w+'\) ORDER BY/,
    );
    // Caught up: the whole overlap is read again (four pages of it), nothing is published twice.
    client.answers.length = 0;
    expect(await p.runPass()).toEqual(polled(0));
    expect(client.answers.filter((a) => a.soql.includes('FROM Account'))).toHaveLength(4);
    const events = await bus.settle();
    expect(events.map((e) => e.id).sort()).toEqual([...changed].sort());
  });
});

describe('Salesforce change capture and the daily API limit', () => {
  it('should skip passes while the org is above 90 % of its daily limit, and say so once', async () => {
    const limited = await startSalesforceEmulator({ port: 0, tenants: creds.salesforce, dailyApiLimit: 20 });
    cleanup.push(() => limited.close());
    const capture = newCapture('memory', '');
    cleanup.push(() => capture.close());
    const { logger, lines } = capturingLogger();
    const p = poller({ capture, client: clientOf('acme', { loginUrl: limited.url }), log: logger });
    const outcomes: string[] = [];
    for (let i = 0; i < 10; i++) outcomes.push((await p.runPass()).status);
    // 3 calls a pass: 18 of 20 used after six passes, then nothing more is asked.
    expect(outcomes).toEqual([...Array<string>(6).fill('polled'), ...Array<string>(4).fill('throttled')]);
    expect(soqlCalls('acme', limited)).toBe(18);
    expect(lines.filter((l) => String(l['msg']).includes('API usage ceiling'))).toHaveLength(1);
  });
});

describe('the Salesforce subgraph with change capture', () => {
  it('should start a poller per tenant, invalidate before publishing, and release its leases on stop', async () => {
    const capture = createMemoryChangeCapture({ logger: silent });
    // 10 s behind: the read below is well "before" the change (see the invalidation test).
    const cache: EntityCache = createMemoryEntityCache({ clock: () => Date.now() - 10_000 });
    cleanup.push(
      () => cache.close(),
      () => capture.close(),
    );
    const identityKey = internalKey(randomBytes(32).toString('hex'));
    const accountKey = entityKey('acme', 'AccountByExternalId', small.ext);
    const cachedAtPublish: boolean[] = [];
    const checking: ChangeCapture = {
      ...capture,
      bus: {
        async publish(event) {
          if (event.id === small.id) cachedAtPublish.push((await cache.getMany([accountKey]))[0] !== undefined);
          await capture.bus.publish(event);
        },
        subscribe: (tenants, handler) => capture.bus.subscribe(tenants, handler),
        close: () => capture.bus.close(),
      },
    };
    const subgraph = await startSalesforceSubgraph({
      port: 0,
      registry,
      secrets: { env },
      identityKey,
      log: silent,
      cache,
      capture: checking,
      captureIntervalMs: 50,
    });
    let stopped = false;
    cleanup.push(async () => {
      if (!stopped) await subgraph.stop();
    });
    expect([...(subgraph.capture?.pollers.keys() ?? [])]).toEqual(registry.tenants.filter((t) => t.enabled).map((t) => t.id));
    const bus = await collect(capture.bus);
    cleanup.push(async () => bus.dispose());
    // Every tenant's poller has started (its cursors exist) before anything changes.
    for (const tenant of ['acme', 'globex'])
      for (const object of ['Account', 'Contact', 'Opportunity'])
        await waitFor(`${tenant} ${object} cursor`, async () => (await capture.state.get(cursorStateKey(tenant, object))) !== undefined);

    const token = await signInternalToken({ tenant: 'acme', subject: 'agent', roles: ['agent'], scopes: [] }, identityKey, internalAudience('salesforce'));
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { salesforceAccount { id phone } } } }`;
    const customer = customerOf(acmeWorld, acmeWorld.anchors.smallCustomer);
    const read = await postGraphQL(
      subgraph.url,
      query,
      { r: [{ __typename: 'Customer', id: small.ext, matchName: customer.name }] },
      { [INTERNAL_IDENTITY_HEADER]: token },
    );
    expect(read.errors).toBeUndefined();
    expect((await cache.getMany([accountKey]))[0]).toBeDefined();

    await sfWrite('PATCH', `sobjects/Account/${small.id}`, { Phone: '+44 20 4444 4444' });
    await waitFor('the account event', () => bus.events.some((e) => e.id === small.id));
    const event = bus.events.find((e) => e.id === small.id)!;
    expect(event).toMatchObject({ tenant: 'acme', type: 'SalesforceAccount', changedFields: ['phone'], customer: { id: small.ext } });
    expect(cachedAtPublish).toEqual([false]);
    const again = await postGraphQL<{ _entities: Array<{ salesforceAccount: { phone: string } }> }>(
      subgraph.url,
      query,
      { r: [{ __typename: 'Customer', id: small.ext, matchName: customer.name }] },
      { [INTERNAL_IDENTITY_HEADER]: token },
    );
    expect(again.data?._entities[0]?.salesforceAccount.phone).toBe('+44 20 4444 4444');

    await subgraph.stop();
    stopped = true;
    for (const tenant of ['acme', 'globex']) expect(await capture.leases.acquire(pollerLeaseName(tenant), 'someone-else', 5_000)).toBe(true);
  });
});
