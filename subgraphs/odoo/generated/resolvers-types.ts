import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { CustomerShape, OrderShape, OrderLineShape, InvoiceShape, DeliveryShape, DeliveryMoveShape, ProductShape } from '../mappers';
import type { DeliveryException as DeliveryExceptionShape, OrderFulfilment as OrderFulfilmentShape } from '../fulfilment';
import type { EntitlementStanding, SupportStatus as SupportStatusShape } from '../service';
import type { CompanyBalanceShape, TicketReference, OdooContext } from '../resolvers';
import type { ActionRecord } from '../../../actions/types';
import type { ActionPayload as ActionPayloadShape, ActionUserError } from '../../../actions/pipeline';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /**
   * A calendar date in ISO-8601 form, `YYYY-MM-DD` (for example `2026-11-23`). Dates carry no time
   * zone: they are the dates the ERP records.
   */
  Date: { input: string; output: string; }
  /**
   * An instant in ISO-8601 form, always in UTC with the `Z` designator: `YYYY-MM-DDTHH:MM:SSZ`
   * (for example `2026-11-23T12:47:06Z`).
   */
  DateTime: { input: string; output: string; }
  FieldSet: { input: unknown; output: unknown; }
  _Any: { input: unknown; output: unknown; }
  link__Import: { input: unknown; output: unknown; }
};

/** An ERP or support-desk action, as the durable action log holds it. */
export type Action = {
  __typename?: 'Action';
  /** Its amount, for actions that have one (a credit note). */
  amount?: Maybe<Money>;
  /** Who approved or rejected it, if anyone. */
  approver?: Maybe<Scalars['String']['output']>;
  /** How many times it was executed. */
  attempts: Scalars['Int']['output'];
  /** Its audit trail, newest first. Supervisors and admins. */
  audit?: Maybe<Array<ActionAuditEvent>>;
  /** When it was requested. */
  createdAt: Scalars['DateTime']['output'];
  /** The customer it concerns, when known. */
  customerId?: Maybe<Scalars['ID']['output']>;
  /** Until when it may be approved (pending actions). */
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  /** The action's id (also the marker it leaves in the upstream records it writes). */
  id: Scalars['ID']['output'];
  /** Which action. */
  kind: ActionKind;
  /** A rejection's or failure's reason. */
  reason?: Maybe<Scalars['String']['output']>;
  /** What it wrote. */
  records: Array<ActionRecordRef>;
  /** Who requested it. */
  requester: Scalars['String']['output'];
  /** Where it is in its life. */
  status: ActionStatus;
  /** The support ticket it is for. */
  ticketId?: Maybe<Scalars['ID']['output']>;
  /** When it last changed. */
  updatedAt: Scalars['DateTime']['output'];
};

/** An entry of an action's audit trail. */
export type ActionAuditEvent = {
  __typename?: 'ActionAuditEvent';
  /** Who did it. */
  actor: Scalars['String']['output'];
  /** When. */
  at: Scalars['DateTime']['output'];
  /** What happened (requested, denied, approved, executed, failed, ...). */
  event: Scalars['String']['output'];
  /** The outcome of that step. */
  outcome: Scalars['String']['output'];
};

/** A change to an ERP action's status. */
export type ActionChange = {
  __typename?: 'ActionChange';
  /** The action as it is now, read with the subscriber's identity (its requester, or an approver). */
  action?: Maybe<Action>;
  /** When the change happened. */
  at: Scalars['DateTime']['output'];
  /** The action's fields that changed (e.g. `status`). */
  changedFields: Array<Scalars['String']['output']>;
  /** Whether the entity is new, changed or removed. */
  kind: ChangeKind;
  /** The system the change was captured from. */
  source: ChangeSource;
};

/** A page of the action log. */
export type ActionConnection = {
  __typename?: 'ActionConnection';
  /** The actions of this page. */
  edges: Array<ActionEdge>;
  /** Where this page sits. */
  pageInfo: PageInfo;
  /** How many actions match (every page). */
  totalCount: Scalars['Int']['output'];
};

/** An action in a page. */
export type ActionEdge = {
  __typename?: 'ActionEdge';
  /** Its position; pass as `after`. */
  cursor: Scalars['String']['output'];
  /** The action. */
  node: Action;
};

/** The codes of `UserError`. */
export type ActionErrorCode =
  /** The ERP refused it; the message is the ERP's own. */
  | 'ERP_REFUSED'
  /** This identity may not request or decide this action. */
  | 'FORBIDDEN'
  /** The gateway's business rules refuse it (e.g. returning more than delivered, cancelling a shipped order). */
  | 'GUARD_REFUSED'
  /** The idempotency key was used before with other input; nothing was done. */
  | 'IDEMPOTENCY_KEY_REUSED'
  /** The input is malformed or out of range. */
  | 'INVALID_INPUT'
  /** The record named does not exist (or this tenant's integration user cannot see it). */
  | 'NOT_FOUND'
  /** The action is not waiting for approval (already decided, executed or expired). */
  | 'NOT_PENDING'
  /** A requester cannot approve their own action. */
  | 'SELF_APPROVAL'
  /** The upstream could not be reached after retries; the action is DEAD and an admin can retry it. */
  | 'UPSTREAM_FAILED';

/** Filters of the action log. */
export type ActionFilter = {
  /** Only actions concerning this customer. */
  customerId?: InputMaybe<Scalars['ID']['input']>;
  /** Only these kinds. */
  kind?: InputMaybe<Array<ActionKind>>;
  /** Only actions of this requester. */
  requester?: InputMaybe<Scalars['String']['input']>;
  /** Only these statuses. */
  status?: InputMaybe<Array<ActionStatus>>;
  /** Only actions for this ticket. */
  ticketId?: InputMaybe<Scalars['ID']['input']>;
};

/** Which action. */
export type ActionKind =
  /** A note on an order. */
  | 'ADD_ORDER_NOTE'
  /** A reply or internal note on a support ticket. */
  | 'ADD_TICKET_COMMENT'
  /** An order cancellation. */
  | 'CANCEL_ORDER'
  /** A replacement order. */
  | 'CREATE_REPLACEMENT_ORDER'
  /** A credit note on an invoice. */
  | 'ISSUE_CREDIT_NOTE'
  /** A return of delivered goods. */
  | 'REQUEST_RETURN'
  /** A change of a support ticket. */
  | 'UPDATE_TICKET';

/** What an action request answered. */
export type ActionPayload = {
  __typename?: 'ActionPayload';
  /** The action as logged (null when it was refused before being logged: invalid input, a guard, no authorization). */
  action?: Maybe<Action>;
  /** Whether this answer replays an earlier request with the same idempotency key (nothing was written now). */
  replayed: Scalars['Boolean']['output'];
  /** Why the action was refused or failed; empty on success or while it waits for approval. */
  userErrors: Array<UserError>;
};

/** A record an action wrote. */
export type ActionRecordRef = {
  __typename?: 'ActionRecordRef';
  /** The record's id in that system. */
  id: Scalars['ID']['output'];
  /** The record's model, e.g. `account.move`. */
  model: Scalars['String']['output'];
  /** Its display name (e.g. `RINV/2026/00001`), when known. */
  name?: Maybe<Scalars['String']['output']>;
  /** The upstream system. */
  system: Scalars['String']['output'];
};

/** Where an action is in its life. */
export type ActionStatus =
  /** Approved, about to execute. */
  | 'APPROVED'
  /** Transient failures exhausted its retries; an admin can retry it. */
  | 'DEAD'
  /** Being written to the upstream. */
  | 'EXECUTING'
  /** Nobody approved it in time. */
  | 'EXPIRED'
  /** The upstream refused it (see `reason`). */
  | 'FAILED'
  /** Waiting for an approver; nothing was written. */
  | 'PENDING_APPROVAL'
  /** An approver rejected it (see `reason`). */
  | 'REJECTED'
  /** Done: `records` names what was written. */
  | 'SUCCEEDED';

/** What a customer activity is about. */
export type ActivityEntity =
  /** An ERP action requested through the gateway. */
  | 'ACTION'
  /** A delivery, return or receipt. */
  | 'DELIVERY'
  /** A customer invoice or credit note. */
  | 'INVOICE'
  /** A sales order. */
  | 'ORDER'
  /** The customer's account in the CRM. */
  | 'SALESFORCE_ACCOUNT'
  /** A support ticket. */
  | 'TICKET';

/** What `addOrderNote` needs. */
export type AddOrderNoteInput = {
  /** The note, plain text (1 to 5000 characters). */
  body: Scalars['String']['input'];
  /** A key the client chooses once per intended action (1 to 100 characters). */
  idempotencyKey: Scalars['String']['input'];
  /** The order to annotate. */
  orderId: Scalars['ID']['input'];
  /** The support ticket this is for. */
  ticketId?: InputMaybe<Scalars['ID']['input']>;
};

/** What `cancelOrder` needs. */
export type CancelOrderInput = {
  /** A key the client chooses once per intended action (1 to 100 characters). */
  idempotencyKey: Scalars['String']['input'];
  /** The order to cancel. */
  orderId: Scalars['ID']['input'];
  /** Why (kept in the ERP's chatter). */
  reason: Scalars['String']['input'];
  /** The support ticket this is for. */
  ticketId?: InputMaybe<Scalars['ID']['input']>;
};

/** What happened to the entity. */
export type ChangeKind =
  /** The entity is new. */
  | 'CREATED'
  /** The entity was removed. */
  | 'DELETED'
  /** The entity changed. */
  | 'UPDATED';

/** The system a change was captured from. */
export type ChangeSource =
  /** The gateway itself: an action requested, approved or carried out through it. */
  | 'GATEWAY'
  /** The ERP (Odoo), polled for changed records. */
  | 'ODOO'
  /** The CRM (Salesforce), polled for changed records. */
  | 'SALESFORCE'
  /** The support desk (Zendesk), from its signed webhooks or its incremental export. */
  | 'ZENDESK';

/** A company of the ERP (`res.company`): several may share one database. */
export type Company = {
  __typename?: 'Company';
  /** The ISO 4217 code of the company's currency, e.g. `DKK`. */
  currencyCode: Scalars['String']['output'];
  /** The ERP id of the company. */
  id: Scalars['ID']['output'];
  /** The company's name. */
  name: Scalars['String']['output'];
};

/** What a customer owes and may owe in one company. */
export type CompanyBalance = {
  __typename?: 'CompanyBalance';
  /** The company. */
  company: Company;
  /** The credit limit in this company (a company-dependent value), in its currency; 0 when none is set. */
  creditLimit?: Maybe<Money>;
  /** Still due on posted invoices minus posted credit notes of this company, in its currency. */
  openBalance?: Maybe<Money>;
};

/** What `createReplacementOrder` needs. */
export type CreateReplacementOrderInput = {
  /** A key the client chooses once per intended action (1 to 100 characters). */
  idempotencyKey: Scalars['String']['input'];
  /** What to send. */
  lines: Array<ReplacementLineInput>;
  /** The order whose goods are replaced. */
  orderId: Scalars['ID']['input'];
  /** Why (kept in the ERP's chatter). */
  reason?: InputMaybe<Scalars['String']['input']>;
  /** The support ticket this is for. */
  ticketId?: InputMaybe<Scalars['ID']['input']>;
};

/** A line of an invoice to credit in part. */
export type CreditNoteLineInput = {
  /** The product invoiced. */
  productId: Scalars['ID']['input'];
  /** How many units to credit (more than 0, at most the invoiced quantity). */
  quantity: Scalars['Float']['input'];
};

/**
 * A customer: an ERP contact (`res.partner`), either a company or a person. Other services refer to
 * a customer by its `id`, or by its `email` when that is all they know (a support ticket's requester).
 */
