/**
 * Schema migrations of the action log: the numbered files of actions/migrations/ (`NNN_name.sql`),
 * applied in order, each once, recorded in `schema_migrations(version, name, applied_at)`.
 *
 * Everything happens in one transaction that first takes a transaction-scoped advisory lock keyed on
 * the schema, so replicas (or test workers) starting together against one PostgreSQL serialise here:
 * the first applies what is missing, the others find it applied. The schema itself (when one is
 * named) is created under the same lock. PGlite runs the same SQL (it has a single connection, the
 * lock is merely uncontended there).
 *
 * The SQL files are read at run time from beside this module: a build that copies only compiled
 * JavaScript must also copy actions/migrations/ next to migrate.js.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkSchemaName, quoteIdent, type SqlDriver } from './sql';

export const MIGRATIONS_DIR = join(__dirname, 'migrations');

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export interface MigrationReport {
  /** Versions this run applied (empty when the schema was already current). */
  applied: number[];
  /** The highest version now applied. */
  current: number;
}

const FILE = /^(\d+)_([a-z0-9_]+)\.sql$/;

/** The migrations of `dir`, by version; throws on an empty directory or two files with one version. */
export async function loadMigrations(dir: string = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => FILE.test(f));
  const migrations = await Promise.all(
    files.map(async (file): Promise<Migration> => {
      const [, version = '', name = ''] = FILE.exec(file) ?? [];
      return { version: Number(version), name, sql: await readFile(join(dir, file), 'utf8') };
    }),
  );
  migrations.sort((a, b) => a.version - b.version);
  if (migrations.length === 0) throw new Error(`action store: no migrations in ${dir}`);
  migrations.forEach((m, i) => {
    if (i > 0 && migrations[i - 1]?.version === m.version) throw new Error(`action store: two migrations with version ${m.version} in ${dir}`);
  });
  return migrations;
}

/** Applies the missing migrations (of `migrations`, default: actions/migrations/) to `schema` (default: the connection's search_path). */
export async function migrate(driver: SqlDriver, opts: { schema?: string | undefined; migrations?: Migration[] } = {}): Promise<MigrationReport> {
  const schema = opts.schema === undefined ? undefined : checkSchemaName(opts.schema);
  const migrations = opts.migrations ?? (await loadMigrations());
  return driver.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('support-gateway.actions.migrate'), hashtext($1))`, [schema ?? '']);
    if (schema !== undefined) {
      await tx.exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}; SET LOCAL search_path TO ${quoteIdent(schema)}`);
    }
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    integer     NOT NULL PRIMARY KEY,
      name       text        NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const done = new Set((await tx.query('SELECT version FROM schema_migrations')).rows.map((r) => Number(r['version'])));
    const applied: number[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    const current = Math.max(0, ...done, ...applied);
    return { applied, current };
  });
}
