/**
 * The Salesforce subgraph service: schema, resolvers and rules on the shared subgraph server, one
 * Salesforce client per tenant (credentials resolved once, at start-up, so a bad reference stops the
 * process before it listens; the client keeps the tenant's token), fresh loaders per request.
 */
import type { Logger } from 'pino';
import { tenantLookup, type TenantRegistry } from '../../tenancy/registry';
import { resolveSecret, type SecretSource } from '../../tenancy/secrets';
import { createLogger } from '../kit/log';
import { clientsPerTenant, startSubgraphServer, type RunningSubgraph, type SubgraphOptions } from '../kit/server';
import { createSalesforceClient, isSoqlFieldName, type SalesforceClient } from './client';
import { createSalesforceLoaders } from './loaders';
import { salesforcePermissions } from './permissions';
import { salesforceResolvers, type SalesforceContext } from './resolvers';
import { salesforceTypeDefs } from './typeDefs';

export const SALESFORCE_DEFAULT_PORT = 4002;

/** Options of {@link startSalesforceSubgraph}: the kit's, nothing more. */
export type SalesforceSubgraphOptions = SubgraphOptions;

/** One client per enabled tenant. Throws when a secret cannot be resolved or a field name is unsafe. */
export function createSalesforceClients(registry: TenantRegistry, secrets: SecretSource, log: Logger): Map<string, SalesforceClient> {
  return clientsPerTenant(registry, (tenant) => {
    const sf = tenant.upstreams.salesforce;
    if (!isSoqlFieldName(sf.accountExternalIdField)) throw new Error(`tenant ${tenant.id}: upstreams.salesforce.accountExternalIdField is not a Salesforce field name`);
    return createSalesforceClient({
      loginUrl: sf.loginUrl,
      clientId: resolveSecret(sf.clientId, secrets),
      clientSecret: resolveSecret(sf.clientSecret, secrets),
      apiVersion: sf.apiVersion,
      timeoutMs: sf.timeoutMs,
      log: log.child({ tenant: tenant.id }),
    });
  });
}

export async function startSalesforceSubgraph(opts: SalesforceSubgraphOptions): Promise<RunningSubgraph> {
  const { port = 0, host, registry, secrets, identityKey, cache, economy = 'batched' } = opts;
  const log = opts.log ?? createLogger('salesforce-subgraph');
  const clients = createSalesforceClients(registry, secrets, log);
  return startSubgraphServer<SalesforceContext>({
    name: 'salesforce',
    typeDefs: salesforceTypeDefs,
    resolvers: salesforceResolvers,
    permissions: salesforcePermissions(),
    port,
    ...(host !== undefined ? { host } : {}),
    identityKey,
    tenantOf: tenantLookup(registry),
    log,
    createContext: (base) => {
      const client = clients.get(base.tenant.id);
      // tenantOf only yields enabled tenants, and every enabled tenant has a client.
      if (!client) throw new Error(`no Salesforce client for tenant ${base.tenant.id}`);
      return {
        ...base,
        currencyCode: base.tenant.upstreams.salesforce.currencyCode,
        // A cached fetch may be shared by other requests (single flight): only an unshared one
        // follows this request's signal; shared ones stay bounded by the tenant's timeout.
        loaders: createSalesforceLoaders({ client, tenant: base.tenant, signal: cache ? undefined : base.signal, economy, cache, onStale: (s) => base.stale.push(s) }),
      };
    },
  });
}
