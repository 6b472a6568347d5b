/**
 * Resolvers of the Odoo subgraph. They know nothing of HTTP: every read goes through the request's
 * loaders (so a tick's reads of one model are one upstream call, and a repeated `_entities`
 * representation costs nothing), and every record is shaped by mappers.ts.
 */
import type DataLoader from 'dataloader';
import { GraphQLScalarType, Kind, type GraphQLResolveInfo } from 'graphql';
import type { BaseContext } from '../kit/context';
import type { Resolvers } from './generated/resolvers-types';
import { badUserInput } from '../kit/errors';
import type { ActionStore } from '../../actions/types';
import { actionResolvers } from './action-resolvers';
import type { OdooActionDeps } from './actions';
import { capabilityMissing } from './capabilities';
import { standingsOf, supportStatusOf, type EntitlementStanding } from './service';
import { toOdooId } from './ids';
import { ticketSlaOf, type DeskSla } from './ticket-sla';
import { exceptionsOf, fulfilmentOf, milestonesOf, warrantyMonths, warrantyOf, type DeliveryException, type Warranty } from './fulfilment';
import { pageWindow, selectsField, toPageConnection, type Connection, type PageArgs, type PageWindow } from '../kit/pagination';
import type { OdooRecord } from './client';
import type { OdooCapabilities, OdooCompany } from './capabilities';
import { creditLimitKey, normaliseEmail, pageKey, type ListPage, type OdooLoaders } from './loaders';
import {
  CUSTOMER_MOVE_TYPES,
  dateIn,
  isoDateTime,
  m2oId,
  termEnd,
  ODOO_ORDER_STATE,
  toCustomer,
  toDelivery,
  toDeliveryMove,
  toEntitlement,
  toInvoice,
  toOrder,
  toOrderLine,
  toProduct,
  type CustomerShape,
  type DeliveryShape,
  type DeliveryMoveShape,
  type EntitlementShape,
  type InvoiceShape,
  type Money,
  type OrderLineShape,
  type OrderShape,
  type OrderState,
  type ProductShape,
} from './mappers';

/** The Odoo subgraph's request context: the kit's base plus this request's loaders. */
export interface OdooContext extends BaseContext {
  readonly loaders: OdooLoaders;
  /** The action log and what the actions need; absent where no log is configured (the mutations then refuse). */
  readonly actions?: { store: ActionStore; deps: OdooActionDeps } | undefined;
}

export { toOdooId };

/** An Odoo id from an argument; a malformed one is the client's error (BAD_USER_INPUT). */
function argId(raw: unknown, argumentName: string): number {
  const id = toOdooId(raw);
  if (id === null) throw badUserInput(`${argumentName} is not an ERP id (a positive integer)`, argumentName);
  return id;
}

/** A trimmed, non-empty text argument of bounded length (longer values cannot be Odoo keys). */
function argText(raw: string, argumentName: string, maxLength: number): string {
  const value = raw.trim();
  if (value.length === 0) throw badUserInput(`${argumentName} must not be empty`, argumentName);
  if (value.length > maxLength) throw badUserInput(`${argumentName} must be at most ${maxLength} characters`, argumentName);
  return value;
}

/** Loads several ids; the first failure (an upstream error) fails the field, missing records are left out. */
async function loadAll(loader: DataLoader<number, OdooRecord | null>, ids: readonly number[]): Promise<OdooRecord[]> {
  const results = await loader.loadMany(ids);
  const failed = results.find((r): r is Error => r instanceof Error);
  if (failed) throw failed;
  return results.filter((r): r is OdooRecord => r !== null && !(r instanceof Error));
}

const isCustomerMove = (rec: OdooRecord): boolean => typeof rec['move_type'] === 'string' && CUSTOMER_MOVE_TYPES.includes(rec['move_type']);

/** A ticket as the gateway hands it over: its id and what the support desk knows of its requester. */
export interface TicketReference {
  id: string;
  customerMatch?: { externalId?: string | null; email?: string | null } | null;
  createdAt?: string | null;
  status?: string | null;
  zendeskSla?: DeskSla | null;
}