export type Customer = {
  __typename?: 'Customer';
  /**
   * Open balance and credit limit per company of the tenant's ERP (one entry per allowed company),
   * each in that company's currency: amounts of different companies are never summed. Visible to the
   * finance role.
   */
  balances?: Maybe<Array<CompanyBalance>>;
  /** The ISO 3166-1 alpha-2 code of the contact's country (e.g. `DE`), or `null`. */
  country?: Maybe<Scalars['String']['output']>;
  /**
   * The credit limit granted to the customer in the tenant's main company, in its currency (0: none
   * set). Visible to the finance role.
   */
  creditLimit?: Maybe<Money>;
  /** Deliveries and returns addressed to the customer or to its contact people, latest scheduled first. */
  deliveries?: Maybe<DeliveryConnection>;
  /**
   * The email address, or `null` when none is recorded. A reference by email (`@key(fields: "email")`)
   * resolves to the commercial entity of the contact holding the address (a contact person's email
   * finds their company); when several contacts share one address, the first of them by: a company
   * first, then a contact without a parent company, then the lowest id.
   */
  email?: Maybe<Scalars['String']['output']>;
  /** Support plans the customer (or one of its contact people) bought on confirmed orders, active or not, newest first. */
  entitlements?: Maybe<Array<Entitlement>>;
  /** The ERP id of the contact. */
  id: Scalars['ID']['output'];
  /** Customer invoices and credit notes of this customer (as its commercial entity), newest first. */
  invoices?: Maybe<InvoiceConnection>;
  /** Whether the contact is a company (`false`: a person). */
  isCompany: Scalars['Boolean']['output'];
  /** The email address other systems match this customer by (internal: not in the public API, not subject to field policies). */
  matchEmail?: Maybe<Scalars['String']['output']>;
  /** The name other systems match this customer by (internal: not in the public API, not subject to field policies). */
  matchName: Scalars['String']['output'];
  /** The contact's name (company name, or the person's full name; the display name for an address contact recorded without one). */
  name: Scalars['String']['output'];
  /**
   * What the customer still owes on posted invoices minus posted credit notes in the tenant's main
   * company (the first of its allowed companies), in that company's currency. See `balances` for
   * every company. Visible to the finance role.
   */
  openBalance?: Maybe<Money>;
  /** The sales orders and quotations of the customer and of its contact people, newest first. */
  orders?: Maybe<OrderConnection>;
  /** The phone number as recorded, or `null`. */
  phone?: Maybe<Scalars['String']['output']>;
  /** The internal reference the company gives this customer (e.g. an account number), or `null`. */
  ref?: Maybe<Scalars['String']['output']>;
  /**
   * One verdict for a support sidebar: whether a support plan covers today, at which tier and SLA, how
   * its invoices stand, and why (human-readable reasons, never amounts).
   */
  supportStatus?: Maybe<SupportStatus>;
};


/**
 * A customer: an ERP contact (`res.partner`), either a company or a person. Other services refer to
 * a customer by its `id`, or by its `email` when that is all they know (a support ticket's requester).
 */
export type CustomerDeliveriesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/**
 * A customer: an ERP contact (`res.partner`), either a company or a person. Other services refer to
 * a customer by its `id`, or by its `email` when that is all they know (a support ticket's requester).
 */
export type CustomerInvoicesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/**
 * A customer: an ERP contact (`res.partner`), either a company or a person. Other services refer to
 * a customer by its `id`, or by its `email` when that is all they know (a support ticket's requester).
 */
export type CustomerOrdersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  state?: InputMaybe<OrderState>;
};

/**
 * One change that concerns a customer. Exactly one of `order`, `invoice`, `delivery`, `ticket` and
 * `action` is set, the one `entity` names (none for a CRM account change: select it through
 * `customer`).
 */
export type CustomerActivity = {
  __typename?: 'CustomerActivity';
  /** The ERP action, when the change is one. */
  action?: Maybe<Action>;
  /** When the source system recorded the change. */
  at: Scalars['DateTime']['output'];
  /** The entity's fields that changed (public field names). */
  changedFields: Array<Scalars['String']['output']>;
  /** The customer, as it is now, read with the subscriber's identity. */
  customer?: Maybe<Customer>;
  /** The delivery, return or receipt, when the change is one. */
  delivery?: Maybe<Delivery>;
  /** What changed: an order, an invoice, a delivery, a ticket, an action or the CRM account. */
  entity: ActivityEntity;
  /** The changed entity's id in its system. */
  entityId: Scalars['ID']['output'];
  /** The invoice or credit note, when the change is one. */
  invoice?: Maybe<Invoice>;
  /** Whether the entity is new, changed or removed. */
  kind: ChangeKind;
  /** The order, when the change is one (read with the subscriber's identity). */
  order?: Maybe<Order>;
  /** The system the change was captured from. */
  source: ChangeSource;
  /** The support ticket, when the change is one. */
  ticket?: Maybe<Ticket>;
};

/** How a ticket's requester can be matched to a commercial customer, under the tenant's rules. */
export type CustomerMatch = {
  __typename?: 'CustomerMatch';
  /** The requester's email address, when the tenant matches customers by email. */
  email?: Maybe<Scalars['String']['output']>;
  /** ERP id held as external id by the requester's organization, else by the requester; null when neither has one. */
  externalId?: Maybe<Scalars['String']['output']>;
};

/** A delivery or return of goods (`stock.picking`). */
export type Delivery = {
  __typename?: 'Delivery';
  /** When the transfer was done, or `null` while it is not. */
  doneDate?: Maybe<Scalars['DateTime']['output']>;
  /** What is late or broken: late against the scheduled date, the rest on a backorder, shipped short, returned, cancelled. */
  exceptions: Array<DeliveryException>;
  /** The ERP id of the transfer. */
  id: Scalars['ID']['output'];
  /** Outgoing delivery, customer return, vendor receipt or internal move; `null` for another kind of operation (e.g. manufacturing). */
  kind?: Maybe<DeliveryKind>;
  /** Whether the transfer is neither done nor cancelled and its scheduled time has passed. */
  late: Scalars['Boolean']['output'];
  /** Created, ready (stock reserved), done: which were reached, and when where the ERP records it. The carrier's reference is `trackingRef`. */
  milestones: Array<DeliveryMilestone>;
  /** The products moved: what was asked for and what was moved. */
  moves: Array<DeliveryMove>;
  /** The transfer reference, e.g. `WH/OUT/00042`. */
  name: Scalars['String']['output'];
  /** The sales order the delivery belongs to, or `null`. */
  order?: Maybe<Order>;
  /** The source document, usually the order reference, or `null`. */
  origin?: Maybe<Scalars['String']['output']>;
  /** When the transfer is (or was) planned to happen. */
  scheduledDate?: Maybe<Scalars['DateTime']['output']>;
  /** The delivery's state. */
  state: DeliveryState;
  /**
   * The carrier's tracking reference, or `null` when there is none, which is always the case where the
   * tenant's Odoo has no delivery-carrier module (stock_delivery).
   */
  trackingRef?: Maybe<Scalars['String']['output']>;
};

/** A change to a delivery, return or receipt. */
export type DeliveryChange = {
  __typename?: 'DeliveryChange';
  /** When the source system recorded the change. */
  at: Scalars['DateTime']['output'];
  /** The transfer's fields that changed (public field names, e.g. `state`, `trackingRef`). */
  changedFields: Array<Scalars['String']['output']>;
  /** The transfer as it is now, read with the subscriber's identity; null when it is gone or hidden. */
  delivery?: Maybe<Delivery>;
  /** Whether the entity is new, changed or removed. */
  kind: ChangeKind;
  /** The system the change was captured from. */
  source: ChangeSource;
};

/** A page of a customer's deliveries. */
export type DeliveryConnection = {
  __typename?: 'DeliveryConnection';
  /** The deliveries of this page, each with its cursor. */
  edges: Array<DeliveryEdge>;
  /** Where this page sits in the whole list. */
  pageInfo: PageInfo;
  /** How many deliveries the whole list holds (every page). */
  totalCount: Scalars['Int']['output'];
};

/** A delivery in a page, with its cursor. */
export type DeliveryEdge = {
  __typename?: 'DeliveryEdge';
  /** Opaque position of this delivery in the list; pass it as `after` to continue after it. */
  cursor: Scalars['String']['output'];
  /** The delivery. */
  node: Delivery;
};

/** Something late or broken about a delivery, in words an agent can read out. */
export type DeliveryException = {
  __typename?: 'DeliveryException';
  /** What kind of exception. */
  kind: DeliveryExceptionKind;
  /** What happened, e.g. `the rest of WH/OUT/00042 is on backorder WH/OUT/00043 (still to ship)`. */
  message: Scalars['String']['output'];
  /** The backorder or return the exception is about, else `null`. */
  related?: Maybe<Delivery>;
};

/** What went wrong with a delivery. */
export type DeliveryExceptionKind =
  /** Part of it ships later, on a backorder (`related`). */
  | 'BACKORDER'
  /** It was cancelled. */
  | 'CANCELLED'
  /** Not done, and its scheduled date has passed. */
  | 'LATE'
  /** It shipped less than asked, and no backorder holds the rest. */
  | 'PARTIAL'
  /** Goods of it come back on a return (`related`). */
  | 'RETURNED';

/** The direction of a stock transfer. */
export type DeliveryKind =
  /** A move between the company's own locations. */
  | 'INTERNAL'
  /** Goods going to the customer. */
  | 'OUTGOING'
  /** Goods received from a vendor (a receipt that returns no delivery). */
  | 'RECEIPT'
  /** Goods coming back from the customer: a return of an earlier delivery. */
  | 'RETURN';

/** A step of a delivery and whether it was reached. */
export type DeliveryMilestone = {
  __typename?: 'DeliveryMilestone';
  /** When, where the ERP records it (it records none for READY); `null` otherwise. */
  at?: Maybe<Scalars['DateTime']['output']>;
  /** Which step. */
  kind: DeliveryMilestoneKind;
  /** Whether the delivery got there. */
  reached: Scalars['Boolean']['output'];
};

/** A step of a delivery. */
export type DeliveryMilestoneKind =
  /** The transfer was created. */
  | 'CREATED'
  /** It was shipped (received, for a return). */
  | 'DONE'
  /** Its stock is reserved: it can ship. */
  | 'READY';

/** A product moved by a delivery (`stock.move`). */
export type DeliveryMove = {
  __typename?: 'DeliveryMove';
  /** The quantity asked for. */
  demand: Scalars['Float']['output'];
  /** The move's description. */
  description: Scalars['String']['output'];
  /** The ERP id of the move. */
  id: Scalars['ID']['output'];
  /** The product moved. */
  product?: Maybe<Product>;
  /** The quantity moved (or reserved, while not done). */
  quantity: Scalars['Float']['output'];
  /** The move's state. */
  state: DeliveryState;
};

/** The state of a delivery. */
export type DeliveryState =
  /** Cancelled. */
  | 'CANCELLED'
  /** Confirmed, waiting for stock. */
  | 'CONFIRMED'
  /** Shipped (or received, for a return). */
  | 'DONE'
  /** Being prepared, not yet confirmed. */
  | 'DRAFT'
  /** Stock reserved: ready to ship. */
  | 'READY'
  /** Waiting for another operation to finish first. */
  | 'WAITING';

/**
 * A support plan a customer bought: a line of a confirmed sales order selling one of the tenant's
 * support-plan products (named in the tenant registry), or a line carrying the tenant's custom
 * entitlement period fields where it has them.
 */
export type Entitlement = {
  __typename?: 'Entitlement';
  /** Whether today (in the company's time zone) falls within the plan's period (never for a cancelled plan). */
  active: Scalars['Boolean']['output'];
  /** What is still to pay on the plan's invoices. Visible to the finance role. */
  amountDue?: Maybe<Money>;
  /** Days the oldest overdue plan invoice is past its due date, or `null` when none is overdue. */
  daysOverdue?: Maybe<Scalars['Int']['output']>;
  /** The last day the plan covers: the custom end field where set, else the start plus the plan's term; `null` when open-ended. */
  endsOn?: Maybe<Scalars['Date']['output']>;
  /** The ERP id of the order line that sold the plan. */
  id: Scalars['ID']['output'];
  /** The order the plan was sold on. */
  order?: Maybe<Order>;
  /** How the plan's invoices stand: paid, open, partly paid, overdue, or not invoiced yet. */
  paymentStanding: PaymentStanding;
  /** The support plan product. */
  product?: Maybe<Product>;
  /** Where the plan stands: active, ending soon (within the tenant's window), expired, renewed by a later plan, or cancelled. */
  renewalStatus: RenewalStatus;
  /** The service-level targets of the plan's tier (the tenant's), or `null` when it sets none. */
  sla?: Maybe<SlaTargets>;
  /** The first day the plan covers: the custom start field where set, else the day the order was confirmed; `null` when open-ended. */
  startsOn?: Maybe<Scalars['Date']['output']>;
  /** The plan's level (from the tenant's plan list, else the product's custom tier field), or `null` when neither names one. */
  tier?: Maybe<SupportTier>;
};

/** The next thing an order waits for. */
export type FulfilmentStep =
  /** Nothing: confirmed, delivered, invoiced and paid. */
  | 'COMPLETE'
  /** Confirmation of the quotation. */
  | 'CONFIRM'
  /** Shipping of goods still to deliver. */
  | 'DELIVER'
  /** Invoicing of what is due. */
  | 'INVOICE'
  /** Nothing: the order was cancelled. */
  | 'NONE'
  /** Payment of a posted invoice. */
  | 'PAY';

