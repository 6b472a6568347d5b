/**
 * Ticket changes as Zendesk's event-subscribed webhooks send them: one JSON payload per event, in
 * the event schema shared by all Zendesk webhook events
 * (developer.zendesk.com/api-reference/webhooks/event-types/webhook-event-types/ and
 * .../event-types/ticket-events):
 *
 * ```json
 * {"type": "zen:event-type:ticket.status_changed", "account_id": 12514403,
 *  "id": "<event uuid>", "time": "2025-01-08T10:12:07Z", "zendesk_event_version": "2022-11-06",
 *  "subject": "zen:ticket:5158",
 *  "detail": {"actor_id": "…", "assignee_id": "…", "brand_id": "…", "created_at": "…", "custom_status": null,
 *             "description": "…", "external_id": null, "form_id": "…", "group_id": "…", "id": "5158",
 *             "is_public": true, "organization_id": "…", "priority": "LOW", "requester_id": "…",
 *             "status": "OPEN", "subject": "…", "submitter_id": "…", "tags": ["…"], "type": "TASK",
 *             "updated_at": "…", "via": {"channel": "web_service"}},
 *  "event": {"current": "OPEN", "previous": "NEW", "meta": {"sequence": {"id": "…", "position": 1, "total": 2}}}}
 * ```
 *
 * This is the event-subscription shape, not a trigger body (UPSTREAMS.md 3.4 documents only that
 * event-subscribed webhooks POST JSON; a trigger's body is whatever its author writes). Ids in
 * `detail` are strings, as the docs list them. Unconfirmed details, kept simple: the upper-case
 * enum values (as the docs' examples show them), `event.meta.sequence.total`, the `event` object of
 * `ticket.tags_changed` (`tags_added` / `tags_removed`) and of `ticket.comment_added`, and the name
 * `ticket.type_changed`. A creation sends `ticket.created` only (no separate comment event).
 */
import { randomUUID } from 'node:crypto';
import type { AuditRecord, TicketRecord } from './records';
import type { ZendeskAccount } from './store';
import { isoSeconds } from './records';
import { accountIdOf } from './webhooks';

/** The `zendesk_event_version` of ticket events. */
export const TICKET_EVENT_VERSION = '2022-11-06';

/** The ticket event types the emulator sends (subscribe a webhook to any of them). */
export const TICKET_EVENT_TYPES = [
  'zen:event-type:ticket.created',
  'zen:event-type:ticket.status_changed',
  'zen:event-type:ticket.priority_changed',
  'zen:event-type:ticket.subject_changed',
  'zen:event-type:ticket.type_changed',
  'zen:event-type:ticket.tags_changed',
  'zen:event-type:ticket.agent_assignment_changed',
  'zen:event-type:ticket.external_id_changed',
  'zen:event-type:ticket.comment_added',
] as const;
export type TicketEventType = (typeof TICKET_EVENT_TYPES)[number];

/** A ticket written through the API: what the routes hand the webhook dispatcher. */
export interface TicketChange {
  readonly kind: 'created' | 'updated';
  /** The ticket after the change. */
  readonly ticket: TicketRecord;
  /** The audit of the change (its events say what changed). */
  readonly audit: AuditRecord;
  readonly actorId: number;
}

/** One webhook payload. */
export interface TicketEventPayload {
  type: TicketEventType;
  account_id: number;
  id: string;
  time: string;
  zendesk_event_version: string;
  subject: string;
  detail: Record<string, unknown>;
  event: Record<string, unknown>;
}

const upper = (v: string | null): string | null => (v === null ? null : v.toUpperCase());
const idString = (v: number | null): string | null => (v === null ? null : String(v));

/** The `detail` object: the ticket after the change. */
function detailOf(t: TicketRecord, actorId: number): Record<string, unknown> {
  return {
    actor_id: String(actorId),
    assignee_id: idString(t.assignee_id),
    brand_id: String(t.brand_id),
    created_at: t.created_at,
    custom_status: null,
    description: t.description,
    external_id: t.external_id,
    form_id: String(t.ticket_form_id),
    group_id: idString(t.group_id),
    id: String(t.id),
    is_public: t.is_public,
    organization_id: idString(t.organization_id),
    priority: upper(t.priority),
    requester_id: String(t.requester_id),
    status: upper(t.status),
    subject: t.subject,
    submitter_id: String(t.submitter_id),
    tags: [...t.tags],
    type: upper(t.type),
    updated_at: t.updated_at,
    via: { channel: t.via.channel === 'api' ? 'web_service' : t.via.channel },
  };
}

const CHANGE_TYPES: Record<string, TicketEventType> = {
  status: 'zen:event-type:ticket.status_changed',
  priority: 'zen:event-type:ticket.priority_changed',
  subject: 'zen:event-type:ticket.subject_changed',
  type: 'zen:event-type:ticket.type_changed',
  tags: 'zen:event-type:ticket.tags_changed',
  assignee_id: 'zen:event-type:ticket.agent_assignment_changed',
  external_id: 'zen:event-type:ticket.external_id_changed',
};
const ENUM_FIELDS = new Set(['status', 'priority', 'type']);

/** The type and `event` object of each audit event of an update (comments and field changes). */
function updateEvents(account: ZendeskAccount, audit: AuditRecord): Array<{ type: TicketEventType; event: Record<string, unknown> }> {
  const out: Array<{ type: TicketEventType; event: Record<string, unknown> }> = [];
  for (const e of audit.events) {
    if (e.type === 'Comment') {
      const author = account.users.get(e.author_id);
      out.push({
        type: 'zen:event-type:ticket.comment_added',
        event: {
          comment: {
            id: String(e.id),
            body: e.body,
            is_public: e.public,
            author: { id: String(e.author_id), is_staff: author !== undefined && author.role !== 'end-user', name: author?.name ?? '' },
          },
        },
      });
      continue;
    }
    if (e.type !== 'Change') continue;
    const type = CHANGE_TYPES[e.field_name];
    if (!type) continue;
    if (e.field_name === 'tags') {
      const before = (e.previous_value as string[]) ?? [];
      const after = (e.value as string[]) ?? [];
      out.push({ type, event: { tags_added: after.filter((t) => !before.includes(t)), tags_removed: before.filter((t) => !after.includes(t)) } });
      continue;
    }
    const show = (v: unknown): unknown =>
      ENUM_FIELDS.has(e.field_name) && typeof v === 'string' ? v.toUpperCase() : typeof v === 'number' ? String(v) : (v ?? null);
    out.push({ type, event: { current: show(e.value), previous: show(e.previous_value) } });
  }
  return out;
}

/** The webhook payloads of one change, in the order Zendesk would raise them. */
export function ticketEvents(account: ZendeskAccount, change: TicketChange, now: number): TicketEventPayload[] {
  const raised = change.kind === 'created' ? [{ type: 'zen:event-type:ticket.created' as const, event: {} }] : updateEvents(account, change.audit);
  const sequence = randomUUID();
  const detail = detailOf(change.ticket, change.actorId);
  return raised.map((r, i) => ({
    type: r.type,
    account_id: accountIdOf(account.tenant),
    id: randomUUID(),
    time: isoSeconds(now),
    zendesk_event_version: TICKET_EVENT_VERSION,
    subject: `zen:ticket:${change.ticket.id}`,
    detail: { ...detail, tags: [...(detail.tags as string[])] },
    event: { ...r.event, meta: { sequence: { id: sequence, position: i + 1, total: raised.length } } },
  }));
}