/** The ticket's customer: the external id first (when it names an existing contact), then the requester's email. */
async function ticketCustomer(ctx: OdooContext, ticket: TicketReference): Promise<CustomerShape | null> {
  const match = ticket.customerMatch;
  const externalId = typeof match?.externalId === 'string' ? toOdooId(match.externalId) : null;
  const linked = externalId === null ? null : await ctx.loaders.customer.load(externalId);
  // A requester linked to a contact person is that person's company's ticket.
  if (linked) return customerById(ctx, m2oId(linked['commercial_partner_id']) ?? linked.id);
  return typeof match?.email === 'string' ? customerByEmail(ctx, match.email) : null;
}

async function customerById(ctx: OdooContext, id: number | null): Promise<CustomerShape | null> {
  if (id === null) return null;
  const rec = await ctx.loaders.customer.load(id);
  return rec ? toCustomer(rec) : null;
}

async function customerByEmail(ctx: OdooContext, email: string): Promise<CustomerShape | null> {
  const key = normaliseEmail(email);
  if (key.length === 0) return null;
  return customerById(ctx, await ctx.loaders.customerIdByEmail.load(key));
}

async function orderById(ctx: OdooContext, id: number | null): Promise<OrderShape | null> {
  if (id === null) return null;
  const rec = await ctx.loaders.order.load(id);
  return rec ? toOrder(rec) : null;
}

/** Today in the time zone of the record's company (the tenant's main company when it has none). */
/** The time zone of a company of the tenant's ERP (its main company's when unknown). */
function zoneOf(caps: OdooCapabilities, companyId: number | null): string | null {
  return (caps.company(companyId) ?? caps.mainCompany)?.timeZone ?? null;
}

function todayFor(caps: OdooCapabilities, companyId: number | null): string {
  return dateIn(zoneOf(caps, companyId));
}

async function invoiceShape(ctx: OdooContext, rec: OdooRecord): Promise<InvoiceShape> {
  const caps = await ctx.loaders.capabilities();
  return toInvoice(rec, todayFor(caps, m2oId(rec['company_id'])));
}

async function invoiceShapes(ctx: OdooContext, recs: readonly OdooRecord[]): Promise<InvoiceShape[]> {
  // Vendor bills and journal entries are not invoices of this API.
  return Promise.all(recs.filter(isCustomerMove).map((r) => invoiceShape(ctx, r)));
}

async function invoiceById(ctx: OdooContext, id: number | null): Promise<InvoiceShape | null> {
  if (id === null) return null;
  const rec = await ctx.loaders.invoice.load(id);
  return rec && isCustomerMove(rec) ? invoiceShape(ctx, rec) : null;
}

async function deliveryById(ctx: OdooContext, id: number | null): Promise<DeliveryShape | null> {
  if (id === null) return null;
  const rec = await ctx.loaders.delivery.load(id);
  return rec ? toDelivery(rec) : null;
}

async function productById(ctx: OdooContext, id: number | null) {
  if (id === null) return null;
  const rec = await ctx.loaders.product.load(id);
  return rec ? toProduct(rec) : null;
}

/**
 * A page of a customer's list: the window's ids from the page loader (which usually read the
 * records too, in the same call), the records through the by-id loader. The count is made only
 * when the query asks `totalCount`.
 */
async function page<T>(
  prefix: string,
  args: PageArgs,
  info: GraphQLResolveInfo,
  load: (window: PageWindow, counted: boolean) => Promise<ListPage | null>,
  loader: DataLoader<number, OdooRecord | null>,
  map: (rec: OdooRecord) => T | null,
): Promise<Connection<T>> {
  const window = pageWindow(prefix, args);
  const counted = selectsField(info, 'totalCount');
  const read = (await load(window, counted)) ?? { ids: [], hasMore: false, total: counted ? 0 : null };
  const rows = await loadAll(loader, read.ids);
  return toPageConnection(
    prefix,
    window,
    rows.map((r) => map(r)).filter((x): x is T => x !== null),
    read,
  );
}

/** The public shape of a company. */
const companyShape = (c: OdooCompany): { id: string; name: string; currencyCode: string } => ({ id: String(c.id), name: c.name, currencyCode: c.currencyCode });