/** A customer invoice or credit note (`account.move`). */
export type Invoice = {
  __typename?: 'Invoice';
  /**
   * What remains to be paid (negative on a credit note: still owed to the customer). Visible to the
   * finance role: the customer's open balance is the sum of these.
   */
  amountResidual?: Maybe<Money>;
  /**
   * Total including taxes, in the invoice's currency; negative on a credit note. Visible to the finance
   * role: with `paymentState` (unpaid invoices owe their total) it would add up to the customer's open balance.
   */
  amountTotal?: Maybe<Money>;
  /** The company that issued the invoice (several companies' invoices may share a number). */
  company?: Maybe<Company>;
  /** The customer invoiced (the invoice address contact). */
  customer?: Maybe<Customer>;
  /** The date payment is due, or `null`. */
  dueDate?: Maybe<Scalars['Date']['output']>;
  /** The ERP id of the invoice. */
  id: Scalars['ID']['output'];
  /** The invoice date, or `null` for a draft without one. */
  invoiceDate?: Maybe<Scalars['Date']['output']>;
  /** Invoice or credit note. */
  kind: InvoiceKind;
  /** The invoice number, e.g. `INV/2026/00012`; `null` for a draft, which has none yet. */
  number?: Maybe<Scalars['String']['output']>;
  /** The source document, usually the order reference (e.g. `S00042`), or `null`. */
  origin?: Maybe<Scalars['String']['output']>;
  /** Whether a posted invoice is past its due date (in the company's time zone) and not fully paid. */
  overdue: Scalars['Boolean']['output'];
  /** How far the invoice has been paid. */
  paymentState: PaymentState;
  /** The accounting state. */
  state: InvoiceState;
};

/** A change to a customer invoice or credit note. */
export type InvoiceChange = {
  __typename?: 'InvoiceChange';
  /** When the source system recorded the change. */
  at: Scalars['DateTime']['output'];
  /** The invoice's fields that changed (public field names, e.g. `paymentState`). */
  changedFields: Array<Scalars['String']['output']>;
  /** The invoice as it is now, read with the subscriber's identity; null when it is gone or hidden. */
  invoice?: Maybe<Invoice>;
  /** Whether the entity is new, changed or removed. */
  kind: ChangeKind;
  /** The system the change was captured from. */
  source: ChangeSource;
};

/** A page of a customer's invoices. */
export type InvoiceConnection = {
  __typename?: 'InvoiceConnection';
  /** The invoices of this page, each with its cursor. */
  edges: Array<InvoiceEdge>;
  /** Where this page sits in the whole list. */
  pageInfo: PageInfo;
  /** How many invoices the whole list holds (every page). */
  totalCount: Scalars['Int']['output'];
};

/** An invoice in a page, with its cursor. */
export type InvoiceEdge = {
  __typename?: 'InvoiceEdge';
  /** Opaque position of this invoice in the list; pass it as `after` to continue after it. */
  cursor: Scalars['String']['output'];
  /** The invoice. */
  node: Invoice;
};

/** Whether a document bills the customer or refunds them. */
export type InvoiceKind =
  /** A credit note (a refund to the customer). */
  | 'CREDIT_NOTE'
  /** A customer invoice. */
  | 'INVOICE';

/** The accounting state of an invoice. */
export type InvoiceState =
  /** Cancelled. */
  | 'CANCELLED'
  /** Not yet posted: can still change, has no number. */
  | 'DRAFT'
  /** Posted to the books. */
  | 'POSTED';

/** What `issueCreditNote` needs. */
export type IssueCreditNoteInput = {
  /** A key the client chooses once per intended action (1 to 100 characters). */
  idempotencyKey: Scalars['String']['input'];
  /** The posted customer invoice to credit. */
  invoiceId: Scalars['ID']['input'];
  /** Only these quantities; omitted: the whole invoice. */
  lines?: InputMaybe<Array<CreditNoteLineInput>>;
  /** Why (it becomes the credit note's reference). */
  reason: Scalars['String']['input'];
  /** The support ticket this is for. */
  ticketId?: InputMaybe<Scalars['ID']['input']>;
};

/** An amount of money in one currency. */
export type Money = {
  __typename?: 'Money';
  /** The amount, in the currency's main unit (e.g. euros, not cents). Negative for money owed to the customer. */
  amount: Scalars['Float']['output'];
  /** The ISO 4217 currency code, e.g. `EUR`. `XXX` when the ERP gave the amount without a currency. */
  currencyCode: Scalars['String']['output'];
};

/**
 * Actions: every one goes through one pipeline, whichever system it writes to: authorization (per
 * action and role, with the tenant's overlay), validation, idempotency (`idempotencyKey`: the same key
 * and input give the same result without a second write, the same key with other input is refused),
 * the tenant's approval policy (above a threshold an action waits for an approver and nothing is
 * written), the gateway's own business guards, then the upstream's own business methods, carrying the
 * action's id as a marker so a retry finds what an earlier attempt wrote. Business failures come back
 * in `userErrors`.
 */
export type Mutation = {
  __typename?: 'Mutation';
  /** Adds an internal note to a sales order's chatter (plain text, escaped). */
  addOrderNote: ActionPayload;
  /** Approves an action waiting for approval (an approver of the tenant's rule; never its requester); it then executes. */
  approveAction: ActionPayload;
  /** Cancels a sales order whose goods have not shipped (a shipped order needs a return instead). */
  cancelOrder: ActionPayload;
  /** Creates and confirms a sales order for replacement goods at zero price, linked to the original order and the ticket. */
  createReplacementOrder: ActionPayload;
  /** Issues a credit note for a posted customer invoice (Odoo's reversal wizard), in full or for some line quantities, and posts it. */
  issueCreditNote: ActionPayload;
  /** Rejects an action waiting for approval, with the reason; nothing is written. */
  rejectAction: ActionPayload;
  /** Returns delivered goods: Odoo's return wizard on a done outgoing delivery; never more than delivered minus already returned. */
  requestReturn: ActionPayload;
  /** Executes again an action that exhausted its retries (DEAD). Admin only. */
  retryAction: ActionPayload;
};


/**
 * Actions: every one goes through one pipeline, whichever system it writes to: authorization (per
 * action and role, with the tenant's overlay), validation, idempotency (`idempotencyKey`: the same key
 * and input give the same result without a second write, the same key with other input is refused),
 * the tenant's approval policy (above a threshold an action waits for an approver and nothing is
 * written), the gateway's own business guards, then the upstream's own business methods, carrying the
 * action's id as a marker so a retry finds what an earlier attempt wrote. Business failures come back
 * in `userErrors`.
 */
export type MutationAddOrderNoteArgs = {
  input: AddOrderNoteInput;
};


/**
 * Actions: every one goes through one pipeline, whichever system it writes to: authorization (per
 * action and role, with the tenant's overlay), validation, idempotency (`idempotencyKey`: the same key
 * and input give the same result without a second write, the same key with other input is refused),
 * the tenant's approval policy (above a threshold an action waits for an approver and nothing is
 * written), the gateway's own business guards, then the upstream's own business methods, carrying the
 * action's id as a marker so a retry finds what an earlier attempt wrote. Business failures come back
 * in `userErrors`.
 */
export type MutationApproveActionArgs = {
  id: Scalars['ID']['input'];
};


/**
 * Actions: every one goes through one pipeline, whichever system it writes to: authorization (per
 * action and role, with the tenant's overlay), validation, idempotency (`idempotencyKey`: the same key
 * and input give the same result without a second write, the same key with other input is refused),
 * the tenant's approval policy (above a threshold an action waits for an approver and nothing is
 * written), the gateway's own business guards, then the upstream's own business methods, carrying the
 * action's id as a marker so a retry finds what an earlier attempt wrote. Business failures come back
 * in `userErrors`.
 */
export type MutationCancelOrderArgs = {
  input: CancelOrderInput;
};


/**
 * Actions: every one goes through one pipeline, whichever system it writes to: authorization (per
 * action and role, with the tenant's overlay), validation, idempotency (`idempotencyKey`: the same key
 * and input give the same result without a second write, the same key with other input is refused),
 * the tenant's approval policy (above a threshold an action waits for an approver and nothing is
 * written), the gateway's own business guards, then the upstream's own business methods, carrying the
 * action's id as a marker so a retry finds what an earlier attempt wrote. Business failures come back
 * in `userErrors`.
 */
export type MutationCreateReplacementOrderArgs = {
  input: CreateReplacementOrderInput;
};


/**
 * Actions: every one goes through one pipeline, whichever system it writes to: authorization (per
 * action and role, with the tenant's overlay), validation, idempotency (`idempotencyKey`: the same key
 * and input give the same result without a second write, the same key with other input is refused),
 * the tenant's approval policy (above a threshold an action waits for an approver and nothing is
 * written), the gateway's own business guards, then the upstream's own business methods, carrying the
 * action's id as a marker so a retry finds what an earlier attempt wrote. Business failures come back
 * in `userErrors`.
 */
export type MutationIssueCreditNoteArgs = {
  input: IssueCreditNoteInput;
};


/**
 * Actions: every one goes through one pipeline, whichever system it writes to: authorization (per
 * action and role, with the tenant's overlay), validation, idempotency (`idempotencyKey`: the same key
 * and input give the same result without a second write, the same key with other input is refused),
 * the tenant's approval policy (above a threshold an action waits for an approver and nothing is
 * written), the gateway's own business guards, then the upstream's own business methods, carrying the
 * action's id as a marker so a retry finds what an earlier attempt wrote. Business failures come back
 * in `userErrors`.
 */
export type MutationRejectActionArgs = {
  id: Scalars['ID']['input'];
  reason: Scalars['String']['input'];
};


/**
 * Actions: every one goes through one pipeline, whichever system it writes to: authorization (per
 * action and role, with the tenant's overlay), validation, idempotency (`idempotencyKey`: the same key
 * and input give the same result without a second write, the same key with other input is refused),
 * the tenant's approval policy (above a threshold an action waits for an approver and nothing is
 * written), the gateway's own business guards, then the upstream's own business methods, carrying the
 * action's id as a marker so a retry finds what an earlier attempt wrote. Business failures come back
 * in `userErrors`.
 */
export type MutationRequestReturnArgs = {
  input: RequestReturnInput;
};


/**
 * Actions: every one goes through one pipeline, whichever system it writes to: authorization (per
 * action and role, with the tenant's overlay), validation, idempotency (`idempotencyKey`: the same key
 * and input give the same result without a second write, the same key with other input is refused),
 * the tenant's approval policy (above a threshold an action waits for an approver and nothing is
 * written), the gateway's own business guards, then the upstream's own business methods, carrying the
 * action's id as a marker so a retry finds what an earlier attempt wrote. Business failures come back
 * in `userErrors`.
 */
export type MutationRetryActionArgs = {
  id: Scalars['ID']['input'];
};

/** A sales order or quotation (`sale.order`). */
export type Order = {
  __typename?: 'Order';
  /** Total including taxes. Visible to the finance role (see `amountUntaxed`). */
  amountTotal?: Maybe<Money>;
  /** Total before taxes. Visible to the finance role (an order's amounts with its invoices' payment states would add up to the customer's open balance). */
  amountUntaxed?: Maybe<Money>;
  /** The customer's own reference for the order (their purchase order number), or `null`. */
  clientOrderRef?: Maybe<Scalars['String']['output']>;
  /** The company that sold the order (its currency is the order's unless priced otherwise). */
  company?: Maybe<Company>;
  /** The customer the order is for. */
  customer?: Maybe<Customer>;
  /** Deliveries and returns of this order. */
  deliveries?: Maybe<Array<Delivery>>;
  /** Where the order stands: quantities and amounts ordered, delivered, invoiced and paid, and what it waits for next. */
  fulfilment: OrderFulfilment;
  /** The ERP id of the order. */
  id: Scalars['ID']['output'];
  /** How far the order has been invoiced. */
  invoiceStatus: OrderInvoiceStatus;
  /** Invoices and credit notes raised for this order. */
  invoices?: Maybe<Array<Invoice>>;
  /** The order lines, in the order's own sequence (section and note lines left out). */
  lines?: Maybe<Array<OrderLine>>;
  /** Whether the order is locked against changes. */
  locked: Scalars['Boolean']['output'];
  /** The margin (untaxed total minus cost). Visible to the finance role. */
  margin?: Maybe<Money>;
  /** The margin as a ratio of the untaxed total (0.25 means 25 %). Visible to the finance role. */
  marginPercent?: Maybe<Scalars['Float']['output']>;
  /** The order reference shown to the customer, e.g. `S00042`. */
  name: Scalars['String']['output'];
  /** When the order was placed (or the quotation created). */
  orderedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The order's state. */
  state: OrderState;
};

/** A change to a sales order. */
export type OrderChange = {
  __typename?: 'OrderChange';
  /** When the source system recorded the change. */
  at: Scalars['DateTime']['output'];
  /** The order's fields that changed (public field names, e.g. `state`, `invoiceStatus`). */
  changedFields: Array<Scalars['String']['output']>;
  /** Whether the entity is new, changed or removed. */
  kind: ChangeKind;
  /** The order as it is now, read with the subscriber's identity; null when it is gone or hidden. */
  order?: Maybe<Order>;
  /** The system the change was captured from. */
  source: ChangeSource;
};

