/**
 * The receiver of Zendesk's signed webhooks: `POST /webhooks/zendesk/:tenant`, one per tenant, for
 * a webhook subscribed to ticket events (`zen:event-type:ticket.*`, the event-subscription payload:
 * `{type, id, account_id, time, subject, detail: {ticket fields}, event}`).
 *
 * - Unknown or disabled tenant, or a tenant without `upstreams.zendesk.webhookSecret` → 404.
 * - The signing secret is resolved at verification time (it may be set after start); unresolvable →
 *   503, so Zendesk retries later.
 * - Missing or wrong signature → 401; timestamp more than 5 minutes off → 401. Nothing is published.
 * - A delivery seen before (same event id, else same signature) → 200, so Zendesk stops retrying, and
 *   nothing is published again (claimed in capture state for {@link DELIVERY_CLAIM_TTL_MS}).
 * - A valid ticket event: the ticket's cache entries are invalidated, then one change event is
 *   published (see ticket-change.ts). Other event types are acknowledged and ignored.
 * - The bus refusing the event → 503 (the claim is given up, so Zendesk's retry is processed).
 *
 * Logs and answers never carry the secret, the signature or the body.
 */
import express, { type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { invalidateEntities, type EntityCache } from '../../cache';
import type { ChangeCapture, ChangeKind } from '../../cache/events';
import { describeRef, resolveSecret, SecretResolutionError, type SecretSource } from '../../platform/secrets';
import type { TenantConfig } from '../../tenancy/registry';
import { ZTicket, type ZendeskClient } from './client';
import { ZENDESK_CACHE_TYPES } from './loaders';
import { toTicket, type TicketModel } from './mappers';
import { changedTicketFields, claim, isoAt, publishTicketChange, release, requesterCustomer, TRACKED_TICKET_FIELDS } from './ticket-change';
import { SIGNATURE_HEADER, SIGNATURE_TIMESTAMP_HEADER, verifyZendeskSignature } from './webhook-signature';

/** The receiver's path. */
export const ZENDESK_WEBHOOK_PATH = '/webhooks/zendesk/:tenant';
/** Zendesk's payloads are below 256 KB. */
const BODY_LIMIT = '256kb';
/** How long a delivery is remembered (well beyond the 5-minute timestamp window and Zendesk's retries). */
export const DELIVERY_CLAIM_TTL_MS = 60 * 60_000;

/** What the receiver needs: the tenants, where secrets resolve, change capture, the cache and the tenants' clients. */
export interface ZendeskWebhookDeps {
  /** Enabled tenants by id. */
  tenantOf: (id: string) => TenantConfig | undefined;
  /** Where `webhookSecret` references resolve, read on every delivery. */
  secrets: SecretSource;
  /** Without it deliveries are verified and invalidate the cache, but nothing is published or de-duplicated. */
  capture?: ChangeCapture | undefined;
  cache?: EntityCache | undefined;
  /** Each tenant's Zendesk client (to read a requester the cache does not hold). */
  clients: ReadonlyMap<string, ZendeskClient>;
  log: Logger;
  /** @default Date.now */
  now?: () => number;
}

const idLike = z.union([z.string(), z.number()]).nullable().optional();
const TicketEventBody = z
  .object({
    type: z.string().min(1),
    id: z.string().min(1).optional(),
    detail: z
      .object({
        id: z.union([z.string().regex(/^\d+$/), z.number().int().positive()]),
        status: z.string().nullable().optional(),
        priority: z.string().nullable().optional(),
        type: z.string().nullable().optional(),
        subject: z.string().nullable().optional(),
        description: z.string().nullable().optional(),
        tags: z.array(z.string()).nullable().optional(),
        created_at: z.string().optional(),
        updated_at: z.string().min(1),
        requester_id: idLike,
        assignee_id: idLike,
        organization_id: idLike,
        group_id: idLike,
      })
      .loose(),
  })
  .loose();
type TicketEventBody = z.infer<typeof TicketEventBody>;

const TICKET_EVENT = 'zen:event-type:ticket.';

/** The public fields an event type says changed (besides `updatedAt`), when the previous state is unknown. */
const FIELDS_OF_EVENT: Record<string, readonly string[]> = {
  created: TRACKED_TICKET_FIELDS,
  status_changed: ['status'],
  priority_changed: ['priority'],
  subject_changed: ['subject'],
  description_changed: ['description'],
  type_changed: ['type'],
  ticket_type_changed: ['type'],
  tags_changed: ['tags'],
  agent_assignment_changed: ['assignee'],
  requester_changed: ['requester'],
  organization_changed: ['organization'],
  comment_added: ['comments'],
  comment_made_private: ['comments'],
  comment_redacted: ['comments'],
};

const kindOf = (name: string): ChangeKind =>
  name === 'created' ? 'created' : name === 'soft_deleted' || name === 'permanently_deleted' || name === 'marked_as_spam' ? 'deleted' : 'updated';

const numberOrNull = (v: string | number | null | undefined): number | null => (v === null || v === undefined || v === '' ? null : Number(v));

/** The ticket model of an event's `detail` (the ticket after the change). */
function ticketOfDetail(d: TicketEventBody['detail']): TicketModel {
  const wire = ZTicket.parse({
    id: Number(d.id),
    subject: d.subject ?? null,
    description: d.description ?? null,
    status: (d.status ?? 'open').toLowerCase(),
    priority: d.priority ? d.priority.toLowerCase() : null,
    type: d.type ? d.type.toLowerCase() : null,
    tags: d.tags ?? [],
    created_at: d.created_at ?? d.updated_at,
    updated_at: d.updated_at,
    requester_id: numberOrNull(d.requester_id),
    assignee_id: numberOrNull(d.assignee_id),
    organization_id: numberOrNull(d.organization_id),
    group_id: numberOrNull(d.group_id),
  });
  return toTicket(wire);
}

function refuse(res: Response, status: number, error: string): void {
  res.status(status).json({ error });
}

/** Mounts the receiver on `app` (see the module comment). */
export function mountZendeskWebhooks(app: express.Express, deps: ZendeskWebhookDeps): void {
  const raw = express.raw({ type: () => true, limit: BODY_LIMIT });
  app.post(ZENDESK_WEBHOOK_PATH, (req, res) => {
    raw(req, res, (err?: unknown) => {
      if (err) {
        const status = (err as { status?: unknown }).status === 413 ? 413 : 400;
        refuse(res, status, status === 413 ? 'payload too large' : 'unreadable body');
        return;
      }
      handle(req, res, deps).catch((failure: unknown) => {
        deps.log.error({ tenant: req.params['tenant'], err: failure instanceof Error ? failure.name : 'error' }, 'zendesk webhook: unexpected failure');
        if (!res.headersSent) refuse(res, 500, 'internal error');
      });
    });
  });
}

async function handle(req: Request, res: Response, deps: ZendeskWebhookDeps): Promise<void> {
  const { capture, cache, log } = deps;
  const now = (deps.now ?? Date.now)();
  const tenantId = String(req.params['tenant'] ?? '');
  const tenant = deps.tenantOf(tenantId);
  const ref = tenant?.upstreams.zendesk.webhookSecret;
  if (!tenant || !ref) return refuse(res, 404, 'not found');
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);

  let secret: string;
  try {
    secret = resolveSecret(ref, deps.secrets);
  } catch (err) {
    if (!(err instanceof SecretResolutionError)) throw err;
    log.warn({ tenant: tenant.id, secret: describeRef(ref) }, 'zendesk webhook: signing secret not available yet; delivery refused');
    return refuse(res, 503, 'webhook not ready');
  }
  const signature = req.get(SIGNATURE_HEADER);
  const verdict = verifyZendeskSignature({ signature, timestamp: req.get(SIGNATURE_TIMESTAMP_HEADER), body }, secret, now);
  if (verdict !== 'ok') {
    log.warn({ tenant: tenant.id, reason: verdict }, 'zendesk webhook: delivery refused');
    return refuse(res, 401, verdict === 'stale' ? 'stale timestamp' : 'invalid signature');
  }

  let rawJson: unknown;
  try {
    rawJson = JSON.parse(body.toString('utf8'));
  } catch {
    return refuse(res, 400, 'body is not JSON');
  }
  const typeName = typeof (rawJson as { type?: unknown })?.type === 'string' ? String((rawJson as { type: string }).type) : '';
  if (!typeName.startsWith(TICKET_EVENT)) {
    res.status(200).json({ status: 'ignored' });
    return;
  }
  const parsed = TicketEventBody.safeParse(rawJson);
  if (!parsed.success) return refuse(res, 400, 'not a ticket event');
  const payload = parsed.data;

  const deliveryKey = `zendesk:webhook:${tenant.id}:${payload.id ?? signature}`;
  if (capture && (await claim(capture.state, deliveryKey, 'seen', DELIVERY_CLAIM_TTL_MS)) !== undefined) {
    log.info({ tenant: tenant.id, eventType: payload.type }, 'zendesk webhook: delivery seen before; not published again');
    res.status(200).json({ status: 'duplicate' });
    return;
  }

  const name = payload.type.slice(TICKET_EVENT.length);
  const current = ticketOfDetail(payload.detail);
  const at = isoAt(payload.detail.updated_at);
  if (!capture) {
    // Nothing to publish on; the cache must still not serve the old ticket.
    if (cache) await invalidateEntities(cache, tenant.id, [{ type: ZENDESK_CACHE_TYPES.ticket, id: current.id }]);
    res.status(200).json({ status: 'accepted' });
    return;
  }
  try {
    const outcome = await publishTicketChange(
      { tenant: tenant.id, capture, cache, ...(deps.now ? { now: deps.now } : {}) },
      {
        ticketId: current.id,
        at,
        kind: kindOf(name),
        via: 'webhook',
        fields: (cached) => [...(cached ? changedTicketFields(cached, current) : []), ...(FIELDS_OF_EVENT[name] ?? []), 'updatedAt'],
        customer: () => requesterCustomer({ cache, client: deps.clients.get(tenant.id), tenant: tenant.id, log }, current.requesterId),
      },
    );
    res.status(200).json({ status: outcome === 'published' ? 'accepted' : 'duplicate' });
  } catch (err) {
    await release(capture.state, deliveryKey);
    log.warn(
      { tenant: tenant.id, eventType: payload.type, err: err instanceof Error ? err.name : 'error' },
      'zendesk webhook: event not published; Zendesk will retry',
    );
    refuse(res, 503, 'not published, retry later');
  }
}
