/**
 * Odoo records → the GraphQL shapes of schema.graphql. Pure functions, no I/O.
 *
 * Odoo's wire conventions (UPSTREAMS.md 1.6): an empty value is `false` (→ null), a many2one is
 * `[id, "display name"]` or `false`, a selection is its key (→ an enum name), a monetary field is a
 * float whose currency is the record's `currency_id` many2one, a datetime is `"YYYY-MM-DD HH:MM:SS"`
 * in UTC (→ ISO-8601 `"YYYY-MM-DDTHH:MM:SSZ"`), a date is `"YYYY-MM-DD"` (kept).
 *
 * Relations are kept as Odoo ids (`customerId`, `lineIds`, ...): resolvers load them through the
 * request's loaders, so a mapper never decides what gets fetched.
 */
import type { OdooRecord } from './client';

// ---- Odoo value helpers ---------------------------------------------------------------------------

/** A char/text/selection value, or null for Odoo's `false`. */
export function str(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 ? v : null;
}

export function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

/** The id of a many2one value (`[id, name]`, a bare id with `load=None`, or `false`). */
export function m2oId(v: unknown): number | null {
  if (Array.isArray(v) && typeof v[0] === 'number') return v[0];
  if (typeof v === 'number') return v;
  return null;
}

/** The display name of a many2one value. */
export function m2oName(v: unknown): string | null {
  return Array.isArray(v) && typeof v[1] === 'string' ? v[1] : null;
}

/** An x2many value: a list of ids. */
export function idList(v: unknown): number[] {
  return Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : [];
}

/** Odoo datetime (`YYYY-MM-DD HH:MM:SS`, UTC) → ISO-8601 `YYYY-MM-DDTHH:MM:SSZ`; null for `false`. */
export function isoDateTime(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})/.exec(v);
  return m ? `${m[1]}T${m[2]}Z` : null;
}

/** Odoo date (`YYYY-MM-DD`) → the same ISO-8601 date; null for `false`. */
export function isoDate(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(v);
  return m ? (m[1] ?? null) : null;
}

/** ISO 4217 "no currency": used only when Odoo gives a monetary value without its currency. */
export const NO_CURRENCY = 'XXX';

export interface Money {
  amount: number;
  currencyCode: string;
}

/** A monetary field with the record's currency (`currency_id` unless told otherwise). */
export function money(rec: OdooRecord, field: string, currencyField = 'currency_id'): Money {
  return { amount: num(rec[field]), currencyCode: m2oName(rec[currencyField]) ?? NO_CURRENCY };
}

/** Today in UTC as `YYYY-MM-DD`. */
export const todayUtc = (now: Date = new Date()): string => now.toISOString().slice(0, 10);

/**
 * The calendar date of an instant in a time zone (`YYYY-MM-DD`): the company's "today", or the
 * day an order was confirmed there. Odoo stores dates without a zone, as the company lives them;
 * an unknown or unset zone falls back to UTC.
 */
export function dateIn(timeZone: string | null, at: Date = new Date()): string {
  const format = timeZone ? dayFormatIn(timeZone) : null;
  return format ? format.format(at) : todayUtc(at);
}

/**
 * One `YYYY-MM-DD` formatter per time zone, null for a name Intl does not know (UTC then). Building
 * an Intl.DateTimeFormat costs far more than formatting with one, and every invoice, plan and line
 * asks for a date: the formatters are kept (zone names are few: one per company of the tenants).
 */
const dayFormats = new Map<string, Intl.DateTimeFormat | null>();
function dayFormatIn(timeZone: string): Intl.DateTimeFormat | null {
  let format = dayFormats.get(timeZone);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      format = null; // an unknown zone name
    }
    // Bounded all the same: a zone name comes from the tenant's ERP.
    if (dayFormats.size >= 1_000) dayFormats.clear();
    dayFormats.set(timeZone, format);
  }
  return format;
}

/** `YYYY-MM-DD` plus whole months, minus one day: the last day of a term starting on `start`. */
export function termEnd(start: string, months: number): string {
  const [y = 0, m = 1, d = 1] = start.split('-').map(Number);
  const end = new Date(Date.UTC(y, m - 1 + months, d));
  // 31 January + 1 month overflows into March in Date.UTC: clamp to the target month's last day.
  if (end.getUTCDate() !== d) end.setUTCDate(0);
  end.setUTCDate(end.getUTCDate() - 1);
  return end.toISOString().slice(0, 10);
}

