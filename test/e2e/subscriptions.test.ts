/**
 * Subscriptions at the gateway (issue 12): graphql-ws on `/graphql`, authentication at
 * `connection_init`, federated payloads resolved with the subscriber's identity, tenant isolation,
 * shared resolutions, bursts coalesced. Events are published straight onto the stack's bus here;
 * change capture from the upstreams is tested end to end in live-status.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client } from 'graphql-ws/client';
import type { ChangeEvent } from '../../cache/events';
import { mintLocalToken } from '../../gateway/local-tokens';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, startStack, type RunningStack } from '../../sandbox/stack';
import { buildWorld } from '../../sandbox/world';
import { postGraphQL, bearer } from '../support/http';
import { query } from '../support/stack';
import WebSocket from 'ws';
import { collect, rawInit, until, wsClient } from '../support/ws';

const acme = buildWorld('acme');
const AUTH_SECRET = 'subscriptions-test-secret-of-at-least-32-bytes!';
/** A client token for a chosen subject (the stack's `token` names the subject after the role). */
const tokenOf = (role: 'agent' | 'supervisor', subject: string) =>
  mintLocalToken({ tenant: 'acme', role, subject, issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE }, new TextEncoder().encode(AUTH_SECRET));
const customerId = String(acme.anchors.smallCustomer);
let stack: RunningStack;
let orderId: string;
const clients: Client[] = [];
/** acme subscriptions this file holds open: the hub's count must come to it before an event is published. */
let open = 0;
function track<T extends { dispose(): void }>(sub: T): T {
  open += 1;
  const dispose = sub.dispose.bind(sub);
  let disposed = false;
  sub.dispose = () => {
    if (!disposed) open -= 1;
    disposed = true;
    dispose();
  };
  return sub;
}
/** Subscribes once the hub has released every subscription this file disposed (so `registered` cannot count a leaving one). */
const watch = async <T>(c: Client, q: string, v: Record<string, unknown> = {}) => {
  await until(() => stack.gateway.subscriptions.count('acme') === open, 10_000, 'earlier subscriptions released');
  return track(collect<T>(c, q, v));
};
const registered = () => until(() => stack.gateway.subscriptions.count('acme') === open, 10_000, 'subscriptions registered');

const event = (over: Partial<ChangeEvent> = {}): ChangeEvent => ({
  tenant: 'acme',
  type: 'Order',
  id: orderId,
  kind: 'updated',
  changedFields: ['state'],
  source: 'odoo',
  at: new Date().toISOString(),
  capturedAt: Date.now(),
  customer: { id: customerId },
  ...over,
});

async function client(tenant: string, role: 'agent' | 'supervisor' | 'finance' | 'admin' = 'agent'): Promise<Client> {
  const c = wsClient(stack.gateway.wsUrl, await stack.token(tenant, role));
  clients.push(c);
  return c;
}

beforeAll(async () => {
  stack = await startStack({ capture: true, captureIntervalMs: 3_600_000, coalesceMs: 50, authSecret: AUTH_SECRET });
  const found = await query<{ customer: { orders: { edges: Array<{ node: { id: string } }> } } }>(
    stack,
    'acme',
    'agent',
    `query ($id: ID!) { customer(id: $id) { orders(first: 1) { edges { node { id } } } } }`,
    { id: customerId },
  );
  orderId = found.data!.customer.orders.edges[0]!.node.id;
}, 120_000);
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await stack?.stop();
});

const ORDER_CHANGED = /* GraphQL */ `
  subscription ($id: ID!) {
    orderChanged(id: $id) {
      changedFields
      source
      kind
      order {
        id
        state
        customer {
          id
          name
          tickets(first: 5) {
            edges {
              node {
                status
              }
            }
          }
        }
      }
    }
  }
`;

