/**
 * The action log on embedded PostgreSQL (PGlite, WebAssembly): in memory by default, or in a data
 * directory that survives restarts. The zero-configuration `npm start` uses it; the SQL and the
 * migrations are PostgreSQL's (sql-store.ts, migrate.ts), shared with postgres-store.ts.
 * One PGlite is one connection: statements run one at a time, transactions are exclusive.
 */
import type { PGlite, PGliteOptions } from '@electric-sql/pglite';
import { SqlActionStore } from './sql-store';
import { checkSchemaName, quoteIdent, type SqlDriver, type SqlResult, type SqlTransaction } from './sql';

export interface PgliteActionStoreOptions {
  /** A data directory (created when missing); default: in memory. Ignored when `db` is given. */
  dataDir?: string | undefined;
  /** A schema to create and use; default: public. Note it sets the whole PGlite instance's search_path. */
  schema?: string | undefined;
  /** A PGlite the caller owns (and closes); the store's `close()` leaves it open. */
  db?: PGlite | undefined;
}

type Queryable = Pick<PGlite, 'query' | 'exec'>;

const run = async (db: Queryable, text: string, params: readonly unknown[]): Promise<SqlResult> => {
  const r = await db.query<Record<string, unknown>>(text, [...params]);
  return { rows: r.rows, rowCount: r.affectedRows ?? 0 };
};

class PgliteDriver implements SqlDriver<'pglite'> {
  readonly kind = 'pglite';
  constructor(
    private readonly db: PGlite,
    private readonly owned: boolean,
  ) {}

  query(text: string, params: readonly unknown[] = []): Promise<SqlResult> {
    return run(this.db, text, params);
  }

  transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) =>
      fn({
        query: (text, params = []) => run(tx, text, params),
        exec: async (script) => {
          await tx.exec(script);
        },
      }),
    );
  }

  async close(): Promise<void> {
    if (this.owned) await this.db.close();
  }
}

export type PgliteActionStore = SqlActionStore<'pglite'>;

/**
 * Starts PGlite loaded through Node's own `require` (`process.getBuiltinModule`, Node 20.16+): PGlite's
 * start-up does a dynamic `import()`, which a VM sandbox such as jest's refuses; loaded this way it
 * runs the same under node, tsx and jest.
 */
function loadPglite(options: PGliteOptions): Promise<PGlite> {
  const nodeModule = process.getBuiltinModule('node:module');
  const { PGlite: Native } = nodeModule.createRequire(__filename)('@electric-sql/pglite') as { PGlite: typeof PGlite };
  return Native.create(options);
}

/** Starts PGlite (unless given one), migrates (see migrate.ts) and returns the store. */
export async function createPgliteActionStore(opts: PgliteActionStoreOptions = {}): Promise<PgliteActionStore> {
  const schema = opts.schema === undefined ? undefined : checkSchemaName(opts.schema);
  const db = opts.db ?? (await loadPglite(opts.dataDir === undefined ? {} : { dataDir: opts.dataDir }));
  const store = new SqlActionStore(new PgliteDriver(db, opts.db === undefined), schema);
  try {
    await store.migrate();
    if (schema !== undefined) await db.exec(`SET search_path TO ${quoteIdent(schema)}`);
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }
  return store;
}