// ---- selections → enums -------------------------------------------------------------------------

export type OrderState = 'QUOTATION' | 'QUOTATION_SENT' | 'SALES_ORDER' | 'CANCELLED';
const ORDER_STATES: Record<string, OrderState> = { draft: 'QUOTATION', sent: 'QUOTATION_SENT', sale: 'SALES_ORDER', cancel: 'CANCELLED' };
/** GraphQL OrderState → Odoo `sale.order.state` (for filters). */
export const ODOO_ORDER_STATE: Record<OrderState, string> = { QUOTATION: 'draft', QUOTATION_SENT: 'sent', SALES_ORDER: 'sale', CANCELLED: 'cancel' };

export type OrderInvoiceStatus = 'UPSELLING' | 'INVOICED' | 'TO_INVOICE' | 'NOTHING_TO_INVOICE';
const INVOICE_STATUSES: Record<string, OrderInvoiceStatus> = {
  upselling: 'UPSELLING',
  invoiced: 'INVOICED',
  'to invoice': 'TO_INVOICE',
  no: 'NOTHING_TO_INVOICE',
};

export type InvoiceKind = 'INVOICE' | 'CREDIT_NOTE';
const INVOICE_KINDS: Record<string, InvoiceKind> = { out_invoice: 'INVOICE', out_refund: 'CREDIT_NOTE' };
/** The `move_type`s this API calls invoices (customer invoices and credit notes). */
export const CUSTOMER_MOVE_TYPES = Object.keys(INVOICE_KINDS);

export type InvoiceState = 'DRAFT' | 'POSTED' | 'CANCELLED';
const INVOICE_STATES: Record<string, InvoiceState> = { draft: 'DRAFT', posted: 'POSTED', cancel: 'CANCELLED' };

export type PaymentState = 'NOT_PAID' | 'IN_PAYMENT' | 'PAID' | 'PARTIAL' | 'REVERSED' | 'BLOCKED' | 'INVOICING_LEGACY';
const PAYMENT_STATES: Record<string, PaymentState> = {
  not_paid: 'NOT_PAID',
  in_payment: 'IN_PAYMENT',
  paid: 'PAID',
  partial: 'PARTIAL',
  reversed: 'REVERSED',
  blocked: 'BLOCKED',
  invoicing_legacy: 'INVOICING_LEGACY',
};

export type DeliveryKind = 'OUTGOING' | 'RETURN' | 'RECEIPT' | 'INTERNAL';
export type DeliveryState = 'DRAFT' | 'WAITING' | 'CONFIRMED' | 'READY' | 'DONE' | 'CANCELLED';
const DELIVERY_STATES: Record<string, DeliveryState> = {
  draft: 'DRAFT',
  waiting: 'WAITING',
  confirmed: 'CONFIRMED',
  assigned: 'READY',
  done: 'DONE',
  cancel: 'CANCELLED',
};

export type ProductKind = 'STORABLE' | 'CONSUMABLE' | 'SERVICE' | 'COMBO';
export type SupportTier = 'BASIC' | 'STANDARD' | 'PREMIUM';
const SUPPORT_TIERS: Record<string, SupportTier> = { basic: 'BASIC', standard: 'STANDARD', premium: 'PREMIUM' };

/** Thrown for a selection value this API does not know (an addon's own state): logged, masked. */
export class UnknownSelectionError extends Error {
  constructor(model: string, field: string, value: unknown) {
    super(`Odoo ${model}.${field} has a value this API does not map: ${JSON.stringify(value)}`);
    this.name = 'UnknownSelectionError';
  }
}

function selection<T>(table: Record<string, T>, model: string, field: string, v: unknown): T {
  const mapped = typeof v === 'string' && Object.hasOwn(table, v) ? table[v] : undefined;
  if (mapped === undefined) throw new UnknownSelectionError(model, field, v);
  return mapped;
}

// ---- the shapes -----------------------------------------------------------------------------------

/** A resolved entity carries its Odoo id (number) beside the public `id` (string). */
interface Entity {
  id: string;
  odooId: number;
}

