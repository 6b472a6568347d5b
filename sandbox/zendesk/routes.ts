/**
 * The Zendesk Support endpoints the gateway uses, under `/api/v2` (with or without `.json`, as
 * Zendesk accepts both). Each route names its operation as counted in the stats and matched by
 * fault rules, e.g. `GET /api/v2/tickets/{id}`.
 */
import { jsonReply, type SandboxReply, type SandboxRequest } from '../kit/emulator';
import { badRequest, invalidEndpoint, recordNotFound } from './errors';
import { cursorPage, offsetPage, wantsCursor } from './pagination';
import type { TicketRecord, UserRecord } from './records';
import { renderComment, renderOrganization, renderTicket, renderUser } from './render';
import { createTicket } from './create';
import { EXPORT_ROUTES } from './export';
import { search } from './search';
import { sideloads, stringList } from './sideloads';
import { slaPoliciesOf, slasOf } from './sla';
import type { ZendeskAccount } from './store';
import type { TicketChange } from './ticket-events';
import { updateTicket } from './update';
import { WEBHOOK_ROUTES } from './webhook-routes';
import type { WebhookRegistry } from './webhooks';

export interface RouteContext {
  readonly account: ZendeskAccount;
  readonly req: SandboxRequest;
  /** `http://<host>/api/v2` of this request. */
  readonly base: string;
  /** User id the credentials belong to (author of comments written through the API). */
  readonly actorId: number;
  /** The emulator's clock at this request, in ms (SLA countdowns, `updated_at` of writes). @default Date.now() */
  readonly now?: number;
  /** Every account's webhooks (the Webhooks API); without it that API answers 404. */
  readonly webhooks?: WebhookRegistry;
  /** Told of every ticket the request created or changed (the webhook deliveries start here). Must not throw. */
  readonly onTicketChange?: (change: TicketChange) => void;
  /** The incremental export leaves out changes younger than this (Zendesk: one minute). @default 60 */
  readonly exportLagSeconds?: number;
}

/** One endpoint. */
export interface Route {
  method: string;
  /** Matched against the path after `/api/v2/`, without `.json`. */
  pattern: RegExp;
  op: string;
  handle(ctx: RouteContext, params: string[]): SandboxReply;
}

const API_PREFIX = '/api/v2/';

/** The path after `/api/v2/` without a trailing `.json`; undefined outside the API. */
export function apiPath(url: URL): string | undefined {
  if (!url.pathname.startsWith(API_PREFIX)) return undefined;
  return url.pathname
    .slice(API_PREFIX.length)
    .replace(/\.json$/, '')
    .replace(/\/+$/, '');
}

/** Ids from `ids=1,2` (possibly sent as `1%2C2`); anything not numeric is skipped, as Zendesk does. */
const idList = (raw: string | null): number[] =>
  (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => /^\d+$/.test(s))
    .map(Number);

/** A list endpoint: cursor pagination when any `page[...]` is given, offset pagination otherwise. */
function listReply<T extends { id: number }>(
  ctx: RouteContext,
  items: readonly T[],
  key: string,
  path: string,
  render: (item: T) => unknown,
  extra: (page: T[]) => Record<string, unknown> = () => ({}),
): SandboxReply {
  const page = wantsCursor(ctx.req.url) ? cursorPage(items, ctx.req.url, ctx.base, path) : offsetPage(items, ctx.req.url, ctx.base, path);
  if (!page.ok) return page.reply;
  return jsonReply(200, { [key]: page.items.map(render), ...extra(page.items), ...page.body });
}

const ticketOf = (ctx: RouteContext, id: string): TicketRecord | undefined => ctx.account.tickets.get(Number(id));

/** A ticket on the wire, with its `slas` embedded when the request asks `include=slas` and the account has SLA policies. */
function ticketWire(ctx: RouteContext, t: TicketRecord): Record<string, unknown> {
  const wire = renderTicket(t, ctx.base);
  if (!stringList(ctx.req.url.searchParams.get('include')).includes('slas')) return wire;
  const slas = slasOf(ctx.account, t, ctx.now ?? Date.now());
  return slas ? { ...wire, slas } : wire;
}

