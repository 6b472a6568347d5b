/**
 * Zendesk Support records as the emulator stores them: the wire shape of the Tickets, Users,
 * Organizations and Ticket Comments APIs, minus `url`, which depends on the host a request came in
 * on and is added when a record is rendered (see `render.ts`).
 */

export const TICKET_STATUSES = ['new', 'open', 'pending', 'hold', 'solved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const TICKET_PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];
export const TICKET_TYPES = ['problem', 'incident', 'question', 'task'] as const;
export type TicketType = (typeof TICKET_TYPES)[number];
export type UserRole = 'end-user' | 'agent' | 'admin';

export const isTicketStatus = (v: unknown): v is TicketStatus => typeof v === 'string' && (TICKET_STATUSES as readonly string[]).includes(v);
export const isTicketPriority = (v: unknown): v is TicketPriority => typeof v === 'string' && (TICKET_PRIORITIES as readonly string[]).includes(v);
export const isTicketType = (v: unknown): v is TicketType => typeof v === 'string' && (TICKET_TYPES as readonly string[]).includes(v);

export interface Via {
  channel: 'email' | 'web' | 'api' | 'phone';
  source: { from: Record<string, unknown>; to: Record<string, unknown>; rel: string | null };
}

export interface CustomFieldValue {
  id: number;
  value: string | null;
}

export interface TicketRecord {
  id: number;
  external_id: string | null;
  type: TicketType | null;
  subject: string;
  raw_subject: string;
  description: string;
  priority: TicketPriority | null;
  status: TicketStatus;
  recipient: string | null;
  requester_id: number;
  submitter_id: number;
  assignee_id: number | null;
  organization_id: number | null;
  group_id: number | null;
  collaborator_ids: number[];
  follower_ids: number[];
  email_cc_ids: number[];
  forum_topic_id: null;
  problem_id: null;
  has_incidents: boolean;
  is_public: boolean;
  due_at: string | null;
  tags: string[];
  custom_fields: CustomFieldValue[];
  satisfaction_rating: null;
  sharing_agreement_ids: number[];
  followup_ids: number[];
  ticket_form_id: number;
  brand_id: number;
  allow_channelback: boolean;
  allow_attachments: boolean;
  from_messaging_channel: boolean;
  via: Via;
  created_at: string;
  updated_at: string;
}

export interface UserRecord {
  id: number;
  name: string;
  email: string | null;
  created_at: string;
  updated_at: string;
  time_zone: string;
  iana_time_zone: string;
  phone: string | null;
  shared_phone_number: boolean | null;
  photo: null;
  locale_id: number;
  locale: string;
  organization_id: number | null;
  role: UserRole;
  verified: boolean;
  external_id: string | null;
  tags: string[];
  alias: string;
  active: boolean;
  shared: boolean;
  shared_agent: boolean;
  last_login_at: string | null;
  two_factor_auth_enabled: boolean | null;
  signature: string;
  details: string;
  notes: string;
  role_type: number | null;
  custom_role_id: number | null;
  moderator: boolean;
  ticket_restriction: 'requested' | 'organization' | null;
  only_private_comments: boolean;
  restricted_agent: boolean;
  suspended: boolean;
  default_group_id: number | null;
  report_csv: boolean;
  user_fields: Record<string, unknown>;
}

export interface OrganizationRecord {
  id: number;
  name: string;
  shared_tickets: boolean;
  shared_comments: boolean;
  external_id: string | null;
  created_at: string;
  updated_at: string;
  domain_names: string[];
  details: string;
  notes: string;
  group_id: number | null;
  tags: string[];
  organization_fields: Record<string, unknown>;
}

export interface CommentRecord {
  id: number;
  type: 'Comment';
  author_id: number;
  body: string;
  html_body: string;
  plain_body: string;
  public: boolean;
  attachments: never[];
  audit_id: number;
  via: Via;
  created_at: string;
  metadata: { system: Record<string, unknown>; custom: Record<string, unknown> };
}

export type AuditEvent =
  | { id: number; type: 'Create'; field_name: string; value: unknown }
  | { id: number; type: 'Change'; field_name: string; value: unknown; previous_value: unknown }
  | ({ id: number } & Omit<CommentRecord, 'id' | 'audit_id' | 'created_at' | 'metadata'>);

export interface AuditRecord {
  id: number;
  ticket_id: number;
  created_at: string;
  author_id: number;
  metadata: { system: Record<string, unknown>; custom: Record<string, unknown> };
  via: Via;
  events: AuditEvent[];
}

/** ISO-8601 UTC without milliseconds, as Zendesk writes timestamps (`2012-05-08T01:04:47Z`). */
export const isoSeconds = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The `html_body` Zendesk renders for a plain-text comment. */
export const htmlBodyOf = (body: string): string =>
  `<div class="zd-comment" dir="auto">${body
    .split(/\n{2,}/)
    .map((p) => `<p dir="auto">${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('')}</div>`;

export const viaOf = (channel: Via['channel']): Via => ({ channel, source: { from: {}, to: {}, rel: null } });

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A request's comment text as Zendesk takes it: `body`, else `html_body` without its tags; undefined when neither is a string. */
export function commentBodyOf(comment: unknown): string | undefined {
  if (!isRecord(comment)) return undefined;
  if (typeof comment.body === 'string') return comment.body;
  return typeof comment.html_body === 'string' ? comment.html_body.replace(/<[^>]*>/g, '') : undefined;
}

/** The fields every new ticket record starts with, whatever made it (the API or the seed): fresh arrays each call. */
export const newTicketConstants = (brandId: number, ticketFormId: number) => ({
  satisfaction_rating: null,
  sharing_agreement_ids: [] as number[],
  followup_ids: [] as number[],
  ticket_form_id: ticketFormId,
  brand_id: brandId,
  allow_channelback: false,
  allow_attachments: true,
  from_messaging_channel: false,
});
