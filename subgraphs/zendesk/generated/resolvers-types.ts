import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { TicketModel, SupportUserModel, OrganizationModel, CommentModel } from '../mappers';
import type { ZendeskSlaView } from '../sla';
import type { CustomerReference, ZendeskContext } from '../resolvers';
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
  FieldSet: { input: unknown; output: unknown; }
  _Any: { input: unknown; output: unknown; }
  link__Import: { input: unknown; output: unknown; }
};

/** An ERP or support-desk action, as the durable action log holds it. */
export type Action = {
  __typename?: 'Action';
  /** The action's id (also the marker it leaves in the upstream records it writes). */
  id: Scalars['ID']['output'];
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

/** What `addTicketComment` needs. */
export type AddTicketCommentInput = {
  /** The text of the comment (plain text). */
  body: Scalars['String']['input'];
  /** A key the client chooses once per intended action (1 to 100 characters). */
  idempotencyKey: Scalars['String']['input'];
  /** A public reply (true: the requester sees it) or an internal note (false). */
  public: Scalars['Boolean']['input'];
  /** The ticket. */
  ticketId: Scalars['ID']['input'];
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

export type Customer = {
  __typename?: 'Customer';
  id: Scalars['ID']['output'];
  /** The customer's email address as the ERP holds it, for matching tickets by requester (internal: not in the public API). */
  matchEmail?: Maybe<Scalars['String']['output']>;
  /**
   * The customer's tickets, oldest first: those of the organization or user whose external id is the
   * customer's id, else (where the tenant's matching rules allow it) those requested from the
   * customer's email address. Null (with an error on this path) when the support desk cannot be read.
   */
  tickets?: Maybe<TicketConnection>;
};


export type CustomerTicketsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<TicketStatus>;
};

/** How a ticket's requester can be matched to a commercial customer, under the tenant's rules. */
export type CustomerMatch = {
  __typename?: 'CustomerMatch';
  /** The requester's email address, when the tenant matches customers by email. */
  email?: Maybe<Scalars['String']['output']>;
  /** ERP id held as external id by the requester's organization, else by the requester; null when neither has one. */
  externalId?: Maybe<Scalars['String']['output']>;
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
  /** Adds a public reply or an internal note to a ticket. */
  addTicketComment: ActionPayload;
  /** Changes a ticket's status, priority, tags or assignee. */
  updateTicket: ActionPayload;
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
export type MutationAddTicketCommentArgs = {
  input: AddTicketCommentInput;
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
export type MutationUpdateTicketArgs = {
  input: UpdateTicketInput;
};

/** A company known to the support desk; its users' tickets belong to it. */
export type Organization = {
  __typename?: 'Organization';
  /** Email domains whose users join this organization automatically. */
  domainNames: Array<Scalars['String']['output']>;
  /** Id of the company in the system of record (the customer's id in the ERP) where linked. */
  externalId?: Maybe<Scalars['String']['output']>;
  /** Zendesk organization id. */
  id: Scalars['ID']['output'];
  /** Company name. */
  name: Scalars['String']['output'];
};

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

export type Query = {
  __typename?: 'Query';
  /** One ticket by its Zendesk id, or null when the desk holds no such ticket. */
  ticket?: Maybe<Ticket>;
  /**
   * The desk's tickets, oldest first, optionally narrowed to one status. Null (with an error on this
   * path) when the support desk cannot be read.
   */
  tickets?: Maybe<TicketConnection>;
};


export type QueryTicketArgs = {
  id: Scalars['ID']['input'];
};


export type QueryTicketsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<TicketStatus>;
};

/**
 * Live changes, pushed over graphql-ws on the gateway's `/graphql` path (WebSocket); see the ERP's
 * subscription fields for how pushes are resolved.
 */
export type Subscription = {
  __typename?: 'Subscription';
  /** Changes to one ticket (status, priority, assignee, comments...), from the desk's signed webhooks. */
  ticketChanged: TicketChange;
};


/**
 * Live changes, pushed over graphql-ws on the gateway's `/graphql` path (WebSocket); see the ERP's
 * subscription fields for how pushes are resolved.
 */
export type SubscriptionTicketChangedArgs = {
  id: Scalars['ID']['input'];
};

/** A person known to the support desk: a customer asking for help or a member of the staff. */
export type SupportUser = {
  __typename?: 'SupportUser';
  /** Primary email address, when the desk has one. */
  email?: Maybe<Scalars['String']['output']>;
  /** Id of the user in the system of record (the customer's id in the ERP) where linked. */
  externalId?: Maybe<Scalars['String']['output']>;
  /** Zendesk user id. */
  id: Scalars['ID']['output'];
  /** Full name. */
  name: Scalars['String']['output'];
  /** The user's organization, when there is one. */
  organization?: Maybe<Organization>;
  /** What the user is to the desk. */
  role: SupportUserRole;
};

/** What a support-desk user is to the desk. */
export type SupportUserRole =
  /** A member of the support staff who administers the desk. */
  | 'ADMIN'
  /** A member of the support staff. */
  | 'AGENT'
  /** A customer who asks for help. */
  | 'END_USER';

/** A request for help in the support desk. */
export type Ticket = {
  __typename?: 'Ticket';
  /** The support-staff member working on the ticket, when assigned. */
  assignee?: Maybe<SupportUser>;
  /** The conversation on the ticket, oldest first (public replies and internal notes); null (with an error) when it cannot be read. */
  comments?: Maybe<TicketCommentConnection>;
  /** When the ticket was created (ISO-8601). */
  createdAt: Scalars['String']['output'];
  /**
   * What links the requester to a customer (external id, email), under the tenant's matching rules.
   * The ERP resolves `Ticket.customer` from it.
   */
  customerMatch: CustomerMatch;
  /** The first comment of the ticket: what the requester asked. */
  description?: Maybe<Scalars['String']['output']>;
  /** Zendesk ticket id. */
  id: Scalars['ID']['output'];
  /** The requester's organization on this ticket, when there is one. */
  organization?: Maybe<Organization>;
  /** How urgent the ticket is, when set. */
  priority?: Maybe<TicketPriority>;
  /** Who asked for help; null when the desk no longer holds the user. */
  requester?: Maybe<SupportUser>;
  /** Where the ticket stands. */
  status: TicketStatus;
  /** One-line summary of the request. */
  subject?: Maybe<Scalars['String']['output']>;
  /** Labels put on the ticket by people and business rules. */
  tags: Array<Scalars['String']['output']>;
  /** What kind of request this is, when set. */
  type?: Maybe<TicketType>;
  /** When the ticket last changed (ISO-8601). */
  updatedAt: Scalars['String']['output'];
  /**
   * The ticket's SLA as Zendesk itself computes it (the SLA policies of the Zendesk account); null when
   * the account has no SLA policy applying to the ticket. Where it is null the ERP's entitlement targets
   * are the fallback (`Ticket.sla`).
   */
  zendeskSla?: Maybe<ZendeskSla>;
};


/** A request for help in the support desk. */
export type TicketCommentsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** A change to a support ticket. */
export type TicketChange = {
  __typename?: 'TicketChange';
  /** When the support desk recorded the change (ISO-8601). */
  at: Scalars['String']['output'];
  /** The ticket's fields that changed (public field names, e.g. `status`, `priority`). */
  changedFields: Array<Scalars['String']['output']>;
  /** Whether the entity is new, changed or removed. */
  kind: ChangeKind;
  /** The system the change was captured from. */
  source: ChangeSource;
  /** The ticket as it is now, read with the subscriber's identity; null when it is gone or hidden. */
  ticket?: Maybe<Ticket>;
};

/** One message on a ticket: a public reply or an internal note. */
export type TicketComment = {
  __typename?: 'TicketComment';
  /** Who wrote the message; null when the desk no longer holds the user. */
  author?: Maybe<SupportUser>;
  /** The message as plain text. */
  body: Scalars['String']['output'];
  /** When the message was written (ISO-8601). */
  createdAt: Scalars['String']['output'];
  /** Zendesk comment id. */
  id: Scalars['ID']['output'];
  /** Whether the requester can see the message (false for internal notes). */
  public: Scalars['Boolean']['output'];
};

/** A page of ticket comments. */
export type TicketCommentConnection = {
  __typename?: 'TicketCommentConnection';
  /** The comments of this page, each with its cursor. */
  edges: Array<TicketCommentEdge>;
  /** Where this page stands in the whole list. */
  pageInfo: PageInfo;
  /** How many comments the ticket holds. */
  totalCount: Scalars['Int']['output'];
};

/** A comment in a page, with its cursor. */
export type TicketCommentEdge = {
  __typename?: 'TicketCommentEdge';
  /** Opaque position of this comment in the list, for `after`. */
  cursor: Scalars['String']['output'];
  /** The comment. */
  node: TicketComment;
};

/** A page of tickets. */
export type TicketConnection = {
  __typename?: 'TicketConnection';
  /** The tickets of this page, each with its cursor. */
  edges: Array<TicketEdge>;
  /** Where this page stands in the whole list. */
  pageInfo: PageInfo;
  /** How many tickets the whole list holds. */
  totalCount: Scalars['Int']['output'];
};

/** A ticket in a page, with its cursor. */
export type TicketEdge = {
  __typename?: 'TicketEdge';
  /** Opaque position of this ticket in the list, for `after`. */
  cursor: Scalars['String']['output'];
  /** The ticket. */
  node: Ticket;
};

/** How urgent a ticket is. */
export type TicketPriority =
  /** More important than usual. */
  | 'HIGH'
  /** Can wait. */
  | 'LOW'
  /** The usual importance. */
  | 'NORMAL'
  /** Needs attention now. */
  | 'URGENT';

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

/** What kind of request a ticket is. */
export type TicketType =
  /** One occurrence of a problem. */
  | 'INCIDENT'
  /** A root cause that one or more incidents stem from. */
  | 'PROBLEM'
  /** A question, not a malfunction. */
  | 'QUESTION'
  /** A piece of work to do, possibly with a due date. */
  | 'TASK';

/** What `updateTicket` needs: at least one change. */
export type UpdateTicketInput = {
  /** The support-staff member to assign. */
  assigneeId?: InputMaybe<Scalars['ID']['input']>;
  /** A key the client chooses once per intended action (1 to 100 characters); retrying with it never acts twice. */
  idempotencyKey: Scalars['String']['input'];
  /** The new priority. */
  priority?: InputMaybe<TicketPriority>;
  /** The new status. */
  status?: InputMaybe<TicketStatus>;
  /** The ticket's tags, replacing the current ones (each one word without commas). */
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  /** The ticket. */
  ticketId: Scalars['ID']['input'];
};

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
  /** Each target of the policy on this ticket, as Zendesk reports it. */
  metrics: Array<ZendeskSlaMetric>;
  /** Title of the Zendesk SLA policy applied to the ticket; null when it cannot be told (Zendesk's SLA data does not name it). */
  policy?: Maybe<Scalars['String']['output']>;
  /** When the ticket should be solved (ISO-8601): the `requester_wait_time` target's breach time, else the latest breach time of any target. */
  resolutionDueAt?: Maybe<Scalars['String']['output']>;
};

/** One SLA target on a ticket. */
export type ZendeskSlaMetric = {
  __typename?: 'ZendeskSlaMetric';
  /** When the target breaches or breached (ISO-8601); null when Zendesk gives no time. */
  breachAt?: Maybe<Scalars['String']['output']>;
  /** What is measured, in Zendesk's words: `first_reply_time`, `next_reply_time`, `requester_wait_time`, `agent_work_time`, `periodic_update_time`, `pausable_update_time`… */
  metric: Scalars['String']['output'];
  /** Where the target stands: `active` (the clock runs), `paused` or `achieved`. */
  stage: Scalars['String']['output'];
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
  Customer: Customer;
  Organization: Organization;
  SupportUser: SupportUser;
  Ticket: Ticket;
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  Customer:
    ( { __typename: 'Customer' }
    & GraphQLRecursivePick<FederationTypes['Customer'], {"id":true}>
    & ( Record<PropertyKey, never>
        | GraphQLRecursivePick<FederationTypes['Customer'], {"matchEmail":true}> ) );
  Organization:
    ( { __typename: 'Organization' }
    & GraphQLRecursivePick<FederationTypes['Organization'], {"id":true}> );
  SupportUser:
    ( { __typename: 'SupportUser' }
    & GraphQLRecursivePick<FederationTypes['SupportUser'], {"id":true}> );
  Ticket:
    ( { __typename: 'Ticket' }
    & GraphQLRecursivePick<FederationTypes['Ticket'], {"id":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  Action: ResolverTypeWrapper<ActionRecord>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  ActionErrorCode: ActionErrorCode;
  ActionPayload: ResolverTypeWrapper<ActionPayloadShape>;
  AddTicketCommentInput: AddTicketCommentInput;
  ChangeKind: ChangeKind;
  ChangeSource: ChangeSource;
  Customer: ResolverTypeWrapper<CustomerReference>;
  CustomerMatch: ResolverTypeWrapper<CustomerMatch>;
  FieldSet: ResolverTypeWrapper<Scalars['FieldSet']['output']>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Organization: ResolverTypeWrapper<OrganizationModel>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  SupportUser: ResolverTypeWrapper<SupportUserModel>;
  SupportUserRole: SupportUserRole;
  Ticket: ResolverTypeWrapper<TicketModel>;
  TicketChange: ResolverTypeWrapper<Omit<TicketChange, 'ticket'> & { ticket?: Maybe<ResolversTypes['Ticket']> }>;
  TicketComment: ResolverTypeWrapper<CommentModel>;
  TicketCommentConnection: ResolverTypeWrapper<Omit<TicketCommentConnection, 'edges'> & { edges: Array<ResolversTypes['TicketCommentEdge']> }>;
  TicketCommentEdge: ResolverTypeWrapper<Omit<TicketCommentEdge, 'node'> & { node: ResolversTypes['TicketComment'] }>;
  TicketConnection: ResolverTypeWrapper<Omit<TicketConnection, 'edges'> & { edges: Array<ResolversTypes['TicketEdge']> }>;
  TicketEdge: ResolverTypeWrapper<Omit<TicketEdge, 'node'> & { node: ResolversTypes['Ticket'] }>;
  TicketPriority: TicketPriority;
  TicketStatus: TicketStatus;
  TicketType: TicketType;
  UpdateTicketInput: UpdateTicketInput;
  UserError: ResolverTypeWrapper<ActionUserError>;
  ZendeskSla: ResolverTypeWrapper<ZendeskSlaView>;
  ZendeskSlaMetric: ResolverTypeWrapper<ZendeskSlaMetric>;
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
  ActionPayload: ActionPayloadShape;
  AddTicketCommentInput: AddTicketCommentInput;
  Customer: CustomerReference;
  CustomerMatch: CustomerMatch;
  FieldSet: Scalars['FieldSet']['output'];
  Mutation: Record<PropertyKey, never>;
  Organization: OrganizationModel;
  PageInfo: PageInfo;
  Query: Record<PropertyKey, never>;
  Subscription: Record<PropertyKey, never>;
  SupportUser: SupportUserModel;
  Ticket: TicketModel;
  TicketChange: Omit<TicketChange, 'ticket'> & { ticket?: Maybe<ResolversParentTypes['Ticket']> };
  TicketComment: CommentModel;
  TicketCommentConnection: Omit<TicketCommentConnection, 'edges'> & { edges: Array<ResolversParentTypes['TicketCommentEdge']> };
  TicketCommentEdge: Omit<TicketCommentEdge, 'node'> & { node: ResolversParentTypes['TicketComment'] };
  TicketConnection: Omit<TicketConnection, 'edges'> & { edges: Array<ResolversParentTypes['TicketEdge']> };
  TicketEdge: Omit<TicketEdge, 'node'> & { node: ResolversParentTypes['Ticket'] };
  UpdateTicketInput: UpdateTicketInput;
  UserError: ActionUserError;
  ZendeskSla: ZendeskSlaView;
  ZendeskSlaMetric: ZendeskSlaMetric;
  _Any: Scalars['_Any']['output'];
  link__Import: Scalars['link__Import']['output'];
  Int: Scalars['Int']['output'];
  Boolean: Scalars['Boolean']['output'];
  String: Scalars['String']['output'];
};

export type CostDirectiveArgs = {
  weight: Scalars['Int']['input'];
};

export type CostDirectiveResolver<Result, Parent, ContextType = ZendeskContext, Args = CostDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type InaccessibleDirectiveArgs = { };

export type InaccessibleDirectiveResolver<Result, Parent, ContextType = ZendeskContext, Args = InaccessibleDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type LinkDirectiveArgs = {
  import?: Maybe<Array<Maybe<Scalars['link__Import']['input']>>>;
  url: Scalars['String']['input'];
};

export type LinkDirectiveResolver<Result, Parent, ContextType = ZendeskContext, Args = LinkDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type ShareableDirectiveArgs = { };

export type ShareableDirectiveResolver<Result, Parent, ContextType = ZendeskContext, Args = ShareableDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type ActionResolvers<ContextType = ZendeskContext, ParentType extends ResolversParentTypes['Action'] = ResolversParentTypes['Action']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type ActionPayloadResolvers<ContextType = ZendeskContext, ParentType extends ResolversParentTypes['ActionPayload'] = ResolversParentTypes['ActionPayload']> = {
  action?: Resolver<Maybe<ResolversTypes['Action']>, ParentType, ContextType>;
  replayed?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
};

export type CustomerResolvers<ContextType = ZendeskContext, ParentType extends ResolversParentTypes['Customer'] = ResolversParentTypes['Customer'], FederationReferenceType extends FederationReferenceTypes['Customer'] = FederationReferenceTypes['Customer']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Customer']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  tickets?: Resolver<Maybe<ResolversTypes['TicketConnection']>, ParentType, ContextType, Partial<CustomerTicketsArgs>>;
};

export type CustomerMatchResolvers<ContextType = ZendeskContext, ParentType extends ResolversParentTypes['CustomerMatch'] = ResolversParentTypes['CustomerMatch']> = {
  email?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  externalId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export interface FieldSetScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['FieldSet'], any> {
  name: 'FieldSet';
}

export type MutationResolvers<ContextType = ZendeskContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  addTicketComment?: Resolver<ResolversTypes['ActionPayload'], ParentType, ContextType, RequireFields<MutationAddTicketCommentArgs, 'input'>>;
  updateTicket?: Resolver<ResolversTypes['ActionPayload'], ParentType, ContextType, RequireFields<MutationUpdateTicketArgs, 'input'>>;
};

export type OrganizationResolvers<ContextType = ZendeskContext, ParentType extends ResolversParentTypes['Organization'] = ResolversParentTypes['Organization'], FederationReferenceType extends FederationReferenceTypes['Organization'] = FederationReferenceTypes['Organization']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Organization']> | FederationReferenceType, FederationReferenceType, ContextType>;
  domainNames?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  externalId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type PageInfoResolvers<ContextType = ZendeskContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type QueryResolvers<ContextType = ZendeskContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  ticket?: Resolver<Maybe<ResolversTypes['Ticket']>, ParentType, ContextType, RequireFields<QueryTicketArgs, 'id'>>;
  tickets?: Resolver<Maybe<ResolversTypes['TicketConnection']>, ParentType, ContextType, Partial<QueryTicketsArgs>>;
};

export type SubscriptionResolvers<ContextType = ZendeskContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = {
  ticketChanged?: SubscriptionResolver<ResolversTypes['TicketChange'], "ticketChanged", ParentType, ContextType, RequireFields<SubscriptionTicketChangedArgs, 'id'>>;
};

export type SupportUserResolvers<ContextType = ZendeskContext, ParentType extends ResolversParentTypes['SupportUser'] = ResolversParentTypes['SupportUser'], FederationReferenceType extends FederationReferenceTypes['SupportUser'] = FederationReferenceTypes['SupportUser']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['SupportUser']> | FederationReferenceType, FederationReferenceType, ContextType>;
  email?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  externalId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  organization?: Resolver<Maybe<ResolversTypes['Organization']>, ParentType, ContextType>;
  role?: Resolver<ResolversTypes['SupportUserRole'], ParentType, ContextType>;
};

