/**
 * The action log on PostgreSQL (`DATABASE_URL`): a pg Pool, migrated before the store is handed out.
 * With `schema`, every connection of the pool runs with `search_path` set to it (the schema is
 * created by the migration), so tests and tenants of one server can each have their own.
 */
import pg from 'pg';
import { SqlActionStore } from './sql-store';
import { checkSchemaName, type SqlDriver, type SqlResult, type SqlTransaction } from './sql';

export interface PostgresActionStoreOptions {
  /** postgres://user@host:port/db */
  databaseUrl: string;
  /** A schema to create and use (lower case, digits, underscore); default: the server's search_path. */
  schema?: string | undefined;
  /** Pool size; default 10. */
  maxConnections?: number | undefined;
  /** Errors of idle pooled connections (a restarted server); the next query fails and reports too. Default: ignored. */
  onIdleError?: ((err: Error) => void) | undefined;
}

class PgDriver implements SqlDriver<'postgres'> {
  readonly kind = 'postgres';
  constructor(private readonly pool: pg.Pool) {}

  async query(text: string, params: readonly unknown[] = []): Promise<SqlResult> {
    const r = await this.pool.query(text, [...params]);
    return { rows: r.rows as Record<string, unknown>[], rowCount: r.rowCount ?? 0 };
  }

  async transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const value = await fn({
        query: async (text, params = []) => {
          const r = await client.query(text, [...params]);
          return { rows: r.rows as Record<string, unknown>[], rowCount: r.rowCount ?? 0 };
        },
        exec: async (script) => {
          await client.query(script);
        },
      });
      await client.query('COMMIT');
      return value;
    } catch (err) {
      await client.query('ROLLBACK').catch((e: unknown) => {
        broken = e instanceof Error ? e : new Error(String(e));
      });
      throw err;
    } finally {
      // A connection whose ROLLBACK failed is discarded rather than returned to the pool.
      client.release(broken);
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

export type PostgresActionStore = SqlActionStore<'postgres'>;

/** Connects, migrates (see migrate.ts) and returns the store; the pool is closed by `close()`. */
export async function createPostgresActionStore(opts: PostgresActionStoreOptions): Promise<PostgresActionStore> {
  const schema = opts.schema === undefined ? undefined : checkSchemaName(opts.schema);
  const pool = new pg.Pool({
    connectionString: opts.databaseUrl,
    max: opts.maxConnections ?? 10,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  pool.on('error', opts.onIdleError ?? (() => undefined));
  const store = new SqlActionStore(new PgDriver(pool), schema);
  try {
    await store.migrate();
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }
  return store;
}
