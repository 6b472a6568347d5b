/**
 * The durable action log (ARCHITECTURE.md, "Actions (mutations)"): idempotency, approvals, execution
 * state and the audit trail of ERP-writing actions. PostgreSQL when a database URL is given
 * (production, CI), embedded PGlite otherwise (the zero-configuration `npm start`).
 */
import { createPgliteActionStore } from './pglite-store';
import { createPostgresActionStore } from './postgres-store';
import type { ActionStore } from './types';

export * from './types';
export { createPostgresActionStore, type PostgresActionStore, type PostgresActionStoreOptions } from './postgres-store';
export { createPgliteActionStore, type PgliteActionStore, type PgliteActionStoreOptions } from './pglite-store';
export { loadMigrations, migrate, MIGRATIONS_DIR, type Migration, type MigrationReport } from './migrate';

export interface ActionStoreOptions {
  /** postgres://…; when absent or empty, the store is PGlite. */
  databaseUrl?: string | undefined;
  /** PGlite's data directory; default: in memory (lost on exit). */
  pgliteDir?: string | undefined;
  /** A schema to create and use via search_path (test isolation); default: the database's own. */
  schema?: string | undefined;
}

/** Opens the store and applies pending migrations before resolving. */
export function createActionStore(opts: ActionStoreOptions = {}): Promise<ActionStore> {
  if (opts.databaseUrl) return createPostgresActionStore({ databaseUrl: opts.databaseUrl, schema: opts.schema });
  return createPgliteActionStore({ dataDir: opts.pgliteDir, schema: opts.schema });
}

/** The options from the environment: `DATABASE_URL`, `ACTIONS_PGLITE_DIR`. */
export function actionStoreOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): ActionStoreOptions {
  return { databaseUrl: env['DATABASE_URL'] || undefined, pgliteDir: env['ACTIONS_PGLITE_DIR'] || undefined };
}
