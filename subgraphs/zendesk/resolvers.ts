/**
 * Resolvers of the Zendesk subgraph. They know nothing of HTTP: every read goes through the
 * request's loaders (context.loaders), and every id from a client is validated here.
 */
import { requestAction, type ActionPayload, type ActionSpec } from '../../actions/pipeline';
import type { ActionStore } from '../../actions/types';
import type { BaseContext } from '../kit/context';
import { addTicketCommentSpec, updateTicketSpec, type ZendeskActionDeps } from './actions';
import type { Resolvers } from './generated/resolvers-types';
import { GraphQLError } from 'graphql';
import { badUserInput, ErrorCode, isUpstreamOutage } from '../kit/errors';
import { pageWindow, toConnection, type PageArgs } from '../kit/pagination';
import type { CustomerRef, ZendeskLoaders } from './loaders';
import { policyTitleOf, slaView, type ZendeskSlaView } from './sla';
import type { CommentModel, OrganizationModel, SupportUserModel, TicketModel, TicketStatus } from './mappers';

export interface ZendeskContext extends BaseContext {
  readonly loaders: ZendeskLoaders;
  /** The action log and what the ticket actions need; absent where no log is configured. */
  readonly actions?: { store: ActionStore; deps: ZendeskActionDeps } | undefined;
}

/** A Customer as this subgraph hands it to the gateway (a reference by ERP id) or receives it (with its email, `@requires`). */
export interface CustomerReference {
  __typename: 'Customer';
  id: string;
  email?: string | null;
}

/** What links a ticket's requester to a customer. */
export interface CustomerMatch {
  externalId: string | null;
  email: string | null;
}

/**
 * The tenant's matching rules applied to a ticket: the organization's external id (the organization
 * is the commercial partner), else the requester's; the requester's email where `email` is a rule.
 */
async function customerMatchOf(t: TicketModel, ctx: ZendeskContext): Promise<CustomerMatch> {
  const [requester, organization] = await Promise.all([
    t.requesterId === null ? null : ctx.loaders.user.load(t.requesterId),
    t.organizationId === null ? null : ctx.loaders.organization.load(t.organizationId),
  ]);
  const rules = ctx.tenant.matching.zendesk;
  return {
    externalId: rules.includes('external_id') ? (organization?.externalId ?? requester?.externalId ?? null) : null,
    email: rules.includes('email') ? (requester?.email ?? null) : null,
  };
}

const ZENDESK_ID = /^[1-9][0-9]{0,15}$/;

/** A Zendesk id from a client argument; BAD_USER_INPUT when it is not one. */
function zendeskId(value: unknown, argumentName: string): number {
  const s = typeof value === 'number' ? String(value) : value;
  if (typeof s !== 'string' || !ZENDESK_ID.test(s)) throw badUserInput(`${argumentName} must be a Zendesk id (a positive integer)`, argumentName);
  return Number(s);
}

/** A Zendesk id from an entity representation; null (an unknown entity) when it is not one. */
function referenceId(value: unknown): number | null {
  const s = typeof value === 'number' ? String(value) : value;
  return typeof s === 'string' && ZENDESK_ID.test(s) ? Number(s) : null;
}

interface ListArgs extends PageArgs {
  status?: TicketStatus | null;
}

/** A ticket action through the shared pipeline. */
const runAction =
  <I>(spec: ActionSpec<I, ZendeskActionDeps>) =>
  (_: unknown, args: { input: unknown }, ctx: ZendeskContext): Promise<ActionPayload> => {
    if (!ctx.actions) throw new GraphQLError('The action log is not configured for this subgraph', { extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } });
    return requestAction(
      spec,
      { tenant: ctx.tenant, identity: ctx.identity, store: ctx.actions.store, log: ctx.log, deps: ctx.actions.deps, isTransient: isUpstreamOutage },
      args.input,
    );
  };

