/**
 * The Zendesk Support API emulator: one server for every sandbox account, the account chosen by
 * the credentials, data seeded from each tenant's world (sandbox/world.ts).
 *
 * ```ts
 * const zd = await startZendeskEmulator({ port: 0, tenants: credentials.zendesk });
 * const client = createClient({ username: 'integration@acme.example', token, endpointUri: `${zd.url}/api/v2` });
 * ```
 */
import type { ZendeskTenantCredentials } from '../credentials';
import { ANONYMOUS, startEmulator, type EmulatorDefinition, type EmulatorOptions, type RunningEmulator } from '../kit/emulator';
import { authenticate } from './auth';
import { rateLimited, serverError, unauthorized } from './errors';
import { RateLimiter } from './rate-limit';
import { apiBase } from './render';
import { matchRoute, route, unknownOp } from './routes';
import { seedAccount } from './seed';
import type { ZendeskAccount } from './store';

export { seedAccount, SEED_TICKET_COUNT } from './seed';
export type { ZendeskAccount } from './store';

export interface ZendeskEmulatorOptions {
  /** Requests per minute per account before 429 (Zendesk's Team plan allows 700). @default 700 */
  rateLimitPerMinute?: number;
  /** Clock for the rate limiter and the SLA countdowns, in ms. @default Date.now */
  now?: () => number;
}

export function createZendeskEmulator(tenants: ZendeskTenantCredentials[], opts: ZendeskEmulatorOptions = {}): EmulatorDefinition {
  const { rateLimitPerMinute = 700, now = Date.now } = opts;
  if (tenants.length === 0) throw new Error('Zendesk emulator: at least one tenant is required');
  for (const t of tenants) {
    if (!t.tenant || !t.email || !t.token) throw new Error(`Zendesk emulator: tenant ${JSON.stringify(t.tenant)} needs tenant, email and token`);
  }
  const limiter = new RateLimiter(rateLimitPerMinute, now);
  let accounts = new Map<string, ZendeskAccount>();
  const seed = (): void => {
    accounts = new Map([...new Set(tenants.map((t) => t.tenant))].map((name) => [name, seedAccount(name)]));
  };
  seed();

  return {
    name: 'zendesk',
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
      const actor = account.userByEmail(creds.email) ?? [...account.users.values()].find((u) => u.role === 'admin');
      const reply = route({ account, req, base: apiBase(req.url), actorId: actor?.id ?? 0, now: now() });
      reply.headers = { ...reply.headers, 'x-rate-limit': String(rate.limit), 'x-rate-limit-remaining': String(rate.remaining) };
      return reply;
    },
    faultReply(kind, _req, _who, rule) {
      return kind === 'rate_limit' ? rateLimited(rule.retryAfterSeconds ?? 1) : serverError(rule.status ?? 500);
    },
    reseed() {
      seed();
      limiter.reset();
    },
  };
}

/** Starts the emulator on its own HTTP server (port 0 for an ephemeral port). */
export async function startZendeskEmulator(
  opts: EmulatorOptions & { tenants: ZendeskTenantCredentials[]; rateLimitPerMinute?: number },
): Promise<RunningEmulator> {
  const { tenants, rateLimitPerMinute, ...options } = opts;
  return startEmulator(createZendeskEmulator(tenants, rateLimitPerMinute === undefined ? {} : { rateLimitPerMinute }), options);
}
