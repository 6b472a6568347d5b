/**
 * The service customer (world.anchors.serviceCustomer) in the Zendesk and Salesforce sandboxes: its
 * ticket, organization, requester and Account are linked by the Odoo partner id, and adding it moved
 * no record the seeds made before it existed (the figures below were recorded from the seeds without it).
 */
import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { ZendeskTenantCredentials } from '../../sandbox/credentials';
import { seedOrg } from '../../sandbox/salesforce/seed';
import { runQuery } from '../../sandbox/salesforce/soql/evaluate';
import { parseSoql } from '../../sandbox/salesforce/soql/parse';
import { buildWorld, customerOf, SANDBOX_TENANTS, type SandboxTenant } from '../../sandbox/world';
import { createZendeskEmulator, SEED_TICKET_COUNT, seedAccount } from '../../sandbox/zendesk';

type Json = Record<string, unknown>;
const creds: Record<SandboxTenant, ZendeskTenantCredentials> = {
  acme: { tenant: 'acme', email: 'integration@acme.example', token: randomBytes(20).toString('hex') },
  globex: { tenant: 'globex', email: 'integration@globex.example', token: randomBytes(20).toString('hex') },
};
/** An hour after the service ticket was created on acme (2025-02-25T13:15:00Z). */
const NOW = Date.UTC(2025, 1, 25, 14, 15, 0);
const emulator = createZendeskEmulator(Object.values(creds), { now: () => NOW });
const basic = (c: ZendeskTenantCredentials): string => `Basic ${Buffer.from(`${c.email}/token:${c.token}`).toString('base64')}`;

async function get(path: string, tenant: SandboxTenant): Promise<Json> {
  const url = new URL(`http://zendesk.test/api/v2/${path}`);
  const req = { method: 'GET', url, headers: { authorization: basic(creds[tenant]), accept: 'application/json' }, body: Buffer.alloc(0), listener: 0 };
  const reply = await emulator.handle(req, emulator.classify(req));
  expect(reply.status).toBe(200);
  const raw = reply.body;
  return (typeof raw === 'string' ? JSON.parse(raw) : Buffer.isBuffer(raw) ? JSON.parse(raw.toString('utf8')) : raw) as Json;
}

function soql(tenant: SandboxTenant, query: string): Json[] {
  const outcome = runQuery(seedOrg(buildWorld(tenant)), parseSoql(query), query, '50.0');
  if (outcome.kind !== 'rows') throw new Error('expected rows');
  return outcome.rows;
}

/** Recorded from the seeds before the service customer existed. */
const BEFORE: Record<
  SandboxTenant,
  {
    tickets: Array<{ id: number; subject: string; requester_id: number; status: string; created_at: string; assignee_id: number | null }>;
    lastTicketSubject: string;
    organizations: number;
    lastOrganizationId: number;
    lastCustomerUserId: number;
    sf: Record<'Account' | 'Contact' | 'Opportunity', { count: number; lastId: string; lastName: string }>;
  }