/** A page of a customer's orders. */
export type OrderConnection = {
  __typename?: 'OrderConnection';
  /** The orders of this page, each with its cursor. */
  edges: Array<OrderEdge>;
  /** Where this page sits in the whole list. */
  pageInfo: PageInfo;
  /** How many orders the whole list holds (every page). */
  totalCount: Scalars['Int']['output'];
};

/** An order in a page, with its cursor. */
export type OrderEdge = {
  __typename?: 'OrderEdge';
  /** Opaque position of this order in the list; pass it as `after` to continue after it. */
  cursor: Scalars['String']['output'];
  /** The order. */
  node: Order;
};

/** Where an order stands: quantities over its product lines (in their units) and amounts in its currency. */
export type OrderFulfilment = {
  __typename?: 'OrderFulfilment';
  /** What of the invoiced amount is still due. Visible to the finance role. */
  amountDue?: Maybe<Money>;
  /** Posted invoices minus posted credit notes. Visible to the finance role (with the invoices' payment states it gives what is due). */
  amountInvoiced?: Maybe<Money>;
  /** The order's total. Visible to the finance role (as `Order.amountTotal`). */
  amountOrdered?: Maybe<Money>;
  /** What of the invoiced amount was paid. Visible to the finance role. */
  amountPaid?: Maybe<Money>;
  /** The next milestone the order waits for. */
  nextMilestone: FulfilmentStep;
  /** Delivered quantity. */
  quantityDelivered: Scalars['Float']['output'];
  /** Invoiced quantity. */
  quantityInvoiced: Scalars['Float']['output'];
  /** Ordered quantity. */
  quantityOrdered: Scalars['Float']['output'];
};

/** How far an order has been invoiced. */
export type OrderInvoiceStatus =
  /** Everything to invoice has been invoiced. */
  | 'INVOICED'
  /** Nothing to invoice (yet). */
  | 'NOTHING_TO_INVOICE'
  /** Some quantities are waiting to be invoiced. */
  | 'TO_INVOICE'
  /** Delivered or ordered more than invoiced on purpose: an upsell opportunity. */
  | 'UPSELLING';

/** One line of a sales order (`sale.order.line`). */
export type OrderLine = {
  __typename?: 'OrderLine';
  /** The line's description as printed on the order. */
  description: Scalars['String']['output'];
  /** The discount on the unit price, in percent (10 means 10 %). */
  discountPercent: Scalars['Float']['output'];
  /** The ERP id of the line. */
  id: Scalars['ID']['output'];
  /** The line's margin (subtotal minus cost). Visible to the finance role. */
  margin?: Maybe<Money>;
  /** The product sold, or `null` for a line without one. */
  product?: Maybe<Product>;
  /** The quantity ordered, in the line's unit. */
  quantity: Scalars['Float']['output'];
  /** The quantity delivered so far. */
  quantityDelivered: Scalars['Float']['output'];
  /** The quantity invoiced so far. */
  quantityInvoiced: Scalars['Float']['output'];
  /** The line total before taxes, after discount. Visible to the finance role (see `unitPrice`). */
  subtotal?: Maybe<Money>;
  /** Whether today (in the company's time zone) is within the warranty; `null` while nothing of it is delivered. */
  underWarranty?: Maybe<Scalars['Boolean']['output']>;
  /** The price per unit before discount. Visible to the finance role (with the invoiced quantity it prices what was invoiced). */
  unitPrice?: Maybe<Money>;
  /**
   * The last day of the item's warranty: its delivery date (the last done delivery that moved it) plus
   * the warranty term (the product's own field where the tenant names one, else its category's term in
   * the tenant registry, else the tenant's default). `null` while nothing of it is delivered.
   */
  warrantyEndsOn?: Maybe<Scalars['Date']['output']>;
};

/** The state of a sales order. */
export type OrderState =
  /** A cancelled quotation or order. */
  | 'CANCELLED'
  /** A quotation not yet sent to the customer. */
  | 'QUOTATION'
  /** A quotation sent to the customer, awaiting confirmation. */
  | 'QUOTATION_SENT'
  /** A confirmed sales order. */
  | 'SALES_ORDER';

/** Where a page of a connection sits in the whole list. */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** The cursor of the last item of this page, `null` for an empty page; pass it as `after` for the next page. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** Whether more items follow the last one of this page. */
  hasNextPage: Scalars['Boolean']['output'];
  /** Whether items precede the first one of this page. */
  hasPreviousPage: Scalars['Boolean']['output'];
  /** The cursor of the first item of this page, `null` for an empty page. */
  startCursor?: Maybe<Scalars['String']['output']>;
};

/** How a support plan's invoices stand. */
export type PaymentStanding =
  /** Not invoiced yet. */
  | 'NOT_INVOICED'
  /** Invoiced, not yet due. */
  | 'OPEN'
  /** An invoice is past its due date and not fully paid. */
  | 'OVERDUE'
  /** Every invoice is paid. */
  | 'PAID'
  /** Partly paid, not yet due. */
  | 'PARTIAL';

/** How far an invoice has been paid. */
export type PaymentState =
  /** Payment blocked (e.g. disputed). */
  | 'BLOCKED'
  /** Paid in an earlier invoicing application (migrated data). */
  | 'INVOICING_LEGACY'
  /** Paid, the payment not yet reconciled with the bank. */
  | 'IN_PAYMENT'
  /** Nothing paid. */
  | 'NOT_PAID'
  /** Fully paid. */
  | 'PAID'
  /** Partly paid. */
  | 'PARTIAL'
  /** Reversed by a credit note. */
  | 'REVERSED';

/** A product (`product.product`). */
export type Product = {
  __typename?: 'Product';
  /** The cost price. Visible to the finance role. */
  cost?: Maybe<Money>;
  /** The ERP id of the product variant. */
  id: Scalars['ID']['output'];
  /** Whether the product can ship from stock now: `true` when some is on hand, and always for products whose stock is not tracked; `null` where the ERP has no inventory module. */
  inStock?: Maybe<Scalars['Boolean']['output']>;
  /** What kind of product this is. */
  kind: ProductKind;
  /** The public sales price. */
  listPrice?: Maybe<Money>;
  /** The product name. */
  name: Scalars['String']['output'];
  /** Quantity on hand across the company's warehouses (0 for services); `null` where the ERP has no inventory module. */
  qtyAvailable?: Maybe<Scalars['Float']['output']>;
  /** Quantity forecast: on hand plus incoming minus outgoing (0 for services); `null` where the ERP has no inventory module. */
  qtyForecast?: Maybe<Scalars['Float']['output']>;
  /** The SKU (the ERP's internal reference), or `null` when none is set. */
  sku?: Maybe<Scalars['String']['output']>;
};

/** What kind of thing a product is. */
export type ProductKind =
  /** A bundle of other products. */
  | 'COMBO'
  /** Goods whose stock is not tracked. */
  | 'CONSUMABLE'
  /** A service (no stock), e.g. a support plan. */
  | 'SERVICE'
  /** Goods whose stock is tracked. */
  | 'STORABLE';

/**
 * Customer records, sales orders, invoices, deliveries, stock and support entitlements from the ERP
 * (Odoo). Every identifier is the ERP's own record id as a string. Lookups answer `null` when the
 * record does not exist (or the tenant's integration user may not see it), and a `BAD_USER_INPUT`
 * error when the argument cannot be an identifier at all. Archived records are found by every lookup.
 *
 * A field whose source the tenant's Odoo lacks (a module not installed, a custom field absent, a
 * field the integration user may not read) is `null` with an `UPSTREAM_CAPABILITY_MISSING` error on
 * its path whose `extensions.reason` says which; `npm run doctor` lists them per tenant.
 */
export type Query = {
  __typename?: 'Query';
  /** One action of the tenant: its requester sees their own, supervisors, finance and admins every one. */
  action?: Maybe<Action>;
  /** The tenant's action log and audit, newest first. Supervisors and admins. */
  actions?: Maybe<ActionConnection>;
  /** The customer (an ERP contact: a company or a person) with this id, or `null` when there is none. */
  customer?: Maybe<Customer>;
  /**
   * The customer with this email address (compared case-insensitively), or `null`. The address may
   * be a contact person's: the answer is then the person's company (the commercial entity). When
   * several contacts share the address, the same one as for `Customer @key(fields: "email")` is
   * chosen: a company first, then a contact without a parent company, then the lowest id.
   */
  customerByEmail?: Maybe<Customer>;
  /** The delivery, return or receipt of goods with this id, or `null`. */
  delivery?: Maybe<Delivery>;
  /** The customer invoice or credit note with this id, or `null`. */
  invoice?: Maybe<Invoice>;
  /** The sales order or quotation with this id, or `null`. */
  order?: Maybe<Order>;
  /** The sales order or quotation with this reference, or `null`. */
  orderByName?: Maybe<Order>;
  /** Actions waiting for approval, newest first. Supervisors, finance and admins. */
  pendingApprovals?: Maybe<ActionConnection>;
  /** The product with this SKU (the ERP's internal reference), or `null`. */
  product?: Maybe<Product>;
};


/**
 * Customer records, sales orders, invoices, deliveries, stock and support entitlements from the ERP
 * (Odoo). Every identifier is the ERP's own record id as a string. Lookups answer `null` when the
 * record does not exist (or the tenant's integration user may not see it), and a `BAD_USER_INPUT`
 * error when the argument cannot be an identifier at all. Archived records are found by every lookup.
 *
 * A field whose source the tenant's Odoo lacks (a module not installed, a custom field absent, a
 * field the integration user may not read) is `null` with an `UPSTREAM_CAPABILITY_MISSING` error on
 * its path whose `extensions.reason` says which; `npm run doctor` lists them per tenant.
 */
export type QueryActionArgs = {
  id: Scalars['ID']['input'];
};


/**
 * Customer records, sales orders, invoices, deliveries, stock and support entitlements from the ERP
 * (Odoo). Every identifier is the ERP's own record id as a string. Lookups answer `null` when the
 * record does not exist (or the tenant's integration user may not see it), and a `BAD_USER_INPUT`
 * error when the argument cannot be an identifier at all. Archived records are found by every lookup.
 *
 * A field whose source the tenant's Odoo lacks (a module not installed, a custom field absent, a
 * field the integration user may not read) is `null` with an `UPSTREAM_CAPABILITY_MISSING` error on
 * its path whose `extensions.reason` says which; `npm run doctor` lists them per tenant.
 */
export type QueryActionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ActionFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/**
 * Customer records, sales orders, invoices, deliveries, stock and support entitlements from the ERP
 * (Odoo). Every identifier is the ERP's own record id as a string. Lookups answer `null` when the
 * record does not exist (or the tenant's integration user may not see it), and a `BAD_USER_INPUT`
 * error when the argument cannot be an identifier at all. Archived records are found by every lookup.
 *
 * A field whose source the tenant's Odoo lacks (a module not installed, a custom field absent, a
 * field the integration user may not read) is `null` with an `UPSTREAM_CAPABILITY_MISSING` error on
 * its path whose `extensions.reason` says which; `npm run doctor` lists them per tenant.
 */
export type QueryCustomerArgs = {
  id: Scalars['ID']['input'];
};


/**
 * Customer records, sales orders, invoices, deliveries, stock and support entitlements from the ERP
 * (Odoo). Every identifier is the ERP's own record id as a string. Lookups answer `null` when the
 * record does not exist (or the tenant's integration user may not see it), and a `BAD_USER_INPUT`
 * error when the argument cannot be an identifier at all. Archived records are found by every lookup.
 *
 * A field whose source the tenant's Odoo lacks (a module not installed, a custom field absent, a
 * field the integration user may not read) is `null` with an `UPSTREAM_CAPABILITY_MISSING` error on
 * its path whose `extensions.reason` says which; `npm run doctor` lists them per tenant.
 */
export type QueryCustomerByEmailArgs = {
  email: Scalars['String']['input'];
};


/**
 * Customer records, sales orders, invoices, deliveries, stock and support entitlements from the ERP
 * (Odoo). Every identifier is the ERP's own record id as a string. Lookups answer `null` when the
 * record does not exist (or the tenant's integration user may not see it), and a `BAD_USER_INPUT`
 * error when the argument cannot be an identifier at all. Archived records are found by every lookup.
 *
 * A field whose source the tenant's Odoo lacks (a module not installed, a custom field absent, a
 * field the integration user may not read) is `null` with an `UPSTREAM_CAPABILITY_MISSING` error on
 * its path whose `extensions.reason` says which; `npm run doctor` lists them per tenant.
 */
export type QueryDeliveryArgs = {
  id: Scalars['ID']['input'];
};


/**
 * Customer records, sales orders, invoices, deliveries, stock and support entitlements from the ERP
 * (Odoo). Every identifier is the ERP's own record id as a string. Lookups answer `null` when the
 * record does not exist (or the tenant's integration user may not see it), and a `BAD_USER_INPUT`
 * error when the argument cannot be an identifier at all. Archived records are found by every lookup.
 *
 * A field whose source the tenant's Odoo lacks (a module not installed, a custom field absent, a
 * field the integration user may not read) is `null` with an `UPSTREAM_CAPABILITY_MISSING` error on
 * its path whose `extensions.reason` says which; `npm run doctor` lists them per tenant.
 */
