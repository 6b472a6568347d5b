/**
 * Service context through the gateway (issue 13): the service customer's seeded stories (a plan
 * expiring in 10 days, an expired plan renewed, an overdue plan invoice, a late delivery, a
 * backorder, a return, an item out of warranty) read from its Zendesk ticket, with the verdicts and
 * reasons an agent sees, the SLA from Zendesk (acme) or from the plan (globex, no Zendesk SLA), and
 * no finance-only amount in an agent's answer.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startStack, type RunningStack } from '../../sandbox/stack';
import { buildWorld, SERVICE_CASES } from '../../sandbox/world';
import { profileFor } from '../../sandbox/odoo/profiles';
import { query } from '../support/stack';

const SERVICE_QUERY = /* GraphQL */ `
  query Service($id: ID!) {
    ticket(id: $id) {
      id
      createdAt
      sla {
        source
        policy
        firstResponseDueAt
        resolutionDueAt
        breached
      }
      customer {
        id
        supportStatus {
          entitled
          tier
          sla {
            firstResponseHours
            resolutionHours
          }
          paymentStanding
          reasons
          amountOverdue {
            amount
            currencyCode
          }
        }
        entitlements {
          product {
            sku
          }
          tier
          endsOn
          active
          renewalStatus
          paymentStanding
          daysOverdue
          sla {
            firstResponseHours
          }
          amountDue {
            amount
          }
        }
        orders(first: 10) {
          edges {
            node {
              name
              fulfilment {
                quantityOrdered
                quantityDelivered
                quantityInvoiced
                amountOrdered {
                  amount
                }
                amountInvoiced {
                  amount
                }
                amountPaid {
                  amount
                }
                amountDue {
                  amount
                }
                nextMilestone
              }
              lines {
                product {
                  sku
                }
                warrantyEndsOn
                underWarranty
              }
              deliveries {
                name
                kind
                state
                doneDate
                milestones {
                  kind
                  reached
                  at
                }
                exceptions {
                  kind
                  message
                  related {
                    name
                    kind
                    state
                  }
                }
                moves {
                  product {
                    sku
                  }
                  demand
                  quantity
                  state
                }
              }
            }
          }
        }
      }
    }
  }
`;

interface Money {
  amount: number;
}
interface Delivery {
  name: string;
  kind: string;
  state: string;
  doneDate: string | null;
  milestones: Array<{ kind: string; reached: boolean; at: string | null }>;
  exceptions: Array<{ kind: string; message: string; related: { name: string; kind: string; state: string } | null }>;
  moves: Array<{ product: { sku: string } | null; demand: number; quantity: number; state: string }>;
}
interface Order {
  name: string;
  fulfilment: {
    quantityOrdered: number;
    quantityDelivered: number;
    quantityInvoiced: number;
    amountOrdered: Money;
    amountInvoiced: Money;
    amountPaid: Money | null;
    amountDue: Money | null;
    nextMilestone: string;
  };
  lines: Array<{ product: { sku: string } | null; warrantyEndsOn: string | null; underWarranty: boolean | null }>;
  deliveries: Delivery[];
}
interface ServiceData {
  ticket: {
    id: string;
    createdAt: string;
    sla: { source: string; policy: string | null; firstResponseDueAt: string | null; resolutionDueAt: string | null; breached: boolean } | null;
    customer: {
      id: string;
      supportStatus: {
        entitled: boolean;
        tier: string | null;
        sla: { firstResponseHours: number; resolutionHours: number } | null;
        paymentStanding: string | null;
        reasons: string[];
        amountOverdue: (Money & { currencyCode: string }) | null;
      };
      entitlements: Array<{
        product: { sku: string } | null;
        tier: string | null;
        endsOn: string | null;
        active: boolean;
        renewalStatus: string;
        paymentStanding: string;
        daysOverdue: number | null;
        sla: { firstResponseHours: number } | null;
        amountDue: Money | null;
      }>;
      orders: { edges: Array<{ node: Order }> };
    };
  };
}

/** Finance-only fields of the schema's answer (subgraphs/*\/permissions.ts: FINANCE). */
const FINANCE_ONLY = new Set([
  'amountDue',
  'amountOverdue',
  'amountPaid',
  'margin',
  'marginPercent',
  'cost',
  'creditLimit',
  'openBalance',
  'balances',
  // The amounts the open balance can be derived from (subgraphs/odoo/permissions.ts DERIVED_FROM_FINANCE).
  'amountInvoiced',
  'amountOrdered',
  'amountTotal',
  'amountUntaxed',
  'amountResidual',
  'unitPrice',
  'subtotal',
]);

