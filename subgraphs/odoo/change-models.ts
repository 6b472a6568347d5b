/**
 * What Odoo change capture watches, per model: which records (the domain the subgraph itself
 * serves), which public GraphQL type and id a change becomes, which public fields each Odoo field
 * feeds (schema.graphql, mappers.ts), who the customer is, and which entity-cache entries a change
 * makes stale (loaders.ts, entities.ts). Pure data and functions, no I/O.
 */
import type { EntityRef } from '../../cache';
import type { OdooCapabilities } from './capabilities';
import type { OdooDomain, OdooRecord } from './client';
import { CUSTOMER_MOVE_TYPES, idList, m2oId } from './mappers';
import { planLineDomain } from './plan-lines';

/** A watched model (the key of its cursor and fingerprints). */
export type CaptureModel = 'sale.order' | 'account.move' | 'stock.picking' | 'sale.order.line';

/** The domain of a model for this tenant, or why nothing of it can be watched. */
export type CaptureDomain = { domain: OdooDomain } | { skip: string };

export interface ChangeModelSpec {
  readonly model: CaptureModel;
  /** The public GraphQL type a change is published as. */
  readonly type: 'Order' | 'Invoice' | 'Delivery';
  /** Whether the record is the published entity itself (else a new record is no new entity: kind `updated`). */
  readonly entityIsRecord: boolean;
  /**
   * Public field → the Odoo fields it is read from. A public field whose sources the tenant's Odoo
   * lacks is not tracked (never asked for: fields_get decides, capabilities.ts).
   */
  readonly tracked: Readonly<Record<string, readonly string[]>>;
  /** Odoo fields read besides the tracked ones (ids for the customer and for invalidation). */
  readonly extra: readonly string[];
  /** Which records: the kinds the schema exposes; `skip` with a reason when the tenant has none. */
  domain(caps: OdooCapabilities): CaptureDomain;
  /** The public id of the entity a changed record is published as (the order of a plan line). */
  entityId(row: OdooRecord): number | null;
  /** The contact the record is for (its commercial partner is the event's customer). */
  partnerId(row: OdooRecord): number | null;
  /** The commercial partner when the record itself carries it (account.move), else null. */
  commercialId(row: OdooRecord): number | null;
  /** Entity-cache entries the change makes stale, besides the partners' `Customer` entries. */
  staleRefs(row: OdooRecord): EntityRef[];
}

const ref = (type: string, id: number | null): EntityRef[] => (id === null ? [] : [{ type, id }]);
const refs = (type: string, ids: readonly number[]): EntityRef[] => ids.map((id) => ({ type, id }));

/** sale.order → `Order` (every order and quotation the integration user sees). */
const ORDER: ChangeModelSpec = {
  model: 'sale.order',
  type: 'Order',
  entityIsRecord: true,
  tracked: {
    name: ['name'],
    state: ['state'],
    orderedAt: ['date_order'],
    customer: ['partner_id'],
    lines: ['order_line'],
    invoices: ['invoice_ids'],
    deliveries: ['picking_ids'],
    amountUntaxed: ['amount_untaxed', 'currency_id'],
    amountTotal: ['amount_total', 'currency_id'],
    margin: ['margin', 'currency_id'],
    marginPercent: ['margin_percent'],
    invoiceStatus: ['invoice_status'],
    clientOrderRef: ['client_order_ref'],
    locked: ['locked'],
    company: ['company_id'],
  },
  extra: ['partner_id', 'order_line'],
  domain: () => ({ domain: [] }),
  entityId: (row) => row.id,
  partnerId: (row) => m2oId(row['partner_id']),
  commercialId: () => null,
  // The order, what is keyed by its id (its confirmation, its plans' invoices) and its lines.
  staleRefs: (row) => [
    ...ref('Order', row.id),
    ...ref('OrderConfirmation', row.id),
    ...ref('PlanInvoices', row.id),
    ...refs('OrderLine', idList(row['order_line'])),
  ],
};

/** account.move → `Invoice`: customer invoices and credit notes only, as the subgraph serves them. */
const INVOICE: ChangeModelSpec = {
  model: 'account.move',
  type: 'Invoice',
  entityIsRecord: true,
  tracked: {
    number: ['name'],
    kind: ['move_type'],
    state: ['state'],
    paymentState: ['payment_state'],
    amountTotal: ['amount_total', 'currency_id', 'move_type'],
    amountResidual: ['amount_residual', 'currency_id', 'move_type'],
    invoiceDate: ['invoice_date'],
    dueDate: ['invoice_date_due'],
    overdue: ['state', 'payment_state', 'invoice_date_due'],
    origin: ['invoice_origin'],
    customer: ['partner_id'],
    company: ['company_id'],
  },
  extra: ['partner_id', 'commercial_partner_id'],
  domain: () => ({ domain: [['move_type', 'in', CUSTOMER_MOVE_TYPES]] }),
  entityId: (row) => row.id,
  partnerId: (row) => m2oId(row['partner_id']),
  commercialId: (row) => m2oId(row['commercial_partner_id']),
  staleRefs: (row) => ref('Invoice', row.id),
};

