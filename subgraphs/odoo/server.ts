/**
 * The Odoo subgraph service: schema + resolvers + permissions in the kit's server, one Odoo client
 * per tenant (credentials resolved once, at start-up, so a missing secret stops the process before
 * it listens; the client keeps the Odoo uid and the keep-alive pool), what each tenant's server
 * offers discovered before listening (capabilities.ts), fresh loaders per request.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '../../platform/log';
import { onceOnly } from '../../platform/listen';
import { startTenantSubgraph, type RunningSubgraph, type SubgraphOptions } from '../kit/server';
import { reconcileOdooActions } from './reconcile';
import { createOdooLoaders } from './loaders';
import { odooPermissions } from './permissions';
import { resolvers, type OdooContext } from './resolvers';
import { typeDefs } from './typeDefs';
import { createOdooUpstream, type OdooTenantUpstream } from './upstream';

export type { OdooTenantUpstream } from './upstream';

/** Options of {@link startOdooSubgraph}: the kit's, nothing more. */
export type OdooSubgraphOptions = SubgraphOptions;

/**
 * How long start-up waits for the tenants' capability discovery. It runs for every tenant at once;
 * a tenant whose Odoo is slow or down is served anyway (its discovery is retried on its requests),
 * and a misconfigured one is logged as an error.
 */
const WARM_UP_BUDGET_MS = 5_000;

/** How often the running subgraph reconciles abandoned actions and expires pending ones. */
const RECONCILE_EVERY_MS = 60_000;

export async function startOdooSubgraph(options: OdooSubgraphOptions): Promise<RunningSubgraph> {
  const running = await startSubgraph(options);
  const store = options.actionStore;
  if (!store) return running;
  const log = (options.log ?? createLogger('odoo-subgraph')).child({ component: 'reconciler' });
  let passing = false;
  const timer = setInterval(() => {
    if (passing) return; // one pass at a time in this process (claims keep replicas from doubling up)
    passing = true;
    reconcileOdooActions({ store, registry: options.registry, secrets: options.secrets, log, cache: options.cache })
      .catch((err: unknown) => log.warn({ err: err instanceof Error ? err.message : String(err) }, 'reconciliation failed'))
      .finally(() => {
        passing = false;
      });
  }, RECONCILE_EVERY_MS);
  timer.unref();
  return {
    ...running,
    stop: onceOnly(async () => {
      clearInterval(timer);
      await running.stop();
    }),
  };
}

function startSubgraph(options: OdooSubgraphOptions): Promise<RunningSubgraph> {
  return startTenantSubgraph<OdooContext, OdooTenantUpstream>(
    {
      name: 'odoo',
      typeDefs,
      resolvers,
      permissions: odooPermissions(),
      createClient: (tenant, secrets, log) => createOdooUpstream(tenant, secrets, log),
      warmUp: async (upstreams) => {
        const discoveries = Promise.allSettled([...upstreams.values()].map((u) => u.capabilities.refresh()));
        await Promise.race([discoveries, sleep(WARM_UP_BUDGET_MS, undefined, { ref: false })]);
      },
      createContext: (base, upstream, loaders) => ({
        ...base,
        loaders: createOdooLoaders({ client: upstream.client, capabilities: upstream.capabilities, ...loaders }),
        actions: options.actionStore
          ? { store: options.actionStore, deps: { client: upstream.client, tenant: base.tenant, identity: base.identity, cache: loaders.cache, log: base.log } }
          : undefined,
      }),
    },
    options,
  );
}
