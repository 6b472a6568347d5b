/**
 * The GraphQL face of the ERP actions: mutations through the shared pipeline (actions/pipeline.ts),
 * the action log as queries, and the `Action` entity. The tenant comes from the identity alone, so one
 * tenant's actions are never found through another's token.
 */
import { GraphQLError } from 'graphql';
import { approveAction, rejectAction, requestAction, resumeAction, type ActionPayload, type ActionSpec, type PipelineContext } from '../../actions/pipeline';
import type { ActionFilter, ActionRecord, ActionStatus, ActionStore } from '../../actions/types';
import { ErrorCode, isUpstreamOutage } from '../kit/errors';
import { MAX_PAGE_SIZE } from '../kit/pagination';
import type { ActionKindName } from '../../tenancy/registry';
import type { OdooActionDeps } from './actions';
import { ODOO_ACTIONS, addOrderNoteSpec, cancelOrderSpec, createReplacementOrderSpec, issueCreditNoteSpec, requestReturnSpec } from './actions';
import type { OdooContext } from './resolvers';

/** GraphQL `ActionKind` ↔ the log's kind names. */
const KIND_ENUM = {
  requestReturn: 'REQUEST_RETURN',
  issueCreditNote: 'ISSUE_CREDIT_NOTE',
  createReplacementOrder: 'CREATE_REPLACEMENT_ORDER',
  cancelOrder: 'CANCEL_ORDER',
  addOrderNote: 'ADD_ORDER_NOTE',
  updateTicket: 'UPDATE_TICKET',
  addTicketComment: 'ADD_TICKET_COMMENT',
} as const satisfies Record<ActionKindName, string>;
const KIND_NAME: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(KIND_ENUM).map(([k, v]) => [v, k]));
const isKind = (k: string): k is ActionKindName => Object.hasOwn(KIND_ENUM, k);

/** Who reads every action of the tenant (the requester reads their own). */
const LOG_READERS = ['supervisor', 'finance', 'admin'] as const;

/** The action log and the pipeline's context for this request. */
function pipeline(ctx: OdooContext): PipelineContext<OdooActionDeps> & { store: ActionStore } {
  const actions = ctx.actions;
  if (!actions) throw new GraphQLError('The action log is not configured for this subgraph', { extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } });
  return { tenant: ctx.tenant, identity: ctx.identity, store: actions.store, log: ctx.log, deps: actions.deps, isTransient: isUpstreamOutage };
}

const run =
  <I>(spec: ActionSpec<I, OdooActionDeps>) =>
  (_: unknown, args: { input: unknown }, ctx: OdooContext): Promise<ActionPayload> =>
    requestAction(spec, pipeline(ctx), args.input);

const readsAll = (ctx: OdooContext): boolean => ctx.identity.roles.some((r) => (LOG_READERS as readonly string[]).includes(r));

/** An opaque cursor of one action: the log's own (createdAt, id) order. */
const cursorOf = (a: ActionRecord): string => Buffer.from(JSON.stringify([a.createdAt, a.id]), 'utf8').toString('base64url');

