/**
 * Recovery for lost webhooks: per tenant, the cursor-based incremental ticket export, polled every
 * `intervalMs` under the lease `zendesk-export:<tenant>` (one replica polls a tenant at a time). Its
 * cursor lives in capture state (`zendesk:export-cursor:<tenant>`), so a replica taking over goes on
 * where the last one stopped; a tenant without one starts `lookbackMs` ago. Each exported ticket
 * version the webhooks did not publish is published once (ticket-change.ts), after its cache
 * entries are invalidated. The cursor moves only past tickets that were handled: a failure stops the
 * tenant's pass, and the next pass repeats the page (versions published already are skipped).
 *
 * Changed fields: compared with the cached ticket when there is one, else every tracked field (the
 * previous state is unknown). The export leaves out the last minute of changes, so this path is
 * slower than the webhooks by design. A tenant Zendesk throttles (the export allows 10 requests a
 * minute) is not asked again before its `Retry-After`.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { EntityCache } from '../../cache';
import type { ChangeCapture } from '../../cache/events';
import type { TenantConfig } from '../../tenancy/registry';
import { ErrorCode, UpstreamError } from '../kit/errors';
import type { ZendeskClient } from './client';
import { toTicket } from './mappers';
import { changedTicketFields, exportKindOf, isoAt, publishTicketChange, requesterCustomer, TRACKED_TICKET_FIELDS } from './ticket-change';

/** The lease a tenant's export poller holds. */
export const exportLeaseName = (tenant: string): string => `zendesk-export:${tenant}`;
/** The capture-state key of a tenant's export cursor. */
export const exportCursorKey = (tenant: string): string => `zendesk:export-cursor:${tenant}`;

export interface ZendeskExportPollerOptions {
  /** The tenants to poll (enabled ones with a client). */
  tenants: readonly TenantConfig[];
  clients: ReadonlyMap<string, ZendeskClient>;
  capture: ChangeCapture;
  cache?: EntityCache | undefined;
  /** Time between two passes, in ms. */
  intervalMs: number;
  log: Logger;
  /** A tenant's first pass starts this long ago. @default 5 minutes */
  lookbackMs?: number;
  /** Pages per tenant and pass, at most. @default 10 */
  maxPagesPerPass?: number;
  /** Tickets per page. @default Zendesk's (1000) */
  perPage?: number;
  /** @default Date.now */
  now?: () => number;
}

export interface ZendeskExportPoller {
  /** One pass over every tenant (those whose lease this poller gets). Never rejects. */
  runOnce(): Promise<void>;
  /** Stops polling, waits for a pass under way, frees the leases. Idempotent. */
  stop(): Promise<void>;
}

/** A poller that runs only when asked ({@link ZendeskExportPoller.runOnce}); {@link startZendeskExportPoller} runs it on a timer. */
export function createZendeskExportPoller(opts: ZendeskExportPollerOptions): ZendeskExportPoller {
  const { clients, capture, cache, log, intervalMs, lookbackMs = 5 * 60_000, maxPagesPerPass = 10, perPage } = opts;
  const now = opts.now ?? Date.now;
  const holder = `zendesk-export:${randomUUID()}`;
  const leaseTtlMs = Math.max(3 * intervalMs, 60_000);
  const held = new Set<string>();
  /** Tenants Zendesk throttled (the export allows 10 requests a minute): not asked again before then. */
  const throttledUntil = new Map<string, number>();
  let stopped = false;

  async function pollTenant(tenant: TenantConfig, client: ZendeskClient): Promise<void> {
    const lease = exportLeaseName(tenant.id);
    if (!(await capture.leases.acquire(lease, holder, leaseTtlMs))) {
      held.delete(lease);
      return;
    }
    held.add(lease);
    const cursorKey = exportCursorKey(tenant.id);
    for (let page = 0; page < maxPagesPerPass && !stopped; page++) {
      const cursor = await capture.state.get(cursorKey);
      const from = cursor ? { cursor } : { startTime: Math.floor((now() - lookbackMs) / 1000) };
      const answer = await client.exportTickets(from, {
        ...(perPage !== undefined ? { perPage } : {}),
        signal: AbortSignal.timeout(tenant.upstreams.zendesk.timeoutMs),
      });
      for (const t of answer.tickets) {
        const current = toTicket(t);
        await publishTicketChange(
          { tenant: tenant.id, capture, cache, now },
          {
            ticketId: t.id,
            at: isoAt(t.updated_at),
            kind: exportKindOf(t),
            via: 'export',
            fields: (cached) => {
              const diff = cached ? changedTicketFields(cached, current) : [];
              return diff.length > 0 ? diff : [...TRACKED_TICKET_FIELDS];
            },
            customer: () => requesterCustomer({ cache, client, tenant: tenant.id, log }, t.requester_id, answer.users),
          },
        );
      }
      if (answer.afterCursor) await capture.state.set(cursorKey, answer.afterCursor);
      if (answer.endOfStream || answer.tickets.length === 0) break;
    }
  }

  let running: Promise<void> | undefined;
  async function pass(): Promise<void> {
    for (const tenant of opts.tenants) {
      const client = clients.get(tenant.id);
      if (stopped || !tenant.enabled || !client || (throttledUntil.get(tenant.id) ?? 0) > now()) continue;
      try {
        await pollTenant(tenant, client);
      } catch (err) {
        if (err instanceof UpstreamError && err.code === ErrorCode.UPSTREAM_RATE_LIMITED) {
          const seconds = Number(err.extensions['retryAfterSeconds'] ?? 60);
          throttledUntil.set(tenant.id, now() + (Number.isFinite(seconds) ? seconds : 60) * 1_000);
          log.info({ tenant: tenant.id, retryAfterSeconds: seconds }, 'zendesk export throttled; polling again after Retry-After');
          continue;
        }
        const e = err as { code?: unknown; name?: unknown };
        log.warn({ tenant: tenant.id, code: e.code ?? e.name }, 'zendesk export poll failed; retried on the next pass');
      }
    }
  }

  return {
    runOnce() {
      // One pass at a time: a caller during a pass waits for it and then runs its own.
      const next = (running ?? Promise.resolve()).then(pass);
      running = next;
      return next;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await running?.catch(() => undefined);
      await Promise.all([...held].map((lease) => capture.leases.release(lease, holder).catch(() => undefined)));
      held.clear();
    },
  };
}

/** Starts polling every `intervalMs` (the first pass after one interval). */
export function startZendeskExportPoller(opts: ZendeskExportPollerOptions): ZendeskExportPoller {
  const poller = createZendeskExportPoller(opts);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      void poller.runOnce().finally(schedule);
    }, opts.intervalMs);
    timer.unref();
  };
  schedule();
  return {
    runOnce: () => poller.runOnce(),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await poller.stop();
    },
  };
}
