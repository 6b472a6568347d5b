/**
 * The SOQL subset, run directly against a seeded org (no HTTP): filters, ordering, relationship
 * fields and the positioned errors Salesforce gives for bad queries.
 */
import { describe, expect, it } from '@jest/globals';
import { SfError } from '../../sandbox/salesforce/errors';
import { seedOrg } from '../../sandbox/salesforce/seed';
import { runQuery } from '../../sandbox/salesforce/soql/evaluate';
import { parseSoql } from '../../sandbox/salesforce/soql/parse';
import { buildWorld } from '../../sandbox/world';

const world = buildWorld('acme');
const org = seedOrg(world);

function rows(soql: string, now?: number): Array<Record<string, unknown>> {
  const outcome = runQuery(org, parseSoql(soql), soql, '50.0', now);
  if (outcome.kind !== 'rows') throw new Error('expected rows');
  return outcome.rows;
}

function failure(soql: string): { errorCode: string; message: string; status: number } {
  try {
    runQuery(org, parseSoql(soql), soql, '50.0');
  } catch (err) {
    if (err instanceof SfError) return { errorCode: err.errorCode, message: err.message, status: err.status };
    throw err;
  }
  throw new Error(`no error for ${soql}`);
}

describe('SOQL evaluation', () => {
  it('should seed the same org for the same world', () => {
    const again = seedOrg(buildWorld('acme'));
    expect(again.orgId).toBe(org.orgId);
    expect(again.all('Opportunity').map((r) => r.fields)).toEqual(org.all('Opportunity').map((r) => r.fields));
    expect(seedOrg(buildWorld('globex')).orgId).not.toBe(org.orgId);
  });

  it('should filter with AND, OR, NOT, parentheses, IN, NOT IN and LIKE', () => {
    const open = rows(
      "SELECT Id, StageName, Amount FROM Opportunity WHERE IsClosed = false AND (StageName = 'Prospecting' OR StageName = 'qualification') AND Amount >= 100",
    );
    expect(open.length).toBeGreaterThan(0);
    expect(open.every((o) => ['Prospecting', 'Qualification'].includes(String(o.StageName)) && Number(o.Amount) >= 100)).toBe(true);
    const notIn = rows("SELECT StageName FROM Opportunity WHERE StageName NOT IN ('Closed Won', 'Closed Lost')");
    expect(notIn.length).toBe(org.all('Opportunity').filter((o) => o.fields.IsClosed === false).length);
    expect(rows('SELECT Id FROM Opportunity WHERE NOT IsClosed = true')).toHaveLength(notIn.length);
    const like = rows("SELECT Name FROM Account WHERE Name LIKE 'northwind%'");
    expect(like.map((a) => a.Name)).toEqual(['Northwind Traders Ltd']);
    expect(rows("SELECT Name FROM Account WHERE Name LIKE 'Northwind_Traders%'")).toHaveLength(1);
    expect(rows("SELECT Name FROM Account WHERE Name LIKE 'Northwind'")).toHaveLength(0);
  });

  it('should compare null, dates and datetimes', () => {
    const unlinked = rows('SELECT Name FROM Account WHERE Odoo_Partner_Id__c = null');
    const linked = rows('SELECT Name FROM Account WHERE Odoo_Partner_Id__c != null');
    expect(unlinked.length + linked.length).toBe(org.all('Account').length);
    const future = rows('SELECT CloseDate FROM Opportunity WHERE CloseDate > 2026-01-15');
    expect(future.length).toBeGreaterThan(0);
    expect(future.every((o) => String(o.CloseDate) > '2026-01-15')).toBe(true);
    const recent = rows('SELECT SystemModstamp FROM Opportunity WHERE SystemModstamp >= 2025-06-01T00:00:00Z');
    expect(recent.every((o) => Date.parse(String(o.SystemModstamp).replace('+0000', 'Z')) >= Date.parse('2025-06-01T00:00:00Z'))).toBe(true);
    expect(rows('SELECT Id FROM Opportunity WHERE SystemModstamp >= 2025-06-01T02:00:00+02:00')).toHaveLength(recent.length);
  });

  it("should answer change capture's query: unquoted datetime, ORDER BY SystemModstamp ASC, Id ASC, LIMIT, keyset pages", () => {
    const stamp = (r: Record<string, unknown>): number => Date.parse(String(r.SystemModstamp).replace('+0000', 'Z'));
    const since = '2025-06-01T00:00:00Z';
    const all = rows(`SELECT Id, SystemModstamp FROM Contact WHERE SystemModstamp >= ${since} ORDER BY SystemModstamp ASC, Id ASC`);
    expect(all.length).toBeGreaterThan(10);
    expect(all.every((r) => stamp(r) >= Date.parse(since))).toBe(true);
    for (let i = 1; i < all.length; i++) {
      const [a, b] = [all[i - 1]!, all[i]!];
      expect(stamp(a) < stamp(b) || (stamp(a) === stamp(b) && String(a.Id).slice(0, 15) < String(b.Id).slice(0, 15))).toBe(true);
    }
    // Keyset pages after the last row read give the rest, none twice.
    const paged: unknown[] = [];
    let where = `SystemModstamp >= ${since}`;
    for (;;) {
      const page = rows(`SELECT Id, SystemModstamp FROM Contact WHERE ${where} ORDER BY SystemModstamp ASC, Id ASC LIMIT 7`);
      paged.push(...page.map((r) => r.Id));
      if (page.length < 7) break;
      const last = page.at(-1)!;
      const t = new Date(stamp(last)).toISOString().replace('.000Z', 'Z');
      where = `SystemModstamp >= ${t} AND (SystemModstamp > ${t} OR Id > '${String(last.Id)}')`;
    }
    expect(paged).toEqual(all.map((r) => r.Id));
  });

  it('should ignore the fractional seconds of a datetime literal, as Salesforce stores and compares whole seconds', () => {
    const [newest] = rows('SELECT SystemModstamp FROM Account ORDER BY SystemModstamp DESC LIMIT 1');
    const wire = String(newest!.SystemModstamp);
    expect(wire).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000\+0000$/);
    const second = wire.replace('.000+0000', '');
    expect(rows(`SELECT Id FROM Account WHERE SystemModstamp >= ${second}.900Z`).length).toBeGreaterThan(0);
    expect(rows(`SELECT Id FROM Account WHERE SystemModstamp >= ${second}.299852-00:00`).length).toBeGreaterThan(0);
    expect(rows(`SELECT Id FROM Account WHERE SystemModstamp > ${second}.900Z`)).toHaveLength(0);
    expect(failure(`SELECT Id FROM Account WHERE SystemModstamp >= '${second}Z'`).message).toContain(
      "value of filter criterion for field 'SystemModstamp' must be of type dateTime and should not be enclosed in quotes",
    );
  });

  it('should read relative date literals against the given clock, in whole GMT days', () => {
    const now = Date.UTC(2026, 0, 15, 13, 30);
    const closed = org.all('Opportunity').filter((o) => o.fields.IsClosed === true).length;
    expect(rows('SELECT Id FROM Opportunity WHERE CloseDate < TODAY', now)).toHaveLength(closed);
    const soon = rows('SELECT CloseDate FROM Opportunity WHERE CloseDate = NEXT_N_DAYS:30', now).map((o) => String(o.CloseDate));
    expect(soon).toEqual(
      org
        .all('Opportunity')
        .map((o) => String(o.fields.CloseDate))
        .filter((d) => d >= '2026-01-16' && d <= '2026-02-14'),
    );
    const lastWeek = rows('SELECT SystemModstamp FROM Account WHERE SystemModstamp = LAST_N_DAYS:7', now).map((a) => String(a.SystemModstamp));
    expect(lastWeek.every((d) => d >= '2026-01-08' && d < '2026-01-16')).toBe(true);
    expect(rows('SELECT Id FROM Account WHERE CreatedDate = TODAY OR CreatedDate = TOMORROW', now)).toHaveLength(0);
    expect(rows('SELECT Id FROM Opportunity WHERE CloseDate = THIS_YEAR', Date.UTC(2027, 5, 1))).toHaveLength(0);
    expect(failure('SELECT Id FROM Account WHERE Name = TODAY').errorCode).toBe('INVALID_FIELD');
    expect(failure('SELECT Id FROM Account WHERE CreatedDate = LAST_N_DAYS').errorCode).toBe('MALFORMED_QUERY');
  });

  it('should read \\_ in a LIKE pattern as a literal underscore, _ as any character', () => {
    expect(rows("SELECT Id FROM Account WHERE Name LIKE 'Northwind Traders Lt\\_'")).toHaveLength(0);
    expect(rows("SELECT Id FROM Account WHERE Name LIKE 'Northwind Traders Lt_'")).toHaveLength(1);
  });

  it('should order with ASC, DESC, NULLS FIRST/LAST and several keys, then LIMIT and OFFSET', () => {
    const byAmount = rows('SELECT Amount FROM Opportunity ORDER BY Amount DESC LIMIT 5').map((o) => Number(o.Amount));
    expect(byAmount).toEqual([...byAmount].sort((a, b) => b - a));
    expect(byAmount[0]).toBe(Math.max(...org.all('Opportunity').map((o) => Number(o.fields.Amount))));
    const all = rows('SELECT Id FROM Account ORDER BY Name').map((a) => a.Id);
    expect(rows('SELECT Id FROM Account ORDER BY Name LIMIT 5 OFFSET 10').map((a) => a.Id)).toEqual(all.slice(10, 15));
    const nullsFirst = rows('SELECT Odoo_Partner_Id__c FROM Account ORDER BY Odoo_Partner_Id__c NULLS FIRST, Name');
    expect(nullsFirst[0]?.Odoo_Partner_Id__c).toBeNull();
    const nullsLast = rows('SELECT Odoo_Partner_Id__c FROM Account ORDER BY Odoo_Partner_Id__c DESC');
    expect(nullsLast.at(-1)?.Odoo_Partner_Id__c).toBeNull();
    const byOwner = rows('SELECT Owner.Name, Name FROM Account ORDER BY Owner.Name, Name DESC');
    const keys = byOwner.map((a) => `${String((a.Owner as Record<string, unknown>).Name)}`);
    expect(keys).toEqual([...keys].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0)));
  });

  it('should nest parent lookups (null when empty) and child subqueries (null when empty)', () => {
    const contacts = rows('SELECT Name, Account.Name, Account.Owner.Email FROM Contact WHERE AccountId = null');
    expect(contacts.length).toBeGreaterThan(0);
    expect(contacts.every((c) => c.Account === null)).toBe(true);
    const [account] = rows(
      `SELECT Name, (SELECT Name FROM Contacts WHERE Email = 'nobody@nowhere.example'), (SELECT Id FROM Opportunities LIMIT 1) FROM Account WHERE Odoo_Partner_Id__c = '${world.anchors.bigCustomer}'`,
    );
    expect(account?.Contacts).toBeNull();
    expect(account?.Opportunities).toMatchObject({ totalSize: 1, done: true });
    const withOwner = rows('SELECT Account.Owner.Email FROM Contact WHERE AccountId != null LIMIT 1')[0]!;
    expect(withOwner.Account).toMatchObject({
      attributes: { type: 'Account' },
      Owner: { attributes: { type: 'User' }, Email: expect.stringContaining('@acme.example') as unknown as string },
    });
  });

  it('should match ids in 15 or 18 characters', () => {
    const id = String(org.all('Account')[0]!.fields.Id);
    expect(rows(`SELECT Id FROM Account WHERE Id = '${id.slice(0, 15)}'`).map((r) => r.Id)).toEqual([id]);
    expect(rows(`SELECT Id FROM Contact WHERE AccountId IN ('${id}')`).length).toBeGreaterThan(0);
  });

  it('should count with COUNT() and COUNT(field) alias', () => {
    const soql = "SELECT COUNT() FROM Contact WHERE Email LIKE '%.example'";
    expect(runQuery(org, parseSoql(soql), soql, '50.0')).toEqual({
      kind: 'count',
      totalSize: org.all('Contact').filter((c) => String(c.fields.Email).endsWith('.example')).length,
    });
    expect(rows('SELECT COUNT(Id) n FROM Account')).toEqual([{ attributes: { type: 'AggregateResult' }, n: org.all('Account').length }]);
  });
});