describe('graphql-ws connection', () => {
  it('closes an unauthenticated connection_init with 4401 and subscribes nothing', async () => {
    const closed = await rawInit(stack.gateway.wsUrl, {}, { thenSubscribe: 'subscription { orderChanged(id: "1") { kind } }' });
    expect(closed).toMatchObject({ acked: false, code: 4401 });
    expect(stack.gateway.subscriptions.count('acme')).toBe(open);
  });

  it('closes a bad or expired token with 4401, and acknowledges a valid one', async () => {
    expect(await rawInit(stack.gateway.wsUrl, { authorization: 'Bearer not.a.token' })).toMatchObject({ acked: false, code: 4401 });
    const expired = await stack.token('acme', 'agent', -120);
    expect(await rawInit(stack.gateway.wsUrl, { authorization: `Bearer ${expired}` })).toMatchObject({ acked: false, code: 4401 });
    expect(await rawInit(stack.gateway.wsUrl, { authorization: `Bearer ${await stack.token('acme', 'agent')}` })).toMatchObject({ acked: true });
  });

  it('refuses a subscription over HTTP with a pointer to graphql-ws', async () => {
    const res = await postGraphQL(stack.gateway.url, 'subscription { orderChanged(id: "1") { kind } }', {}, bearer(await stack.token('acme', 'agent')));
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });

  it('answers an invalid subscription with a coded error, not a socket failure', async () => {
    const c = await client('acme');
    const sub = collect(c, 'subscription { orderChanged(id: "1") { nope } }');
    await until(() => sub.errors.length > 0, 10_000, 'an error');
    expect(JSON.stringify(sub.errors[0])).toContain('GRAPHQL_VALIDATION_FAILED');
  });

  it('runs queries over the socket with the connection identity', async () => {
    const c = await client('acme');
    const sub = collect<{ order: { id: string } }>(c, 'query ($id: ID!) { order(id: $id) { id } }', { id: orderId });
    expect((await sub.nth(1)).data?.order.id).toBe(orderId);
  });
});

