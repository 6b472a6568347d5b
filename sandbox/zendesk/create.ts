/**
 * `POST /api/v2/tickets.json` with `{"ticket": {"subject", "comment": {"body"}, "requester_id" |
 * "requester": {"email"}, "priority", "status", "type", "tags", "external_id", "assignee_id"}}`:
 * 201 `{"ticket": {...}, "audit": {...}}` with one `Create` audit event per field set.
 *
 * Simplifications: the requester must already be a user of the account (found by id or email; real
 * Zendesk would create an end-user for an unknown email), the ticket's group is the assignee's
 * default group, and a missing subject is taken from the comment's first line.
 */
import type { SandboxReply } from '../kit/emulator';
import { badRequest, recordInvalid, type ValidationDetails } from './errors';
import {
  commentBodyOf,
  htmlBodyOf,
  isRecord,
  newTicketConstants,
  isoSeconds,
  isTicketPriority,
  isTicketStatus,
  isTicketType,
  viaOf,
  type AuditEvent,
  type AuditRecord,
  type CommentRecord,
  type TicketRecord,
} from './records';
import { BRAND_ID, TICKET_FORM_ID } from './seed';
import type { ZendeskAccount } from './store';

/** The created ticket and its audit, or Zendesk's refusal. */
export type CreateOutcome = { ok: true; ticket: TicketRecord; audit: AuditRecord } | { ok: false; reply: SandboxReply };

/** The fields the request names, or the 422 details of what is wrong with them. */
function readInput(
  account: ZendeskAccount,
  input: Record<string, unknown>,
  actorId: number,
): { ok: true; fields: Partial<TicketRecord>; comment: { body: string; public: boolean } } | { ok: false; details: ValidationDetails } {
  const details: ValidationDetails = {};
  const fail = (field: string, description: string, error = 'InvalidValue'): void => {
    (details[field] ??= []).push({ description, error });
  };
  const fields: Partial<TicketRecord> = {};
  const c = input.comment;
  const body = commentBodyOf(c);
  if (body === undefined || body.trim() === '') fail('description', 'Description: cannot be blank', 'BlankValue');
  if ('subject' in input && typeof input.subject !== 'string') fail('subject', 'Subject: must be a string');
  if ('status' in input && !isTicketStatus(input.status)) fail('status', `Status: ${JSON.stringify(input.status)} is not valid`);
  if ('priority' in input && input.priority !== null && !isTicketPriority(input.priority))
    fail('priority', `Priority: ${JSON.stringify(input.priority)} is not valid`);
  if ('type' in input && input.type !== null && !isTicketType(input.type)) fail('type', `Type: ${JSON.stringify(input.type)} is not valid`);
  if ('tags' in input && !(Array.isArray(input.tags) && input.tags.every((t) => typeof t === 'string'))) fail('tags', 'Tags: must be an array of strings');
  if ('external_id' in input && input.external_id !== null && typeof input.external_id !== 'string') fail('external_id', 'External id: must be a string');

  const requester =
    typeof input.requester_id === 'number'
      ? account.users.get(input.requester_id)
      : isRecord(input.requester) && typeof input.requester.email === 'string'
        ? account.userByEmail(input.requester.email)
        : 'requester_id' in input || 'requester' in input
          ? undefined
          : account.users.get(actorId);
  if (!requester) fail('requester', 'Requester: is not a user of this account');
  const assignee = typeof input.assignee_id === 'number' ? account.users.get(input.assignee_id) : undefined;
  if ('assignee_id' in input && input.assignee_id !== null && (!assignee || assignee.role === 'end-user'))
    fail('assignee', 'Assignee: is not an agent of this account');
  if (Object.keys(details).length > 0) return { ok: false, details };

  const firstLine = body!.trim().split('\n')[0]!.slice(0, 80);
  fields.subject = typeof input.subject === 'string' && input.subject.trim() !== '' ? input.subject : firstLine;
  fields.description = body!;
  fields.requester_id = requester!.id;
  fields.organization_id = requester!.organization_id;
  fields.assignee_id = assignee?.id ?? null;
  fields.group_id = assignee?.default_group_id ?? null;
  fields.status = isTicketStatus(input.status) ? input.status : assignee ? 'open' : 'new';
  fields.priority = isTicketPriority(input.priority) ? input.priority : null;
  fields.type = isTicketType(input.type) ? input.type : null;
  fields.tags = Array.isArray(input.tags) ? [...new Set((input.tags as string[]).map((t) => t.trim().toLowerCase().replace(/\s+/g, '_')).filter(Boolean))] : [];
  fields.external_id = typeof input.external_id === 'string' ? input.external_id : null;
  return { ok: true, fields, comment: { body: body!, public: !(isRecord(c) && c.public === false) } };
}

