/**
 * The Zendesk emulator's SLA data: `slas/policies` and the `include=slas` sideload embedded in each
 * ticket, for an account with SLA policies (acme) and one without (globex), on a fixed clock.
 */
import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { ZendeskTenantCredentials } from '../../sandbox/credentials';
import { createZendeskEmulator, seedAccount } from '../../sandbox/zendesk';
import { SLA_POLICIES, slasOf } from '../../sandbox/zendesk/sla';

const acme: ZendeskTenantCredentials = { tenant: 'acme', email: 'integration@acme.example', token: randomBytes(20).toString('hex') };
const globex: ZendeskTenantCredentials = { tenant: 'globex', email: 'integration@globex.example', token: randomBytes(20).toString('hex') };
const NOW = Date.UTC(2025, 0, 6, 12, 0, 0); // 4 hours after the seed's epoch: ticket 1 was created about now

type Json = Record<string, unknown>;
const emulator = createZendeskEmulator([acme, globex], { now: () => NOW });
const basic = (c: ZendeskTenantCredentials): string => `Basic ${Buffer.from(`${c.email}/token:${c.token}`).toString('base64')}`;

async function get(path: string, creds: ZendeskTenantCredentials): Promise<Json> {
  const url = new URL(`http://zendesk.test/api/v2/${path}`);
  const req = { method: 'GET', url, headers: { authorization: basic(creds), accept: 'application/json' }, body: Buffer.alloc(0), listener: 0 };
  const reply = await emulator.handle(req, emulator.classify(req));
  expect(reply.status).toBe(200);
  const body =
    typeof reply.body === 'string'
      ? (JSON.parse(reply.body) as unknown)
      : Buffer.isBuffer(reply.body)
        ? (JSON.parse(reply.body.toString('utf8')) as unknown)
        : reply.body;
  return body as Json;
}

describe('Zendesk emulator SLA', () => {
  it('should list the SLA policies of an account that has them, and none for one without', async () => {
    const body = await get('slas/policies.json', acme);
    const policies = body['sla_policies'] as Json[];
    expect(policies.map((p) => p['title'])).toEqual(['Premium support', 'Standard support']);
    expect(policies[0]).toMatchObject({ id: 9001, position: 1, url: 'http://zendesk.test/api/v2/slas/policies/9001.json' });
    expect(policies[0]!['policy_metrics']).toContainEqual({ priority: 'urgent', metric: 'first_reply_time', target: 60, business_hours: false });
    expect(policies[0]!['policy_metrics']).toContainEqual({ priority: 'high', metric: 'requester_wait_time', target: 480, business_hours: false });
    expect(await get('slas/policies.json', globex)).toEqual({ sla_policies: [], next_page: null, previous_page: null, count: 0 });
  });

  it('should embed the sideload in each ticket of show_many, show and list only when asked', async () => {
    const plain = await get('tickets/show_many.json?ids=1,2', acme);
    for (const t of plain['tickets'] as Json[]) expect(t).not.toHaveProperty('slas');
    const many = await get('tickets/show_many.json?ids=1,2,3,4,5&include=users,organizations,slas', acme);
    const byId = new Map((many['tickets'] as Json[]).map((t) => [t['id'], t]));
    expect(many).toHaveProperty('users');
    expect(many).not.toHaveProperty('slas'); // embedded in the tickets, not a top-level array
    const t1 = byId.get(1)!;
    const created = Date.parse(String(t1['created_at']));
    // Ticket 1 (open, high): Premium support, first reply 60 min, requester wait 480 min from created_at.
    const metrics = (t1['slas'] as { policy_metrics: Json[] }).policy_metrics;
    expect(metrics.map((m) => m['metric'])).toEqual(['first_reply_time', 'requester_wait_time']);
    expect(metrics[1]).toMatchObject({ breach_at: new Date(created + 480 * 60_000).toISOString().replace('.000Z', 'Z'), stage: 'active' });
    for (const m of metrics) {
      const units = ['days', 'hours', 'minutes'].filter((k) => k in m);
      expect(units).toHaveLength(1);
    }
    // Ticket 2 is pending: the requester's wait is paused.
    expect((byId.get(2)!['slas'] as { policy_metrics: Json[] }).policy_metrics.find((m) => m['metric'] === 'requester_wait_time')?.['stage']).toBe('paused');
    // Ticket 4 is solved: everything achieved.
    for (const m of (byId.get(4)!['slas'] as { policy_metrics: Json[] }).policy_metrics) expect(m['stage']).toBe('achieved');
    const one = await get('tickets/1.json?include=slas', acme);
    expect((one['ticket'] as Json)['slas']).toEqual(t1['slas']);
    const list = await get('tickets.json?per_page=5&include=slas', acme);
    expect((list['tickets'] as Json[])[0]!['slas']).toEqual(t1['slas']);
  });

  it('should count down relative to the emulator clock, negative once breached', () => {
    const account = seedAccount('acme');
    const t1 = account.tickets.get(1)!;
    const created = Date.parse(t1.created_at);
    const early = slasOf(account, t1, created)!.policy_metrics;
    expect(early.find((m) => m['metric'] === 'requester_wait_time')).toMatchObject({ hours: 8 });
    expect(early.find((m) => m['metric'] === 'first_reply_time')).toMatchObject({ hours: 1 });
    const late = slasOf(account, t1, created + 3 * 24 * 3_600_000)!.policy_metrics;
    expect(late.find((m) => m['metric'] === 'requester_wait_time')).toMatchObject({ days: -2 });
    // Deterministic: same account, same clock, same answer.
    expect(slasOf(seedAccount('acme'), seedAccount('acme').tickets.get(1)!, created)).toEqual(slasOf(account, t1, created));
  });

  it('should give tickets without a priority empty metrics, and an account without policies no slas at all', async () => {
    const account = seedAccount('acme');
    const noPriority = [...account.tickets.values()].find((t) => t.priority === null)!;
    expect(slasOf(account, noPriority, NOW)).toEqual({ policy_metrics: [] });
    const g = await get('tickets/show_many.json?ids=1,2,3&include=users,organizations,slas', globex);
    for (const t of g['tickets'] as Json[]) expect(t).not.toHaveProperty('slas');
    expect(SLA_POLICIES).toHaveLength(2);
  });
});
