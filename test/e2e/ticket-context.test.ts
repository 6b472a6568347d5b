/**
 * Issue 4's acceptance, end to end: the ticket-context query through the gateway, the three
 * subgraphs and the three emulators, with call counts read from the emulators.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startStack, type RunningStack } from '../../sandbox/stack';
import { buildWorld } from '../../sandbox/world';
import { injectFault } from '../support/http';
import { allStats, callsFor, query, resetStats, ticketContext } from '../support/stack';

const acme = buildWorld('acme');
const ORDER_CURRENCY = 'query($id: ID!) { order(id: $id) { amountTotal { currencyCode } } }';
let stack: RunningStack;

beforeAll(async () => {
  stack = await startStack({ cache: false });
});
afterAll(async () => {
  await stack?.stop();
});
beforeEach(async () => {
  await resetStats(stack, { faults: true });
});

describe('the ticket-context query', () => {
  it('should return the ticket with its customer from all three systems', async () => {
    const res = await ticketContext(stack, 'acme', acme.anchors.tickets.small);
    expect(res.errors).toBeUndefined();
    const ticket = res.data!.ticket!;
    expect(ticket.id).toBe('1');
    expect(ticket.requester?.email).toMatch(/@/);
    expect(ticket.customer?.id).toBe(String(acme.anchors.smallCustomer));
    expect(ticket.customer?.name).toBe(acme.customers.find((c) => c.odooId === acme.anchors.smallCustomer)!.name);
    expect(ticket.customer?.orders.edges).toHaveLength(3);
    const order = ticket.customer!.orders.edges[0]!.node;
    expect(order.invoiceStatus).toEqual(expect.any(String));
    // Amounts are finance's (README "Derived values"): the order's currency, read as finance.
    const asFinance = await query<{ order: { amountTotal: { currencyCode: string } } }>(stack, 'acme', 'finance', ORDER_CURRENCY, { id: order.id });
    expect(asFinance.data?.order.amountTotal.currencyCode).toBe('EUR');
    expect(order.lines.length).toBeGreaterThan(0);
    expect(ticket.customer?.salesforceAccount?.name).toBeTruthy();
    expect(ticket.customer?.salesforceAccount?.owner?.name).toBeTruthy();
  });

  it("should answer globex's token with globex's records, reaching only globex's upstreams", async () => {
    const a = await ticketContext(stack, 'acme', 1);
    const acmeStats = await allStats(stack);
    await resetStats(stack);
    const g = await ticketContext(stack, 'globex', 1);
    const globexStats = await allStats(stack);
    expect(g.errors).toBeUndefined();
    expect(g.data!.ticket!.subject).not.toBe(a.data!.ticket!.subject);
    expect(g.data!.ticket!.customer!.name).toBe(buildWorld('globex').customers.find((c) => c.odooId === buildWorld('globex').anchors.smallCustomer)!.name);
    const globexOrder = await query<{ order: { amountTotal: { currencyCode: string } } }>(stack, 'globex', 'finance', ORDER_CURRENCY, {
      id: g.data!.ticket!.customer!.orders.edges[0]!.node.id,
    });
    expect(globexOrder.data?.order.amountTotal.currencyCode).toBe('USD');
    for (const system of ['odoo', 'salesforce', 'zendesk'] as const) {
      expect(Object.keys(acmeStats[system])).toEqual(['acme']);
      expect(Object.keys(globexStats[system])).toEqual(['globex']);
    }
  });

  it('should cost the same upstream calls per system for a customer with 3 orders and one with 150', async () => {
    const small = await ticketContext(stack, 'acme', acme.anchors.tickets.small);
    const smallCalls = await callsFor(stack, 'acme');
    await resetStats(stack);
    const big = await ticketContext(stack, 'acme', acme.anchors.tickets.big);
    const bigCalls = await callsFor(stack, 'acme');
    expect(small.errors).toBeUndefined();
    expect(big.errors).toBeUndefined();
    expect(big.data!.ticket!.customer!.id).toBe(String(acme.anchors.bigCustomer));
    expect(big.data!.ticket!.customer!.orders.edges).toHaveLength(5);
    expect(bigCalls).toEqual(smallCalls);
    expect(smallCalls.odoo).toBeGreaterThan(0);
    expect(smallCalls.zendesk).toBeGreaterThan(0);
    expect(smallCalls.salesforce).toBeGreaterThan(0);
  });

  it('should give customer null for a requester unknown to Odoo', async () => {
    const res = await ticketContext(stack, 'acme', acme.anchors.tickets.unknownRequester);
    expect(res.errors).toBeUndefined();
    expect(res.data!.ticket!.requester).not.toBeNull();
    expect(res.data!.ticket!.customer).toBeNull();
  });

  it('should match a requester by email when no external id links it', async () => {
    const res = await ticketContext(stack, 'acme', acme.anchors.tickets.emailOnly);
    expect(res.errors).toBeUndefined();
    expect(res.data!.ticket!.customer!.id).toBe(String(acme.anchors.emailOnlyCustomer));
  });

  it('should give salesforceAccount null for a customer without one', async () => {
    const res = await ticketContext(stack, 'acme', acme.anchors.tickets.noSalesforce);
    expect(res.errors).toBeUndefined();
    expect(res.data!.ticket!.customer!.id).toBe(String(acme.anchors.noSalesforceCustomer));
    expect(res.data!.ticket!.customer!.salesforceAccount).toBeNull();
  });

  it('should give ticket null for an unknown id, and BAD_USER_INPUT for a malformed one', async () => {
    const unknown = await ticketContext(stack, 'acme', 987654);
    expect(unknown.errors).toBeUndefined();
    expect(unknown.data!.ticket).toBeNull();
    const malformed = await ticketContext(stack, 'acme', 'DROP TABLE');
    expect(malformed.data?.ticket ?? null).toBeNull();
    expect(malformed.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });

  it('should keep the ticket when Odoo refuses with an error envelope, and say which upstream failed', async () => {
    await injectFault(stack.emulators.odoo.url, { tenant: 'acme', fault: 'error', error: 'odoo.exceptions.AccessError' });
    const res = await ticketContext(stack, 'acme', 1);
    expect(res.data!.ticket!.subject).toBeTruthy();
    expect(res.data!.ticket!.customer).toBeNull();
    expect(res.errors?.some((e) => e.extensions?.['code'] === 'UPSTREAM_REJECTED' && e.extensions?.['upstream'] === 'odoo')).toBe(true);
    expect(JSON.stringify(res)).not.toMatch(/Traceback|odoo\.exceptions|psycopg2|stacktrace/);
  });

  it('should keep everything else when Salesforce is down', async () => {
    await injectFault(stack.emulators.salesforce.url, { fault: 'down' });
    const res = await ticketContext(stack, 'acme', 1);
    expect(res.data!.ticket!.customer!.orders.edges).toHaveLength(3);
    expect(res.data!.ticket!.customer!.salesforceAccount).toBeNull();
    const err = res.errors?.find((e) => e.path?.includes('salesforceAccount'));
    expect(err?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstream: 'salesforce' });
    expect(JSON.stringify(res)).not.toMatch(/ECONNRESET|stacktrace|at .*\.ts:/);
  });

  it('should answer with a coded error when Zendesk throttles', async () => {
    await injectFault(stack.emulators.zendesk.url, { tenant: 'acme', fault: 'rate_limit' });
    const res = await ticketContext(stack, 'acme', 1);
    expect(res.data?.ticket ?? null).toBeNull();
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', upstream: 'zendesk' });
  });
});
