/**
 * The Odoo subgraph service: schema + resolvers + permissions in the kit's server, one Odoo client
 * per tenant (credentials resolved once, at start-up, so a missing secret stops the process before
 * it listens; the client keeps the Odoo uid and the keep-alive pool), fresh loaders per request.
 */
import { resolveSecret } from '../../tenancy/secrets';
import { startTenantSubgraph, type RunningSubgraph, type SubgraphOptions } from '../kit/server';
import { createOdooClient, type OdooClient } from './client';
import { createFieldAdapter } from './field-adapter';
import { createOdooLoaders } from './loaders';
import { odooPermissions } from './permissions';
import { resolvers, type OdooContext } from './resolvers';
import { typeDefs } from './typeDefs';

/** Options of {@link startOdooSubgraph}: the kit's, nothing more. */
export type OdooSubgraphOptions = SubgraphOptions;

export function startOdooSubgraph(options: OdooSubgraphOptions): Promise<RunningSubgraph> {
  return startTenantSubgraph<OdooContext, OdooClient>(
    {
      name: 'odoo',
      typeDefs,
      resolvers,
      permissions: odooPermissions(),
      createClient: (tenant, secrets, log) => {
        const odoo = tenant.upstreams.odoo;
        return createOdooClient({
          url: odoo.url,
          db: odoo.db,
          login: odoo.login,
          apiKey: resolveSecret(odoo.apiKey, secrets),
          protocol: odoo.protocol,
          timeoutMs: odoo.timeoutMs,
          fieldAdapter: createFieldAdapter(odoo.version, odoo.customFields),
          log,
        });
      },
      createContext: (base, client, loaders) => ({ ...base, loaders: createOdooLoaders({ client, ...loaders }) }),
    },
    options,
  );
}
