/**
 * Connects the sandbox's Zendesk accounts to the Zendesk subgraph's webhook receiver, the way an
 * admin would connect a real account: through the public Webhooks API, with the tenant's own API
 * credentials. For each tenant whose registry entry names a webhook signing secret by environment
 * reference (`upstreams.zendesk.webhookSecret: {"env": "..."}`):
 *
 * 1. reuse the webhook already pointing at the tenant's endpoint, or create it (`POST
 *    /api/v2/webhooks`, inactive, subscribed to the ticket events the emulator sends);
 * 2. read its signing secret (`GET /api/v2/webhooks/{id}/signing_secret`) and hand it to `setSecret`
 *    under the reference's variable name, where the receiver resolves it at verification time;
 * 3. activate it (`PATCH /api/v2/webhooks/{id}`), so no delivery goes out before the secret is known.
 *
 * Call it once the receiver listens (the stack does, after the gateway started).
 */
import type { TenantConfig } from '../../tenancy/registry';
import type { ZendeskTenantCredentials } from '../credentials';
import { TICKET_EVENT_TYPES } from './ticket-events';

export interface SandboxWebhookSetup {
  /** Base URL of the Zendesk emulator, e.g. `http://127.0.0.1:8071` (its `url`). */
  emulatorUrl: string;
  /** The registry's tenants; those without a `webhookSecret` env reference are left alone. */
  tenants: readonly TenantConfig[];
  /** The API credentials of each tenant (`sandboxCredentials(registry, secrets).zendesk`). */
  credentials: readonly ZendeskTenantCredentials[];
  /** The receiver's URL for a tenant, e.g. `${zendeskSubgraphBase}/webhooks/zendesk/${tenant}`. */
  endpointFor: (tenant: string) => string;
  /** Stores a tenant's signing secret under `name` (the reference's environment variable). */
  setSecret: (tenant: string, name: string, value: string) => void;
  /** The event types to subscribe to. @default every ticket event the emulator sends */
  subscriptions?: readonly string[];
  /** Budget per API call in ms. @default 15000 */
  timeoutMs?: number;
  /** Tries per tenant when a call gets no answer at all. @default 3 */
  attempts?: number;
}

/** A webhook set up for a tenant. */
export interface SandboxWebhook {
  tenant: string;
  webhookId: string;
  endpoint: string;
}

interface WebhookJson {
  id: string;
  endpoint: string;
}

/** A failed call of the Webhooks API: `status` set when the emulator answered, undefined when it did not (network, timeout). */
class SetupCallError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'SetupCallError';
  }
}

/**
 * Creates (or reuses), arms and activates one webhook per tenant; see the module comment. A tenant
 * whose calls got no answer (a busy process can stall past a timeout) is set up again from the start,
 * up to `attempts` times: the steps are idempotent, as the webhook is found again by its endpoint.
 * Rejects naming the tenant and the failed call.
 */
export async function registerSandboxWebhooks(setup: SandboxWebhookSetup): Promise<SandboxWebhook[]> {
  const { attempts = 3 } = setup;
  const out: SandboxWebhook[] = [];
  for (const tenant of setup.tenants) {
    for (let attempt = 1; ; attempt++) {
      try {
        const hook = await registerOne(setup, tenant);
        if (hook) out.push(hook);
        break;
      } catch (err) {
        if (!(err instanceof SetupCallError) || err.status !== undefined || attempt >= attempts) throw err;
      }
    }
  }
  return out;
}

async function registerOne(setup: SandboxWebhookSetup, tenant: TenantConfig): Promise<SandboxWebhook | undefined> {
  const { emulatorUrl, credentials, endpointFor, setSecret, subscriptions = TICKET_EVENT_TYPES, timeoutMs = 15_000 } = setup;
  const base = `${emulatorUrl.replace(/\/+$/, '')}/api/v2`;
  const ref = tenant.upstreams.zendesk.webhookSecret;
  if (!ref || !tenant.enabled) return undefined;
  if (!('env' in ref)) throw new Error(`zendesk webhook setup: tenant ${tenant.id}: the sandbox can only set an env secret reference`);
  const creds = credentials.find((c) => c.tenant === tenant.id);
  if (!creds) throw new Error(`zendesk webhook setup: no Zendesk credentials for tenant ${tenant.id}`);
  const authorization = `Basic ${Buffer.from(`${creds.email}/token:${creds.token}`).toString('base64')}`;
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const what = `${method} ${path.replace(/\/[0-9A-Z]{26}/, '/{id}')}`;
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${base}/${path}`, {
        method,
        headers: { authorization, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      throw new SetupCallError(`zendesk webhook setup: tenant ${tenant.id}: ${what} got no answer (${err instanceof Error ? err.name : 'error'})`);
    }
    if (!res.ok) throw new SetupCallError(`zendesk webhook setup: tenant ${tenant.id}: ${what} answered ${res.status}`, res.status);
    return text ? (JSON.parse(text) as unknown) : undefined;
  };

  const endpoint = endpointFor(tenant.id);
  const listed = (await call('GET', 'webhooks.json')) as { webhooks?: WebhookJson[] };
  let id = listed.webhooks?.find((w) => w.endpoint === endpoint)?.id;
  if (id === undefined) {
    const webhook = { name: `Support gateway (${tenant.id})`, endpoint, http_method: 'POST', request_format: 'json', status: 'inactive', subscriptions };
    id = ((await call('POST', 'webhooks.json', { webhook })) as { webhook: WebhookJson }).webhook.id;
  }
  const secret = (await call('GET', `webhooks/${id}/signing_secret.json`)) as { signing_secret?: { secret?: unknown } };
  if (typeof secret.signing_secret?.secret !== 'string') throw new Error(`zendesk webhook setup: tenant ${tenant.id}: no signing secret in the answer`);
  setSecret(tenant.id, ref.env, secret.signing_secret.secret);
  await call('PATCH', `webhooks/${id}.json`, { webhook: { status: 'active', subscriptions } });
  return { tenant: tenant.id, webhookId: id, endpoint };
}
