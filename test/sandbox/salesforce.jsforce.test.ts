/**
 * The Salesforce emulator as jsforce 3 (the client the Salesforce subgraph uses) sees it: login with
 * client credentials, paged SOQL, relationship fields, retrieve, limit info and errors.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Connection, SfDate } from 'jsforce';
import type { SalesforceTenantCredentials } from '../../sandbox/credentials';
import type { RunningEmulator } from '../../sandbox/kit/emulator';
import { startSalesforceEmulator } from '../../sandbox/salesforce';
import { buildWorld } from '../../sandbox/world';

const acme: SalesforceTenantCredentials = {
  tenant: 'acme',
  clientId: `3MVG9${randomBytes(12).toString('hex')}`,
  clientSecret: randomBytes(20).toString('hex'),
};
const world = buildWorld('acme');
/** Small enough that every sizeable query needs several pages. */
const BATCH = 20;

interface AccountRow {
  Id: string;
  Name: string;
  Odoo_Partner_Id__c: string | null;
  Owner: { Name: string; Email: string } | null;
  Contacts: { totalSize: number; done: boolean; records: Array<{ Name: string; Email: string | null }> } | null;
  Opportunities: { totalSize: number; records: Array<{ StageName: string; IsClosed: boolean }> } | null;
}

let emulator: RunningEmulator;
let conn: Connection;

const login = async (clientSecret = acme.clientSecret): Promise<Connection> => {
  const c = new Connection({ oauth2: { loginUrl: emulator.url, clientId: acme.clientId, clientSecret } });
  await c.authorize({ grant_type: 'client_credentials' });
  return c;
};

beforeAll(async () => {
  emulator = await startSalesforceEmulator({ port: 0, tenants: [acme], batchSize: BATCH });
  conn = await login();
});
afterAll(async () => {
  await emulator?.close();
});

