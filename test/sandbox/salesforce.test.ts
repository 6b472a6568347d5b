/**
 * The Salesforce emulator on the wire: the token endpoint, headers, pagination, retrieve, seeded
 * data against the world, tenant isolation, stats, the daily API limit and fault injection.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { SalesforceTenantCredentials } from '../../sandbox/credentials';
import type { RunningEmulator } from '../../sandbox/kit/emulator';
import { startSalesforceEmulator } from '../../sandbox/salesforce';
import { buildWorld } from '../../sandbox/world';

const creds = (tenant: string): SalesforceTenantCredentials => ({
  tenant,
  clientId: `3MVG9${randomBytes(12).toString('hex')}`,
  clientSecret: randomBytes(20).toString('hex'),
});
const acme = creds('acme');
const globex = creds('globex');
const acmeWorld = buildWorld('acme');
const globexWorld = buildWorld('globex');

interface Wire {
  status: number;
  headers: Headers;
  body: unknown;
}

interface QueryBody {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Array<Record<string, unknown>>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function asQuery(body: unknown): QueryBody {
  if (!isRecord(body) || typeof body.totalSize !== 'number' || !Array.isArray(body.records)) throw new Error(`not a query result: ${JSON.stringify(body)}`);
  return body as unknown as QueryBody;
}

async function call(
  base: string,
  path: string,
  init: { token?: string; method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<Wire> {
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...(init.headers ?? {}) },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body };
}

const tokenRequest = (base: string, params: Record<string, string>): Promise<Wire> =>
  call(base, '/services/oauth2/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });

async function login(base: string, c: SalesforceTenantCredentials): Promise<string> {
  const { body } = await tokenRequest(base, { grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.clientSecret });
  if (!isRecord(body) || typeof body.access_token !== 'string') throw new Error(`login failed: ${JSON.stringify(body)}`);
  return body.access_token;
}

const soql = (base: string, token: string, q: string, headers: Record<string, string> = {}, version = '50.0'): Promise<Wire> =>
  call(base, `/services/data/v${version}/query?q=${encodeURIComponent(q)}`, { token, headers });

let emulator: RunningEmulator;
let acmeToken: string;
let globexToken: string;

beforeAll(async () => {
  emulator = await startSalesforceEmulator({ port: 0, tenants: [acme, globex] });
  acmeToken = await login(emulator.url, acme);
  globexToken = await login(emulator.url, globex);
});
afterAll(async () => {
  await emulator?.close();
});

describe('token endpoint', () => {
  it('should answer client_credentials with an opaque org token, instance_url and id', async () => {
    const { status, headers, body } = await tokenRequest(emulator.url, {
      grant_type: 'client_credentials',
      client_id: acme.clientId,
      client_secret: acme.clientSecret,
    });
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('application/json;charset=UTF-8');
    expect(headers.get('sforce-limit-info')).toBeNull();
    expect(body).toMatchObject({ token_type: 'Bearer', instance_url: emulator.url });
    const b = body as Record<string, string>;
    expect(b.access_token).toMatch(/^00D[A-Za-z0-9]{12}!\S+$/);
    expect(b.id).toMatch(new RegExp(`^${emulator.url}/id/00D[A-Za-z0-9]{15}/005[A-Za-z0-9]{15}$`));
    expect(b.access_token!.slice(0, 15)).toBe(b.id!.split('/').at(-2)!.slice(0, 15));
    expect(b.issued_at).toMatch(/^\d{13}$/);
    expect(b.signature).toBe(
      createHmac('sha256', acme.clientSecret)
        .update(b.id! + b.issued_at!)
        .digest('base64'),
    );
    expect(b.refresh_token).toBeUndefined();
  });

  it('should refuse a bad secret or an unknown client with invalid_client', async () => {
    for (const params of [
      { grant_type: 'client_credentials', client_id: acme.clientId, client_secret: globex.clientSecret },
      { grant_type: 'client_credentials', client_id: 'nobody', client_secret: acme.clientSecret },
    ]) {
      const { status, body } = await tokenRequest(emulator.url, params);
      expect(status).toBe(400);
      expect(body).toEqual({ error: 'invalid_client', error_description: 'invalid client credentials' });
    }
  });

  it('should refuse other grant types with unsupported_grant_type', async () => {
    const { status, body } = await tokenRequest(emulator.url, {
      grant_type: 'password',
      client_id: acme.clientId,
      client_secret: acme.clientSecret,
      username: 'u',
      password: 'p',
    });
    expect(status).toBe(400);
    expect(body).toEqual({ error: 'unsupported_grant_type', error_description: 'grant type not supported' });
  });
});

describe('REST basics', () => {
  it('should answer INVALID_SESSION_ID (401) without a token or with an unknown one', async () => {
    for (const token of [undefined, '00D000000000000!forged']) {
      const { status, headers, body } = await call(
        emulator.url,
        `/services/data/v50.0/query?q=${encodeURIComponent('SELECT Id FROM Account')}`,
        token ? { token } : {},
      );
      expect(status).toBe(401);
      expect(headers.get('content-type')).toBe('application/json;charset=UTF-8');
      expect(body).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    }
  });

  it('should carry Content-Type and Sforce-Limit-Info on answers and errors alike', async () => {
    const ok = await soql(emulator.url, acmeToken, 'SELECT Id FROM User LIMIT 1');
    const bad = await soql(emulator.url, acmeToken, 'SELECT FROM User');
    for (const { headers } of [ok, bad]) {
      expect(headers.get('content-type')).toBe('application/json;charset=UTF-8');
      expect(headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/100000$/);
    }
    const used = (w: Wire): number => Number(/api-usage=(\d+)/.exec(w.headers.get('sforce-limit-info') ?? '')?.[1]);
    expect(used(bad)).toBe(used(ok) + 1);
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual([{ errorCode: 'MALFORMED_QUERY', message: '\nSELECT FROM User\n       ^\nERROR at Row:1:Column:8\nunexpected token: FROM' }]);
  });

  it('should serve any API version and list versions', async () => {
    const { status, body } = await soql(emulator.url, acmeToken, 'SELECT Id FROM Account LIMIT 1', {}, '62.0');
    expect(status).toBe(200);
    expect(asQuery(body).records[0]?.attributes).toEqual({
      type: 'Account',
      url: expect.stringMatching(/^\/services\/data\/v62\.0\/sobjects\/Account\/001\w{15}$/) as unknown as string,
    });
    const versions = await call(emulator.url, '/services/data/');
    expect(versions.status).toBe(200);
    expect(versions.body).toEqual(expect.arrayContaining([{ label: "Winter '21", url: '/services/data/v50.0', version: '50.0' }]));
  });

  it('should treat field and object names case-insensitively and answer with canonical names', async () => {
    const { body } = await soql(
      emulator.url,
      acmeToken,
      `select id, NAME, owner.name from account where odoo_partner_id__c = '${acmeWorld.anchors.smallCustomer}'`,
    );
    const record = asQuery(body).records[0]!;
    expect(Object.keys(record)).toEqual(['attributes', 'Id', 'Name', 'Owner']);
    expect(Object.keys(record.Owner as object)).toEqual(['attributes', 'Name']);
  });

  it('should page with Sforce-Query-Options batchSize (clamped to 200..2000) through query/<locator>', async () => {
    const first = await soql(emulator.url, acmeToken, 'SELECT Id FROM Opportunity', { 'Sforce-Query-Options': 'batchSize=50' });
    const page1 = asQuery(first.body);
    expect(page1.totalSize).toBeGreaterThan(200);
    expect(page1.done).toBe(false);
    expect(page1.records).toHaveLength(200);
    expect(page1.nextRecordsUrl).toMatch(/^\/services\/data\/v50\.0\/query\/01g\w+-200$/);
    // A locator is an org's own: another tenant cannot follow it.
    const foreign = await call(emulator.url, page1.nextRecordsUrl!, { token: globexToken });
    expect(foreign.status).toBe(400);
    expect(foreign.body).toEqual([{ message: 'invalid query locator', errorCode: 'INVALID_QUERY_LOCATOR' }]);
    const second = await call(emulator.url, page1.nextRecordsUrl!, { token: acmeToken });
    const page2 = asQuery(second.body);
    expect(page2.done).toBe(true);
    expect(page2.nextRecordsUrl).toBeUndefined();
    expect(page1.records.length + page2.records.length).toBe(page1.totalSize);
    const noHeader = asQuery((await soql(emulator.url, acmeToken, 'SELECT Id FROM Opportunity')).body);
    expect(noHeader.done).toBe(true);
    expect(noHeader.records).toHaveLength(page1.totalSize);
  });

  it('should answer COUNT() with totalSize only', async () => {
    const { body } = await soql(emulator.url, acmeToken, 'SELECT COUNT() FROM Account WHERE Odoo_Partner_Id__c != null');
    expect(body).toEqual({ totalSize: acmeWorld.customers.filter((c) => c.salesforce === 'external_id').length, done: true, records: [] });
  });

  it('should retrieve by id (15 or 18 characters) and by external id, and 404 otherwise', async () => {
    const partner = String(acmeWorld.anchors.bigCustomer);
    const byExt = await call(emulator.url, `/services/data/v50.0/sobjects/Account/Odoo_Partner_Id__c/${partner}?fields=Name,Odoo_Partner_Id__c`, {
      token: acmeToken,
    });
    expect(byExt.status).toBe(200);
    const id = (byExt.body as Record<string, string>).Id!;
    expect(byExt.body).toEqual({
      attributes: { type: 'Account', url: `/services/data/v50.0/sobjects/Account/${id}` },
      Name: 'Contoso Wholesale GmbH',
      Odoo_Partner_Id__c: partner,
      Id: id,
    });
    const by15 = await call(emulator.url, `/services/data/v50.0/sobjects/Account/${id.slice(0, 15)}?fields=Name`, { token: acmeToken });
    expect(by15.body).toMatchObject({ Name: 'Contoso Wholesale GmbH', Id: id });
    for (const path of [`sobjects/Contact/${id}`, 'sobjects/Account/001000000000000AAA', 'sobjects/Lead/00Q000000000000AAA', 'nothing/here']) {
      const miss = await call(emulator.url, `/services/data/v50.0/${path}`, { token: acmeToken });
      expect(miss.status).toBe(404);
      expect(miss.body).toEqual([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
    }
    const badField = await call(emulator.url, `/services/data/v50.0/sobjects/Account/${id}?fields=Name,Revenue`, { token: acmeToken });
    expect(badField.status).toBe(400);
    expect(badField.body).toEqual([
      expect.objectContaining({
        errorCode: 'INVALID_FIELD',
        message: expect.stringContaining("No such column 'Revenue' on entity 'Account'") as unknown as string,
      }),
    ]);
  });

  it('should retrieve many by POST composite/sobjects in the order asked, null where none', async () => {
    const { records } = asQuery((await soql(emulator.url, acmeToken, 'SELECT Id, Name FROM Contact ORDER BY Name LIMIT 2')).body);
    const ids = records.map((r) => String(r.Id));
    const { status, body } = await call(emulator.url, '/services/data/v50.0/composite/sobjects/Contact', {
      token: acmeToken,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ids: [ids[1], '003000000000000AAA', ids[0]], fields: ['Name', 'Email'] }),
    });
    expect(status).toBe(200);
    expect((body as Array<Record<string, unknown> | null>).map((r) => r?.Name ?? null)).toEqual([records[1]!.Name, null, records[0]!.Name]);
  });

  it('should describe an object minimally, with the Odoo external-id field', async () => {
    const { status, body } = await call(emulator.url, '/services/data/v50.0/sobjects/Account/describe', { token: acmeToken });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      name: 'Account',
      keyPrefix: '001',
      childRelationships: expect.arrayContaining([expect.objectContaining({ relationshipName: 'Contacts' })]) as unknown as object[],
    });
    const fields = (body as { fields: Array<{ name: string; externalId: boolean; type: string }> }).fields;
    expect(fields.find((f) => f.name === 'Odoo_Partner_Id__c')).toMatchObject({ externalId: true, type: 'string' });
  });
});

describe('seeded org', () => {
  const all = async (q: string): Promise<Array<Record<string, unknown>>> => asQuery((await soql(emulator.url, acmeToken, q)).body).records;

  it('should hold the world customers as accounts, linked as the world says, plus Salesforce-only accounts', async () => {
    const accounts = await all('SELECT Id, Name, Odoo_Partner_Id__c FROM Account');
    const byName = new Map(accounts.map((a) => [String(a.Name), a]));
    for (const customer of acmeWorld.customers) {
      const account = byName.get(customer.name);
      if (customer.salesforce === 'none') expect(account).toBeUndefined();
      else expect(account?.Odoo_Partner_Id__c).toBe(customer.salesforce === 'external_id' ? String(customer.odooId) : null);
    }
    const worldNames = new Set(acmeWorld.customers.map((c) => c.name));
    expect(accounts.filter((a) => !worldNames.has(String(a.Name))).length).toBeGreaterThanOrEqual(5);
    expect(accounts.every((a) => /^001[A-Za-z0-9]{15}$/.test(String(a.Id)))).toBe(true);
    expect(byName.get(acmeWorld.customers.find((c) => c.odooId === acmeWorld.anchors.unlinkedSalesforceCustomer)!.name)?.Odoo_Partner_Id__c).toBeNull();
  });

  it('should hold the world contacts with their emails', async () => {
    const contacts = await all('SELECT Name, Email, Account.Odoo_Partner_Id__c FROM Contact WHERE Account.Odoo_Partner_Id__c != null');
    const emails = new Set(contacts.map((c) => c.Email));
    for (const customer of acmeWorld.customers.filter((c) => c.salesforce === 'external_id' && c.isCompany)) {
      for (const person of customer.contacts) expect(emails.has(person.email)).toBe(true);
    }
  });

  it('should give every account open and closed opportunities with consistent stage flags', async () => {
    const accounts = await all('SELECT Id, (SELECT StageName, IsClosed, IsWon, Probability, Amount, CloseDate FROM Opportunities) FROM Account');
    for (const account of accounts) {
      const opps = (account.Opportunities as QueryBody).records;
      expect(opps.some((o) => o.IsClosed === true)).toBe(true);
      expect(opps.some((o) => o.IsClosed === false)).toBe(true);
      for (const o of opps) {
        expect(o.IsClosed).toBe(String(o.StageName).startsWith('Closed'));
        expect(o.IsWon).toBe(o.StageName === 'Closed Won');
        expect(typeof o.Amount).toBe('number');
        expect(o.CloseDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
    }
  });

  it('should own records by users of the tenant staff domain, with Salesforce datetimes', async () => {
    const users = await all('SELECT Id, Name, Email, SystemModstamp, CreatedDate FROM User');
    expect(users.length).toBeGreaterThan(1);
    for (const u of users) {
      expect(u.Email).toMatch(new RegExp(`@${acmeWorld.staffDomain.replace('.', '\\.')}$`));
      expect(u.SystemModstamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000\+0000$/);
    }
  });
});

describe('tenant isolation and stats', () => {
  beforeEach(async () => {
    await fetch(`${emulator.url}/__sandbox/reset?faults=1`, { method: 'POST' });
  });

  it("should never show globex's accounts to acme's token", async () => {
    const q = `SELECT Id, Name FROM Account WHERE Odoo_Partner_Id__c = '${acmeWorld.anchors.smallCustomer}'`;
    const a = asQuery((await soql(emulator.url, acmeToken, q)).body).records[0]!;
    const g = asQuery((await soql(emulator.url, globexToken, q)).body).records[0]!;
    expect(a.Name).toBe('Northwind Traders Ltd');
    expect(g.Name).toBe('Initech LLC');
    expect(globexWorld.customers.some((c) => c.name === a.Name)).toBe(false);
    // Both orgs number their records alike: the same id reads each org's own record.
    expect(a.Id).toBe(g.Id);
    const viaGlobex = await call(emulator.url, `/services/data/v50.0/sobjects/Account/${String(a.Id)}?fields=Name`, { token: globexToken });
    expect((viaGlobex.body as Record<string, unknown>).Name).toBe('Initech LLC');
    const all = asQuery((await soql(emulator.url, acmeToken, 'SELECT Name FROM Account')).body).records.map((r) => r.Name);
    expect(all).not.toContain('Initech LLC');
    expect(all).not.toContain('Umbrella Supply Co.');
  });

  it('should count requests per tenant and operation', async () => {
    await soql(emulator.url, acmeToken, 'SELECT Id FROM Account LIMIT 1');
    await soql(emulator.url, acmeToken, 'SELECT Id, (SELECT Id FROM Contacts) FROM Account LIMIT 1');
    await soql(emulator.url, globexToken, 'SELECT Id FROM Opportunity LIMIT 1');
    const first = asQuery((await soql(emulator.url, globexToken, 'SELECT Id FROM Opportunity', { 'Sforce-Query-Options': 'batchSize=200' })).body);
    await call(emulator.url, first.nextRecordsUrl!, { token: globexToken });
    await call(emulator.url, '/services/data/v50.0/sobjects/User/describe', { token: acmeToken });
    await call(emulator.url, '/services/data/v50.0/sobjects/Account/001000000000000AAA', { token: acmeToken });
    await call(emulator.url, '/services/data/v50.0/composite/sobjects/Account', {
      token: acmeToken,
      method: 'POST',
      body: JSON.stringify({ ids: ['001000000000000AAA'], fields: ['Name'] }),
    });
    await soql(emulator.url, 'forged', 'SELECT Id FROM Account');
    await tokenRequest(emulator.url, { grant_type: 'client_credentials', client_id: globex.clientId, client_secret: globex.clientSecret });
    const stats = (await call(emulator.url, '/__sandbox/stats')).body;
    expect(stats).toEqual({
      requests: {
        acme: { 'SOQL Account': 2, 'GET sobjects/User/describe': 1, 'GET sobjects/Account': 1, 'POST composite/sobjects/Account': 1 },
        globex: { 'SOQL Opportunity': 2, 'SOQL next': 1, 'POST /services/oauth2/token': 1 },
        _anonymous: { 'SOQL Account': 1 },
      },
    });
  });

  it('should inject the Salesforce error envelope and throttling answer per tenant and op', async () => {
    const rules = [
      { tenant: 'acme', op: 'SOQL Account', fault: 'error', times: 1 },
      { tenant: 'acme', op: 'GET sobjects/*', fault: 'rate_limit', times: 1 },
    ];
    const set = await call(emulator.url, '/__sandbox/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(rules) });
    expect(set.status).toBe(200);
    const q = 'SELECT Id FROM Account LIMIT 1';
    const other = await soql(emulator.url, globexToken, q);
    expect(other.status).toBe(200);
    const failed = await soql(emulator.url, acmeToken, q);
    expect(failed.status).toBe(500);
    expect(failed.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    expect(failed.body).toEqual([
      { message: 'An unexpected error occurred. Please include this ErrorId if you contact support: 1234-5678 (-12345)', errorCode: 'UNKNOWN_EXCEPTION' },
    ]);
    expect((await soql(emulator.url, acmeToken, q)).status).toBe(200);
    const id = String(asQuery(other.body).records[0]!.Id);
    const throttled = await call(emulator.url, `/services/data/v50.0/sobjects/Account/${id}`, { token: acmeToken });
    expect(throttled.status).toBe(403);
    expect(throttled.body).toEqual([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
    expect((await call(emulator.url, `/services/data/v50.0/sobjects/Account/${id}`, { token: acmeToken })).status).toBe(200);
  });
});

describe('daily API limit', () => {
  let limited: RunningEmulator;
  beforeAll(async () => {
    limited = await startSalesforceEmulator({ port: 0, tenants: [acme, globex], dailyApiLimit: 3 });
  });
  afterAll(async () => {
    await limited?.close();
  });

  it('should answer REQUEST_LIMIT_EXCEEDED (403) once an org has used its daily calls, per org', async () => {
    const a = await login(limited.url, acme);
    const g = await login(limited.url, globex);
    const usage: Array<string | null> = [];
    for (let i = 0; i < 3; i++) {
      const w = await soql(limited.url, a, 'SELECT Id FROM User LIMIT 1');
      expect(w.status).toBe(200);
      usage.push(w.headers.get('sforce-limit-info'));
    }
    expect(usage).toEqual(['api-usage=1/3', 'api-usage=2/3', 'api-usage=3/3']);
    const over = await soql(limited.url, a, 'SELECT Id FROM User LIMIT 1');
    expect(over.status).toBe(403);
    expect(over.headers.get('sforce-limit-info')).toBe('api-usage=3/3');
    expect(over.body).toEqual([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
    // Logging in again does not help, another org is not affected, and a data reset starts a new day.
    expect((await soql(limited.url, await login(limited.url, acme), 'SELECT Id FROM User')).status).toBe(403);
    expect((await soql(limited.url, g, 'SELECT Id FROM User')).status).toBe(200);
    await fetch(`${limited.url}/__sandbox/reset?data=1`, { method: 'POST' });
    expect((await soql(limited.url, a, 'SELECT Id FROM User')).headers.get('sforce-limit-info')).toBe('api-usage=1/3');
  });
});

describe('record writes (POST, PATCH) for change capture', () => {
  let writable: RunningEmulator;
  let token: string;
  beforeAll(async () => {
    writable = await startSalesforceEmulator({ port: 0, tenants: [acme] });
    token = await login(writable.url, acme);
  });
  afterAll(async () => {
    await writable?.close();
  });

  const patch = (type: string, id: string, body: unknown): Promise<Wire> =>
    call(writable.url, `/services/data/v50.0/sobjects/${type}/${id}`, {
      token,
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('should update a record, derive stage flags and bump SystemModstamp past every seeded one', async () => {
    const newest = asQuery((await soql(writable.url, token, 'SELECT SystemModstamp FROM Opportunity ORDER BY SystemModstamp DESC LIMIT 1')).body).records[0]!;
    const open = asQuery((await soql(writable.url, token, 'SELECT Id FROM Opportunity WHERE IsClosed = false LIMIT 1')).body).records[0]!;
    const id = String(open.Id);
    const res = await patch('Opportunity', id, { StageName: 'Closed Won', Amount: 1234.5 });
    expect(res.status).toBe(204);
    expect(res.body).toBe('');
    const since = String(newest.SystemModstamp).replace('+0000', 'Z');
    const changed = asQuery(
      (await soql(writable.url, token, `SELECT Id, StageName, IsClosed, IsWon, Probability, Amount FROM Opportunity WHERE SystemModstamp > ${since}`)).body,
    );
    expect(changed.records).toEqual([
      {
        attributes: { type: 'Opportunity', url: `/services/data/v50.0/sobjects/Opportunity/${id}` },
        Id: id,
        StageName: 'Closed Won',
        IsClosed: true,
        IsWon: true,
        Probability: 100,
        Amount: 1234.5,
      },
    ]);
    const contact = asQuery((await soql(writable.url, token, 'SELECT Id FROM Contact LIMIT 1')).body).records[0]!;
    expect((await patch('Contact', String(contact.Id), { FirstName: 'Renamed', Email: null })).status).toBe(204);
    const after = (await call(writable.url, `/services/data/v50.0/sobjects/Contact/${String(contact.Id)}?fields=Name,Email`, { token })).body;
    expect(after).toMatchObject({ Name: expect.stringMatching(/^Renamed /) as unknown as string, Email: null });
  });

  const wireMs = (v: unknown): number => Date.parse(String(v).replace('+0000', 'Z'));
  const SF_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000\+0000$/;

  it('should stamp LastModifiedDate and SystemModstamp to the second on update, and find the record by them', async () => {
    const account = asQuery((await soql(writable.url, token, 'SELECT Id, CreatedDate FROM Account ORDER BY Name LIMIT 1')).body).records[0]!;
    const id = String(account.Id);
    const before = Date.now();
    expect((await patch('Account', id, { Phone: '+49 30 1234 567' })).status).toBe(204);
    const afterMs = Date.now();
    const read = (await call(writable.url, `/services/data/v50.0/sobjects/Account/${id}?fields=CreatedDate,LastModifiedDate,SystemModstamp`, { token }))
      .body as Record<string, unknown>;
    expect(read.SystemModstamp).toMatch(SF_DATETIME);
    expect(read.LastModifiedDate).toBe(read.SystemModstamp);
    expect(read.CreatedDate).toBe(account.CreatedDate);
    expect(wireMs(read.SystemModstamp)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(wireMs(read.SystemModstamp)).toBeLessThanOrEqual(afterMs);
    const second = String(read.SystemModstamp).replace('.000+0000', 'Z');
    const polled = asQuery(
      (
        await soql(
          writable.url,
          token,
          `SELECT Id, Name, Phone, SystemModstamp FROM Account WHERE SystemModstamp >= ${second} ORDER BY SystemModstamp ASC, Id ASC LIMIT 200`,
        )
      ).body,
    );
    expect(polled.records.map((r) => r.Id)).toContain(id);
    expect(polled.records.find((r) => r.Id === id)).toMatchObject({ Phone: '+49 30 1234 567' });
  });

  it('should create records (201, id), stamped, owned by the integration user, with derived fields', async () => {
    const post = (type: string, body: unknown): Promise<Wire> =>
      call(writable.url, `/services/data/v50.0/sobjects/${type}/`, {
        token,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const created = await post('Account', { Name: 'Express Logistics and Transport', Industry: 'Shipping' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.stringMatching(/^001[A-Za-z0-9]{15}$/) as unknown as string, success: true, errors: [] });
    const accountId = (created.body as { id: string }).id;
    const account = (await call(writable.url, `/services/data/v50.0/sobjects/Account/${accountId}`, { token })).body as Record<string, unknown>;
    expect(account).toMatchObject({ Id: accountId, Name: 'Express Logistics and Transport', Industry: 'Shipping', Odoo_Partner_Id__c: null });
    expect(account.CreatedDate).toMatch(SF_DATETIME);
    expect(account.SystemModstamp).toBe(account.CreatedDate);
    expect(account.LastModifiedDate).toBe(account.CreatedDate);
    const [integration] = asQuery((await soql(writable.url, token, "SELECT Id FROM User WHERE Username LIKE 'integration@%'")).body).records;
    expect(account.OwnerId).toBe(integration!.Id);

    const contact = await post('Contact', { AccountId: accountId, FirstName: 'Ada', LastName: 'Byron', Email: 'ada@express.example' });
    expect(contact.status).toBe(201);
    const opportunity = await post('Opportunity', { AccountId: accountId, Name: 'Fleet', StageName: 'Closed Won', CloseDate: '2026-12-01' });
    expect(opportunity.status).toBe(201);
    const [withChildren] = asQuery(
      (
        await soql(
          writable.url,
          token,
          `SELECT Id, (SELECT Name, Email FROM Contacts), (SELECT IsClosed, IsWon, Probability FROM Opportunities) FROM Account WHERE Id = '${accountId}'`,
        )
      ).body,
    ).records;
    expect(withChildren).toMatchObject({
      Contacts: { totalSize: 1, records: [{ Name: 'Ada Byron', Email: 'ada@express.example' }] },
      Opportunities: { totalSize: 1, records: [{ IsClosed: true, IsWon: true, Probability: 100 }] },
    });

    const refusals: Array<[string, unknown, number, string]> = [
      ['Contact', { FirstName: 'No' }, 400, 'REQUIRED_FIELD_MISSING'],
      ['Opportunity', { Name: 'x', StageName: 'Prospecting' }, 400, 'REQUIRED_FIELD_MISSING'],
      ['Account', { Id: accountId, Name: 'Again' }, 400, 'INVALID_FIELD'],
      ['Account', { Name: 'x', SystemModstamp: '2020-01-01T00:00:00Z' }, 400, 'INVALID_FIELD_FOR_INSERT_UPDATE'],
      ['Account', [], 400, 'JSON_PARSER_ERROR'],
      ['Lead', { LastName: 'x' }, 404, 'NOT_FOUND'],
    ];
    for (const [type, body, status, errorCode] of refusals) {
      const res = await post(type, body);
      expect([type, res.status]).toEqual([type, status]);
      expect(res.body).toEqual([expect.objectContaining({ errorCode })]);
    }
    expect(writable.stats.snapshot().requests['acme']?.['POST sobjects/Account']).toBeGreaterThan(0);
  });

  it('should refuse unknown, read-only and badly typed fields', async () => {
    const id = String(asQuery((await soql(writable.url, token, 'SELECT Id FROM Opportunity LIMIT 1')).body).records[0]!.Id);
    const cases: Array<[unknown, string]> = [
      [{ Colour: 'red' }, 'INVALID_FIELD'],
      [{ IsWon: true }, 'INVALID_FIELD_FOR_INSERT_UPDATE'],
      [{ StageName: 'Daydreaming' }, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST'],
      [{ Amount: 'lots' }, 'JSON_PARSER_ERROR'],
      [{ AccountId: id }, 'FIELD_INTEGRITY_EXCEPTION'],
      [{ Name: null }, 'REQUIRED_FIELD_MISSING'],
    ];
    for (const [body, errorCode] of cases) {
      const res = await patch('Opportunity', id, body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual([expect.objectContaining({ errorCode })]);
    }
    expect((await patch('Opportunity', '006000000000000AAA', { Amount: 1 })).status).toBe(404);
  });
});
