/**
 * The Zendesk Support client. It knows nothing of GraphQL: it speaks the Support REST API
 * (`/api/v2`, Basic `<email>/token:<api token>` auth) and turns every failure into a coded
 * UpstreamError whose message never carries what Zendesk answered.
 *
 * Error mapping:
 * - 429 → UPSTREAM_RATE_LIMITED (with `retryAfterSeconds` from `Retry-After`);
 * - 401 / 403 → UPSTREAM_REJECTED (credentials or permissions);
 * - 404 on a single-record read → `null` (the caller asked for something that does not exist);
 * - other 4xx → UPSTREAM_REJECTED; 5xx, an unreadable body, no connection → UPSTREAM_UNAVAILABLE;
 * - no answer within `timeoutMs` → UPSTREAM_TIMEOUT.
 *
 * Every exchange goes through the tenant's upstream guard (`guard`, kit/upstream-guard.ts): GETs
 * may be retried after an outage, a `PUT` never is.
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import { ErrorCode, UpstreamError } from '../kit/errors';
import { retryAfterSeconds, upstreamFetch } from '../kit/http';
import { unguarded, type UpstreamGuard } from '../kit/upstream-guard';

const nullableString = z
  .string()
  .nullable()
  .optional()
  .transform((v) => v ?? null);
const nullableId = z
  .number()
  .int()
  .nullable()
  .optional()
  .transform((v) => v ?? null);

/**
 * One metric of a ticket's SLA sideload (`include=slas`: `ticket.slas.policy_metrics[]`). The
 * countdown (`days` / `hours` / `minutes`) is relative to Zendesk's clock at answer time, so it is
 * not kept; `breach_at` is.
 */
export const ZSlaPolicyMetric = z.object({ metric: z.string(), stage: z.string(), breach_at: nullableString });
export type ZSlaPolicyMetric = z.infer<typeof ZSlaPolicyMetric>;

/** A condition of an SLA policy's filter (`{field, operator, value}`). */
export const ZSlaCondition = z.object({ field: z.string(), operator: z.string(), value: z.unknown() });
export type ZSlaCondition = z.infer<typeof ZSlaCondition>;

/** An SLA policy (`GET slas/policies`). */
export const ZSlaPolicy = z.object({
  id: z.number().int(),
  title: z.string(),
  position: z.number().int().optional(),
  filter: z.object({
    all: z
      .array(ZSlaCondition)
      .nullable()
      .optional()
      .transform((v) => v ?? []),
    any: z
      .array(ZSlaCondition)
      .nullable()
      .optional()
      .transform((v) => v ?? []),
  }),
  policy_metrics: z
    .array(z.object({ priority: z.string(), metric: z.string() }).loose())
    .optional()
    .transform((v) => v ?? []),
});
export type ZSlaPolicy = z.infer<typeof ZSlaPolicy>;

/** A ticket as the client keeps it (the fields the subgraph serves; Zendesk sends many more). */
export const ZTicket = z.object({
  id: z.number().int(),
  subject: nullableString,
  description: nullableString,
  status: z.string(),
  priority: nullableString,
  type: nullableString,
  tags: z
    .array(z.string())
    .optional()
    .transform((v) => v ?? []),
  created_at: z.string(),
  updated_at: z.string(),
  requester_id: nullableId,
  assignee_id: nullableId,
  organization_id: nullableId,
  group_id: nullableId,
  /** Present only when asked with `include=slas` and the account has SLA policies. */
  slas: z
    .object({ policy_metrics: z.array(ZSlaPolicyMetric).nullable().optional() })
    .nullable()
    .optional(),
});
export type ZTicket = z.infer<typeof ZTicket>;

export const ZUser = z.object({
  id: z.number().int(),
  name: z.string(),
  email: nullableString,
  role: z.string(),
  external_id: nullableString,
  organization_id: nullableId,
});
export type ZUser = z.infer<typeof ZUser>;

export const ZOrganization = z.object({
  id: z.number().int(),
  name: z.string(),
  external_id: nullableString,
  domain_names: z
    .array(z.string())
    .optional()
    .transform((v) => v ?? []),
});
export type ZOrganization = z.infer<typeof ZOrganization>;