const ROUTES: Route[] = [
  {
    method: 'GET',
    pattern: /^slas\/policies$/,
    op: 'GET /api/v2/slas/policies',
    handle: (ctx) => {
      const policies = slaPoliciesOf(ctx.account).map((p) => ({ url: `${ctx.base}/slas/policies/${p.id}.json`, ...p }));
      return jsonReply(200, { sla_policies: policies, next_page: null, previous_page: null, count: policies.length });
    },
  },
  {
    method: 'GET',
    pattern: /^tickets$/,
    op: 'GET /api/v2/tickets',
    handle: (ctx) =>
      listReply(
        ctx,
        ctx.account.ticketList(),
        'tickets',
        'tickets',
        (t) => ticketWire(ctx, t),
        (page) => sideloads(ctx, page),
      ),
  },
  {
    method: 'GET',
    pattern: /^tickets\/show_many$/,
    op: 'GET /api/v2/tickets/show_many',
    handle: (ctx) => {
      const tickets = idList(ctx.req.url.searchParams.get('ids')).flatMap((id) => {
        const t = ctx.account.tickets.get(id);
        return t ? [t] : [];
      });
      return jsonReply(200, {
        tickets: tickets.map((t) => ticketWire(ctx, t)),
        ...sideloads(ctx, tickets),
        next_page: null,
        previous_page: null,
        count: tickets.length,
      });
    },
  },
  {
    method: 'GET',
    pattern: /^tickets\/(\d+)$/,
    op: 'GET /api/v2/tickets/{id}',
    handle: (ctx, [id]) => {
      const t = ticketOf(ctx, id!);
      return t ? jsonReply(200, { ticket: ticketWire(ctx, t), ...sideloads(ctx, [t]) }) : recordNotFound();
    },
  },
  {
    method: 'PUT',
    pattern: /^tickets\/(\d+)$/,
    op: 'PUT /api/v2/tickets/{id}',
    handle: (ctx, [id]) => {
      const t = ticketOf(ctx, id!);
      if (!t) return recordNotFound();
      const outcome = updateTicket(ctx.account, t, ctx.req.body, ctx.actorId, ctx.now);
      if (!outcome.ok) return outcome.reply;
      ctx.onTicketChange?.({ kind: 'updated', ticket: outcome.ticket, audit: outcome.audit, actorId: ctx.actorId });
      return jsonReply(200, { ticket: renderTicket(outcome.ticket, ctx.base), audit: outcome.audit });
    },
  },
  {
    method: 'POST',
    pattern: /^tickets$/,
    op: 'POST /api/v2/tickets',
    handle: (ctx) => {
      const outcome = createTicket(ctx.account, ctx.req.body, ctx.actorId, ctx.now);
      if (!outcome.ok) return outcome.reply;
      ctx.onTicketChange?.({ kind: 'created', ticket: outcome.ticket, audit: outcome.audit, actorId: ctx.actorId });
      return jsonReply(
        201,
        { ticket: renderTicket(outcome.ticket, ctx.base), audit: outcome.audit },
        { location: `${ctx.base}/tickets/${outcome.ticket.id}.json` },
      );
    },
  },
  {
    method: 'GET',
    pattern: /^tickets\/(\d+)\/comments$/,
    op: 'GET /api/v2/tickets/{id}/comments',
    handle: (ctx, [id]) => {
      const t = ticketOf(ctx, id!);
      if (!t) return recordNotFound();
      const all = [...(ctx.account.comments.get(t.id) ?? [])];
      if (ctx.req.url.searchParams.get('sort_order') === 'desc') all.reverse();
      const page = offsetPage(all, ctx.req.url, ctx.base, `tickets/${t.id}/comments`);
      return page.ok ? jsonReply(200, { comments: page.items.map(renderComment), ...page.body }) : page.reply;
    },
  },
  {
    method: 'GET',
    pattern: /^users\/(\d+)\/tickets\/requested$/,
    op: 'GET /api/v2/users/{id}/tickets/requested',
    handle: (ctx, [id]) => {
      const user = ctx.account.users.get(Number(id));
      if (!user) return recordNotFound();
      const tickets = ctx.account.ticketList().filter((t) => t.requester_id === user.id);
      return listReply(
        ctx,
        tickets,
        'tickets',
        `users/${user.id}/tickets/requested`,
        (t) => ticketWire(ctx, t),
        (page) => sideloads(ctx, page),
      );
    },
  },
  {
    method: 'GET',
    pattern: /^organizations\/(\d+)\/tickets$/,
    op: 'GET /api/v2/organizations/{id}/tickets',
    handle: (ctx, [id]) => {
      const org = ctx.account.organizations.get(Number(id));
      if (!org) return recordNotFound();
      const tickets = ctx.account.ticketList().filter((t) => t.organization_id === org.id);
      return listReply(
        ctx,
        tickets,
        'tickets',
        `organizations/${org.id}/tickets`,
        (t) => ticketWire(ctx, t),
        (page) => sideloads(ctx, page),
      );
    },
  },
  {
    method: 'GET',
    pattern: /^users$/,
    op: 'GET /api/v2/users',
    handle: (ctx) => listReply(ctx, ctx.account.userList(), 'users', 'users', (u) => renderUser(u, ctx.base)),
  },
  {
    method: 'GET',
    pattern: /^users\/me$/,
    op: 'GET /api/v2/users/me',
    handle: (ctx) => {
      const me = ctx.account.users.get(ctx.actorId);
      return me ? jsonReply(200, { user: renderUser(me, ctx.base) }) : recordNotFound();
    },
  },
  {
    method: 'GET',
    pattern: /^users\/show_many$/,
    op: 'GET /api/v2/users/show_many',
    handle: (ctx) => {
      const params = ctx.req.url.searchParams;
      const users = params.has('external_ids')
        ? stringList(params.get('external_ids')).flatMap((x) => {
            const u = ctx.account.userByExternalId(x);
            return u ? [u] : [];
          })
        : idList(params.get('ids')).flatMap((id) => {
            const u = ctx.account.users.get(id);
            return u ? [u] : [];
          });
      return jsonReply(200, { users: users.map((u) => renderUser(u, ctx.base)), next_page: null, previous_page: null, count: users.length });
    },
  },
  {
    method: 'GET',
    pattern: /^users\/search$/,
    op: 'GET /api/v2/users/search',
    handle: (ctx) => {
      const params = ctx.req.url.searchParams;
      const externalId = params.get('external_id');
      const query = params.get('query');
      let users: UserRecord[];
      if (externalId !== null) users = ctx.account.userList().filter((u) => u.external_id === externalId);
      else if (query !== null) {
        const q = query.trim();
        // A bare query matches email, name or external id; keyed terms use the search language.
        users = /[:<>]/.test(q)
          ? search(ctx.account, `type:user ${q}`).flatMap((h) => (h.result_type === 'user' ? [h.record] : []))
          : ctx.account
              .userList()
              .filter(
                (u) =>
                  u.external_id === q ||
                  (u.email !== null && u.email.toLowerCase().includes(q.toLowerCase())) ||
                  u.name.toLowerCase().includes(q.toLowerCase()),
              );
      } else return badRequest('ParameterMissing', 'query or external_id parameter is required');
      const page = offsetPage(users, ctx.req.url, ctx.base, 'users/search');
      return page.ok ? jsonReply(200, { users: page.items.map((u) => renderUser(u, ctx.base)), ...page.body }) : page.reply;
    },
  },
  {
    method: 'GET',
    pattern: /^users\/(\d+)$/,
    op: 'GET /api/v2/users/{id}',
    handle: (ctx, [id]) => {
      const u = ctx.account.users.get(Number(id));
      return u ? jsonReply(200, { user: renderUser(u, ctx.base) }) : recordNotFound();
    },
  },
  {
    method: 'GET',
    pattern: /^organizations$/,
    op: 'GET /api/v2/organizations',
    handle: (ctx) => listReply(ctx, ctx.account.organizationList(), 'organizations', 'organizations', (o) => renderOrganization(o, ctx.base)),
  },
  {
    method: 'GET',
    pattern: /^organizations\/show_many$/,
    op: 'GET /api/v2/organizations/show_many',
    handle: (ctx) => {
      const params = ctx.req.url.searchParams;
      const orgs = params.has('external_ids')
        ? stringList(params.get('external_ids')).flatMap((x) => {
            const o = ctx.account.organizationByExternalId(x);
            return o ? [o] : [];
          })
        : idList(params.get('ids')).flatMap((id) => {
            const o = ctx.account.organizations.get(id);
            return o ? [o] : [];
          });
      return jsonReply(200, { organizations: orgs.map((o) => renderOrganization(o, ctx.base)), next_page: null, previous_page: null, count: orgs.length });
    },
  },
  {
    method: 'GET',
    pattern: /^organizations\/(\d+)$/,
    op: 'GET /api/v2/organizations/{id}',
    handle: (ctx, [id]) => {
      const o = ctx.account.organizations.get(Number(id));
      return o ? jsonReply(200, { organization: renderOrganization(o, ctx.base) }) : recordNotFound();
    },
  },
  {
    method: 'GET',
    pattern: /^search$/,
    op: 'GET /api/v2/search',
    handle: (ctx) => {
      const query = ctx.req.url.searchParams.get('query');
      if (query === null || query.trim() === '') return badRequest('InvalidValue', 'query parameter is required');
      const page = offsetPage(search(ctx.account, query), ctx.req.url, ctx.base, 'search');
      if (!page.ok) return page.reply;
      const results = page.items.map((hit) => {
        const record =
          hit.result_type === 'ticket'
            ? renderTicket(hit.record, ctx.base)
            : hit.result_type === 'user'
              ? renderUser(hit.record, ctx.base)
              : renderOrganization(hit.record, ctx.base);
        return { ...record, result_type: hit.result_type };
      });
      return jsonReply(200, { results, facets: null, ...page.body });
    },
  },
  ...EXPORT_ROUTES,
  ...WEBHOOK_ROUTES,
];

/** The route a request takes, with its captured path parameters. */
export function matchRoute(method: string, url: URL): { route: Route; params: string[] } | undefined {
  const path = apiPath(url);
  if (path === undefined) return undefined;
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const m = route.pattern.exec(path);
    if (m) return { route, params: m.slice(1) };
  }
  return undefined;
}

/** Operation name of a request no route serves: method and path with numeric segments as `{id}`. */
export function unknownOp(method: string, url: URL): string {
  const path = url.pathname.replace(/\.json$/, '').replace(/\/\d+(?=\/|$)/g, '/{id}');
  return `${method} ${path}`;
}

export function route(ctx: RouteContext): SandboxReply {
  const found = matchRoute(ctx.req.method, ctx.req.url);
  return found ? found.route.handle(ctx, found.params) : invalidEndpoint();
}