describe('pushes', () => {
  it('pushes a federated payload (ERP order, its customer, the support desk tickets) for an event of the entity', async () => {
    const c = await client('acme');
    const sub = await watch<{
      orderChanged: {
        changedFields: string[];
        source: string;
        kind: string;
        order: { id: string; state: string; customer: { id: string; tickets: { edges: unknown[] } } };
      };
    }>(c, ORDER_CHANGED, { id: orderId });
    await registered();
    await stack.capture!.bus.publish(event({ changedFields: ['state', 'invoiceStatus'] }));
    const push = await sub.nth(1);
    expect(push.errors).toBeUndefined();
    expect(push.data?.orderChanged).toMatchObject({ changedFields: ['state', 'invoiceStatus'], source: 'ODOO', kind: 'UPDATED', order: { id: orderId } });
    expect(push.data?.orderChanged.order.customer.id).toMatch(/^\d+$/);
    expect(push.data?.orderChanged.order.customer.tickets.edges.length).toBeGreaterThan(0);
    sub.dispose();
  });

  it('never pushes another tenant’s event for the same id', async () => {
    const c = await client('acme');
    const sub = await watch<{ orderChanged: { changedFields: string[] } }>(c, 'subscription ($id: ID!) { orderChanged(id: $id) { changedFields } }', {
      id: orderId,
    });
    await registered();
    await stack.capture!.bus.publish(event({ tenant: 'globex', changedFields: ['fromGlobex'] }));
    await stack.capture!.bus.publish(event({ changedFields: ['fromAcme'] }));
    expect((await sub.nth(1)).data?.orderChanged.changedFields).toEqual(['fromAcme']);
    await new Promise((r) => setTimeout(r, 300));
    expect(sub.results).toHaveLength(1);
    sub.dispose();
  });

  it('gives a role-limited subscriber null + FORBIDDEN on hidden fields of every push', async () => {
    const c = await client('acme', 'agent');
    const sub = await watch<{ orderChanged: { order: { id: string; margin: unknown } } }>(
      c,
      'subscription ($id: ID!) { orderChanged(id: $id) { order { id margin { amount } } } }',
      {
        id: orderId,
      },
    );
    await registered();
    for (const n of [1, 2]) {
      await stack.capture!.bus.publish(event({ changedFields: [`push${n}`] }));
      const push = await sub.nth(n);
      expect(push.data?.orderChanged.order).toEqual({ id: orderId, margin: null });
      expect(push.errors?.map((e) => [e.extensions?.['code'], e.path])).toEqual([['FORBIDDEN', ['orderChanged', 'order', 'margin']]]);
    }
    sub.dispose();
  });

  it('shows finance what finance may see', async () => {
    const c = await client('acme', 'finance');
    const sub = await watch<{ orderChanged: { order: { margin: { amount: number } | null } } }>(
      c,
      'subscription ($id: ID!) { orderChanged(id: $id) { order { margin { amount } } } }',
      {
        id: orderId,
      },
    );
    await registered();
    await stack.capture!.bus.publish(event());
    const push = await sub.nth(1);
    expect(push.errors).toBeUndefined();
    expect(typeof push.data?.orderChanged.order.margin?.amount).toBe('number');
    sub.dispose();
  });

  it('keeps aliases, fragments and variables of the subscriber’s selection', async () => {
    const c = await client('acme');
    const q = /* GraphQL */ `
      subscription ($id: ID!, $n: Int!) {
        change: orderChanged(id: $id) {
          what: changedFields
          o: order {
            ...Head
            orders: customer {
              recent: orders(first: $n) {
                edges {
                  node {
                    id
                  }
                }
              }
            }
          }
        }
      }
      fragment Head on Order {
        ref: id
        state
      }
    `;
    const sub = await watch<{ change: { what: string[]; o: { ref: string; state: string; orders: { recent: { edges: unknown[] } } } } }>(c, q, {
      id: orderId,
      n: 0,
    });
    await registered();
    await stack.capture!.bus.publish(event());
    const push = await sub.nth(1);
    expect(push.errors).toBeUndefined();
    expect(push.data?.change.what).toEqual(['state']);
    expect(push.data?.change.o.ref).toBe(orderId);
    expect(push.data?.change.o.orders.recent.edges).toHaveLength(0);
    sub.dispose();
  });

  it('shares one resolution per event among identical subscribers, and coalesces a burst into one push', async () => {
    const subs = [];
    await registered();
    const groupsBefore = stack.gateway.subscriptions.groups('acme');
    for (let i = 0; i < 3; i += 1)
      subs.push(
        await watch<{ orderChanged: { changedFields: string[] } }>(
          await client('acme'),
          'subscription S($id: ID!) { orderChanged(id: $id) { changedFields order { state } } }',
          { id: orderId },
        ),
      );
    await registered();
    expect(stack.gateway.subscriptions.groups('acme')).toBe(groupsBefore + 1);
    const resolutions = async () =>
      Number(
        /gateway_subscription_resolutions_total\{tenant="acme"\} (\d+)/.exec(
          await (await fetch(stack.gateway.url.replace('/graphql', '/metrics'), { headers: bearer(await stack.token('acme', 'admin')) })).text(),
        )?.[1] ?? 0,
      );
    const r0 = await resolutions();
    await stack.capture!.bus.publish(event({ changedFields: ['state'] }));
    await stack.capture!.bus.publish(event({ changedFields: ['amountTotal'] }));
    await stack.capture!.bus.publish(event({ changedFields: ['state', 'invoiceStatus'] }));
    for (const sub of subs) expect((await sub.nth(1)).data?.orderChanged.changedFields.sort()).toEqual(['amountTotal', 'invoiceStatus', 'state']);
    expect((await resolutions()) - r0).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    for (const sub of subs) {
      expect(sub.results).toHaveLength(1);
      sub.dispose();
    }
  });

  it('streams every change of a customer to customerActivity, with the changed entity', async () => {
    const c = await client('acme');
    const sub = await watch<{
      customerActivity: {
        entity: string;
        entityId: string;
        customer: { id: string };
        order: { id: string } | null;
        ticket: { id: string; status: string } | null;
      };
    }>(c, 'subscription ($c: ID!) { customerActivity(customerId: $c) { entity entityId customer { id } order { id } ticket { id status } } }', {
      c: customerId,
    });
    await registered();
    await stack.capture!.bus.publish(event({ customer: { id: String(acme.anchors.bigCustomer) }, id: '999999' }));
    await stack.capture!.bus.publish(event());
    const first = await sub.nth(1);
    expect(first.data?.customerActivity).toMatchObject({
      entity: 'ORDER',
      entityId: orderId,
      customer: { id: customerId },
      order: { id: orderId },
      ticket: null,
    });
    const ticketId = String(acme.anchors.tickets.small);
    await stack.capture!.bus.publish(event({ type: 'Ticket', id: ticketId, source: 'zendesk', customer: { id: customerId } }));
    expect((await sub.nth(2)).data?.customerActivity).toMatchObject({ entity: 'TICKET', entityId: ticketId, order: null, ticket: { id: ticketId } });
    sub.dispose();
  });
});