async function companyOf(ctx: OdooContext, id: number | null) {
  const company = (await ctx.loaders.capabilities()).company(id);
  return company ? companyShape(company) : null;
}

/** The tenant's main company, or a capability error when the user can see none. */
async function mainCompany(ctx: OdooContext): Promise<OdooCompany> {
  const main = (await ctx.loaders.capabilities()).mainCompany;
  if (!main) throw capabilityMissing('the integration user can read no company (res.company)');
  return main;
}

async function openBalanceIn(ctx: OdooContext, customerId: number, company: OdooCompany): Promise<Money> {
  const sums = await ctx.loaders.openBalanceOf.load(customerId);
  return { amount: sums?.[String(company.id)] ?? 0, currencyCode: company.currencyCode };
}

/** The credit limit in one company; null where that company's record rules hide the customer. */
async function creditLimitIn(ctx: OdooContext, customerId: number, company: OdooCompany): Promise<Money | null> {
  const amount = await ctx.loaders.creditLimitOf.load(creditLimitKey(customerId, company.id));
  return amount === null ? null : { amount, currencyCode: company.currencyCode };
}

/** Resolves a field from `model.field` only where the tenant's Odoo has it; else null + UPSTREAM_CAPABILITY_MISSING. */
function sourced<P, T>(model: string, field: string, get: (parent: P) => T) {
  return async (parent: P, _: unknown, ctx: OdooContext): Promise<T> => {
    (await ctx.loaders.capabilities()).require(model, field);
    return get(parent);
  };
}

export interface CompanyBalanceShape {
  customerId: number;
  company: OdooCompany;
}

/** Support-plan lines → entitlements: their orders give the confirmation day, the registry the plan. */
/**
 * A customer's support plans with their standing: the period from the order's confirmation (or the
 * custom fields), renewal (a later plan renews an earlier one), payment from the plan order's
 * invoices, SLA targets of the tier. Three waves whatever the number of plans: lines, orders, invoices.
 */
async function entitlementsOf(ctx: OdooContext, customerId: number): Promise<EntitlementStanding[]> {
  const caps = await ctx.loaders.capabilities();
  const lineIds = (await ctx.loaders.entitlementLinesOf.load(customerId)) ?? [];
  const lines = await loadAll(ctx.loaders.orderLine, lineIds);
  const orderIds = [...new Set(lines.map((l) => m2oId(l['order_id'])).filter((id): id is number => id !== null))];
  // Plans' products are read with their orders (one tick): a line sold outside the plans takes its tier from the product, and `Entitlement.product` finds them loaded.
  const productIds = [...new Set(lines.map((l) => m2oId(l['product_id'])).filter((id): id is number => id !== null))];
  const [orders, invoicesByOrder, products] = await Promise.all([
    loadAll(ctx.loaders.orderConfirmation, orderIds),
    ctx.loaders.planInvoicesOf.loadMany(orderIds),
    loadAll(ctx.loaders.product, productIds),
  ]);
  const tierProducts = new Map(products.map((r) => [r.id, r]));
  const config = ctx.tenant.upstreams.odoo.entitlements;
  const plans = lines.map((line) => {
    const order = orders.find((o) => o.id === m2oId(line['order_id']));
    const companyId = m2oId(order?.['company_id']);
    const zone = zoneOf(caps, companyId);
    const confirmedAt = isoDateTime(order?.['date_order']);
    const productId = m2oId(line['product_id']);
    const plan = productId === null ? undefined : caps.plans.get(productId);
    const today = todayFor(caps, companyId);
    const entitlement = toEntitlement(line, plan, confirmedAt ? dateIn(zone, new Date(confirmedAt)) : null, today);
    const product = productId === null ? undefined : tierProducts.get(productId);
    const tier = entitlement.planTier ?? (product ? toProduct(product).supportTier : null);
    const at = orderIds.indexOf(m2oId(line['order_id']) ?? 0);
    const invoices = invoicesByOrder[at];
    const shapes = Array.isArray(invoices) ? invoices.map((r) => toInvoice(r, todayFor(caps, m2oId(r['company_id'])))) : [];
    return { entitlement, tier, cancelled: order?.['state'] === 'cancel', invoices: shapes, today };
  });
  return standingsOf(plans, config.expiringSoonDays, (tier) => (tier ? (config.sla[TIER_KEY[tier]] ?? null) : null));
}