export const ZComment = z.object({
  id: z.number().int(),
  author_id: nullableId,
  body: z.string().optional(),
  plain_body: z.string().optional(),
  public: z.boolean(),
  created_at: z.string(),
});
export type ZComment = z.infer<typeof ZComment>;

const Count = z.number().int().nonnegative().optional();
const Users = z
  .array(ZUser)
  .optional()
  .transform((v) => v ?? []);
const Organizations = z
  .array(ZOrganization)
  .optional()
  .transform((v) => v ?? []);

const TicketsBody = z.object({ tickets: z.array(ZTicket), users: Users, organizations: Organizations, count: Count });
const UsersBody = z.object({ users: z.array(ZUser) });
const OrganizationsBody = z.object({ organizations: z.array(ZOrganization) });
const CommentsBody = z.object({ comments: z.array(ZComment), count: Count });
const SlaPoliciesBody = z.object({ sla_policies: z.array(ZSlaPolicy) });
const SearchBody = z.object({ results: z.array(z.record(z.string(), z.unknown())), count: Count });
const ExportBody = z.object({
  tickets: z.array(ZTicket),
  users: Users,
  after_cursor: z.string().nullable().optional(),
  end_of_stream: z.boolean(),
});

/** One answer of the cursor-based incremental ticket export. */
export interface TicketExportPage {
  /** Tickets changed since the start (time or cursor), oldest change first. */
  tickets: ZTicket[];
  /** Their users (`include=users`): requesters, submitters, assignees. */
  users: ZUser[];
  /** Where the next call starts (null when Zendesk gave none: start again from the same place). */
  afterCursor: string | null;
  /** True when this answer reached the present: poll again later from `afterCursor`. */
  endOfStream: boolean;
}

/** Tickets plus the users and organizations sideloaded with them (`include=users,organizations`). */
export interface TicketsWithSideloads {
  tickets: ZTicket[];
  users: ZUser[];
  organizations: ZOrganization[];
}

/** One offset page of a list and the size of the whole list. */
export interface OffsetPage<T> {
  items: T[];
  count: number;
}

export interface PageRequest {
  /** 1-based page number. */
  page: number;
  /** 1 to 100. */
  perPage: number;
}

export interface ZendeskClientOptions {
  /** API base including `/api/v2`, e.g. `https://acme.zendesk.com/api/v2`. */
  url: string;
  /** Agent email the API token belongs to. */
  email: string;
  token: string;
  /** Budget per HTTP exchange in ms. @default 10_000 */
  timeoutMs?: number;
  /** Where failures are logged (operation and status only; never a body). */
  log?: Logger;
  /** The tenant's upstream protection every call goes through (kit/upstream-guard.ts). @default none: one attempt per call */
  guard?: UpstreamGuard;
}