/** The `picking_type_code`s DeliveryKind maps (OUTGOING; RETURN and RECEIPT; INTERNAL): mappers.ts toDelivery. */
export const DELIVERY_CODES = ['outgoing', 'incoming', 'internal'] as const;

/** stock.picking → `Delivery`: the kinds the schema names (another kind, e.g. manufacturing, is left out). */
const DELIVERY: ChangeModelSpec = {
  model: 'stock.picking',
  type: 'Delivery',
  entityIsRecord: true,
  tracked: {
    name: ['name'],
    kind: ['picking_type_code', 'return_id'],
    state: ['state'],
    scheduledDate: ['scheduled_date'],
    doneDate: ['date_done'],
    trackingRef: ['carrier_tracking_ref'],
    late: ['state', 'scheduled_date'],
    origin: ['origin'],
    order: ['sale_id'],
    milestones: ['state', 'date_done'],
    exceptions: ['state', 'scheduled_date', 'backorder_ids', 'return_ids'],
    moves: ['move_ids'],
  },
  extra: ['partner_id', 'sale_id', 'return_id', 'backorder_id', 'move_ids'],
  domain: () => ({ domain: [['picking_type_code', 'in', [...DELIVERY_CODES]]] }),
  entityId: (row) => row.id,
  partnerId: (row) => m2oId(row['partner_id']),
  commercialId: () => null,
  // The transfer, its moves, and the records listing it: its order, the delivery it returns, the one it is the backorder of.
  staleRefs: (row) => [
    ...ref('Delivery', row.id),
    ...refs('DeliveryMove', idList(row['move_ids'])),
    ...ref('Order', m2oId(row['sale_id'])),
    ...ref('Delivery', m2oId(row['return_id'])),
    ...ref('Delivery', m2oId(row['backorder_id'])),
  ],
};

/**
 * The support-plan order lines the subgraph reads entitlements from (loaders.ts `entitlementDomain`):
 * lines of confirmed or cancelled orders selling a plan product of the registry, or carrying the
 * tenant's custom period. `Entitlement` is no entity of its own (no key, no subscription): a plan
 * line's change is published as its `Order`, the field being `lines`.
 */
const PLAN_LINE: ChangeModelSpec = {
  model: 'sale.order.line',
  type: 'Order',
  entityIsRecord: false,
  tracked: { lines: ['product_id', 'state', 'x_entitlement_start', 'x_entitlement_end'] },
  extra: ['order_id', 'order_partner_id'],
  domain: (caps) => {
    const domain = planLineDomain(caps);
    return domain ? { domain } : { skip: 'no support-plan product of the registry exists in this Odoo, and no custom entitlement field' };
  },
  entityId: (row) => m2oId(row['order_id']),
  partnerId: (row) => m2oId(row['order_partner_id']),
  commercialId: () => null,
  staleRefs: (row) => [...ref('OrderLine', row.id), ...ref('Order', m2oId(row['order_id']))],
};

/** Every watched model, in the order a pass reads them. */
export const CHANGE_MODELS: readonly ChangeModelSpec[] = [ORDER, INVOICE, DELIVERY, PLAN_LINE];

/** The fields every read needs: the stamps that order, page and classify changes. */
export const STAMP_FIELDS = ['write_date', 'create_date'] as const;

/** The Odoo fields a domain names (first segment of each leaf). */
export function domainFields(domain: OdooDomain): string[] {
  return domain.filter((t): t is readonly [string, string, unknown] => typeof t !== 'string').map((t) => t[0].split('.')[0] ?? t[0]);
}

/** What this tenant's Odoo lets capture read of a model: the fields to ask for and the public fields tracked. */
export interface ModelReadPlan {
  domain: OdooDomain;
  fields: string[];
  /** Public field → its sources this server has (public fields without any are left out). */
  tracked: Record<string, string[]>;
}

/** The read plan of a spec for these capabilities, or why the model cannot be watched. */
export function readPlan(spec: ChangeModelSpec, caps: OdooCapabilities): ModelReadPlan | { skip: string } {
  const model = caps.missing(spec.model, 'id');
  if (model !== null) return { skip: model };
  const domain = spec.domain(caps);
  if ('skip' in domain) return domain;
  for (const field of [...STAMP_FIELDS, ...domainFields(domain.domain)]) {
    const reason = caps.missing(spec.model, field);
    if (reason !== null) return { skip: reason };
  }
  const tracked: Record<string, string[]> = {};
  for (const [pub, sources] of Object.entries(spec.tracked)) {
    const readable = caps.readable(spec.model, sources);
    if (readable.length > 0) tracked[pub] = readable;
  }
  const fields = [...new Set([...STAMP_FIELDS, ...Object.values(tracked).flat(), ...caps.readable(spec.model, spec.extra)])];
  return { domain: domain.domain, fields, tracked };
}
