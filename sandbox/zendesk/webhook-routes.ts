/**
 * The Webhooks API routes (see webhooks.ts for the shapes and what is simplified). Admins only.
 */
import { jsonReply, type SandboxReply } from '../kit/emulator';
import { isoSeconds } from './records';
import type { Route, RouteContext } from './routes';
import { newWebhookRecord, readWebhookInput, webhookConflict, webhookError, type WebhookRecord, type WebhookRegistry } from './webhooks';

/** The registry and the caller's tenant, or the refusal (no registry: the API is off; not an admin: 403). */
function access(ctx: RouteContext): { ok: true; registry: WebhookRegistry; tenant: string } | { ok: false; reply: SandboxReply } {
  if (!ctx.webhooks) return { ok: false, reply: webhookError(404, 'InvalidEndpoint', 'Not found') };
  if (ctx.account.users.get(ctx.actorId)?.role !== 'admin') {
    return { ok: false, reply: webhookError(403, 'Forbidden', 'You do not have access to this resource') };
  }
  return { ok: true, registry: ctx.webhooks, tenant: ctx.account.tenant };
}

const notFound = (): SandboxReply => webhookError(404, 'WebhookNotFound', 'Webhook not found');

function update(ctx: RouteContext, id: string, partial: boolean): SandboxReply {
  const a = access(ctx);
  if (!a.ok) return a.reply;
  const current = a.registry.get(a.tenant, id);
  if (!current) return notFound();
  const input = readWebhookInput(ctx.req.body, partial);
  if (!input.ok) return input.reply;
  const next: WebhookRecord = { ...current, ...input.fields };
  const conflict = webhookConflict(next);
  if (conflict) return conflict;
  Object.assign(current, input.fields, { updated_at: isoSeconds(ctx.now ?? Date.now()), updated_by: String(ctx.actorId) });
  return { status: 204 };
}

/** `/api/v2/webhooks...` */
export const WEBHOOK_ROUTES: Route[] = [
  {
    method: 'GET',
    pattern: /^webhooks$/,
    op: 'GET /api/v2/webhooks',
    handle: (ctx) => {
      const a = access(ctx);
      if (!a.ok) return a.reply;
      const webhooks = a.registry.list(a.tenant);
      // One page: cursor keys as Zendesk's cursor-paginated lists carry them.
      return jsonReply(200, { webhooks, meta: { has_more: false, after_cursor: null, before_cursor: null }, links: { next: null, prev: null } });
    },
  },
  {
    method: 'POST',
    pattern: /^webhooks$/,
    op: 'POST /api/v2/webhooks',
    handle: (ctx) => {
      const a = access(ctx);
      if (!a.ok) return a.reply;
      const input = readWebhookInput(ctx.req.body, false);
      if (!input.ok) return input.reply;
      const record = newWebhookRecord(input.fields, ctx.actorId, ctx.now ?? Date.now());
      const conflict = webhookConflict(record);
      if (conflict) return conflict;
      a.registry.add(a.tenant, record);
      return jsonReply(201, { webhook: record }, { location: `${ctx.base}/webhooks/${record.id}` });
    },
  },
  {
    method: 'GET',
    pattern: /^webhooks\/([0-9A-Z]{26})$/,
    op: 'GET /api/v2/webhooks/{id}',
    handle: (ctx, [id]) => {
      const a = access(ctx);
      if (!a.ok) return a.reply;
      const w = a.registry.get(a.tenant, id!);
      return w ? jsonReply(200, { webhook: w }) : notFound();
    },
  },
  { method: 'PUT', pattern: /^webhooks\/([0-9A-Z]{26})$/, op: 'PUT /api/v2/webhooks/{id}', handle: (ctx, [id]) => update(ctx, id!, false) },
  { method: 'PATCH', pattern: /^webhooks\/([0-9A-Z]{26})$/, op: 'PATCH /api/v2/webhooks/{id}', handle: (ctx, [id]) => update(ctx, id!, true) },
  {
    method: 'DELETE',
    pattern: /^webhooks\/([0-9A-Z]{26})$/,
    op: 'DELETE /api/v2/webhooks/{id}',
    handle: (ctx, [id]) => {
      const a = access(ctx);
      if (!a.ok) return a.reply;
      return a.registry.delete(a.tenant, id!) ? { status: 204 } : notFound();
    },
  },
  {
    method: 'GET',
    pattern: /^webhooks\/([0-9A-Z]{26})\/signing_secret$/,
    op: 'GET /api/v2/webhooks/{id}/signing_secret',
    handle: (ctx, [id]) => {
      const a = access(ctx);
      if (!a.ok) return a.reply;
      const secret = a.registry.secretOf(a.tenant, id!);
      return secret === undefined ? notFound() : jsonReply(200, { signing_secret: { algorithm: 'SHA256', secret } });
    },
  },
  {
    method: 'POST',
    pattern: /^webhooks\/([0-9A-Z]{26})\/signing_secret$/,
    op: 'POST /api/v2/webhooks/{id}/signing_secret',
    handle: (ctx, [id]) => {
      const a = access(ctx);
      if (!a.ok) return a.reply;
      const secret = a.registry.resetSecret(a.tenant, id!);
      return secret === undefined ? notFound() : jsonReply(201, { signing_secret: { algorithm: 'SHA256', secret } });
    },
  },
];
