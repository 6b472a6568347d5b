/**
 * Live status end to end (issue 12): changes made directly in the upstreams — an order confirmed
 * over Odoo's JSON-RPC, a ticket updated through Zendesk's API — reach graphql-ws subscribers
 * through change capture, the Redis event bus and a federated push; two gateway replicas share one
 * Redis and exactly one poller per tenant; forged and replayed webhooks push nothing.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Client } from 'graphql-ws/client';
import { sandboxCredentials } from '../../sandbox/credentials';
import { startSandboxUpstreams, type SandboxUpstreams } from '../../sandbox/emulators';
import { startStack, type RunningStack } from '../../sandbox/stack';
import { buildWorld } from '../../sandbox/world';
import type { RunningOdooSubgraph } from '../../subgraphs/odoo/server';
import { call, type OdooCreds } from '../support/odoo-client';
import { collect, until, wsClient } from '../support/ws';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const acme = buildWorld('acme');
const customerId = String(acme.anchors.smallCustomer);
const ticketId = String(acme.anchors.tickets.small);
const INTERVAL_MS = 500;

let upstreams: SandboxUpstreams | undefined;
let first: RunningStack;
let second: RunningStack | undefined;
let odoo: { url: string; creds: OdooCreds };
const clients: Client[] = [];

jest.setTimeout(60_000);

const pollerOf = (stack: RunningStack) => (stack.subgraphs.odoo as RunningOdooSubgraph).capture!.pollers.get('acme')!;

beforeAll(async () => {
  // One key prefix for both replicas (they share streams, leases and cursors), apart from other test files.
  const captureKeyPrefix = `live-status-${process.pid}-${Date.now()}:`;
  const common = { capture: true, redisUrl: REDIS_URL, cache: false, captureIntervalMs: INTERVAL_MS, coalesceMs: 50, captureKeyPrefix } as const;
  // The emulators outlive both replicas (the handover test stops the first).
  upstreams = await startSandboxUpstreams();
  first = await startStack({ ...common, upstreams, registerWebhooks: true });
  await until(() => pollerOf(first).holdsLease, 10_000, 'the first replica holds the acme poller lease');
  second = await startStack({ ...common, upstreams });
  const c = sandboxCredentials(first.registry, first.secrets).odoo.find((x) => x.tenant === 'acme')!;
  const url = first.emulators.odoo.urlOf(c.db);
  const res = await fetch(`${url}/jsonrpc`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'call', id: 1, params: { service: 'common', method: 'authenticate', args: [c.db, c.login, c.apiKey, {}] } }),
  });
  odoo = { url, creds: { db: c.db, uid: ((await res.json()) as { result: number }).result, password: c.apiKey } };
}, 120_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await second?.stop();
  await first?.stop();
  await upstreams?.stop();
});

async function client(stack: RunningStack): Promise<Client> {
  const c = wsClient(stack.gateway.wsUrl, await stack.token('acme', 'agent'));
  clients.push(c);
  return c;
}

const ACTIVITY = /* GraphQL */ `
  subscription ($c: ID!) {
    customerActivity(customerId: $c) {
      entity
      entityId
      kind
      changedFields
      source
      order {
        id
        state
        margin {
          amount
        }
      }
      customer {
        id
        name
        tickets(first: 3) {
          edges {
            node {
              status
            }
          }
        }
        salesforceAccount {
          name
        }
      }
    }
  }
`;

interface Activity {
  customerActivity: {
    entity: string;
    entityId: string;
    kind: string;
    changedFields: string[];
    source: string;
    order: { id: string; state: string; margin: null } | null;
    customer: { id: string; name: string; tickets: { edges: Array<{ node: { status: string } }> }; salesforceAccount: { name: string } | null };
  };
}

describe('Zendesk changes, from signed webhooks', () => {
  const TICKET = 'subscription ($id: ID!) { ticketChanged(id: $id) { changedFields source ticket { id status } } }';
  const zendesk = () => sandboxCredentials(first.registry, first.secrets).zendesk.find((x) => x.tenant === 'acme')!;

  async function updateTicket(status: string): Promise<void> {
    const z = zendesk();
    const res = await fetch(`${first.emulators.zendesk.url}/api/v2/tickets/${ticketId}.json`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${z.email}/token:${z.token}`).toString('base64')}` },
      body: JSON.stringify({ ticket: { status } }),
    });
    expect(res.status).toBe(200);
  }

  it('pushes a ticket updated through the Zendesk API; a forged signature gets 401, a replayed delivery no second push', async () => {
    const sub = collect<{ ticketChanged: { changedFields: string[]; source: string; ticket: { id: string; status: string } } }>(await client(first), TICKET, {
      id: ticketId,
    });
    await until(() => first.gateway.subscriptions.count('acme') === 1, 10_000, 'subscription registered');
    await updateTicket('pending');
    const push = await sub.nth(1, 15_000);
    expect(push.data?.ticketChanged).toMatchObject({ source: 'ZENDESK', ticket: { id: ticketId, status: 'PENDING' } });
    expect(push.data?.ticketChanged.changedFields).toContain('status');

    const delivery = first.emulators.zendesk.webhooks.last('acme')!;
    const intake = `http://127.0.0.1:${first.gateway.port}/webhooks/zendesk/acme`;
    const forged = await fetch(intake, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-zendesk-webhook-signature': Buffer.from('not the signature').toString('base64'),
        'x-zendesk-webhook-signature-timestamp': new Date().toISOString(),
      },
      body: delivery.body,
    });
    expect(forged.status).toBe(401);
    expect(await first.emulators.zendesk.webhooks.replayLast('acme')).toBe(200);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(sub.results).toHaveLength(1);
    sub.dispose();
    await until(() => first.gateway.subscriptions.count('acme') === 0, 10_000, 'subscription released');
  });
});