export interface CustomerShape extends Entity {
  name: string;
  email: string | null;
  ref: string | null;
  isCompany: boolean;
  phone: string | null;
  country: string | null;
  parentId: number | null;
  active: boolean;
}

export interface OrderShape extends Entity {
  name: string;
  state: OrderState;
  orderedAt: string | null;
  customerId: number | null;
  lineIds: number[];
  invoiceIds: number[];
  deliveryIds: number[];
  amountUntaxed: Money;
  amountTotal: Money;
  margin: Money;
  marginPercent: number;
  invoiceStatus: OrderInvoiceStatus;
  clientOrderRef: string | null;
  locked: boolean;
  companyId: number | null;
}

export interface OrderLineShape extends Entity {
  orderId: number | null;
  productId: number | null;
  description: string;
  quantity: number;
  quantityDelivered: number;
  quantityInvoiced: number;
  unitPrice: Money;
  discountPercent: number;
  subtotal: Money;
  margin: Money;
  /** Section and note lines carry no product and no amounts. */
  isDisplayOnly: boolean;
}

export interface InvoiceShape extends Entity {
  number: string | null;
  kind: InvoiceKind;
  state: InvoiceState;
  paymentState: PaymentState;
  amountTotal: Money;
  amountResidual: Money;
  invoiceDate: string | null;
  dueDate: string | null;
  overdue: boolean;
  origin: string | null;
  customerId: number | null;
  companyId: number | null;
}

export interface DeliveryShape extends Entity {
  name: string;
  kind: DeliveryKind | null;
  state: DeliveryState;
  scheduledDate: string | null;
  doneDate: string | null;
  trackingRef: string | null;
  late: boolean;
  origin: string | null;
  orderId: number | null;
  /** The delivery this transfer returns (`return_id`), null for anything else. */
  returnOfId: number | null;
  /** When the transfer was created (`create_date`). */
  createdAt: string | null;
  companyId: number | null;
  /** The transfer this one is the backorder of (`backorder_id`). */
  backorderOfId: number | null;
  /** The backorders holding what this transfer did not ship (`backorder_ids`). */
  backorderIds: number[];
  /** The returns of this transfer (`return_ids`). */
  returnIds: number[];
  /** Its stock moves (`move_ids`). */
  moveIds: number[];
}

/** A stock move of a transfer: one product, the quantity asked for and the quantity moved. */
export interface DeliveryMoveShape extends Entity {
  productId: number | null;
  description: string;
  demand: number;
  quantity: number;
  state: DeliveryState;
  deliveryId: number | null;
  orderLineId: number | null;
}

export interface ProductShape extends Entity {
  sku: string | null;
  name: string;
  kind: ProductKind;
  listPrice: Money;
  cost: Money;
  qtyAvailable: number;
  qtyForecast: number;
  inStock: boolean;
  supportTier: SupportTier | null;
  /** The product category's full name, e.g. `All / Saleable / Hardware`. */
  category: string | null;
  /** Months of warranty from the tenant's own product field, where it keeps one. */
  warrantyMonths: number | null;
}

export interface EntitlementShape {
  id: string;
  productId: number | null;
  orderId: number | null;
  startsOn: string | null;
  endsOn: string | null;
  active: boolean;
  /** The tier the registry gives the plan product, if it is one of its plans. */
  planTier: SupportTier | null;
}

// ---- the mappers ----------------------------------------------------------------------------------

export function toCustomer(rec: OdooRecord): CustomerShape {
  return {
    id: String(rec.id),
    odooId: rec.id,
    name: str(rec['name']) ?? str(rec['display_name']) ?? '',
    email: str(rec['email']),
    ref: str(rec['ref']),
    isCompany: rec['is_company'] === true,
    phone: str(rec['phone']),
    country: str(rec['country_code']),
    parentId: m2oId(rec['parent_id']),
    active: rec['active'] !== false,
  };
}

