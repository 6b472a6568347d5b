/**
 * What the webhook receiver and the recovery poller share: which public `Ticket` fields a change
 * touched, the ticket and user models the entity cache holds, and the one way a captured ticket
 * change is published: claimed once per ticket version across both paths, its cache entries
 * invalidated, then published on the bus.
 *
 * A ticket version is `(ticket id, updated_at)`. Its marker in capture state says which path
 * published it: a webhook delivery publishes unless the export already did (several deliveries of
 * one update, e.g. a status change and a comment, each publish their own fields); the export
 * publishes only versions nobody published. Markers live {@link VERSION_MARKER_TTL_MS}.
 */
import type { Logger } from 'pino';
import { entityKey, invalidateEntities, type EntityCache } from '../../cache';
import type { CaptureState, ChangeCapture, ChangeEvent, ChangeKind } from '../../cache/events';
import type { ZendeskClient, ZTicket, ZUser } from './client';
import { ZENDESK_CACHE_TYPES } from './loaders';
import { toSupportUser, type SupportUserModel, type TicketModel } from './mappers';

/** The public `Ticket` fields change capture compares, in the order events list them. */
export const TRACKED_TICKET_FIELDS = [
  'subject',
  'description',
  'status',
  'priority',
  'type',
  'tags',
  'requester',
  'assignee',
  'organization',
  'updatedAt',
] as const;

/** How long a published ticket version is remembered (covers any export lag and poll interval). */
export const VERSION_MARKER_TTL_MS = 24 * 3_600_000;

const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The public fields whose value differs between two states of a ticket. */
export function changedTicketFields(before: TicketModel, after: TicketModel): string[] {
  const pairs: Record<(typeof TRACKED_TICKET_FIELDS)[number], [unknown, unknown]> = {
    subject: [before.subject, after.subject],
    description: [before.description, after.description],
    status: [before.status, after.status],
    priority: [before.priority, after.priority],
    type: [before.type, after.type],
    tags: [[...before.tags].sort(), [...after.tags].sort()],
    requester: [before.requesterId, after.requesterId],
    assignee: [before.assigneeId, after.assigneeId],
    organization: [before.organizationId, after.organizationId],
    updatedAt: [before.updatedAt, after.updatedAt],
  };
  return TRACKED_TICKET_FIELDS.filter((f) => !sameValue(pairs[f][0], pairs[f][1]));
}

/** `fields` ordered as events list them (tracked fields first, then `comments`), without duplicates. */
export function orderedFields(fields: Iterable<string>): string[] {
  const set = new Set(fields);
  const order: string[] = [...TRACKED_TICKET_FIELDS, 'comments'];
  return [...order.filter((f) => set.has(f)), ...[...set].filter((f) => !order.includes(f))];
}

/** The cached value of one entity, if the cache holds it (fresh or stale). */
async function cachedValue<T>(cache: EntityCache | undefined, tenant: string, type: string, id: number): Promise<T | undefined> {
  if (!cache) return undefined;
  const [entry] = await cache.getMany([entityKey(tenant, type, id)]);
  return entry?.value === null || entry?.value === undefined ? undefined : (entry.value as T);
}

/** The cached ticket, as its loader stored it. */
export const cachedTicket = (cache: EntityCache | undefined, tenant: string, id: number): Promise<TicketModel | undefined> =>
  cachedValue<TicketModel>(cache, tenant, ZENDESK_CACHE_TYPES.ticket, id);

/**
 * The customer a ticket concerns, as far as its requester says: the requester's email and external
 * id (the ERP customer id). Read from `known` users, the entity cache, or Zendesk (bounded by
 * `timeoutMs`); undefined when none of them knows the requester.
 */
export async function requesterCustomer(
  deps: { cache?: EntityCache | undefined; client?: ZendeskClient | undefined; tenant: string; log: Logger; timeoutMs?: number },
  requesterId: number | null,
  known: readonly ZUser[] = [],
): Promise<ChangeEvent['customer']> {
  if (requesterId === null) return undefined;
  let user: SupportUserModel | undefined;
  const sideloaded = known.find((u) => u.id === requesterId);
  if (sideloaded) user = toSupportUser(sideloaded);
  user ??= await cachedValue<SupportUserModel>(deps.cache, deps.tenant, ZENDESK_CACHE_TYPES.user, requesterId);
  if (!user && deps.client) {
    try {
      const [found] = await deps.client.usersByIds([requesterId], AbortSignal.timeout(deps.timeoutMs ?? 3_000));
      if (found) user = toSupportUser(found);
    } catch (err) {
      deps.log.warn(
        { tenant: deps.tenant, code: (err as { code?: unknown }).code },
        'zendesk change capture: requester not readable; event carries no customer',
      );
    }
  }
  if (!user) return undefined;
  const customer = { ...(user.email ? { email: user.email } : {}), ...(user.externalId ? { id: user.externalId } : {}) };
  return Object.keys(customer).length > 0 ? customer : undefined;
}

