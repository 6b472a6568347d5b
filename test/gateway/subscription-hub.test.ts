/**
 * The subscription hub without sockets: who shares a resolution, what a slow subscriber keeps,
 * how bursts merge, and what the delegated query of an entity field looks like.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { buildSchema, getOperationAST, parse, type FieldNode, type OperationDefinitionNode } from 'graphql';
import pino from 'pino';
import { Registry } from 'prom-client';
import type { ChangeEvent } from '../../cache/events';
import { createMemoryEventBus } from '../../cache/memory-events';
import { SUBSCRIPTION_FIELDS } from '../../gateway/subscriptions/catalog';
import { Coalescer, mergeEvents } from '../../gateway/subscriptions/coalesce';
import { delegatedQuery } from '../../gateway/subscriptions/delegate';
import { SubscriptionHub } from '../../gateway/subscriptions/hub';
import { createSubscriptionMetrics } from '../../gateway/subscriptions/metrics';
import type { PushOperation, PushResult } from '../../gateway/subscriptions/resolve-push';
import { SubscriberSink } from '../../gateway/subscriptions/sink';
import type { Identity, Role } from '../../tenancy/identity';
import type { TenantConfig } from '../../tenancy/registry';

const schema = buildSchema(/* GraphQL */ `
  type Query {
    order(id: ID!): Order
    customer(id: ID!): Customer
    action(id: ID!): Action
  }
  type Order {
    id: ID!
    state: String
    lines(first: Int): [String]
  }
  type Customer {
    id: ID!
    name: String
  }
  type Action {
    id: ID!
    status: String
  }
  type OrderChange {
    order: Order
    changedFields: [String!]!
    at: String!
    source: String!
    kind: String!
  }
  type Subscription {
    orderChanged(id: ID!): OrderChange!
  }
`);

const event = (over: Partial<ChangeEvent> = {}): ChangeEvent => ({
  tenant: 'acme',
  type: 'Order',
  id: '7',
  kind: 'updated',
  changedFields: ['state'],
  source: 'odoo',
  at: '2026-11-30T05:00:00.000Z',
  capturedAt: Date.now(),
  ...over,
});

const tenantOf = (id: string) => ({ id, enabled: true, policy: { hiddenFields: {} } }) as unknown as TenantConfig;
const identity = (tenant: string, roles: Role[], subject = 'u1'): Identity => ({ tenant, subject, roles, scopes: [] });

function operation(text: string, variables: Record<string, unknown> = {}): PushOperation {
  const document = parse(text);
  return { schema, document, operation: getOperationAST(document)!, variables, formatError: (e) => e.toJSON() };
}

const buses: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(buses.splice(0).map((b) => b.close()));
});

function hub(overrides: { maxPending?: number } = {}) {
  const bus = createMemoryEventBus();
  buses.push(bus);
  const calls: Array<{ who: string; query: string; variables: Record<string, unknown> }> = [];
  const h = new SubscriptionHub({
    bus,
    tenants: ['acme', 'globex'],
    executorFor: (id) => async (query, variables) => {
      calls.push({ who: `${id.tenant}/${id.roles.join(',')}/${id.subject}`, query, variables });
      return { data: { order: { __typename: 'Order', id: variables['__entityId'], state: `sale-${id.tenant}` } } };
    },
    customerEmail: async () => undefined,
    metrics: createSubscriptionMetrics(new Registry()),
    log: pino({ level: 'silent' }),
    coalesceMs: 0,
    ...overrides,
  });
  return { bus, h, calls };
}

const TEXT = 'subscription ($id: ID!) { orderChanged(id: $id) { changedFields order { id state } } }';

