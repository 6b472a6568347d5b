/**
 * Fulfilment context from the ERP's records: where an order stands (quantities, amounts, the next
 * milestone), a delivery's milestones and exceptions, and a delivered item's warranty. Pure functions
 * over the shapes of mappers.ts; the resolvers load what they need through the request's loaders.
 */
import type { DeliveryMoveShape, DeliveryShape, InvoiceShape, Money, OrderLineShape, OrderShape } from './mappers';

export type FulfilmentStep = 'CONFIRM' | 'DELIVER' | 'INVOICE' | 'PAY' | 'COMPLETE' | 'NONE';

export interface OrderFulfilment {
  quantityOrdered: number;
  quantityDelivered: number;
  quantityInvoiced: number;
  amountOrdered: Money;
  /** Posted invoices minus posted credit notes. */
  amountInvoiced: Money;
  /** What of that was paid (finance-only). */
  amountPaid: Money;
  /** What of that is still due (finance-only). */
  amountDue: Money;
  nextMilestone: FulfilmentStep;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;
const round3 = (n: number): number => Math.round(n * 1000) / 1000;

/**
 * Where an order stands. `deliveries` are its transfers (null where the ERP cannot tell them: no
 * sale_stock); then the lines' delivered quantities decide whether goods are still to ship.
 */
export function fulfilmentOf(
  order: OrderShape,
  lines: readonly OrderLineShape[],
  invoices: readonly InvoiceShape[],
  deliveries: readonly DeliveryShape[] | null,
): OrderFulfilment {
  const products = lines.filter((l) => !l.isDisplayOnly);
  const posted = invoices.filter((i) => i.state === 'POSTED');
  // A credit note's amounts are already negative (mappers.ts toInvoice): the sums net them out.
  const invoiced = posted.reduce((sum, i) => sum + i.amountTotal.amount, 0);
  const due = posted.reduce((sum, i) => sum + i.amountResidual.amount, 0);
  const currencyCode = order.amountTotal.currencyCode;
  const shipping =
    deliveries === null
      ? products.some((l) => l.quantityDelivered < l.quantity)
      : deliveries.some((d) => d.kind === 'OUTGOING' && d.state !== 'DONE' && d.state !== 'CANCELLED');
  const unpaid = posted.some((i) => i.kind === 'INVOICE' && (i.paymentState === 'NOT_PAID' || i.paymentState === 'PARTIAL'));
  const next: FulfilmentStep =
    order.state === 'CANCELLED'
      ? 'NONE'
      : order.state !== 'SALES_ORDER'
        ? 'CONFIRM'
        : shipping
          ? 'DELIVER'
          : order.invoiceStatus === 'TO_INVOICE'
            ? 'INVOICE'
            : // Invoiced on delivery and nothing delivered yet (e.g. a service whose delivered quantity is set by hand).
              order.invoiceStatus === 'NOTHING_TO_INVOICE' && posted.length === 0 && order.amountTotal.amount > 0
              ? 'DELIVER'
              : unpaid
                ? 'PAY'
                : 'COMPLETE';
  return {
    quantityOrdered: round3(products.reduce((s, l) => s + l.quantity, 0)),
    quantityDelivered: round3(products.reduce((s, l) => s + l.quantityDelivered, 0)),
    quantityInvoiced: round3(products.reduce((s, l) => s + l.quantityInvoiced, 0)),
    amountOrdered: order.amountTotal,
    amountInvoiced: { amount: round2(invoiced), currencyCode },
    amountPaid: { amount: round2(invoiced - due), currencyCode },
    amountDue: { amount: round2(due), currencyCode },
    nextMilestone: next,
  };
}

export type MilestoneKind = 'CREATED' | 'READY' | 'DONE';

export interface DeliveryMilestone {
  kind: MilestoneKind;
  reached: boolean;
  /** When it was reached; Odoo records no time for READY (reservation). */
  at: string | null;
}

/** Created → ready (stock reserved) → done. A cancelled transfer reaches neither of the last two. */
export function milestonesOf(d: DeliveryShape): DeliveryMilestone[] {
  return [
    { kind: 'CREATED', reached: true, at: d.createdAt },
    { kind: 'READY', reached: d.state === 'READY' || d.state === 'DONE', at: null },
    { kind: 'DONE', reached: d.state === 'DONE', at: d.doneDate },
  ];
}

export type DeliveryExceptionKind = 'LATE' | 'BACKORDER' | 'PARTIAL' | 'RETURNED' | 'CANCELLED';

export interface DeliveryException {
  kind: DeliveryExceptionKind;
  message: string;
  /** The backorder or the return the exception is about. */
  relatedId: number | null;
}

/**
 * What is late or broken about a transfer: late against its scheduled date, shipped in part (the rest on
 * a backorder, or dropped), returned, cancelled. `backorders` and `returns` are its related transfers,
 * `moves` its stock moves.
 */
export function exceptionsOf(
  d: DeliveryShape,
  related: { backorders: readonly DeliveryShape[]; returns: readonly DeliveryShape[]; moves: readonly DeliveryMoveShape[] },
  dateOf: (iso: string) => string,
): DeliveryException[] {
  const out: DeliveryException[] = [];
  if (d.state === 'CANCELLED') out.push({ kind: 'CANCELLED', message: `${d.name} was cancelled`, relatedId: null });
  // Goods coming in (a customer's return, a vendor receipt) are expected, not shipped: their own wording, no PARTIAL or RETURNED.
  if (d.kind === 'RETURN' || d.kind === 'RECEIPT') {
    if (d.late && d.scheduledDate) {
      const what = d.kind === 'RETURN' ? 'return' : 'receipt';
      out.push({ kind: 'LATE', message: `${what} ${d.name} was expected on ${dateOf(d.scheduledDate)} and is not received`, relatedId: d.returnOfId });
    }
    return out;
  }
  if (d.late && d.scheduledDate) out.push({ kind: 'LATE', message: `${d.name} was due on ${dateOf(d.scheduledDate)} and is not done`, relatedId: null });
  for (const b of related.backorders.filter((b) => b.state !== 'CANCELLED')) {
    const status = b.state === 'DONE' ? 'shipped' : 'still to ship';
    out.push({ kind: 'BACKORDER', message: `the rest of ${d.name} is on backorder ${b.name} (${status})`, relatedId: b.odooId });
  }
  // Validated short without a backorder: Odoo's stock.move._action_done splits the rest off into a move of
  // the same transfer and cancels it (a done move's demand is cut to what it moved).
  if (d.state === 'DONE' && related.backorders.length === 0 && related.moves.some((m) => m.state === 'CANCELLED')) {
    out.push({ kind: 'PARTIAL', message: `${d.name} shipped less than ordered, with no backorder for the rest`, relatedId: null });
  }
  for (const r of related.returns.filter((r) => r.state !== 'CANCELLED')) {
    const status = r.state === 'DONE' ? 'received' : 'expected';
    out.push({ kind: 'RETURNED', message: `goods of ${d.name} come back on ${r.name} (${status})`, relatedId: r.odooId });
  }
  return out;
}

export interface Warranty {
  endsOn: string | null;
  underWarranty: boolean | null;
}

/**
 * The warranty of a delivered item: `months` from its delivery date (the first done outgoing transfer
 * that moved it, so a later backorder does not extend it); nothing while it is not delivered.
 */
export function warrantyOf(deliveredOn: string | null, months: number | null, today: string, termEnd: (start: string, months: number) => string): Warranty {
  if (deliveredOn === null || months === null) return { endsOn: null, underWarranty: null };
  const endsOn = months === 0 ? deliveredOn : termEnd(deliveredOn, months);
  return { endsOn, underWarranty: today <= endsOn };
}

/** The months of warranty for a product: its own field where the tenant keeps one, else its category's, else the default. */
export function warrantyMonths(
  config: { months: number; categories: ReadonlyArray<{ category: string; months: number }> },
  category: string | null,
  fromField: number | null,
): number {
  if (fromField !== null && fromField > 0) return fromField;
  const named = category === null ? undefined : config.categories.find((c) => c.category === category || category.endsWith(` / ${c.category}`));
  return named?.months ?? config.months;
}
