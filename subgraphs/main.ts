/**
 * One subgraph as its own service (production, docker-compose): `node dist/subgraphs/main.js odoo`
 * (or salesforce, zendesk). Configuration from the environment, validated before listening:
 * PORT (default per subgraph), HOST, TENANTS_FILE, REDIS_URL (event bus, leases, capture state, and
 * the entity cache unless CACHE_REDIS_URL names its own; in-process if unset), INTERNAL_TOKEN_SECRET
 * (verifies the gateway's identity tokens), OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_SERVICE_NAME
 * (tracing), and the credentials the tenant registry references for this subgraph's own upstream
 * only: a subgraph resolves no other upstream's references (its client factory reads its own
 * upstream's entry), so its container needs, and in docker-compose.yml gets, only those.
 */
import { z } from 'zod';
import { createActionStore } from '../actions';
import { parseConfig } from '../platform/config';
import { createEntityCache } from '../cache';
import { createChangeCapture } from '../cache/capture';
import { publishingActionStore } from './kit/action-events';
import { SUBGRAPHS } from '../schema/subgraphs';
import { internalKey } from '../tenancy/identity';
import { loadRegistry } from '../tenancy/registry';
import { loadOrCreateDevSecrets } from '../platform/dev-secrets';
import { createLogger } from '../platform/log';
import { runService } from '../platform/listen';
import { startTracing } from '../platform/tracing';
import { SUBGRAPH_STARTERS } from '.';
import type { RunningSubgraph } from './kit/server';

const Env = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  TENANTS_FILE: z.string().min(1).default('tenancy/sandbox.tenants.json'),
  REDIS_URL: z.string().url().optional(),
  /**
   * The entity cache's own Redis, apart from REDIS_URL's bus, leases and capture state: a cache-only
   * instance may evict any key under memory pressure (`allkeys-lru`). Unset: the cache uses REDIS_URL.
   */
  CACHE_REDIS_URL: z.string().url().optional(),
  INTERNAL_TOKEN_SECRET: z.string().min(32).optional(),
  /** The durable action log (PostgreSQL); without it, an embedded PGlite (in `ACTIONS_PGLITE_DIR`, or memory). */
  DATABASE_URL: z.string().url().optional(),
  ACTIONS_PGLITE_DIR: z.string().min(1).optional(),
  /** How often change capture polls the upstream (ms). */
  CAPTURE_INTERVAL_MS: z.coerce.number().int().min(200).default(2_000),
  /** OpenTelemetry: OTLP/HTTP collector base URL; spans go to `<url>/v1/traces`. Unset = no tracing (platform/tracing.ts). */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  /** OpenTelemetry `service.name` of this subgraph's spans. @default `subgraph-<name>` */
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
});

/** The subgraphs whose mutations write upstream, and so need the action log. */
const WITH_ACTIONS = new Set(['odoo', 'zendesk']);

async function main(): Promise<() => Promise<unknown>> {
  const role = process.argv[2];
  const definition = SUBGRAPHS.find((s) => s.name === role);
  if (!definition) throw new Error(`usage: subgraphs/main <${SUBGRAPHS.map((s) => s.name).join('|')}>`);
  const env = parseConfig(Env, process.env);
  if (env.NODE_ENV === 'production' && !env.INTERNAL_TOKEN_SECRET) throw new Error('Invalid configuration:\n  INTERNAL_TOKEN_SECRET: required in production');
  const withActions = WITH_ACTIONS.has(definition.name);
  // Idempotency and approvals must outlive a restart and be shared by replicas: PostgreSQL in production.
  if (env.NODE_ENV === 'production' && withActions && !env.DATABASE_URL)
    throw new Error('Invalid configuration:\n  DATABASE_URL: required in production (the action log)');
  const secret = env.INTERNAL_TOKEN_SECRET ?? loadOrCreateDevSecrets().internalSecret;
  const tracing = startTracing({ serviceName: env.OTEL_SERVICE_NAME ?? `subgraph-${definition.name}`, otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT });
  const log = createLogger(`subgraph-${definition.name}`);
  const cache = createEntityCache({ redisUrl: env.CACHE_REDIS_URL ?? env.REDIS_URL });
  // Change capture publishes on the bus the gateway reads: Redis Streams across processes.
  if (env.NODE_ENV === 'production' && !env.REDIS_URL)
    throw new Error('Invalid configuration:\n  REDIS_URL: required in production (event bus, leases, cache)');
  const capture = createChangeCapture({ redisUrl: env.REDIS_URL, logger: log });
  const actionStore = withActions ? await createActionStore({ databaseUrl: env.DATABASE_URL, pgliteDir: env.ACTIONS_PGLITE_DIR }) : undefined;
  const running: RunningSubgraph = await SUBGRAPH_STARTERS[definition.name]({
    host: env.HOST,
    port: env.PORT ?? definition.defaultPort,
    registry: loadRegistry(env.TENANTS_FILE),
    secrets: { env: process.env },
    identityKey: internalKey(secret),
    cache,
    ...(actionStore ? { actionStore: publishingActionStore(actionStore, capture.bus, log) } : {}),
    capture,
    captureIntervalMs: env.CAPTURE_INTERVAL_MS,
    log,
  });
  log.info({ url: running.url }, 'subgraph listening');
  return () =>
    running
      .stop()
      .then(() => capture.close())
      .then(() => cache.close())
      .then(() => actionStore?.close())
      .then(() => tracing.shutdown());
}

runService('subgraph', main);