export function toOrder(rec: OdooRecord): OrderShape {
  return {
    id: String(rec.id),
    odooId: rec.id,
    name: str(rec['name']) ?? '',
    state: selection(ORDER_STATES, 'sale.order', 'state', rec['state']),
    orderedAt: isoDateTime(rec['date_order']),
    customerId: m2oId(rec['partner_id']),
    lineIds: idList(rec['order_line']),
    invoiceIds: idList(rec['invoice_ids']),
    deliveryIds: idList(rec['picking_ids']),
    amountUntaxed: money(rec, 'amount_untaxed'),
    amountTotal: money(rec, 'amount_total'),
    margin: money(rec, 'margin'),
    marginPercent: num(rec['margin_percent']),
    invoiceStatus: selection(INVOICE_STATUSES, 'sale.order', 'invoice_status', rec['invoice_status'] === false ? 'no' : rec['invoice_status']),
    clientOrderRef: str(rec['client_order_ref']),
    locked: rec['locked'] === true,
    companyId: m2oId(rec['company_id']),
  };
}

export function toOrderLine(rec: OdooRecord): OrderLineShape {
  return {
    id: String(rec.id),
    odooId: rec.id,
    orderId: m2oId(rec['order_id']),
    productId: m2oId(rec['product_id']),
    description: str(rec['name']) ?? '',
    quantity: num(rec['product_uom_qty']),
    quantityDelivered: num(rec['qty_delivered']),
    quantityInvoiced: num(rec['qty_invoiced']),
    unitPrice: money(rec, 'price_unit'),
    discountPercent: num(rec['discount']),
    subtotal: money(rec, 'price_subtotal'),
    margin: money(rec, 'margin'),
    isDisplayOnly: typeof rec['display_type'] === 'string' && rec['display_type'].length > 0,
  };
}

/**
 * `today`: the date in the invoice company's time zone (a due date is the company's calendar day).
 * A credit note's amounts are negative, as Odoo's signed amounts are (money owed to the customer);
 * `amount_total` itself is positive on both (FACTS 32), so the sign comes from the move type.
 */
export function toInvoice(rec: OdooRecord, today = todayUtc()): InvoiceShape {
  const state = selection(INVOICE_STATES, 'account.move', 'state', rec['state']);
  const paymentState = selection(PAYMENT_STATES, 'account.move', 'payment_state', rec['payment_state'] === false ? 'not_paid' : rec['payment_state']);
  const dueDate = isoDate(rec['invoice_date_due']);
  const kind = selection(INVOICE_KINDS, 'account.move', 'move_type', rec['move_type']);
  const sign = kind === 'CREDIT_NOTE' ? -1 : 1;
  const signed = (m: Money): Money => ({ amount: m.amount === 0 ? 0 : sign * Math.abs(m.amount), currencyCode: m.currencyCode });
  return {
    id: String(rec.id),
    odooId: rec.id,
    // A draft has no number yet (`name` is false or "/").
    number: str(rec['name']) === '/' ? null : str(rec['name']),
    kind,
    state,
    paymentState,
    amountTotal: signed(money(rec, 'amount_total')),
    amountResidual: signed(money(rec, 'amount_residual')),
    invoiceDate: isoDate(rec['invoice_date']),
    dueDate,
    overdue: kind === 'INVOICE' && state === 'POSTED' && (paymentState === 'NOT_PAID' || paymentState === 'PARTIAL') && dueDate !== null && dueDate < today,
    origin: str(rec['invoice_origin']),
    customerId: m2oId(rec['partner_id']),
    companyId: m2oId(rec['company_id']),
  };
}

/**
 * A return and a vendor receipt are both `incoming` with the same "Receipts" operation type in
 * Odoo 18; what tells them apart is `return_id`, set only on a return (FACTS 29;
 * `is_return_picking` is no indicator and exists only with stock_delivery).
 */
export function toDelivery(rec: OdooRecord, now: Date = new Date()): DeliveryShape {
  const state = selection(DELIVERY_STATES, 'stock.picking', 'state', rec['state']);
  const code = rec['picking_type_code'];
  const returnOfId = m2oId(rec['return_id']);
  const kind: DeliveryKind | null =
    code === 'outgoing' ? 'OUTGOING' : code === 'incoming' ? (returnOfId !== null ? 'RETURN' : 'RECEIPT') : code === 'internal' ? 'INTERNAL' : null;
  const scheduledDate = isoDateTime(rec['scheduled_date']);
  return {
    id: String(rec.id),
    odooId: rec.id,
    name: str(rec['name']) ?? '',
    kind,
    state,
    scheduledDate,
    doneDate: isoDateTime(rec['date_done']),
    trackingRef: str(rec['carrier_tracking_ref']),
    late: state !== 'DONE' && state !== 'CANCELLED' && scheduledDate !== null && Date.parse(scheduledDate) < now.getTime(),
    origin: str(rec['origin']),
    orderId: m2oId(rec['sale_id']),
    returnOfId,
    createdAt: isoDateTime(rec['create_date']),
    companyId: m2oId(rec['company_id']),
    backorderOfId: m2oId(rec['backorder_id']),
    backorderIds: idList(rec['backorder_ids']),
    returnIds: idList(rec['return_ids']),
    moveIds: idList(rec['move_ids']),
  };
}

