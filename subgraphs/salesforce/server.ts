/**
 * The Salesforce subgraph service: schema, resolvers and rules on the shared subgraph server, one
 * Salesforce client per tenant (credentials resolved once, at start-up, so a bad reference stops the
 * process before it listens; the client keeps the tenant's token), fresh loaders per request, and,
 * when `options.capture` is given, change capture by polling `SystemModstamp` (change-capture.ts)
 * with the same clients, stopped before the server on `stop()`.
 */
import { createLogger } from '../../platform/log';
import { onceOnly } from '../../platform/listen';
import { resolveSecret } from '../../platform/secrets';
import { startTenantSubgraph, type RunningSubgraph, type SubgraphOptions } from '../kit/server';
import { startSalesforceChangeCapture, type SalesforceChangeCapture } from './change-capture';
import { createSalesforceClient, isSoqlFieldName, type SalesforceClient } from './client';
import { createSalesforceLoaders } from './loaders';
import { salesforcePermissions } from './permissions';
import { salesforceResolvers, type SalesforceContext } from './resolvers';
import { typeDefs } from './typeDefs';

/** Options of {@link startSalesforceSubgraph}: the kit's, nothing more. */
export type SalesforceSubgraphOptions = SubgraphOptions;

/** The running Salesforce subgraph; `capture` is its change capture when `options.capture` was given. */
export interface RunningSalesforceSubgraph extends RunningSubgraph {
  readonly capture?: SalesforceChangeCapture;
}

/** Starts the subgraph (and its change capture when `options.capture` is given); `stop()` stops capture, then the server. */
/** Salesforce is polled every this many capture intervals (its API calls are metered per day). */
export const SALESFORCE_POLL_INTERVALS = 10;

export async function startSalesforceSubgraph(options: SalesforceSubgraphOptions): Promise<RunningSalesforceSubgraph> {
  const log = options.log ?? createLogger('salesforce-subgraph');
  let clients: ReadonlyMap<string, SalesforceClient> = new Map();
  const running = await startTenantSubgraph<SalesforceContext, SalesforceClient>(
    {
      name: 'salesforce',
      typeDefs,
      resolvers: salesforceResolvers,
      permissions: salesforcePermissions(),
      createClient: (tenant, secrets, clientLog, guard) => {
        const sf = tenant.upstreams.salesforce;
        if (!isSoqlFieldName(sf.accountExternalIdField))
          throw new Error(`tenant ${tenant.id}: upstreams.salesforce.accountExternalIdField is not a Salesforce field name`);
        return createSalesforceClient({
          loginUrl: sf.loginUrl,
          clientId: resolveSecret(sf.clientId, secrets),
          clientSecret: resolveSecret(sf.clientSecret, secrets),
          apiVersion: sf.apiVersion,
          timeoutMs: sf.timeoutMs,
          log: clientLog,
          guard,
        });
      },
      // Nothing to discover: this only keeps the clients, for change capture to use the same ones.
      warmUp: async (built) => {
        clients = built;
      },
      createContext: (base, client, loaders) => ({
        ...base,
        currencyCode: base.tenant.upstreams.salesforce.currencyCode,
        loaders: createSalesforceLoaders({ client, ...loaders }),
      }),
    },
    { ...options, log },
  );
  if (!options.capture) return running;
  const capture = startSalesforceChangeCapture({
    tenants: options.registry.tenants.filter((t) => t.enabled && clients.has(t.id)),
    clients,
    capture: options.capture,
    cache: options.cache,
    log,
    // Every API call counts against the org's daily limit (3 queries a pass): poll a tenth as often
    // as the ERP, 20 s by default, about 13,000 calls a day per tenant.
    intervalMs: (options.captureIntervalMs ?? 2_000) * SALESFORCE_POLL_INTERVALS,
  });
  return {
    name: running.name,
    url: running.url,
    port: running.port,
    capture,
    stop: onceOnly(async () => {
      await capture.stop();
      await running.stop();
    }),
  };
}