export type QueryInvoiceArgs = {
  id: Scalars['ID']['input'];
};


/**
 * Customer records, sales orders, invoices, deliveries, stock and support entitlements from the ERP
 * (Odoo). Every identifier is the ERP's own record id as a string. Lookups answer `null` when the
 * record does not exist (or the tenant's integration user may not see it), and a `BAD_USER_INPUT`
 * error when the argument cannot be an identifier at all. Archived records are found by every lookup.
 *
 * A field whose source the tenant's Odoo lacks (a module not installed, a custom field absent, a
 * field the integration user may not read) is `null` with an `UPSTREAM_CAPABILITY_MISSING` error on
 * its path whose `extensions.reason` says which; `npm run doctor` lists them per tenant.
 */
export type QueryOrderArgs = {
  id: Scalars['ID']['input'];
};


/**
 * Customer records, sales orders, invoices, deliveries, stock and support entitlements from the ERP
 * (Odoo). Every identifier is the ERP's own record id as a string. Lookups answer `null` when the
 * record does not exist (or the tenant's integration user may not see it), and a `BAD_USER_INPUT`
 * error when the argument cannot be an identifier at all. Archived records are found by every lookup.
 *
 * A field whose source the tenant's Odoo lacks (a module not installed, a custom field absent, a
 * field the integration user may not read) is `null` with an `UPSTREAM_CAPABILITY_MISSING` error on
 * its path whose `extensions.reason` says which; `npm run doctor` lists them per tenant.
 */
export type QueryOrderByNameArgs = {
  name: Scalars['String']['input'];
};


/**
 * Customer records, sales orders, invoices, deliveries, stock and support entitlements from the ERP
 * (Odoo). Every identifier is the ERP's own record id as a string. Lookups answer `null` when the
 * record does not exist (or the tenant's integration user may not see it), and a `BAD_USER_INPUT`
 * error when the argument cannot be an identifier at all. Archived records are found by every lookup.
 *
 * A field whose source the tenant's Odoo lacks (a module not installed, a custom field absent, a
 * field the integration user may not read) is `null` with an `UPSTREAM_CAPABILITY_MISSING` error on
 * its path whose `extensions.reason` says which; `npm run doctor` lists them per tenant.
 */
export type QueryPendingApprovalsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/**
 * Customer records, sales orders, invoices, deliveries, stock and support entitlements from the ERP
 * (Odoo). Every identifier is the ERP's own record id as a string. Lookups answer `null` when the
 * record does not exist (or the tenant's integration user may not see it), and a `BAD_USER_INPUT`
 * error when the argument cannot be an identifier at all. Archived records are found by every lookup.
 *
 * A field whose source the tenant's Odoo lacks (a module not installed, a custom field absent, a
 * field the integration user may not read) is `null` with an `UPSTREAM_CAPABILITY_MISSING` error on
 * its path whose `extensions.reason` says which; `npm run doctor` lists them per tenant.
 */
export type QueryProductArgs = {
  sku: Scalars['String']['input'];
};

/** Where a support plan stands. */
export type RenewalStatus =
  /** Covers today, ending later than the tenant's warning window. */
  | 'ACTIVE'
  /** Its order was cancelled. */
  | 'CANCELLED'
  /** Ended, and no later plan was sold. */
  | 'EXPIRED'
  /** Covers today and ends within the tenant's warning window. */
  | 'EXPIRING_SOON'
  /** Ended or about to, and a later plan starts within the warning window before its last day or after it. */
  | 'RENEWED';

/** A product to send as a replacement. */
export type ReplacementLineInput = {
  /** The product. */
  productId: Scalars['ID']['input'];
  /** How many units (more than 0). */
  quantity: Scalars['Float']['input'];
};

/** What `requestReturn` needs. */
export type RequestReturnInput = {
  /** The done outgoing delivery the goods came with. */
  deliveryId: Scalars['ID']['input'];
  /** A key the client chooses once per intended action (1 to 100 characters); retrying with it never acts twice. */
  idempotencyKey: Scalars['String']['input'];
  /** The goods to take back. */
  lines: Array<ReturnLineInput>;
  /** Why (kept in the ERP's chatter). */
  reason?: InputMaybe<Scalars['String']['input']>;
  /** The support ticket this is for. */
  ticketId?: InputMaybe<Scalars['ID']['input']>;
};

/** A line of goods to return. */
export type ReturnLineInput = {
  /** The product delivered. */
  productId: Scalars['ID']['input'];
  /** How many units to take back (more than 0). */
  quantity: Scalars['Float']['input'];
};

/** Where a ticket's SLA comes from. */
export type SlaSource =
  /** The customer's support plan: the tenant's targets for its tier, from the ticket's creation. */
  | 'ENTITLEMENT'
  /** The support desk's own SLA policy on the ticket. */
  | 'ZENDESK';

/** Service-level targets, in hours. */
export type SlaTargets = {
  __typename?: 'SlaTargets';
  /** Time to the first response. */
  firstResponseHours: Scalars['Float']['output'];
  /** Time to the resolution. */
  resolutionHours: Scalars['Float']['output'];
};

/**
 * Live changes, pushed over graphql-ws on the gateway's `/graphql` path (WebSocket). Each field names
 * one entity (or one customer); whenever a change to it is captured — polled from the ERP, signed
 * webhooks from the support desk, the gateway's own actions — the subscriber's own selection is
 * resolved again, with the subscriber's own identity, and pushed: a payload may select across every
 * system, and fields the subscriber may not read are `null` with `FORBIDDEN` as in a query. Several
 * changes to one entity within a short window arrive as one push, listing every changed field.
 */
export type Subscription = {
  __typename?: 'Subscription';
  /** Status changes of one ERP action (pending approval, approved, executing, succeeded, failed...). */
  actionChanged: ActionChange;
  /**
   * Every change that concerns one customer: its orders, invoices, deliveries, support tickets and
   * ERP actions. The one subscription an agent sidebar needs.
   */
  customerActivity: CustomerActivity;
  /** Changes to one delivery, return or receipt (state, dates, tracking...). */
  deliveryChanged: DeliveryChange;
  /** Changes to one customer invoice or credit note (state, payment state, amounts...). */
  invoiceChanged: InvoiceChange;
  /** Changes to one sales order (state, invoicing status, amounts, dates...). */
  orderChanged: OrderChange;
};


/**
 * Live changes, pushed over graphql-ws on the gateway's `/graphql` path (WebSocket). Each field names
 * one entity (or one customer); whenever a change to it is captured — polled from the ERP, signed
 * webhooks from the support desk, the gateway's own actions — the subscriber's own selection is
 * resolved again, with the subscriber's own identity, and pushed: a payload may select across every
 * system, and fields the subscriber may not read are `null` with `FORBIDDEN` as in a query. Several
 * changes to one entity within a short window arrive as one push, listing every changed field.
 */
export type SubscriptionActionChangedArgs = {
  id: Scalars['ID']['input'];
};


/**
 * Live changes, pushed over graphql-ws on the gateway's `/graphql` path (WebSocket). Each field names
 * one entity (or one customer); whenever a change to it is captured — polled from the ERP, signed
 * webhooks from the support desk, the gateway's own actions — the subscriber's own selection is
 * resolved again, with the subscriber's own identity, and pushed: a payload may select across every
 * system, and fields the subscriber may not read are `null` with `FORBIDDEN` as in a query. Several
 * changes to one entity within a short window arrive as one push, listing every changed field.
 */
export type SubscriptionCustomerActivityArgs = {
  customerId: Scalars['ID']['input'];
};


/**
 * Live changes, pushed over graphql-ws on the gateway's `/graphql` path (WebSocket). Each field names
 * one entity (or one customer); whenever a change to it is captured — polled from the ERP, signed
 * webhooks from the support desk, the gateway's own actions — the subscriber's own selection is
 * resolved again, with the subscriber's own identity, and pushed: a payload may select across every
 * system, and fields the subscriber may not read are `null` with `FORBIDDEN` as in a query. Several
 * changes to one entity within a short window arrive as one push, listing every changed field.
 */
export type SubscriptionDeliveryChangedArgs = {
  id: Scalars['ID']['input'];
};


/**
 * Live changes, pushed over graphql-ws on the gateway's `/graphql` path (WebSocket). Each field names
 * one entity (or one customer); whenever a change to it is captured — polled from the ERP, signed
 * webhooks from the support desk, the gateway's own actions — the subscriber's own selection is
 * resolved again, with the subscriber's own identity, and pushed: a payload may select across every
 * system, and fields the subscriber may not read are `null` with `FORBIDDEN` as in a query. Several
 * changes to one entity within a short window arrive as one push, listing every changed field.
 */
export type SubscriptionInvoiceChangedArgs = {
  id: Scalars['ID']['input'];
};


/**
 * Live changes, pushed over graphql-ws on the gateway's `/graphql` path (WebSocket). Each field names
 * one entity (or one customer); whenever a change to it is captured — polled from the ERP, signed
 * webhooks from the support desk, the gateway's own actions — the subscriber's own selection is
 * resolved again, with the subscriber's own identity, and pushed: a payload may select across every
 * system, and fields the subscriber may not read are `null` with `FORBIDDEN` as in a query. Several
 * changes to one entity within a short window arrive as one push, listing every changed field.
 */
export type SubscriptionOrderChangedArgs = {
  id: Scalars['ID']['input'];
};

/** A customer's support verdict. */
export type SupportStatus = {
  __typename?: 'SupportStatus';
  /** What is overdue on plan invoices. Visible to the finance role. */
  amountOverdue?: Maybe<Money>;
  /** Whether a support plan covers today. */
  entitled: Scalars['Boolean']['output'];
  /** The worst payment standing of the plans covering today, or `null` when none does. */
  paymentStanding?: Maybe<PaymentStanding>;
  /** Why, in words an agent can read out (e.g. `Premium plan expired on 2026-10-01`, `invoice INV/2026/00109 is 12 days overdue`). */
  reasons: Array<Scalars['String']['output']>;
  /** The targets of that tier, or `null`. */
  sla?: Maybe<SlaTargets>;
  /** The highest tier covering today, or `null`. */
  tier?: Maybe<SupportTier>;
};

/** The level of a support plan. */
export type SupportTier =
  /** Basic support. */
  | 'BASIC'
  /** Premium support. */
  | 'PREMIUM'
  /** Standard support. */
  | 'STANDARD';

export type Ticket = {
  __typename?: 'Ticket';
  /** When the ticket was opened (ISO-8601), from the support desk. */
  createdAt: Scalars['String']['output'];
  /**
   * The commercial customer this ticket is about: the contact whose ERP id the requester's
   * organization (else the requester) holds as external id, else, where the tenant matches by email,
   * the customer holding the requester's email address. Null when neither finds one.
   */
  customer?: Maybe<Customer>;
  /** What links the ticket's requester to a customer, provided by the support desk. */
  customerMatch: CustomerMatch;
  id: Scalars['ID']['output'];
  /**
   * The ticket's service-level due times: the support desk's own SLA where it applies one to the
   * ticket, else the targets of the customer's support plan (the tenant's SLA per tier) counted from the
   * ticket's creation. `null` when neither gives targets.
   */
  sla?: Maybe<TicketSla>;
  /** Where the ticket stands, from the support desk. */
  status: TicketStatus;
  /** The ticket's SLA as the support desk computes it, where the account has SLA policies. */
  zendeskSla?: Maybe<ZendeskSla>;
};

/** A ticket's service-level due times. */
export type TicketSla = {
  __typename?: 'TicketSla';
  /**
   * Whether a target is missed: the desk's verdict where it computes the SLA; from a plan's targets,
   * whether the ticket is still unsolved past its resolution time (the first reply cannot be told here).
   */
  breached: Scalars['Boolean']['output'];
  /** When the first reply is due. */
  firstResponseDueAt?: Maybe<Scalars['DateTime']['output']>;
  /** The support desk's policy title, or the plan (e.g. `Premium plan`); `null` when the desk does not name it. */
  policy?: Maybe<Scalars['String']['output']>;
  /** When the ticket should be solved. */
  resolutionDueAt?: Maybe<Scalars['DateTime']['output']>;
  /** Where the due times come from. */
  source: SlaSource;
};

/** Where a ticket stands in its life cycle. */
export type TicketStatus =
  /** The ticket is closed for good. */
  | 'CLOSED'
  /** Waiting for a third party; the requester is not being asked. */
  | 'HOLD'
  /** Nobody has worked on the ticket yet. */
  | 'NEW'
  /** The ticket is being worked on. */
  | 'OPEN'
  /** Waiting for the requester to answer. */
  | 'PENDING'
  /** The problem is solved; the requester can still reopen it. */
  | 'SOLVED';