> = {
  acme: {
    tickets: [
      {
        id: 1,
        subject: 'Northwind Traders Ltd: Sensor Mk I stopped working',
        requester_id: 10001,
        status: 'open',
        created_at: '2025-01-06T12:00:00Z',
        assignee_id: 5006,
      },
      {
        id: 2,
        subject: 'Contoso Wholesale GmbH: Feedback on your service',
        requester_id: 10003,
        status: 'pending',
        created_at: '2025-01-06T16:58:00Z',
        assignee_id: 5006,
      },
      { id: 3, subject: 'Where is my order?', requester_id: 15001, status: 'new', created_at: '2025-01-06T20:44:00Z', assignee_id: null },
      {
        id: 4,
        subject: 'Quartz Outfitters SA: Feedback on your service',
        requester_id: 10006,
        status: 'solved',
        created_at: '2025-01-07T00:50:00Z',
        assignee_id: 5006,
      },
      {
        id: 5,
        subject: 'Summit Supply S.r.l.: Feedback on your service',
        requester_id: 10008,
        status: 'hold',
        created_at: '2025-01-07T06:02:00Z',
        assignee_id: 5003,
      },
    ],
    lastTicketSubject: 'Cannot log in to the portal',
    organizations: 38,
    lastOrganizationId: 1038,
    lastCustomerUserId: 10081,
    sf: {
      Account: { count: 55, lastId: '0015g000015hizBAAQ', lastName: 'Cedar Group' },
      Contact: { count: 91, lastId: '0035g000015iv9JAAQ', lastName: 'Farah Moreau' },
      Opportunity: { count: 204, lastId: '0065g000015mfwKAAQ', lastName: 'Cedar Group - Bracket XL x55' },
    },
  },
  globex: {
    tickets: [
      {
        id: 1,
        subject: 'Initech LLC: Cannot log in to the portal',
        requester_id: 10001,
        status: 'open',
        created_at: '2025-01-06T14:53:00Z',
        assignee_id: 5006,
      },
      {
        id: 2,
        subject: 'Umbrella Supply Co.: Damaged Panel Mk I in last delivery',
        requester_id: 10002,
        status: 'pending',
        created_at: '2025-01-06T16:14:00Z',
        assignee_id: 5005,
      },
      { id: 3, subject: 'Nozzle Mk II stopped working', requester_id: 15001, status: 'new', created_at: '2025-01-06T22:10:00Z', assignee_id: null },
      {
        id: 4,
        subject: 'Terra Logistics Ltd: Where is my order?',
        requester_id: 10003,
        status: 'solved',
        created_at: '2025-01-07T01:18:00Z',
        assignee_id: 5008,
      },
      {
        id: 5,
        subject: 'Silver Labs S.r.l.: Feedback on your service',
        requester_id: 10006,
        status: 'hold',
        created_at: '2025-01-07T06:10:00Z',
        assignee_id: 5006,
      },
    ],
    lastTicketSubject: 'Where is my order?',
    organizations: 34,
    lastOrganizationId: 1034,
    lastCustomerUserId: 10071,
    sf: {
      Account: { count: 58, lastId: '0015g000015hpAMAAY', lastName: 'Falcon Group' },
      Contact: { count: 90, lastId: '0035g000015it5aAAA', lastName: 'Alex Novak' },
      Opportunity: { count: 234, lastId: '0065g000015nfk6AAA', lastName: 'Falcon Group - Nozzle Mk II x120' },
    },
  },
};

