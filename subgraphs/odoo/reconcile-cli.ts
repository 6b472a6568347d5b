/**
 * `npm run reconcile`: one pass of the Odoo actions' reconciler over the durable action log
 * (`DATABASE_URL`; the embedded PGlite of `npm start` lives in that process alone) and the tenants
 * of `TENANTS_FILE`, with upstream secrets from the environment. Prints what it settled.
 */
import { z } from 'zod';
import { createActionStore } from '../../actions';
import { createEntityCache } from '../../cache';
import { parseConfig } from '../../platform/config';
import { createLogger, logLevelFrom } from '../../platform/log';
import { loadRegistry } from '../../tenancy/registry';
import { reconcileOdooActions } from './reconcile';

const Env = z.object({
  DATABASE_URL: z.string().url('must be the PostgreSQL URL of the action log'),
  TENANTS_FILE: z.string().min(1).default('tenancy/sandbox.tenants.json'),
  RECONCILE_ABANDONED_AFTER_SECONDS: z.coerce.number().int().nonnegative().default(900),
  /** The entity cache to invalidate after a settled action (the subgraphs' Redis). */
  REDIS_URL: z.string().url().optional(),
});

async function main(): Promise<number> {
  const env = parseConfig(Env, process.env);
  const log = createLogger('reconcile', logLevelFrom(process.env, 'info'));
  const store = await createActionStore({ databaseUrl: env.DATABASE_URL });
  const cache = env.REDIS_URL ? createEntityCache({ redisUrl: env.REDIS_URL }) : undefined;
  try {
    const report = await reconcileOdooActions({
      store,
      registry: loadRegistry(env.TENANTS_FILE),
      secrets: { env: process.env },
      log,
      cache,
      abandonedAfterMs: env.RECONCILE_ABANDONED_AFTER_SECONDS * 1000,
    });
    process.stdout.write(`reconciled: ${report.settled} settled, ${report.failed} not settled, ${report.expired} expired\n`);
    return report.failed > 0 ? 1 : 0;
  } finally {
    await store.close();
    await cache?.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`reconcile failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
