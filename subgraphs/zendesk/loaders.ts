/**
 * The Zendesk loaders of one request. Every read a resolver makes goes through here:
 *
 * - records by id (tickets, users, organizations) and users / organizations by external id are
 *   DataLoaders: all the ids a tick asks for become one `show_many` call per model, read through the
 *   entity cache when one is configured;
 * - tickets read with `include=users,organizations` prime the user and organization loaders, so a
 *   ticket's requester, assignee and organization cost no further call;
 * - list pages (ticket lists, searches, comments) are memoised per request, so the same page asked
 *   twice (the gateway repeats `_entities` representations) costs one call.
 *
 * `economy: 'naive'` turns all of that off (no batching, no memo, no priming, no cache): one
 * upstream call per resolver, the baseline the benchmark compares against.
 */
import DataLoader from 'dataloader';
import type { EntityCache } from '../../cache';
import type { TenantConfig } from '../../tenancy/registry';
import type { StaleServe } from '../kit/context';
import { invalidationEpoch, keyedLoader, type KeyedLoader } from '../kit/loaders';
import { ZENDESK_ENTITIES } from './entities';
import type { PageWindow } from '../kit/pagination';
import { MAX_PAGE_SIZE } from '../kit/pagination';
import type { OffsetPage, PageRequest, TicketsWithSideloads, ZendeskClient, ZSlaPolicy } from './client';
import {
  statusWord,
  toComment,
  toOrganization,
  toSupportUser,
  toTicket,
  type CommentModel,
  type OrganizationModel,
  type SupportUserModel,
  type TicketModel,
  type TicketStatus,
  type ZendeskSlaModel,
  toSla,
} from './mappers';

export type { Economy } from '../kit/server';
import type { Economy } from '../kit/server';

/** Zendesk's `show_many` takes at most 100 ids. */
const SHOW_MANY_MAX = 100;

/** A window of a list and the size of the whole list. */
export interface Slice<T> {
  rows: T[];
  total: number;
}

/** How a customer is known to this request: its ERP id, its email, or both. */
export interface CustomerRef {
  id?: string | null;
  email?: string | null;
}

export interface ZendeskLoaders {
  ticket: DataLoader<number, TicketModel | null>;
  user: KeyedLoader<number, SupportUserModel>;
  organization: KeyedLoader<number, OrganizationModel>;
  userByExternalId: DataLoader<string, SupportUserModel | null>;
  organizationByExternalId: DataLoader<string, OrganizationModel | null>;
  /** A window of the desk's tickets, optionally of one status. */
  tickets(window: PageWindow, status?: TicketStatus | null): Promise<Slice<TicketModel>>;
  /** A window of a customer's tickets (empty when nothing links the customer to the desk). */
  customerTickets(ref: CustomerRef, window: PageWindow, status?: TicketStatus | null): Promise<Slice<TicketModel>>;
  /**
   * The SLA sideload of tickets read without it (search results): one `show_many?include=slas` per
   * batch. Tickets read by id or listed already carry it (same call, no extra one).
   */
  ticketSla: DataLoader<number, ZendeskSlaModel | null>;
  /** The account's SLA policies (remembered by the client; one call per request at most). */
  slaPolicies(): Promise<ZSlaPolicy[]>;
  /** A window of a ticket's comments; null when the ticket does not exist. */
  comments(ticketId: number, window: PageWindow): Promise<Slice<CommentModel> | null>;
}

export interface ZendeskLoaderOptions {
  client: ZendeskClient;
  tenant: TenantConfig;
  signal?: AbortSignal | undefined;
  economy: Economy;
  cache?: EntityCache | undefined;
  /** Reports stale cache entries served during an upstream outage. */
  onStale: (serve: StaleServe) => void;
}

/** Cache types (entities and derived types of ZENDESK_ENTITIES). */
export const ZENDESK_CACHE_TYPES = {
  ticket: 'Ticket',
  user: 'ZendeskUser',
  organization: 'Organization',
  userByExternalId: 'ZendeskUserByExternalId',
  organizationByExternalId: 'OrganizationByExternalId',
} as const;

/** Whether a string is safe to send as a Zendesk external id in a comma-separated list. */
export const isSafeExternalId = (value: string): boolean => /^[A-Za-z0-9_.:@-]{1,255}$/.test(value);

/** Whether a string is safe to put, quoted, into a Zendesk search query as an email address. */
export const isSearchableEmail = (value: string): boolean => /^[^\s"*:\\()]+@[^\s"*:\\()]+$/.test(value) && value.length <= 254;