/**
 * An order line's warranty: from the first done outgoing transfer of its order that moved it (its
 * `sale_line_id`), plus the product's term. Nothing where the ERP cannot tell the transfers (no sale_stock).
 */
async function lineWarranty(ctx: OdooContext, line: OrderLineShape): Promise<Warranty> {
  const none: Warranty = { endsOn: null, underWarranty: null };
  if (line.isDisplayOnly || line.orderId === null || line.productId === null) return none;
  const caps = await ctx.loaders.capabilities();
  if (!caps.has('sale.order', 'picking_ids') || !caps.has('stock.move', 'sale_line_id')) return none;
  const [orderRec, productRec] = await Promise.all([ctx.loaders.order.load(line.orderId), ctx.loaders.product.load(line.productId)]);
  if (!orderRec || !productRec) return none;
  const order = toOrder(orderRec);
  const product = toProduct(productRec);
  if (product.kind === 'SERVICE') return none;
  const shipped = (await loadAll(ctx.loaders.delivery, order.deliveryIds)).map((r) => toDelivery(r)).filter((d) => d.kind === 'OUTGOING' && d.state === 'DONE');
  const moves = (
    await loadAll(
      ctx.loaders.deliveryMove,
      shipped.flatMap((d) => d.moveIds),
    )
  ).map(toDeliveryMove);
  const movedIn = new Set(moves.filter((m) => m.orderLineId === line.odooId && m.state === 'DONE' && m.quantity > 0).map((m) => m.deliveryId));
  const dates = shipped.filter((d) => movedIn.has(d.odooId) && d.doneDate !== null).map((d) => d.doneDate as string);
  if (dates.length === 0) return none;
  const zone = zoneOf(caps, order.companyId);
  const deliveredOn = dateIn(zone, new Date(dates.sort()[0] as string));
  const months = warrantyMonths(ctx.tenant.upstreams.odoo.warranty, product.category, product.warrantyMonths);
  return warrantyOf(deliveredOn, months, todayFor(caps, order.companyId), termEnd);
}

/** Why a verdict may be incomplete where the integration user sees only its own documents (FACTS 13). */
export const OWN_DOCUMENTS_REASON =
  'the integration user sees only its own documents (Sales / User: Own Documents Only): plans and invoices of other salespeople are not counted, so payment standing cannot be told';

/** One warranty computation per line object, however many of its warranty fields are asked. */
const lineWarranties = new WeakMap<OrderLineShape, Promise<Warranty>>();
function warrantyOfLine(ctx: OdooContext, line: OrderLineShape): Promise<Warranty> {
  let warranty = lineWarranties.get(line);
  if (!warranty) {
    warranty = lineWarranty(ctx, line);
    lineWarranties.set(line, warranty);
  }
  return warranty;
}

const TIER_KEY = { BASIC: 'basic', STANDARD: 'standard', PREMIUM: 'premium' } as const;

/** A documented String scalar: ISO-8601 text in, the same text out (the mappers produce it). */
function isoScalar(name: string, description: string, pattern: RegExp): GraphQLScalarType {
  const check = (value: unknown): string => {
    if (typeof value !== 'string' || !pattern.test(value)) throw badUserInput(`${name} must be ISO-8601 (${description})`);
    return value;
  };
  return new GraphQLScalarType({
    name,
    description,
    serialize: (value) => value,
    parseValue: check,
    parseLiteral: (ast) => check(ast.kind === Kind.STRING ? ast.value : undefined),
  });
}

interface PageAndState extends PageArgs {
  state?: OrderState | null;
}

