/**
 * The Salesforce subgraph service: schema, resolvers and rules on the shared subgraph server, one
 * Salesforce client per tenant (credentials resolved once, at start-up, so a bad reference stops the
 * process before it listens; the client keeps the tenant's token), fresh loaders per request.
 */
import { resolveSecret } from '../../platform/secrets';
import { startTenantSubgraph, type RunningSubgraph, type SubgraphOptions } from '../kit/server';
import { createSalesforceClient, isSoqlFieldName, type SalesforceClient } from './client';
import { createSalesforceLoaders } from './loaders';
import { salesforcePermissions } from './permissions';
import { salesforceResolvers, type SalesforceContext } from './resolvers';
import { typeDefs } from './typeDefs';

/** Options of {@link startSalesforceSubgraph}: the kit's, nothing more. */
export type SalesforceSubgraphOptions = SubgraphOptions;

export function startSalesforceSubgraph(options: SalesforceSubgraphOptions): Promise<RunningSubgraph> {
  return startTenantSubgraph<SalesforceContext, SalesforceClient>(
    {
      name: 'salesforce',
      typeDefs,
      resolvers: salesforceResolvers,
      permissions: salesforcePermissions(),
      createClient: (tenant, secrets, log) => {
        const sf = tenant.upstreams.salesforce;
        if (!isSoqlFieldName(sf.accountExternalIdField))
          throw new Error(`tenant ${tenant.id}: upstreams.salesforce.accountExternalIdField is not a Salesforce field name`);
        return createSalesforceClient({
          loginUrl: sf.loginUrl,
          clientId: resolveSecret(sf.clientId, secrets),
          clientSecret: resolveSecret(sf.clientSecret, secrets),
          apiVersion: sf.apiVersion,
          timeoutMs: sf.timeoutMs,
          log,
        });
      },
      createContext: (base, client, loaders) => ({
        ...base,
        currencyCode: base.tenant.upstreams.salesforce.currencyCode,
        loaders: createSalesforceLoaders({ client, ...loaders }),
      }),
    },
    options,
  );
}