async function connection(ctx: OdooContext, filter: ActionFilter, first: number | null | undefined, after: string | null | undefined) {
  const size = first ?? 20;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
    throw new GraphQLError(`first must be between 0 and ${MAX_PAGE_SIZE}`, { extensions: { code: ErrorCode.BAD_USER_INPUT, argumentName: 'first' } });
  }
  let page;
  try {
    page = await pipeline(ctx).store.list(ctx.tenant.id, filter, { first: size, after: after ?? undefined });
  } catch (err) {
    if (err instanceof Error && err.name === 'InvalidCursorError')
      throw new GraphQLError('after is not a cursor of this list', { extensions: { code: ErrorCode.BAD_USER_INPUT, argumentName: 'after' } });
    throw err;
  }
  const edges = page.items.map((node) => ({ cursor: cursorOf(node), node }));
  return {
    edges,
    totalCount: page.totalCount,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: Boolean(after),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

interface FilterArg {
  status?: ActionStatus[] | null;
  kind?: string[] | null;
  ticketId?: string | null;
  customerId?: string | null;
  requester?: string | null;
}

function toFilter(arg: FilterArg | null | undefined): ActionFilter {
  const f: ActionFilter = {};
  if (arg?.status?.length) f.status = arg.status;
  if (arg?.kind?.length) f.kind = arg.kind.map((k) => KIND_NAME[k] ?? k);
  if (arg?.ticketId) f.ticketId = arg.ticketId;
  if (arg?.customerId) f.customerId = arg.customerId;
  if (arg?.requester) f.requester = arg.requester;
  return f;
}

export const actionResolvers = {
  Mutation: {
    requestReturn: run(requestReturnSpec),
    issueCreditNote: run(issueCreditNoteSpec),
    createReplacementOrder: run(createReplacementOrderSpec),
    cancelOrder: run(cancelOrderSpec),
    addOrderNote: run(addOrderNoteSpec),
    approveAction: (_: unknown, args: { id: string }, ctx: OdooContext) => approveAction(ODOO_ACTIONS, pipeline(ctx), args.id),
    rejectAction: (_: unknown, args: { id: string; reason: string }, ctx: OdooContext) => rejectAction(pipeline(ctx), args.id, args.reason),
    retryAction: async (_: unknown, args: { id: string }, ctx: OdooContext): Promise<ActionPayload> => {
      const p = pipeline(ctx);
      const refuse = async (code: 'FORBIDDEN' | 'NOT_FOUND', message: string): Promise<ActionPayload> => {
        await p.store.audit({
          tenant: ctx.tenant.id,
          actionId: null,
          kind: 'unknown',
          actor: ctx.identity.subject,
          event: 'retried',
          outcome: code.toLowerCase(),
          detail: { id: args.id },
        });
        return { action: null, replayed: false, userErrors: [{ code, message, field: code === 'NOT_FOUND' ? ['id'] : null }] };
      };
      if (!ctx.identity.roles.includes('admin')) return refuse('FORBIDDEN', 'Only an admin may retry an action');
      const action = await p.store.get(ctx.tenant.id, args.id);
      if (!action) return refuse('NOT_FOUND', 'No such action');
      return resumeAction(ODOO_ACTIONS, p, action, ['DEAD']);
    },
  },

  Query: {
    action: async (_: unknown, args: { id: string }, ctx: OdooContext) => {
      const action = await pipeline(ctx).store.get(ctx.tenant.id, args.id);
      return action && (readsAll(ctx) || action.requester === ctx.identity.subject) ? action : null;
    },
    actions: (_: unknown, args: { filter?: FilterArg | null; first?: number | null; after?: string | null }, ctx: OdooContext) =>
      connection(ctx, toFilter(args.filter), args.first, args.after),
    pendingApprovals: (_: unknown, args: { first?: number | null; after?: string | null }, ctx: OdooContext) =>
      connection(ctx, { status: ['PENDING_APPROVAL'] }, args.first, args.after),
  },

  Action: {
    __resolveReference: async (ref: { id?: unknown }, ctx: OdooContext) => {
      if (typeof ref.id !== 'string') return null;
      const action = await pipeline(ctx).store.get(ctx.tenant.id, ref.id);
      return action && (readsAll(ctx) || action.requester === ctx.identity.subject) ? action : null;
    },
    kind: (a: ActionRecord) => {
      if (!isKind(a.kind)) throw new Error(`action ${a.id} has an unknown kind ${a.kind}`);
      return KIND_ENUM[a.kind];
    },
    amount: (a: ActionRecord) => (a.amount === null ? null : { amount: a.amount, currencyCode: a.currency ?? 'XXX' }),
    records: (a: ActionRecord) => a.erpRecords.map((r) => ({ ...r, id: String(r.id), name: r.name ?? null })),
    audit: async (a: ActionRecord, _: unknown, ctx: OdooContext) => pipeline(ctx).store.auditTrail(ctx.tenant.id, { actionId: a.id, limit: 100 }),
  },
};
