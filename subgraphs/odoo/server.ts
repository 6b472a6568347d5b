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
import { startOdooChangeCapture, type OdooChangeCapture } from './change-capture';
import { reconcileOdooActions } from './reconcile';
import { createOdooLoaders } from './loaders';
import { odooPermissions } from './permissions';
import { resolvers, type OdooContext } from './resolvers';
import { typeDefs } from './typeDefs';
import { createOdooUpstream, type OdooTenantUpstream } from './upstream';
import type { Logger } from 'pino';

export type { OdooTenantUpstream } from './upstream';

/**
 * Options of {@link startOdooSubgraph}: the kit's. With `capture`, every tenant's Odoo is polled
 * for changes every `captureIntervalMs` (change-capture.ts), one poller per tenant across replicas.
 */
export type OdooSubgraphOptions = SubgraphOptions;

/** The running Odoo subgraph; `capture` is its change capture when `options.capture` was given. */
export interface RunningOdooSubgraph extends RunningSubgraph {
  readonly capture?: OdooChangeCapture;
}

/**
 * How long start-up waits for the tenants' capability discovery. It runs for every tenant at once;
 * a tenant whose Odoo is slow or down is served anyway (its discovery is retried on its requests),
 * and a misconfigured one is logged as an error.
 */
const WARM_UP_BUDGET_MS = 5_000;

/** How often the running subgraph reconciles abandoned actions and expires pending ones. */
const RECONCILE_EVERY_MS = 60_000;

/**
 * Starts the Odoo subgraph; with `options.actionStore` it reconciles abandoned actions every minute,
 * with `options.capture` it captures every tenant's Odoo changes. `stop()` stops both, then the server.
 */
export async function startOdooSubgraph(options: OdooSubgraphOptions): Promise<RunningOdooSubgraph> {
  const upstreams = new Map<string, OdooTenantUpstream>();
  const running = await startSubgraph(options, upstreams);
  const log = options.log ?? createLogger('odoo-subgraph');
  const reconciler = options.actionStore ? startReconciler(options, options.actionStore, log) : undefined;
  const capture = options.capture
    ? startOdooChangeCapture({ upstreams, capture: options.capture, cache: options.cache, intervalMs: options.captureIntervalMs, log })
    : undefined;
  if (!reconciler && !capture) return running;
  return {
    ...running,
    ...(capture ? { capture } : {}),
    stop: onceOnly(async () => {
      reconciler?.stop();
      await capture?.stop();
      await running.stop();
    }),
  };
}

/** Reconciles abandoned actions and expires pending ones every {@link RECONCILE_EVERY_MS}, one pass at a time. */
function startReconciler(options: OdooSubgraphOptions, store: NonNullable<OdooSubgraphOptions['actionStore']>, parent: Logger): { stop(): void } {
  const log = parent.child({ component: 'reconciler' });
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
  return { stop: () => clearInterval(timer) };
}

/** Starts the server; `upstreams` receives every tenant's Odoo (client and capabilities) before it listens. */
function startSubgraph(options: OdooSubgraphOptions, upstreams: Map<string, OdooTenantUpstream>): Promise<RunningSubgraph> {
  return startTenantSubgraph<OdooContext, OdooTenantUpstream>(
    {
      name: 'odoo',
      typeDefs,
      resolvers,
      permissions: odooPermissions(),
      createClient: (tenant, secrets, log, guard) => createOdooUpstream(tenant, secrets, log, guard),
      warmUp: async (clients) => {
        for (const [tenant, upstream] of clients) upstreams.set(tenant, upstream);
        const discoveries = Promise.allSettled([...clients.values()].map((u) => u.capabilities.refresh()));
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
