/**
 * The public face: one HTTP server with `/graphql` (Apollo Server running @apollo/gateway over the
 * committed supergraph), `/healthz` and `/readyz`. Every GraphQL request is authenticated before
 * anything is planned; the identity travels to the subgraphs as a gateway-signed token.
 */
import type { Server } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { GraphQLError, buildSchema, parse, printSchema, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import { listen, onceOnly } from '../platform/listen';
import { ErrorCode } from '../schema/error-codes';
import { RegistryError, unknownPolicyFields, type TenantRegistry } from '../tenancy/registry';
import { createAdminDoctor } from './admin-doctor';
import { createAdminSurface } from './admin-surface';
import { corsGuard, originPolicy } from './cors';
import { createHardenedServer, noStore, securityHeaders, type HttpLimits, type SecurityHeaderOptions } from './http-hardening';
import { AuthenticationError, unauthenticatedError, type Authenticator } from './auth';
import type { GatewayContext } from './context';
import { DEFAULT_LIMITS, operationCoster, queryLimitRules, type QueryLimits } from './limits';
import { createGatewayMetrics } from './metrics';
import { requestIdMiddleware } from './request-id';
import { requestLogPlugin } from './request-log';
import { fieldCostWeights, fieldListSizes, supergraphFieldChecker } from './supergraph';
import { IdentityTokenCache, SubgraphSource } from './subgraph-source';
import type { EventBus } from '../cache/events';
import type { Identity } from '../tenancy/identity';
import type { TenantConfig } from '../tenancy/registry';
import { catalogMismatches } from './subscriptions/catalog';
import { SubscriptionHub } from './subscriptions/hub';
import { createSubscriptionMetrics } from './subscriptions/metrics';
import type { FederatedResult } from './subscriptions/resolve-push';
import { startWsServer } from './subscriptions/server';
import { forwardWebhooks } from './webhooks';
import type { Redis } from 'ioredis';
import { AdmissionControl } from './admission';
import { Counter } from 'prom-client';
import type { ValidationRule } from 'graphql';
import { admissionMiddleware, admittedCaller, costChargePlugin, documentLengthMiddleware, rateLimitedResult } from './admission-http';

export interface SubgraphEndpoint {
  name: string;
  /** GraphQL endpoint, e.g. `http://127.0.0.1:4001/graphql`. */
  url: string;
}

export interface ReadinessCheck {
  name: string;
  /** Resolves when the dependency answers; rejects (or times out) otherwise. */
  check: () => Promise<void>;
}

export interface GatewayServerOptions {
  supergraphSdl: string;
  /** Where each subgraph named in the supergraph is reached (overrides its routing URL). */
  subgraphs: SubgraphEndpoint[];
  authenticate: Authenticator;
  internalKey: Uint8Array;
  log: Logger;
  /** @default 0 */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** @default false */
  introspection?: boolean;
  /** Budget for one subgraph call. @default 15000 */
  subgraphTimeoutMs?: number;
  /** Extra readiness checks (e.g. Redis); every subgraph's /healthz is always checked. */
  readiness?: ReadinessCheck[];
  /** Largest accepted request body. @default '256kb' */
  maxBodySize?: string;
  /** Depth, alias and root-field limits. @default DEFAULT_LIMITS */
  limits?: QueryLimits;
  /** When given, its policy overlays are checked against the supergraph before listening (and `/readyz` summarizes its tenants' doctor findings). */
  registry?: TenantRegistry;
  /** Oldest doctor summary `/readyz` shows before refreshing it in the background (each run calls every tenant's upstreams). @default 900000 */
  doctorRefreshMs?: number;
  /** Where change events arrive from (subscriptions push nothing without it). The registry's enabled tenants' streams are read. */
  bus?: EventBus;
  /** Live subscription tuning. */
  subscriptions?: {
    /** Burst window per entity (ms). @default 50 */
    coalesceMs?: number;
    /** @default 50 */
    maxPerConnection?: number;
    /** @default 20000 */
    maxPerTenant?: number;
    /** Distinct (roles, operation, variables) groups per tenant: each costs a resolution per event. @default 2000 */
    maxGroupsPerTenant?: number;
    /** Entities a slow subscriber may have waiting before it is closed (1013). @default 100 */
    maxPending?: number;
    /** @default 3000 */
    initTimeoutMs?: number;
  };
  /**
   * Upstream webhooks the gateway accepts publicly and hands to the subgraph that verifies them:
   * `POST /webhooks/<upstream>/<tenant>` → `<base URL>/webhooks/<upstream>/<tenant>`.
   */
  webhookTargets?: Readonly<Record<string, string>>;
  /** Timeouts against slow clients and the connection cap, for the public and the admin listener. @default DEFAULT_HTTP_LIMITS */
  http?: HttpLimits;
  /** Security headers (HSTS only when set there). */
  security?: SecurityHeaderOptions;
  /**
   * Port of the admin listener (0: any free port). Set: `/metrics`, the detailed `/readyz` and
   * `/admin/doctor` move there, off the public port. Unset: they stay on the public port and need
   * an admin-role token. @default unset
   */
  adminPort?: number;
  /** Address the admin listener binds. @default '127.0.0.1' */
  adminHost?: string;
  /** How long the public `/readyz` reuses one probe round of the subgraphs and Redis (ms). @default 5000 */
  readyCacheMs?: number;
  /**
   * Where admission control keeps its per-minute windows (tenant `limits` in the registry): Redis
   * shares them across replicas; in-process without it.
   */
  admission?: {
    redis?: Redis;
    /** Prefix of its Redis keys: replicas sharing budgets use the same. @default 'rl' */
    keyPrefix?: string;
  };
}

export interface RunningGateway {
  readonly url: string;
  /** The graphql-ws endpoint (`ws://…/graphql`). */
  readonly wsUrl: string;
  /** The subscription hub (counts for tests and the bench). */
  readonly subscriptions: SubscriptionHub;
  /** Admission control (in-flight counts for tests and the bench). */
  readonly admission: AdmissionControl;
  readonly port: number;
  readonly httpServer: Server;
  /** The admin listener's base URL (`http://host:port`) when `adminPort` is set. */
  readonly adminUrl: string | undefined;
  /** Idempotent; drains in-flight requests. */
  stop(): Promise<void>;
}

const PUBLIC_CODES = new Set<string>(Object.values(ErrorCode));

/** Keeps coded errors from the documented set; masks everything else. Never throws. */
export function formatGatewayError(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    // Apollo files validation-rule errors under GRAPHQL_VALIDATION_FAILED; a limit's own code wins.
    const ruleCode = error instanceof GraphQLError ? (error.originalError as GraphQLError | undefined)?.extensions?.['code'] : undefined;
    const code = ruleCode === ErrorCode.QUERY_TOO_COMPLEX ? ruleCode : formatted.extensions?.['code'];
    if (typeof code === 'string' && PUBLIC_CODES.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
      const { stacktrace: _s, exception: _e, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions: { ...extensions, code } };
    }
    if (
      code === 'GRAPHQL_PARSE_FAILED' ||
      code === 'GRAPHQL_VALIDATION_FAILED' ||
      code === 'BAD_USER_INPUT' ||
      code === 'PERSISTED_QUERY_NOT_FOUND' ||
      code === 'BAD_REQUEST' ||
      code === 'OPERATION_RESOLUTION_FAILURE'
    ) {
      return { message: formatted.message, ...(formatted.locations ? { locations: formatted.locations } : {}), extensions: { code } };
    }
    log.error({ err: error instanceof GraphQLError ? (error.originalError ?? error) : error, path: formatted.path, code }, 'masked error');
    return {
      message: 'Internal server error',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: {
        code: ErrorCode.INTERNAL_SERVER_ERROR,
        ...(typeof formatted.extensions?.['serviceName'] === 'string' ? { serviceName: formatted.extensions['serviceName'] } : {}),
      },
    };
  };
}

