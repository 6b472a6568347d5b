/**
 * The Salesforce subgraph service: schema, resolvers and rules on the shared subgraph server, one
 * Salesforce client per tenant (credentials resolved once, at start-up, so a bad reference stops the
 * process before it listens; the client keeps the tenant's token), fresh loaders per request.
 */
import type { Logger } from 'pino';
import type { EntityCache } from '../../cache';
import { tenantLookup, type TenantRegistry } from '../../tenancy/registry';
import { resolveSecret, type SecretSource } from '../../tenancy/secrets';
import { createLogger } from '../kit/log';
import { startSubgraphServer, type RunningSubgraph } from '../kit/server';
import { createSalesforceClient, isSoqlFieldName, type SalesforceClient } from './client';
import { createSalesforceLoaders, type Economy } from './loaders';
import { salesforcePermissions } from './permissions';
import { salesforceResolvers, type SalesforceContext } from './resolvers';
import { salesforceTypeDefs } from './typeDefs';

export const SALESFORCE_DEFAULT_PORT = 4002;

export interface SalesforceSubgraphOptions {
  /** @default 0 (an ephemeral port; the fixed default, SALESFORCE_DEFAULT_PORT = 4002, is chosen by the caller) */
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

/** One client per enabled tenant. Throws when a secret cannot be resolved or a field name is unsafe. */
export function createSalesforceClients(registry: TenantRegistry, secrets: SecretSource, log: Logger): Map<string, SalesforceClient> {
  const clients = new Map<string, SalesforceClient>();
  for (const tenant of registry.tenants) {
    if (!tenant.enabled) continue;
    const sf = tenant.upstreams.salesforce;
    if (!isSoqlFieldName(sf.accountExternalIdField)) {
      throw new Error(`tenant ${tenant.id}: upstreams.salesforce.accountExternalIdField is not a Salesforce field name`);
    }
    clients.set(
      tenant.id,
      createSalesforceClient({
        loginUrl: sf.loginUrl,
        clientId: resolveSecret(sf.clientId, secrets),
        clientSecret: resolveSecret(sf.clientSecret, secrets),
        apiVersion: sf.apiVersion,
        timeoutMs: sf.timeoutMs,
        log: log.child({ tenant: tenant.id }),
      }),
    );
  }
  return clients;
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
        loaders: createSalesforceLoaders({ client, tenant: base.tenant, // A cached fetch may be shared by other requests (single flight): only an unshared one follows
        // this request's signal; shared ones stay bounded by the tenant's timeout.
        signal: cache ? undefined : base.signal, economy, cache, onStale: (s) => base.stale.push(s) }),
      };
    },
  });
}
