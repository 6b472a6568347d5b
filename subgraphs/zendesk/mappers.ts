/**
 * Zendesk wire records → the subgraph's models (GraphQL-shaped, JSON-safe so they can be cached).
 * Enum values are the GraphQL enum names; a value Zendesk adds later maps to a safe neighbour.
 */
import type { ZComment, ZOrganization, ZTicket, ZUser } from './client';

export type TicketStatus = 'NEW' | 'OPEN' | 'PENDING' | 'HOLD' | 'SOLVED' | 'CLOSED';
export type TicketPriority = 'URGENT' | 'HIGH' | 'NORMAL' | 'LOW';
export type TicketType = 'PROBLEM' | 'INCIDENT' | 'QUESTION' | 'TASK';
export type SupportUserRole = 'END_USER' | 'AGENT' | 'ADMIN';

export interface TicketModel {
  id: number;
  subject: string | null;
  description: string | null;
  status: TicketStatus;
  priority: TicketPriority | null;
  type: TicketType | null;
  tags: string[];
  createdAt: string;
  updatedAt: string;
  requesterId: number | null;
  assigneeId: number | null;
  organizationId: number | null;
  /** Zendesk group id (SLA policy filters may name it); absent in models cached before it was kept. */
  groupId?: number | null;
  /**
   * Zendesk's SLA sideload: null when the account has no SLA data for the ticket, undefined when the
   * ticket was read without `include=slas` (a search result).
   */
  sla?: ZendeskSlaModel | null;
}

/** One metric of a ticket's SLA as Zendesk computed it. */
export interface ZendeskSlaMetricModel {
  metric: string;
  stage: string;
  breachAt: string | null;
}

/** A ticket's SLA sideload. */
export interface ZendeskSlaModel {
  metrics: ZendeskSlaMetricModel[];
}

export interface SupportUserModel {
  id: number;
  name: string;
  email: string | null;
  role: SupportUserRole;
  externalId: string | null;
  organizationId: number | null;
}

export interface OrganizationModel {
  id: number;
  name: string;
  externalId: string | null;
  domainNames: string[];
}

export interface CommentModel {
  id: number;
  body: string;
  public: boolean;
  authorId: number | null;
  createdAt: string;
}

const STATUSES: Record<string, TicketStatus> = { new: 'NEW', open: 'OPEN', pending: 'PENDING', hold: 'HOLD', solved: 'SOLVED', closed: 'CLOSED' };
const PRIORITIES: Record<string, TicketPriority> = { urgent: 'URGENT', high: 'HIGH', normal: 'NORMAL', low: 'LOW' };
const TYPES: Record<string, TicketType> = { problem: 'PROBLEM', incident: 'INCIDENT', question: 'QUESTION', task: 'TASK' };

/** The Zendesk status word of a GraphQL status (for search queries). */
export const statusWord = (status: TicketStatus): string => status.toLowerCase();

/** Zendesk timestamps are already ISO-8601 UTC (`2025-01-06T08:00:00Z`); normalised, kept as given when odd. */
function iso(value: string): string {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
}

/** The SLA sideload of a ticket: undefined when not asked, null when the account has no SLA data for it. */
export function toSla(t: ZTicket): ZendeskSlaModel | null | undefined {
  if (t.slas === undefined) return undefined;
  const metrics = (t.slas?.policy_metrics ?? []).map((m) => ({ metric: m.metric, stage: m.stage, breachAt: m.breach_at === null ? null : iso(m.breach_at) }));
  return metrics.length === 0 ? null : { metrics };
}

/**
 * A ticket's model. `opts.slasAsked`: the ticket was read with `include=slas`, so no `slas` on it
 * means the account has no SLA data for it (null), not "not read" (undefined).
 */
export function toTicket(t: ZTicket, opts: { slasAsked?: boolean } = {}): TicketModel {
  const read = toSla(t);
  const sla = read === undefined && opts.slasAsked ? null : read;
  return {
    ...(sla !== undefined ? { sla } : {}),
    groupId: t.group_id,
    id: t.id,
    subject: t.subject,
    description: t.description,
    // A custom status Zendesk adds maps to its category's nearest standard status: open.
    status: STATUSES[t.status.toLowerCase()] ?? 'OPEN',
    priority: t.priority ? (PRIORITIES[t.priority.toLowerCase()] ?? null) : null,
    type: t.type ? (TYPES[t.type.toLowerCase()] ?? null) : null,
    tags: [...t.tags],
    createdAt: iso(t.created_at),
    updatedAt: iso(t.updated_at),
    requesterId: t.requester_id,
    assigneeId: t.assignee_id,
    organizationId: t.organization_id,
  };
}

export function toSupportUser(u: ZUser): SupportUserModel {
  const role: SupportUserRole = u.role === 'admin' ? 'ADMIN' : u.role === 'agent' ? 'AGENT' : 'END_USER';
  return { id: u.id, name: u.name, email: u.email, role, externalId: u.external_id, organizationId: u.organization_id };
}

export function toOrganization(o: ZOrganization): OrganizationModel {
  return { id: o.id, name: o.name, externalId: o.external_id, domainNames: [...o.domain_names] };
}

export function toComment(c: ZComment): CommentModel {
  return { id: c.id, body: c.plain_body ?? c.body ?? '', public: c.public, authorId: c.author_id, createdAt: iso(c.created_at) };
}