describe.each(SANDBOX_TENANTS)('service customer links on %s', (tenant) => {
  const world = buildWorld(tenant);
  const a = world.anchors;
  const service = customerOf(world, a.serviceCustomer);
  const before = BEFORE[tenant];

  it('should keep the anchor ids and make the service ticket the last one', () => {
    expect(a.tickets).toEqual({ small: 1, big: 2, unknownRequester: 3, emailOnly: 4, noSalesforce: 5, service: 301 });
    expect(SEED_TICKET_COUNT).toBe(301);
    expect(Math.max(...seedAccount(tenant).tickets.keys())).toBe(a.tickets.service);
  });

  it('should serve the service ticket with a requester and organization linked by the Odoo id', async () => {
    const body = await get(`tickets/${a.tickets.service}.json?include=users,organizations,slas`, tenant);
    const ticket = body['ticket'] as Json;
    expect(ticket).toMatchObject({ id: a.tickets.service, status: 'open', priority: 'high', type: 'problem' });
    expect(String(ticket['subject'])).toMatch(/stopped working — is it still under warranty\?$/);
    const user = (body['users'] as Json[]).find((u) => u['id'] === ticket['requester_id'])!;
    const org = (body['organizations'] as Json[]).find((o) => o['id'] === ticket['organization_id'])!;
    expect(user).toMatchObject({ role: 'end-user', external_id: String(service.contacts[0]!.odooId), email: service.contacts[0]!.email });
    expect(org).toMatchObject({ name: service.name, external_id: String(a.serviceCustomer) });
    expect(user['organization_id']).toBe(org['id']);
    // After every pre-existing organization and customer user.
    expect(org['id']).toBe(before.lastOrganizationId + 1);
    expect(user['id']).toBe(before.lastCustomerUserId + 1);
    // Found the way the gateway looks customers up.
    const orgs = await get(`organizations/show_many.json?external_ids=${a.serviceCustomer}`, tenant);
    expect((orgs['organizations'] as Json[]).map((o) => o['id'])).toEqual([org['id']]);
    const users = await get(`users/search.json?external_id=${service.contacts[0]!.odooId}`, tenant);
    expect((users['users'] as Json[]).map((u) => u['id'])).toEqual([user['id']]);
    // Created on the seed clock's last day, after the ticket before it; the customer ref and SKU fields are set.
    const previous = (await get(`tickets/${a.tickets.service - 1}.json`, tenant))['ticket'] as Json;
    const created = Date.parse(String(ticket['created_at']));
    expect(created).toBeGreaterThan(Date.parse(String(previous['created_at'])));
    expect(created - Date.parse(String(previous['created_at']))).toBeLessThan(24 * 3_600_000);
    expect(ticket['custom_fields']).toContainEqual({ id: 7001, value: service.ref });
    // Premium SLA on an account with policies (acme), none on one without (globex).
    if (tenant === 'acme') {
      const metrics = (ticket['slas'] as { policy_metrics: Json[] }).policy_metrics;
      expect(metrics.map((m) => [m['metric'], m['stage']])).toEqual([
        ['first_reply_time', 'active'],
        ['requester_wait_time', 'active'],
      ]);
      expect(metrics[1]).toMatchObject({ breach_at: new Date(created + 480 * 60_000).toISOString().replace('.000Z', 'Z') });
    } else {
      expect(ticket).not.toHaveProperty('slas');
    }
  });

  it('should leave the pre-existing Zendesk records as they were', async () => {
    const many = await get('tickets/show_many.json?ids=1,2,3,4,5', tenant);
    const tickets = (many['tickets'] as Json[]).map((t) => ({
      id: t['id'],
      subject: t['subject'],
      requester_id: t['requester_id'],
      status: t['status'],
      created_at: t['created_at'],
      assignee_id: t['assignee_id'],
    }));
    expect(tickets).toEqual(before.tickets);
    const account = seedAccount(tenant);
    expect(account.tickets.get(a.tickets.service - 1)!.subject).toBe(before.lastTicketSubject);
    expect(account.organizations.size).toBe(before.organizations + 1);
  });

  it('should give the service customer a linked Salesforce account, minted after every other record', () => {
    const [acct, ...more] = soql(tenant, `SELECT Id, Name, Odoo_Partner_Id__c, Type FROM Account WHERE Odoo_Partner_Id__c = '${a.serviceCustomer}'`);
    expect(more).toHaveLength(0);
    expect(acct).toMatchObject({ Name: service.name, Odoo_Partner_Id__c: String(a.serviceCustomer), Type: 'Customer - Direct' });
    const contacts = soql(tenant, `SELECT Name, Email FROM Contact WHERE AccountId = '${String(acct!['Id'])}'`);
    expect(contacts.map((c) => c['Email'])).toEqual(service.contacts.map((c) => c.email));
    const opportunities = soql(tenant, `SELECT StageName, IsClosed FROM Opportunity WHERE AccountId = '${String(acct!['Id'])}'`);
    expect(opportunities.map((o) => o['IsClosed']).sort()).toEqual([false, true]);

    const org = seedOrg(world);
    for (const type of ['Account', 'Contact', 'Opportunity'] as const) {
      const all = org.all(type);
      const mine = all.filter((r) => (type === 'Account' ? r.fields['Id'] === acct!['Id'] : r.fields['AccountId'] === acct!['Id']));
      expect(all.length - mine.length).toBe(before.sf[type].count);
      // the service records come last; the one before them is the last record there was
      expect(all.slice(-mine.length)).toEqual(mine);
      const last = all[before.sf[type].count - 1]!;
      expect([last.fields['Id'], last.fields['Name']]).toEqual([before.sf[type].lastId, before.sf[type].lastName]);
    }
  });
});
