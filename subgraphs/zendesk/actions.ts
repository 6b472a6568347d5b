/**
 * The support-desk actions of the Zendesk subgraph, on the shared pipeline (actions/pipeline.ts):
 * a ticket's status, priority, tags and assignee, and a public reply or internal note. Setting fields
 * is idempotent by nature; a comment carries the action's marker, so a retry after a lost answer finds
 * it among the ticket's comments instead of posting it twice.
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import { invalidateEntities, type EntityCache } from '../../cache';
import { ActionRefusal, markerOf, userError, type ActionSpec, type ActionUserError } from '../../actions/pipeline';
import type { Identity } from '../../tenancy/identity';
import type { TenantConfig } from '../../tenancy/registry';
import { ZendeskRefusal, type TicketChanges, type ZendeskClient } from './client';
import { ZENDESK_CACHE_TYPES } from './loaders';

export interface ZendeskActionDeps {
  client: ZendeskClient;
  tenant: TenantConfig;
  identity: Identity;
  cache: EntityCache | undefined;
  log: Logger;
}

const Key = z.string().trim().min(1, 'must not be empty').max(100, 'at most 100 characters');
const TicketId = z.string().regex(/^[1-9][0-9]{0,14}$/, 'is not a ticket id');
const STATUS = { NEW: 'new', OPEN: 'open', PENDING: 'pending', HOLD: 'hold', SOLVED: 'solved', CLOSED: 'closed' } as const;
const PRIORITY = { URGENT: 'urgent', HIGH: 'high', NORMAL: 'normal', LOW: 'low' } as const;

const UpdateTicket = z
  .object({
    idempotencyKey: Key,
    ticketId: TicketId,
    status: z.enum(Object.keys(STATUS) as [keyof typeof STATUS]).nullish(),
    priority: z.enum(Object.keys(PRIORITY) as [keyof typeof PRIORITY]).nullish(),
    tags: z
      .array(
        z
          .string()
          .trim()
          .regex(/^[^\s,]{1,80}$/, 'a tag is one word without commas'),
      )
      .max(50)
      .nullish(),
    assigneeId: z
      .string()
      .regex(/^[1-9][0-9]{0,14}$/, 'is not a user id')
      .nullish(),
  })
  .strict()
  .refine((v) => v.status != null || v.priority != null || v.tags != null || v.assigneeId != null, {
    message: 'changes nothing: give a status, priority, tags or assignee',
    path: ['status'],
  });
const AddTicketComment = z
  .object({ idempotencyKey: Key, ticketId: TicketId, body: z.string().trim().min(1, 'must not be empty').max(20_000), public: z.boolean() })
  .strict();

function parser<S extends z.ZodType<{ idempotencyKey: string; ticketId: string }>>(schema: S) {
  return (input: unknown) => {
    const parsed = schema.safeParse(input);
    if (!parsed.success) {
      return {
        ok: false as const,
        errors: parsed.error.issues.map((i): ActionUserError => userError('INVALID_INPUT', `${i.path.join('.') || 'input'} ${i.message}`, i.path.map(String))),
      };
    }
    const { idempotencyKey, ...value } = parsed.data;
    return { ok: true as const, value: value as Omit<z.infer<S>, 'idempotencyKey'>, idempotencyKey, ticketId: parsed.data.ticketId };
  };
}

/** Zendesk's refusal of a value as a user error with its own description. */
async function zendesk<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ZendeskRefusal) throw new ActionRefusal(userError('ERP_REFUSED', err.description));
    throw err;
  }
}

async function requireTicket(client: ZendeskClient, ticketId: string): Promise<void> {
  const { tickets } = await client.ticketsByIds([Number(ticketId)], { include: false });
  if (!tickets.length) throw new ActionRefusal(userError('NOT_FOUND', 'No such ticket', ['ticketId']));
}

const forgetTicket = async (deps: ZendeskActionDeps, ticketId: string): Promise<void> => {
  if (deps.cache) await invalidateEntities(deps.cache, deps.tenant.id, [{ type: ZENDESK_CACHE_TYPES.ticket, id: Number(ticketId) }]);
};

type UpdateInput = Omit<z.infer<typeof UpdateTicket>, 'idempotencyKey'>;
type CommentInput = Omit<z.infer<typeof AddTicketComment>, 'idempotencyKey'>;

export const updateTicketSpec: ActionSpec<UpdateInput, ZendeskActionDeps> = {
  kind: 'updateTicket',
  defaultRoles: ['agent', 'supervisor'],
  parse: parser(UpdateTicket),
  async prepare({ client }, input) {
    await requireTicket(client, input.ticketId);
    return {};
  },
  async execute({ client }, input) {
    const changes: TicketChanges = {};
    if (input.status) changes.status = STATUS[input.status];
    if (input.priority) changes.priority = PRIORITY[input.priority];
    if (input.tags) changes.tags = input.tags;
    if (input.assigneeId) changes.assignee_id = Number(input.assigneeId);
    const ticket = await zendesk(() => client.updateTicket(Number(input.ticketId), changes));
    if (!ticket) throw new ActionRefusal(userError('NOT_FOUND', 'No such ticket', ['ticketId']));
    return { records: [{ system: 'zendesk', model: 'ticket', id: ticket.id, name: ticket.subject ?? null }] };
  },
  after: (deps, input) => forgetTicket(deps, input.ticketId),
};

export const addTicketCommentSpec: ActionSpec<CommentInput, ZendeskActionDeps> = {
  kind: 'addTicketComment',
  defaultRoles: ['agent', 'supervisor'],
  parse: parser(AddTicketComment),
  async prepare({ client }, input) {
    await requireTicket(client, input.ticketId);
    return {};
  },
  async execute({ client }, input, action) {
    const marker = markerOf(action);
    const ticketId = Number(input.ticketId);
    // A comment an earlier attempt posted carries the marker: find it instead of posting again.
    for (let page = 1; page <= 10; page++) {
      const comments = await client.ticketComments(ticketId, { page, perPage: 100 });
      if (!comments) throw new ActionRefusal(userError('NOT_FOUND', 'No such ticket', ['ticketId']));
      if (comments.items.some((c) => (c.body ?? c.plain_body ?? '').includes(marker)))
        return { records: [{ system: 'zendesk', model: 'ticket', id: ticketId }] };
      if (page * 100 >= comments.count) break;
    }
    const body = `${input.body}\n\n[${marker}]`;
    await zendesk(() => client.updateTicket(ticketId, { comment: { body, public: input.public } }));
    return { records: [{ system: 'zendesk', model: 'ticket', id: ticketId }] };
  },
  after: (deps, input) => forgetTicket(deps, input.ticketId),
};

export const ZENDESK_ACTIONS = new Map<string, ActionSpec<unknown, ZendeskActionDeps>>(
  [updateTicketSpec, addTicketCommentSpec].map((s) => [s.kind, s as ActionSpec<unknown, ZendeskActionDeps>]),
);