export interface ZendeskClient {
  /**
   * Tickets by id (`tickets/show_many`, up to 100 ids), optionally with their users and organizations
   * (`include`) and their SLA sideload (`slas`), in the same call.
   */
  ticketsByIds(ids: readonly number[], opts: IncludeOptions): Promise<TicketsWithSideloads>;
  /** One page of the desk's tickets (`tickets`, offset pagination, oldest first). */
  listTickets(page: PageRequest, opts: IncludeOptions): Promise<OffsetPage<ZTicket> & TicketsWithSideloads>;
  /**
   * The account's SLA policies (`slas/policies`), remembered for {@link SLA_POLICIES_TTL_MS}; an
   * account whose token may not read them (403) or that has none answers an empty list.
   */
  slaPolicies(signal?: AbortSignal): Promise<ZSlaPolicy[]>;
  /** One page of a ticket search (`search`, `type:ticket` is added). */
  searchTickets(query: string, page: PageRequest, signal?: AbortSignal): Promise<OffsetPage<ZTicket>>;
  usersByIds(ids: readonly number[], signal?: AbortSignal): Promise<ZUser[]>;
  usersByExternalIds(externalIds: readonly string[], signal?: AbortSignal): Promise<ZUser[]>;
  organizationsByIds(ids: readonly number[], signal?: AbortSignal): Promise<ZOrganization[]>;
  organizationsByExternalIds(externalIds: readonly string[], signal?: AbortSignal): Promise<ZOrganization[]>;
  /** One page of a ticket's comments, oldest first; null when the ticket does not exist. */
  ticketComments(ticketId: number, page: PageRequest, signal?: AbortSignal): Promise<OffsetPage<ZComment> | null>;
  /**
   * `PUT tickets/{id}`: the given fields, and a comment (public reply or internal note) when given;
   * null when the ticket does not exist. Zendesk's refusal of a value (422 RecordInvalid) is a
   * {@link ZendeskRefusal} carrying Zendesk's own description.
   */
  updateTicket(ticketId: number, changes: TicketChanges, signal?: AbortSignal): Promise<ZTicket | null>;
  /**
   * One page of the cursor-based incremental ticket export (`incremental/tickets/cursor`, with the
   * tickets' users): from `startTime` (Unix seconds) on a first call, from a previous `afterCursor`
   * after that.
   */
  exportTickets(from: { cursor: string } | { startTime: number }, opts?: { perPage?: number; signal?: AbortSignal }): Promise<TicketExportPage>;
}

/** What a ticket read sideloads: users and organizations (`include`), the SLA sideload (`slas`). */
export interface IncludeOptions {
  include: boolean;
  slas?: boolean;
  signal?: AbortSignal | undefined;
}

/** How long the client remembers an account's SLA policies (they change rarely). */
export const SLA_POLICIES_TTL_MS = 5 * 60_000;

/** What `updateTicket` may change (UPSTREAMS.md 3: the Tickets API). */
export interface TicketChanges {
  status?: 'new' | 'open' | 'pending' | 'hold' | 'solved' | 'closed';
  priority?: 'urgent' | 'high' | 'normal' | 'low';
  tags?: string[];
  assignee_id?: number;
  comment?: { body: string; public: boolean };
}

/** Zendesk refused a change (422 RecordInvalid): `description` is Zendesk's own, user-facing. */
export class ZendeskRefusal extends UpstreamError {
  constructor(readonly description: string) {
    super(ErrorCode.UPSTREAM_REJECTED, 'zendesk', 'Zendesk refused the change', { status: 422 });
    this.name = 'ZendeskRefusal';
  }
}

const RecordInvalid = z
  .object({
    error: z.string(),
    description: z.string().optional(),
    details: z.record(z.string(), z.array(z.object({ description: z.string() }).loose())).optional(),
  })
  .loose();

/** The incremental export, which Zendesk limits on its own (10 a minute): its 429 pauses only it. */
const EXPORT_PATH = 'incremental/tickets/cursor';

/** A call's operation as the emulator's stats name it: method and path, record ids as `{id}`. */
const operationOf = (method: 'GET' | 'PUT', path: string): string => `${method} /api/v2/${path.replace(/\/\d+(?=\/|$)/g, '/{id}')}`;

