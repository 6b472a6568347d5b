/**
 * The server every subgraph runs in: @apollo/subgraph schema + graphql-shield rules, the gateway
 * identity check on every request, error masking, `/healthz`, and a `stop()` that drains.
 *
 * Each GraphQL request runs in a `subgraph.request` span that continues the gateway's trace
 * (`traceparent`), carries the gateway's request id (`x-request-id`) in its span, its context's
 * logger and its `graphql request` log line, and names its tenant and operation.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import { trace, type Span } from '@opentelemetry/api';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { ActionStore } from '../../actions/types';
import type { SubgraphResolvers } from './resolvers';
import express from 'express';
import { GraphQLError, Kind, type DocumentNode, type GraphQLFormattedError } from 'graphql';
import { applyMiddleware, type IMiddlewareGenerator } from 'graphql-middleware';
import type { Logger } from 'pino';
import { INTERNAL_IDENTITY_HEADER, InternalTokenError, InternalTokenVerifier, internalAudience, type Identity } from '../../tenancy/identity';
import { tenantLookup, type TenantConfig, type TenantRegistry } from '../../tenancy/registry';
import type { SecretSource } from '../../platform/secrets';
import type { EntityCache } from '../../cache/entity-cache';
import type { ChangeCapture } from '../../cache/events';
import type { BaseContext, StaleServe } from './context';
import { createLogger } from '../../platform/log';
import { requestIdFrom, runInServerSpan } from '../../platform/tracing';
import { listen, onceOnly } from '../../platform/listen';
import { entityCacheRegistry } from '../../cache/metrics';
import { ErrorCode, unauthenticated, type Upstream } from './errors';
import { runSafely, type DoctorFinding, type UpstreamDoctor } from './doctor';
import { runInRequestScope, UpstreamGuards, type UpstreamGuard } from './upstream-guard';

export interface SubgraphServerOptions<C extends BaseContext> {
  /** Service name, as the supergraph names it: used in logs and as the internal token's audience. */
  name: string;
  typeDefs: DocumentNode;
  resolvers: SubgraphResolvers;
  /** graphql-shield rules (default deny). */
  permissions: IMiddlewareGenerator<unknown, C, unknown>;
  /** @default 0 */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Key that verifies the gateway's internal identity tokens. */
  identityKey: Uint8Array;
  /** Enabled tenants by id. */
  tenantOf: (id: string) => TenantConfig | undefined;
  log: Logger;
  /** Builds the subgraph's own context (upstream client, loaders) on top of the base one. */
  createContext: (base: BaseContext) => C | Promise<C>;
  /** Extra work at stop (close upstream pools and caches the subgraph owns). */
  onStop?: () => Promise<void>;
  /** Runs the upstream doctor for one tenant: serves `GET /doctor` (admin identities, own tenant only). */
  doctor?: (tenant: TenantConfig) => Promise<DoctorFinding[]>;
  /** Extra HTTP routes mounted before `/graphql` (e.g. the upstream's signed webhooks); they do their own authentication. */
  routes?: (app: express.Express) => void;
}

export interface RunningSubgraph {
  readonly name: string;
  readonly url: string;
  readonly port: number;
  /** Idempotent. */
  stop(): Promise<void>;
}

/** Masks anything that is not an expected, coded error: no stack traces, no upstream bodies. */
export function formatSubgraphError(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.['code'];
    const original = error instanceof GraphQLError ? error.originalError : undefined;
    const known = typeof code === 'string' && (Object.values(ErrorCode) as string[]).includes(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR;
    if (known) {
      const { stacktrace: _drop, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    log.error({ err: original ?? error, path: formatted.path }, 'unexpected resolver error');
    return {
      message: 'Internal server error',
      ...(formatted.path ? { path: formatted.path } : {}),
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}

/** Adds `extensions.stale` to a response when loaders served stale entries. */
const staleReportPlugin: ApolloServerPlugin<BaseContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue, response }) {
        if (contextValue.stale.length === 0 || response.body.kind !== 'single') return;
        response.body.singleResult.extensions = { ...(response.body.singleResult.extensions ?? {}), stale: contextValue.stale };
      },
    };
  },
};