describe('SOQL errors', () => {
  it('should answer MALFORMED_QUERY positioned at the bad token', () => {
    expect(failure('SELECT Id FROM Account WHERE Name = ')).toEqual({
      errorCode: 'MALFORMED_QUERY',
      status: 400,
      message: '\nSELECT Id FROM Account WHERE Name = \n                                    ^\nERROR at Row:1:Column:37\nunexpected token: <EOF>',
    });
    expect(failure("SELECT Id\nFROM Account\nWHERE Name = 'a' AND Type = 'b' OR Industry = 'c'").message).toContain(
      '\nERROR at Row:3:Column:33\nunexpected token: OR',
    );
    expect(failure('SELECT Id FROM Account LIMIT ten').message).toContain('unexpected token: ten');
    expect(failure('SELECT Id, Name, name FROM Account').message).toContain('duplicate field selected: name');
    expect(failure('SELECT COUNT(), Name FROM Account').errorCode).toBe('MALFORMED_QUERY');
    expect(failure("SELECT Id FROM Account WHERE Name = 'open").errorCode).toBe('MALFORMED_QUERY');
    expect(failure('SELECT Id FROM Account WHERE Name = "x"').message).toContain("no viable alternative at character '\"'");
  });

  it('should answer INVALID_FIELD for unknown columns, relationships and mistyped values', () => {
    expect(failure('SELECT Id, Revenue__c FROM Account')).toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: expect.stringContaining("ERROR at Row:1:Column:12\nNo such column 'Revenue__c' on entity 'Account'.") as unknown as string,
    });
    expect(failure('SELECT Manager.Name FROM Account').message).toContain("Didn't understand relationship 'Manager' in field path.");
    expect(failure('SELECT Id FROM Account WHERE Owner.Nickname = null').message).toContain("No such column 'Nickname' on entity 'User'.");
    expect(failure("SELECT Id FROM Opportunity WHERE Amount > '5'").message).toContain(
      "value of filter criterion for field 'Amount' must be of type double and should not be enclosed in quotes",
    );
    expect(failure('SELECT Id FROM Account WHERE Name = 5').message).toContain(
      "value of filter criterion for field 'Name' must be of type string and should be enclosed in quotes",
    );
    expect(failure("SELECT Id FROM Opportunity WHERE CloseDate > '2026-01-01'").errorCode).toBe('INVALID_FIELD');
  });

  it('should answer INVALID_TYPE for unknown objects and child relationships', () => {
    expect(failure('SELECT Id FROM Lead')).toMatchObject({
      errorCode: 'INVALID_TYPE',
      message: expect.stringContaining("sObject type 'Lead' is not supported.") as unknown as string,
    });
    expect(failure('SELECT Id, (SELECT Id FROM Cases) FROM Account')).toMatchObject({
      errorCode: 'INVALID_TYPE',
      message: expect.stringContaining("Didn't understand relationship 'Cases' in FROM part of query call.") as unknown as string,
    });
  });

  it('should refuse bad id literals and offsets beyond 2000', () => {
    expect(failure("SELECT Id FROM Account WHERE Id = 'abc'")).toMatchObject({
      errorCode: 'INVALID_QUERY_FILTER_OPERATOR',
      message: expect.stringContaining('invalid ID field: abc') as unknown as string,
    });
    expect(failure('SELECT Id FROM Account OFFSET 2001')).toMatchObject({
      errorCode: 'NUMBER_OUTSIDE_VALID_RANGE',
      message: expect.stringContaining('Maximum SOQL offset allowed is 2000') as unknown as string,
    });
  });
});