export function createZendeskClient({ url, email, token, timeoutMs = 10_000, log, guard = unguarded(timeoutMs) }: ZendeskClientOptions): ZendeskClient {
  const base = url.replace(/\/+$/, '');
  const authorization = `Basic ${Buffer.from(`${email}/token:${token}`, 'utf8').toString('base64')}`;

  /** GET (or PUT with `body`) `<base>/<path>.json?<params>`; resolves null for a 404 when `notFoundAsNull`. */
  async function get<T>(
    op: string,
    path: string,
    params: Record<string, string>,
    parse: (raw: unknown) => T,
    opts: { signal?: AbortSignal | undefined; notFoundAsNull?: boolean; put?: unknown } = {},
  ): Promise<T | null> {
    const method = opts.put !== undefined ? 'PUT' : 'GET';
    const call = {
      operation: operationOf(method, path),
      idempotent: method === 'GET',
      signal: opts.signal,
      ...(path === EXPORT_PATH ? { limitGroup: path } : {}),
    };
    return guard.run(call, ({ timeoutMs: budget }) => exchange(op, path, params, parse, opts, budget));
  }

  /** One exchange and the reading of its answer (what the guard runs, and may run again for a GET). */
  async function exchange<T>(
    op: string,
    path: string,
    params: Record<string, string>,
    parse: (raw: unknown) => T,
    opts: { signal?: AbortSignal | undefined; notFoundAsNull?: boolean; put?: unknown },
    budget: number,
  ): Promise<T | null> {
    const query = new URLSearchParams(params).toString();
    const res = await upstreamFetch('zendesk', `${base}/${path}.json${query ? `?${query}` : ''}`, {
      headers: { authorization, accept: 'application/json', ...(opts.put !== undefined ? { 'content-type': 'application/json' } : {}) },
      timeoutMs: budget,
      ...(opts.put !== undefined ? { method: 'PUT' as const, body: JSON.stringify(opts.put) } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    if (res.status >= 200 && res.status < 300) {
      try {
        return parse(res.json);
      } catch {
        log?.warn({ upstream: 'zendesk', op, status: res.status }, 'zendesk answered with an unexpected body');
        throw new UpstreamError(ErrorCode.UPSTREAM_UNAVAILABLE, 'zendesk', 'Zendesk answered with an unexpected body', { status: res.status });
      }
    }
    if (res.status === 404 && opts.notFoundAsNull) return null;
    log?.warn({ upstream: 'zendesk', op, status: res.status }, 'zendesk call failed');
    if (res.status === 429) {
      const retry = retryAfterSeconds(res.headers);
      throw new UpstreamError(ErrorCode.UPSTREAM_RATE_LIMITED, 'zendesk', 'Zendesk throttled the request', {
        status: 429,
        ...(retry !== undefined ? { retryAfterSeconds: retry } : {}),
      });
    }
    if (res.status === 422) {
      const invalid = RecordInvalid.safeParse(res.json);
      const details = invalid.success ? Object.values(invalid.data.details ?? {}).flatMap((list) => list.map((d) => d.description)) : [];
      throw new ZendeskRefusal(details.join(' ') || (invalid.success ? (invalid.data.description ?? invalid.data.error) : 'Zendesk refused the change'));
    }
    if (res.status === 401 || res.status === 403) {
      throw new UpstreamError(ErrorCode.UPSTREAM_REJECTED, 'zendesk', 'Zendesk refused the credentials or permissions of this tenant', { status: res.status });
    }
    if (res.status >= 400 && res.status < 500) {
      throw new UpstreamError(ErrorCode.UPSTREAM_REJECTED, 'zendesk', `Zendesk rejected the request (${res.status})`, { status: res.status });
    }
    throw new UpstreamError(ErrorCode.UPSTREAM_UNAVAILABLE, 'zendesk', `Zendesk answered ${res.status}`, { status: res.status });
  }

  /** A GET that never 404s as "not found" (lists and show_many). */
  async function getList<T>(op: string, path: string, params: Record<string, string>, parse: (raw: unknown) => T, signal?: AbortSignal): Promise<T> {
    const out = await get(op, path, params, parse, { signal });
    if (out === null) throw new UpstreamError(ErrorCode.UPSTREAM_UNAVAILABLE, 'zendesk', 'Zendesk answered without a body');
    return out;
  }

  const include = (opts: IncludeOptions): Record<string, string> => {
    const parts = [...(opts.include ? ['users', 'organizations'] : []), ...(opts.slas ? ['slas'] : [])];
    return parts.length > 0 ? { include: parts.join(',') } : {};
  };
  let policies: { at: number; value: Promise<ZSlaPolicy[]> } | undefined;
  const paging = (p: PageRequest): Record<string, string> => ({ page: String(p.page), per_page: String(p.perPage) });

  return {
    async ticketsByIds(ids, opts) {
      if (ids.length === 0) return { tickets: [], users: [], organizations: [] };
      const body = await getList(
        'tickets.show_many',
        'tickets/show_many',
        { ids: ids.join(','), ...include(opts) },
        (raw) => TicketsBody.parse(raw),
        opts.signal,
      );
      return { tickets: body.tickets, users: body.users, organizations: body.organizations };
    },
    async listTickets(page, opts) {
      const body = await getList('tickets.list', 'tickets', { ...paging(page), ...include(opts) }, (raw) => TicketsBody.parse(raw), opts.signal);
      return { items: body.tickets, tickets: body.tickets, users: body.users, organizations: body.organizations, count: body.count ?? body.tickets.length };
    },
    slaPolicies(signal) {
      if (policies && Date.now() - policies.at < SLA_POLICIES_TTL_MS) return policies.value;
      const value = get('slas.policies', 'slas/policies', {}, (raw) => SlaPoliciesBody.parse(raw).sla_policies, { signal, notFoundAsNull: true })
        .then((list) => list ?? [])
        .catch((err: unknown) => {
          // An agent token may not read the policies: the account's policies are then unknown, for a while.
          if (err instanceof UpstreamError && err.code === ErrorCode.UPSTREAM_REJECTED) return [];
          policies = undefined; // outages are not remembered
          throw err;
        });
      policies = { at: Date.now(), value };
      return value;
    },
    async searchTickets(query, page, signal) {
      // Without sort_by Zendesk orders by relevance, so offset pages would not be stable.
      const params = { query: `type:ticket ${query}`.trim(), sort_by: 'created_at', sort_order: 'asc', ...paging(page) };
      const body = await getList('search', 'search', params, (raw) => SearchBody.parse(raw), signal);
      const items = body.results.filter((r) => r['result_type'] === 'ticket').map((r) => ZTicket.parse(r));
      return { items, count: body.count ?? items.length };
    },
    async usersByIds(ids, signal) {
      if (ids.length === 0) return [];
      return (await getList('users.show_many', 'users/show_many', { ids: ids.join(',') }, (raw) => UsersBody.parse(raw), signal)).users;
    },
    async usersByExternalIds(externalIds, signal) {
      if (externalIds.length === 0) return [];
      return (await getList('users.show_many', 'users/show_many', { external_ids: externalIds.join(',') }, (raw) => UsersBody.parse(raw), signal)).users;
    },
    async organizationsByIds(ids, signal) {
      if (ids.length === 0) return [];
      return (await getList('organizations.show_many', 'organizations/show_many', { ids: ids.join(',') }, (raw) => OrganizationsBody.parse(raw), signal))
        .organizations;
    },
    async organizationsByExternalIds(externalIds, signal) {
      if (externalIds.length === 0) return [];
      return (
        await getList(
          'organizations.show_many',
          'organizations/show_many',
          { external_ids: externalIds.join(',') },
          (raw) => OrganizationsBody.parse(raw),
          signal,
        )
      ).organizations;
    },
    async ticketComments(ticketId, page, signal) {
      const body = await get('tickets.comments', `tickets/${ticketId}/comments`, paging(page), (raw) => CommentsBody.parse(raw), {
        signal,
        notFoundAsNull: true,
      });
      return body === null ? null : { items: body.comments, count: body.count ?? body.comments.length };
    },
    async updateTicket(ticketId, changes, signal) {
      const body = await get('tickets.update', `tickets/${ticketId}`, {}, (raw) => z.object({ ticket: ZTicket }).loose().parse(raw), {
        signal,
        notFoundAsNull: true,
        put: { ticket: changes },
      });
      return body === null ? null : body.ticket;
    },
    async exportTickets(from, opts = {}) {
      const params: Record<string, string> = {
        ...('cursor' in from ? { cursor: from.cursor } : { start_time: String(Math.max(0, Math.floor(from.startTime))) }),
        include: 'users',
        ...(opts.perPage !== undefined ? { per_page: String(opts.perPage) } : {}),
      };
      const body = await getList('incremental.tickets', 'incremental/tickets/cursor', params, (raw) => ExportBody.parse(raw), opts.signal);
      return { tickets: body.tickets, users: body.users, afterCursor: body.after_cursor ?? null, endOfStream: body.end_of_stream };
    },
  };
}