function subscribe(h: SubscriptionHub, who: Identity, text = TEXT, target = '7', subjectScoped = false) {
  const sink = h.subscribe({
    identity: who,
    tenant: tenantOf(who.tenant),
    op: operation(text, { id: target }),
    text,
    rootField: 'orderChanged',
    spec: SUBSCRIPTION_FIELDS['orderChanged']!,
    target,
    subjectScoped,
    onOverflow: () => undefined,
  });
  if (!sink) throw new Error('refused');
  return sink;
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('SubscriptionHub', () => {
  it('resolves once per event for subscribers with the same tenant, roles, operation and variables', async () => {
    const { bus, h, calls } = hub();
    const sinks = [
      subscribe(h, identity('acme', ['agent'], 'a')),
      subscribe(h, identity('acme', ['agent'], 'b')),
      subscribe(h, identity('acme', ['agent'], 'c')),
    ];
    expect(h.groups('acme')).toBe(1);
    await bus.publish(event());
    const pushes = await Promise.all(sinks.map((s) => s.next()));
    expect(calls).toHaveLength(1);
    for (const p of pushes)
      expect((p.value as PushResult).data).toEqual({ orderChanged: { changedFields: ['state'], order: { id: '7', state: 'sale-acme' } } });
  });

  it('keeps roles, tenants and (for requester-scoped reads) subjects apart', async () => {
    const { bus, h, calls } = hub();
    subscribe(h, identity('acme', ['agent']));
    subscribe(h, identity('acme', ['finance']));
    subscribe(h, identity('acme', ['agent'], 'x'), TEXT, '7', true);
    subscribe(h, identity('acme', ['agent'], 'y'), TEXT, '7', true);
    subscribe(h, identity('globex', ['agent']));
    expect(h.groups('acme')).toBe(4);
    await bus.publish(event());
    await settle();
    expect(calls.map((c) => c.who).sort()).toEqual(['acme/agent/u1', 'acme/agent/x', 'acme/agent/y', 'acme/finance/u1']);
  });

  it('never pushes an event of another entity or another tenant', async () => {
    const { bus, h, calls } = hub();
    const sink = subscribe(h, identity('acme', ['agent']));
    await bus.publish(event({ id: '8' }));
    await bus.publish(event({ tenant: 'globex' }));
    await bus.publish(event({ type: 'Invoice' }));
    await settle();
    expect(calls).toHaveLength(0);
    expect(sink.pending).toBe(0);
  });

  it('applies the tenant overlay to the fields the gateway answers itself', async () => {
    const { bus, h } = hub();
    const hiding = { id: 'acme', enabled: true, policy: { hiddenFields: { agent: ['OrderChange.changedFields'] } } } as unknown as TenantConfig;
    const sink = h.subscribe({
      identity: identity('acme', ['agent']),
      tenant: hiding,
      op: operation(TEXT, { id: '7' }),
      text: TEXT,
      rootField: 'orderChanged',
      spec: SUBSCRIPTION_FIELDS['orderChanged']!,
      target: '7',
      subjectScoped: false,
      onOverflow: () => undefined,
    })!;
    await bus.publish(event());
    const push = (await sink.next()).value as PushResult;
    expect(push.errors?.map((e) => [e.extensions?.['code'], e.path])).toEqual([['FORBIDDEN', ['orderChanged', 'changedFields']]]);
    expect(JSON.stringify(push.data)).not.toContain('state');
  });

  it('forgets a group when its last subscriber leaves', async () => {
    const { h } = hub();
    const a = subscribe(h, identity('acme', ['agent']));
    const b = subscribe(h, identity('acme', ['agent']));
    await a.return();
    expect([h.count('acme'), h.groups('acme')]).toEqual([1, 1]);
    await b.return();
    expect([h.count('acme'), h.groups('acme')]).toEqual([0, 0]);
  });
});

describe('SubscriberSink', () => {
  const sink = (maxPending: number, log: string[]) =>
    new SubscriberSink({ maxPending, onOverflow: () => log.push('overflow'), onEnd: () => log.push('end'), onSent: () => log.push('sent') });

  it('keeps only the latest state of each entity while the reader is busy', async () => {
    const log: string[] = [];
    const s = sink(10, log);
    s.push('Order:7', { data: { v: 1 } }, 0);
    s.push('Order:8', { data: { v: 2 } }, 0);
    s.push('Order:7', { data: { v: 3 } }, 0);
    expect(s.pending).toBe(2);
    expect((await s.next()).value).toEqual({ data: { v: 2 } });
    expect((await s.next()).value).toEqual({ data: { v: 3 } });
  });

  it('ends a subscriber that falls more than maxPending entities behind', async () => {
    const log: string[] = [];
    const s = sink(2, log);
    for (const id of [1, 2, 3]) s.push(`Order:${id}`, { data: null }, 0);
    expect(log).toEqual(['end', 'overflow']);
    expect(s.pending).toBe(0);
    expect(await s.next()).toEqual({ value: undefined, done: true });
  });

  it('hands a push straight to a waiting reader', async () => {
    const log: string[] = [];
    const s = sink(2, log);
    const next = s.next();
    s.push('Order:1', { data: { v: 1 } }, 0);
    expect((await next).value).toEqual({ data: { v: 1 } });
    expect(log).toEqual(['sent']);
  });
});

describe('coalescing', () => {
  it('merges changed fields, keeps the latest time and the earliest capture', () => {
    const merged = mergeEvents(
      event({ changedFields: ['state'], at: 'a', capturedAt: 5 }),
      event({ changedFields: ['amountTotal', 'state'], at: 'b', capturedAt: 9 }),
    );
    expect(merged).toMatchObject({ changedFields: ['state', 'amountTotal'], at: 'b', capturedAt: 5 });
    expect(mergeEvents(event({ kind: 'created' }), event()).kind).toBe('created');
    expect(mergeEvents(event(), event({ kind: 'deleted' })).kind).toBe('deleted');
  });

  it('emits one event per entity per window', async () => {
    const out: ChangeEvent[] = [];
    const c = new Coalescer(30, (e) => out.push(e));
    c.add(event({ changedFields: ['a'] }));
    c.add(event({ changedFields: ['b'] }));
    c.add(event({ id: '8' }));
    await new Promise((r) => setTimeout(r, 80));
    expect(out.map((e) => [e.id, e.changedFields])).toEqual([
      ['7', ['a', 'b']],
      ['8', ['state']],
    ]);
  });
});

describe('delegatedQuery', () => {
  it('carries the selection, only the fragments and variables it uses, and __typename everywhere', () => {
    const document = parse(/* GraphQL */ `
      subscription ($id: ID!, $n: Int, $unused: String) {
        orderChanged(id: $id) {
          o: order {
            ...F
            lines(first: $n)
          }
        }
      }
      fragment F on Order {
        state
      }
      fragment G on Order {
        id
      }
    `);
    const op = getOperationAST(document) as OperationDefinitionNode;
    const root = op.selectionSet.selections[0] as FieldNode;
    const orderNode = root.selectionSet!.selections[0] as FieldNode;
    const q = delegatedQuery(document, op, [orderNode], 'order', 'o');
    expect(q.variableNames).toEqual(['n']);
    const printed = q.query.replace(/\s+/g, ' ');
    expect(printed).toContain('query SubscriptionPush($__entityId: ID!, $n: Int) { o: order(id: $__entityId) { ...F lines(first: $n) __typename } }');
    expect(printed).toContain('fragment F on Order { state __typename }');
    expect(printed).not.toContain('fragment G');
  });
});