describe('Odoo changes, polled, on two replicas sharing one Redis', () => {
  it('runs exactly one acme poller across the two replicas', () => {
    expect([pollerOf(first).holdsLease, pollerOf(second!).holdsLease].filter(Boolean)).toHaveLength(1);
  });

  it('pushes an order confirmed directly in Odoo, captured by one replica, to a customerActivity subscriber of the other, with cross-system fields', async () => {
    // The subscriber sits on the replica that does not poll: the change crosses Redis to reach it.
    const other = pollerOf(first).holdsLease ? second! : first;
    const sub = collect<Activity>(await client(other), ACTIVITY, { c: customerId });
    await until(() => other.gateway.subscriptions.count('acme') === 1, 10_000, 'subscription registered');
    const [product] = await call<Array<{ id: number }>>(odoo.url, odoo.creds, 'product.product', 'search_read', [[['sale_ok', '=', true]]], {
      fields: ['id'],
      limit: 1,
    });
    const orderId = await call<number>(odoo.url, odoo.creds, 'sale.order', 'create', [
      [{ partner_id: Number(customerId), order_line: [[0, 0, { product_id: product!.id, product_uom_qty: 1 }]] }],
    ]).then((r) => (Array.isArray(r) ? (r as number[])[0]! : r));
    await call(odoo.url, odoo.creds, 'sale.order', 'action_confirm', [[orderId]]);

    await until(() => sub.results.some((r) => r.data?.customerActivity.order?.state === 'SALES_ORDER'), 15_000, 'the confirmed order pushed');
    const push = sub.results.find((r) => r.data?.customerActivity.order?.state === 'SALES_ORDER')!;
    const activity = push.data!.customerActivity;
    expect(activity).toMatchObject({
      entity: 'ORDER',
      entityId: String(orderId),
      source: 'ODOO',
      order: { id: String(orderId), state: 'SALES_ORDER', margin: null },
    });
    expect(activity.changedFields).toContain('state');
    // Across systems: the ERP customer, its Zendesk tickets and its Salesforce account in the same push.
    expect(activity.customer).toMatchObject({ id: customerId, salesforceAccount: { name: expect.any(String) } });
    expect(activity.customer.tickets.edges.length).toBeGreaterThan(0);
    // An agent may not read margins: null with FORBIDDEN on the push, like a query.
    expect(push.errors?.map((e) => [e.extensions?.['code'], e.path])).toEqual([['FORBIDDEN', ['customerActivity', 'order', 'margin']]]);
    sub.dispose();
  });

  it('hands polling to the other replica when the holder stops, and keeps pushing', async () => {
    const [holder, other] = pollerOf(first).holdsLease ? [first, second!] : [second!, first];
    const sub = collect<{ orderChanged: { changedFields: string[]; order: { clientOrderRef: string | null } } }>(
      await client(other),
      'subscription ($id: ID!) { orderChanged(id: $id) { changedFields order { clientOrderRef } } }',
      { id: '1' },
    );
    await until(() => other.gateway.subscriptions.count('acme') === 1, 10_000, 'subscription registered');
    await holder.stop();
    await until(() => pollerOf(other).holdsLease, 15_000, 'the other replica took the lease');
    await call(odoo.url, odoo.creds, 'sale.order', 'write', [[1], { client_order_ref: 'PO-HANDOVER-1' }]);
    const push = await sub.nth(1, 15_000);
    expect(push.data?.orderChanged.order).toEqual({ clientOrderRef: 'PO-HANDOVER-1' });
    expect(push.data?.orderChanged.changedFields).toContain('clientOrderRef');
    // Now that the poller has seen the order, the next change names exactly what changed.
    await call(odoo.url, odoo.creds, 'sale.order', 'write', [[1], { client_order_ref: 'PO-HANDOVER-2' }]);
    const next = await sub.nth(2, 15_000);
    expect(next.data?.orderChanged).toEqual({ changedFields: ['clientOrderRef'], order: { clientOrderRef: 'PO-HANDOVER-2' } });
    sub.dispose();
  });
});