export type TicketResolvers<ContextType = ZendeskContext, ParentType extends ResolversParentTypes['Ticket'] = ResolversParentTypes['Ticket'], FederationReferenceType extends FederationReferenceTypes['Ticket'] = FederationReferenceTypes['Ticket']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Ticket']> | FederationReferenceType, FederationReferenceType, ContextType>;
  assignee?: Resolver<Maybe<ResolversTypes['SupportUser']>, ParentType, ContextType>;
  comments?: Resolver<Maybe<ResolversTypes['TicketCommentConnection']>, ParentType, ContextType, Partial<TicketCommentsArgs>>;
  createdAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  customerMatch?: Resolver<ResolversTypes['CustomerMatch'], ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  organization?: Resolver<Maybe<ResolversTypes['Organization']>, ParentType, ContextType>;
  priority?: Resolver<Maybe<ResolversTypes['TicketPriority']>, ParentType, ContextType>;
  requester?: Resolver<Maybe<ResolversTypes['SupportUser']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['TicketStatus'], ParentType, ContextType>;
  subject?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  tags?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  type?: Resolver<Maybe<ResolversTypes['TicketType']>, ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  zendeskSla?: Resolver<Maybe<ResolversTypes['ZendeskSla']>, ParentType, ContextType>;
};

export type TicketChangeResolvers<ContextType = ZendeskContext, ParentType extends ResolversParentTypes['TicketChange'] = ResolversParentTypes['TicketChange']> = {
  at?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  changedFields?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['ChangeKind'], ParentType, ContextType>;
  source?: Resolver<ResolversTypes['ChangeSource'], ParentType, ContextType>;
  ticket?: Resolver<Maybe<ResolversTypes['Ticket']>, ParentType, ContextType>;
};

