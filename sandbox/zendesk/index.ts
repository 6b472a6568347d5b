/**
 * The Zendesk Support API emulator: one server for every sandbox account, the account chosen by
 * the credentials, data seeded from each tenant's world (sandbox/world.ts). Tickets written through
 * the API are sent, signed, to the account's webhooks (webhooks.ts, ticket-events.ts,
 * deliveries.ts); the incremental export serves what they carry too (export.ts).
 *
 * ```ts
 * const zd = await startZendeskEmulator({ port: 0, tenants: credentials.zendesk });
 * const client = createClient({ username: 'integration@acme.example', token, endpointUri: `${zd.url}/api/v2` });
 * await zd.webhooks.settled(); // every delivery so far has its answer
 * ```
 */
import type { ZendeskTenantCredentials } from '../credentials';
import { ANONYMOUS, startEmulator, type EmulatorDefinition, type EmulatorOptions, type RunningEmulator } from '../kit/emulator';
import { authenticate } from './auth';
import { WebhookDispatcher, type WebhookDeliveries } from './deliveries';
import { rateLimited, serverError, unauthorized } from './errors';
import { DEFAULT_EXPORT_LAG_SECONDS, EXPORT_OP } from './export';
import { RateLimiter } from './rate-limit';
import { apiBase } from './render';
import { matchRoute, route, unknownOp } from './routes';
import { seedAccount } from './seed';
import type { ZendeskAccount } from './store';
import { ticketEvents, type TicketChange } from './ticket-events';
import { accountIdOf, WebhookRegistry } from './webhooks';

export { seedAccount, SEED_TICKET_COUNT } from './seed';
export type { ZendeskAccount } from './store';
export { signWebhook, type WebhookDeliveries, type WebhookDelivery } from './deliveries';
export { TICKET_EVENT_TYPES, type TicketEventType } from './ticket-events';

export interface ZendeskEmulatorOptions {
  /** Requests per minute per account before 429 (Zendesk's Team plan allows 700). @default 700 */
  rateLimitPerMinute?: number;
  /** Requests per minute per account to the incremental export (Zendesk allows 10). @default 10 */
  exportRateLimitPerMinute?: number;
  /** The incremental export leaves out changes younger than this many seconds (Zendesk: 60). @default 60 */
  exportLagSeconds?: number;
  /** Budget of one webhook request in ms. @default 5000 */
  webhookTimeoutMs?: number;
  /** Clock for the rate limiters, the SLA countdowns, `updated_at` of writes and webhook timestamps, in ms. @default Date.now */
  now?: () => number;
}

/** The emulator's definition plus its webhook deliveries (started by {@link startZendeskEmulator}). */
export interface ZendeskEmulatorDefinition extends EmulatorDefinition {
  readonly deliveries: WebhookDispatcher;
}

/** The running emulator, with a test-side view of its webhook deliveries (not reachable over HTTP). */
export interface RunningZendeskEmulator extends RunningEmulator {
  readonly webhooks: WebhookDeliveries;
}