describe('requester-scoped entities', () => {
  it('pushes an action’s changes to its requester only: another agent learns nothing, not even that it changed', async () => {
    const note = await postGraphQL<{ addOrderNote: { action: { id: string } | null } }>(
      stack.gateway.url,
      'mutation ($input: AddOrderNoteInput!) { addOrderNote(input: $input) { action { id } } }',
      { input: { idempotencyKey: `sub-${Date.now()}`, orderId, body: 'Customer called about delivery' } },
      bearer(await tokenOf('agent', 'ann@acme.example')),
    );
    const actionId = note.data!.addOrderNote.action!.id;
    const text = 'subscription ($id: ID!) { actionChanged(id: $id) { changedFields kind action { id status } } }';
    const own = await watch<{ actionChanged: { changedFields: string[]; action: { id: string } } }>(
      wsClient(stack.gateway.wsUrl, await tokenOf('agent', 'ann@acme.example')),
      text,
      { id: actionId },
    );
    const other = await watch<{ actionChanged: unknown }>(wsClient(stack.gateway.wsUrl, await tokenOf('agent', 'bob@acme.example')), text, { id: actionId });
    await registered();
    expect(stack.gateway.subscriptions.groups('acme')).toBeGreaterThanOrEqual(2);
    await stack.capture!.bus.publish(event({ type: 'Action', id: actionId, source: 'gateway', changedFields: ['status'] }));
    const push = (await own.nth(1)).data?.actionChanged;
    expect(push).toMatchObject({ action: { id: actionId } });
    expect(push?.changedFields).toContain('status');
    await new Promise((r) => setTimeout(r, 500));
    expect(other.results).toHaveLength(0);
    own.dispose();
    other.dispose();
  });
});

describe('connection lifetime and limits', () => {
  /** Opens an acknowledged graphql-transport-ws socket; resolves once acked. */
  async function acked(token: string): Promise<{ socket: WebSocket; closed: Promise<{ code: number; reason: string }> }> {
    const socket = new WebSocket(stack.gateway.wsUrl, 'graphql-transport-ws');
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      socket.once('close', (code: number, reason: Buffer) => resolve({ code, reason: String(reason) })),
    );
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
      socket.on('message', (data: Buffer) => {
        if ((JSON.parse(String(data)) as { type: string }).type === 'connection_ack') resolve();
      });
    });
    return { socket, closed };
  }

  it('closes the connection with 4401 when its token expires', async () => {
    const { closed } = await acked(await stack.token('acme', 'agent', 1));
    expect(await closed).toEqual({ code: 4401, reason: 'Token expired' });
  });

  it('keeps the connection open past the first token’s expiry when a fresh token arrives in a ping', async () => {
    const { socket, closed } = await acked(await stack.token('acme', 'agent', 1));
    socket.send(JSON.stringify({ type: 'ping', payload: { authorization: `Bearer ${await stack.token('acme', 'agent', 60)}` } }));
    const outcome = await Promise.race([closed, new Promise((r) => setTimeout(() => r('open'), 2_500))]);
    expect(outcome).toBe('open');
    socket.close(1000);
  });

  it('refuses a fresh token with other roles for the same subject with 4403 (a refresh never changes who is asking)', async () => {
    const { socket, closed } = await acked(await tokenOf('supervisor', 'pat@acme.example'));
    socket.send(JSON.stringify({ type: 'ping', payload: { authorization: `Bearer ${await tokenOf('agent', 'pat@acme.example')}` } }));
    expect((await closed).code).toBe(4403);
  });

  it('refuses a fresh token of another subject with 4403', async () => {
    const { socket, closed } = await acked(await stack.token('acme', 'agent', 60));
    socket.send(JSON.stringify({ type: 'ping', payload: { authorization: `Bearer ${await stack.token('globex', 'agent', 60)}` } }));
    expect((await closed).code).toBe(4403);
  });

  it('limits subscriptions per connection with RATE_LIMITED', async () => {
    const { socket } = await acked(await stack.token('acme', 'agent', 60));
    const errors: unknown[] = [];
    socket.on('message', (data: Buffer) => {
      const m = JSON.parse(String(data)) as { type: string; payload?: unknown };
      if (m.type === 'error') errors.push(m.payload);
    });
    for (let i = 0; i < 51; i += 1)
      socket.send(JSON.stringify({ id: String(i), type: 'subscribe', payload: { query: `subscription { orderChanged(id: "${i + 1}") { kind } }` } }));
    await until(() => errors.length === 1, 10_000, 'the 51st subscription refused');
    expect(JSON.stringify(errors[0])).toContain('RATE_LIMITED');
    socket.close(1000);
    await until(() => stack.gateway.subscriptions.count('acme') === open, 10_000, 'subscriptions released at close');
  });

  it('times out a connection that never sends connection_init (4408)', async () => {
    const closed = await rawInit(stack.gateway.wsUrl, undefined, { sendInit: false });
    expect(closed.code).toBe(4408);
  });
});