/** Creates a ticket in `account` on behalf of `actorId`. @param rawBody the request body as received. */
export function createTicket(account: ZendeskAccount, rawBody: Buffer, actorId: number, now = Date.now()): CreateOutcome {
  let parsed: unknown;
  try {
    parsed = rawBody.length ? JSON.parse(rawBody.toString('utf8')) : undefined;
  } catch {
    return { ok: false, reply: badRequest('InvalidJSON', 'The request body is not valid JSON') };
  }
  if (!isRecord(parsed) || !isRecord(parsed.ticket)) return { ok: false, reply: badRequest('ParameterMissing', 'ticket parameter is missing') };
  const read = readInput(account, parsed.ticket, actorId);
  if (!read.ok) return { ok: false, reply: recordInvalid(read.details) };
  const f = read.fields;
  const at = isoSeconds(now);
  const via = viaOf('api');
  const id = Math.max(0, ...account.tickets.keys()) + 1;
  const auditId = account.nextAuditId();
  const ticket: TicketRecord = {
    id,
    external_id: f.external_id ?? null,
    type: f.type ?? null,
    subject: f.subject ?? '',
    raw_subject: f.subject ?? '',
    description: f.description ?? '',
    priority: f.priority ?? null,
    status: f.status ?? 'new',
    recipient: account.supportAddress,
    requester_id: f.requester_id!,
    submitter_id: actorId,
    assignee_id: f.assignee_id ?? null,
    organization_id: f.organization_id ?? null,
    group_id: f.group_id ?? null,
    collaborator_ids: [],
    follower_ids: [],
    email_cc_ids: [],
    forum_topic_id: null,
    problem_id: null,
    has_incidents: false,
    is_public: read.comment.public,
    due_at: null,
    tags: f.tags ?? [],
    custom_fields: [],
    ...newTicketConstants(BRAND_ID, TICKET_FORM_ID),
    via,
    created_at: at,
    updated_at: at,
  };
  const comment: CommentRecord = {
    id: account.nextCommentId(),
    type: 'Comment',
    author_id: actorId,
    body: ticket.description,
    html_body: htmlBodyOf(ticket.description),
    plain_body: ticket.description,
    public: ticket.is_public,
    attachments: [],
    audit_id: auditId,
    via,
    created_at: at,
    metadata: { system: {}, custom: {} },
  };
  account.addTicket(ticket, [comment]);
  const { audit_id: _a, created_at: _c, metadata: _m, ...commentEvent } = comment;
  const events: AuditEvent[] = [commentEvent];
  for (const field of ['subject', 'status', 'priority', 'type', 'requester_id', 'assignee_id', 'group_id', 'organization_id', 'tags'] as const) {
    const value = ticket[field];
    if (value !== null && !(Array.isArray(value) && value.length === 0)) events.push({ id: account.nextEventId(), type: 'Create', field_name: field, value });
  }
  return { ok: true, ticket, audit: { id: auditId, ticket_id: id, created_at: at, author_id: actorId, metadata: { system: {}, custom: {} }, via, events } };
}
