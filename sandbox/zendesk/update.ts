/**
 * `PUT /api/v2/tickets/{id}.json`: validates `{ticket: {...}}` as Zendesk does (422 RecordInvalid
 * with per-field `details`), applies it, and writes the audit the answer carries.
 */
import type { SandboxReply } from '../kit/emulator';
import { badRequest, recordInvalid, type ValidationDetails } from './errors';
import {
  commentBodyOf,
  htmlBodyOf,
  isRecord,
  isoSeconds,
  isTicketPriority,
  isTicketStatus,
  isTicketType,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  TICKET_TYPES,
  viaOf,
  type AuditEvent,
  type AuditRecord,
  type TicketRecord,
} from './records';
import type { ZendeskAccount } from './store';

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Zendesk stores tags lower-cased, spaces turned into underscores, without duplicates. */
const normalizeTags = (tags: readonly string[]): string[] => [...new Set(tags.map((t) => t.trim().toLowerCase().replace(/\s+/g, '_')).filter(Boolean))];

export type UpdateOutcome = { ok: true; ticket: TicketRecord; audit: AuditRecord } | { ok: false; reply: SandboxReply };

/**
 * Applies an update to a ticket of `account` on behalf of `actorId`. The ticket must exist.
 * @param rawBody the request body as received (not yet parsed).
 */
export function updateTicket(account: ZendeskAccount, ticket: TicketRecord, rawBody: Buffer, actorId: number, now = Date.now()): UpdateOutcome {
  let parsed: unknown;
  try {
    parsed = rawBody.length ? JSON.parse(rawBody.toString('utf8')) : undefined;
  } catch {
    return { ok: false, reply: badRequest('InvalidJSON', 'The request body is not valid JSON') };
  }
  if (!isRecord(parsed) || !isRecord(parsed.ticket)) return { ok: false, reply: badRequest('ParameterMissing', 'ticket parameter is missing') };
  const input = parsed.ticket;

  const details: ValidationDetails = {};
  const fail = (field: string, description: string, error = 'InvalidValue'): void => {
    (details[field] ??= []).push({ description, error });
  };
  if (ticket.status === 'closed') fail('status', 'Status: closed prevents ticket update', 'ClosedPreventsUpdate');

  const changes: Partial<Pick<TicketRecord, 'status' | 'priority' | 'type' | 'subject' | 'assignee_id' | 'external_id' | 'tags'>> = {};
  if ('status' in input) {
    if (isTicketStatus(input.status)) changes.status = input.status;
    else fail('status', `Status: ${JSON.stringify(input.status)} is not one of ${TICKET_STATUSES.join(', ')}`);
  }
  if ('priority' in input) {
    if (input.priority === null || isTicketPriority(input.priority)) changes.priority = input.priority;
    else fail('priority', `Priority: ${JSON.stringify(input.priority)} is not one of ${TICKET_PRIORITIES.join(', ')}`);
  }
  if ('type' in input) {
    if (input.type === null || isTicketType(input.type)) changes.type = input.type;
    else fail('type', `Type: ${JSON.stringify(input.type)} is not one of ${TICKET_TYPES.join(', ')}`);
  }
  if ('subject' in input) {
    if (typeof input.subject === 'string' && input.subject.trim() !== '') changes.subject = input.subject;
    else fail('subject', 'Subject: cannot be blank', 'BlankValue');
  }
  if ('external_id' in input) {
    if (input.external_id === null || typeof input.external_id === 'string') changes.external_id = input.external_id;
    else fail('external_id', 'External id: must be a string');
  }
  if ('assignee_id' in input) {
    const a = input.assignee_id;
    const user = typeof a === 'number' ? account.users.get(a) : undefined;
    if (a === null || (user && user.role !== 'end-user')) changes.assignee_id = a === null ? null : user!.id;
    else fail('assignee', 'Assignee: is not an agent of this account', 'InvalidValue');
  }
  let tags = [...ticket.tags];
  let tagsTouched = false;
  for (const [key, apply] of [
    ['tags', (t: string[]) => (tags = normalizeTags(t))],
    ['additional_tags', (t: string[]) => (tags = normalizeTags([...tags, ...t]))],
    ['remove_tags', (t: string[]) => (tags = tags.filter((x) => !normalizeTags(t).includes(x)))],
  ] as const) {
    if (!(key in input)) continue;
    const v = input[key];
    if (isStringArray(v)) {
      apply(v);
      tagsTouched = true;
    } else if (typeof v === 'string') {
      apply(v.split(/[\s,]+/));
      tagsTouched = true;
    } else fail('tags', `Tags: ${key} must be an array of strings`);
  }
  if (tagsTouched) changes.tags = tags;

  let comment: { body: string; public: boolean } | undefined;
  if ('comment' in input) {
    const c = input.comment;
    const body = commentBodyOf(c);
    if (!isRecord(c) || body === undefined || body.trim() === '') fail('comment', 'Comment: body cannot be blank', 'BlankValue');
    else if ('public' in c && typeof c.public !== 'boolean') fail('comment', 'Comment: public must be true or false');
    else comment = { body, public: c.public !== false };
  }
  if (Object.keys(details).length > 0) return { ok: false, reply: recordInvalid(details) };

  // Solving an unassigned ticket assigns it to the agent who solves it, as Zendesk does.
  if ((changes.status === 'solved' || changes.status === 'closed') && ticket.assignee_id === null && changes.assignee_id === undefined) {
    changes.assignee_id = actorId;
  }

  const at = isoSeconds(now);
  const via = viaOf('api');
  const auditId = account.nextAuditId();
  const events: AuditEvent[] = [];
  if (comment) {
    const record = {
      id: account.nextCommentId(),
      type: 'Comment' as const,
      author_id: actorId,
      body: comment.body,
      html_body: htmlBodyOf(comment.body),
      plain_body: comment.body,
      public: comment.public,
      attachments: [],
      audit_id: auditId,
      via,
      created_at: at,
      metadata: { system: {}, custom: {} },
    };
    account.comments.get(ticket.id)?.push(record);
    const { audit_id: _a, created_at: _c, metadata: _m, ...event } = record;
    events.push(event);
  }
  for (const [field, value] of Object.entries(changes)) {
    const previous: unknown = ticket[field as keyof typeof changes];
    if (JSON.stringify(previous) === JSON.stringify(value)) continue;
    events.push({ id: account.nextEventId(), type: 'Change', field_name: field, value, previous_value: previous });
  }
  Object.assign(ticket, changes);
  if (changes.subject !== undefined) ticket.raw_subject = changes.subject;
  ticket.updated_at = at;
  const audit: AuditRecord = { id: auditId, ticket_id: ticket.id, created_at: at, author_id: actorId, metadata: { system: {}, custom: {} }, via, events };
  return { ok: true, ticket, audit };
}