/** The emulator's definition (run it with {@link startZendeskEmulator}, or `startEmulator` of the kit). */
export function createZendeskEmulator(tenants: ZendeskTenantCredentials[], opts: ZendeskEmulatorOptions = {}): ZendeskEmulatorDefinition {
  const { rateLimitPerMinute = 700, exportRateLimitPerMinute = 10, exportLagSeconds = DEFAULT_EXPORT_LAG_SECONDS, now = Date.now } = opts;
  if (tenants.length === 0) throw new Error('Zendesk emulator: at least one tenant is required');
  for (const t of tenants) {
    if (!t.tenant || !t.email || !t.token) throw new Error(`Zendesk emulator: tenant ${JSON.stringify(t.tenant)} needs tenant, email and token`);
  }
  const limiter = new RateLimiter(rateLimitPerMinute, now);
  const exportLimiter = new RateLimiter(exportRateLimitPerMinute, now);
  const webhooks = new WebhookRegistry();
  const deliveries = new WebhookDispatcher({ now, ...(opts.webhookTimeoutMs !== undefined ? { timeoutMs: opts.webhookTimeoutMs } : {}) });
  let accounts = new Map<string, ZendeskAccount>();
  const seed = (): void => {
    accounts = new Map([...new Set(tenants.map((t) => t.tenant))].map((name) => [name, seedAccount(name)]));
  };
  seed();

  /** Sends a change's events to the account's subscribed webhooks, in the background. */
  const onTicketChange = (account: ZendeskAccount) => (change: TicketChange) => {
    try {
      const events = ticketEvents(account, change, now());
      const accountId = accountIdOf(account.tenant);
      for (const hook of webhooks.list(account.tenant)) {
        const secret = webhooks.secretOf(account.tenant, hook.id);
        const mine = events.filter((e) => hook.status === 'active' && hook.subscriptions.includes(e.type));
        if (secret !== undefined && mine.length > 0) deliveries.dispatch(account.tenant, accountId, hook, secret, mine);
      }
    } catch (err) {
      // The API call that caused the change must not fail because of its webhooks.
      process.stderr.write(`[sandbox:zendesk] webhook dispatch failed: ${String(err)}\n`);
    }
  };

  return {
    name: 'zendesk',
    deliveries,
    classify(req) {
      const creds = authenticate(req.headers, tenants);
      const found = matchRoute(req.method, req.url);
      return { tenant: creds?.tenant ?? ANONYMOUS, op: found?.route.op ?? unknownOp(req.method, req.url) };
    },
    handle(req, who) {
      const creds = who.tenant === ANONYMOUS ? undefined : authenticate(req.headers, tenants);
      const account = creds && accounts.get(creds.tenant);
      if (!creds || !account) return unauthorized();
      const rate = limiter.take(account.tenant);
      if (!rate.allowed) return rateLimited(rate.retryAfterSeconds, rate.limit);
      if (who.op === EXPORT_OP) {
        const exportRate = exportLimiter.take(account.tenant);
        if (!exportRate.allowed) return rateLimited(exportRate.retryAfterSeconds, exportRate.limit);
      }
      const actor = account.userByEmail(creds.email) ?? [...account.users.values()].find((u) => u.role === 'admin');
      const reply = route({
        account,
        req,
        base: apiBase(req.url),
        actorId: actor?.id ?? 0,
        now: now(),
        webhooks,
        onTicketChange: onTicketChange(account),
        exportLagSeconds,
      });
      reply.headers = { ...reply.headers, 'x-rate-limit': String(rate.limit), 'x-rate-limit-remaining': String(rate.remaining) };
      return reply;
    },
    faultReply(kind, _req, _who, rule) {
      return kind === 'rate_limit' ? rateLimited(rule.retryAfterSeconds ?? 1) : serverError(rule.status ?? 500);
    },
    reseed() {
      seed();
      limiter.reset();
      exportLimiter.reset();
    },
  };
}

/** Starts the emulator on its own HTTP server (port 0 for an ephemeral port). */
export async function startZendeskEmulator(
  opts: EmulatorOptions & { tenants: ZendeskTenantCredentials[] } & Omit<ZendeskEmulatorOptions, 'rateLimitPerMinute'> & {
      rateLimitPerMinute?: number | undefined;
    },
): Promise<RunningZendeskEmulator> {
  const { tenants, rateLimitPerMinute, exportRateLimitPerMinute, exportLagSeconds, webhookTimeoutMs, now, ...options } = opts;
  const definition = createZendeskEmulator(tenants, {
    ...(rateLimitPerMinute !== undefined ? { rateLimitPerMinute } : {}),
    ...(exportRateLimitPerMinute !== undefined ? { exportRateLimitPerMinute } : {}),
    ...(exportLagSeconds !== undefined ? { exportLagSeconds } : {}),
    ...(webhookTimeoutMs !== undefined ? { webhookTimeoutMs } : {}),
    ...(now !== undefined ? { now } : {}),
  });
  const running = await startEmulator(definition, options);
  let closing: Promise<void> | undefined;
  return {
    ...running,
    webhooks: definition.deliveries,
    close() {
      closing ??= (async () => {
        definition.deliveries.close();
        await running.close();
      })();
      return closing;
    },
  };
}