export type TicketCommentResolvers<ContextType = ZendeskContext, ParentType extends ResolversParentTypes['TicketComment'] = ResolversParentTypes['TicketComment']> = {
  author?: Resolver<Maybe<ResolversTypes['SupportUser']>, ParentType, ContextType>;
  body?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  public?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type TicketCommentConnectionResolvers<ContextType = ZendeskContext, ParentType extends ResolversParentTypes['TicketCommentConnection'] = ResolversParentTypes['TicketCommentConnection']> = {
  edges?: Resolver<Array<ResolversTypes['TicketCommentEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type TicketCommentEdgeResolvers<ContextType = ZendeskContext, ParentType extends ResolversParentTypes['TicketCommentEdge'] = ResolversParentTypes['TicketCommentEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['TicketComment'], ParentType, ContextType>;
};

export type TicketConnectionResolvers<ContextType = ZendeskContext, ParentType extends ResolversParentTypes['TicketConnection'] = ResolversParentTypes['TicketConnection']> = {
  edges?: Resolver<Array<ResolversTypes['TicketEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type TicketEdgeResolvers<ContextType = ZendeskContext, ParentType extends ResolversParentTypes['TicketEdge'] = ResolversParentTypes['TicketEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Ticket'], ParentType, ContextType>;
};

export type UserErrorResolvers<ContextType = ZendeskContext, ParentType extends ResolversParentTypes['UserError'] = ResolversParentTypes['UserError']> = {
  code?: Resolver<ResolversTypes['ActionErrorCode'], ParentType, ContextType>;
  field?: Resolver<Maybe<Array<ResolversTypes['String']>>, ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type ZendeskSlaResolvers<ContextType = ZendeskContext, ParentType extends ResolversParentTypes['ZendeskSla'] = ResolversParentTypes['ZendeskSla']> = {
  breached?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  firstResponseDueAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  metrics?: Resolver<Array<ResolversTypes['ZendeskSlaMetric']>, ParentType, ContextType>;
  policy?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  resolutionDueAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type ZendeskSlaMetricResolvers<ContextType = ZendeskContext, ParentType extends ResolversParentTypes['ZendeskSlaMetric'] = ResolversParentTypes['ZendeskSlaMetric']> = {
  breachAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  metric?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  stage?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export interface _AnyScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['_Any'], any> {
  name: '_Any';
}

export interface Link__ImportScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['link__Import'], any> {
  name: 'link__Import';
}

export type Resolvers<ContextType = ZendeskContext> = {
  Action?: ActionResolvers<ContextType>;
  ActionPayload?: ActionPayloadResolvers<ContextType>;
  Customer?: CustomerResolvers<ContextType>;
  CustomerMatch?: CustomerMatchResolvers<ContextType>;
  FieldSet?: GraphQLScalarType;
  Mutation?: MutationResolvers<ContextType>;
  Organization?: OrganizationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  SupportUser?: SupportUserResolvers<ContextType>;
  Ticket?: TicketResolvers<ContextType>;
  TicketChange?: TicketChangeResolvers<ContextType>;
  TicketComment?: TicketCommentResolvers<ContextType>;
  TicketCommentConnection?: TicketCommentConnectionResolvers<ContextType>;
  TicketCommentEdge?: TicketCommentEdgeResolvers<ContextType>;
  TicketConnection?: TicketConnectionResolvers<ContextType>;
  TicketEdge?: TicketEdgeResolvers<ContextType>;
  UserError?: UserErrorResolvers<ContextType>;
  ZendeskSla?: ZendeskSlaResolvers<ContextType>;
  ZendeskSlaMetric?: ZendeskSlaMetricResolvers<ContextType>;
  _Any?: GraphQLScalarType;
  link__Import?: GraphQLScalarType;
};

export type DirectiveResolvers<ContextType = ZendeskContext> = {
  cost?: CostDirectiveResolver<any, any, ContextType>;
  inaccessible?: InaccessibleDirectiveResolver<any, any, ContextType>;
  link?: LinkDirectiveResolver<any, any, ContextType>;
  shareable?: ShareableDirectiveResolver<any, any, ContextType>;
};
