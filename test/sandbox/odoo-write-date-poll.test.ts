/**
 * Polling by write_date against the emulator, replaying FACTS 18 (poll.plain.sale.order.*.json):
 * Odoo stores create_date/write_date with microseconds but answers them in whole seconds, and a
 * domain compares against the stored value, so `write_date > <last returned write_date>` returns
 * again the records written in that same second. The emulator's clock is pinned to the recorded
 * moments so the scenario does not depend on when the test runs.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { startOdooEmulator, type RunningOdooEmulator } from '../../sandbox/odoo';
import { call, type OdooCreds } from '../support/odoo-client';

type Polled = { id: number; write_date: string; state: string };
const c: OdooCreds = { db: 'plain18', uid: 2, password: 'plain-key' };
let now = new Date('2026-11-30T01:33:13.100Z');
let emulator: RunningOdooEmulator;

beforeAll(async () => {
  emulator = await startOdooEmulator({
    port: 0,
    clock: () => now,
    tenants: [{ tenant: 'plain', db: 'plain18', login: 'admin', apiKey: 'plain-key', seed: 'empty' }],
  });
});
afterAll(async () => {
  await emulator?.close();
});

const poll = (since: string): Promise<Polled[]> =>
  call<Polled[]>(emulator.url, c, 'sale.order', 'search_read', [[['write_date', '>', since]]], {
    fields: ['id', 'write_date', 'state'],
    order: 'write_date asc, id asc',
  });

it('should answer write_date in whole seconds and return again the unchanged record of the cursor second (FACTS 18)', async () => {
  const url = emulator.url;
  const partner = await call<number>(url, c, 'res.partner', 'create', [{ name: 'Poll Customer', is_company: true }]);
  // S00005 and S00006 of the recording: two orders written in the same second (01:33:13)
  const s5 = await call<number>(url, c, 'sale.order', 'create', [{ partner_id: partner }]);
  await call(url, c, 'sale.order', 'action_confirm', [[s5]]);
  now = new Date('2026-11-30T01:33:13.700Z');
  const s6 = await call<number>(url, c, 'sale.order', 'create', [{ partner_id: partner }]);

  const first = await poll('2026-11-30 00:00:00');
  expect(first).toEqual([
    { id: s5, write_date: '2026-11-30 01:33:13', state: 'sale' },
    { id: s6, write_date: '2026-11-30 01:33:13', state: 'draft' },
  ]);
  const cursor = first[first.length - 1]!.write_date;

  now = new Date('2026-11-30T01:33:54.250Z');
  expect(await call(url, c, 'sale.order', 'write', [[s6], { client_order_ref: 'POLL-CHANGE-1' }])).toBe(true);

  // S00005 was not modified between the polls, yet comes back: stored 01:33:13.1… > '01:33:13'
  const second = await poll(cursor);
  expect(second).toEqual([
    { id: s5, write_date: '2026-11-30 01:33:13', state: 'sale' },
    { id: s6, write_date: '2026-11-30 01:33:54', state: 'draft' },
  ]);
});

it('should keep two writes of one second apart in the stored value and in the order', async () => {
  const url = emulator.url;
  const [a, b] = (await call<Polled[]>(url, c, 'sale.order', 'search_read', [[]], { fields: ['id'], order: 'id asc' })).map((o) => o.id);
  now = new Date('2026-11-30T01:40:00.000Z');
  // the clock stands still: the emulator's stamps still increase call by call, as Postgres' would in real time
  await call(url, c, 'sale.order', 'write', [[b], { note: 'first' }]);
  await call(url, c, 'sale.order', 'write', [[a], { note: 'second' }]);
  const read = await call<Polled[]>(url, c, 'sale.order', 'read', [[a, b], ['write_date']]);
  expect(read.map((r) => r.write_date)).toEqual(['2026-11-30 01:40:00', '2026-11-30 01:40:00']);
  const ordered = await poll('2026-11-30 01:39:59');
  expect(ordered.map((o) => o.id)).toEqual([b, a]);
  // `=` compares the full stored value: b is stored at 01:40:00.000000 exactly, a one microsecond later
  const equal = await call<number[]>(url, c, 'sale.order', 'search', [[['write_date', '=', '2026-11-30 01:40:00']]]);
  expect(equal).toEqual([b]);
});