/** @apollo/gateway cannot execute subscriptions (HTTP 500): say where they are served instead. */
const subscriptionsOverWebSocketPlugin: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation }) {
        if (operation?.operation === 'subscription')
          throw new GraphQLError('Subscriptions are served over WebSocket (graphql-ws protocol) at this path', {
            extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } },
          });
      },
    };
  },
};

/** A validation rule that only counts the documents validated. */
const countValidations =
  (counter: Counter): ValidationRule =>
  () => {
    counter.inc();
    return {};
  };

const staleReportPlugin: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue, response }) {
        if (!contextValue.stale?.length || response.body.kind !== 'single') return;
        response.body.singleResult.extensions = { ...(response.body.singleResult.extensions ?? {}), stale: contextValue.stale };
      },
    };
  },
};

async function probe(url: string, timeoutMs: number): Promise<void> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`status ${res.status}`);
}

export async function startGatewayServer(options: GatewayServerOptions): Promise<RunningGateway> {
  const {
    supergraphSdl,
    subgraphs,
    authenticate,
    internalKey,
    log,
    port = 0,
    host = '127.0.0.1',
    introspection = false,
    subgraphTimeoutMs = 15_000,
    readiness = [],
    maxBodySize = '256kb',
    limits = DEFAULT_LIMITS,
  } = options;
  if (options.registry) {
    const unknown = unknownPolicyFields(options.registry, supergraphFieldChecker(supergraphSdl));
    if (unknown.length > 0) throw new RegistryError(`Invalid tenant policy:\n${unknown.map((u) => `  ${u}`).join('\n')}`);
  }
  const endpoints = new Map(subgraphs.map((s) => [s.name, s.url]));
  const tokens = new IdentityTokenCache(internalKey);
  const sources: SubgraphSource[] = [];
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) => {
      const source = new SubgraphSource(name, endpoints.get(name) ?? url ?? '', { timeoutMs: subgraphTimeoutMs, tokens });
      sources.push(source);
      return source;
    },
    logger: log.child({ component: 'apollo-gateway' }) as never,
  });

  const metrics = createGatewayMetrics({ tenants: options.registry?.tenants.map((t) => t.id) ?? [] });
  const admission = new AdmissionControl({
    ...(options.admission?.redis ? { redis: options.admission.redis } : {}),
    ...(options.admission?.keyPrefix !== undefined ? { keyPrefix: options.admission.keyPrefix } : {}),
    metricsRegistry: metrics.registry,
    tenants: options.registry?.tenants.map((t) => t.id) ?? [],
  });
  const validatedDocuments = new Counter({
    name: 'gateway_documents_validated_total',
    help: 'GraphQL documents validated over HTTP (a repeated document is served from the validated-document cache)',
    registers: [metrics.registry],
  });
  const weights = fieldCostWeights(supergraphSdl);
  const listSizes = fieldListSizes(supergraphSdl);
  const costOf = operationCoster(weights, listSizes);
  const app = express();
  app.disable('x-powered-by');
  // GraphQL answers are per request and `no-store`: hashing each body for an ETag is wasted CPU.
  app.set('etag', false);
  app.use(securityHeaders(options.security));
  const httpServer = createHardenedServer(app, options.http);
  const server = new ApolloServer<GatewayContext>({
    gateway,
    introspection,
    // Without introspection, "Did you mean ...?" suggestions would reveal the schema all the same.
    hideSchemaDetailsFromClientErrors: !introspection,
    // Apollo Server keeps parsed and validated documents (its documentStore, keyed by the query's
    // hash): a repeated document is validated once; the counter rule shows it.
    validationRules: [countValidations(validatedDocuments), ...queryLimitRules(limits, weights, listSizes)],
    parseOptions: { maxTokens: limits.maxTokens },
    includeStacktraceInErrorResponses: false,
    formatError: formatGatewayError(log),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      subscriptionsOverWebSocketPlugin,
      staleReportPlugin,
      costChargePlugin(admission, weights, listSizes),
      metrics.plugin as ApolloServerPlugin<GatewayContext>,
      requestLogPlugin(log),
    ],
  });
  await server.start();

  const runAs =
    (identity: Identity, tenant: TenantConfig) =>
    async (query: string, variables: Record<string, unknown> | undefined, operationName?: string): Promise<FederatedResult> => {
      const response = await server.executeOperation(
        { query, ...(variables ? { variables } : {}), ...(operationName ? { operationName } : {}) },
        { contextValue: { identity, tenant, stale: [] } },
      );
      return response.body.kind === 'single' ? response.body.singleResult : { data: null, errors: [{ message: 'Incremental delivery is not supported here' }] };
    };
  // The API schema rebuilt from its SDL: the same types without the gateway's own resolvers, so the
  // push executor's field resolver (envelope, delegation, response keys) applies to every field.
  const pushSchemas = new WeakMap<GraphQLSchema, GraphQLSchema>();
  const apiSchema = () => {
    const loaded = gateway.schema;
    if (!loaded) throw new Error('the supergraph is not loaded');
    let schema = pushSchemas.get(loaded);
    if (!schema) pushSchemas.set(loaded, (schema = buildSchema(printSchema(loaded))));
    return schema;
  };
  const mismatches = catalogMismatches(apiSchema());
  if (mismatches.length > 0) {
    await server.stop();
    throw new Error(`The supergraph lacks what subscriptions need:\n${mismatches.map((m) => `  ${m}`).join('\n')}`);
  }
  const subscriptionMetrics = createSubscriptionMetrics(metrics.registry);
  const tuning = options.subscriptions ?? {};
  const hub = new SubscriptionHub({
    bus: options.bus ?? { publish: async () => undefined, subscribe: () => ({ dispose: () => undefined }), close: async () => undefined },
    tenants: options.registry?.tenants.filter((t) => t.enabled).map((t) => t.id) ?? [],
    executorFor: (identity, tenant) => (query, variables) => runAs(identity, tenant)(query, variables),
    customerEmail: async (tenant, customerId) => {
      // Read for matching tickets to the customer only; the subscriber never receives it.
      const matcher: Identity = { tenant: tenant.id, subject: 'gateway:subscriptions', roles: ['admin'], scopes: [] };
      const result = await runAs(matcher, tenant)('query CustomerEmail($id: ID!) { customer(id: $id) { email } }', { id: customerId });
      const email = (result.data?.['customer'] as { email?: unknown } | null | undefined)?.email;
      return typeof email === 'string' ? email : undefined;
    },
    metrics: subscriptionMetrics,
    log: log.child({ component: 'subscriptions' }),
    ...(tuning.coalesceMs !== undefined ? { coalesceMs: tuning.coalesceMs } : {}),
    ...(tuning.maxPending !== undefined ? { maxPending: tuning.maxPending } : {}),
    ...(tuning.maxPerTenant !== undefined ? { maxPerTenant: tuning.maxPerTenant } : {}),
    ...(tuning.maxGroupsPerTenant !== undefined ? { maxGroupsPerTenant: tuning.maxGroupsPerTenant } : {}),
  });
  const format = formatGatewayError(log);
  const wsServer = startWsServer({
    httpServer,
    authenticate,
    schema: apiSchema,
    validationRules: queryLimitRules(limits, weights, listSizes),
    hub,
    // Queries and mutations sent over the socket get the same admission as over HTTP.
    execute: async (query, variables, operationName, auth) => {
      const admitted = await admission.admit(auth.identity, auth.tenant);
      if (!admitted.ok) return rateLimitedResult(admitted.refusal);
      try {
        const cost = costOf(apiSchema(), parse(query, { maxTokens: limits.maxTokens }), operationName);
        const refusal = await admission.charge(auth.identity, auth.tenant, cost);
        if (refusal) return rateLimitedResult(refusal);
        return await runAs(auth.identity, auth.tenant)(query, variables, operationName);
      } finally {
        admitted.release();
      }
    },
    formatError: (error) => format(error.toJSON(), error) as ReturnType<GraphQLError['toJSON']>,
    metrics: subscriptionMetrics,
    log: log.child({ component: 'graphql-ws' }),
    hideSchemaDetails: !introspection,
    origins: originPolicy(options.registry),
    maxTokens: limits.maxTokens,
    maxOperationLength: limits.maxDocumentLength,
    ...(tuning.initTimeoutMs !== undefined ? { initTimeoutMs: tuning.initTimeoutMs } : {}),
    ...(tuning.maxPerConnection !== undefined ? { maxSubscriptionsPerConnection: tuning.maxPerConnection } : {}),
  });
  if (options.webhookTargets) forwardWebhooks(app, options.webhookTargets, log);

  const checks: ReadinessCheck[] = [
    ...subgraphs.map((s) => ({ name: `subgraph:${s.name}`, check: () => probe(new URL('/healthz', s.url).toString(), 2_000) })),
    ...readiness,
  ];
  const doctor = createAdminDoctor({
    subgraphs,
    internalKey,
    authenticate,
    log,
    ...(options.registry ? { registry: options.registry } : {}),
    ...(options.doctorRefreshMs !== undefined ? { refreshMs: options.doctorRefreshMs } : {}),
  });
  const adminSurface = createAdminSurface({
    authenticate,
    renderMetrics: () => metrics.render(),
    probes: checks,
    doctor,
    log,
    ...(options.adminPort !== undefined ? { port: options.adminPort } : {}),
    ...(options.adminHost !== undefined ? { host: options.adminHost } : {}),
    ...(options.readyCacheMs !== undefined ? { readyCacheMs: options.readyCacheMs } : {}),
    ...(options.http ? { http: options.http } : {}),
    ...(options.security ? { security: options.security } : {}),
  });
  app.use(adminSurface.publicRoutes);

  app.use('/graphql', requestIdMiddleware(log));
  app.use('/graphql', noStore(), corsGuard(originPolicy(options.registry), authenticate, log));

  app.use(
    '/graphql',
    admissionMiddleware(admission, authenticate, log),
    express.json({ limit: maxBodySize }),
    documentLengthMiddleware(limits.maxDocumentLength),
    expressMiddleware(server, {
      context: async ({ req }) => {
        try {
          const caller = admittedCaller(req);
          if (caller && 'error' in caller) throw caller.error;
          const { identity, tenant } = caller?.auth ?? (await authenticate(req.headers.authorization));
          return { identity, tenant, stale: [] };
        } catch (err) {
          if (err instanceof AuthenticationError) {
            log.info({ reason: err.reason }, 'request refused: unauthenticated');
            throw unauthenticatedError();
          }
          throw err;
        }
      },
    }),
  );
  // Body-parser errors (too large, malformed JSON) as GraphQL-shaped answers, never a stack trace.
  app.use((err: { status?: number; type?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = err.status ?? 500;
    const message = err.type === 'entity.too.large' ? 'Request body too large' : status === 400 ? 'Malformed request body' : 'Internal server error';
    const code = err.type === 'entity.too.large' ? ErrorCode.QUERY_TOO_COMPLEX : status === 400 ? ErrorCode.BAD_USER_INPUT : ErrorCode.INTERNAL_SERVER_ERROR;
    res.status(status).json({ errors: [{ message, extensions: { code } }] });
  });

  const bound = await listen(httpServer, port, host);
  const stopOnce = onceOnly(async () => {
    hub.close();
    await wsServer.dispose();
    await server.stop();
    await adminSurface.stop();
    for (const source of sources) source.close();
  });
  try {
    await adminSurface.listen();
  } catch (err) {
    doctor.stop();
    await stopOnce();
    throw err;
  }
  return {
    url: `http://${host}:${bound}/graphql`,
    wsUrl: `ws://${host}:${bound}/graphql`,
    subscriptions: hub,
    admission,
    port: bound,
    httpServer,
    adminUrl: adminSurface.url,
    stop() {
      doctor.stop();
      return stopOnce();
    },
  };
}