/**
 * Reads the window `[offset, offset + limit)` of an offset-paginated list in as few calls as
 * possible: one page of size `limit` when the window is aligned to it, else the (at most two)
 * 100-item pages that cover it.
 */
export async function readWindow<T>(window: PageWindow, fetchPage: (page: PageRequest) => Promise<OffsetPage<T>>): Promise<Slice<T>> {
  const { offset, limit } = window;
  if (limit === 0) {
    const probe = await fetchPage({ page: 1, perPage: 1 });
    return { rows: [], total: probe.count };
  }
  if (offset % limit === 0) {
    const page = await fetchPage({ page: offset / limit + 1, perPage: limit });
    return { rows: page.items.slice(0, limit), total: page.count };
  }
  const first = Math.floor(offset / MAX_PAGE_SIZE) + 1;
  const last = Math.floor((offset + limit - 1) / MAX_PAGE_SIZE) + 1;
  const rows: T[] = [];
  let total = 0;
  for (let p = first; p <= last; p++) {
    const page = await fetchPage({ page: p, perPage: MAX_PAGE_SIZE });
    rows.push(...page.items);
    total = page.count;
    if (page.items.length < MAX_PAGE_SIZE) break;
  }
  const skip = offset - (first - 1) * MAX_PAGE_SIZE;
  return { rows: rows.slice(skip, skip + limit), total };
}

