/**
 * The little the two stores need from a database: run a parameterised statement, run a script and
 * a callback inside one transaction on one connection. `pg` and PGlite each adapt to it in a few
 * lines (postgres-store.ts, pglite-store.ts); the SQL itself lives once, in sql-store.ts and migrate.ts.
 */

export type Row = Record<string, unknown>;

export interface SqlResult {
  rows: Row[];
  /** Rows inserted, updated or deleted. */
  rowCount: number;
}

export interface Sql {
  query(text: string, params?: readonly unknown[]): Promise<SqlResult>;
}

export interface SqlTransaction extends Sql {
  /** A script of several statements, no parameters (a migration file). */
  exec(script: string): Promise<void>;
}

export type StoreKind = 'postgres' | 'pglite';

export interface SqlDriver<K extends StoreKind = StoreKind> extends Sql {
  readonly kind: K;
  /** Runs `fn` between BEGIN and COMMIT on one connection; ROLLBACK when it throws. */
  transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** A schema name safe to splice into SQL and a connection's options (lower case, digits, underscore). */
export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new TypeError(`action store: schema must match ${SCHEMA_NAME.source}, got ${JSON.stringify(schema)}`);
  return schema;
}

export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;