/** stock.move states; `partially_available` is still waiting for the rest of its stock. */
const MOVE_STATES: Record<string, DeliveryState> = {
  draft: 'DRAFT',
  waiting: 'WAITING',
  confirmed: 'CONFIRMED',
  partially_available: 'CONFIRMED',
  assigned: 'READY',
  done: 'DONE',
  cancel: 'CANCELLED',
};

export function toDeliveryMove(rec: OdooRecord): DeliveryMoveShape {
  return {
    id: String(rec.id),
    odooId: rec.id,
    productId: m2oId(rec['product_id']),
    description: str(rec['name']) ?? '',
    demand: num(rec['product_uom_qty']),
    quantity: num(rec['quantity']),
    state: selection(MOVE_STATES, 'stock.move', 'state', rec['state']),
    deliveryId: m2oId(rec['picking_id']),
    orderLineId: m2oId(rec['sale_line_id']),
  };
}

export function toProduct(rec: OdooRecord): ProductShape {
  const type = rec['type'];
  const kind: ProductKind =
    type === 'service' ? 'SERVICE' : type === 'combo' ? 'COMBO' : rec['is_storable'] === true || type === 'product' ? 'STORABLE' : 'CONSUMABLE';
  const qtyAvailable = num(rec['qty_available']);
  const tier = rec['x_support_tier'];
  return {
    id: String(rec.id),
    odooId: rec.id,
    sku: str(rec['default_code']),
    name: str(rec['name']) ?? '',
    kind,
    listPrice: money(rec, 'lst_price'),
    cost: money(rec, 'standard_price', rec['cost_currency_id'] !== undefined ? 'cost_currency_id' : 'currency_id'),
    qtyAvailable,
    qtyForecast: num(rec['virtual_available']),
    inStock: kind !== 'STORABLE' || qtyAvailable > 0,
    supportTier: typeof tier === 'string' && Object.hasOwn(SUPPORT_TIERS, tier) ? (SUPPORT_TIERS[tier] ?? null) : null,
    category: m2oName(rec['categ_id']),
    warrantyMonths: typeof rec['x_warranty_months'] === 'number' ? rec['x_warranty_months'] : null,
  };
}

/** A support plan as the registry names it: its tier and its term in months. */
export interface PlanTerms {
  tier: 'basic' | 'standard' | 'premium';
  termMonths: number;
}

/**
 * A support-plan order line → an entitlement. The period comes from the line's custom fields where
 * the tenant has them and they are set; otherwise from the plan: from the day the order was
 * confirmed (`confirmedOn`, the company's calendar day of `date_order`, which `action_confirm` sets)
 * for the plan's term.
 */
export function toEntitlement(rec: OdooRecord, plan: PlanTerms | undefined, confirmedOn: string | null, today = todayUtc()): EntitlementShape {
  const customStart = isoDate(rec['x_entitlement_start']);
  const startsOn = customStart ?? (plan ? confirmedOn : null);
  const endsOn = isoDate(rec['x_entitlement_end']) ?? (customStart === null && plan && startsOn ? termEnd(startsOn, plan.termMonths) : null);
  const confirmed = rec['state'] === undefined || rec['state'] === 'sale';
  return {
    id: String(rec.id),
    productId: m2oId(rec['product_id']),
    orderId: m2oId(rec['order_id']),
    startsOn,
    endsOn,
    active: confirmed && (startsOn === null || startsOn <= today) && (endsOn === null || today <= endsOn),
    planTier: plan ? (SUPPORT_TIERS[plan.tier] ?? null) : null,
  };
}