/** ISO-8601 UTC with milliseconds (as the ticket models hold `updatedAt`); kept as given when odd. */
export function isoAt(value: string): string {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
}

/** The capture-state key of a ticket version's marker. */
export const versionMarkerKey = (tenant: string, ticketId: number, at: string): string => `zendesk:ticket-version:${tenant}:${ticketId}:${at}`;

/** What publishing a ticket change needs. */
export interface TicketPublishDeps {
  tenant: string;
  capture: ChangeCapture;
  cache?: EntityCache | undefined;
  now?: () => number;
}

/** One captured ticket change, before its fields are known (they depend on the cached ticket). */
export interface TicketCapture {
  ticketId: number;
  /** The version's `updated_at` (ISO). */
  at: string;
  kind: ChangeKind;
  /** Which path captured it. */
  via: 'webhook' | 'export';
  /** The changed public fields, given the ticket the cache held before (if any). */
  fields(cached: TicketModel | undefined): string[];
  customer(): Promise<ChangeEvent['customer']>;
}

/** The value of a claim given up (capture state has no delete: it also expires at once). */
const RELEASED = 'released';

/**
 * Claims `key` for `holder`: resolves undefined when this call holds it now (it was free or given
 * up), else the current holder.
 */
export async function claim(state: CaptureState, key: string, holder: string, ttlMs: number): Promise<string | undefined> {
  if (await state.setIfAbsent(key, holder, ttlMs)) return undefined;
  const current = await state.get(key);
  if (current !== undefined && current !== RELEASED) return current;
  await state.set(key, holder, ttlMs);
  return undefined;
}

/** Gives a claim up, so that the next claim of `key` succeeds. Never rejects. */
export async function release(state: CaptureState, key: string): Promise<void> {
  await state.set(key, RELEASED, 1).catch(() => undefined);
}

/**
 * Claims the ticket version, invalidates the ticket's cache entries, then publishes one event.
 * Resolves `duplicate` (nothing done) when the version was already published by the export (or, for
 * the export, by anyone). When publishing fails the claim is given up and the error rethrown, so a
 * later delivery or poll can try again.
 */
export async function publishTicketChange(deps: TicketPublishDeps, change: TicketCapture): Promise<'published' | 'duplicate'> {
  const { tenant, capture, cache } = deps;
  const marker = versionMarkerKey(tenant, change.ticketId, change.at);
  const holder = await claim(capture.state, marker, change.via, VERSION_MARKER_TTL_MS);
  // Another delivery of the same update (a comment beside a status change) still publishes its own fields.
  if (holder !== undefined && (change.via === 'export' || holder === 'export')) return 'duplicate';
  try {
    const cached = await cachedTicket(cache, tenant, change.ticketId);
    // Before the event goes out: a subscriber re-reading the ticket must not get the old entry.
    if (cache) await invalidateEntities(cache, tenant, [{ type: ZENDESK_CACHE_TYPES.ticket, id: change.ticketId }]);
    const customer = await change.customer();
    const event: ChangeEvent = {
      tenant,
      type: 'Ticket',
      id: String(change.ticketId),
      kind: change.kind,
      changedFields: orderedFields(change.fields(cached)),
      source: 'zendesk',
      at: change.at,
      capturedAt: (deps.now ?? Date.now)(),
      ...(customer ? { customer } : {}),
    };
    await capture.bus.publish(event);
    return 'published';
  } catch (err) {
    if (holder === undefined) await release(capture.state, marker);
    throw err;
  }
}

/** A wire ticket's kind of change, as the export sees it: created when never updated since. */
export const exportKindOf = (t: ZTicket): ChangeKind =>
  t.status.toLowerCase() === 'deleted' ? 'deleted' : t.created_at === t.updated_at ? 'created' : 'updated';
