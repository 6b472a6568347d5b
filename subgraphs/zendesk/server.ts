/**
 * The Zendesk subgraph service: schema, resolvers and rules on the shared subgraph server, one
 * Zendesk client per tenant (credentials resolved once, at start-up, so a bad reference stops the
 * process before it listens), fresh loaders per request.
 */
import type { Logger } from 'pino';
import type { EntityCache } from '../../cache';
import { tenantLookup, type TenantRegistry } from '../../tenancy/registry';
import { resolveSecret, type SecretSource } from '../../tenancy/secrets';
import { createLogger } from '../kit/log';
import { startSubgraphServer, type RunningSubgraph } from '../kit/server';
import { createZendeskClient, type ZendeskClient } from './client';
import { createZendeskLoaders, type Economy } from './loaders';
import { zendeskPermissions } from './permissions';
import { zendeskResolvers, type ZendeskContext } from './resolvers';
import { zendeskTypeDefs } from './typeDefs';

export const ZENDESK_DEFAULT_PORT = 4003;

export interface ZendeskSubgraphOptions {
  /** @default 0 (an ephemeral port; the fixed default, ZENDESK_DEFAULT_PORT = 4003, is chosen by the caller) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  registry: TenantRegistry;
  /** Where the registry's secret references are resolved. */
  secrets: SecretSource;
  /** Key that verifies the gateway's internal identity tokens. */
  identityKey: Uint8Array;
  /** Entity cache to read through; none = per-request batching only. */
  cache?: EntityCache;
  /** `naive`: no batching, memo or cache (benchmark baseline). @default 'batched' */
  economy?: Economy;
  log?: Logger;
}

/** One client per enabled tenant, built from the registry. Throws when a secret cannot be resolved. */
export function createZendeskClients(registry: TenantRegistry, secrets: SecretSource, log: Logger): Map<string, ZendeskClient> {
  const clients = new Map<string, ZendeskClient>();
  for (const tenant of registry.tenants) {
    if (!tenant.enabled) continue;
    const zd = tenant.upstreams.zendesk;
    clients.set(
      tenant.id,
      createZendeskClient({ url: zd.url, email: zd.email, token: resolveSecret(zd.token, secrets), timeoutMs: zd.timeoutMs, log: log.child({ tenant: tenant.id }) }),
    );
  }
  return clients;
}

export async function startZendeskSubgraph(opts: ZendeskSubgraphOptions): Promise<RunningSubgraph> {
  const { port = 0, host, registry, secrets, identityKey, cache, economy = 'batched' } = opts;
  const log = opts.log ?? createLogger('zendesk-subgraph');
  const clients = createZendeskClients(registry, secrets, log);
  return startSubgraphServer<ZendeskContext>({
    name: 'zendesk',
    typeDefs: zendeskTypeDefs,
    resolvers: zendeskResolvers,
    permissions: zendeskPermissions(),
    port,
    ...(host !== undefined ? { host } : {}),
    identityKey,
    tenantOf: tenantLookup(registry),
    log,
    createContext: (base) => {
      const client = clients.get(base.tenant.id);
      // tenantOf only yields enabled tenants, and every enabled tenant has a client.
      if (!client) throw new Error(`no Zendesk client for tenant ${base.tenant.id}`);
      return {
        ...base,
        loaders: createZendeskLoaders({ client, tenant: base.tenant, // A cached fetch may be shared by other requests (single flight): only an unshared one follows
        // this request's signal; shared ones stay bounded by the tenant's timeout.
        signal: cache ? undefined : base.signal, economy, cache, onStale: (s) => base.stale.push(s) }),
      };
    },
  });
}