/**
 * Logs each GraphQL request once answered (`graphql request`, info, through the context's logger:
 * tenant and request id included) with its operation name, duration and error codes, and names the
 * operation on the request's span.
 */
const requestLogPlugin: ApolloServerPlugin<BaseContext> = {
  async requestDidStart() {
    const startedAt = performance.now();
    return {
      async didResolveOperation({ operationName }) {
        if (operationName) trace.getActiveSpan()?.setAttribute('operation.name', operationName);
      },
      async willSendResponse({ contextValue, response, operationName }) {
        const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
        contextValue.log.info(
          {
            operationName: operationName ?? null,
            durationMs: Math.round((performance.now() - startedAt) * 10) / 10,
            errorCodes: [...new Set(errors.map((e) => String(e.extensions?.['code'] ?? 'UNKNOWN')))],
          },
          'graphql request',
        );
      },
    };
  },
};

/** How long a subgraph keeps an idle keep-alive socket open (see startSubgraphServer). */
export const SUBGRAPH_KEEP_ALIVE_MS = 65_000;

export async function startSubgraphServer<C extends BaseContext>(options: SubgraphServerOptions<C>): Promise<RunningSubgraph> {
  const { name, typeDefs, resolvers, permissions, port = 0, host = '127.0.0.1', identityKey, tenantOf, log, createContext, onStop, doctor, routes } = options;
  const audience = internalAudience(name);
  const identities = new InternalTokenVerifier(identityKey, audience);
  const schema = applyMiddleware(buildSubgraphSchema([{ typeDefs, resolvers }]), permissions);

  const app = express();
  // Its callers are gateways holding keep-alive sockets: the server keeps an idle one longer than
  // they do (this gateway closes its own after 4 s; 65 s outlasts the usual 60 s of proxies and
  // other gateways), so a request never leaves on a socket the server is closing (Node's 5 s default).
  const httpServer: Server = createServer(app);
  httpServer.keepAliveTimeout = SUBGRAPH_KEEP_ALIVE_MS;
  const server = new ApolloServer<C>({
    schema,
    includeStacktraceInErrorResponses: false,
    formatError: formatSubgraphError(log),
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      staleReportPlugin as ApolloServerPlugin<C>,
      requestLogPlugin as ApolloServerPlugin<C>,
    ],
  });
  await server.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: name });
  });
  // The entity cache's counters live in the subgraph process that reads through the cache.
  app.get('/metrics', async (_req, res) => {
    res.type(entityCacheRegistry.contentType).send(await entityCacheRegistry.metrics());
  });
  // The upstream doctor, for the gateway's admin endpoint: same identity token as /graphql, the
  // admin role, and only the identity's own tenant.
  app.get('/doctor', async (req, res) => {
    const header = req.headers[INTERNAL_IDENTITY_HEADER];
    let identity: Identity;
    try {
      identity = await identities.verify(typeof header === 'string' ? header : undefined);
    } catch (err) {
      res.status(401).json({ error: err instanceof InternalTokenError ? err.message : 'invalid gateway identity' });
      return;
    }
    const asked = typeof req.query['tenant'] === 'string' ? req.query['tenant'] : identity.tenant;
    if (!identity.roles.includes('admin') || asked !== identity.tenant) {
      res.status(403).json({ error: 'the doctor is for the admin of this tenant only' });
      return;
    }
    const tenant = tenantOf(identity.tenant);
    if (!tenant) {
      res.status(401).json({ error: 'unknown or disabled tenant' });
      return;
    }
    if (!doctor) {
      res.status(404).json({ error: `the ${name} subgraph has no doctor` });
      return;
    }
    res.json({ service: name, tenant: tenant.id, findings: await doctor(tenant) });
  });
  routes?.(app);
  // The request id and span of each GraphQL request, for its context.
  const requests = new WeakMap<object, { id: string; span: Span | undefined }>();
  app.use(
    '/graphql',
    (req, res, next) => {
      const id = requestIdFrom(req.headers);
      const attributes = { 'request.id': id, subgraph: name };
      runInServerSpan(req, res, { name: 'subgraph.request', component: `subgraph:${name}`, route: '/graphql', inbound: 'parent', attributes }, (span) => {
        requests.set(req, { id, span });
        next();
      });
    },
    express.json({ limit: '1mb' }),
    // One scope per request (after the body is read): its upstream calls count against each upstream's maxCallsPerRequest.
    (_req: express.Request, _res: express.Response, next: express.NextFunction) => runInRequestScope(next),
    expressMiddleware(server, {
      context: async ({ req, res }) => {
        const header = req.headers[INTERNAL_IDENTITY_HEADER];
        let identity: Identity;
        try {
          identity = await identities.verify(typeof header === 'string' ? header : undefined);
        } catch (err) {
          throw unauthenticated(err instanceof InternalTokenError ? err.message : 'invalid gateway identity');
        }
        const tenant = tenantOf(identity.tenant);
        if (!tenant) throw unauthenticated('unknown or disabled tenant');
        const request = requests.get(req);
        request?.span?.setAttribute('tenant', tenant.id);
        const controller = new AbortController();
        // The request stream closes once its body is read; only a response closed before it was
        // finished means the caller went away.
        res.on('close', () => {
          if (!res.writableFinished) controller.abort();
        });
        const requestId = request?.id ?? randomUUID();
        const base: BaseContext = { identity, tenant, signal: controller.signal, log: log.child({ tenant: tenant.id, requestId }), stale: [] };
        return createContext(base);
      },
    }),
  );

  const bound = await listen(httpServer, port, host);
  return {
    name,
    url: `http://${host}:${bound}/graphql`,
    port: bound,
    stop: onceOnly(async () => {
      await server.stop();
      await onStop?.();
    }),
  };
}