/** A business error: what the client can show or fix. */
export type UserError = {
  __typename?: 'UserError';
  /** What went wrong, as a stable code. */
  code: ActionErrorCode;
  /** The input path it is about, e.g. `["lines", "0", "quantity"]`, or null. */
  field?: Maybe<Array<Scalars['String']['output']>>;
  /** A human-readable explanation (for an ERP refusal, the ERP's own user-facing message). */
  message: Scalars['String']['output'];
};

/**
 * A ticket's SLA as Zendesk computes it: when each target of the applied policy breaches, and where
 * each stands.
 */
export type ZendeskSla = {
  __typename?: 'ZendeskSla';
  /** Whether a target not yet achieved is past its breach time. */
  breached: Scalars['Boolean']['output'];
  /** When the first reply is due (ISO-8601): the `first_reply_time` target's breach time; null when the policy sets none. */
  firstResponseDueAt?: Maybe<Scalars['String']['output']>;
  /** Title of the Zendesk SLA policy applied to the ticket; null when it cannot be told (Zendesk's SLA data does not name it). */
  policy?: Maybe<Scalars['String']['output']>;
  /** When the ticket should be solved (ISO-8601): the `requester_wait_time` target's breach time, else the latest breach time of any target. */
  resolutionDueAt?: Maybe<Scalars['String']['output']>;
};



export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = {
  Action: Action;
  Customer: Customer;
  Delivery: Delivery;
  Invoice: Invoice;
  Order: Order;
  Product: Product;
  Ticket: Ticket;
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  Action:
    ( { __typename: 'Action' }
    & GraphQLRecursivePick<FederationTypes['Action'], {"id":true}> );
  Customer:
    ( { __typename: 'Customer' }
    & ( GraphQLRecursivePick<FederationTypes['Customer'], {"id":true}>
        | GraphQLRecursivePick<FederationTypes['Customer'], {"email":true}> ) );
  Delivery:
    ( { __typename: 'Delivery' }
    & GraphQLRecursivePick<FederationTypes['Delivery'], {"id":true}> );
  Invoice:
    ( { __typename: 'Invoice' }
    & GraphQLRecursivePick<FederationTypes['Invoice'], {"id":true}> );
  Order:
    ( { __typename: 'Order' }
    & GraphQLRecursivePick<FederationTypes['Order'], {"id":true}> );
  Product:
    ( { __typename: 'Product' }
    & GraphQLRecursivePick<FederationTypes['Product'], {"id":true}> );
  Ticket:
    ( { __typename: 'Ticket' }
    & GraphQLRecursivePick<FederationTypes['Ticket'], {"id":true}>
    & ( Record<PropertyKey, never>
        | GraphQLRecursivePick<FederationTypes['Ticket'], {"customerMatch":{"externalId":true,"email":true}}>
        | GraphQLRecursivePick<FederationTypes['Ticket'], {"customerMatch":{"externalId":true,"email":true},"createdAt":true,"status":true,"zendeskSla":{"policy":true,"firstResponseDueAt":true,"resolutionDueAt":true,"breached":true}}>
        | GraphQLRecursivePick<FederationTypes['Ticket'], {"customerMatch":{"externalId":true,"email":true},"createdAt":true,"status":true,"zendeskSla":{"policy":true,"firstResponseDueAt":true,"resolutionDueAt":true,"breached":true}}> ) );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  Action: ResolverTypeWrapper<ActionRecord>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  ActionAuditEvent: ResolverTypeWrapper<ActionAuditEvent>;
  ActionChange: ResolverTypeWrapper<Omit<ActionChange, 'action'> & { action?: Maybe<ResolversTypes['Action']> }>;
  ActionConnection: ResolverTypeWrapper<Omit<ActionConnection, 'edges'> & { edges: Array<ResolversTypes['ActionEdge']> }>;
  ActionEdge: ResolverTypeWrapper<Omit<ActionEdge, 'node'> & { node: ResolversTypes['Action'] }>;
  ActionErrorCode: ActionErrorCode;
  ActionFilter: ActionFilter;
  ActionKind: ActionKind;
  ActionPayload: ResolverTypeWrapper<ActionPayloadShape>;
  ActionRecordRef: ResolverTypeWrapper<ActionRecordRef>;
  ActionStatus: ActionStatus;
  ActivityEntity: ActivityEntity;
  AddOrderNoteInput: AddOrderNoteInput;
  CancelOrderInput: CancelOrderInput;
  ChangeKind: ChangeKind;
  ChangeSource: ChangeSource;
  Company: ResolverTypeWrapper<Company>;
  CompanyBalance: ResolverTypeWrapper<CompanyBalanceShape>;
  CreateReplacementOrderInput: CreateReplacementOrderInput;
  CreditNoteLineInput: CreditNoteLineInput;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  Customer: ResolverTypeWrapper<CustomerShape>;
  CustomerActivity: ResolverTypeWrapper<Omit<CustomerActivity, 'action' | 'customer' | 'delivery' | 'invoice' | 'order' | 'ticket'> & { action?: Maybe<ResolversTypes['Action']>, customer?: Maybe<ResolversTypes['Customer']>, delivery?: Maybe<ResolversTypes['Delivery']>, invoice?: Maybe<ResolversTypes['Invoice']>, order?: Maybe<ResolversTypes['Order']>, ticket?: Maybe<ResolversTypes['Ticket']> }>;
  CustomerMatch: ResolverTypeWrapper<CustomerMatch>;
  Date: ResolverTypeWrapper<Scalars['Date']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Delivery: ResolverTypeWrapper<DeliveryShape>;
  DeliveryChange: ResolverTypeWrapper<Omit<DeliveryChange, 'delivery'> & { delivery?: Maybe<ResolversTypes['Delivery']> }>;
  DeliveryConnection: ResolverTypeWrapper<Omit<DeliveryConnection, 'edges'> & { edges: Array<ResolversTypes['DeliveryEdge']> }>;
  DeliveryEdge: ResolverTypeWrapper<Omit<DeliveryEdge, 'node'> & { node: ResolversTypes['Delivery'] }>;
  DeliveryException: ResolverTypeWrapper<DeliveryExceptionShape>;
  DeliveryExceptionKind: DeliveryExceptionKind;
  DeliveryKind: DeliveryKind;
  DeliveryMilestone: ResolverTypeWrapper<DeliveryMilestone>;
  DeliveryMilestoneKind: DeliveryMilestoneKind;
  DeliveryMove: ResolverTypeWrapper<DeliveryMoveShape>;
  DeliveryState: DeliveryState;
  Entitlement: ResolverTypeWrapper<EntitlementStanding>;
  FieldSet: ResolverTypeWrapper<Scalars['FieldSet']['output']>;
  FulfilmentStep: FulfilmentStep;
  Invoice: ResolverTypeWrapper<InvoiceShape>;
  InvoiceChange: ResolverTypeWrapper<Omit<InvoiceChange, 'invoice'> & { invoice?: Maybe<ResolversTypes['Invoice']> }>;
  InvoiceConnection: ResolverTypeWrapper<Omit<InvoiceConnection, 'edges'> & { edges: Array<ResolversTypes['InvoiceEdge']> }>;
  InvoiceEdge: ResolverTypeWrapper<Omit<InvoiceEdge, 'node'> & { node: ResolversTypes['Invoice'] }>;
  InvoiceKind: InvoiceKind;
  InvoiceState: InvoiceState;
  IssueCreditNoteInput: IssueCreditNoteInput;
  Money: ResolverTypeWrapper<Money>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Order: ResolverTypeWrapper<OrderShape>;
  OrderChange: ResolverTypeWrapper<Omit<OrderChange, 'order'> & { order?: Maybe<ResolversTypes['Order']> }>;
  OrderConnection: ResolverTypeWrapper<Omit<OrderConnection, 'edges'> & { edges: Array<ResolversTypes['OrderEdge']> }>;
  OrderEdge: ResolverTypeWrapper<Omit<OrderEdge, 'node'> & { node: ResolversTypes['Order'] }>;
  OrderFulfilment: ResolverTypeWrapper<OrderFulfilmentShape>;
  OrderInvoiceStatus: OrderInvoiceStatus;
  OrderLine: ResolverTypeWrapper<OrderLineShape>;
  OrderState: OrderState;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  PaymentStanding: PaymentStanding;
  PaymentState: PaymentState;
  Product: ResolverTypeWrapper<ProductShape>;
  ProductKind: ProductKind;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RenewalStatus: RenewalStatus;
  ReplacementLineInput: ReplacementLineInput;
  RequestReturnInput: RequestReturnInput;
  ReturnLineInput: ReturnLineInput;
  SlaSource: SlaSource;
  SlaTargets: ResolverTypeWrapper<SlaTargets>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  SupportStatus: ResolverTypeWrapper<SupportStatusShape>;
  SupportTier: SupportTier;
  Ticket: ResolverTypeWrapper<TicketReference>;
  TicketSla: ResolverTypeWrapper<TicketSla>;
  TicketStatus: TicketStatus;
  UserError: ResolverTypeWrapper<ActionUserError>;
  ZendeskSla: ResolverTypeWrapper<ZendeskSla>;
  _Any: ResolverTypeWrapper<Scalars['_Any']['output']>;
  link__Import: ResolverTypeWrapper<Scalars['link__Import']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  Action: ActionRecord;
  ID: Scalars['ID']['output'];
  ActionAuditEvent: ActionAuditEvent;
  ActionChange: Omit<ActionChange, 'action'> & { action?: Maybe<ResolversParentTypes['Action']> };
  ActionConnection: Omit<ActionConnection, 'edges'> & { edges: Array<ResolversParentTypes['ActionEdge']> };
  ActionEdge: Omit<ActionEdge, 'node'> & { node: ResolversParentTypes['Action'] };
  ActionFilter: ActionFilter;
  ActionPayload: ActionPayloadShape;
  ActionRecordRef: ActionRecordRef;
  AddOrderNoteInput: AddOrderNoteInput;
  CancelOrderInput: CancelOrderInput;
  Company: Company;
  CompanyBalance: CompanyBalanceShape;
  CreateReplacementOrderInput: CreateReplacementOrderInput;
  CreditNoteLineInput: CreditNoteLineInput;
  Float: Scalars['Float']['output'];
  Customer: CustomerShape;
  CustomerActivity: Omit<CustomerActivity, 'action' | 'customer' | 'delivery' | 'invoice' | 'order' | 'ticket'> & { action?: Maybe<ResolversParentTypes['Action']>, customer?: Maybe<ResolversParentTypes['Customer']>, delivery?: Maybe<ResolversParentTypes['Delivery']>, invoice?: Maybe<ResolversParentTypes['Invoice']>, order?: Maybe<ResolversParentTypes['Order']>, ticket?: Maybe<ResolversParentTypes['Ticket']> };
  CustomerMatch: CustomerMatch;
  Date: Scalars['Date']['output'];
  DateTime: Scalars['DateTime']['output'];
  Delivery: DeliveryShape;
  DeliveryChange: Omit<DeliveryChange, 'delivery'> & { delivery?: Maybe<ResolversParentTypes['Delivery']> };
  DeliveryConnection: Omit<DeliveryConnection, 'edges'> & { edges: Array<ResolversParentTypes['DeliveryEdge']> };
  DeliveryEdge: Omit<DeliveryEdge, 'node'> & { node: ResolversParentTypes['Delivery'] };
  DeliveryException: DeliveryExceptionShape;
  DeliveryMilestone: DeliveryMilestone;
  DeliveryMove: DeliveryMoveShape;
  Entitlement: EntitlementStanding;
  FieldSet: Scalars['FieldSet']['output'];
  Invoice: InvoiceShape;
  InvoiceChange: Omit<InvoiceChange, 'invoice'> & { invoice?: Maybe<ResolversParentTypes['Invoice']> };
  InvoiceConnection: Omit<InvoiceConnection, 'edges'> & { edges: Array<ResolversParentTypes['InvoiceEdge']> };
  InvoiceEdge: Omit<InvoiceEdge, 'node'> & { node: ResolversParentTypes['Invoice'] };
  IssueCreditNoteInput: IssueCreditNoteInput;
  Money: Money;
  Mutation: Record<PropertyKey, never>;
  Order: OrderShape;
  OrderChange: Omit<OrderChange, 'order'> & { order?: Maybe<ResolversParentTypes['Order']> };
  OrderConnection: Omit<OrderConnection, 'edges'> & { edges: Array<ResolversParentTypes['OrderEdge']> };
  OrderEdge: Omit<OrderEdge, 'node'> & { node: ResolversParentTypes['Order'] };
  OrderFulfilment: OrderFulfilmentShape;
  OrderLine: OrderLineShape;
  PageInfo: PageInfo;
  Product: ProductShape;
  Query: Record<PropertyKey, never>;
  ReplacementLineInput: ReplacementLineInput;
  RequestReturnInput: RequestReturnInput;
  ReturnLineInput: ReturnLineInput;
  SlaTargets: SlaTargets;
  Subscription: Record<PropertyKey, never>;
  SupportStatus: SupportStatusShape;
  Ticket: TicketReference;
  TicketSla: TicketSla;
  UserError: ActionUserError;
  ZendeskSla: ZendeskSla;
  _Any: Scalars['_Any']['output'];
  link__Import: Scalars['link__Import']['output'];
  Int: Scalars['Int']['output'];
  Boolean: Scalars['Boolean']['output'];
  String: Scalars['String']['output'];
};

