/**
 * One subgraph as its own service (production, docker-compose): `node dist/subgraphs/main.js odoo`
 * (or salesforce, zendesk). Configuration from the environment, validated before listening:
 * PORT (default per subgraph), HOST, TENANTS_FILE, REDIS_URL (entity cache; in-process if unset),
 * INTERNAL_TOKEN_SECRET (verifies the gateway's identity tokens), and the upstream credentials the
 * tenant registry references.
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
import { SUBGRAPH_STARTERS } from '.';
import type { RunningSubgraph } from './kit/server';

const Env = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  TENANTS_FILE: z.string().min(1).default('tenancy/sandbox.tenants.json'),
  REDIS_URL: z.string().url().optional(),
  INTERNAL_TOKEN_SECRET: z.string().min(32).optional(),
  /** The durable action log (PostgreSQL); without it, an embedded PGlite (in `ACTIONS_PGLITE_DIR`, or memory). */
  DATABASE_URL: z.string().url().optional(),
  ACTIONS_PGLITE_DIR: z.string().min(1).optional(),
  /** How often change capture polls the upstream (ms). */
  CAPTURE_INTERVAL_MS: z.coerce.number().int().min(200).default(2_000),
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
  const log = createLogger(`subgraph-${definition.name}`);
  const cache = createEntityCache({ redisUrl: env.REDIS_URL });
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
      .then(() => actionStore?.close());
}

runService('subgraph', main);