/** Every finance-only key holding something other than null, with its path. */
function financeValues(value: unknown, path: string[] = []): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => financeValues(v, [...path, String(i)]));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => (FINANCE_ONLY.has(k) && v !== null ? [[...path, k].join('.')] : financeValues(v, [...path, k])));
}

const todayUtc = (): string => new Date().toISOString().slice(0, 10);
const daysBetween = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
/** The seed counts days in UTC; the gateway in the main company's time zone: the two differ by a day around midnight. */
const companyToday = (tenant: string): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: profileFor(tenant).companies[0]?.tz ?? 'UTC' }).format(new Date());
const lag = (tenant: string): number => daysBetween(companyToday(tenant), todayUtc());
const plusDays = (days: number): string => new Date(Date.parse(`${todayUtc()}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const orderWith = (data: ServiceData, sku: string): Order => {
  const order = data.ticket.customer.orders.edges.map((e) => e.node).find((o) => o.lines.some((l) => l.product?.sku === sku));
  if (!order) throw new Error(`no order with ${sku}`);
  return order;
};

let stack: RunningStack;
const answers: Record<string, { agent: ServiceData; finance: ServiceData; agentErrors: Array<{ extensions?: Record<string, unknown> }> }> = {};

beforeAll(async () => {
  stack = await startStack({ cache: false });
  for (const tenant of ['acme', 'globex']) {
    const id = String(buildWorld(tenant).anchors.tickets.service);
    const agent = await query<ServiceData>(stack, tenant, 'agent', SERVICE_QUERY, { id });
    const finance = await query<ServiceData>(stack, tenant, 'finance', SERVICE_QUERY, { id });
    expect(finance.errors).toBeUndefined();
    answers[tenant] = { agent: agent.data!, finance: finance.data!, agentErrors: (agent.errors ?? []) as Array<{ extensions?: Record<string, unknown> }> };
  }
});
afterAll(async () => {
  await stack?.stop();
});

describe.each(['acme', 'globex'])('service context of %s', (tenant) => {
  const finance = (): ServiceData => answers[tenant]!.finance;

  it("should find the service customer from the ticket's requester", () => {
    expect(finance().ticket.customer.id).toBe(String(buildWorld(tenant).anchors.serviceCustomer));
  });

  it('should give each plan its standing: expiring in 10 days, expired and renewed, overdue', () => {
    const bySku = Object.fromEntries(finance().ticket.customer.entitlements.map((e) => [e.product?.sku, e]));
    expect(bySku[SERVICE_CASES.expiringPlan.sku]).toMatchObject({
      renewalStatus: 'EXPIRING_SOON',
      paymentStanding: 'PAID',
      endsOn: plusDays(10),
      active: true,
    });
    expect(bySku[SERVICE_CASES.expiredPlan.sku]).toMatchObject({ renewalStatus: 'RENEWED', active: false, paymentStanding: 'PAID' });
    expect(bySku[SERVICE_CASES.renewalPlan.sku]).toMatchObject({
      tier: 'PREMIUM',
      renewalStatus: 'ACTIVE',
      paymentStanding: 'OVERDUE',
      daysOverdue: SERVICE_CASES.renewalPlan.invoiceDueDaysAgo - lag(tenant),
      sla: { firstResponseHours: 1 },
    });
    expect(bySku[SERVICE_CASES.renewalPlan.sku]!.amountDue!.amount).toBeGreaterThan(0);
  });

  it('should give one verdict with reasons an agent can read out', () => {
    const status = finance().ticket.customer.supportStatus;
    expect(status).toMatchObject({ entitled: true, tier: 'PREMIUM', sla: { firstResponseHours: 1, resolutionHours: 8 }, paymentStanding: 'OVERDUE' });
    expect(status.reasons).toContain(`Standard plan ends on ${plusDays(10)} (in ${10 + lag(tenant)} days)`);
    expect(status.reasons.some((r) => new RegExp(`^invoice \\S+ is ${SERVICE_CASES.renewalPlan.invoiceDueDaysAgo - lag(tenant)} days overdue$`).test(r))).toBe(
      true,
    );
    expect(status.reasons.join(' ')).not.toMatch(/Basic plan expired/);
    expect(status.amountOverdue!.amount).toBeGreaterThan(0);
  });

  it('should report a late delivery with its milestones, and the order waiting for it', () => {
    const late = orderWith(finance(), 'SEN-105');
    const out = late.deliveries.find((d) => d.kind === 'OUTGOING')!;
    expect(out.exceptions.map((e) => e.kind)).toEqual(['LATE']);
    expect(out.exceptions[0]!.message).toMatch(new RegExp(`^${out.name} was due on \\d{4}-\\d{2}-\\d{2} and is not done$`));
    expect(out.milestones).toEqual([
      { kind: 'CREATED', reached: true, at: expect.any(String) },
      { kind: 'READY', reached: true, at: null },
      { kind: 'DONE', reached: false, at: null },
    ]);
    expect(late.fulfilment).toMatchObject({ quantityDelivered: 0, quantityInvoiced: 0, nextMilestone: 'DELIVER' });
  });

  it('should link a partial delivery to its open backorder, with the moves', () => {
    const order = orderWith(finance(), 'VAL-104');
    const first = order.deliveries.find((d) => d.state === 'DONE' && d.kind === 'OUTGOING')!;
    const backorder = first.exceptions.find((e) => e.kind === 'BACKORDER')!;
    expect(backorder.related).toMatchObject({ kind: 'OUTGOING' });
    expect(backorder.related!.state).not.toBe('DONE');
    expect(backorder.message).toBe(`the rest of ${first.name} is on backorder ${backorder.related!.name} (still to ship)`);
    expect(first.moves).toEqual([{ product: { sku: 'VAL-104' }, demand: 2, quantity: 2, state: 'DONE' }]);
    expect(first.milestones.find((m) => m.kind === 'DONE')).toEqual({ kind: 'DONE', reached: true, at: first.doneDate });
    expect(order.fulfilment).toMatchObject({ quantityOrdered: 4, quantityDelivered: 2, nextMilestone: 'DELIVER' });
    expect(order.fulfilment.amountPaid!.amount).toBe(order.fulfilment.amountInvoiced.amount);
  });

  it('should link a delivery to its return', () => {
    const order = orderWith(finance(), 'SPR-102');
    const out = order.deliveries.find((d) => d.kind === 'OUTGOING')!;
    const returned = out.exceptions.find((e) => e.kind === 'RETURNED')!;
    expect(returned.related).toMatchObject({ kind: 'RETURN', state: 'DONE' });
    expect(returned.message).toBe(`goods of ${out.name} come back on ${returned.related!.name} (received)`);
    expect(order.deliveries.find((d) => d.kind === 'RETURN')?.name).toBe(returned.related!.name);
  });

  it('should tell an item out of warranty from one under warranty', () => {
    const old = orderWith(finance(), 'GAD-101').lines.find((l) => l.product?.sku === 'GAD-101')!;
    expect(old.underWarranty).toBe(false);
    expect(old.warrantyEndsOn! < todayUtc()).toBe(true);
    const recent = orderWith(finance(), 'SPR-102').lines.find((l) => l.product?.sku === 'SPR-102')!;
    expect(recent.underWarranty).toBe(true);
    expect(recent.warrantyEndsOn! > todayUtc()).toBe(true);
    // Not delivered yet: no warranty running.
    expect(orderWith(finance(), 'SEN-105').lines.find((l) => l.product?.sku === 'SEN-105')).toMatchObject({ warrantyEndsOn: null, underWarranty: null });
  });

  it('should show an agent every verdict and no finance-only amount anywhere (the whole answer walked)', () => {
    const { agent, agentErrors } = answers[tenant]!;
    expect(financeValues(agent)).toEqual([]);
    expect(financeValues(finance()).length).toBeGreaterThan(0);
    expect(agentErrors.length).toBeGreaterThan(0);
    expect(agentErrors.every((e) => e.extensions?.['code'] === 'FORBIDDEN')).toBe(true);
    expect(agent.ticket.customer.supportStatus.reasons).toEqual(finance().ticket.customer.supportStatus.reasons);
    expect(agent.ticket.customer.supportStatus.paymentStanding).toBe('OVERDUE');
  });
});

describe('ticket SLA', () => {
  it("should take acme's SLA from Zendesk's own policy on the ticket", () => {
    const sla = answers['acme']!.finance.ticket.sla!;
    expect(sla.source).toBe('ZENDESK');
    expect(sla.policy).toBe('Premium support');
    const created = Date.parse(answers['acme']!.finance.ticket.createdAt);
    expect(Date.parse(sla.firstResponseDueAt!) - created).toBe(60 * 60_000);
    expect(Date.parse(sla.resolutionDueAt!) - created).toBe(480 * 60_000);
  });

  it("should count globex's SLA (no Zendesk SLA) from the Premium plan's targets", () => {
    const { ticket } = answers['globex']!.finance;
    expect(ticket.sla!.source).toBe('ENTITLEMENT');
    expect(ticket.sla!.policy).toBe('Premium plan');
    const created = Date.parse(ticket.createdAt);
    expect(Date.parse(ticket.sla!.firstResponseDueAt!) - created).toBe(3_600_000);
    expect(Date.parse(ticket.sla!.resolutionDueAt!) - created).toBe(8 * 3_600_000);
    // Created in 2025 and still open: past its resolution time.
    expect(ticket.sla!.breached).toBe(true);
  });
});
