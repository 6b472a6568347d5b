/**
 * The service-context rules as pure functions (subgraphs/odoo/service.ts, fulfilment.ts,
 * ticket-sla.ts), on the figures of the real Odoo recordings where they exist (FACTS 32: an invoice
 * of 287.50, a credit note of 28.75, 100 paid).
 */
import { describe, expect, it } from '@jest/globals';
import { exceptionsOf, fulfilmentOf, warrantyMonths } from '../../subgraphs/odoo/fulfilment';
import type { DeliveryShape, EntitlementShape, InvoiceShape, OrderShape } from '../../subgraphs/odoo/mappers';
import { paymentStandingOf, standingsOf, supportStatusOf } from '../../subgraphs/odoo/service';
import { ticketSlaOf } from '../../subgraphs/odoo/ticket-sla';

const eur = (amount: number) => ({ amount, currencyCode: 'EUR' });
const invoice = (id: number, over: Partial<InvoiceShape>): InvoiceShape => ({
  id: String(id),
  odooId: id,
  number: `INV/2026/${String(id).padStart(5, '0')}`,
  kind: 'INVOICE',
  state: 'POSTED',
  paymentState: 'NOT_PAID',
  amountTotal: eur(100),
  amountResidual: eur(100),
  invoiceDate: '2026-10-01',
  dueDate: '2026-10-31',
  overdue: false,
  origin: null,
  customerId: 10,
  companyId: 1,
  ...over,
});
const order: OrderShape = {
  id: '1',
  odooId: 1,
  name: 'S00001',
  state: 'SALES_ORDER',
  orderedAt: '2026-10-01T10:00:00Z',
  customerId: 10,
  lineIds: [],
  invoiceIds: [],
  deliveryIds: [],
  amountUntaxed: eur(250),
  amountTotal: eur(287.5),
  margin: eur(0),
  marginPercent: 0,
  invoiceStatus: 'INVOICED',
  clientOrderRef: null,
  locked: false,
  companyId: 1,
};
const delivery = (over: Partial<DeliveryShape>): DeliveryShape => ({
  id: '7',
  odooId: 7,
  name: 'WH/OUT/00007',
  kind: 'OUTGOING',
  state: 'DONE',
  scheduledDate: '2026-11-01T08:00:00Z',
  doneDate: '2026-11-01T09:00:00Z',
  trackingRef: null,
  late: false,
  origin: 'S00001',
  orderId: 1,
  returnOfId: null,
  createdAt: '2026-10-30T08:00:00Z',
  companyId: 1,
  backorderOfId: null,
  backorderIds: [],
  returnIds: [],
  moveIds: [],
  ...over,
});
const plan = (id: string, startsOn: string, endsOn: string): EntitlementShape => ({
  id,
  productId: 5,
  orderId: 1,
  startsOn,
  endsOn,
  active: true,
  planTier: 'PREMIUM',
});

describe('order fulfilment', () => {
  it('should net a credit note out of the invoiced and due amounts (FACTS 32 figures)', () => {
    const inv = invoice(1, { amountTotal: eur(287.5), amountResidual: eur(187.5), paymentState: 'PARTIAL' });
    const refund = invoice(2, { kind: 'CREDIT_NOTE', amountTotal: eur(-28.75), amountResidual: eur(-28.75) });
    const f = fulfilmentOf(order, [], [inv, refund], []);
    expect(f.amountInvoiced).toEqual(eur(258.75));
    expect(f.amountDue).toEqual(eur(158.75));
    expect(f.amountPaid).toEqual(eur(100));
    expect(f.nextMilestone).toBe('PAY');
  });

  it('should wait for delivery while nothing is invoiced on an invoice-on-delivery order', () => {
    expect(fulfilmentOf({ ...order, invoiceStatus: 'NOTHING_TO_INVOICE' }, [], [], []).nextMilestone).toBe('DELIVER');
    expect(fulfilmentOf({ ...order, state: 'QUOTATION' }, [], [], []).nextMilestone).toBe('CONFIRM');
    expect(fulfilmentOf({ ...order, state: 'CANCELLED' }, [], [], []).nextMilestone).toBe('NONE');
  });
});

