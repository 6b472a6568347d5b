/**
 * The Zendesk subgraph service: schema, resolvers and rules on the shared subgraph server, one
 * Zendesk client per tenant (credentials resolved once, at start-up, so a bad reference stops the
 * process before it listens), fresh loaders per request.
 */
import type { Logger } from 'pino';
import { tenantLookup, type TenantRegistry } from '../../tenancy/registry';
import { resolveSecret, type SecretSource } from '../../tenancy/secrets';
import { createLogger } from '../kit/log';
import { clientsPerTenant, startSubgraphServer, type RunningSubgraph, type SubgraphOptions } from '../kit/server';
import { createZendeskClient, type ZendeskClient } from './client';
import { createZendeskLoaders } from './loaders';
import { zendeskPermissions } from './permissions';
import { zendeskResolvers, type ZendeskContext } from './resolvers';
import { zendeskTypeDefs } from './typeDefs';

export const ZENDESK_DEFAULT_PORT = 4003;

/** Options of {@link startZendeskSubgraph}: the kit's, nothing more. */
export type ZendeskSubgraphOptions = SubgraphOptions;

/** One client per enabled tenant, built from the registry. Throws when a secret cannot be resolved. */
export function createZendeskClients(registry: TenantRegistry, secrets: SecretSource, log: Logger): Map<string, ZendeskClient> {
  return clientsPerTenant(registry, (tenant) => {
    const zd = tenant.upstreams.zendesk;
    return createZendeskClient({ url: zd.url, email: zd.email, token: resolveSecret(zd.token, secrets), timeoutMs: zd.timeoutMs, log: log.child({ tenant: tenant.id }) });
  });
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
        // A cached fetch may be shared by other requests (single flight): only an unshared one
        // follows this request's signal; shared ones stay bounded by the tenant's timeout.
        loaders: createZendeskLoaders({ client, tenant: base.tenant, signal: cache ? undefined : base.signal, economy, cache, onStale: (s) => base.stale.push(s) }),
      };
    },
  });
}
