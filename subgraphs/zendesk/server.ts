/**
 * The Zendesk subgraph service: schema, resolvers and rules on the shared subgraph server, one
 * Zendesk client per tenant (credentials resolved once, at start-up, so a bad reference stops the
 * process before it listens), fresh loaders per request.
 */
import { resolveSecret } from '../../platform/secrets';
import { startTenantSubgraph, type RunningSubgraph, type SubgraphOptions } from '../kit/server';
import { createZendeskClient } from './client';
import { createZendeskLoaders } from './loaders';
import { zendeskPermissions } from './permissions';
import { zendeskResolvers, type ZendeskContext } from './resolvers';
import { typeDefs } from './typeDefs';

/** Options of {@link startZendeskSubgraph}: the kit's, nothing more. */
export type ZendeskSubgraphOptions = SubgraphOptions;

export function startZendeskSubgraph(options: ZendeskSubgraphOptions): Promise<RunningSubgraph> {
  return startTenantSubgraph<ZendeskContext, ReturnType<typeof createZendeskClient>>(
    {
      name: 'zendesk',
      typeDefs,
      resolvers: zendeskResolvers,
      permissions: zendeskPermissions(),
      createClient: (tenant, secrets, log) => {
        const zd = tenant.upstreams.zendesk;
        return createZendeskClient({ url: zd.url, email: zd.email, token: resolveSecret(zd.token, secrets), timeoutMs: zd.timeoutMs, log });
      },
      createContext: (base, client, loaders) => ({
        ...base,
        loaders: createZendeskLoaders({ client, ...loaders }),
        actions: options.actionStore
          ? { store: options.actionStore, deps: { client, tenant: base.tenant, identity: base.identity, cache: loaders.cache, log: base.log } }
          : undefined,
      }),
    },
    options,
  );
}
