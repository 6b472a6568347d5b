/**
 * The Zendesk subgraph service: schema, resolvers and rules on the shared subgraph server, one
 * Zendesk client per tenant (credentials resolved once, at start-up, so a bad reference stops the
 * process before it listens), fresh loaders per request. With change capture it also receives the
 * tenants' signed webhooks (`POST /webhooks/zendesk/:tenant`, webhooks.ts) and polls the incremental
 * export for what they missed (change-capture.ts), stopped by `stop()`.
 */
import { onceOnly } from '../../platform/listen';
import { createLogger } from '../../platform/log';
import { resolveSecret } from '../../platform/secrets';
import { tenantLookup } from '../../tenancy/registry';
import { startTenantSubgraph, type RunningSubgraph, type SubgraphOptions } from '../kit/server';
import { startZendeskExportPoller } from './change-capture';
import { createZendeskClient, type ZendeskClient } from './client';
import { createZendeskLoaders } from './loaders';
import { zendeskPermissions } from './permissions';
import { zendeskResolvers, type ZendeskContext } from './resolvers';
import { typeDefs } from './typeDefs';
import { mountZendeskWebhooks } from './webhooks';

/** Options of {@link startZendeskSubgraph}: the kit's, nothing more. */
export type ZendeskSubgraphOptions = SubgraphOptions;

/** The export poller runs every this many capture intervals (30 s with the default 2 s). */
export const EXPORT_POLL_INTERVALS = 15;

/** Starts the Zendesk subgraph (and, with `options.capture`, its webhook receiver's publishing and the export poller). */
export async function startZendeskSubgraph(options: ZendeskSubgraphOptions): Promise<RunningSubgraph> {
  const log = options.log ?? createLogger('zendesk-subgraph');
  let tenantClients: ReadonlyMap<string, ZendeskClient> = new Map();
  const running = await startTenantSubgraph<ZendeskContext, ZendeskClient>(
    {
      name: 'zendesk',
      typeDefs,
      resolvers: zendeskResolvers,
      permissions: zendeskPermissions(),
      createClient: (tenant, secrets, clientLog, guard) => {
        const zd = tenant.upstreams.zendesk;
        return createZendeskClient({ url: zd.url, email: zd.email, token: resolveSecret(zd.token, secrets), timeoutMs: zd.timeoutMs, log: clientLog, guard });
      },
      createContext: (base, client, loaders) => ({
        ...base,
        loaders: createZendeskLoaders({ client, ...loaders }),
        actions: options.actionStore
          ? { store: options.actionStore, deps: { client, tenant: base.tenant, identity: base.identity, cache: loaders.cache, log: base.log } }
          : undefined,
      }),
      routes: (app, clients) => {
        tenantClients = clients;
        mountZendeskWebhooks(app, {
          tenantOf: tenantLookup(options.registry),
          secrets: options.secrets,
          capture: options.capture,
          cache: options.cache,
          clients,
          log: log.child({ component: 'zendesk-webhooks' }),
        });
      },
    },
    { ...options, log },
  );
  if (!options.capture) return running;
  const poller = startZendeskExportPoller({
    tenants: options.registry.tenants.filter((t) => t.enabled),
    clients: tenantClients,
    capture: options.capture,
    cache: options.cache,
    intervalMs: (options.captureIntervalMs ?? 2_000) * EXPORT_POLL_INTERVALS,
    log: log.child({ component: 'zendesk-export' }),
  });
  return {
    name: running.name,
    url: running.url,
    port: running.port,
    stop: onceOnly(async () => {
      await poller.stop();
      await running.stop();
    }),
  };
}