export type CostDirectiveArgs = {
  weight: Scalars['Int']['input'];
};

export type CostDirectiveResolver<Result, Parent, ContextType = OdooContext, Args = CostDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type InaccessibleDirectiveArgs = { };

export type InaccessibleDirectiveResolver<Result, Parent, ContextType = OdooContext, Args = InaccessibleDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type LinkDirectiveArgs = {
  import?: Maybe<Array<Maybe<Scalars['link__Import']['input']>>>;
  url: Scalars['String']['input'];
};

export type LinkDirectiveResolver<Result, Parent, ContextType = OdooContext, Args = LinkDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type ShareableDirectiveArgs = { };

export type ShareableDirectiveResolver<Result, Parent, ContextType = OdooContext, Args = ShareableDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type ActionResolvers<ContextType = OdooContext, ParentType extends ResolversParentTypes['Action'] = ResolversParentTypes['Action'], FederationReferenceType extends FederationReferenceTypes['Action'] = FederationReferenceTypes['Action']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Action']> | FederationReferenceType, FederationReferenceType, ContextType>;
  amount?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  approver?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  attempts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  audit?: Resolver<Maybe<Array<ResolversTypes['ActionAuditEvent']>>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  customerId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  expiresAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['ActionKind'], ParentType, ContextType>;
  reason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  records?: Resolver<Array<ResolversTypes['ActionRecordRef']>, ParentType, ContextType>;
  requester?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['ActionStatus'], ParentType, ContextType>;
  ticketId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type ActionAuditEventResolvers<ContextType = OdooContext, ParentType extends ResolversParentTypes['ActionAuditEvent'] = ResolversParentTypes['ActionAuditEvent']> = {
  actor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  event?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  outcome?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type ActionChangeResolvers<ContextType = OdooContext, ParentType extends ResolversParentTypes['ActionChange'] = ResolversParentTypes['ActionChange']> = {
  action?: Resolver<Maybe<ResolversTypes['Action']>, ParentType, ContextType>;
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  changedFields?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['ChangeKind'], ParentType, ContextType>;
  source?: Resolver<ResolversTypes['ChangeSource'], ParentType, ContextType>;
};

export type ActionConnectionResolvers<ContextType = OdooContext, ParentType extends ResolversParentTypes['ActionConnection'] = ResolversParentTypes['ActionConnection']> = {
  edges?: Resolver<Array<ResolversTypes['ActionEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type ActionEdgeResolvers<ContextType = OdooContext, ParentType extends ResolversParentTypes['ActionEdge'] = ResolversParentTypes['ActionEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Action'], ParentType, ContextType>;
};

export type ActionPayloadResolvers<ContextType = OdooContext, ParentType extends ResolversParentTypes['ActionPayload'] = ResolversParentTypes['ActionPayload']> = {
  action?: Resolver<Maybe<ResolversTypes['Action']>, ParentType, ContextType>;
  replayed?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
};

export type ActionRecordRefResolvers<ContextType = OdooContext, ParentType extends ResolversParentTypes['ActionRecordRef'] = ResolversParentTypes['ActionRecordRef']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  model?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  system?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type CompanyResolvers<ContextType = OdooContext, ParentType extends ResolversParentTypes['Company'] = ResolversParentTypes['Company']> = {
  currencyCode?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type CompanyBalanceResolvers<ContextType = OdooContext, ParentType extends ResolversParentTypes['CompanyBalance'] = ResolversParentTypes['CompanyBalance']> = {
  company?: Resolver<ResolversTypes['Company'], ParentType, ContextType>;
  creditLimit?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  openBalance?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
};

export type CustomerResolvers<ContextType = OdooContext, ParentType extends ResolversParentTypes['Customer'] = ResolversParentTypes['Customer'], FederationReferenceType extends FederationReferenceTypes['Customer'] = FederationReferenceTypes['Customer']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Customer']> | FederationReferenceType, FederationReferenceType, ContextType>;
  balances?: Resolver<Maybe<Array<ResolversTypes['CompanyBalance']>>, ParentType, ContextType>;
  country?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  creditLimit?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  deliveries?: Resolver<Maybe<ResolversTypes['DeliveryConnection']>, ParentType, ContextType, RequireFields<CustomerDeliveriesArgs, 'first'>>;
  email?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  entitlements?: Resolver<Maybe<Array<ResolversTypes['Entitlement']>>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  invoices?: Resolver<Maybe<ResolversTypes['InvoiceConnection']>, ParentType, ContextType, RequireFields<CustomerInvoicesArgs, 'first'>>;
  isCompany?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  matchEmail?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  matchName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  openBalance?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  orders?: Resolver<Maybe<ResolversTypes['OrderConnection']>, ParentType, ContextType, RequireFields<CustomerOrdersArgs, 'first'>>;
  phone?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  ref?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  supportStatus?: Resolver<Maybe<ResolversTypes['SupportStatus']>, ParentType, ContextType>;
};

export type CustomerActivityResolvers<ContextType = OdooContext, ParentType extends ResolversParentTypes['CustomerActivity'] = ResolversParentTypes['CustomerActivity']> = {
  action?: Resolver<Maybe<ResolversTypes['Action']>, ParentType, ContextType>;
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  changedFields?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  customer?: Resolver<Maybe<ResolversTypes['Customer']>, ParentType, ContextType>;
  delivery?: Resolver<Maybe<ResolversTypes['Delivery']>, ParentType, ContextType>;
  entity?: Resolver<ResolversTypes['ActivityEntity'], ParentType, ContextType>;
  entityId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  invoice?: Resolver<Maybe<ResolversTypes['Invoice']>, ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['ChangeKind'], ParentType, ContextType>;
  order?: Resolver<Maybe<ResolversTypes['Order']>, ParentType, ContextType>;
  source?: Resolver<ResolversTypes['ChangeSource'], ParentType, ContextType>;
  ticket?: Resolver<Maybe<ResolversTypes['Ticket']>, ParentType, ContextType>;
};

export type CustomerMatchResolvers<ContextType = OdooContext, ParentType extends ResolversParentTypes['CustomerMatch'] = ResolversParentTypes['CustomerMatch']> = {
  email?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  externalId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export interface DateScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Date'], any> {
  name: 'Date';
}

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type DeliveryResolvers<ContextType = OdooContext, ParentType extends ResolversParentTypes['Delivery'] = ResolversParentTypes['Delivery'], FederationReferenceType extends FederationReferenceTypes['Delivery'] = FederationReferenceTypes['Delivery']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Delivery']> | FederationReferenceType, FederationReferenceType, ContextType>;
  doneDate?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  exceptions?: Resolver<Array<ResolversTypes['DeliveryException']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<Maybe<ResolversTypes['DeliveryKind']>, ParentType, ContextType>;
  late?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  milestones?: Resolver<Array<ResolversTypes['DeliveryMilestone']>, ParentType, ContextType>;
  moves?: Resolver<Array<ResolversTypes['DeliveryMove']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  order?: Resolver<Maybe<ResolversTypes['Order']>, ParentType, ContextType>;
  origin?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  scheduledDate?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  state?: Resolver<ResolversTypes['DeliveryState'], ParentType, ContextType>;
  trackingRef?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type DeliveryChangeResolvers<ContextType = OdooContext, ParentType extends ResolversParentTypes['DeliveryChange'] = ResolversParentTypes['DeliveryChange']> = {
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  changedFields?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  delivery?: Resolver<Maybe<ResolversTypes['Delivery']>, ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['ChangeKind'], ParentType, ContextType>;
  source?: Resolver<ResolversTypes['ChangeSource'], ParentType, ContextType>;
};

export type DeliveryConnectionResolvers<ContextType = OdooContext, ParentType extends ResolversParentTypes['DeliveryConnection'] = ResolversParentTypes['DeliveryConnection']> = {
  edges?: Resolver<Array<ResolversTypes['DeliveryEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type DeliveryEdgeResolvers<ContextType = OdooContext, ParentType extends ResolversParentTypes['DeliveryEdge'] = ResolversParentTypes['DeliveryEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Delivery'], ParentType, ContextType>;
};

export type DeliveryExceptionResolvers<ContextType = OdooContext, ParentType extends ResolversParentTypes['DeliveryException'] = ResolversParentTypes['DeliveryException']> = {
  kind?: Resolver<ResolversTypes['DeliveryExceptionKind'], ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  related?: Resolver<Maybe<ResolversTypes['Delivery']>, ParentType, ContextType>;
};

export type DeliveryMilestoneResolvers<ContextType = OdooContext, ParentType extends ResolversParentTypes['DeliveryMilestone'] = ResolversParentTypes['DeliveryMilestone']> = {
  at?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['DeliveryMilestoneKind'], ParentType, ContextType>;
  reached?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type DeliveryMoveResolvers<ContextType = OdooContext, ParentType extends ResolversParentTypes['DeliveryMove'] = ResolversParentTypes['DeliveryMove']> = {
  demand?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  product?: Resolver<Maybe<ResolversTypes['Product']>, ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  state?: Resolver<ResolversTypes['DeliveryState'], ParentType, ContextType>;
};

export type EntitlementResolvers<ContextType = OdooContext, ParentType extends ResolversParentTypes['Entitlement'] = ResolversParentTypes['Entitlement']> = {
  active?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  amountDue?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  daysOverdue?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  endsOn?: Resolver<Maybe<ResolversTypes['Date']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  order?: Resolver<Maybe<ResolversTypes['Order']>, ParentType, ContextType>;
  paymentStanding?: Resolver<ResolversTypes['PaymentStanding'], ParentType, ContextType>;
  product?: Resolver<Maybe<ResolversTypes['Product']>, ParentType, ContextType>;
  renewalStatus?: Resolver<ResolversTypes['RenewalStatus'], ParentType, ContextType>;
  sla?: Resolver<Maybe<ResolversTypes['SlaTargets']>, ParentType, ContextType>;
  startsOn?: Resolver<Maybe<ResolversTypes['Date']>, ParentType, ContextType>;
  tier?: Resolver<Maybe<ResolversTypes['SupportTier']>, ParentType, ContextType>;
};

export interface FieldSetScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['FieldSet'], any> {
  name: 'FieldSet';
}

export type InvoiceResolvers<ContextType = OdooContext, ParentType extends ResolversParentTypes['Invoice'] = ResolversParentTypes['Invoice'], FederationReferenceType extends FederationReferenceTypes['Invoice'] = FederationReferenceTypes['Invoice']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Invoice']> | FederationReferenceType, FederationReferenceType, ContextType>;
  amountResidual?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  amountTotal?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  company?: Resolver<Maybe<ResolversTypes['Company']>, ParentType, ContextType>;
  customer?: Resolver<Maybe<ResolversTypes['Customer']>, ParentType, ContextType>;
  dueDate?: Resolver<Maybe<ResolversTypes['Date']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  invoiceDate?: Resolver<Maybe<ResolversTypes['Date']>, ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['InvoiceKind'], ParentType, ContextType>;
  number?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  origin?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  overdue?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  paymentState?: Resolver<ResolversTypes['PaymentState'], ParentType, ContextType>;
  state?: Resolver<ResolversTypes['InvoiceState'], ParentType, ContextType>;
};

export type InvoiceChangeResolvers<ContextType = OdooContext, ParentType extends ResolversParentTypes['InvoiceChange'] = ResolversParentTypes['InvoiceChange']> = {
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  changedFields?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  invoice?: Resolver<Maybe<ResolversTypes['Invoice']>, ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['ChangeKind'], ParentType, ContextType>;
  source?: Resolver<ResolversTypes['ChangeSource'], ParentType, ContextType>;
};

export type InvoiceConnectionResolvers<ContextType = OdooContext, ParentType extends ResolversParentTypes['InvoiceConnection'] = ResolversParentTypes['InvoiceConnection']> = {
  edges?: Resolver<Array<ResolversTypes['InvoiceEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type InvoiceEdgeResolvers<ContextType = OdooContext, ParentType extends ResolversParentTypes['InvoiceEdge'] = ResolversParentTypes['InvoiceEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Invoice'], ParentType, ContextType>;
};

export type MoneyResolvers<ContextType = OdooContext, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = {
  amount?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  currencyCode?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type MutationResolvers<ContextType = OdooContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  addOrderNote?: Resolver<ResolversTypes['ActionPayload'], ParentType, ContextType, RequireFields<MutationAddOrderNoteArgs, 'input'>>;
  approveAction?: Resolver<ResolversTypes['ActionPayload'], ParentType, ContextType, RequireFields<MutationApproveActionArgs, 'id'>>;
  cancelOrder?: Resolver<ResolversTypes['ActionPayload'], ParentType, ContextType, RequireFields<MutationCancelOrderArgs, 'input'>>;
  createReplacementOrder?: Resolver<ResolversTypes['ActionPayload'], ParentType, ContextType, RequireFields<MutationCreateReplacementOrderArgs, 'input'>>;
  issueCreditNote?: Resolver<ResolversTypes['ActionPayload'], ParentType, ContextType, RequireFields<MutationIssueCreditNoteArgs, 'input'>>;
  rejectAction?: Resolver<ResolversTypes['ActionPayload'], ParentType, ContextType, RequireFields<MutationRejectActionArgs, 'id' | 'reason'>>;
  requestReturn?: Resolver<ResolversTypes['ActionPayload'], ParentType, ContextType, RequireFields<MutationRequestReturnArgs, 'input'>>;
  retryAction?: Resolver<ResolversTypes['ActionPayload'], ParentType, ContextType, RequireFields<MutationRetryActionArgs, 'id'>>;
};

export type OrderResolvers<ContextType = OdooContext, ParentType extends ResolversParentTypes['Order'] = ResolversParentTypes['Order'], FederationReferenceType extends FederationReferenceTypes['Order'] = FederationReferenceTypes['Order']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Order']> | FederationReferenceType, FederationReferenceType, ContextType>;
  amountTotal?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  amountUntaxed?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  clientOrderRef?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  company?: Resolver<Maybe<ResolversTypes['Company']>, ParentType, ContextType>;
  customer?: Resolver<Maybe<ResolversTypes['Customer']>, ParentType, ContextType>;
  deliveries?: Resolver<Maybe<Array<ResolversTypes['Delivery']>>, ParentType, ContextType>;
  fulfilment?: Resolver<ResolversTypes['OrderFulfilment'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  invoiceStatus?: Resolver<ResolversTypes['OrderInvoiceStatus'], ParentType, ContextType>;
  invoices?: Resolver<Maybe<Array<ResolversTypes['Invoice']>>, ParentType, ContextType>;
  lines?: Resolver<Maybe<Array<ResolversTypes['OrderLine']>>, ParentType, ContextType>;
  locked?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  margin?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  marginPercent?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  orderedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  state?: Resolver<ResolversTypes['OrderState'], ParentType, ContextType>;
};

export type OrderChangeResolvers<ContextType = OdooContext, ParentType extends ResolversParentTypes['OrderChange'] = ResolversParentTypes['OrderChange']> = {
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  changedFields?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['ChangeKind'], ParentType, ContextType>;
  order?: Resolver<Maybe<ResolversTypes['Order']>, ParentType, ContextType>;
  source?: Resolver<ResolversTypes['ChangeSource'], ParentType, ContextType>;
};

export type OrderConnectionResolvers<ContextType = OdooContext, ParentType extends ResolversParentTypes['OrderConnection'] = ResolversParentTypes['OrderConnection']> = {
  edges?: Resolver<Array<ResolversTypes['OrderEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type OrderEdgeResolvers<ContextType = OdooContext, ParentType extends ResolversParentTypes['OrderEdge'] = ResolversParentTypes['OrderEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Order'], ParentType, ContextType>;
};

export type OrderFulfilmentResolvers<ContextType = OdooContext, ParentType extends ResolversParentTypes['OrderFulfilment'] = ResolversParentTypes['OrderFulfilment']> = {
  amountDue?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  amountInvoiced?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  amountOrdered?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  amountPaid?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  nextMilestone?: Resolver<ResolversTypes['FulfilmentStep'], ParentType, ContextType>;
  quantityDelivered?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  quantityInvoiced?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  quantityOrdered?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type OrderLineResolvers<ContextType = OdooContext, ParentType extends ResolversParentTypes['OrderLine'] = ResolversParentTypes['OrderLine']> = {
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  discountPercent?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  margin?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  product?: Resolver<Maybe<ResolversTypes['Product']>, ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  quantityDelivered?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  quantityInvoiced?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  subtotal?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  underWarranty?: Resolver<Maybe<ResolversTypes['Boolean']>, ParentType, ContextType>;
  unitPrice?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  warrantyEndsOn?: Resolver<Maybe<ResolversTypes['Date']>, ParentType, ContextType>;
};

export type PageInfoResolvers<ContextType = OdooContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type ProductResolvers<ContextType = OdooContext, ParentType extends ResolversParentTypes['Product'] = ResolversParentTypes['Product'], FederationReferenceType extends FederationReferenceTypes['Product'] = FederationReferenceTypes['Product']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Product']> | FederationReferenceType, FederationReferenceType, ContextType>;
  cost?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  inStock?: Resolver<Maybe<ResolversTypes['Boolean']>, ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['ProductKind'], ParentType, ContextType>;
  listPrice?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  qtyAvailable?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  qtyForecast?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  sku?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type QueryResolvers<ContextType = OdooContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  action?: Resolver<Maybe<ResolversTypes['Action']>, ParentType, ContextType, RequireFields<QueryActionArgs, 'id'>>;
  actions?: Resolver<Maybe<ResolversTypes['ActionConnection']>, ParentType, ContextType, RequireFields<QueryActionsArgs, 'first'>>;
  customer?: Resolver<Maybe<ResolversTypes['Customer']>, ParentType, ContextType, RequireFields<QueryCustomerArgs, 'id'>>;
  customerByEmail?: Resolver<Maybe<ResolversTypes['Customer']>, ParentType, ContextType, RequireFields<QueryCustomerByEmailArgs, 'email'>>;
  delivery?: Resolver<Maybe<ResolversTypes['Delivery']>, ParentType, ContextType, RequireFields<QueryDeliveryArgs, 'id'>>;
  invoice?: Resolver<Maybe<ResolversTypes['Invoice']>, ParentType, ContextType, RequireFields<QueryInvoiceArgs, 'id'>>;
  order?: Resolver<Maybe<ResolversTypes['Order']>, ParentType, ContextType, RequireFields<QueryOrderArgs, 'id'>>;
  orderByName?: Resolver<Maybe<ResolversTypes['Order']>, ParentType, ContextType, RequireFields<QueryOrderByNameArgs, 'name'>>;
  pendingApprovals?: Resolver<Maybe<ResolversTypes['ActionConnection']>, ParentType, ContextType, RequireFields<QueryPendingApprovalsArgs, 'first'>>;
  product?: Resolver<Maybe<ResolversTypes['Product']>, ParentType, ContextType, RequireFields<QueryProductArgs, 'sku'>>;
};

export type SlaTargetsResolvers<ContextType = OdooContext, ParentType extends ResolversParentTypes['SlaTargets'] = ResolversParentTypes['SlaTargets']> = {
  firstResponseHours?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  resolutionHours?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type SubscriptionResolvers<ContextType = OdooContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = {
  actionChanged?: SubscriptionResolver<ResolversTypes['ActionChange'], "actionChanged", ParentType, ContextType, RequireFields<SubscriptionActionChangedArgs, 'id'>>;
  customerActivity?: SubscriptionResolver<ResolversTypes['CustomerActivity'], "customerActivity", ParentType, ContextType, RequireFields<SubscriptionCustomerActivityArgs, 'customerId'>>;
  deliveryChanged?: SubscriptionResolver<ResolversTypes['DeliveryChange'], "deliveryChanged", ParentType, ContextType, RequireFields<SubscriptionDeliveryChangedArgs, 'id'>>;
  invoiceChanged?: SubscriptionResolver<ResolversTypes['InvoiceChange'], "invoiceChanged", ParentType, ContextType, RequireFields<SubscriptionInvoiceChangedArgs, 'id'>>;
  orderChanged?: SubscriptionResolver<ResolversTypes['OrderChange'], "orderChanged", ParentType, ContextType, RequireFields<SubscriptionOrderChangedArgs, 'id'>>;
};

export type SupportStatusResolvers<ContextType = OdooContext, ParentType extends ResolversParentTypes['SupportStatus'] = ResolversParentTypes['SupportStatus']> = {
  amountOverdue?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  entitled?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  paymentStanding?: Resolver<Maybe<ResolversTypes['PaymentStanding']>, ParentType, ContextType>;
  reasons?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  sla?: Resolver<Maybe<ResolversTypes['SlaTargets']>, ParentType, ContextType>;
  tier?: Resolver<Maybe<ResolversTypes['SupportTier']>, ParentType, ContextType>;
};

export type TicketResolvers<ContextType = OdooContext, ParentType extends ResolversParentTypes['Ticket'] = ResolversParentTypes['Ticket'], FederationReferenceType extends FederationReferenceTypes['Ticket'] = FederationReferenceTypes['Ticket']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Ticket']> | FederationReferenceType, FederationReferenceType, ContextType>;
  customer?: Resolver<Maybe<ResolversTypes['Customer']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  sla?: Resolver<Maybe<ResolversTypes['TicketSla']>, ParentType, ContextType>;
};

export type TicketSlaResolvers<ContextType = OdooContext, ParentType extends ResolversParentTypes['TicketSla'] = ResolversParentTypes['TicketSla']> = {
  breached?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  firstResponseDueAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  policy?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  resolutionDueAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  source?: Resolver<ResolversTypes['SlaSource'], ParentType, ContextType>;
};

export type UserErrorResolvers<ContextType = OdooContext, ParentType extends ResolversParentTypes['UserError'] = ResolversParentTypes['UserError']> = {
  code?: Resolver<ResolversTypes['ActionErrorCode'], ParentType, ContextType>;
  field?: Resolver<Maybe<Array<ResolversTypes['String']>>, ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export interface _AnyScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['_Any'], any> {
  name: '_Any';
}

export interface Link__ImportScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['link__Import'], any> {
  name: 'link__Import';
}

export type Resolvers<ContextType = OdooContext> = {
  Action?: ActionResolvers<ContextType>;
  ActionAuditEvent?: ActionAuditEventResolvers<ContextType>;
  ActionChange?: ActionChangeResolvers<ContextType>;
  ActionConnection?: ActionConnectionResolvers<ContextType>;
  ActionEdge?: ActionEdgeResolvers<ContextType>;
  ActionPayload?: ActionPayloadResolvers<ContextType>;
  ActionRecordRef?: ActionRecordRefResolvers<ContextType>;
  Company?: CompanyResolvers<ContextType>;
  CompanyBalance?: CompanyBalanceResolvers<ContextType>;
  Customer?: CustomerResolvers<ContextType>;
  CustomerActivity?: CustomerActivityResolvers<ContextType>;
  CustomerMatch?: CustomerMatchResolvers<ContextType>;
  Date?: GraphQLScalarType;
  DateTime?: GraphQLScalarType;
  Delivery?: DeliveryResolvers<ContextType>;
  DeliveryChange?: DeliveryChangeResolvers<ContextType>;
  DeliveryConnection?: DeliveryConnectionResolvers<ContextType>;
  DeliveryEdge?: DeliveryEdgeResolvers<ContextType>;
  DeliveryException?: DeliveryExceptionResolvers<ContextType>;
  DeliveryMilestone?: DeliveryMilestoneResolvers<ContextType>;
  DeliveryMove?: DeliveryMoveResolvers<ContextType>;
  Entitlement?: EntitlementResolvers<ContextType>;
  FieldSet?: GraphQLScalarType;
  Invoice?: InvoiceResolvers<ContextType>;
  InvoiceChange?: InvoiceChangeResolvers<ContextType>;
  InvoiceConnection?: InvoiceConnectionResolvers<ContextType>;
  InvoiceEdge?: InvoiceEdgeResolvers<ContextType>;
  Money?: MoneyResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Order?: OrderResolvers<ContextType>;
  OrderChange?: OrderChangeResolvers<ContextType>;
  OrderConnection?: OrderConnectionResolvers<ContextType>;
  OrderEdge?: OrderEdgeResolvers<ContextType>;
  OrderFulfilment?: OrderFulfilmentResolvers<ContextType>;
  OrderLine?: OrderLineResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Product?: ProductResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  SlaTargets?: SlaTargetsResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  SupportStatus?: SupportStatusResolvers<ContextType>;
  Ticket?: TicketResolvers<ContextType>;
  TicketSla?: TicketSlaResolvers<ContextType>;
  UserError?: UserErrorResolvers<ContextType>;
  _Any?: GraphQLScalarType;
  link__Import?: GraphQLScalarType;
};

export type DirectiveResolvers<ContextType = OdooContext> = {
  cost?: CostDirectiveResolver<any, any, ContextType>;
  inaccessible?: InaccessibleDirectiveResolver<any, any, ContextType>;
  link?: LinkDirectiveResolver<any, any, ContextType>;
  shareable?: ShareableDirectiveResolver<any, any, ContextType>;
};