/** How loaders spend upstream calls: `batched` (DataLoaders + cache) or `naive` (one call per resolver, the benchmark baseline). */
export type Economy = 'batched' | 'naive';

/** What every subgraph's `start*Subgraph` takes. */
export interface SubgraphOptions {
  /** @default 0 (an ephemeral port; the fixed defaults of schema/subgraphs.ts are chosen by the caller) */
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
  /** @default 'batched' */
  economy?: Economy;
  log?: Logger;
  /** The durable action log (idempotency, approvals, audit) for the subgraphs whose mutations write upstream. */
  actionStore?: ActionStore;
  /** The upstream doctor served at `GET /doctor` (subgraphs/index.ts gives each subgraph its own). */
  doctor?: UpstreamDoctor;
  /** Change capture (event bus, leases, cursors): without it the subgraph captures and publishes nothing. */
  capture?: ChangeCapture;
  /** How often pollers ask their upstream for changes (ms). @default 2000 */
  captureIntervalMs?: number;
}

/** One upstream client per enabled tenant, built once at start-up (a bad secret reference fails here, before listening). */
export function clientsPerTenant<T>(registry: TenantRegistry, make: (tenant: TenantConfig) => T): Map<string, T> {
  return new Map(registry.tenants.filter((t) => t.enabled).map((t) => [t.id, make(t)]));
}

/** What a subgraph's loaders need from the request and the service, the same for every subgraph. */
export interface LoaderContext {
  tenant: TenantConfig;
  /**
   * The request's signal, only when there is no cache: a cached fetch may be shared by other
   * requests (single flight), so it stays bounded by the tenant's timeout instead.
   */
  signal: AbortSignal | undefined;
  economy: Economy;
  cache: EntityCache | undefined;
  onStale: (serve: StaleServe) => void;
}