export const zendeskResolvers = {
  Mutation: {
    updateTicket: runAction(updateTicketSpec),
    addTicketComment: runAction(addTicketCommentSpec),
  },

  Query: {
    async ticket(_root: unknown, args: { id: string }, ctx: ZendeskContext) {
      return ctx.loaders.ticket.load(zendeskId(args.id, 'id'));
    },
    async tickets(_root: unknown, args: ListArgs, ctx: ZendeskContext) {
      const window = pageWindow('tickets', args);
      const { rows, total } = await ctx.loaders.tickets(window, args.status);
      return toConnection('tickets', window, rows, total);
    },
  },

  Ticket: {
    async __resolveReference(ref: { id?: unknown }, ctx: ZendeskContext) {
      const id = referenceId(ref.id);
      return id === null ? null : ctx.loaders.ticket.load(id);
    },
    id: (t: TicketModel) => String(t.id),
    requester: (t: TicketModel, _a: unknown, ctx: ZendeskContext) => (t.requesterId === null ? null : ctx.loaders.user.load(t.requesterId)),
    assignee: (t: TicketModel, _a: unknown, ctx: ZendeskContext) => (t.assigneeId === null ? null : ctx.loaders.user.load(t.assigneeId)),
    organization: (t: TicketModel, _a: unknown, ctx: ZendeskContext) => (t.organizationId === null ? null : ctx.loaders.organization.load(t.organizationId)),
    async comments(t: TicketModel, args: PageArgs, ctx: ZendeskContext) {
      const prefix = `comments-${t.id}`;
      const window = pageWindow(prefix, args);
      const slice = await ctx.loaders.comments(t.id, window);
      return toConnection(prefix, window, slice?.rows ?? [], slice?.total ?? 0);
    },
    customerMatch: (t: TicketModel, _a: unknown, ctx: ZendeskContext) => customerMatchOf(t, ctx),
    async zendeskSla(t: TicketModel, _a: unknown, ctx: ZendeskContext): Promise<ZendeskSlaView | null> {
      // Tickets read by id or listed carry the sideload already; search results are read again, batched.
      const sla = t.sla === undefined ? await ctx.loaders.ticketSla.load(t.id) : t.sla;
      return sla === null ? null : slaView(t, sla);
    },
  },

  ZendeskSla: {
    async policy(s: ZendeskSlaView, _a: unknown, ctx: ZendeskContext) {
      try {
        return policyTitleOf(s.ticket, s.metrics, await ctx.loaders.slaPolicies());
      } catch (err) {
        // The policy name is a label: without it the SLA's dates still stand.
        ctx.log.warn({ upstream: 'zendesk', code: err instanceof Error ? err.name : 'unknown' }, 'zendesk SLA policies unreadable');
        return null;
      }
    },
  },

  SupportUser: {
    async __resolveReference(ref: { id?: unknown }, ctx: ZendeskContext) {
      const id = referenceId(ref.id);
      return id === null ? null : ctx.loaders.user.load(id);
    },
    id: (u: SupportUserModel) => String(u.id),
    organization: (u: SupportUserModel, _a: unknown, ctx: ZendeskContext) =>
      u.organizationId === null ? null : ctx.loaders.organization.load(u.organizationId),
  },

  Organization: {
    async __resolveReference(ref: { id?: unknown }, ctx: ZendeskContext) {
      const id = referenceId(ref.id);
      return id === null ? null : ctx.loaders.organization.load(id);
    },
    id: (o: OrganizationModel) => String(o.id),
  },

  TicketComment: {
    id: (c: CommentModel) => String(c.id),
    author: (c: CommentModel, _a: unknown, ctx: ZendeskContext) => (c.authorId === null ? null : ctx.loaders.user.load(c.authorId)),
  },

  Customer: {
    __resolveReference(ref: { id?: unknown; matchEmail?: unknown }): CustomerReference | null {
      const id = typeof ref.id === 'string' || typeof ref.id === 'number' ? String(ref.id) : null;
      return id === null ? null : { __typename: 'Customer', id, email: typeof ref.matchEmail === 'string' ? ref.matchEmail : null };
    },
    async tickets(c: CustomerReference, args: ListArgs, ctx: ZendeskContext) {
      const ref: CustomerRef = { id: c.id, email: c.email ?? null };
      const prefix = 'customerTickets';
      const window = pageWindow(prefix, args);
      const { rows, total } = await ctx.loaders.customerTickets(ref, window, args.status);
      return toConnection(prefix, window, rows, total);
    },
  },
} satisfies Resolvers;
