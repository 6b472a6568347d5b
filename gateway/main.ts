/**
 * The gateway as its own service (production, docker-compose): configuration from the environment
 * (gateway/config.ts), tenants from TENANTS_FILE, the committed supergraph, subgraphs at their
 * configured URLs.
 */
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { SUBGRAPHS, SUPERGRAPH_PATH } from '../schema/subgraphs';
import { createLogger } from '../platform/log';
import { internalKey } from '../tenancy/identity';
import { disabledTenant, loadRegistry, tenantLookup } from '../tenancy/registry';
import { createAuthenticator, tenantIssuers, type AuthSettings } from './auth';
import { loadGatewayConfig } from './config';
import { loadOrCreateDevSecrets } from '../platform/dev-secrets';
import { runService } from '../platform/listen';
import { startTracing } from '../platform/tracing';
import { startGatewayServer, type ReadinessCheck } from './server';
import { createChangeCapture } from '../cache/capture';

async function main(): Promise<() => Promise<unknown>> {
  const config = loadGatewayConfig();
  const tracing = startTracing({ serviceName: config.OTEL_SERVICE_NAME, otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
  const log = createLogger('gateway');
  const registry = loadRegistry(config.TENANTS_FILE);
  const dev = config.NODE_ENV === 'production' ? undefined : loadOrCreateDevSecrets();
  const common = { issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE, clockToleranceSeconds: config.AUTH_CLOCK_TOLERANCE_SECONDS };
  const auth: AuthSettings =
    config.AUTH_MODE === 'jwks'
      ? { mode: 'jwks', jwksUrl: config.AUTH_JWKS_URL!, algorithms: config.AUTH_JWKS_ALGORITHMS, ...common }
      : { mode: 'hs256', secret: new TextEncoder().encode(config.AUTH_HS256_SECRET ?? dev!.authSecret), ...common };
  const readiness: ReadinessCheck[] = [];
  let redis: Redis | undefined;
  if (config.REDIS_URL) {
    redis = new Redis(config.REDIS_URL, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    redis.on('error', () => undefined); // readiness reports it; ioredis reconnects on its own
    await redis.connect().catch(() => undefined);
    const client = redis;
    readiness.push({ name: 'redis', check: async () => void (await client.ping()) });
  }
  // The event bus the subgraphs' change capture publishes on: Redis Streams shared by every replica
  // (in-process without REDIS_URL, which only carries the gateway's own events).
  const capture = createChangeCapture({ redisUrl: config.REDIS_URL, logger: log });
  const gateway = await startGatewayServer({
    supergraphSdl: readFileSync(SUPERGRAPH_PATH, 'utf8'),
    subgraphs: SUBGRAPHS.map((s) => ({ name: s.name, url: config[`${s.name.toUpperCase() as Uppercase<typeof s.name>}_SUBGRAPH_URL`] })),
    authenticate: createAuthenticator(auth, tenantLookup(registry), disabledTenant(registry), tenantIssuers(registry)),
    internalKey: internalKey(config.INTERNAL_TOKEN_SECRET ?? dev!.internalSecret),
    log,
    host: config.HOST,
    port: config.PORT,
    introspection: config.INTROSPECTION ?? config.NODE_ENV !== 'production',
    subgraphTimeoutMs: config.SUBGRAPH_TIMEOUT_MS,
    readiness,
    registry,
    bus: capture.bus,
    // Admission windows shared by every replica (in-process without Redis).
    ...(redis ? { admission: { redis } } : {}),
    webhookTargets: { zendesk: new URL(config.ZENDESK_SUBGRAPH_URL).origin },
    http: {
      headersTimeoutMs: config.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      ...(config.HTTP_MAX_CONNECTIONS !== undefined ? { maxConnections: config.HTTP_MAX_CONNECTIONS } : {}),
    },
    ...(config.HSTS_MAX_AGE_SECONDS !== undefined ? { security: { hstsMaxAgeSeconds: config.HSTS_MAX_AGE_SECONDS } } : {}),
    ...(config.ADMIN_PORT !== undefined ? { adminPort: config.ADMIN_PORT, adminHost: config.ADMIN_HOST } : {}),
    readyCacheMs: config.READYZ_CACHE_MS,
  });
  log.info({ url: gateway.url, ...(gateway.adminUrl ? { adminUrl: gateway.adminUrl } : {}) }, 'gateway listening');
  return () =>
    gateway
      .stop()
      .then(() => capture.close())
      .then(() => redis?.quit())
      .then(() => tracing.shutdown());
}

runService('gateway', main);