export function createZendeskLoaders(opts: ZendeskLoaderOptions): ZendeskLoaders {
  const { client, tenant, signal, economy, cache, onStale } = opts;
  const naive = economy === 'naive';

  const entityLoader = <K extends string | number, V>(type: string, fetchMany: (keys: readonly K[]) => Promise<Map<K, V>>): KeyedLoader<K, V> =>
    keyedLoader<K, V>({
      tenant,
      economy,
      cache,
      cacheType: type,
      entities: ZENDESK_ENTITIES,
      fetchMany,
      maxBatchSize: SHOW_MANY_MAX,
      onStale,
      name: `zendesk.${type}`,
    });

  /**
   * Sideloaded users and organizations answer later loads of this request (batched mode only), and
   * are written to the entity cache so that later requests find them there too.
   */
  function primeSideloads(body: TicketsWithSideloads, readAt: number): void {
    // Through the loaders: the entity cache gets them too, unless an invalidation came in between.
    for (const u of body.users.map(toSupportUser)) loaders.user.primeThrough(u.id, u, readAt);
    for (const o of body.organizations.map(toOrganization)) loaders.organization.primeThrough(o.id, o, readAt);
  }
  function primeTickets(tickets: readonly TicketModel[]): void {
    if (naive) return;
    for (const t of tickets) loaders.ticket.prime(t.id, t);
  }

  /** Per-request memo of list pages (off in naive mode). */
  const memo = new Map<string, Promise<unknown>>();
  function remember<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (naive) return load();
    const hit = memo.get(key) as Promise<T> | undefined;
    if (hit) return hit;
    const p = load();
    memo.set(key, p);
    p.catch(() => memo.delete(key)); // failures are not remembered
    return p;
  }

  /**
   * Ticket searches of one tick run in parallel and are answered together, so the requesters and
   * organizations of all their tickets are then loaded in one tick (one `show_many` each).
   */
  const searches = new DataLoader<string, Slice<TicketModel>>(
    async (keys) => {
      const settled = await Promise.allSettled(
        keys.map((key) => {
          const { query, offset, limit } = JSON.parse(key) as { query: string; offset: number; limit: number };
          return readWindow({ offset, limit }, async (page) => {
            const res = await client.searchTickets(query, page, signal);
            return { items: res.items.map((t) => toTicket(t)), count: res.count };
          });
        }),
      );
      return settled.map((s) => (s.status === 'fulfilled' ? s.value : s.reason instanceof Error ? s.reason : new Error(String(s.reason))));
    },
    { batch: !naive, cache: !naive, name: 'zendesk.ticketSearch' },
  );

  async function searchWindow(query: string, window: PageWindow): Promise<Slice<TicketModel>> {
    const slice = await searches.load(JSON.stringify({ query, offset: window.offset, limit: window.limit }));
    primeTickets(slice.rows);
    return slice;
  }

  const loaders: ZendeskLoaders = {
    ticket: entityLoader<number, TicketModel>(ZENDESK_CACHE_TYPES.ticket, async (ids) => {
      const readAt = invalidationEpoch(cache);
      const body = await client.ticketsByIds(ids, { include: !naive, slas: true, signal });
      primeSideloads(body, readAt);
      return new Map(body.tickets.map((t) => [t.id, toTicket(t, { slasAsked: true })]));
    }),
    user: entityLoader<number, SupportUserModel>(ZENDESK_CACHE_TYPES.user, async (ids) => {
      const users = await client.usersByIds(ids, signal);
      return new Map(users.map((u) => [u.id, toSupportUser(u)]));
    }),
    organization: entityLoader<number, OrganizationModel>(ZENDESK_CACHE_TYPES.organization, async (ids) => {
      const orgs = await client.organizationsByIds(ids, signal);
      return new Map(orgs.map((o) => [o.id, toOrganization(o)]));
    }),
    userByExternalId: entityLoader<string, SupportUserModel>(ZENDESK_CACHE_TYPES.userByExternalId, async (externalIds) => {
      const users = await client.usersByExternalIds(externalIds, signal);
      const out = new Map<string, SupportUserModel>();
      for (const u of users) if (u.external_id !== null && !out.has(u.external_id)) out.set(u.external_id, toSupportUser(u));
      return out;
    }),
    organizationByExternalId: entityLoader<string, OrganizationModel>(ZENDESK_CACHE_TYPES.organizationByExternalId, async (externalIds) => {
      const orgs = await client.organizationsByExternalIds(externalIds, signal);
      const out = new Map<string, OrganizationModel>();
      for (const o of orgs) if (o.external_id !== null && !out.has(o.external_id)) out.set(o.external_id, toOrganization(o));
      return out;
    }),

    ticketSla: new DataLoader<number, ZendeskSlaModel | null>(
      async (ids) => {
        const out = new Map<number, ZendeskSlaModel | null>();
        for (let i = 0; i < ids.length; i += SHOW_MANY_MAX) {
          const body = await client.ticketsByIds(ids.slice(i, i + SHOW_MANY_MAX), { include: false, slas: true, signal });
          for (const t of body.tickets) out.set(t.id, toSla(t) ?? null);
        }
        return ids.map((id) => out.get(id) ?? null);
      },
      { batch: !naive, cache: !naive, maxBatchSize: SHOW_MANY_MAX, name: 'zendesk.ticketSla' },
    ),

    slaPolicies: () => remember('slaPolicies', () => client.slaPolicies(signal)),

    async tickets(window, status) {
      if (status) return searchWindow(`status:${statusWord(status)}`, window);
      const slice = await remember(`tickets|${window.offset}|${window.limit}`, () =>
        readWindow(window, async (page) => {
          const readAt = invalidationEpoch(cache);
          const res = await client.listTickets(page, { include: !naive, slas: true, signal });
          primeSideloads(res, readAt);
          return { items: res.tickets.map((t) => toTicket(t, { slasAsked: true })), count: res.count };
        }),
      );
      primeTickets(slice.rows);
      return slice;
    },

    async customerTickets(ref, window, status) {
      const terms = await customerSearchTerm(ref);
      if (terms === null) return { rows: [], total: 0 };
      return searchWindow(status ? `${terms} status:${statusWord(status)}` : terms, window);
    },

    async comments(ticketId, window) {
      return remember(`comments|${ticketId}|${window.offset}|${window.limit}`, async () => {
        let missing = false;
        const slice = await readWindow(window, async (page) => {
          const res = await client.ticketComments(ticketId, page, signal);
          if (res === null) {
            missing = true;
            return { items: [], count: 0 };
          }
          return { items: res.items.map(toComment), count: res.count };
        });
        return missing ? null : slice;
      });
    },
  };

  /**
   * The search term that finds a customer's tickets, following the tenant's matching rules:
   * `external_id` → the organization (else the user) whose external id is the customer's id;
   * `email` → tickets requested from the customer's email address. Null when nothing matches.
   */
  async function customerSearchTerm(ref: CustomerRef): Promise<string | null> {
    for (const rule of tenant.matching.zendesk) {
      if (rule === 'external_id' && ref.id && isSafeExternalId(ref.id)) {
        const [org, user] = await Promise.all([loaders.organizationByExternalId.load(ref.id), loaders.userByExternalId.load(ref.id)]);
        // The records found by external id answer the tickets' own organization and requester look-ups.
        if (org && !naive) loaders.organization.prime(org.id, org);
        if (user && !naive) loaders.user.prime(user.id, user);
        if (org) return `organization:${org.id}`;
        if (user) return `requester:${user.id}`;
      }
      if (rule === 'email' && ref.email && isSearchableEmail(ref.email)) return `requester:"${ref.email}"`;
    }
    return null;
  }

  return loaders;
}