describe('jsforce against the Salesforce emulator', () => {
  it('should log in with client credentials and point the connection at the emulator', () => {
    expect(conn.accessToken).toMatch(/^00D[A-Za-z0-9]{12}!/);
    expect(conn.instanceUrl).toBe(emulator.url);
    expect(conn.userInfo?.organizationId).toMatch(/^00D[A-Za-z0-9]{15}$/);
    expect(conn.userInfo?.id).toMatch(/^005[A-Za-z0-9]{15}$/);
    expect(conn.version).toBe('50.0');
  });

  it('should reject a bad client secret at login with invalid_client', async () => {
    await expect(login('not-the-secret')).rejects.toMatchObject({ name: 'invalid_client', message: 'invalid client credentials' });
  });

  it('should fetch every page of a query with autoFetch, following nextRecordsUrl', async () => {
    const nextPages = (): number => emulator.stats.snapshot().requests.acme?.['SOQL next'] ?? 0;
    const before = nextPages();
    const result = await conn.query<AccountRow>('SELECT Id, Name, Odoo_Partner_Id__c FROM Account ORDER BY Name', { autoFetch: true, maxFetch: 10_000 });
    const expected = world.customers.filter((c) => c.salesforce !== 'none').length + 8;
    expect(result.totalSize).toBe(expected);
    expect(result.records).toHaveLength(expected);
    expect(result.done).toBe(true);
    expect(new Set(result.records.map((r) => r.Id)).size).toBe(expected);
    const names = result.records.map((r) => r.Name);
    expect(names).toEqual([...names].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0)));
    expect(nextPages() - before).toBe(Math.ceil(expected / BATCH) - 1);
  });

  it('should page by hand with queryMore until done', async () => {
    const first = await conn.query<{ Id: string }>('SELECT Id FROM Opportunity');
    expect(first.done).toBe(false);
    expect(first.records).toHaveLength(BATCH);
    expect(first.nextRecordsUrl).toMatch(/\/services\/data\/v50\.0\/query\/01g[A-Za-z0-9]+-20$/);
    const ids = first.records.map((r) => r.Id);
    let page = first;
    let calls = 0;
    while (!page.done && page.nextRecordsUrl) {
      page = await conn.queryMore<{ Id: string }>(page.nextRecordsUrl);
      ids.push(...page.records.map((r) => r.Id));
      calls++;
    }
    expect(ids).toHaveLength(first.totalSize);
    expect(new Set(ids).size).toBe(first.totalSize);
    expect(calls).toBe(Math.ceil(first.totalSize / BATCH) - 1);
  });

  it('should read parent fields and child subqueries', async () => {
    const small = world.customers.find((c) => c.odooId === world.anchors.smallCustomer)!;
    const result = await conn.query<AccountRow>(
      `SELECT Id, Name, Owner.Name, Owner.Email, (SELECT Name, Email FROM Contacts ORDER BY Name), ` +
        `(SELECT StageName, IsClosed FROM Opportunities WHERE IsClosed = false) FROM Account WHERE Odoo_Partner_Id__c = '${small.odooId}'`,
    );
    expect(result.records).toHaveLength(1);
    const account = result.records[0]!;
    expect(account.Name).toBe(small.name);
    expect(account.Owner?.Name).toMatch(/^\S+ \S+$/);
    expect(account.Owner?.Email).toMatch(new RegExp(`@${world.staffDomain.replace('.', '\\.')}$`));
    expect(account.Contacts?.records.map((c) => c.Name)).toEqual(
      small.contacts.map((c) => c.name).sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())),
    );
    expect(account.Opportunities?.records.length).toBeGreaterThan(0);
    expect(account.Opportunities?.records.every((o) => !o.IsClosed)).toBe(true);
  });

  it("should answer the SOQL jsforce's query builder writes (IN, LIKE, OR, datetimes, TODAY, include)", async () => {
    const partnerIds = world.customers
      .filter((c) => c.salesforce === 'external_id')
      .slice(0, 4)
      .map((c) => String(c.odooId));
    const records = (await conn
      .sobject('Account')
      .find(
        {
          Odoo_Partner_Id__c: { $in: partnerIds },
          $or: [{ Name: { $like: 'N%' } }, { Industry: { $ne: null } }, { Industry: null }],
          SystemModstamp: { $gte: SfDate.toDateTimeLiteral(new Date(Date.UTC(2020, 0, 1))) },
          CreatedDate: { $lt: SfDate.TODAY },
        },
        ['Id', 'Name', 'Odoo_Partner_Id__c'],
      )
      .sort('-Name')
      .include('Contacts')
      .select('Id, Email')
      .where({ Email: { $exists: true } })
      .end()) as unknown as Array<{ Name: string; Odoo_Partner_Id__c: string; Contacts: { records: Array<{ Email: string }> } | null }>;
    expect(records.map((r) => r.Odoo_Partner_Id__c).sort()).toEqual([...partnerIds].sort());
    expect(records.map((r) => r.Name)).toEqual([...records.map((r) => r.Name)].sort().reverse());
    expect(records.every((r) => r.Contacts === null || r.Contacts.records.every((c) => typeof c.Email === 'string'))).toBe(true);
  });

  it('should retrieve one record and several records (composite sobjects)', async () => {
    const { records } = await conn.query<{ Id: string; Name: string }>('SELECT Id, Name FROM Account ORDER BY Name LIMIT 3');
    const [a, b, c] = records as [{ Id: string; Name: string }, { Id: string; Name: string }, { Id: string; Name: string }];
    const one = (await conn.retrieve('Account', a.Id)) as unknown as Record<string, unknown>;
    expect(one).toMatchObject({ Id: a.Id, Name: a.Name, attributes: { type: 'Account' } });
    expect(Object.keys(one)).toEqual(expect.arrayContaining(['OwnerId', 'Website', 'BillingCountry', 'Odoo_Partner_Id__c', 'SystemModstamp']));
    const some = (await conn.retrieve('Account', a.Id, { fields: ['Name'] })) as unknown as Record<string, unknown>;
    expect(some).toEqual({ attributes: { type: 'Account', url: `/services/data/v50.0/sobjects/Account/${a.Id}` }, Name: a.Name, Id: a.Id });
    const many = (await conn.retrieve('Account', [b.Id, c.Id, a.Id], { fields: ['Id', 'Name'] })) as unknown as Array<Record<string, unknown>>;
    expect(many.map((r) => r.Name)).toEqual([b.Name, c.Name, a.Name]);
    // Without fields jsforce describes the object first, then asks for every field.
    const all = (await conn.retrieve('Account', [a.Id])) as unknown as Array<Record<string, unknown>>;
    expect(all[0]).toMatchObject({ Id: a.Id, Name: a.Name });
  });

  it('should update a record through sobject().update (PATCH, 204)', async () => {
    const [open] = (await conn.query<{ Id: string }>("SELECT Id FROM Opportunity WHERE StageName = 'Prospecting' LIMIT 1")).records;
    const result = await conn.sobject('Opportunity').update({ Id: open!.Id, StageName: 'Qualification' });
    expect(result).toMatchObject({ id: open!.Id, success: true });
    const after = (await conn.retrieve('Opportunity', open!.Id, { fields: ['StageName', 'IsClosed'] })) as unknown as Record<string, unknown>;
    expect(after).toMatchObject({ StageName: 'Qualification', IsClosed: false });
  });

  it('should keep conn.limitInfo up to date from Sforce-Limit-Info', async () => {
    await conn.query('SELECT COUNT() FROM Contact');
    const before = conn.limitInfo.apiUsage;
    expect(before?.limit).toBe(100_000);
    await conn.query('SELECT COUNT() FROM Contact');
    expect(conn.limitInfo.apiUsage?.used).toBe((before?.used ?? 0) + 1);
  });

  it('should surface MALFORMED_QUERY, INVALID_FIELD, INVALID_TYPE and NOT_FOUND as jsforce errors', async () => {
    await expect(conn.query('SELECT Id FROM Account WHERE')).rejects.toMatchObject({
      errorCode: 'MALFORMED_QUERY',
      name: 'MALFORMED_QUERY',
      message: expect.stringContaining('ERROR at Row:1:Column:29') as unknown as string,
    });
    await expect(conn.query('SELECT Id, Nmae FROM Account')).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: expect.stringContaining("No such column 'Nmae' on entity 'Account'") as unknown as string,
    });
    await expect(conn.query('SELECT Id FROM Lead')).rejects.toMatchObject({
      errorCode: 'INVALID_TYPE',
      message: expect.stringContaining("sObject type 'Lead' is not supported.") as unknown as string,
    });
    await expect(conn.retrieve('Account', '001000000000000AAA')).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
  });

  it('should not surface INVALID_SESSION_ID through a client-credentials connection: jsforce tries to refresh', async () => {
    // jsforce installs an OAuth refresh delegate whenever a clientId is configured and treats every
    // 401 as "session expired"; the client-credentials grant has no refresh token, so the caller
    // sees the refresh failure, not the server's INVALID_SESSION_ID. The raw 401 is asserted in
    // salesforce.test.ts with fetch.
    const stale = new Connection({
      oauth2: { loginUrl: emulator.url, clientId: acme.clientId, clientSecret: acme.clientSecret },
      instanceUrl: emulator.url,
      accessToken: '00D000000000000!stale',
    });
    await expect(stale.query('SELECT Id FROM Account')).rejects.toThrow('No refresh token found in the connection');
    // Without OAuth settings there is no refresh delegate, and the server's error comes through.
    const bare = new Connection({ instanceUrl: emulator.url, accessToken: '00D000000000000!stale' });
    await expect(bare.query('SELECT Id FROM Account')).rejects.toMatchObject({ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' });
  });
});