describe('payment standing and verdict', () => {
  it('should treat a fully reversed invoice as not invoiced and a blocked one as unpaid', () => {
    expect(paymentStandingOf([invoice(1, { paymentState: 'REVERSED' })], '2026-11-30').paymentStanding).toBe('NOT_INVOICED');
    expect(paymentStandingOf([invoice(1, { paymentState: 'BLOCKED' })], '2026-11-30').paymentStanding).toBe('OPEN');
    expect(paymentStandingOf([invoice(1, { paymentState: 'PAID', amountResidual: eur(0) })], '2026-11-30').paymentStanding).toBe('PAID');
  });

  it('should report and sum an invoice shared by two plan lines of one order once', () => {
    const overdue = invoice(9, { overdue: true, dueDate: '2026-11-01' });
    const today = '2026-11-30';
    const standings = standingsOf(
      [
        { entitlement: plan('a', '2026-10-01', '2027-09-30'), tier: 'PREMIUM', cancelled: false, invoices: [overdue], today },
        { entitlement: plan('b', '2026-10-01', '2027-09-30'), tier: 'PREMIUM', cancelled: false, invoices: [overdue], today },
      ],
      30,
      () => ({ firstResponseHours: 1, resolutionHours: 8 }),
    );
    const status = supportStatusOf(standings, today);
    expect(status.reasons).toEqual(['invoice INV/2026/00009 is 29 days overdue']);
    expect(status.amountOverdue).toEqual(eur(100));
    expect(status).toMatchObject({ entitled: true, tier: 'PREMIUM', paymentStanding: 'OVERDUE' });
  });

  it('should call a plan renewed only when the later plan starts near or after its end, not mid-term', () => {
    const today = '2026-11-30';
    const sla = () => null;
    const upgrade = standingsOf(
      [
        { entitlement: plan('old', '2025-12-20', '2026-12-19'), tier: 'STANDARD', cancelled: false, invoices: [], today },
        { entitlement: plan('new', '2026-06-01', '2027-05-31'), tier: 'PREMIUM', cancelled: false, invoices: [], today },
      ],
      30,
      sla,
    );
    expect(upgrade[0]!.renewalStatus).toBe('EXPIRING_SOON');
    const renewal = standingsOf(
      [
        { entitlement: plan('old', '2025-12-20', '2026-12-19'), tier: 'STANDARD', cancelled: false, invoices: [], today },
        { entitlement: plan('new', '2026-12-15', '2027-12-14'), tier: 'STANDARD', cancelled: false, invoices: [], today },
      ],
      30,
      sla,
    );
    expect(renewal[0]!.renewalStatus).toBe('RENEWED');
  });
});

describe('delivery exceptions', () => {
  const dateOf = (iso: string) => iso.slice(0, 10);
  it('should word a late return as an expected return, linked to the delivery it returns', () => {
    const ret = delivery({ kind: 'RETURN', name: 'WH/IN/00003', state: 'READY', doneDate: null, late: true, returnOfId: 7 });
    expect(exceptionsOf(ret, { backorders: [], returns: [], moves: [] }, dateOf)).toEqual([
      { kind: 'LATE', message: 'return WH/IN/00003 was expected on 2026-11-01 and is not received', relatedId: 7 },
    ]);
  });

  it('should call a delivery validated short without a backorder PARTIAL, and not when a backorder holds the rest', () => {
    // As Odoo leaves it (stock.move._action_done): the done move cut to 2, the rest split off and cancelled.
    const moves = [
      { id: '1', odooId: 1, productId: 3, description: 'x', demand: 2, quantity: 2, state: 'DONE' as const, deliveryId: 7, orderLineId: 2 },
      { id: '2', odooId: 2, productId: 3, description: 'x', demand: 2, quantity: 0, state: 'CANCELLED' as const, deliveryId: 7, orderLineId: 2 },
    ];
    expect(exceptionsOf(delivery({}), { backorders: [], returns: [], moves }, dateOf).map((e) => e.kind)).toEqual(['PARTIAL']);
    const back = delivery({ odooId: 8, name: 'WH/OUT/00008', state: 'CONFIRMED', doneDate: null });
    expect(exceptionsOf(delivery({ backorderIds: [8] }), { backorders: [back], returns: [], moves }, dateOf).map((e) => e.kind)).toEqual(['BACKORDER']);
  });
});

describe('warranty and ticket SLA', () => {
  it("should take the product's own months, else its category's (full name or last segment), else the default", () => {
    const config = { months: 12, categories: [{ category: 'Pumps', months: 24 }] };
    expect(warrantyMonths(config, 'All / Saleable / Pumps', null)).toBe(24);
    expect(warrantyMonths(config, 'All / Saleable / Pumps', 36)).toBe(36);
    expect(warrantyMonths(config, 'All / Saleable', null)).toBe(12);
  });

  it("should prefer the desk's SLA, else count the plan's targets from the ticket's creation", () => {
    const desk = { policy: 'Premium support', firstResponseDueAt: '2026-11-30T09:00:00Z', resolutionDueAt: null, breached: false };
    expect(ticketSlaOf({ zendeskSla: desk }, null)).toMatchObject({ source: 'ZENDESK', policy: 'Premium support' });
    const fromPlan = ticketSlaOf(
      { createdAt: '2026-11-30T08:00:00Z', status: 'OPEN' },
      { tier: 'PREMIUM', sla: { firstResponseHours: 1, resolutionHours: 8 } },
      new Date('2026-11-30T17:00:00Z'),
    );
    expect(fromPlan).toEqual({
      source: 'ENTITLEMENT',
      policy: 'Premium plan',
      firstResponseDueAt: '2026-11-30T09:00:00.000Z',
      resolutionDueAt: '2026-11-30T16:00:00.000Z',
      breached: true,
    });
    expect(ticketSlaOf({ createdAt: '2026-11-30T08:00:00Z', status: 'OPEN' }, { tier: null, sla: null })).toBeNull();
  });
});