/** One subgraph: its schema and rules, how it reaches a tenant's upstream, and what it adds to the context. */
export interface TenantSubgraphSpec<C extends BaseContext, Client> {
  name: string;
  typeDefs: DocumentNode;
  resolvers: SubgraphResolvers;
  permissions: IMiddlewareGenerator<unknown, C, unknown>;
  /**
   * Builds a tenant's upstream client at start-up (resolving its secrets; a throw stops the start).
   * Every call the client makes goes through `guard` (upstream-guard.ts: the tenant's protection).
   */
  createClient: (tenant: TenantConfig, secrets: SecretSource, log: Logger, guard: UpstreamGuard) => Client;
  /** The request context: the base one plus the tenant's client and fresh loaders. */
  createContext: (base: BaseContext, client: Client, loaders: LoaderContext) => C;
  /**
   * Start-up work with every tenant's client before listening (e.g. discovering what each upstream
   * offers). Must settle by itself in bounded time and never reject for one tenant's upstream.
   */
  warmUp?: (clients: ReadonlyMap<string, Client>) => Promise<void>;
  /** Extra HTTP routes (the kit's `routes`), given every tenant's client. */
  routes?: (app: express.Express, clients: ReadonlyMap<string, Client>) => void;
}

/** `Type.field` paths of non-null fields: hiding one of them nulls its parent, not just the field. */
export function nonNullFieldPaths(doc: DocumentNode): Set<string> {
  const out = new Set<string>();
  for (const def of doc.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    for (const field of def.fields ?? []) if (field.type.kind === Kind.NON_NULL_TYPE) out.add(`${def.name.value}.${field.name.value}`);
  }
  return out;
}

/** Starts a subgraph with one upstream client per enabled tenant and per-request loaders. */
export async function startTenantSubgraph<C extends BaseContext, Client>(
  spec: TenantSubgraphSpec<C, Client>,
  options: SubgraphOptions,
): Promise<RunningSubgraph> {
  const { port = 0, host, registry, secrets, identityKey, cache, economy = 'batched', doctor } = options;
  const log = options.log ?? createLogger(`${spec.name}-subgraph`);
  const nonNull = nonNullFieldPaths(spec.typeDefs);
  for (const tenant of registry.tenants) {
    for (const [role, paths] of Object.entries(tenant.policy.hiddenFields)) {
      for (const path of paths ?? []) {
        if (nonNull.has(path))
          log.warn({ tenant: tenant.id, role, field: path }, `hidden field is non-null in the ${spec.name} schema: hiding it nulls its parent object`);
      }
    }
  }
  // The naive economy is the benchmark's unbatched baseline: its calls per request are the point, so no per-request budget.
  const guards = new UpstreamGuards({ upstream: spec.name as Upstream, perRequestBudget: economy !== 'naive' });
  const clients = clientsPerTenant(registry, (tenant) =>
    spec.createClient(tenant, secrets, log.child({ tenant: tenant.id, upstream: spec.name }), guards.for(tenant)),
  );
  await spec.warmUp?.(clients);
  return startSubgraphServer<C>({
    name: spec.name,
    typeDefs: spec.typeDefs,
    resolvers: spec.resolvers,
    permissions: spec.permissions,
    port,
    ...(host !== undefined ? { host } : {}),
    identityKey,
    tenantOf: tenantLookup(registry),
    log,
    ...(spec.routes ? { routes: (app: express.Express) => spec.routes?.(app, clients) } : {}),
    ...(doctor
      ? { doctor: (tenant: TenantConfig) => runSafely(doctor, tenant, spec.name as Upstream, secrets, log.child({ tenant: tenant.id, component: 'doctor' })) }
      : {}),
    createContext: (base) => {
      const client = clients.get(base.tenant.id);
      // tenantOf only yields enabled tenants, and every enabled tenant has a client.
      if (client === undefined) throw new Error(`no ${spec.name} client for tenant ${base.tenant.id}`);
      return spec.createContext(base, client, {
        tenant: base.tenant,
        signal: cache && economy !== 'naive' ? undefined : base.signal,
        economy,
        cache,
        onStale: (s) => base.stale.push(s),
      });
    },
  });
}
