/**
 * When Odoo refuses a field after discovery (a module uninstalled, a group removed: "Invalid field"
 * or AccessError), the subgraph discovers the server again and retries the read once; an error that
 * persists still reaches the client as a coded refusal. Calls are counted from the emulator.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { injectFault } from '../support/http';
import { opsOf, startOdooHarness, type OdooHarness } from '../support/odoo-subgraph';

let h: OdooHarness;
beforeAll(async () => {
  h = await startOdooHarness();
});
afterAll(async () => {
  await h?.stop();
});
beforeEach(async () => {
  await h.reset();
});

describe('Odoo subgraph: capabilities rediscovered when the server changes under it', () => {
  it('should rediscover and retry once after an AccessError, and answer', async () => {
    await injectFault(h.emulator.url, { tenant: 'acme', op: 'res.partner.search_read', fault: 'error', error: 'odoo.exceptions.AccessError', times: 1 });
    const res = await h.query<{ customer: { name: string } | null }>('acme', 'agent', '{ customer(id: "10") { name } }');
    expect(res.errors).toBeUndefined();
    expect(res.data?.customer?.name).toBe(h.world('acme').customers.find((c) => c.odooId === 10)!.name);
    const ops = opsOf(await h.stats(), 'acme');
    expect(ops['res.partner.search_read']).toBeGreaterThanOrEqual(2);
    // The rediscovery: the version and every model's fields_get, once.
    expect(ops['sale.order.fields_get']).toBe(1);
  });

  it('should not rediscover again within the throttle window, and say which upstream refused', async () => {
    await injectFault(h.emulator.url, { tenant: 'acme', op: 'sale.order.search_read', fault: 'error', error: 'odoo.exceptions.AccessError' });
    const res = await h.query<{ order: { name: string } | null }>('acme', 'agent', '{ order(id: "1") { name } }');
    expect(res.data?.order ?? null).toBeNull();
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_REJECTED', upstream: 'odoo' });
    expect(JSON.stringify(res)).not.toMatch(/injected|AccessError|Traceback/);
    // The previous test rediscovered moments ago: nothing new to learn, so no retry and no discovery.
    const ops = opsOf(await h.stats(), 'acme');
    expect(ops['sale.order.search_read']).toBe(1);
    expect(ops['sale.order.fields_get']).toBeUndefined();
  });
});