export const resolvers = {
  Date: isoScalar('Date', 'YYYY-MM-DD', /^\d{4}-\d{2}-\d{2}$/),
  DateTime: isoScalar('DateTime', 'YYYY-MM-DDTHH:MM:SSZ', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/),

  Mutation: actionResolvers.Mutation,
  Action: actionResolvers.Action,

  Query: {
    ...actionResolvers.Query,
    customer: (_: unknown, args: { id: string }, ctx: OdooContext) => customerById(ctx, argId(args.id, 'id')),
    // 254: the longest address SMTP can carry (RFC 5321 path limit).
    customerByEmail: (_: unknown, args: { email: string }, ctx: OdooContext) => customerByEmail(ctx, argText(args.email, 'email', 254)),
    order: (_: unknown, args: { id: string }, ctx: OdooContext) => orderById(ctx, argId(args.id, 'id')),
    orderByName: async (_: unknown, args: { name: string }, ctx: OdooContext) =>
      orderById(ctx, await ctx.loaders.orderIdByName.load(argText(args.name, 'name', 128))),
    invoice: (_: unknown, args: { id: string }, ctx: OdooContext) => invoiceById(ctx, argId(args.id, 'id')),
    delivery: (_: unknown, args: { id: string }, ctx: OdooContext) => deliveryById(ctx, argId(args.id, 'id')),
    product: async (_: unknown, args: { sku: string }, ctx: OdooContext) =>
      productById(ctx, await ctx.loaders.productIdBySku.load(argText(args.sku, 'sku', 128))),
  },

  Ticket: {
    __resolveReference: (ref: TicketReference) => ref,
    /** The external id first (when it names an existing contact), then the requester's email. */
    customer: (ticket: TicketReference, _: unknown, ctx: OdooContext): Promise<CustomerShape | null> => ticketCustomer(ctx, ticket),
    /** The desk's SLA where it has one; else the targets of the plan covering the ticket's customer today. */
    sla: async (ticket: TicketReference, _: unknown, ctx: OdooContext) => {
      const desk = ticketSlaOf(ticket, null);
      if (desk) return desk;
      const customer = await ticketCustomer(ctx, ticket);
      if (!customer) return null;
      const caps = await ctx.loaders.capabilities();
      return ticketSlaOf(ticket, supportStatusOf(await entitlementsOf(ctx, customer.odooId), todayFor(caps, null)));
    },
  },

  Customer: {
    /** Both keys: `{id}` (Salesforce, Zendesk external id) and `{email}` (Zendesk requester). */
    __resolveReference: (ref: { id?: unknown; email?: unknown }, ctx: OdooContext) => {
      if (ref.id !== undefined && ref.id !== null) return customerById(ctx, toOdooId(ref.id));
      if (typeof ref.email === 'string') return customerByEmail(ctx, ref.email);
      return null;
    },
    matchName: (parent: CustomerShape) => parent.name,
    matchEmail: (parent: CustomerShape) => parent.email,
    orders: (parent: CustomerShape, args: PageAndState, ctx: OdooContext, info: GraphQLResolveInfo) => {
      const state = args.state ?? null;
      const variant = state === null ? null : ODOO_ORDER_STATE[state];
      return page(
        `orders.${state ?? 'ALL'}`,
        args,
        info,
        (window, counted) => ctx.loaders.orderPages.load(pageKey(parent.odooId, variant, window, counted)),
        ctx.loaders.order,
        toOrder,
      );
    },
    invoices: async (parent: CustomerShape, args: PageArgs, ctx: OdooContext, info: GraphQLResolveInfo) => {
      const caps = await ctx.loaders.capabilities();
      return page(
        'invoices',
        args,
        info,
        (window, counted) => ctx.loaders.invoicePages.load(pageKey(parent.odooId, null, window, counted)),
        ctx.loaders.invoice,
        (r) => (isCustomerMove(r) ? toInvoice(r, todayFor(caps, m2oId(r['company_id']))) : null),
      );
    },
    deliveries: (parent: CustomerShape, args: PageArgs, ctx: OdooContext, info: GraphQLResolveInfo) =>
      page(
        'deliveries',
        args,
        info,
        (window, counted) => ctx.loaders.deliveryPages.load(pageKey(parent.odooId, null, window, counted)),
        ctx.loaders.delivery,
        toDelivery,
      ),
    entitlements: (parent: CustomerShape, _: unknown, ctx: OdooContext): Promise<EntitlementStanding[]> => entitlementsOf(ctx, parent.odooId),
    supportStatus: async (parent: CustomerShape, _: unknown, ctx: OdooContext) => {
      const caps = await ctx.loaders.capabilities();
      const status = supportStatusOf(await entitlementsOf(ctx, parent.odooId), todayFor(caps, null));
      if (!caps.ownDocumentsOnly) return status;
      // Plans and invoices of other salespeople are invisible to this user: say so, and give no payment verdict rather than a false one.
      return {
        ...status,
        paymentStanding: null,
        amountOverdue: null,
        reasons: [...status.reasons, OWN_DOCUMENTS_REASON],
      };
    },
    openBalance: async (parent: CustomerShape, _: unknown, ctx: OdooContext) => openBalanceIn(ctx, parent.odooId, await mainCompany(ctx)),
    creditLimit: async (parent: CustomerShape, _: unknown, ctx: OdooContext) => creditLimitIn(ctx, parent.odooId, await mainCompany(ctx)),
    balances: async (parent: CustomerShape, _: unknown, ctx: OdooContext): Promise<CompanyBalanceShape[]> =>
      (await ctx.loaders.capabilities()).companies.map((company) => ({ customerId: parent.odooId, company })),
  },

  CompanyBalance: {
    company: (parent: CompanyBalanceShape) => companyShape(parent.company),
    openBalance: (parent: CompanyBalanceShape, _: unknown, ctx: OdooContext) => openBalanceIn(ctx, parent.customerId, parent.company),
    creditLimit: (parent: CompanyBalanceShape, _: unknown, ctx: OdooContext) => creditLimitIn(ctx, parent.customerId, parent.company),
  },

  Order: {
    __resolveReference: (ref: { id?: unknown }, ctx: OdooContext) => orderById(ctx, toOdooId(ref.id)),
    customer: (parent: OrderShape, _: unknown, ctx: OdooContext) => customerById(ctx, parent.customerId),
    lines: async (parent: OrderShape, _: unknown, ctx: OdooContext): Promise<OrderLineShape[]> =>
      (await loadAll(ctx.loaders.orderLine, parent.lineIds)).map(toOrderLine).filter((l) => !l.isDisplayOnly),
    invoices: async (parent: OrderShape, _: unknown, ctx: OdooContext) => invoiceShapes(ctx, await loadAll(ctx.loaders.invoice, parent.invoiceIds)),
    deliveries: async (parent: OrderShape, _: unknown, ctx: OdooContext) => {
      // Without sale_stock an order has no picking_ids: its deliveries cannot be known.
      (await ctx.loaders.capabilities()).require('sale.order', 'picking_ids');
      return (await loadAll(ctx.loaders.delivery, parent.deliveryIds)).map((r) => toDelivery(r));
    },
    margin: sourced('sale.order', 'margin', (parent: OrderShape) => parent.margin),
    marginPercent: sourced('sale.order', 'margin_percent', (parent: OrderShape) => parent.marginPercent),
    company: (parent: OrderShape, _: unknown, ctx: OdooContext) => companyOf(ctx, parent.companyId),
    fulfilment: async (parent: OrderShape, _: unknown, ctx: OdooContext) => {
      const caps = await ctx.loaders.capabilities();
      const [lines, invoices, deliveries] = await Promise.all([
        loadAll(ctx.loaders.orderLine, parent.lineIds).then((rs) => rs.map(toOrderLine)),
        loadAll(ctx.loaders.invoice, parent.invoiceIds).then((rs) => invoiceShapes(ctx, rs)),
        // Without sale_stock the order's transfers cannot be known: the lines' delivered quantities tell instead.
        caps.has('sale.order', 'picking_ids') ? loadAll(ctx.loaders.delivery, parent.deliveryIds).then((rs) => rs.map((r) => toDelivery(r))) : null,
      ]);
      return fulfilmentOf(parent, lines, invoices, deliveries);
    },
  },

  OrderLine: {
    product: (parent: OrderLineShape, _: unknown, ctx: OdooContext) => productById(ctx, parent.productId),
    margin: sourced('sale.order.line', 'margin', (parent: OrderLineShape) => parent.margin),
    warrantyEndsOn: async (parent: OrderLineShape, _: unknown, ctx: OdooContext) => (await warrantyOfLine(ctx, parent)).endsOn,
    underWarranty: async (parent: OrderLineShape, _: unknown, ctx: OdooContext) => (await warrantyOfLine(ctx, parent)).underWarranty,
  },

  Invoice: {
    __resolveReference: (ref: { id?: unknown }, ctx: OdooContext) => invoiceById(ctx, toOdooId(ref.id)),
    customer: (parent: InvoiceShape, _: unknown, ctx: OdooContext) => customerById(ctx, parent.customerId),
    company: (parent: InvoiceShape, _: unknown, ctx: OdooContext) => companyOf(ctx, parent.companyId),
  },

  Delivery: {
    __resolveReference: (ref: { id?: unknown }, ctx: OdooContext) => deliveryById(ctx, toOdooId(ref.id)),
    order: async (parent: DeliveryShape, _: unknown, ctx: OdooContext) => {
      (await ctx.loaders.capabilities()).require('stock.picking', 'sale_id');
      return orderById(ctx, parent.orderId);
    },
    /**
     * Without a delivery-carrier module there are no tracking references at all: null, no error
     * (the doctor reports the module). With it but unreadable for this user: the capability error.
     */
    trackingRef: async (parent: DeliveryShape, _: unknown, ctx: OdooContext) => {
      const caps = await ctx.loaders.capabilities();
      if (caps.has('stock.picking', 'carrier_tracking_ref')) return parent.trackingRef;
      if (!caps.moduleInstalled('stock_delivery')) return null;
      caps.require('stock.picking', 'carrier_tracking_ref'); // throws: installed, but this user may not read it
      return null;
    },
    milestones: (parent: DeliveryShape) => milestonesOf(parent),
    exceptions: async (parent: DeliveryShape, _: unknown, ctx: OdooContext): Promise<DeliveryException[]> => {
      const caps = await ctx.loaders.capabilities();
      const zone = zoneOf(caps, parent.companyId);
      const [backorders, returns, moves] = await Promise.all([
        loadAll(ctx.loaders.delivery, parent.backorderIds).then((rs) => rs.map((r) => toDelivery(r))),
        loadAll(ctx.loaders.delivery, parent.returnIds).then((rs) => rs.map((r) => toDelivery(r))),
        parent.state === 'DONE' ? loadAll(ctx.loaders.deliveryMove, parent.moveIds).then((rs) => rs.map(toDeliveryMove)) : [],
      ]);
      return exceptionsOf(parent, { backorders, returns, moves }, (iso) => dateIn(zone, new Date(iso)));
    },
    moves: async (parent: DeliveryShape, _: unknown, ctx: OdooContext) => (await loadAll(ctx.loaders.deliveryMove, parent.moveIds)).map(toDeliveryMove),
  },
  DeliveryException: {
    related: (parent: DeliveryException, _: unknown, ctx: OdooContext) => deliveryById(ctx, parent.relatedId),
  },
  DeliveryMove: {
    product: (parent: DeliveryMoveShape, _: unknown, ctx: OdooContext) => productById(ctx, parent.productId),
  },

  Product: {
    __resolveReference: (ref: { id?: unknown }, ctx: OdooContext) => productById(ctx, toOdooId(ref.id)),
    cost: sourced('product.product', 'standard_price', (parent: ProductShape) => parent.cost),
    qtyAvailable: sourced('product.product', 'qty_available', (parent: ProductShape) => parent.qtyAvailable),
    qtyForecast: sourced('product.product', 'virtual_available', (parent: ProductShape) => parent.qtyForecast),
    inStock: sourced('product.product', 'qty_available', (parent: ProductShape) => parent.inStock),
  },

  Entitlement: {
    product: (parent: EntitlementShape, _: unknown, ctx: OdooContext) => productById(ctx, parent.productId),
    tier: (parent: EntitlementStanding) => parent.tier,
    daysOverdue: (parent: EntitlementStanding) => parent.daysOverdue,
    order: (parent: EntitlementShape, _: unknown, ctx: OdooContext) => orderById(ctx, parent.orderId),
  },
} satisfies Resolvers;
