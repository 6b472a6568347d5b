/**
 * Who sees what in the Odoo subgraph: the default policy, in one place. Every object
 * type of schema.graphql is listed (anything not listed is denied); a tenant's registry entry may
 * hide more per role (`policy.hiddenFields`), never reveal more.
 *
 * - agent (and supervisor, who is agent here): customers, orders, lines, deliveries, invoices
 *   (numbers, states, payment states, due dates, overdue), entitlements and support verdicts
 *   (categories and reasons, never amounts), quantities, stock, catalog prices.
 * - finance: agent + margins, costs, credit limit, open balance, balances per company, and every
 *   amount of the customer's billing documents.
 * - admin: everything.
 *
 * Derived values (issue 14, README "Derived values"): where a finance-only figure can be computed
 * from fields a role sees, the figure's protection wins and those fields are finance-only too.
 * `Customer.openBalance` is the sum of posted invoices' and credit notes' residuals, so the residuals
 * are finance-only; so are the totals that give a residual with the payment state an agent sees (an
 * unpaid invoice owes its total): invoice totals, order totals and untaxed totals, line prices and
 * subtotals, and an order's invoiced and ordered amounts. {@link DERIVED_FROM_FINANCE} lists them.
 *
 * A denied field answers null with a FORBIDDEN error on its path, so every field listed below with
 * a narrower audience is nullable in the schema.
 */
import type { IMiddlewareGenerator } from 'graphql-middleware';
import { buildPermissions, type Audience, type TypePolicy } from '../kit/authorization';
import type { OdooContext } from './resolvers';

const ANY: Audience = 'any';
const FINANCE: Audience = ['finance'];
/** Who reads the whole action log and its audit trail (admin always). */
const AUDITORS: Audience = ['supervisor'];
/** Who sees what waits for approval (the approvers of the sandbox policies; admin always). */
const APPROVERS: Audience = ['supervisor', 'finance'];

/**
 * The fields a finance-only figure (`Customer.openBalance`, `CompanyBalance.openBalance`,
 * `OrderFulfilment.amountDue`, `Entitlement.amountDue`, `SupportStatus.amountOverdue`) can be
 * computed from with what an agent sees (payment states, invoice states, invoicing status,
 * quantities): each is finance-only for that reason alone. README "Derived values" lists what was
 * checked and why the rest (catalog prices, quantities, states, verdicts, an action's own amount)
 * is not a path.
 */
export const DERIVED_FROM_FINANCE: Readonly<Record<string, readonly string[]>> = {
  Invoice: ['amountResidual', 'amountTotal'],
  Order: ['amountTotal', 'amountUntaxed'],
  OrderLine: ['unitPrice', 'subtotal'],
  OrderFulfilment: ['amountInvoiced', 'amountOrdered'],
};

const derived = (type: string): Record<string, Audience> => Object.fromEntries((DERIVED_FROM_FINANCE[type] ?? []).map((f) => [f, FINANCE]));

/** The readable policy: per type, the audience of its fields and of each sensitive field. */
export const ODOO_POLICY: Readonly<Record<string, TypePolicy>> = {
  Query: { default: ANY, fields: { actions: AUDITORS, pendingApprovals: APPROVERS } },
  Customer: { default: ANY, fields: { openBalance: FINANCE, creditLimit: FINANCE, balances: FINANCE } },
  Company: { default: ANY },
  CompanyBalance: { default: ANY },
  Order: { default: ANY, fields: { margin: FINANCE, marginPercent: FINANCE, ...derived('Order') } },
  OrderLine: { default: ANY, fields: { margin: FINANCE, ...derived('OrderLine') } },
  Product: { default: ANY, fields: { cost: FINANCE } },
  Invoice: { default: ANY, fields: derived('Invoice') },
  Delivery: { default: ANY },
  Entitlement: { default: ANY, fields: { amountDue: FINANCE } },
  SupportStatus: { default: ANY, fields: { amountOverdue: FINANCE } },
  SlaTargets: { default: ANY },
  OrderFulfilment: { default: ANY, fields: { amountPaid: FINANCE, amountDue: FINANCE, ...derived('OrderFulfilment') } },
  DeliveryMilestone: { default: ANY },
  DeliveryException: { default: ANY },
  DeliveryMove: { default: ANY },
  TicketSla: { default: ANY },
  ZendeskSla: { default: ANY },
  Money: { default: ANY },
  PageInfo: { default: ANY },
  OrderConnection: { default: ANY },
  OrderEdge: { default: ANY },
  InvoiceConnection: { default: ANY },
  InvoiceEdge: { default: ANY },
  DeliveryConnection: { default: ANY },
  DeliveryEdge: { default: ANY },
  Ticket: { default: ANY },
  // Live changes: served by the gateway, which reads each payload's entities with the subscriber's
  // identity, so every field above still decides what a push shows.
  Subscription: { default: ANY },
  OrderChange: { default: ANY },
  InvoiceChange: { default: ANY },
  DeliveryChange: { default: ANY },
  ActionChange: { default: ANY },
  CustomerActivity: { default: ANY },
  // Actions: every mutation is open to any role here; the pipeline authorizes each action by the
  // tenant's policy (and audits a refusal), and decides who may approve.
  Mutation: { default: ANY },
  Action: { default: ANY, fields: { audit: AUDITORS } },
  ActionPayload: { default: ANY },
  UserError: { default: ANY },
  ActionRecordRef: { default: ANY },
  ActionAuditEvent: { default: ANY },
  ActionConnection: { default: ANY },
  ActionEdge: { default: ANY },
  CustomerMatch: { default: ANY },
};

/** The shield over {@link ODOO_POLICY} (kit `buildPermissions`: default deny, federation fields allowed). */
export const odooPermissions = (): IMiddlewareGenerator<unknown, OdooContext, unknown> => buildPermissions<OdooContext>(ODOO_POLICY);
